/*
 * Virtual interrupts through the list registers, for both GICs (see
 * gic-vcpu.h): the queue behind them, the coalescing of virtual SGIs, and
 * what an acknowledged SGI, PPI or SPI becomes. Interrupts are taken at
 * EL2 and handed to the running cell; hardware interrupts are listed with
 * the HW bit, so that the guest's deactivation deactivates the physical
 * one. The two GICs differ only in how the registers are reached (GICv3:
 * system registers; GICv2: the GICC and GICH frames) and in the list
 * registers' encoding: the accessors below choose by irqchip_v2, a flag set
 * once at enable. The fast interrupt paths (gicv3-fast-irq.S,
 * gicv2-fast-irq.S) do not come here.
 */
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <asm/sysregs.h>
#include <asm/irqchip.h>
#include <asm/vits.h>
#include <asm/gicv3-its-virtdev.h>
#include "gicv2-regs.h"
#include "gic-vcpu.h"

#define VIRQ_PRIORITY		0xa0U

static bool v2(void)
{
	return __builtin_expect(irqchip_v2, 0);
}

/* The implemented list registers that are empty (ELRSR). */
static u64 empty_lrs(const struct arch_cpu *a)
{
	u64 e;

	if (!v2())
		return read_sysreg(ich_elrsr_el2) & a->lr_mask;
	e = mmio_read(gicv2_gich + GICH_ELRSR0, 4);
	if (a->num_lrs > 32)
		e |= mmio_read(gicv2_gich + GICH_ELRSR1, 4) << 32;
	return e & a->lr_mask;
}

static u64 read_lr(unsigned int n)
{
	return v2() ? mmio_read(gicv2_gich + GICH_LR0 + 4 * n, 4) : gicv3_read_lr(n);
}

static void write_lr(unsigned int n, u64 lr)
{
	if (v2())
		mmio_write(gicv2_gich + GICH_LR0 + 4 * n, 4, lr);
	else
		gicv3_write_lr(n, lr);
}

/* A list register's virtual INTID, and its pending bit. */
static unsigned int lr_vid(u64 lr)
{
	return v2() ? lr & GICH_LR_VID_MASK : lr & ICH_LR_VINTID_MASK;
}

static u64 lr_pending(void)
{
	return v2() ? GICH_LR_PENDING : ICH_LR_STATE_PENDING;
}

/*
 * Pending @irq of priority @prio, with the HW bit for a physical one
 * (GICv2 SGIs: their source).
 */
static u64 make_lr(unsigned int irq, bool hw, unsigned int src, u8 prio)
{
	u64 lr;

	if (!v2()) {
		lr = ICH_LR_STATE_PENDING | ICH_LR_GROUP1 |
		     ((u64)prio << ICH_LR_PRIO_SHIFT) | irq;
		if (hw)
			lr |= ICH_LR_HW | ((u64)irq << ICH_LR_PINTID_SHIFT);
		return lr;
	}
	lr = GICH_LR_PENDING | (prio >> 3) << GICH_LR_PRIO_SHIFT | irq;
	if (hw)
		lr |= GICH_LR_HW | irq << GICH_LR_PID_SHIFT;
	else if (irq < 16)
		lr |= (src & 7) << GICH_LR_CPUID_SHIFT;
	return lr;
}

/* The maintenance interrupt when the list registers drain: on or off. */
static void underflow(bool on)
{
	u64 hcr;

	if (v2()) {
		hcr = mmio_read(gicv2_gich + GICH_HCR, 4);
		mmio_write(gicv2_gich + GICH_HCR, 4,
			   on ? hcr | GICH_HCR_UIE : hcr & ~GICH_HCR_UIE);
		return;
	}
	hcr = read_sysreg(ich_hcr_el2);
	write_sysreg(ich_hcr_el2, on ? hcr | ICH_HCR_UIE : hcr & ~ICH_HCR_UIE);
}

/* Priority drop (EOIR) and deactivation (DIR) at the physical CPU interface. */
static void eoi(u32 iar)
{
	if (v2())
		mmio_write(gicv2_gicc + GICC_EOIR, 4, iar);
	else
		write_sysreg(icc_eoir1_el1, iar);
}

