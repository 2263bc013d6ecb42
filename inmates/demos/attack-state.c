/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attack-state: CPU state that crosses owners. A CPU that comes to a cell
 * must hold nothing of its previous owner (the root's Linux, or a cell that
 * ran on it before): every EL1/EL0 register the cell can read shows its reset
 * value, and what the hypervisor traps instead reads as zero.
 *
 * Modes (mode=NAME):
 *   read       read every register below; print each one that is not at its
 *              reset value ("attack-state: dirty NAME=VALUE"), then
 *              "attack-state: read clean" or "attack-state: read dirty N"
 *   fill       read (as above), then write recognisable patterns into all
 *              of them ("attack-state: fill done"): a later cell on this CPU
 *              must not see them
 *   pmu-el2    ask the cycle counter to count EL2 too (PMCCFILTR_EL0.NSH) and
 *              print what the filter reads back
 *   sgi-flood  with interrupts masked, send SGIs 0-14 to itself count=N
 *              (default 200) times each, then unmask and count deliveries:
 *              "attack-state: sgi-flood delivered D distinct S" (each SGI
 *              pending at most once: D == S == 15)
 *   irq-hold   take an SPI (irq=N, default 40) of the cell's own: make it
 *              pending (GICD_ISPENDR), acknowledge it and never end it; the
 *              cell stays like that until destroyed
 *   irq-get    make that SPI pending and wait for it: "irq-get got N" or
 *              "irq-get none" (after irq-hold in a previous cell on the same
 *              CPU, "none" means the physical interrupt was left active)
 *   smccc      SMCCC_ARCH_FEATURES of WORKAROUND_1/2/3:
 *              "attack-state: smccc wa1=R1 wa2=R2 wa3=R3"
 *
 * Registers: V0-V31, FPCR, FPSR; SVE Z0-Z31 (at the largest vector
 * length), P0-P15, FFR, ZCR_EL1 when the CPU has SVE; PMU (PMCR_EL0's
 * writable bits, PMCNTENSET, PMINTENSET, PMOVSSET, PMSELR, PMUSERENR,
 * PMCCNTR, PMCCFILTR, every event counter and type); debug (DBGBVR0,
 * DBGBCR0, DBGWVR0, DBGWCR0, MDSCR_EL1); both EL1 timers (CTL, CVAL) and
 * CNTKCTL; TPIDR_EL0, TPIDRRO_EL0, CONTEXTIDR_EL1, PAR_EL1, CSSELR_EL1,
 * ACTLR_EL1; the pointer-authentication keys when the CPU has them.
 *
 * Built with -mgeneral-regs-only like every inmate: FP/SIMD and SVE are
 * touched only by the inline assembly here, after CPACR_EL1 enables them.
 */
#include <inmate.h>

#define CPACR_FPEN		(3ULL << 20)
#define CPACR_ZEN		(3ULL << 16)
#define PMCCFILTR_NSH		(1ULL << 27)
#define PATTERN			0x5741524457415244ULL	/* "WARDWARD" */

static char mode[32];
static bool has_sve, has_pauth, has_pmu;
static unsigned int dirty;
static u8 zbuf[256] __attribute__((aligned(16)));

static void check(const char *name, u64 value, u64 expect)
{
	if (value == expect)
		return;
	dirty++;
	printk("attack-state: dirty %s=0x%llx\n", name, value);
}

/* ---- FP/SIMD */
#define VREAD(n) do {							\
	u64 lo, hi;							\
	asm volatile("mov %0, v" #n ".d[0]\n\tmov %1, v" #n ".d[1]"	\
		     : "=r"(lo), "=r"(hi));				\
	check("V" #n, lo | hi, 0);					\
} while (0)
#define VFILL(n) asm volatile("dup v" #n ".2d, %0" : : "r"(PATTERN + n))

static void fp_read(void)
{
	u64 v;

	VREAD(0); VREAD(1); VREAD(2); VREAD(3); VREAD(4); VREAD(5); VREAD(6);
	VREAD(7); VREAD(8); VREAD(9); VREAD(10); VREAD(11); VREAD(12);
	VREAD(13); VREAD(14); VREAD(15); VREAD(16); VREAD(17); VREAD(18);
	VREAD(19); VREAD(20); VREAD(21); VREAD(22); VREAD(23); VREAD(24);
	VREAD(25); VREAD(26); VREAD(27); VREAD(28); VREAD(29); VREAD(30);
	VREAD(31);
	asm volatile("mrs %0, fpcr" : "=r"(v));
	check("FPCR", v, 0);
	asm volatile("mrs %0, fpsr" : "=r"(v));
	check("FPSR", v, 0);
}

