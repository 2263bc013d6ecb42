/*
 * A CPU changes owner (root -> cell, cell -> root through the root's PSCI
 * CPU_ON, or a cell CPU restarted) only through arch_vcpu_reset(). Everything
 * an EL1/EL0 guest can read is either put to a defined reset value here, or
 * trapped to EL2 for cells (and emulated or refused, sysreg-trap.c):
 *
 *   reset:   FP/SIMD V0-V31, FPCR, FPSR; SVE Z0-Z31, P0-P15, FFR, ZCR_EL1;
 *            SME streaming mode and ZA (SVCR), SMCR_EL1, TPIDR2_EL0; PMU
 *            (PMCR, counters, enables, overflow, interrupt enables, PMSELR,
 *            PMUSERENR, event types, PMCCFILTR); pointer-authentication
 *            keys; MTE's GCR/RGSR/TFSR/TFSRE0; both EL1 timers (CTL, CVAL)
 *            and CNTKCTL; TCR2/PIR/PIRE0/POR where they exist; CSSELR;
 *            the AArch32 DACR32/IFSR32. arch_vcpu_reset() does the rest of
 *            EL1 (SCTLR, TCR, TTBRs, MAIR, VBAR, TPIDRs, CONTEXTIDR, PAR, ...).
 *   trapped for cells: debug registers (MDCR_EL2.TDA/TDOSA/TDRA; RAZ/WI),
 *            ACTLR_EL1 (HCR_EL2.TACR; RAZ/WI), RAS error records
 *            (HCR_EL2.TERR; RAZ/WI), LORegions (HCR_EL2.TLOR; RAZ/WI),
 *            activity monitors (CPTR_EL2.TAM; RAZ/WI), trace registers
 *            (CPTR_EL2.TTA; RAZ/WI), IMPLEMENTATION DEFINED registers
 *            (HCR_EL2.TIDCP: the cell is stopped), SPE/TRBE (MDCR_EL2.E2PB
 *            and E2TB 0: EL1 access traps; the cell is stopped).
 *   PMU and EL2: guests' counters never count EL2: MDCR_EL2.HPMD (PMUv3p1)
 *            and HCCD (PMUv3p5) where the PMU has them; on an older PMU a
 *            cell's PMU accesses trap (MDCR_EL2.TPM) and are done by EL2 on
 *            the hardware with the NSH bit of the event filters cleared. The
 *            root keeps its untrapped PMU (its own exits only).
 *
 * The root cell's traps are what Linux needs: SVE, SME, FP, pointer
 * authentication and (with FEAT_MTE2) tag access untrapped; the fine-grained
 * trap registers and HCRX_EL2 keep the values Linux programmed when it
 * booted at EL2 (it set them for what it uses; we do not write them).
 */
#include <wd/cell.h>
#include <wd/percpu.h>
#include <asm/sysregs.h>
#include <asm/vcpu-state.h>

/*
 * Cells' counters never count EL2. Building with -DWD_CELL_PMU_COUNTS_EL2
 * (benchmarking only: bench/ reads the hypervisor's own cycles from a cell
 * with PMCCFILTR_EL0.NSH) leaves the PMU untrapped and EL2 countable.
 */
#ifdef WD_CELL_PMU_COUNTS_EL2
static const bool pmu_hide_el2 = false;
#else
static const bool pmu_hide_el2 = true;
#endif

