/*
 * PSCI and SMCCC for cells. CPUs are never really switched off while Warden
 * runs: CPU_OFF parks the CPU in the hypervisor, CPU_ON wakes it at the
 * requested entry point, and both only work within the caller's cell.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/string.h>
#include <asm/sysregs.h>
#include <asm/irqchip.h>
#include <asm/traps.h>

#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001
#define SMCCC_ARCH_WORKAROUND_1	0x80008000
#define SMCCC_ARCH_WORKAROUND_2	0x80007fff
#define SMCCC_ARCH_WORKAROUND_3	0x80003fff
#define SMCCC_FAST_CALL		(1U << 31)
#define SMCCC_OWNER(fn)		(((fn) >> 24) & 0x3f)
#define SMCCC_OWNER_ARCH	0
#define SMCCC_OWNER_SIP		2
#define SMCCC_OWNER_OEM		3
#define SMCCC_OWNER_STANDARD	4

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND_32	0x84000001
#define PSCI_CPU_SUSPEND_64	0xc4000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_32		0x84000003
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO_32	0x84000004
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)

#define PSCI_AFF_ON		0
#define PSCI_AFF_OFF		1
#define PSCI_AFF_ON_PENDING	2

#define PSCI_TOS_NOT_PRESENT	2

static const u32 smccc_workarounds[3] = {
	SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2, SMCCC_ARCH_WORKAROUND_3,
};

/* A firmware call's 32-bit result, sign-extended whatever the upper half holds. */
static long fw_call32(u32 fn, u64 arg)
{
	return (int)(u32)arch_firmware_call(fn, arg, 0, 0);
}

/*
 * Ask the firmware, as the SMC Calling Convention says to (PSCI_FEATURES of
 * SMCCC_VERSION first, ARCH_FEATURES only from SMCCC 1.1 on), which
 * Spectre-class workarounds it implements on this CPU; remember the answers
 * for the guests. WORKAROUND_1 answered 0 (needed, implemented) makes this
 * CPU's exits use the vectors that call it (smccc_exit_needs_wa1()).
 */
void smccc_cpu_init(struct per_cpu *pc)
{
	long psci, version = -1;
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(smccc_workarounds); n++)
		pc->arch.smccc_wa[n] = PSCI_NOT_SUPPORTED;
	psci = fw_call32(PSCI_VERSION, 0);
	if (psci >= 0x10000 && fw_call32(PSCI_FEATURES, SMCCC_VERSION) == PSCI_SUCCESS)
		version = fw_call32(SMCCC_VERSION, 0);
	if (version >= 0x10001)
		for (n = 0; n < ARRAY_SIZE(smccc_workarounds); n++)
			pc->arch.smccc_wa[n] = fw_call32(SMCCC_ARCH_FEATURES,
							 smccc_workarounds[n]);
	printk("CPU %u: firmware PSCI 0x%lx, SMCCC_VERSION %ld: ARCH_FEATURES WORKAROUND_1 %ld, _2 %ld, _3 %ld\n",
	       pc->cpu_id, psci, version, pc->arch.smccc_wa[0], pc->arch.smccc_wa[1],
	       pc->arch.smccc_wa[2]);
}

bool smccc_exit_needs_wa1(struct per_cpu *pc)
{
	return pc->arch.smccc_wa[0] == PSCI_SUCCESS;
}

/* SMCCC_ARCH_FEATURES for a guest: our own calls, and the firmware's answers. */
static long smccc_arch_features(struct per_cpu *pc, u32 fn)
{
	unsigned int n;

	if (fn == SMCCC_VERSION || fn == SMCCC_ARCH_FEATURES)
		return PSCI_SUCCESS;
	for (n = 0; n < ARRAY_SIZE(smccc_workarounds); n++)
		if (fn == smccc_workarounds[n])
			return pc->arch.smccc_wa[n];
	return PSCI_NOT_SUPPORTED;
}

/* A workaround call: to the firmware if it implements it on this CPU. */
static long smccc_workaround(struct per_cpu *pc, u32 fn, u64 arg)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(smccc_workarounds); n++)
		if (fn == smccc_workarounds[n] && pc->arch.smccc_wa[n] >= 0)
			return arch_firmware_call(fn, arg, 0, 0);
	return PSCI_NOT_SUPPORTED;
}

static struct per_cpu *cell_cpu_by_mpidr(struct cell *cell, u64 mpidr)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, cell)
		if (per_cpu(cpu)->mpidr == (mpidr & MPIDR_AFF_MASK))
			return per_cpu(cpu);
	return NULL;
}

