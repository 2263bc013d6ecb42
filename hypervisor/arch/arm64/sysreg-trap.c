/*
 * Which trapped system register accesses of a cell are answered, and how.
 * The traps are set for cells only (vcpu-state.c): what is not reset when a
 * CPU changes owner. Registers that hold nothing a cell needs read as zero
 * and ignore writes, so that an operating system in a cell probing them
 * (debug, RAS, ACTLR, activity monitors, LORegions) keeps running; anything
 * else trapped (IMPLEMENTATION DEFINED registers, SPE, trace buffers, ...)
 * stops the cell. A pure function of the syndrome, tested on the host.
 */
#include <asm/vcpu-state.h>

/* Registers with Op0 = 3 that a cell may touch: Op1, CRn, a CRm range, the Op2 values. */
struct sysreg_range {
	u8 op1, crn, crm_first, crm_last;
	u8 op2s;		/* bit n: Op2 = n */
	u8 action;
};

static const struct sysreg_range ranges[] = {
	/* PMU, when the cells' PMU accesses trap (VF_CELL_PMU_TRAP) */
	{ 3, 9, 12, 14, 0xff, SYSREG_PMU },	/* PMCR ... PMOVSSET_EL0 */
	{ 0, 9, 14, 14, 0x46, SYSREG_PMU },	/* PMINTENSET/CLR_EL1, PMMIR_EL1 */
	{ 3, 14, 8, 15, 0xff, SYSREG_PMU },	/* PMEVCNTR<n>, PMEVTYPER<n>, PMCCFILTR */
	{ 0, 1, 0, 0, 0x02, SYSREG_RAZ_WI },	/* ACTLR_EL1 */
	{ 0, 5, 3, 5, 0xff, SYSREG_RAZ_WI },	/* ERR*_EL1 */
	{ 0, 10, 4, 4, 0x8f, SYSREG_RAZ_WI },	/* LOR*_EL1 */
	{ 3, 13, 2, 7, 0xff, SYSREG_RAZ_WI },	/* AM*_EL0 */
};

enum sysreg_action sysreg_classify(u64 iss, u32 features)
{
	unsigned int op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7;
	unsigned int op1 = (iss >> 14) & 7, crn = (iss >> 10) & 0xf;
	unsigned int crm = (iss >> 1) & 0xf;
	const struct sysreg_range *r;

	/* Debug and trace registers (MDCR_EL2.TDA/TDOSA/TDRA, CPTR_EL2.TTA). */
	if (op0 == 2)
		return SYSREG_RAZ_WI;
	if (op0 != 3)
		return SYSREG_UNHANDLED;
	for (r = ranges; r < ranges + sizeof(ranges) / sizeof(ranges[0]); r++)
		if (op1 == r->op1 && crn == r->crn && crm >= r->crm_first &&
		    crm <= r->crm_last && ((r->op2s >> op2) & 1) &&
		    (r->action != SYSREG_PMU || (features & VF_CELL_PMU_TRAP)))
			return r->action;
	return SYSREG_UNHANDLED;
}
