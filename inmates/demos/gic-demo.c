/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gic-demo: a periodic virtual-timer interrupt (PPI 27), measuring how late
 * each one is handled: latency = counter value read on entry to the IRQ
 * vector minus the deadline the timer was programmed with, in counter ticks
 * (CNTFRQ per second; 62.5 MHz on QEMU). Deadlines advance by exactly one
 * period, so a late interrupt does not shift the ones after it; a deadline
 * already past when it is programmed counts as an overrun and restarts the
 * schedule from now.
 *
 * Built as the bare variant it measures the board itself: the reference
 * the same measurement in a cell is compared with.
 *
 * Command line:
 *   period=<us>   timer period (default 10000)
 *   count=<n>     stop after n interrupts, print the summary, then the exit=
 *                 policy (default 0 = run until shut down)
 *   report=<n>    print a line every n interrupts (default 100; 0 = never)
 *
 * Output:
 *   gic-demo: start period=<us> us (<ticks> ticks) count=<n> report=<n> freq=<Hz> Hz
 *   gic-demo: ticks=<total> latency min=<a> avg=<b> max=<c> (ticks)
 *       (each report: statistics of the interrupts since the previous one)
 *   gic-demo: summary ticks=<total> latency min=<a> avg=<b> max=<c> (ticks)
 *       min_ns=<> avg_ns=<> max_ns=<> overruns=<n> freq=<Hz>
 *       (one line: all interrupts; on count reached and on shutdown)
 */
#include <inmate.h>

struct stats {
	u64 n, sum, min, max;
};

static u64 period_ticks;
static u64 deadline;
static volatile u64 total;
static volatile u64 overruns;
static struct stats window, all;
static bool summary_done;

static void stats_add(struct stats *s, u64 v)
{
	if (!s->n || v < s->min)
		s->min = v;
	if (v > s->max)
		s->max = v;
	s->sum += v;
	s->n++;
}

static void timer_irq(unsigned int intid, u64 entry_ticks)
{
	u64 latency, now;

	if (intid != TIMER_VIRT_PPI)
		return;
	latency = entry_ticks > deadline ? entry_ticks - deadline : 0;
	stats_add(&window, latency);
	stats_add(&all, latency);
	total++;

	deadline += period_ticks;
	now = timer_ticks();
	if (deadline <= now) {
		overruns++;
		deadline = now + period_ticks;
	}
	timer_arm_at(deadline);
}

static void print_summary(void)
{
	struct stats s;

	irq_disable();
	s = all;
	irq_enable();
	if (summary_done)
		return;
	summary_done = true;
	if (!s.n) {
		printk("gic-demo: summary ticks=0 (no timer interrupt arrived)\n");
		return;
	}
	printk("gic-demo: summary ticks=%llu latency min=%llu avg=%llu max=%llu (ticks) "
	       "min_ns=%llu avg_ns=%llu max_ns=%llu overruns=%llu freq=%llu\n",
	       s.n, s.min, s.sum / s.n, s.max, ticks_to_ns(s.min),
	       ticks_to_ns(s.sum / s.n), ticks_to_ns(s.max), overruns, timer_freq());
}

static bool on_shutdown(void)
{
	timer_stop();
	print_summary();
	return true;
}

int main(void)
{
	u64 period = cmdline_get_u64("period", 10000);
	u64 count = cmdline_get_u64("count", 0);
	u64 report = cmdline_get_u64("report", 100);
	u64 reported = 0;
	bool warned = false;

	if (!period)
		period = 10000;
	period_ticks = us_to_ticks(period);
	if (!period_ticks)
		period_ticks = 1;
	printk("gic-demo: start period=%llu us (%llu ticks) count=%llu report=%llu freq=%llu Hz\n",
	       period, period_ticks, count, report, timer_freq());

	comm_region_set_shutdown_handler(on_shutdown);
	irq_set_handler(timer_irq);
	irq_disable();
	deadline = timer_ticks() + period_ticks;
	timer_arm_at(deadline);
	irq_enable();

	/*
	 * Poll until the first interrupt arrives: if none ever does, WFI would
	 * never return and the cell could not even answer a shutdown request.
	 */
	while (!total) {
		if (!warned && timer_ticks() > deadline + timer_freq()) {
			gic_timer_report("gic-demo: no timer interrupt 1 s after the deadline");
			warned = true;
		}
		comm_region_poll();
		cpu_relax();
	}

	for (;;) {
		u64 t;

		wfi();
		comm_region_poll();
		t = total;
		if (report && t >= reported + report) {
			struct stats w;

			irq_disable();
			w = window;
			window.n = 0;
			window.sum = 0;
			window.max = 0;
			irq_enable();
			reported = t;
			if (w.n)
				printk("gic-demo: ticks=%llu latency min=%llu avg=%llu max=%llu (ticks)\n",
				       t, w.min, w.sum / w.n, w.max);
		}
		if (count && t >= count)
			break;
	}
	timer_stop();
	print_summary();
	return 0;
}