static u32 detect_features(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	u64 pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 isar1 = read_sysreg(id_aa64isar1_el1);
	u64 isar2 = read_sysreg(id_aa64isar2_el1);
	u64 mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	u64 mmfr3 = read_sysreg(id_aa64mmfr3_el1);
	unsigned int pmuver = ID_FIELD(dfr0, 8);
	u32 f = 0;

	if (ID_FIELD(pfr0, 32))
		f |= VF_SVE;
	if (ID_FIELD(pfr1, 24))
		f |= VF_SME;
	if (ID_FIELD(isar1, 4) || ID_FIELD(isar1, 8) || ID_FIELD(isar1, 24) ||
	    ID_FIELD(isar1, 28) || ID_FIELD(isar2, 8) || ID_FIELD(isar2, 12))
		f |= VF_PAUTH;
	if (ID_FIELD(pfr1, 8) >= 2)
		f |= VF_MTE;
	if (pmuver && pmuver != 0xf) {
		f |= VF_PMU;
		if (pmuver >= 4)
			f |= VF_PMUV3P1;
		if (pmuver >= 6)
			f |= VF_PMUV3P5;
	}
	if (ID_FIELD(pfr0, 44))
		f |= VF_AMU;
	if (ID_FIELD(pfr0, 28))
		f |= VF_RAS;
	if (ID_FIELD(mmfr1, 16))
		f |= VF_LOR;
	/*
	 * DACR32_EL2 and IFSR32_EL2 exist only where EL1 can run AArch32
	 * (ID_AA64PFR0_EL1.EL1 == 2); elsewhere, e.g. Cortex-A76 and
	 * Neoverse-N1 (AArch32 at EL0 only), accessing them is UNDEFINED.
	 */
	if (ID_FIELD(pfr0, 4) == 2)
		f |= VF_AA32EL1;
	if (ID_FIELD(mmfr3, 0))
		f |= VF_TCR2;
	if (ID_FIELD(mmfr3, 8))
		f |= VF_S1PIE;
	if (ID_FIELD(mmfr3, 16))
		f |= VF_S1POE;
	return f;
}

void vcpu_state_cpu_init(struct per_cpu *pc)
{
	struct vcpu_traps *t = &pc->arch.traps;
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 hcr, cptr, mdcr;

	t->features = detect_features();
	t->pmu_counters = t->features & VF_PMU ? PMCR_N(read_sysreg(pmcr_el0)) : 0;
	if ((t->features & (VF_PMU | VF_PMUV3P1)) == VF_PMU &&
	    pmu_hide_el2)
		t->features |= VF_CELL_PMU_TRAP;

	hcr = HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_TSC | HCR_RW;
	if (t->features & VF_PAUTH)
		hcr |= HCR_API | HCR_APK;	/* keys are reset at hand-over */
	t->hcr_root = hcr | (t->features & VF_MTE ? HCR_ATA : 0);
	t->hcr_cell = hcr | HCR_TACR | HCR_TIDCP |
		      (t->features & VF_RAS ? HCR_TERR : 0) |
		      (t->features & VF_LOR ? HCR_TLOR : 0);

	cptr = CPTR_EL2_RES1_BASE | (t->features & VF_SVE ? 0 : CPTR_EL2_TZ) |
	       (t->features & VF_SME ? 0 : CPTR_EL2_TSM);
	t->cptr_root = cptr;
	t->cptr_cell = cptr | (t->features & VF_AMU ? CPTR_EL2_TAM : 0) |
		       (ID_FIELD(dfr0, 4) ? CPTR_EL2_TTA : 0);

	mdcr = t->pmu_counters & MDCR_HPMN_MASK;
	if ((t->features & VF_PMUV3P1) && pmu_hide_el2)
		mdcr |= MDCR_HPMD;
	if ((t->features & VF_PMUV3P5) && pmu_hide_el2)
		mdcr |= MDCR_HCCD;
	/* Linux's choice of SPE/TRBE buffer owner stays for the root. */
	t->mdcr_root = mdcr | (pc->arch.saved_mdcr & (MDCR_E2PB_MASK | MDCR_E2TB_MASK));
	t->mdcr_cell = mdcr | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA |
		       (t->features & VF_CELL_PMU_TRAP ? MDCR_TPM | MDCR_TPMCR : 0) |
		       (ID_FIELD(dfr0, 40) ? MDCR_TTRF : 0);

	/*
	 * EL2's own SVE and SME vector lengths: the largest the CPU has. Their
	 * registers trap at EL2 too while CPTR_EL2.TZ/TSM are set: open first.
	 */
	write_sysreg(cptr_el2, t->cptr_root);
	isb();
	if (t->features & VF_SVE)
		write_sysreg(zcr_el2, 0xf);
	if (t->features & VF_SME)
		write_sysreg(smcr_el2, read_sysreg(smcr_el2) | 0xf);
}

