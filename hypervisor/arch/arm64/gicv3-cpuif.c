/*
 * GICv3 CPU interface: interrupts are taken at EL2 and handed to the running
 * cell through the list registers. Hardware interrupts are injected with the
 * HW bit, so the guest's deactivation deactivates the physical interrupt.
 * The queue behind the list registers and what an SGI, PPI or SPI becomes
 * are gic-vcpu.c's (both GICs); the LPIs, the system register interface
 * and the SGIs between CPUs are here.
 */
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/errno.h>
#include <asm/gicv3.h>
#include <asm/sysregs.h>
#include <asm/vits.h>
#include <asm/gicv3-its-virtdev.h>
#include <asm/cell-msi.h>
#include "gic-vcpu.h"

#define ICH_VMCR_VENG0		(1UL << 0)
#define ICH_VMCR_VENG1		(1UL << 1)
#define ICH_VMCR_VCBPR		(1UL << 4)
#define ICH_VMCR_VEOIM		(1UL << 9)
#define ICH_VMCR_VBPR1_SHIFT	18
#define ICH_VMCR_VBPR0_SHIFT	21
#define ICH_VMCR_VPMR_SHIFT	24

#define ICC_CTLR_CBPR		(1UL << 0)
#define ICC_CTLR_EOIMODE	(1UL << 1)


void gicv3_redist_set_pending(struct per_cpu *pc, unsigned int irq);
void gicv3_redist_cpu_setup(struct per_cpu *pc, bool enter);
int gicv3_find_redist(struct per_cpu *pc);
unsigned int gicv3_maintenance_irq(void);

u64 gicv3_read_lr(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(ich_lr0_el2);
	case 1: return read_sysreg(ich_lr1_el2);
	case 2: return read_sysreg(ich_lr2_el2);
	case 3: return read_sysreg(ich_lr3_el2);
	case 4: return read_sysreg(ich_lr4_el2);
	case 5: return read_sysreg(ich_lr5_el2);
	case 6: return read_sysreg(ich_lr6_el2);
	case 7: return read_sysreg(ich_lr7_el2);
	case 8: return read_sysreg(ich_lr8_el2);
	case 9: return read_sysreg(ich_lr9_el2);
	case 10: return read_sysreg(ich_lr10_el2);
	case 11: return read_sysreg(ich_lr11_el2);
	case 12: return read_sysreg(ich_lr12_el2);
	case 13: return read_sysreg(ich_lr13_el2);
	case 14: return read_sysreg(ich_lr14_el2);
	default: return read_sysreg(ich_lr15_el2);
	}
}

void gicv3_write_lr(unsigned int n, u64 v)
{
	switch (n) {
	case 0: write_sysreg(ich_lr0_el2, v); break;
	case 1: write_sysreg(ich_lr1_el2, v); break;
	case 2: write_sysreg(ich_lr2_el2, v); break;
	case 3: write_sysreg(ich_lr3_el2, v); break;
	case 4: write_sysreg(ich_lr4_el2, v); break;
	case 5: write_sysreg(ich_lr5_el2, v); break;
	case 6: write_sysreg(ich_lr6_el2, v); break;
	case 7: write_sysreg(ich_lr7_el2, v); break;
	case 8: write_sysreg(ich_lr8_el2, v); break;
	case 9: write_sysreg(ich_lr9_el2, v); break;
	case 10: write_sysreg(ich_lr10_el2, v); break;
	case 11: write_sysreg(ich_lr11_el2, v); break;
	case 12: write_sysreg(ich_lr12_el2, v); break;
	case 13: write_sysreg(ich_lr13_el2, v); break;
	case 14: write_sysreg(ich_lr14_el2, v); break;
	default: write_sysreg(ich_lr15_el2, v); break;
	}
}