static void fp_fill(void)
{
	VFILL(0); VFILL(1); VFILL(2); VFILL(3); VFILL(4); VFILL(5); VFILL(6);
	VFILL(7); VFILL(8); VFILL(9); VFILL(10); VFILL(11); VFILL(12);
	VFILL(13); VFILL(14); VFILL(15); VFILL(16); VFILL(17); VFILL(18);
	VFILL(19); VFILL(20); VFILL(21); VFILL(22); VFILL(23); VFILL(24);
	VFILL(25); VFILL(26); VFILL(27); VFILL(28); VFILL(29); VFILL(30);
	VFILL(31);
	asm volatile("msr fpcr, %0" : : "r"(0x3c00000ULL));	/* RMode, FZ, DN */
	asm volatile("msr fpsr, %0" : : "r"(0x1fULL));
}

/* ---- SVE: registers stored one at a time into zbuf */
#define ZCR_EL1			S3_0_C1_C2_0
#define SVE_ASM(s)		".arch_extension sve\n\t" s

static unsigned int sve_vl(void)
{
	u64 vl;

	asm volatile(SVE_ASM("rdvl %0, #1") : "=r"(vl));
	return (unsigned int)vl;
}

static void buf_check(const char *what, unsigned int n, unsigned int len)
{
	unsigned int i;
	char name[16];

	for (i = 0; i < len; i++)
		if (zbuf[i]) {
			snprintf(name, sizeof(name), "%s%u[%u]", what, n, i);
			check(name, zbuf[i], 0);
			return;
		}
}

