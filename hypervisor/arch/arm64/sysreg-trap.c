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

enum sysreg_action sysreg_classify(u64 iss, u32 features)
{
	unsigned int op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7;
	unsigned int op1 = (iss >> 14) & 7, crn = (iss >> 10) & 0xf;
	unsigned int crm = (iss >> 1) & 0xf;

	/* Debug and trace registers (MDCR_EL2.TDA/TDOSA/TDRA, CPTR_EL2.TTA). */
	if (op0 == 2)
		return SYSREG_RAZ_WI;
	if (op0 != 3)
		return SYSREG_UNHANDLED;
	if ((features & VF_CELL_PMU_TRAP) &&
	    ((op1 == 3 && crn == 9 && crm >= 12 && crm <= 14) ||
	     (op1 == 0 && crn == 9 && crm == 14 &&
	      (op2 == 1 || op2 == 2 || op2 == 6)) ||
	     (op1 == 3 && crn == 14 && crm >= 8)))
		return SYSREG_PMU;
	if (op1 == 0 && crn == 1 && crm == 0 && op2 == 1)	/* ACTLR_EL1 */
		return SYSREG_RAZ_WI;
	if (op1 == 0 && crn == 5 && crm >= 3 && crm <= 5)	/* ERR*_EL1 */
		return SYSREG_RAZ_WI;
	if (op1 == 0 && crn == 10 && crm == 4 &&		/* LOR*_EL1 */
	    (op2 <= 3 || op2 == 7))
		return SYSREG_RAZ_WI;
	if (op1 == 3 && crn == 13 && crm >= 2 && crm <= 7)	/* AM*_EL0 */
		return SYSREG_RAZ_WI;
	return SYSREG_UNHANDLED;
}
