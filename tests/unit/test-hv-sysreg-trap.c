/*
 * Host unit tests of the classification of cells' trapped system register
 * accesses (hypervisor/arch/arm64/sysreg-trap.c): which are read-as-zero/
 * writes-ignored, which go to the PMU emulation (only on a PMU without
 * MDCR_EL2.HPMD), and that everything else stops the cell. The ISS layout
 * of EC 0x18 (ARM ARM): Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10,
 * Rt 9:5, CRm 4:1, Direction 0 (1 = read).
 */
#include "check.h"
#include "../../hypervisor/arch/arm64/sysreg-trap.c"

#define ISS(op0, op1, crn, crm, op2, rt, rd) \
	(((u64)(op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | \
	 ((rt) << 5) | ((crm) << 1) | (rd))

struct sr_case {
	const char *name;
	u64 iss;
	enum sysreg_action without_hpmd, with_hpmd;
};

static const struct sr_case cases[] = {
	/* mrs x0, pmccntr_el0, worked out by hand: 0x30e41b */
	{ "mrs x0, PMCCNTR_EL0", 0x30e41b, SYSREG_PMU, SYSREG_UNHANDLED },
	{ "msr PMCR_EL0, x1", ISS(3, 3, 9, 12, 0, 1, 0), SYSREG_PMU, SYSREG_UNHANDLED },
	{ "msr PMCCFILTR_EL0", ISS(3, 3, 14, 15, 7, 2, 0), SYSREG_PMU, SYSREG_UNHANDLED },
	{ "msr PMEVTYPER5_EL0", ISS(3, 3, 14, 12, 5, 2, 0), SYSREG_PMU, SYSREG_UNHANDLED },
	{ "mrs PMEVCNTR30_EL0", ISS(3, 3, 14, 11, 6, 2, 1), SYSREG_PMU, SYSREG_UNHANDLED },
	{ "msr PMUSERENR_EL0", ISS(3, 3, 9, 14, 0, 2, 0), SYSREG_PMU, SYSREG_UNHANDLED },
	{ "msr PMINTENSET_EL1", ISS(3, 0, 9, 14, 1, 2, 0), SYSREG_PMU, SYSREG_UNHANDLED },
	{ "mrs PMMIR_EL1", ISS(3, 0, 9, 14, 6, 2, 1), SYSREG_PMU, SYSREG_UNHANDLED },
	/* SPE's PMSCR_EL1 (3,0,9,9,0) is not the PMU */
	{ "msr PMSCR_EL1", ISS(3, 0, 9, 9, 0, 2, 0), SYSREG_UNHANDLED, SYSREG_UNHANDLED },
	{ "mrs DBGBVR0_EL1", ISS(2, 0, 0, 0, 4, 3, 1), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "msr DBGWCR15_EL1", ISS(2, 0, 0, 15, 7, 3, 0), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "msr MDSCR_EL1", ISS(2, 0, 0, 2, 2, 3, 0), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "msr OSLAR_EL1", ISS(2, 0, 1, 0, 4, 3, 0), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "mrs ACTLR_EL1", ISS(3, 0, 1, 0, 1, 3, 1), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "mrs ERRIDR_EL1", ISS(3, 0, 5, 3, 0, 3, 1), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "mrs ERXMISC3_EL1", ISS(3, 0, 5, 5, 3, 3, 1), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "mrs LORID_EL1", ISS(3, 0, 10, 4, 7, 3, 1), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "mrs AMCR_EL0", ISS(3, 3, 13, 2, 0, 3, 1), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	{ "mrs AMEVCNTR10_EL0", ISS(3, 3, 13, 5, 0, 3, 1), SYSREG_RAZ_WI, SYSREG_RAZ_WI },
	/* IMPLEMENTATION DEFINED (TIDCP), and registers never trapped on purpose */
	{ "mrs S3_1_C15_C2_0", ISS(3, 1, 15, 2, 0, 3, 1), SYSREG_UNHANDLED, SYSREG_UNHANDLED },
	{ "mrs SCTLR_EL1", ISS(3, 0, 1, 0, 0, 3, 1), SYSREG_UNHANDLED, SYSREG_UNHANDLED },
	{ "msr ICC_SGI1R_EL1", ISS(3, 0, 12, 11, 5, 3, 0), SYSREG_UNHANDLED, SYSREG_UNHANDLED },
	{ "mrs GCR_EL1 (MTE)", ISS(3, 0, 1, 0, 6, 3, 1), SYSREG_UNHANDLED, SYSREG_UNHANDLED },
	{ "op0 1 (SYS instructions)", ISS(1, 0, 7, 5, 0, 3, 0), SYSREG_UNHANDLED, SYSREG_UNHANDLED },
};

int main(void)
{
	char name[128];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "%s: PMUv3 (cells' PMU trapped)", cases[i].name);
		CHECK_EQ(name, sysreg_classify(cases[i].iss, VF_PMU | VF_CELL_PMU_TRAP),
			 cases[i].without_hpmd);
		snprintf(name, sizeof(name), "%s: PMUv3p1 (HPMD, PMU not trapped)", cases[i].name);
		CHECK_EQ(name, sysreg_classify(cases[i].iss, VF_PMU | VF_PMUV3P1),
			 cases[i].with_hpmd);
	}
	return check_failures != 0;
}