static void deactivate(u32 irq)
{
	if (v2())
		mmio_write(gicv2_gicc + GICC_DIR, 4, irq);
	else
		write_sysreg(icc_dir_el1, irq);
}

static void hand_back(struct per_cpu *pc, unsigned int irq, bool hw)
{
	if (v2())
		gicv2_hand_back(irq, hw);
	else
		gicv3_hand_back(pc, irq, hw);
}

/* A queue entry's INTID (GICv2: an SGI's entry also holds its source). */
static unsigned int queued_irq(u32 e)
{
	return v2() ? e & 0x3ff : e & ~QUEUED_HW;
}

/* Put @irq into a list register; false when all are in use. */
static bool lr_insert(struct per_cpu *pc, unsigned int irq, bool hw,
		      unsigned int src, u8 prio)
{
	u64 elrsr = empty_lrs(&pc->arch);
	u64 busy = ~elrsr & pc->arch.lr_mask;

	/*
	 * The same virtual INTID must never be in two list registers. Only the
	 * occupied ones are looked at: usually none.
	 */
	while (busy) {
		unsigned int n = __builtin_ctzll(busy);
		u64 lr;

		busy &= busy - 1;
		lr = read_lr(n);
		if (lr_vid(lr) != irq)
			continue;
		if (!hw && !(lr & lr_pending()))
			write_lr(n, lr | lr_pending());
		return true;
	}
	if (!elrsr)
		return false;
	write_lr(__builtin_ctzll(elrsr), make_lr(irq, hw, src, prio));
	return true;
}

/*
 * A cell's vLPI (vits.c, gicv3-its-virtdev.c) into a free list register:
 * HW = 0, group 1, the priority of its property byte (an LPI has no active
 * state: pending again is all there is). false: none free (the caller keeps
 * it pending and arms the underflow interrupt).
 */
bool gicv3_vlpi_insert(struct per_cpu *pc, unsigned int intid, u8 prio)
{
	return lr_insert(pc, intid, false, 0, prio);
}

/*
 * Is the virtual SGI @irq already waiting, in a list register (pending) or in
 * the queue? Another one is then the same interrupt: SGIs coalesce, like on
 * the physical GIC, so a flood cannot fill the queue.
 */
static bool sgi_already_waiting(struct per_cpu *pc, unsigned int irq)
{
	struct arch_cpu *a = &pc->arch;
	u64 busy = ~empty_lrs(a) & a->lr_mask;
	unsigned int n;

	while (busy) {
		u64 lr = read_lr(__builtin_ctzll(busy));

		busy &= busy - 1;
		if (lr_vid(lr) == irq && (lr & lr_pending()))
			return true;
	}
	for (n = 0; n < a->irq_queue_len; n++) {
		u32 e = a->irq_queue[(a->irq_queue_head + n) % IRQ_QUEUE_LEN];

		/* GICv3: the whole entry (a HW one is another interrupt). */
		if ((v2() ? e & 0x3ff : e) == irq)
			return true;
	}
	return false;
}

void gic_inject(struct per_cpu *pc, unsigned int irq, bool hw, unsigned int src)
{
	struct arch_cpu *a = &pc->arch;

	if (a->irq_queue_len == 0 && lr_insert(pc, irq, hw, src, VIRQ_PRIORITY))
		return;
	if (!hw && sgi_already_waiting(pc, irq))
		return;
	if (a->irq_queue_len == IRQ_QUEUE_LEN) {
		/* Cannot happen with one physical instance per INTID in flight. */
		printk("CPU %u: virtual interrupt queue full, dropping %u\n",
		       pc->cpu_id, irq);
		if (hw)
			deactivate(irq);
		return;
	}
	a->irq_queue[(a->irq_queue_head + a->irq_queue_len) % IRQ_QUEUE_LEN] =
		irq | (hw ? QUEUED_HW : (src & 7) << QUEUED_SRC_SHIFT);
	a->irq_queue_len++;
	/* Ask for a maintenance interrupt when the list registers drain. */
	underflow(true);
}

