/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench: the micro-benchmarks behind "make bench" (bench/cell.sh runs it in
 * a cell and bare on the board; bench/report.py reads its output). Meant for
 * QEMU with "-icount shift=0,sleep=off": the virtual clock then advances one
 * nanosecond per guest instruction, so every time below is an instruction
 * count.
 *
 * The clock. The generic counter (62.5 MHz on QEMU) ticks every 16
 * instructions, too coarse for a path of a few dozen instructions. QEMU
 * derives the PMU cycle counter from the same virtual clock at 1 GHz, i.e.
 * one count per instruction, so the benchmark runs PMCCNTR_EL0 (counting at
 * EL2 too, PMCCFILTR_EL0.NSH) and first checks that it advances exactly
 * 1e9/CNTFRQ per counter tick. If it does not (no icount, real hardware),
 * everything falls back to counter ticks scaled to nanoseconds and the
 * output says clock=cntvct.
 *
 * Phases (all by default; run=timer,hvc,mmio,spin picks some):
 *   hvc    hypercall round trip: HYPERVISOR_GET_INFO(NUM_CELLS), which does
 *          no work, in batches; the same loop without the hvc is measured as
 *          the overhead to subtract (cell only: bare, hvc reaches QEMU's PSCI)
 *   mmio   a read of GICD_TYPER in batches, and the same loop without it
 *          (in a cell the distributor is emulated: every read traps)
 *   spin   spin=<ms> of polling the comm region with no interrupt: VM exits
 *          in that time (cell only)
 *   timer  count=<n>+1 virtual timer interrupts (PPI 27) every period=<us>;
 *          latency = clock at the IRQ vector minus the deadline programmed
 *          in CNTV_CVAL; the first interrupt is not recorded. Also the VM
 *          exits taken meanwhile (cell only).
 * The cell reads its own exit counters (CPU_GET_INFO statistics, allowed for
 * a cell's own CPUs); each read is itself one exit, which is subtracted.
 *
 * Output (one item per line, numbers in instructions unless named):
 *   bench: start variant=cell|bare freq=<Hz> clock=pmccntr|cntvct ipt=<n>
 *   bench: selfcheck exits=<n>            (exits between two reads; 1 expected)
 *   bench: loop name=hvc|hvc_empty|mmio|mmio_empty batch=<n> totals=<t> <t> ...
 *   bench: spin ticks=<n> exits=<n>
 *   bench: timer n=<n> period_ticks=<n> exits=<n> virq_exits=<n>
 *          overruns=<n> coarse_mismatch=<n>
 *   bench: timer_samples <v> <v> ...     (n values over several lines)
 *   bench: done
 */
#include <inmate.h>
#include <warden/hypercall.h>

#define PMCR_E			(1U << 0)
#define PMCR_C			(1U << 2)
#define PMCNTEN_C		(1U << 31)
#define PMCCFILTR_NSH		(1U << 27)

#define GICD_TYPER		0x0004

#define MAX_SAMPLES		1500	/* the cell has 64 KiB; bench/cell.sh asks for 1000 */
#define MAX_BATCHES		200
#define SAMPLES_PER_LINE	12

static bool fine;		/* PMCCNTR counts instructions */
static u64 ipt;			/* instructions (ns) per counter tick */
static u64 koff;		/* PMCCNTR at counter tick T = ipt * T + koff */
static int stat_cpu = -1;	/* hypervisor index of our CPU, for statistics */

static u32 samples[MAX_SAMPLES];
static u64 totals[MAX_BATCHES];

/* ---- the clock */

static inline u64 cycles(void)
{
	return read_sysreg(pmccntr_el0);
}

static u64 now(void)
{
	return fine ? cycles() : timer_ticks() * ipt;
}

/*
 * Spin until the counter moves on; return the new tick and the cycle count
 * read three instructions after the read that saw it. That read came 0, 1
 * or 2 instructions after the tick began (the loop takes three).
 */
static u64 tick_edge(u64 *cyc)
{
	u64 t0, t, c;

	asm volatile("mrs	%0, cntvct_el0\n"
		     "1:	mrs	%1, cntvct_el0\n"
		     "cmp	%1, %0\n"
		     "b.eq	1b\n"
		     "mrs	%2, pmccntr_el0\n"
		     : "=&r" (t0), "=&r" (t), "=&r" (c) : : "cc");
	*cyc = c;
	return t;
}

static void spin_n(u64 n)
{
	asm volatile("cbz	%0, 2f\n"
		     "1:	subs	%0, %0, #1\n"
		     "b.ne	1b\n"
		     "2:\n"
		     : "+r" (n) : : "cc");
}

static void clock_init(void)
{
	u64 freq = timer_freq(), c0, c1, t0, t1, est, i;

	ipt = freq ? 1000000000ULL / freq : 16;
	write_sysreg(pmccfiltr_el0, PMCCFILTR_NSH);
	write_sysreg(pmcr_el0, read_sysreg(pmcr_el0) | PMCR_E | PMCR_C);
	write_sysreg(pmcntenset_el0, PMCNTEN_C);
	isb();

	/* Does PMCCNTR advance exactly ipt per tick over 1000 ticks? */
	t0 = tick_edge(&c0);
	while (timer_ticks() < t0 + 1000)
		;
	t1 = tick_edge(&c1);
	/* Each edge is seen 0..2 instructions late: allow that much. */
	fine = freq && 1000000000ULL % freq == 0 &&
	       c1 - c0 + 2 >= ipt * (t1 - t0) && c1 - c0 <= ipt * (t1 - t0) + 2;
	if (!fine)
		return;

	/*
	 * The offset: each edge gives it plus 0..2; starting the loop after a
	 * varying number of instructions lets some attempt meet the edge at 0.
	 */
	koff = ~0ULL;
	for (i = 0; i < 48; i++) {
		spin_n(i);
		t0 = tick_edge(&c0);
		est = c0 - 3 - ipt * t0;
		if (est < koff)
			koff = est;
	}
}

/* ---- exit statistics of our own CPU (cell only) */

static void find_stat_cpu(void)
{
	int cpu;

	if (inmate_is_bare())
		return;
	/* A cell may read only its own CPUs: the one that answers is ours. */
	for (cpu = 0; cpu < 64; cpu++)
		if (hypercall(WD_HC_CPU_GET_INFO, cpu, WD_CPU_INFO_STATE) >= 0) {
			stat_cpu = cpu;
			return;
		}
}

static long own_stat(unsigned int which)
{
	if (stat_cpu < 0)
		return -1;
	return hypercall(WD_HC_CPU_GET_INFO, stat_cpu, WD_CPU_INFO_STAT_BASE + which);
}

/* Exits between two reads, not counting the second read's own exit. */
static long exits_between(long before, long after)
{
	return before < 0 || after < 0 ? -1 : after - before - 1;
}

/* ---- batched loops: each returns the clock spent on n iterations */

static u64 loop_hvc(u64 n)
{
	u64 t = now();

	asm volatile("1:	mov	x0, #" __stringify(WD_HC_HYPERVISOR_GET_INFO) "\n"
		     "mov	x1, #" __stringify(WD_INFO_NUM_CELLS) "\n"
		     "hvc	#" __stringify(WD_HVC_IMM) "\n"
		     "subs	%0, %0, #1\n"
		     "b.ne	1b\n"
		     : "+r" (n) : : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
		       "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
		       "x17", "cc", "memory");
	return now() - t;
}

static u64 loop_hvc_empty(u64 n)
{
	u64 t = now();

	asm volatile("1:	mov	x0, #" __stringify(WD_HC_HYPERVISOR_GET_INFO) "\n"
		     "mov	x1, #" __stringify(WD_INFO_NUM_CELLS) "\n"
		     "subs	%0, %0, #1\n"
		     "b.ne	1b\n"
		     : "+r" (n) : : "x0", "x1", "x2", "cc", "memory");
	return now() - t;
}

static u64 mmio_addr;

static u64 loop_mmio(u64 n)
{
	u64 t = now();

	asm volatile("1:	ldr	w2, [%1]\n"
		     "subs	%0, %0, #1\n"
		     "b.ne	1b\n"
		     : "+r" (n) : "r" (mmio_addr) : "x2", "cc", "memory");
	return now() - t;
}

static u64 loop_mmio_empty(u64 n)
{
	u64 t = now();

	asm volatile("1:	subs	%0, %0, #1\n"
		     "b.ne	1b\n"
		     : "+r" (n) : "r" (mmio_addr) : "x2", "cc", "memory");
	return now() - t;
}

static void run_loop(const char *name, u64 (*fn)(u64), u64 batch, u64 batches)
{
	char line[256];
	int len;
	u64 i;

	if (batches > MAX_BATCHES)
		batches = MAX_BATCHES;
	fn(batch);	/* warm-up, not recorded */
	for (i = 0; i < batches; i++) {
		totals[i] = fn(batch);
		comm_region_poll();
	}
	/* Several lines of at most ~200 characters each. */
	for (i = 0; i < batches;) {
		len = snprintf(line, sizeof(line), "bench: loop name=%s batch=%llu totals=",
			       name, batch);
		while (i < batches && len < 200)
			len += snprintf(line + len, sizeof(line) - len, " %llu", totals[i++]);
		printk("%s\n", line);
	}
}

/* ---- spin */

static void run_spin(u64 ms)
{
	u64 t0, t1, end;
	long e0, e1;

	timer_stop();
	e0 = own_stat(WD_CPU_STAT_VMEXITS_TOTAL);
	t0 = timer_ticks();
	end = t0 + us_to_ticks(ms * 1000);
	do {
		comm_region_poll();
		t1 = timer_ticks();
	} while (t1 < end);
	e1 = own_stat(WD_CPU_STAT_VMEXITS_TOTAL);
	printk("bench: spin ticks=%llu exits=%ld\n", t1 - t0, exits_between(e0, e1));
}

/* ---- timer */

static u64 period_ticks;
static volatile u64 deadline;
static volatile u64 irqs;
static u64 wanted;
static u64 overruns, mismatch;

static void timer_irq(unsigned int intid, u64 entry_ticks)
{
	u64 lat, coarse, now_t;

	if (intid != TIMER_VIRT_PPI)
		return;
	coarse = entry_ticks > deadline ? (entry_ticks - deadline) * ipt : 0;
	if (fine) {
		lat = irq_entry_cycles() - (ipt * deadline + koff);
		/* The counter was read one instruction before the cycles. */
		if (lat < coarse + 1 || lat > coarse + ipt)
			mismatch++;
	} else {
		lat = coarse;
	}
	if (irqs && irqs <= MAX_SAMPLES)
		samples[irqs - 1] = lat > 0xffffffffULL ? 0xffffffffU : (u32)lat;
	irqs++;
	if (irqs >= wanted) {
		timer_stop();
		return;
	}
	deadline += period_ticks;
	now_t = timer_ticks();
	if (deadline <= now_t) {
		overruns++;
		deadline = now_t + period_ticks;
	}
	timer_arm_at(deadline);
}

static void run_timer(u64 count, u64 period_us)
{
	char line[256];
	long e0, e1, v0, v1;
	u64 n, i;
	int len;

	if (count > MAX_SAMPLES)
		count = MAX_SAMPLES;
	wanted = count + 1;	/* the first one is not recorded */
	period_ticks = us_to_ticks(period_us) ? us_to_ticks(period_us) : 1;
	irq_set_handler(timer_irq);

	v0 = own_stat(WD_CPU_STAT_VMEXITS_VIRQ);
	e0 = own_stat(WD_CPU_STAT_VMEXITS_TOTAL);
	irq_disable();
	deadline = timer_ticks() + period_ticks;
	timer_arm_at(deadline);
	/* Interrupts stay masked except inside the window after WFI. */
	while (irqs < wanted) {
		wfi();
		irq_enable();
		isb();
		irq_disable();
	}
	e1 = own_stat(WD_CPU_STAT_VMEXITS_TOTAL);
	v1 = own_stat(WD_CPU_STAT_VMEXITS_VIRQ);
	irq_enable();
	irq_set_handler(NULL);

	n = count;
	printk("bench: timer n=%llu period_ticks=%llu exits=%ld virq_exits=%ld "
	       "overruns=%llu coarse_mismatch=%llu\n", n, period_ticks,
	       exits_between(e0, e1), v0 < 0 || v1 < 0 ? -1 : v1 - v0,
	       overruns, mismatch);
	for (i = 0; i < n;) {
		len = snprintf(line, sizeof(line), "bench: timer_samples");
		while (i < n && len < 200)
			len += snprintf(line + len, sizeof(line) - len, " %u", samples[i++]);
		printk("%s\n", line);
	}
}

static bool want(const char *what, const char *run)
{
	size_t n = strlen(what);
	const char *p = run;

	if (!strcmp(run, "all"))
		return true;
	while (*p) {
		if (!strncmp(p, what, n) && (p[n] == ',' || !p[n]))
			return true;
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	return false;
}

int main(void)
{
	char buf[64];
	const char *run;
	u64 count = cmdline_get_u64("count", 1000);
	u64 period = cmdline_get_u64("period", 1000);
	u64 batch = cmdline_get_u64("batch", 1000);
	u64 batches = cmdline_get_u64("batches", 100);
	u64 spin = cmdline_get_u64("spin", 200);
	long e0, e1;

	run = cmdline_get("run", "all", buf, sizeof(buf));
	if (!batch)
		batch = 1;
	clock_init();
	/* The IRQ vector reads the cycle counter only when it is our clock. */
	if (fine)
		irq_entry_read_cycles();
	find_stat_cpu();
	printk("bench: start variant=%s freq=%llu clock=%s ipt=%llu run=%s\n",
	       inmate_is_bare() ? "bare" : "cell", timer_freq(),
	       fine ? "pmccntr" : "cntvct", ipt, run);

	if (stat_cpu >= 0) {
		e0 = own_stat(WD_CPU_STAT_VMEXITS_TOTAL);
		e1 = own_stat(WD_CPU_STAT_VMEXITS_TOTAL);
		printk("bench: selfcheck exits=%ld\n", exits_between(e0, e1) + 1);
	}
	if (want("hvc", run) && !inmate_is_bare()) {
		run_loop("hvc_empty", loop_hvc_empty, batch, batches / 10 ? batches / 10 : 1);
		run_loop("hvc", loop_hvc, batch, batches);
	}
	if (want("mmio", run)) {
		mmio_addr = (inmate_is_bare() || !comm_gicd_base() ?
			     QEMU_GICD_BASE : comm_gicd_base()) + GICD_TYPER;
		run_loop("mmio_empty", loop_mmio_empty, batch, batches / 10 ? batches / 10 : 1);
		run_loop("mmio", loop_mmio, batch, batches);
	}
	if (want("spin", run) && !inmate_is_bare())
		run_spin(spin);
	if (want("timer", run))
		run_timer(count, period);
	printk("bench: done\n");
	return 0;
}
