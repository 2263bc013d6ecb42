/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv2: the CPU interface and the distributor by MMIO (IHI 0048B). In a cell
 * the CPU interface at the comm region's gicc_base is the virtual one the
 * hypervisor maps there, and the distributor is emulated: a cell sees only
 * its own interrupts, and its own CPU's SGIs and PPIs through the banked
 * registers. Interrupts are group 0 (what a GIC without the Security
 * Extensions and the virtual CPU interface deliver as IRQs).
 */
#include "internal.h"

#define GICD_CTLR		0x000
#define GICD_ISPENDR		0x200
#define GICD_ITARGETSR		0x800
#define GICD_SGIR		0xf00
#define GICC_CTLR		0x0000
#define GICC_CTLR_ENABLE0	(1U << 0)
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008

#define TIMER_PRIO		0xa0

u64 gicv2_gicc;
static volatile bool ready[INMATE_MAX_CPUS];
/* Each CPU's MPIDR and GIC CPU interface bit, for SGIs between them. */
static volatile u64 cpu_mpidr[INMATE_MAX_CPUS];
static volatile u8 cpu_target[INMATE_MAX_CPUS];

bool gicv2_cpu_ready(void)
{
	return ready[this_cpu_index()];
}

/* ITARGETSR0-7 read as this CPU's own interface bit (banked). */
static u8 own_target(u64 gicd)
{
	u8 mask = 0;
	unsigned int n;

	for (n = 0; n < 32; n += 4)
		mask |= mmio_read32(gicd + GICD_ITARGETSR + n) & 0xff;
	return mask;
}

void gicv2_init_cpu(void)
{
	unsigned int cpu = this_cpu_index();
	u64 gicd = comm_gicd_base();

	gicv2_gicc = comm_gicc_base();
	if (!gicv2_gicc) {
		printk("gic: GICv2 without a CPU interface address in the comm region\n");
		return;
	}
	if (inmate_is_bare() && cpu == 0)
		mmio_write32(gicd + GICD_CTLR, 1);
	cpu_mpidr[cpu] = this_mpidr();
	cpu_target[cpu] = own_target(gicd);
	/* EOImode 0 (bit 9 clear): the EOIR write also deactivates. */
	mmio_write32(gicv2_gicc + GICC_PMR, 0xf0);
	mmio_write32(gicv2_gicc + GICC_BPR, 0);
	mmio_write32(gicv2_gicc + GICC_CTLR, GICC_CTLR_ENABLE0);
	dsb(sy);
	gicv2_enable_ppi(TIMER_VIRT_PPI, TIMER_PRIO);
	ready[cpu] = true;
}

void gicv2_enable_ppi(unsigned int intid, u8 prio)
{
	u64 gicd = comm_gicd_base();

	if (intid >= 32)
		return;
	mmio_write8(gicd + GICD_IPRIORITYR + intid, prio);
	mmio_write32(gicd + GICD_ISENABLER, 1U << intid);
}

void gicv2_enable_spi(unsigned int intid, u8 prio)
{
	u64 gicd = comm_gicd_base();

	if (intid < 32 || intid >= 1020)
		return;
	mmio_write8(gicd + GICD_IPRIORITYR + intid, prio);
	mmio_write8(gicd + GICD_ITARGETSR + intid, cpu_target[this_cpu_index()]);
	mmio_write32(gicd + GICD_ISENABLER + 4 * (intid / 32), 1U << (intid % 32));
}

void gicv2_send_sgi(u64 target_mpidr, unsigned int sgi)
{
	unsigned int n;

	for (n = 0; n < INMATE_MAX_CPUS; n++) {
		if (!ready[n] || cpu_mpidr[n] != target_mpidr)
			continue;
		dsb(sy);
		mmio_write32(comm_gicd_base() + GICD_SGIR,
			     (u32)cpu_target[n] << 16 | (sgi & 0xf));
		return;
	}
	printk("gic: SGI %u to MPIDR 0x%llx: that CPU has not set up its GIC\n",
	       sgi, target_mpidr);
}

void gicv2_timer_report(const char *who)
{
	u64 gicd = comm_gicd_base();

	printk("%s: CNTV_CTL 0x%llx ISR_EL1 0x%llx GICC_CTLR 0x%x PMR 0x%x ISENABLER0 0x%x ISPENDR0 0x%x\n",
	       who, read_sysreg(cntv_ctl_el0), read_sysreg(isr_el1),
	       mmio_read32(gicv2_gicc + GICC_CTLR), mmio_read32(gicv2_gicc + GICC_PMR),
	       mmio_read32(gicd + GICD_ISENABLER), mmio_read32(gicd + GICD_ISPENDR));
}
