/*
 * GICv2 CPU interfaces. The hypervisor takes interrupts at EL2 through the
 * physical CPU interface (GICC, EOImode 1: EOIR drops the priority, DIR
 * deactivates) and hands them to the running cell through the list registers
 * of the virtual interface control (GICH). Every guest gets the virtual CPU
 * interface (GICV) mapped at its GICC address in stage 2, so it acknowledges
 * and completes its interrupts without exits. Hardware interrupts are listed
 * with the HW bit: the guest's deactivation deactivates the physical one.
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

#define VIRQ_PRIORITY		0xa0U
#define QUEUED_HW		(1U << 31)
#define QUEUED_SRC_SHIFT	16		/* an SGI's source CPU interface */

static u8 *gicc;
static u8 *gich;
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

static u64 read_elrsr(const struct arch_cpu *a)
{
	u64 e = rd(gich, GICH_ELRSR0);

	if (a->num_lrs > 32)
		e |= (u64)rd(gich, GICH_ELRSR1) << 32;
	return e & a->lr_mask;
}

static u32 make_lr(unsigned int irq, bool hw, unsigned int src)
{
	u32 lr = GICH_LR_PENDING | (VIRQ_PRIORITY >> 3) << GICH_LR_PRIO_SHIFT | irq;

	if (hw)
		lr |= GICH_LR_HW | irq << GICH_LR_PID_SHIFT;
	else if (irq < 16)
		lr |= (src & 7) << GICH_LR_CPUID_SHIFT;
	return lr;
}

/* Put @irq into a list register; false when all are in use. */
static bool lr_insert(struct per_cpu *pc, unsigned int irq, bool hw, unsigned int src)
{
	u64 elrsr = read_elrsr(&pc->arch);
	u64 busy = ~elrsr & pc->arch.lr_mask;

	/* The same virtual INTID must never be in two list registers. */
	while (busy) {
		unsigned int n = __builtin_ctzll(busy);
		u32 lr;

		busy &= busy - 1;
		lr = rd(gich, GICH_LR0 + 4 * n);
		if ((lr & GICH_LR_VID_MASK) != irq)
			continue;
		if (!hw && !(lr & GICH_LR_PENDING))
			wr(gich, GICH_LR0 + 4 * n, lr | GICH_LR_PENDING);
		return true;
	}
	if (!elrsr)
		return false;
	wr(gich, GICH_LR0 + 4 * __builtin_ctzll(elrsr), make_lr(irq, hw, src));
	return true;
}

/* A virtual SGI already waiting (listed pending, or queued) coalesces with a new one. */
static bool sgi_already_waiting(struct per_cpu *pc, unsigned int irq)
{
	struct arch_cpu *a = &pc->arch;
	u64 busy = ~read_elrsr(a) & a->lr_mask;
	unsigned int n;

	while (busy) {
		u32 lr = rd(gich, GICH_LR0 + 4 * __builtin_ctzll(busy));

		busy &= busy - 1;
		if ((lr & GICH_LR_VID_MASK) == irq && (lr & GICH_LR_PENDING))
			return true;
	}
	for (n = 0; n < a->irq_queue_len; n++)
		if ((a->irq_queue[(a->irq_queue_head + n) % IRQ_QUEUE_LEN] & 0x3ff) == irq)
			return true;
	return false;
}

static void inject(struct per_cpu *pc, unsigned int irq, bool hw, unsigned int src)
{
	struct arch_cpu *a = &pc->arch;

	if (a->irq_queue_len == 0 && lr_insert(pc, irq, hw, src))
		return;
	if (!hw && sgi_already_waiting(pc, irq))
		return;
	if (a->irq_queue_len == IRQ_QUEUE_LEN) {
		printk("CPU %u: virtual interrupt queue full, dropping %u\n",
		       pc->cpu_id, irq);
		if (hw)
			wr(gicc, GICC_DIR, irq);
		return;
	}
	a->irq_queue[(a->irq_queue_head + a->irq_queue_len) % IRQ_QUEUE_LEN] =
		irq | (hw ? QUEUED_HW : (src & 7) << QUEUED_SRC_SHIFT);
	a->irq_queue_len++;
	/* A maintenance interrupt when the list registers drain. */
	wr(gich, GICH_HCR, rd(gich, GICH_HCR) | GICH_HCR_UIE);
}

