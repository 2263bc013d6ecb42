/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GIC demo that finds its hardware the way Jailhouse inmates do, to check
 * that such inmates run unchanged (issue 11): it takes no help from the
 * inmate library's GIC code. From the comm region's gicr_base it walks the
 * redistributor frames, checking each frame's GICR_PIDR2 (architecture
 * revision in bits [7:4]: 3 or 4) and comparing GICR_TYPER's affinity with
 * its own MPIDR, until TYPER.Last; on its own frame it enables the virtual
 * timer PPI, then takes count=N (default 5) timer interrupts, period=US
 * apart (default 10000), and prints each.
 *
 *   warden cell load attack jh-gic-demo.bin -s "count=5" -a 0x1000
 *
 * On a GICv2 (the comm region's gic_version, as Jailhouse's gic-demo picks
 * its driver) it checks the distributor's GICD_PIDR2 (revision 2), enables
 * the timer PPI through the banked distributor registers and sets up the CPU
 * interface at the comm region's gicc_base (the virtual one under Warden).
 *
 * Output: "jh-gic-demo: redistributor of MPIDR 0x2 is frame 2 at 0x..." (or
 * "jh-gic-demo: GICv2 ..."), "jh-gic-demo: timer interrupt 1" ...,
 * "jh-gic-demo: done, 5 interrupts".
 */
#include <inmate.h>

#define GICR_PIDR2		0xffe8
#define GICR_TYPER_VLPIS	(1ULL << 1)
#define GICR_TYPER_LAST		(1ULL << 4)
#define GICR_ISENABLER0_OFF	(0x10000 + 0x0100)
#define GICR_IPRIORITYR_OFF	(0x10000 + 0x0400)
#define ICC_CTLR_EOIMODE	(1U << 1)

#define GICD_PIDR2_V2		0xfe8
#define GICD_ISENABLER0_OFF	0x100
#define GICD_IPRIORITYR_OFF	0x400
#define GICC_CTLR_OFF		0x000
#define GICC_PMR_OFF		0x004

static volatile unsigned int ticks;
static u64 period;

static u64 find_my_frame(void)
{
	u64 mpidr = this_mpidr();
	u64 want = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
	u64 frame = comm_gicr_base();
	unsigned int n;

	for (n = 0; n < 64; n++) {
		u32 pidr2 = mmio_read32(frame + GICR_PIDR2);
		unsigned int rev = (pidr2 >> 4) & 0xf;
		u64 typer;

		if (rev != 3 && rev != 4) {
			printk("jh-gic-demo: frame %u at 0x%llx: PIDR2 0x%x is not a GICv3/v4 redistributor\n",
			       n, frame, pidr2);
			return 0;
		}
		typer = mmio_read64(frame + GICR_TYPER);
		if ((typer >> 32) == want) {
			printk("jh-gic-demo: redistributor of MPIDR 0x%llx is frame %u at 0x%llx (PIDR2 0x%x)\n",
			       mpidr, n, frame, pidr2);
			return frame;
		}
		if (typer & GICR_TYPER_LAST)
			break;
		frame += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
	printk("jh-gic-demo: no redistributor for MPIDR 0x%llx\n", mpidr);
	return 0;
}

/* GICv2: the timer PPI in the banked distributor registers, then the CPU interface. */
static bool gicv2_setup(void)
{
	u64 gicd = comm_gicd_base(), gicc = comm_gicc_base();
	u32 pidr2 = mmio_read32(gicd + GICD_PIDR2_V2);

	if (((pidr2 >> 4) & 0xf) != 2 || !gicc) {
		printk("jh-gic-demo: GICD_PIDR2 0x%x, gicc_base 0x%llx: not a GICv2 with a CPU interface\n",
		       pidr2, gicc);
		return false;
	}
	printk("jh-gic-demo: GICv2, distributor at 0x%llx (PIDR2 0x%x), CPU interface at 0x%llx\n",
	       gicd, pidr2, gicc);
	mmio_write8(gicd + GICD_IPRIORITYR_OFF + TIMER_VIRT_PPI, 0xa0);
	mmio_write32(gicd + GICD_ISENABLER0_OFF, 1U << TIMER_VIRT_PPI);
	mmio_write32(gicc + GICC_PMR_OFF, 0xf0);
	mmio_write32(gicc + GICC_CTLR_OFF, 1);	/* enable, EOImode 0 */
	return true;
}

static void on_irq(unsigned int intid, u64 entry_ticks __unused)
{
	if (intid != TIMER_VIRT_PPI)
		return;
	ticks++;
	printk("jh-gic-demo: timer interrupt %u\n", ticks);
	timer_arm_at(timer_ticks() + period);
}

int main(void)
{
	unsigned int count = cmdline_get_u64("count", 5);
	u64 frame;

	period = us_to_ticks(cmdline_get_u64("period", 10000));
	/* After the hypervisor's lines about starting us (one console). */
	delay_us(200000);
	if (comm_gic_version() == 2) {
		if (!gicv2_setup())
			return 0;
	} else {
		frame = find_my_frame();
		if (!frame)
			return 0;
		write_sysreg(ICC_SRE_EL1, read_sysreg(ICC_SRE_EL1) | 1);
		isb();
		write_sysreg(ICC_CTLR_EL1, read_sysreg(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE);
		write_sysreg(ICC_PMR_EL1, 0xf0);
		write_sysreg(ICC_IGRPEN1_EL1, 1);
		isb();
		mmio_write8(frame + GICR_IPRIORITYR_OFF + TIMER_VIRT_PPI, 0xa0);
		mmio_write32(frame + GICR_ISENABLER0_OFF, 1U << TIMER_VIRT_PPI);
	}
	irq_set_handler(on_irq);
	timer_arm_at(timer_ticks() + period);
	irq_enable();
	while (ticks < count) {
		wfi();
		comm_region_poll();
	}
	irq_disable();
	timer_stop();
	printk("jh-gic-demo: done, %u interrupts\n", ticks);
	return 0;
}
