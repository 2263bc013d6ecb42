/*
 * The EL1/EL0 state a CPU carries from one owner to the next, and the EL2 traps
 * for what is not reset (vcpu-state.c), and the classification of the system
 * register accesses those traps bring to EL2 (sysreg-trap.c).
 */
#ifndef ASM_VCPU_STATE_H
#define ASM_VCPU_STATE_H

#include <wd/types.h>

struct per_cpu;
struct guest_regs;

/* Optional CPU features that decide what is reset and what is trapped. */
#define VF_SVE		(1U << 0)
#define VF_SME		(1U << 1)
#define VF_PAUTH	(1U << 2)
#define VF_MTE		(1U << 3)	/* FEAT_MTE2: tags in memory, MTE registers */
#define VF_PMU		(1U << 4)	/* PMUv3 */
#define VF_PMUV3P1	(1U << 5)	/* MDCR_EL2.HPMD */
#define VF_PMUV3P5	(1U << 6)	/* MDCR_EL2.HCCD */
#define VF_AMU		(1U << 7)
#define VF_RAS		(1U << 8)
#define VF_LOR		(1U << 9)
#define VF_AA32EL1	(1U << 10)
#define VF_TCR2		(1U << 11)
#define VF_S1PIE	(1U << 12)
#define VF_S1POE	(1U << 13)
#define VF_CELL_PMU_TRAP (1U << 14)	/* cells' PMU accesses are emulated */

struct vcpu_traps {
	u32 features;
	unsigned int pmu_counters;	/* PMCR_EL0.N */
	u64 hcr_root, hcr_cell;
	u64 cptr_root, cptr_cell;
	u64 mdcr_root, mdcr_cell;
};

/* Feature detection and the trap values, once per CPU at enable. */
void vcpu_state_cpu_init(struct per_cpu *pc);
/* The traps of the CPU's current owner (root or cell). */
void vcpu_state_apply_traps(struct per_cpu *pc);
/* Every EL1/EL0 register a guest can read, to its defined reset value. */
void vcpu_state_reset(struct per_cpu *pc);

/* vcpu-state-asm.S */
void fpsimd_zero_regs(void);
void sve_zero_regs(void);

/*
 * What happens to a trapped system register access from a cell (a pure
 * function of the ISS, unit-tested on the host).
 */
enum sysreg_action {
	SYSREG_UNHANDLED = 0,	/* not ours: the cell is stopped */
	SYSREG_RAZ_WI,		/* debug, RAS, ACTLR, AMU, LOR: read 0, writes ignored */
	SYSREG_PMU,		/* PMU: emulated on the hardware, EL2 never counted */
};
enum sysreg_action sysreg_classify(u64 iss, u32 features);

/*
 * Emulate a PMU register access for a cell (features has VF_CELL_PMU_TRAP).
 * Returns false if the register is not one it knows.
 */
bool pmu_emulate(u64 iss, u64 *value, bool is_read);

#endif