static void refill_from_queue(struct per_cpu *pc)
{
	struct arch_cpu *a = &pc->arch;

	while (a->irq_queue_len) {
		u32 e = a->irq_queue[a->irq_queue_head];

		if (!lr_insert(pc, e & 0x3ff, e & QUEUED_HW, (e >> QUEUED_SRC_SHIFT) & 7))
			return;
		a->irq_queue_head = (a->irq_queue_head + 1) % IRQ_QUEUE_LEN;
		a->irq_queue_len--;
	}
	wr(gich, GICH_HCR, rd(gich, GICH_HCR) & ~GICH_HCR_UIE);
}

/* Handle @iar (acknowledged by the caller), then every other pending interrupt. */
void gicv2_handle_iar(struct per_cpu *pc, u32 iar)
{
	for (;; iar = rd(gicc, GICC_IAR)) {
		unsigned int irq = iar & 0x3ff;

		if (irq >= 1020)
			break;
		if (irq < 16) {
			/* SGIs are purely virtual for the guest: done here. */
			wr(gicc, GICC_EOIR, iar);
			wr(gicc, GICC_DIR, iar);
			if (irq == SGI_EVENT) {
				irqchip_host->event(pc);
				continue;
			}
			cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_VSGI);
			inject(pc, irq, false, (iar >> 10) & 7);
		} else if (irq == gicv2_maint_irq) {
			wr(gicc, GICC_EOIR, iar);
			wr(gicc, GICC_DIR, iar);
			cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_MAINTENANCE);
			refill_from_queue(pc);
		} else {
			/* Priority drop only; the guest deactivates (HW bit). */
			wr(gicc, GICC_EOIR, iar);
			cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_VIRQ);
			if (irq >= 32 && !cell_owns_irq(pc->cell, irq)) {
				printk("CPU %u: interrupt %u not owned by cell '%s', dropped\n",
				       pc->cpu_id, irq, pc->cell->config->name);
				wr(gicc, GICC_DIR, iar);
				continue;
			}
			inject(pc, irq, true, 0);
		}
	}
}

void gicv2_handle_irq(struct per_cpu *pc)
{
	gicv2_handle_iar(pc, rd(gicc, GICC_IAR));
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
			inject(pc, sgi, false, __builtin_ctz(self | 0x100) & 7);
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
	err = arch_map_device(arm->gicc_base, GICV2_GICC_SIZE, (void **)&gicc);
	if (!err)
		err = arch_map_device(arm->gich_base, GICV2_GICH_SIZE, (void **)&gich);
	if (!err)
		gicv2_fast_init(arm->gicd_base, gicc, gich);
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
	u32 ctlr = rd(gicc, GICC_CTLR), vmcr;
	unsigned int n;

	cpu_target[pc->cpu_id] = own_target();
	if (!cpu_target[pc->cpu_id])
		printk("CPU %u: the GIC reports no CPU interface number; SGIs to it are lost\n",
		       pc->cpu_id);
	pc->arch.num_lrs = (rd(gich, GICH_VTR) & 0x3f) + 1;
	pc->arch.lr_mask = pc->arch.num_lrs >= 64 ? ~0ULL :
			   (1ULL << pc->arch.num_lrs) - 1;

	/* Carry the CPU interface state Linux programmed over to the virtual one. */
	vmcr = (rd(gicc, GICC_PMR) >> 3 & 0x1f) << GICH_VMCR_PMR_SHIFT |
	       (rd(gicc, GICC_BPR) & 7) << GICH_VMCR_BP_SHIFT |
	       (rd(gicc, GICC_ABPR) & 7) << GICH_VMCR_ABP_SHIFT |
	       ((ctlr & GICC_CTLR_EOIMODE) ? GICH_VMCR_VEM : 0) |
	       ((ctlr & GICC_CTLR_CBPR) ? GICH_VMCR_CBPR : 0) |
	       ((ctlr & GICC_CTLR_ENABLE0) ? GICH_VMCR_GRP0EN : 0);
	wr(gich, GICH_VMCR, vmcr);
	for (n = 0; n < pc->arch.num_lrs; n++)
		wr(gich, GICH_LR0 + 4 * n, 0);
	wr(gich, GICH_APR, 0);
	pc->arch.irq_queue_head = pc->arch.irq_queue_len = 0;
	wr(gich, GICH_HCR, GICH_HCR_EN);

	/* EL2 drops priority, the guest deactivates. */
	wr(gicc, GICC_CTLR, ctlr | GICC_CTLR_EOIMODE);
	gicv2_private_setup(true);
	return 0;
}

