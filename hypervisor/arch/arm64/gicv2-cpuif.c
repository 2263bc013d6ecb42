/*
 * GICv2 CPU interfaces. The hypervisor takes interrupts at EL2 through the
 * physical CPU interface (GICC, EOImode 1: EOIR drops the priority, DIR
 * deactivates) and hands them to the running cell through the list registers
 * of the virtual interface control (GICH). Every guest gets the virtual CPU
 * interface (GICV) mapped at its GICC address in stage 2, so it acknowledges
 * and completes its interrupts without exits. Hardware interrupts are listed
 * with the HW bit: the guest's deactivation deactivates the physical one.
 * The list registers' queue and what an acknowledged interrupt becomes are
 * gic-vcpu.c's (both GICs).
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/paging.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/errno.h>
#include <asm/sysregs.h>
#include <asm/gicv2-fast.h>
#include "gicv2-regs.h"
#include "gic-vcpu.h"

/* The physical CPU interface and the virtual interface control (also gic-vcpu.c's). */
u8 *gicv2_gicc;
u8 *gicv2_gich;
/* Each CPU's GIC CPU interface as a target mask, read from its banked ITARGETSR0. */
static u8 cpu_target[CONFIG_WD_MAX_CPUS];

static u32 rd(u8 *base, unsigned int off)
{
	return mmio_read(base + off, 4);
}

static void wr(u8 *base, unsigned int off, u32 v)
{
	mmio_write(base + off, 4, v);
}

u8 gicv2_cpu_target(unsigned int cpu)
{
	return cpu < CONFIG_WD_MAX_CPUS ? cpu_target[cpu] : 0;
}

/* Handle @iar (acknowledged by the caller), then every other pending interrupt. */
void gicv2_handle_iar(struct per_cpu *pc, u32 iar)
{
	for (; (iar & 0x3ff) < 1020; iar = rd(gicv2_gicc, GICC_IAR))
		gic_take_irq(pc, iar, iar & 0x3ff, gicv2_maint_irq, (iar >> 10) & 7);
}

void gicv2_handle_irq(struct per_cpu *pc)
{
	gicv2_handle_iar(pc, rd(gicv2_gicc, GICC_IAR));
}

static void send_sgi(u8 targets, unsigned int sgi)
{
	dsb(ish);
	wr(gicv2_gicd, GICV2D_SGIR, (u32)targets << SGIR_TARGETS_SHIFT | sgi);
}

/*
 * A guest's GICD_SGIR: delivered only to CPUs of the sender's cell, named by
 * their GIC CPU interface bits (which the guest reads from its banked
 * ITARGETSR0-7). To itself it is injected directly, to others it travels as
 * a physical SGI that the target CPU's hypervisor injects.
 */
void gicv2_sgir_write(struct per_cpu *pc, u32 value)
{
	unsigned int sgi = value & SGIR_INTID_MASK, filter = (value >> SGIR_FILTER_SHIFT) & 3;
	u8 list = value >> SGIR_TARGETS_SHIFT, self = cpu_target[pc->cpu_id];
	unsigned int cpu;

	if (sgi == SGI_EVENT || filter == 3)
		return;
	for_each_cpu_in_cell(cpu, pc->cell) {
		struct per_cpu *target = per_cpu(cpu);
		bool hit;

		if (!target->initialized || !cpu_target[cpu])
			continue;
		if (filter == 1)
			hit = target != pc;
		else if (filter == 2)
			hit = target == pc;
		else
			hit = list & cpu_target[cpu];
		if (!hit)
			continue;
		if (target == pc) {
			cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_VSGI);
			gic_inject(pc, sgi, false, __builtin_ctz(self | 0x100) & 7);
		} else {
			send_sgi(cpu_target[cpu], sgi);
		}
	}
}

static void send_event(struct per_cpu *target)
{
	send_sgi(cpu_target[target->cpu_id], SGI_EVENT);
	isb();
}

static int gicv2_init(void)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	int err = gicv2_dist_init();

	if (err)
		return err;
	err = arch_map_device(arm->gicc_base, GICV2_GICC_SIZE, (void **)&gicv2_gicc);
	if (!err)
		err = arch_map_device(arm->gich_base, GICV2_GICH_SIZE, (void **)&gicv2_gich);
	if (!err)
		gicv2_fast_init(arm->gicd_base, gicv2_gicc, gicv2_gich);
	return err;
}

/*
 * The distributor's emulation, and the virtual CPU interface in place of the
 * CPU interface: a guest's GICC accesses go to GICV without exits.
 */
static int gicv2_cell_init(struct cell *cell)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	int err = gicv2_dist_cell_init(cell);

	if (err)
		return err;
	return paging_map(&cell->stage2, arm->gicc_base, arm->gicv_base,
			  GICV2_GICC_SIZE, PAGE_RW | PAGE_DEVICE, false);
}

static u8 own_target(void)
{
	unsigned int n;
	u8 mask = 0;

	/* ITARGETSR0-7 read as this CPU's own bit (banked, read-only). */
	for (n = 0; n < 32; n += 4)
		mask |= mmio_read(gicv2_gicd + GICV2D_ITARGETSR + n, 4) & 0xff;
	return mask;
}