void vcpu_state_apply_traps(struct per_cpu *pc)
{
	struct vcpu_traps *t = &pc->arch.traps;
	bool root = pc->cell == &root_cell;

	write_sysreg(hcr_el2, root ? t->hcr_root : t->hcr_cell);
	write_sysreg(cptr_el2, root ? t->cptr_root : t->cptr_cell);
	write_sysreg(mdcr_el2, root ? t->mdcr_root : t->mdcr_cell);
	isb();
}

static void pmu_reset(unsigned int counters)
{
	unsigned int n;

	/* Stop everything, zero all counters, then the rest of PMCR. */
	write_sysreg(pmcntenclr_el0, ~0UL);
	write_sysreg(pmintenclr_el1, ~0UL);
	write_sysreg(pmovsclr_el0, ~0UL);
	write_sysreg(pmcr_el0, PMCR_P | PMCR_C);
	isb();
	write_sysreg(pmcr_el0, 0);
	for (n = 0; n < counters; n++) {
		write_sysreg(pmselr_el0, n);
		isb();
		write_sysreg(pmxevtyper_el0, 0);
		write_sysreg(pmxevcntr_el0, 0);
	}
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmccntr_el0, 0);
	write_sysreg(pmselr_el0, 0);
	write_sysreg(pmuserenr_el0, 0);
}

void vcpu_state_reset(struct per_cpu *pc)
{
	u32 f = pc->arch.traps.features;

	/* The new owner's traps first: they also open FP/SVE to EL2 here. */
	vcpu_state_apply_traps(pc);

	if (f & VF_SME) {
		/* Out of streaming mode, ZA off: both discard their contents. */
		write_sysreg(svcr, 0);
		write_sysreg(smcr_el1, 0);
		write_sysreg(tpidr2_el0, 0);
		isb();
	}
	fpsimd_zero_regs();
	if (f & VF_SVE) {
		sve_zero_regs();
		write_sysreg(zcr_el1, 0);
	}
	if (f & VF_PMU)
		pmu_reset(pc->arch.traps.pmu_counters);
	if (f & VF_PAUTH) {
		write_sysreg(apiakeylo_el1, 0);
		write_sysreg(apiakeyhi_el1, 0);
		write_sysreg(apibkeylo_el1, 0);
		write_sysreg(apibkeyhi_el1, 0);
		write_sysreg(apdakeylo_el1, 0);
		write_sysreg(apdakeyhi_el1, 0);
		write_sysreg(apdbkeylo_el1, 0);
		write_sysreg(apdbkeyhi_el1, 0);
		write_sysreg(apgakeylo_el1, 0);
		write_sysreg(apgakeyhi_el1, 0);
	}
	if (f & VF_MTE) {
		write_sysreg(gcr_el1, 0);
		write_sysreg(rgsr_el1, 0);
		write_sysreg(tfsr_el1, 0);
		write_sysreg(tfsre0_el1, 0);
	}
	if (f & VF_TCR2)
		write_sysreg(tcr2_el1, 0);
	if (f & VF_S1PIE) {
		write_sysreg(pir_el1, 0);
		write_sysreg(pire0_el1, 0);
	}
	if (f & VF_S1POE) {
		write_sysreg(por_el0, 0);
		write_sysreg(por_el1, 0);
	}
	if (f & VF_AA32EL1) {
		write_sysreg(dacr32_el2, 0);
		write_sysreg(ifsr32_el2, 0);
	}
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	write_sysreg(cntv_cval_el0, 0);
	write_sysreg(cntp_cval_el0, 0);
	write_sysreg(cntkctl_el1, 0);
	write_sysreg(csselr_el1, 0);
	isb();
}

/* One PMU event counter or type register, through PMSELR_EL0. */
static u64 pmu_indirect(unsigned int n, bool type, u64 value, bool is_read)
{
	u64 sel = read_sysreg(pmselr_el0);

	write_sysreg(pmselr_el0, n);
	isb();
	if (type) {
		if (is_read)
			value = read_sysreg(pmxevtyper_el0);
		else
			write_sysreg(pmxevtyper_el0, value & ~PMEVTYPER_NSH);
	} else {
		if (is_read)
			value = read_sysreg(pmxevcntr_el0);
		else
			write_sysreg(pmxevcntr_el0, value);
	}
	write_sysreg(pmselr_el0, sel);
	return value;
}