/* Give a pending virtual interrupt back to the physical GIC, for Linux. */
static void hand_back(unsigned int irq, bool hw)
{
	if (hw) {
		mmio_write(gicv2_gicd + GICV2D_ISPENDR + irq / 32 * 4, 4, 1U << (irq % 32));
		wr(gicc, GICC_DIR, irq);
	} else if (irq < 16) {
		/* To this CPU itself (target list filter 2). */
		wr(gicv2_gicd, GICV2D_SGIR, 2U << SGIR_FILTER_SHIFT | irq);
	}
}

static void drain_virtual_state(struct per_cpu *pc, bool hand_to_linux)
{
	struct arch_cpu *a = &pc->arch;
	u64 elrsr = read_elrsr(a);
	unsigned int n;

	for (n = 0; n < a->num_lrs; n++) {
		u32 lr = rd(gich, GICH_LR0 + 4 * n);

		wr(gich, GICH_LR0 + 4 * n, 0);
		if ((elrsr >> n) & 1)
			continue;
		if (lr & GICH_LR_HW) {
			unsigned int irq = (lr & GICH_LR_PID_MASK) >> GICH_LR_PID_SHIFT;

			/*
			 * Linux, staying, deactivates what it acknowledged
			 * itself; a vCPU being parked or reset never will.
			 */
			if ((lr & GICH_LR_STATE_MASK) == GICH_LR_PENDING) {
				if (hand_to_linux)
					hand_back(irq, true);
				else
					wr(gicc, GICC_DIR, irq);
			} else if (!hand_to_linux) {
				wr(gicc, GICC_DIR, irq);
			}
		} else if ((lr & GICH_LR_PENDING) && hand_to_linux) {
			hand_back(lr & GICH_LR_VID_MASK, false);
		}
	}
	while (a->irq_queue_len) {
		u32 e = a->irq_queue[a->irq_queue_head];

		if (hand_to_linux)
			hand_back(e & 0x3ff, e & QUEUED_HW);
		else if (e & QUEUED_HW)
			wr(gicc, GICC_DIR, e & 0x3ff);
		a->irq_queue_head = (a->irq_queue_head + 1) % IRQ_QUEUE_LEN;
		a->irq_queue_len--;
	}
	wr(gich, GICH_APR, 0);
}

static void reset_cpu_interface(struct per_cpu *pc)
{
	drain_virtual_state(pc, false);
	wr(gich, GICH_HCR, GICH_HCR_EN);
}

/* A fresh vCPU: group 0 off, everything masked, EOImode 0. */
static void gicv2_vcpu_reset(struct per_cpu *pc)
{
	reset_cpu_interface(pc);
	wr(gich, GICH_VMCR, 0);
}

static void gicv2_park_prepare(struct per_cpu *pc)
{
	reset_cpu_interface(pc);
	gicv2_private_reset();
	gicv2_private_setup(true);
}

static void gicv2_cpu_exit(struct per_cpu *pc)
{
	u32 vmcr = rd(gich, GICH_VMCR);
	u32 ctlr = rd(gicc, GICC_CTLR) & ~(GICC_CTLR_EOIMODE | GICC_CTLR_CBPR |
					     GICC_CTLR_ENABLE0);

	drain_virtual_state(pc, true);
	wr(gich, GICH_HCR, 0);
	/* Linux continues with what it last programmed into the virtual interface. */
	wr(gicc, GICC_PMR, (vmcr >> GICH_VMCR_PMR_SHIFT & 0x1f) << 3);
	wr(gicc, GICC_BPR, vmcr >> GICH_VMCR_BP_SHIFT & 7);
	if (vmcr & GICH_VMCR_VEM)
		ctlr |= GICC_CTLR_EOIMODE;
	if (vmcr & GICH_VMCR_CBPR)
		ctlr |= GICC_CTLR_CBPR;
	if (vmcr & GICH_VMCR_GRP0EN)
		ctlr |= GICC_CTLR_ENABLE0;
	wr(gicc, GICC_CTLR, ctlr);
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
