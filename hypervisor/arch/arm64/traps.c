/*
 * Exits from a cell: decode the exception syndrome and dispatch to the MMIO
 * emulation, the hypercall and PSCI handlers, or refuse the access.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/errno.h>
#include <asm/sysregs.h>
#include <asm/gicv3.h>
#include <asm/traps.h>
#include <asm/vcpu-state.h>
#include <wd/in-slot.h>

#define ESR_ELx_FSC_EXTABT	0x10

static IN_SLOT("skip_instruction") void skip_instruction(u64 esr)
{
	write_sysreg(elr_el2, read_sysreg(elr_el2) + ((esr & ESR_IL) ? 4 : 2));
}

/* What the root's EL1 gets for a refused access or an unhandled trap. */
enum inject {
	INJECT_UNDEF,		/* an undefined instruction */
	INJECT_DABT,		/* a synchronous external abort on a data access */
	INJECT_IABT,		/* ... on an instruction fetch */
};

/*
 * Deliver the exception to the guest's EL1 as the CPU would have: an
 * external abort as if the memory system had answered the access with an
 * error (Linux reports it, SIGBUS for a user access, and keeps running), or
 * an undefined instruction.
 */
static void inject_el1(enum inject kind)
{
	u64 spsr = read_sysreg(spsr_el2);
	u64 mode = spsr & SPSR_MODE_MASK;
	bool from_el0 = mode == SPSR_MODE_EL0t;
	u64 offset = spsr & SPSR_32BIT ? 0x600 :
		     from_el0 ? 0x400 :
		     mode == SPSR_MODE_EL1t ? 0x000 : 0x200;
	u64 esr = (EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL;

	if (kind != INJECT_UNDEF) {
		u64 ec = kind == INJECT_IABT ? EC_IABT_LOW : EC_DABT_LOW;

		/* The _CUR classes are the _LOW ones plus one. */
		esr = ((ec + !from_el0) << ESR_EC_SHIFT) | ESR_IL | ESR_ELx_FSC_EXTABT;
		write_sysreg(far_el1, read_sysreg(far_el2));
	}
	write_sysreg(esr_el1, esr);
	write_sysreg(elr_el1, read_sysreg(elr_el2));
	write_sysreg(spsr_el1, spsr);
	write_sysreg(elr_el2, read_sysreg(vbar_el1) + offset);
	write_sysreg(spsr_el2, SPSR_D | SPSR_A | SPSR_I | SPSR_F | SPSR_MODE_EL1h);
}

_Static_assert(EC_IABT_CUR == EC_IABT_LOW + 1 && EC_DABT_CUR == EC_DABT_LOW + 1,
	       "the exception classes of the current EL follow the lower EL's");

/* Any cell but the root is stopped for @why; the root is told and gets @kind. */
static void fail_or_inject(struct per_cpu *pc, const char *why, enum inject kind)
{
	if (pc->cell != &root_cell) {
		cell_fail(pc, why);
		return;
	}
	printk("cell '%s': CPU %u: %s\n", pc->cell->config->name, pc->cpu_id, why);
	inject_el1(kind);
}

/* A trap nobody handles: the root gets an undefined instruction, cells stop. */
static IN_SLOT("unhandled_trap") void unhandled_trap(struct per_cpu *pc, const char *what, u64 esr)
{
	char why[128];

	snprintf(why, sizeof(why), "%s (ESR 0x%llx, EC 0x%llx) at pc 0x%lx", what,
		 esr, ESR_EC(esr), read_sysreg(elr_el2));
	fail_or_inject(pc, why, INJECT_UNDEF);
}

/*
 * An access the cell's configuration does not allow. The root cell gets an
 * external abort and goes on; any other cell is stopped.
 */
static IN_SLOT("refuse_access") void refuse_access(struct per_cpu *pc, const char *what, u64 addr,
			  u64 esr, bool instruction)
{
	char why[128];

	snprintf(why, sizeof(why), "refused %s at 0x%llx (pc 0x%lx, ESR 0x%llx)",
		 what, addr, read_sysreg(elr_el2), esr);
	fail_or_inject(pc, why, instruction ? INJECT_IABT : INJECT_DABT);
}

static void handle_dabt(struct per_cpu *pc, struct guest_regs *regs, u64 esr)
{
	struct dabt_info info;
	enum mmio_result res;
	char what[48];

	dabt_decode(esr, read_sysreg(hpfar_el2), read_sysreg(far_el2), &info);
	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_MMIO);
	if (!info.valid || info.stage1_walk) {
		refuse_access(pc, info.stage1_walk ? MSG_TEXT("page-table walk") :
			      MSG_TEXT("undecodable access"), info.ipa, esr, false);
		return;
	}
	/* Misaligned and wrong-width accesses come back as MMIO_ERROR, untouched. */
	res = dabt_emulate(&pc->cell->mmio, &info, regs->x);
	if (res == MMIO_HANDLED) {
		skip_instruction(esr);
		return;
	}
	snprintf(what, sizeof(what), "%u-byte %s%s", info.size,
		 info.is_write ? "write" : "read",
		 res == MMIO_ERROR ? (IS_ALIGNED(info.ipa, info.size) ?
				      " (not permitted)" : " (misaligned)") : "");
	refuse_access(pc, what, info.ipa, esr, false);
}

