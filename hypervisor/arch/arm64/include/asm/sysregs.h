/* System register access and the bit definitions the hypervisor uses. */
#ifndef ASM_SYSREGS_H
#define ASM_SYSREGS_H

#define SCTLR_M			(1UL << 0)
#define SCTLR_A			(1UL << 1)
#define SCTLR_C			(1UL << 2)
#define SCTLR_SA		(1UL << 3)
#define SCTLR_I			(1UL << 12)
#define SCTLR_EL2_RES1		0x30c50830UL
/* SCTLR_EL1 as after reset, MMU and caches off (what a CPU entering Linux expects) */
#define SCTLR_EL1_RESET		0x30d00800UL

#define HCR_VM			(1UL << 0)
#define HCR_SWIO		(1UL << 1)
#define HCR_FMO			(1UL << 3)
#define HCR_IMO			(1UL << 4)
#define HCR_AMO			(1UL << 5)
#define HCR_TSC			(1UL << 19)
#define HCR_RW			(1UL << 31)
#define HCR_APK			(1UL << 40)
#define HCR_API			(1UL << 41)

#define TCR_EL2_RES1		((1UL << 31) | (1UL << 23))
#define TCR_T0SZ(bits)		(64 - (bits))
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_PS_SHIFT		16

#define VTCR_RES1		(1UL << 31)
#define VTCR_SL0_SHIFT		6
#define VTCR_PS_SHIFT		16

#define MAIR_NORMAL_WB		0xffUL
#define MAIR_DEVICE_nGnRE	0x04UL
#define MAIR_DEVICE_nGnRnE	0x00UL
#define MAIR_IDX_NORMAL		0
#define MAIR_IDX_DEVICE		1

#define CPTR_EL2_RES1		0x33ffUL

#define CNTHCTL_EL1PCTEN	(1UL << 0)
#define CNTHCTL_EL1PCEN		(1UL << 1)

#define SPSR_D			(1UL << 9)
#define SPSR_A			(1UL << 8)
#define SPSR_I			(1UL << 7)
#define SPSR_F			(1UL << 6)
#define SPSR_MODE_MASK		0x1fUL
#define SPSR_MODE_EL0t		0x0UL
#define SPSR_MODE_EL1t		0x4UL
#define SPSR_MODE_EL1h		0x5UL
#define SPSR_32BIT		(1UL << 4)

#define MPIDR_AFF_MASK		0xff00ffffffUL
#define MPIDR_AFF0(m)		((m) & 0xff)
#define MPIDR_AFF1(m)		(((m) >> 8) & 0xff)
#define MPIDR_AFF2(m)		(((m) >> 16) & 0xff)
#define MPIDR_AFF3(m)		(((m) >> 32) & 0xff)

/* ESR_ELx */
#define ESR_EC_SHIFT		26
#define ESR_EC(esr)		(((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL			(1UL << 25)
#define ESR_ISS(esr)		((esr) & 0x1ffffff)
#define EC_UNKNOWN		0x00
#define EC_WFX			0x01
#define EC_HVC64		0x16
#define EC_SMC64		0x17
#define EC_SYSREG		0x18
#define EC_IABT_LOW		0x20
#define EC_IABT_CUR		0x21
#define EC_DABT_LOW		0x24
#define EC_DABT_CUR		0x25
#define EC_SERROR		0x2f

#ifndef __ASSEMBLY__

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define read_sysreg(reg) ({						\
	unsigned long __v;						\
	asm volatile("mrs %0, " __stringify(reg) : "=r"(__v));		\
	__v;								\
})

#define write_sysreg(reg, val) do {					\
	unsigned long __v = (unsigned long)(val);			\
	asm volatile("msr " __stringify(reg) ", %0" : : "r"(__v));	\
} while (0)

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")
#define dmb(opt)	asm volatile("dmb " #opt : : : "memory")
#define sev()		asm volatile("sev" : : : "memory")
#define wfi()		asm volatile("wfi" : : : "memory")
#define wfe()		asm volatile("wfe" : : : "memory")