static long psci_cpu_on(struct per_cpu *pc, u64 mpidr, u64 entry, u64 context)
{
	struct per_cpu *target = cell_cpu_by_mpidr(pc->cell, mpidr);

	if (!target || !target->initialized)
		return PSCI_INVALID_PARAMS;
	if (target->run_state == CPU_RUNNING)
		return PSCI_ALREADY_ON;
	if (__atomic_load_n(&target->cpu_on_pending, __ATOMIC_ACQUIRE))
		return PSCI_ON_PENDING;
	target->cpu_on_entry = entry;
	target->cpu_on_context = context;
	__atomic_store_n(&target->cpu_on_pending, true, __ATOMIC_RELEASE);
	arch_wake_cpu(target);
	return PSCI_SUCCESS;
}

static long psci_affinity_info(struct per_cpu *pc, u64 mpidr, u64 level)
{
	struct per_cpu *target = cell_cpu_by_mpidr(pc->cell, mpidr);

	if (level != 0 || !target)
		return PSCI_INVALID_PARAMS;
	if (target->run_state == CPU_RUNNING)
		return PSCI_AFF_ON;
	return target->cpu_on_pending ? PSCI_AFF_ON_PENDING : PSCI_AFF_OFF;
}

static bool psci_implemented(u32 fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return true;
	}
	return false;
}

static long psci_call(struct per_cpu *pc, struct guest_regs *regs, u32 fn,
		      bool *parked)
{
	switch (fn) {
	case PSCI_VERSION:
		return 0x10000;		/* 1.0 */
	case PSCI_FEATURES:
		return psci_implemented((u32)regs->x[1]) ? PSCI_SUCCESS :
							   PSCI_NOT_SUPPORTED;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64: {
		/* SMC32: the arguments' upper halves are not the caller's. One call site. */
		u64 mask = fn == PSCI_CPU_ON_32 ? 0xffffffffULL : ~0ULL;

		return psci_cpu_on(pc, regs->x[1] & mask, regs->x[2] & mask, regs->x[3] & mask);
	}
	case PSCI_CPU_OFF:
		cpu_park(pc);
		*parked = true;
		return 0;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		return psci_affinity_info(pc, regs->x[1], regs->x[2]);
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* Every suspend is treated as standby: wait for an interrupt. */
		wfi();
		return PSCI_SUCCESS;
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		if (pc->cell == &root_cell) {
			printk("root cell: %s requested\n",
			       fn == PSCI_SYSTEM_OFF ? "system off" : "system reset");
			return arch_firmware_call(fn, 0, 0, 0);
		}
		/* Only the calling cell goes off, never the machine. */
		cell_shut_down_self(pc);
		*parked = true;
		return 0;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

void psci_handle_smc(struct per_cpu *pc, struct guest_regs *regs)
{
	u32 fn = (u32)regs->x[0];
	bool parked = false;
	long ret;

	/* One count per call: PSCI's own, every other SMCCC call the other. */
	cpu_stat_inc(pc, SMCCC_OWNER(fn) == SMCCC_OWNER_STANDARD ? WD_CPU_STAT_VMEXITS_PSCI :
			 WD_CPU_STAT_VMEXITS_SMCCC);
	switch (SMCCC_OWNER(fn)) {
	case SMCCC_OWNER_ARCH:
		if (fn == SMCCC_VERSION)
			ret = 0x10001;	/* SMCCC 1.1 */
		else if (fn == SMCCC_ARCH_FEATURES)
			ret = smccc_arch_features(pc, (u32)regs->x[1]);
		else
			ret = smccc_workaround(pc, fn, regs->x[1]);
		break;
	case SMCCC_OWNER_STANDARD:
		ret = psci_call(pc, regs, fn, &parked);
		break;
	case SMCCC_OWNER_SIP:
	case SMCCC_OWNER_OEM:
		/* Platform firmware services belong to the root cell only. */
		if (pc->cell == &root_cell) {
			ret = arch_firmware_call(fn, regs->x[1], regs->x[2], regs->x[3]);
			break;
		}
		/* fall through */
	default:
		ret = PSCI_NOT_SUPPORTED;
		break;
	}
	if (parked)
		return;		/* the vCPU was reset to its new entry point */
	regs->x[0] = (u64)ret;
	/* A trapped SMC returns to the SMC itself: step over it. */
	write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
}
