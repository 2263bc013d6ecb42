/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv3: the CPU interface through the ICC system registers, this CPU's
 * redistributor and the distributor by MMIO. In a cell the hypervisor
 * emulates both MMIO blocks and lets the cell touch only its own interrupts
 * and its own CPUs' redistributors, so nothing global is configured here;
 * the bare variant does the set-up firmware and Linux would have done
 * (distributor enable, redistributor wake-up, PPIs/SGIs in group 1).
 */
#include "internal.h"

#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_ENABLE_G1	(1U << 1)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_WAKER_ASLEEP	(1U << 2)
#define GICR_TYPER_LAST		(1U << 4)
#define GICR_IGROUPR0		(GICR_SGI_BASE + 0x0080)
#define GICR_ISPENDR0		(GICR_SGI_BASE + 0x0200)
#define GICR_ISACTIVER0		(GICR_SGI_BASE + 0x0300)
#define ICC_CTLR_EOIMODE	(1U << 1)
#define GICR_FRAME_SIZE		0x20000
#define GICR_MAX_FRAMES		64

#define TIMER_PRIO		0xa0

static u64 redist[INMATE_MAX_CPUS];
static volatile bool ready[INMATE_MAX_CPUS];

bool gicv3_cpu_ready(void)
{
	return ready[this_cpu_index()];
}

u64 gicv3_redist_base(void)
{
	return redist[this_cpu_index()];
}

/*
 * Walk the redistributor frames for the one whose GICR_TYPER affinity is
 * ours. A cell reads zeros from frames of CPUs it does not own (and would be
 * stopped for reading past the last frame), so the walk ends at our frame
 * or at a frame that says it is the last, whichever comes first.
 */
static u64 find_redist(void)
{
	u64 mpidr = this_mpidr();
	u32 want = (u32)(mpidr & 0xffffff) | (u32)((mpidr >> 32) & 0xff) << 24;
	u64 frame = comm_gicr_base();
	unsigned int i;

	for (i = 0; i < GICR_MAX_FRAMES; i++, frame += GICR_FRAME_SIZE) {
		if (mmio_read32(frame + GICR_TYPER + 4) == want)
			return frame;
		if (mmio_read32(frame + GICR_TYPER) & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

static void bare_dist_init(u64 gicd)
{
	mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	while (mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		cpu_relax();
}

static void bare_redist_init(u64 rd)
{
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		cpu_relax();
	mmio_write32(rd + GICR_IGROUPR0, 0xffffffff);
}

void gicv3_init_cpu(void)
{
	unsigned int cpu = this_cpu_index();
	u64 rd;

	write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
	isb();
	if (inmate_is_bare() && cpu == 0)
		bare_dist_init(comm_gicd_base());

	rd = find_redist();
	if (!rd) {
		printk("gic: no redistributor for MPIDR 0x%llx under 0x%llx\n",
		       this_mpidr(), comm_gicr_base());
		return;
	}
	redist[cpu] = rd;
	if (inmate_is_bare())
		bare_redist_init(rd);

	/*
	 * EOImode 0: our EOIR write also deactivates. The virtual interface
	 * may have inherited split mode from Linux, which would leave each
	 * interrupt active forever with this library.
	 */
	write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE);
	write_sysreg(ICC_PMR_EL1, 0xf0);
	write_sysreg(ICC_BPR1_EL1, 0);
	write_sysreg(ICC_IGRPEN1_EL1, 1);
	isb();
	gicv3_enable_ppi(TIMER_VIRT_PPI, TIMER_PRIO);
	ready[cpu] = true;
}

void gicv3_enable_ppi(unsigned int intid, u8 prio)
{
	u64 rd = gicv3_redist_base();

	if (!rd || intid >= 32)
		return;
	mmio_write8(rd + GICR_IPRIORITYR + intid, prio);
	mmio_write32(rd + GICR_ISENABLER0, 1U << intid);
}

void gicv3_enable_spi(unsigned int intid, u8 prio)
{
	u64 gicd = comm_gicd_base();

	if (intid < 32 || intid >= 1020)
		return;
	mmio_write8(gicd + GICD_IPRIORITYR + intid, prio);
	mmio_write64(gicd + GICD_IROUTER + 8 * intid, this_mpidr());
	mmio_write32(gicd + GICD_ISENABLER + 4 * (intid / 32), 1U << (intid % 32));
}

void gicv3_send_sgi(u64 mpidr, unsigned int sgi)
{
	u64 aff0 = mpidr & 0xff;
	u64 v = ((mpidr >> 32) & 0xff) << 48 |		/* Aff3 */
		((mpidr >> 16) & 0xff) << 32 |		/* Aff2 */
		((mpidr >> 8) & 0xff) << 16 |		/* Aff1 */
		(aff0 >> 4) << 44 |			/* RS: which 16 of Aff0 */
		(u64)(sgi & 0xf) << 24 |
		1ULL << (aff0 & 0xf);			/* target list */

	dsb(sy);
	write_sysreg(ICC_SGI1R_EL1, v);
	isb();
}

/*
 * One line with everything that decides whether the timer interrupt reaches
 * us, for when it does not: timer state, pending state as the CPU sees it
 * (ISR_EL1.I, the highest pending INTID), the redistributor's view of PPI
 * 27, and the CPU interface's masks.
 */
void gicv3_timer_report(const char *who)
{
	u64 rd = gicv3_redist_base();
	u32 en = 0, pend = 0, act = 0;
	u8 prio = 0;

	if (rd) {
		en = mmio_read32(rd + GICR_ISENABLER0);
		pend = mmio_read32(rd + GICR_ISPENDR0);
		act = mmio_read32(rd + GICR_ISACTIVER0);
		prio = mmio_read8(rd + GICR_IPRIORITYR + TIMER_VIRT_PPI);
	}
	printk("%s: CPU 0x%llx: CNTV_CTL 0x%llx CVAL-CNT %lld ISR_EL1 0x%llx HPPIR1 0x%llx "
	       "PMR 0x%llx IGRPEN1 0x%llx CTLR 0x%llx GICR 0x%llx ISENABLER0 0x%x "
	       "ISPENDR0 0x%x ISACTIVER0 0x%x PRIO27 0x%x\n", who, this_mpidr(),
	       read_sysreg(cntv_ctl_el0),
	       (long long)(read_sysreg(cntv_cval_el0) - read_sysreg(cntvct_el0)),
	       read_sysreg(isr_el1), read_sysreg(ICC_HPPIR1_EL1),
	       read_sysreg(ICC_PMR_EL1), read_sysreg(ICC_IGRPEN1_EL1),
	       read_sysreg(ICC_CTLR_EL1), rd, en, pend, act, prio);
}