#define PMU_KEY(op1, crn, crm, op2)	(((op1) << 12) | ((crn) << 8) | ((crm) << 4) | (op2))

bool pmu_emulate(u64 iss, u64 *value, bool is_read)
{
	unsigned int op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7;
	unsigned int crn = (iss >> 10) & 0xf, crm = (iss >> 1) & 0xf;
	unsigned int counters = PMCR_N(read_sysreg(pmcr_el0));
	u64 v = *value;

	/*
	 * PMEVTYPER<n>/PMEVCNTR<n>/PMCCFILTR by number, and PMXEVTYPER/
	 * PMXEVCNTR by PMSELR_EL0.SEL: the same registers.
	 */
	if ((op1 == 3 && crn == 14 && crm >= 8) ||
	    (op1 == 3 && crn == 9 && crm == 13 && (op2 == 1 || op2 == 2))) {
		unsigned int n = crn == 14 ? ((crm & 3) << 3) | op2 :
				 read_sysreg(pmselr_el0) & 0x1f;
		bool type = crn == 14 ? crm >= 12 : op2 == 1;

		if (n == 31 && type) {		/* PMCCFILTR_EL0 */
			if (is_read)
				v = read_sysreg(pmccfiltr_el0);
			else
				write_sysreg(pmccfiltr_el0, v & ~PMEVTYPER_NSH);
		} else if (n >= counters) {
			v = 0;
		} else {
			v = pmu_indirect(n, type, v, is_read);
		}
		*value = v;
		isb();
		return true;
	}

	switch (PMU_KEY(op1, crn, crm, op2)) {
	case PMU_KEY(3, 9, 12, 0):
		if (is_read)
			v = read_sysreg(pmcr_el0);
		else
			write_sysreg(pmcr_el0, v & 0xff);
		break;
	case PMU_KEY(3, 9, 12, 1):
		if (is_read)
			v = read_sysreg(pmcntenset_el0);
		else
			write_sysreg(pmcntenset_el0, v);
		break;
	case PMU_KEY(3, 9, 12, 2):
		if (is_read)
			v = read_sysreg(pmcntenclr_el0);
		else
			write_sysreg(pmcntenclr_el0, v);
		break;
	case PMU_KEY(3, 9, 12, 3):
		if (is_read)
			v = read_sysreg(pmovsclr_el0);
		else
			write_sysreg(pmovsclr_el0, v);
		break;
	case PMU_KEY(3, 9, 12, 4):
		if (is_read)
			v = 0;
		else
			write_sysreg(pmswinc_el0, v);
		break;
	case PMU_KEY(3, 9, 12, 5):
		if (is_read)
			v = read_sysreg(pmselr_el0);
		else
			write_sysreg(pmselr_el0, v & 0x1f);
		break;
	case PMU_KEY(3, 9, 12, 6):
		v = is_read ? read_sysreg(pmceid0_el0) : 0;
		break;
	case PMU_KEY(3, 9, 12, 7):
		v = is_read ? read_sysreg(pmceid1_el0) : 0;
		break;
	case PMU_KEY(3, 9, 13, 0):
		if (is_read)
			v = read_sysreg(pmccntr_el0);
		else
			write_sysreg(pmccntr_el0, v);
		break;
	case PMU_KEY(3, 9, 14, 0):
		if (is_read)
			v = read_sysreg(pmuserenr_el0);
		else
			write_sysreg(pmuserenr_el0, v & 0xf);
		break;
	case PMU_KEY(3, 9, 14, 3):
		if (is_read)
			v = read_sysreg(pmovsset_el0);
		else
			write_sysreg(pmovsset_el0, v);
		break;
	case PMU_KEY(0, 9, 14, 1):
		if (is_read)
			v = read_sysreg(pmintenset_el1);
		else
			write_sysreg(pmintenset_el1, v);
		break;
	case PMU_KEY(0, 9, 14, 2):
		if (is_read)
			v = read_sysreg(pmintenclr_el1);
		else
			write_sysreg(pmintenclr_el1, v);
		break;
	case PMU_KEY(0, 9, 14, 6):
		v = 0;		/* PMMIR_EL1: no information */
		break;
	default:
		return false;
	}
	*value = v;
	isb();
	return true;
}