static void refill_from_queue(struct per_cpu *pc)
{
	struct arch_cpu *a = &pc->arch;

	while (a->irq_queue_len) {
		u32 e = a->irq_queue[a->irq_queue_head];

		if (!lr_insert(pc, queued_irq(e), e & QUEUED_HW,
			       (e >> QUEUED_SRC_SHIFT) & 7, VIRQ_PRIORITY))
			return;
		a->irq_queue_head = (a->irq_queue_head + 1) % IRQ_QUEUE_LEN;
		a->irq_queue_len--;
	}
	underflow(false);
}

/* GICv3: vLPIs another CPU made pending here, or that waited for a free list register. */
static void vlpi_kick(struct per_cpu *pc)
{
	if (!v2()) {
		vits_flush(pc);
		its_vdev_flush(pc);
	}
}

void gic_take_irq(struct per_cpu *pc, u32 iar, unsigned int irq,
		  unsigned int maint, unsigned int src)
{
	if (irq < 16) {
		/* SGIs are purely virtual for the guest: done here. */
		eoi(iar);
		deactivate(iar);
		if (irq == SGI_EVENT) {
			vlpi_kick(pc);
			irqchip_host->event(pc);
			return;
		}
		cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_VSGI);
		gic_inject(pc, irq, false, src);
	} else if (irq == maint) {
		eoi(iar);
		deactivate(iar);
		cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_MAINTENANCE);
		refill_from_queue(pc);
		vlpi_kick(pc);
	} else {
		/* Priority drop only; the guest deactivates (HW bit). */
		eoi(iar);
		cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_VIRQ);
		if (irq >= 32 && !cell_owns_irq(pc->cell, irq)) {
			printk("CPU %u: interrupt %u not owned by cell '%s', dropped\n",
			       pc->cpu_id, irq, pc->cell->config->name);
			deactivate(iar);
			return;
		}
		gic_inject(pc, irq, true, 0);
	}
}

void gic_drain(struct per_cpu *pc, bool hand_to_linux)
{
	struct arch_cpu *a = &pc->arch;
	u64 elrsr = empty_lrs(a);
	u64 hw_bit = v2() ? GICH_LR_HW : ICH_LR_HW;
	u64 active = v2() ? GICH_LR_ACTIVE : ICH_LR_STATE_ACTIVE;
	unsigned int n;

	for (n = 0; n < a->num_lrs; n++) {
		u64 lr = read_lr(n);
		unsigned int vid = lr_vid(lr);

		write_lr(n, 0);
		if ((elrsr >> n) & 1)
			continue;
		if (lr & hw_bit) {
			unsigned int irq = (lr >> (v2() ? GICH_LR_PID_SHIFT :
						       ICH_LR_PINTID_SHIFT)) & 0x3ff;

			if ((lr & (lr_pending() | active)) == lr_pending()) {
				if (hand_to_linux)
					hand_back(pc, irq, true);
				else
					deactivate(irq);
			} else if (!hand_to_linux) {
				deactivate(irq);
			}
		} else if ((lr & lr_pending()) && hand_to_linux) {
			hand_back(pc, vid, false);
		} else if ((lr & lr_pending()) && vid >= GIC_FIRST_LPI) {
			/* GICv3 only: a GICv2 INTID has 10 bits. */
			gicv3_lpi_parked(pc, vid, true);
		}
	}
	while (a->irq_queue_len) {
		u32 e = a->irq_queue[a->irq_queue_head];
		unsigned int irq = queued_irq(e);

		if (hand_to_linux)
			hand_back(pc, irq, e & QUEUED_HW);
		else if (irq >= GIC_FIRST_LPI && !(e & QUEUED_HW))
			gicv3_lpi_parked(pc, irq, false);
		else if (e & QUEUED_HW)
			deactivate(irq);
		a->irq_queue_head = (a->irq_queue_head + 1) % IRQ_QUEUE_LEN;
		a->irq_queue_len--;
	}
	if (v2())
		mmio_write(gicv2_gich + GICH_APR, 4, 0);
	else
		gicv3_clear_aprs();
}