/* A maintenance interrupt when the list registers drain: more vLPIs wait. */
void gicv3_vlpi_underflow(struct per_cpu *pc)
{
	write_sysreg(ich_hcr_el2, read_sysreg(ich_hcr_el2) | ICH_HCR_UIE);
}

#define GICR_TYPER		0x0008
#define GICR_TYPER_DIRECTLPI	(1ULL << 3)
#define GICR_SETLPIR		0x0040

/*
 * Make a root LPI pending again in @target's redistributor. Only a GIC with
 * direct LPI injection (GICR_TYPER.DirectLPI) has GICR_SETLPIR; without it
 * (QEMU's ITS, most GICs with an ITS) there is no architected way for EL2 to
 * do this: the MSI is lost, and said so.
 */
static void lpi_set_pending(struct per_cpu *target, unsigned int irq)
{
	u8 *frame = (u8 *)target->arch.gicr;

	if (*(volatile u64 *)(frame + GICR_TYPER) & GICR_TYPER_DIRECTLPI) {
		*(volatile u64 *)(frame + GICR_SETLPIR) = irq;
		return;
	}
	printk("CPU %u: LPI %u could not be handed back (no DirectLPI): an MSI of the root is lost\n",
	       this_cpu()->cpu_id, irq);
}

/*
 * A root LPI this CPU cannot deliver: it is offline in Linux (parked), or a
 * cell's now (Linux moved its MSIs away when it took the CPU offline; one may
 * still have been on its way). Pending again at a root CPU that runs.
 */
static void lpi_to_root(struct per_cpu *pc, unsigned int irq)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, &root_cell) {
		struct per_cpu *other = per_cpu(cpu);

		if (other != pc && other->initialized &&
		    other->run_state == CPU_RUNNING) {
			lpi_set_pending(other, irq);
			return;
		}
	}
	printk("CPU %u: LPI %u dropped: no root CPU runs\n", pc->cpu_id, irq);
}

/*
 * One acknowledged interrupt (@iar as ICC_IAR1_EL1 returned it); false when
 * there was none (a special INTID: nothing more pending).
 */
static bool handle_iar(struct per_cpu *pc, u64 iar, unsigned int maint)
{
	unsigned int irq = iar & 0xffffff;

	if (irq >= GIC_FIRST_LPI) {
		/*
		 * An LPI (the root's MSIs through the ITS): it has no
		 * active state, so the EOI completes it here; the root
		 * gets a virtual LPI of the same INTID, which its EOI
		 * retires (a vLPI in a list register is deactivated by
		 * the EOI whatever the EOI mode). Cells get none.
		 */
		write_sysreg(icc_eoir1_el1, iar);
		cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_VIRQ);
		/* A cell's MSI (cell-msi.c): to its vITS, never to the root. */
		if (cell_msi_lpi(irq))
			return true;
		if (pc->cell == &root_cell && pc->run_state == CPU_RUNNING)
			gic_inject(pc, irq, false, 0);
		else
			lpi_to_root(pc, irq);
		return true;
	}
	if (irq >= 1020)
		return false;
	gic_take_irq(pc, iar, irq, maint, 0);
	return true;
}

void gicv3_handle_irq(struct per_cpu *pc)
{
	unsigned int maint = gicv3_maintenance_irq();

	while (handle_iar(pc, read_sysreg(icc_iar1_el1), maint))
		;
}

/*
 * The interrupt exit after gicv3_fast_irq (gicv3-fast-irq.S) acknowledged
 * @iar and left it to the general path; full guest frame at @regs.
 */
void gicv3_handle_irq_acked(u64 iar, struct guest_regs *regs)
{
	struct per_cpu *pc = this_cpu();

	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_TOTAL);
	if (handle_iar(pc, iar, gicv3_maintenance_irq()))
		gicv3_handle_irq(pc);
}