#define SYSREG_ISS(op0, op1, crn, crm, op2) \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))
#define SYSREG_ISS_MASK		SYSREG_ISS(3, 7, 15, 15, 7)
#define ISS_ICC_SGI1R		SYSREG_ISS(3, 0, 12, 11, 5)
#define ISS_ICC_ASGI1R		SYSREG_ISS(3, 0, 12, 11, 6)
#define ISS_ICC_SGI0R		SYSREG_ISS(3, 0, 12, 11, 7)

static void handle_sysreg(struct per_cpu *pc, struct guest_regs *regs, u64 esr)
{
	u64 iss = ESR_ISS(esr);
	unsigned int rt = (iss >> 5) & 0x1f;
	bool is_read = iss & 1;
	u64 value = rt == 31 ? 0 : regs->x[rt];

	switch (iss & SYSREG_ISS_MASK) {
	case ISS_ICC_SGI1R:
	case ISS_ICC_ASGI1R:
	case ISS_ICC_SGI0R:
		/* GICv3 system registers: with a GICv2 they do not trap here. */
		if (is_read || irqchip_v2)
			break;
		gicv3_handle_sgir_write(pc, value);
		skip_instruction(esr);
		return;
	}
	/* Traps set for cells only (vcpu-state.c): emulated or refused. */
	if (pc->cell != &root_cell) {
		switch (sysreg_classify(iss, pc->arch.traps.features)) {
		case SYSREG_RAZ_WI:
			value = 0;
			break;
		case SYSREG_PMU:
			if (pmu_emulate(iss, &value, is_read))
				break;
			/* fall through */
		default:
			goto unhandled;
		}
		if (is_read && rt != 31)
			regs->x[rt] = value;
		skip_instruction(esr);
		return;
	}
unhandled:
	unhandled_trap(pc, is_read ? MSG_TEXT("unhandled system register read") :
		       MSG_TEXT("unhandled system register write"), esr);
}

static void handle_hvc(struct per_cpu *pc, struct guest_regs *regs, u64 esr)
{
	if ((esr & 0xffff) != WD_HVC_IMM) {
		/* Not ours: e.g. Linux's hyp-stub calls, which are gone now. */
		regs->x[0] = (u64)-ENOSYS;
		return;
	}
	regs->x[0] = (u64)hypercall(pc, regs->x[0], regs->x[1], regs->x[2]);
}

static void handle_sync(struct per_cpu *pc, struct guest_regs *regs)
{
	u64 esr = read_sysreg(esr_el2);

	switch (ESR_EC(esr)) {
	case EC_HVC64:
		handle_hvc(pc, regs, esr);
		break;
	case EC_SMC64:
		psci_handle_smc(pc, regs);
		break;
	case EC_SYSREG:
		handle_sysreg(pc, regs, esr);
		break;
	case EC_DABT_LOW:
		handle_dabt(pc, regs, esr);
		break;
	case EC_IABT_LOW: {
		u64 ipa = ((read_sysreg(hpfar_el2) & 0xffffffffff0ULL) << 8) |
			  (read_sysreg(far_el2) & 0xfff);

		refuse_access(pc, MSG_TEXT("instruction fetch"), ipa, esr, true);
		break;
	}
	default:
		unhandled_trap(pc, MSG_TEXT("unhandled trap"), esr);
		break;
	}
}

void arch_handle_exit(unsigned long type, struct guest_regs *regs)
{
	struct per_cpu *pc = this_cpu();

	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_TOTAL);
	switch (type) {
	case EXIT_IRQ:
		irqchip_handle_irq(pc);
		break;
	case EXIT_SYNC:
		handle_sync(pc, regs);
		break;
	default:
		unhandled_trap(pc, MSG_TEXT("unexpected FIQ/SError"), read_sysreg(esr_el2));
		break;
	}
}