#endif

/* ---- CPU state and trap configuration (vcpu-state.c) */
#define HCR_TACR		(1UL << 21)
#define HCR_TIDCP		(1UL << 20)
#define HCR_TLOR		(1UL << 35)
#define HCR_TERR		(1UL << 36)
#define HCR_ATA			(1UL << 56)

/* CPTR_EL2 (E2H = 0) */
#define CPTR_EL2_RES1_BASE	0x22ffUL	/* bits 0-7, 9, 13 */
#define CPTR_EL2_TZ		(1UL << 8)	/* RES1 without SVE */
#define CPTR_EL2_TFP		(1UL << 10)
#define CPTR_EL2_TSM		(1UL << 12)	/* RES1 without SME */
#define CPTR_EL2_TTA		(1UL << 20)
#define CPTR_EL2_TAM		(1UL << 30)

#define MDCR_HPMN_MASK		0x1fUL
#define MDCR_TPMCR		(1UL << 5)
#define MDCR_TPM		(1UL << 6)
#define MDCR_TDE		(1UL << 8)
#define MDCR_TDA		(1UL << 9)
#define MDCR_TDOSA		(1UL << 10)
#define MDCR_TDRA		(1UL << 11)
#define MDCR_E2PB_MASK		(3UL << 12)
#define MDCR_TPMS		(1UL << 14)
#define MDCR_HPMD		(1UL << 17)
#define MDCR_TTRF		(1UL << 19)
#define MDCR_HCCD		(1UL << 23)
#define MDCR_E2TB_MASK		(3UL << 24)

#define PMCR_E			(1UL << 0)
#define PMCR_P			(1UL << 1)
#define PMCR_C			(1UL << 2)
#define PMCR_N(pmcr)		(((pmcr) >> 11) & 0x1f)
#define PMEVTYPER_NSH		(1UL << 27)

#define ID_FIELD(reg, shift)	(((reg) >> (shift)) & 0xf)

/* Registers the assembler may not know by name (all architectural). */
#define id_aa64isar2_el1	S3_0_C0_C6_2
#define id_aa64mmfr3_el1	S3_0_C0_C7_3
#define id_aa64zfr0_el1		S3_0_C0_C4_4
#define zcr_el1			S3_0_C1_C2_0
#define zcr_el2			S3_4_C1_C2_0
#define smcr_el1		S3_0_C1_C2_6
#define smcr_el2		S3_4_C1_C2_6
#define smpri_el1		S3_0_C1_C2_4
#define svcr			S3_3_C4_C2_2
#define tpidr2_el0		S3_3_C13_C0_5
#define apiakeylo_el1		S3_0_C2_C1_0
#define apiakeyhi_el1		S3_0_C2_C1_1
#define apibkeylo_el1		S3_0_C2_C1_2
#define apibkeyhi_el1		S3_0_C2_C1_3
#define apdakeylo_el1		S3_0_C2_C2_0
#define apdakeyhi_el1		S3_0_C2_C2_1
#define apdbkeylo_el1		S3_0_C2_C2_2
#define apdbkeyhi_el1		S3_0_C2_C2_3
#define apgakeylo_el1		S3_0_C2_C3_0
#define apgakeyhi_el1		S3_0_C2_C3_1
#define gcr_el1			S3_0_C1_C0_6
#define rgsr_el1		S3_0_C1_C0_5
#define tfsr_el1		S3_0_C5_C6_0
#define tfsre0_el1		S3_0_C5_C6_1
#define tcr2_el1		S3_0_C2_C0_3
#define pire0_el1		S3_0_C10_C2_2
#define pir_el1			S3_0_C10_C2_3
#define por_el0			S3_3_C10_C2_4
#define por_el1			S3_0_C10_C2_4
#define pmmir_el1		S3_0_C9_C14_6

#endif