int gicv3_cpu_init(struct per_cpu *pc)
{
	u64 ctlr, vmcr;
	unsigned int n;
	int err;

	err = gicv3_find_redist(pc);
	if (err)
		return err;
	pc->arch.num_lrs = (read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	pc->arch.lr_mask = (1UL << pc->arch.num_lrs) - 1;

	/* Carry the CPU interface state Linux programmed over to the virtual one. */
	ctlr = read_sysreg(icc_ctlr_el1);
	vmcr = (read_sysreg(icc_pmr_el1) & 0xff) << ICH_VMCR_VPMR_SHIFT |
	       (read_sysreg(icc_bpr1_el1) & 7) << ICH_VMCR_VBPR1_SHIFT |
	       (read_sysreg(icc_bpr0_el1) & 7) << ICH_VMCR_VBPR0_SHIFT |
	       ((ctlr & ICC_CTLR_EOIMODE) ? ICH_VMCR_VEOIM : 0) |
	       ((ctlr & ICC_CTLR_CBPR) ? ICH_VMCR_VCBPR : 0) |
	       ((read_sysreg(icc_igrpen1_el1) & 1) ? ICH_VMCR_VENG1 : 0);
	write_sysreg(ich_vmcr_el2, vmcr);
	for (n = 0; n < pc->arch.num_lrs; n++)
		gicv3_write_lr(n, 0);
	write_sysreg(ich_ap0r0_el2, 0);
	write_sysreg(ich_ap1r0_el2, 0);
	pc->arch.irq_queue_head = pc->arch.irq_queue_len = 0;
	write_sysreg(ich_hcr_el2, ICH_HCR_EN);

	/* EL2 drops priority, the guest deactivates. */
	write_sysreg(icc_ctlr_el1, ctlr | ICC_CTLR_EOIMODE);
	isb();
	gicv3_redist_cpu_setup(pc, true);
	return 0;
}

static u64 sgir_for(u64 mpidr, unsigned int sgi)
{
	return (u64)sgi << 24 | MPIDR_AFF3(mpidr) << 48 | MPIDR_AFF2(mpidr) << 32 |
	       MPIDR_AFF1(mpidr) << 16 | (1UL << (MPIDR_AFF0(mpidr) % 16)) |
	       (u64)(MPIDR_AFF0(mpidr) / 16) << 44;
}

/* Give pending virtual interrupts back to the physical GIC, for Linux. */
void gicv3_hand_back(struct per_cpu *pc, unsigned int irq, bool hw)
{
	if (irq >= GIC_FIRST_LPI) {
		/* A root MSI not yet taken: pending again, if the GIC can. */
		lpi_set_pending(pc, irq);
	} else if (hw) {
		gicv3_redist_set_pending(pc, irq);
		write_sysreg(icc_dir_el1, irq);
	} else {
		write_sysreg(icc_sgi1r_el1, sgir_for(pc->mpidr, irq));
	}
}

/*
 * The virtual CPU interface's active-priority registers: one of each group
 * with 5 priority bits, two with 6, four with 7 (ICH_VTR_EL2.PRIbits).
 */
void gicv3_clear_aprs(void)
{
	unsigned int pribits = ((read_sysreg(ich_vtr_el2) >> 29) & 7) + 1;

	write_sysreg(ich_ap0r0_el2, 0);
	write_sysreg(ich_ap1r0_el2, 0);
	if (pribits >= 6) {
		write_sysreg(ich_ap0r1_el2, 0);
		write_sysreg(ich_ap1r1_el2, 0);
	}
	if (pribits >= 7) {
		write_sysreg(ich_ap0r2_el2, 0);
		write_sysreg(ich_ap0r3_el2, 0);
		write_sysreg(ich_ap1r2_el2, 0);
		write_sysreg(ich_ap1r3_el2, 0);
	}
}

/*
 * An LPI pending for a vCPU being parked or reset (gic_drain()), @listed
 * in a list register or queued. Parking a root CPU: its MSIs go to another
 * one. A cell's are virtual LPIs of its vITS: pending again in the vCPU's
 * set, never the root's.
 */
void gicv3_lpi_parked(struct per_cpu *pc, unsigned int irq, bool listed)
{
	if (!listed)
		lpi_to_root(pc, irq);
	else if (pc->cell != &root_cell)
		vits_requeue(pc, irq);
	else if (!its_vdev_requeue(pc, irq))
		lpi_to_root(pc, irq);
}

void gicv3_reset_cpu_interface(struct per_cpu *pc)
{
	gic_drain(pc, false);
	write_sysreg(ich_hcr_el2, ICH_HCR_EN);
	isb();
}

/*
 * A vCPU starting afresh gets the virtual CPU interface as after reset: group 1
 * off, everything masked, EOImode 0; the guest programs it itself.
 */
void gicv3_vcpu_reset(struct per_cpu *pc)
{
	gicv3_reset_cpu_interface(pc);
	write_sysreg(ich_vmcr_el2, 0);
	isb();
}

void gicv3_cpu_exit(struct per_cpu *pc)
{
	u64 vmcr = read_sysreg(ich_vmcr_el2);
	u64 ctlr = read_sysreg(icc_ctlr_el1) & ~(ICC_CTLR_EOIMODE | ICC_CTLR_CBPR);

	gic_drain(pc, true);
	write_sysreg(ich_hcr_el2, 0);
	/* Linux continues with what it last programmed into the virtual interface. */
	write_sysreg(icc_pmr_el1, (vmcr >> ICH_VMCR_VPMR_SHIFT) & 0xff);
	write_sysreg(icc_bpr1_el1, (vmcr >> ICH_VMCR_VBPR1_SHIFT) & 7);
	if (vmcr & ICH_VMCR_VEOIM)
		ctlr |= ICC_CTLR_EOIMODE;
	if (vmcr & ICH_VMCR_VCBPR)
		ctlr |= ICC_CTLR_CBPR;
	write_sysreg(icc_ctlr_el1, ctlr);
	write_sysreg(icc_igrpen1_el1, (vmcr & ICH_VMCR_VENG1) ? 1 : 0);
	gicv3_redist_cpu_setup(pc, false);
	isb();
}

void gicv3_send_event(struct per_cpu *target)
{
	dsb(ish);
	write_sysreg(icc_sgi1r_el1, sgir_for(target->mpidr, SGI_EVENT));
	isb();
}

static bool sgir_targets(u64 value, u64 mpidr)
{
	unsigned int aff0 = MPIDR_AFF0(mpidr);

	if (((value >> 16) & 0xff) != MPIDR_AFF1(mpidr) ||
	    ((value >> 32) & 0xff) != MPIDR_AFF2(mpidr) ||
	    ((value >> 48) & 0xff) != MPIDR_AFF3(mpidr))
		return false;
	if (((value >> 44) & 0xf) != aff0 / 16)
		return false;
	return (value >> (aff0 % 16)) & 1;
}

/*
 * A guest's SGI: delivered only to CPUs of the sender's cell. To itself it is
 * injected directly, to others it travels as a physical SGI that the target
 * CPU's hypervisor injects.
 */
void gicv3_handle_sgir_write(struct per_cpu *pc, u64 value)
{
	unsigned int sgi = (value >> 24) & 0xf, cpu;
	bool broadcast = (value >> 40) & 1;

	if (sgi == SGI_EVENT)
		return;
	for_each_cpu_in_cell(cpu, pc->cell) {
		struct per_cpu *target = per_cpu(cpu);

		if (!target->initialized)
			continue;
		if (broadcast ? target == pc : !sgir_targets(value, target->mpidr))
			continue;
		if (target == pc) {
			cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_VSGI);
			gic_inject(pc, sgi, false, 0);
		} else {
			write_sysreg(icc_sgi1r_el1, sgir_for(target->mpidr, sgi));
		}
	}
	isb();
}