static int gicv2_cpu_init(struct per_cpu *pc)
{
	u32 ctlr = rd(gicv2_gicc, GICC_CTLR), vmcr;
	unsigned int n;

	cpu_target[pc->cpu_id] = own_target();
	if (!cpu_target[pc->cpu_id])
		printk("CPU %u: the GIC reports no CPU interface number; SGIs to it are lost\n",
		       pc->cpu_id);
	pc->arch.num_lrs = (rd(gicv2_gich, GICH_VTR) & 0x3f) + 1;
	pc->arch.lr_mask = pc->arch.num_lrs >= 64 ? ~0ULL :
			   (1ULL << pc->arch.num_lrs) - 1;

	/* Carry the CPU interface state Linux programmed over to the virtual one. */
	vmcr = (rd(gicv2_gicc, GICC_PMR) >> 3 & 0x1f) << GICH_VMCR_PMR_SHIFT |
	       (rd(gicv2_gicc, GICC_BPR) & 7) << GICH_VMCR_BP_SHIFT |
	       (rd(gicv2_gicc, GICC_ABPR) & 7) << GICH_VMCR_ABP_SHIFT |
	       ((ctlr & GICC_CTLR_EOIMODE) ? GICH_VMCR_VEM : 0) |
	       ((ctlr & GICC_CTLR_CBPR) ? GICH_VMCR_CBPR : 0) |
	       ((ctlr & GICC_CTLR_ENABLE0) ? GICH_VMCR_GRP0EN : 0);
	wr(gicv2_gich, GICH_VMCR, vmcr);
	for (n = 0; n < pc->arch.num_lrs; n++)
		wr(gicv2_gich, GICH_LR0 + 4 * n, 0);
	wr(gicv2_gich, GICH_APR, 0);
	pc->arch.irq_queue_head = pc->arch.irq_queue_len = 0;
	wr(gicv2_gich, GICH_HCR, GICH_HCR_EN);

	/* EL2 drops priority, the guest deactivates. */
	wr(gicv2_gicc, GICC_CTLR, ctlr | GICC_CTLR_EOIMODE);
	gicv2_private_setup(true);
	return 0;
}

/* Give a pending virtual interrupt back to the physical GIC, for Linux. */
void gicv2_hand_back(unsigned int irq, bool hw)
{
	if (hw) {
		mmio_write(gicv2_gicd + GICV2D_ISPENDR + irq / 32 * 4, 4, 1U << (irq % 32));
		wr(gicv2_gicc, GICC_DIR, irq);
	} else if (irq < 16) {
		/* To this CPU itself (target list filter 2). */
		wr(gicv2_gicd, GICV2D_SGIR, 2U << SGIR_FILTER_SHIFT | irq);
	}
}

static void reset_cpu_interface(struct per_cpu *pc)
{
	gic_drain(pc, false);
	wr(gicv2_gich, GICH_HCR, GICH_HCR_EN);
}

/* A fresh vCPU: group 0 off, everything masked, EOImode 0. */
static void gicv2_vcpu_reset(struct per_cpu *pc)
{
	reset_cpu_interface(pc);
	wr(gicv2_gich, GICH_VMCR, 0);
}

static void gicv2_park_prepare(struct per_cpu *pc)
{
	reset_cpu_interface(pc);
	gicv2_private_reset();
	gicv2_private_setup(true);
}

static void gicv2_cpu_exit(struct per_cpu *pc)
{
	u32 vmcr = rd(gicv2_gich, GICH_VMCR);
	u32 ctlr = rd(gicv2_gicc, GICC_CTLR) & ~(GICC_CTLR_EOIMODE | GICC_CTLR_CBPR |
					     GICC_CTLR_ENABLE0);

	gic_drain(pc, true);
	wr(gicv2_gich, GICH_HCR, 0);
	/* Linux continues with what it last programmed into the virtual interface. */
	wr(gicv2_gicc, GICC_PMR, (vmcr >> GICH_VMCR_PMR_SHIFT & 0x1f) << 3);
	wr(gicv2_gicc, GICC_BPR, vmcr >> GICH_VMCR_BP_SHIFT & 7);
	if (vmcr & GICH_VMCR_VEM)
		ctlr |= GICC_CTLR_EOIMODE;
	if (vmcr & GICH_VMCR_CBPR)
		ctlr |= GICC_CTLR_CBPR;
	if (vmcr & GICH_VMCR_GRP0EN)
		ctlr |= GICC_CTLR_ENABLE0;
	wr(gicv2_gicc, GICC_CTLR, ctlr);
	gicv2_private_setup(false);
	isb();
}

const struct irqchip_ops gicv2_irqchip = {
	.name = "GICv2",
	.init = gicv2_init,
	.cell_init = gicv2_cell_init,
	.cpu_init = gicv2_cpu_init,
	.cpu_exit = gicv2_cpu_exit,
	.send_event = send_event,
	.vcpu_reset = gicv2_vcpu_reset,
	.park_prepare = gicv2_park_prepare,
	.irq_disable = gicv2_irq_disable,
	.irq_route = gicv2_irq_route,
	.irq_reset = gicv2_irq_reset,
};