#define ZREAD(n) do {							\
	asm volatile(SVE_ASM("str z" #n ", [%0]") : : "r"(zbuf) : "memory"); \
	buf_check("Z", n, vl);						\
} while (0)
#define PREAD(n) do {							\
	asm volatile(SVE_ASM("str p" #n ", [%0]") : : "r"(zbuf) : "memory"); \
	buf_check("P", n, vl / 8);					\
} while (0)
#define ZFILL(n) asm volatile(SVE_ASM("dup z" #n ".d, %0") : : "r"(PATTERN + n))
#define PFILL(n) asm volatile(SVE_ASM("ptrue p" #n ".b"))

static void sve_read(void)
{
	unsigned int vl;

	check("ZCR_EL1", read_sysreg(ZCR_EL1), 0);
	/* The largest vector length: what a previous owner left above ours too. */
	write_sysreg(ZCR_EL1, 0xf);
	asm volatile("isb");
	vl = sve_vl();
	printk("attack-state: SVE vector length %u bytes\n", vl);
	/* Predicates before anything that writes one (FFR goes through P0). */
	PREAD(0); PREAD(1); PREAD(2); PREAD(3); PREAD(4); PREAD(5); PREAD(6);
	PREAD(7); PREAD(8); PREAD(9); PREAD(10); PREAD(11); PREAD(12);
	PREAD(13); PREAD(14); PREAD(15);
	asm volatile(SVE_ASM("rdffr p0.b\n\tstr p0, [%0]") : : "r"(zbuf) : "memory");
	buf_check("FFR", 0, vl / 8);
	ZREAD(0); ZREAD(1); ZREAD(2); ZREAD(3); ZREAD(4); ZREAD(5); ZREAD(6);
	ZREAD(7); ZREAD(8); ZREAD(9); ZREAD(10); ZREAD(11); ZREAD(12);
	ZREAD(13); ZREAD(14); ZREAD(15); ZREAD(16); ZREAD(17); ZREAD(18);
	ZREAD(19); ZREAD(20); ZREAD(21); ZREAD(22); ZREAD(23); ZREAD(24);
	ZREAD(25); ZREAD(26); ZREAD(27); ZREAD(28); ZREAD(29); ZREAD(30);
	ZREAD(31);
}

static void sve_fill(void)
{
	ZFILL(0); ZFILL(1); ZFILL(2); ZFILL(3); ZFILL(4); ZFILL(5); ZFILL(6);
	ZFILL(7); ZFILL(8); ZFILL(9); ZFILL(10); ZFILL(11); ZFILL(12);
	ZFILL(13); ZFILL(14); ZFILL(15); ZFILL(16); ZFILL(17); ZFILL(18);
	ZFILL(19); ZFILL(20); ZFILL(21); ZFILL(22); ZFILL(23); ZFILL(24);
	ZFILL(25); ZFILL(26); ZFILL(27); ZFILL(28); ZFILL(29); ZFILL(30);
	ZFILL(31);
	asm volatile(SVE_ASM("setffr"));
	PFILL(0); PFILL(1); PFILL(2); PFILL(3); PFILL(4); PFILL(5); PFILL(6);
	PFILL(7); PFILL(8); PFILL(9); PFILL(10); PFILL(11); PFILL(12);
	PFILL(13); PFILL(14); PFILL(15);
	write_sysreg(ZCR_EL1, 0x3);
}

/* ---- PMU */
static unsigned int pmu_counters(void)
{
	return (read_sysreg(pmcr_el0) >> 11) & 0x1f;
}

static void pmu_read(void)
{
	unsigned int n, counters = pmu_counters();
	char name[24];

	check("PMCR_EL0", read_sysreg(pmcr_el0) & 0xff, 0);
	check("PMCNTENSET_EL0", read_sysreg(pmcntenset_el0), 0);
	check("PMINTENSET_EL1", read_sysreg(pmintenset_el1), 0);
	check("PMOVSSET_EL0", read_sysreg(pmovsset_el0), 0);
	check("PMUSERENR_EL0", read_sysreg(pmuserenr_el0), 0);
	check("PMCCFILTR_EL0", read_sysreg(pmccfiltr_el0), 0);
	check("PMCCNTR_EL0", read_sysreg(pmccntr_el0), 0);
	for (n = 0; n < counters; n++) {
		write_sysreg(pmselr_el0, n);
		asm volatile("isb");
		snprintf(name, sizeof(name), "PMEVTYPER%u_EL0", n);
		check(name, read_sysreg(pmxevtyper_el0), 0);
		snprintf(name, sizeof(name), "PMEVCNTR%u_EL0", n);
		check(name, read_sysreg(pmxevcntr_el0), 0);
	}
	write_sysreg(pmselr_el0, 0);
	check("PMSELR_EL0", read_sysreg(pmselr_el0), 0);
}

static void pmu_fill(void)
{
	unsigned int n, counters = pmu_counters();

	for (n = 0; n < counters; n++) {
		write_sysreg(pmselr_el0, n);
		asm volatile("isb");
		write_sysreg(pmxevtyper_el0, 0x11);	/* CPU_CYCLES */
		write_sysreg(pmxevcntr_el0, 0x12340000 + n);
	}
	write_sysreg(pmccfiltr_el0, 0);
	write_sysreg(pmccntr_el0, PATTERN);
	write_sysreg(pmintenset_el1, 1ULL << 31);
	write_sysreg(pmuserenr_el0, 0xd);
	write_sysreg(pmcntenset_el0, (1ULL << 31) | ((1ULL << counters) - 1));
	write_sysreg(pmcr_el0, 0x1 | (1 << 6));		/* E, LC */
	write_sysreg(pmselr_el0, 3);
}

static void pmu_el2(void)
{
	write_sysreg(pmccfiltr_el0, PMCCFILTR_NSH);
	asm volatile("isb");
	printk("attack-state: pmu-el2 pmccfiltr=0x%llx\n", read_sysreg(pmccfiltr_el0));
}

/* ---- debug, timers, thread ids, PAuth keys, the rest */
#define DBGBVR0_EL1		S2_0_C0_C0_4
#define DBGBCR0_EL1		S2_0_C0_C0_5
#define DBGWVR0_EL1		S2_0_C0_C0_6
#define DBGWCR0_EL1		S2_0_C0_C0_7
#define MDSCR_EL1		S2_0_C0_C2_2
#define ACTLR_EL1		S3_0_C1_C0_1
#define APIAKEYLO_EL1		S3_0_C2_C1_0
#define APIAKEYHI_EL1		S3_0_C2_C1_1
#define APIBKEYLO_EL1		S3_0_C2_C1_2
#define APIBKEYHI_EL1		S3_0_C2_C1_3
#define APDAKEYLO_EL1		S3_0_C2_C2_0
#define APDAKEYHI_EL1		S3_0_C2_C2_1
#define APDBKEYLO_EL1		S3_0_C2_C2_2
#define APDBKEYHI_EL1		S3_0_C2_C2_3
#define APGAKEYLO_EL1		S3_0_C2_C3_0
#define APGAKEYHI_EL1		S3_0_C2_C3_1

#define CHECK_REG(reg, expect)	check(#reg, read_sysreg(reg), expect)

static void misc_read(void)
{
	CHECK_REG(DBGBVR0_EL1, 0);
	CHECK_REG(DBGBCR0_EL1, 0);
	CHECK_REG(DBGWVR0_EL1, 0);
	CHECK_REG(DBGWCR0_EL1, 0);
	CHECK_REG(MDSCR_EL1, 0);
	CHECK_REG(cntv_ctl_el0, 0);
	CHECK_REG(cntv_cval_el0, 0);
	CHECK_REG(cntp_ctl_el0, 0);
	CHECK_REG(cntp_cval_el0, 0);
	CHECK_REG(cntkctl_el1, 0);
	CHECK_REG(tpidr_el0, 0);
	CHECK_REG(tpidrro_el0, 0);
	CHECK_REG(contextidr_el1, 0);
	CHECK_REG(par_el1, 0);
	CHECK_REG(csselr_el1, 0);
	CHECK_REG(ACTLR_EL1, 0);
	if (has_pauth) {
		CHECK_REG(APIAKEYLO_EL1, 0);
		CHECK_REG(APIAKEYHI_EL1, 0);
		CHECK_REG(APIBKEYLO_EL1, 0);
		CHECK_REG(APIBKEYHI_EL1, 0);
		CHECK_REG(APDAKEYLO_EL1, 0);
		CHECK_REG(APDAKEYHI_EL1, 0);
		CHECK_REG(APDBKEYLO_EL1, 0);
		CHECK_REG(APDBKEYHI_EL1, 0);
		CHECK_REG(APGAKEYLO_EL1, 0);
		CHECK_REG(APGAKEYHI_EL1, 0);
	}
}

static void misc_fill(void)
{
	write_sysreg(DBGBVR0_EL1, 0x1000);
	write_sysreg(DBGBCR0_EL1, 0x1e7);
	write_sysreg(DBGWVR0_EL1, 0x2000);
	write_sysreg(DBGWCR0_EL1, 0x1ff7);
	write_sysreg(MDSCR_EL1, 1ULL << 15);	/* MDE */
	/* Timers far in the future, enabled but masked: no interrupt here. */
	write_sysreg(cntv_cval_el0, PATTERN);
	write_sysreg(cntv_ctl_el0, 3);
	write_sysreg(cntp_cval_el0, PATTERN + 1);
	write_sysreg(cntp_ctl_el0, 3);
	write_sysreg(cntkctl_el1, 0x3);
	write_sysreg(tpidr_el0, PATTERN);
	write_sysreg(tpidrro_el0, PATTERN);
	write_sysreg(contextidr_el1, 0x5744);
	write_sysreg(par_el1, 0x57415000);
	write_sysreg(csselr_el1, 2);
	write_sysreg(ACTLR_EL1, 0x1);
	if (has_pauth) {
		write_sysreg(APIAKEYLO_EL1, PATTERN);
		write_sysreg(APIAKEYHI_EL1, PATTERN);
		write_sysreg(APIBKEYLO_EL1, PATTERN);
		write_sysreg(APIBKEYHI_EL1, PATTERN);
		write_sysreg(APDAKEYLO_EL1, PATTERN);
		write_sysreg(APDAKEYHI_EL1, PATTERN);
		write_sysreg(APDBKEYLO_EL1, PATTERN);
		write_sysreg(APDBKEYHI_EL1, PATTERN);
		write_sysreg(APGAKEYLO_EL1, PATTERN);
		write_sysreg(APGAKEYHI_EL1, PATTERN);
	}
	asm volatile("isb");
}

static void detect(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);
	u64 isar1 = read_sysreg(id_aa64isar1_el1);
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned int pmuver = (dfr0 >> 8) & 0xf;

	has_sve = (pfr0 >> 32) & 0xf;
	has_pauth = isar1 & 0xff000ff0ULL;
	has_pmu = pmuver && pmuver != 0xf;
	printk("attack-state: features sve=%u pauth=%u pmu=%u (PMUVer %u)\n",
	       has_sve, has_pauth, has_pmu, pmuver);
	write_sysreg(cpacr_el1, read_sysreg(cpacr_el1) | CPACR_FPEN |
				(has_sve ? CPACR_ZEN : 0));
	asm volatile("isb");
}

static void read_all(void)
{
	dirty = 0;
	fp_read();
	if (has_sve)
		sve_read();
	if (has_pmu)
		pmu_read();
	misc_read();
	if (dirty)
		printk("attack-state: read dirty %u\n", dirty);
	else
		printk("attack-state: read clean\n");
}

static void fill_all(void)
{
	fp_fill();
	if (has_sve)
		sve_fill();
	if (has_pmu)
		pmu_fill();
	misc_fill();
	printk("attack-state: fill done\n");
}

/* ---- interrupts */
static volatile unsigned int sgi_count[16];

static void count_sgi(unsigned int intid, u64 ticks __unused)
{
	if (intid < 16)
		sgi_count[intid]++;
}

static void sgi_flood(void)
{
	u64 rounds = cmdline_get_u64("count", 200), i;
	unsigned int sgi, delivered = 0, distinct = 0;
	u64 self = read_sysreg(mpidr_el1);

	gic_init_cpu();
	irq_set_handler(count_sgi);
	for (sgi = 0; sgi < 15; sgi++)
		gic_enable_ppi(sgi, 0x80);
	irq_disable();
	for (i = 0; i < rounds; i++)
		for (sgi = 0; sgi < 15; sgi++)
			gic_send_sgi(self, sgi);
	irq_enable();
	delay_us(10000);
	irq_disable();
	for (sgi = 0; sgi < 15; sgi++) {
		delivered += sgi_count[sgi];
		distinct += sgi_count[sgi] != 0;
	}
	printk("attack-state: sgi-flood sent %llu delivered %u distinct %u\n",
	       rounds * 15, delivered, distinct);
}

#define ICC_DIR_EL1		S3_0_C12_C11_1

static void spi_pend(unsigned int irq)
{
	u64 gicd = comm_gicd_base();

	gic_enable_spi(irq, 0x80);
	mmio_write32(gicd + 0x200 + 4 * (irq / 32), 1U << (irq % 32));	/* ISPENDR */
}

static void irq_hold(void)
{
	unsigned int irq = (unsigned int)cmdline_get_u64("irq", 40);
	u64 deadline, iar = 1023;

	gic_init_cpu();
	irq_disable();
	spi_pend(irq);
	deadline = timer_ticks() + us_to_ticks(100000);
	while (timer_ticks() < deadline) {
		iar = read_sysreg(ICC_IAR1_EL1) & 0xffffff;
		if (iar < 1020)
			break;
	}
	/* Acknowledged, and never ended: active until the vCPU goes. */
	printk("attack-state: irq-hold acknowledged %llu\n", iar);
}

static volatile unsigned int got_irq = 1023;

static void note_irq(unsigned int intid, u64 ticks __unused)
{
	got_irq = intid;
}

static void irq_get(void)
{
	unsigned int irq = (unsigned int)cmdline_get_u64("irq", 40);

	gic_init_cpu();
	irq_set_handler(note_irq);
	spi_pend(irq);
	irq_enable();
	delay_us(50000);
	irq_disable();
	if (got_irq < 1020)
		printk("attack-state: irq-get got %u\n", got_irq);
	else
		printk("attack-state: irq-get none\n");
}

static void smccc(void)
{
	long v = smc_call(SMCCC_VERSION, 0, 0, 0);

	printk("attack-state: smccc version 0x%lx wa1=%ld wa2=%ld wa3=%ld\n", v,
	       smc_call(0x80000001, 0x80008000, 0, 0),
	       smc_call(0x80000001, 0x80007fff, 0, 0),
	       smc_call(0x80000001, 0x80003fff, 0, 0));
}

static void spin_us(u64 us)
{
	u64 end = timer_ticks() + us_to_ticks(us);

	while (timer_ticks() < end)
		cpu_relax();
}

int main(void)
{
	if (!cmdline_get("mode", NULL, mode, sizeof(mode))) {
		printk("attack-state: no mode= (read fill pmu-el2 sgi-flood irq-hold irq-get smccc)\n");
		return 0;
	}
	/*
	 * The hypervisor console is shared, character by character: let the
	 * root's "Started cell" line finish before ours, which the test reads.
	 * Polling the counter: the timer (CNTV_CVAL) is one of the registers.
	 */
	spin_us(100000);
	printk("attack-state: %s start\n", mode);
	detect();
	if (!strcmp(mode, "read")) {
		read_all();
	} else if (!strcmp(mode, "fill")) {
		read_all();
		fill_all();
	} else if (!strcmp(mode, "pmu-el2")) {
		pmu_el2();
	} else if (!strcmp(mode, "sgi-flood")) {
		sgi_flood();
	} else if (!strcmp(mode, "irq-hold")) {
		irq_hold();
	} else if (!strcmp(mode, "irq-get")) {
		irq_get();
	} else if (!strcmp(mode, "smccc")) {
		smccc();
	} else {
		printk("attack-state: unknown mode '%s'\n", mode);
		return 0;
	}
	printk("attack-state: %s survived\n", mode);
	return 0;
}
