/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The EL1 virtual timer and counter. delay_us() sleeps on the timer interrupt
 * (WFI) once this CPU's GIC interface is up, so that a waiting inmate does
 * not keep its physical CPU (or a host thread of an emulator) busy; before
 * that it polls the counter.
 */
#include "internal.h"

#define CNTV_CTL_ENABLE		(1U << 0)
#define CNTV_CTL_IMASK		(1U << 1)
#define CNTV_CTL_ISTATUS	(1U << 2)

/* Per CPU: a delay_us() is waiting; the library's IRQ code takes the tick. */
static volatile bool sleeping[INMATE_MAX_CPUS];

u64 timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

u64 timer_ticks(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

void timer_arm_at(u64 deadline)
{
	write_sysreg(cntv_cval_el0, deadline);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_stop(void)
{
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

u64 ticks_to_ns(u64 ticks)
{
	u64 f = timer_freq();

	/* Split to avoid overflow for large tick counts. */
	return f ? (ticks / f) * 1000000000ULL + (ticks % f) * 1000000000ULL / f : 0;
}

u64 us_to_ticks(u64 us)
{
	u64 f = timer_freq();

	return (us / 1000000) * f + (us % 1000000) * f / 1000000;
}

/* Called by the IRQ code for the timer PPI: was it a delay_us() wake-up? */
bool timer_sleep_tick(void)
{
	unsigned int cpu = this_cpu_index();

	if (!sleeping[cpu])
		return false;
	/*
	 * Only a timer whose condition holds (ISTATUS) ends the sleep. Under
	 * a hypervisor the virtual tick stays pending in a list register even
	 * after its source dropped: a tick of the previous delay, listed just
	 * as that delay ended on a counter read, is taken only in the next
	 * one, after the timer was armed again. Stopping the timer then would
	 * leave the CPU in WFI with nothing to wake it (the frozen bystander of
	 * tests/qemu/65-vits-race.sh). A stale tick is just acknowledged.
	 */
	if (read_sysreg(cntv_ctl_el0) & CNTV_CTL_ISTATUS)
		timer_stop();
	return true;
}

/* Is a (virtual) IRQ pending for this CPU, masked or not? */
static bool irq_pending(void)
{
	return read_sysreg(isr_el1) & (1U << 7);
}

/*
 * The first sleep on each CPU checks that the timer interrupt arrives at
 * all, polling instead of sleeping: without it WFI would never return and
 * the inmate could not even answer a shutdown request. If it does not show
 * up within TIMER_GRACE_US after the deadline, that is reported once and
 * this CPU polls the counter from then on.
 */
#define TIMER_GRACE_US	200000

enum { TIRQ_UNKNOWN, TIRQ_WORKS, TIRQ_MISSING };
static volatile u8 timer_irq_state[INMATE_MAX_CPUS];

static void take_pending_irq(void)
{
	irq_enable();
	isb();
	irq_disable();
}

static void first_sleep(unsigned int cpu, u64 deadline)
{
	u64 give_up = deadline + us_to_ticks(TIMER_GRACE_US);

	while (!irq_pending()) {
		if (timer_ticks() >= give_up) {
			timer_irq_state[cpu] = TIRQ_MISSING;
			gic_timer_report("inmate: no timer interrupt, polling the counter instead");
			return;
		}
		cpu_relax();
	}
	timer_irq_state[cpu] = TIRQ_WORKS;
	take_pending_irq();
}

/*
 * Interrupts stay masked while we test the deadline and wait: a pending
 * interrupt still ends WFI, and is then taken in the short unmasked window.
 * Taking it between the test and the WFI could otherwise leave us asleep
 * with the timer already stopped.
 */
void delay_us(u64 us)
{
	u64 deadline = timer_ticks() + us_to_ticks(us);
	unsigned int cpu = this_cpu_index();
	u64 daif;

	if (!gic_cpu_ready() || timer_irq_state[cpu] == TIRQ_MISSING) {
		while (timer_ticks() < deadline)
			cpu_relax();
		return;
	}
	daif = read_sysreg(daif);
	irq_disable();
	sleeping[cpu] = true;
	timer_arm_at(deadline);
	if (timer_irq_state[cpu] == TIRQ_UNKNOWN)
		first_sleep(cpu, deadline);
	while (timer_ticks() < deadline) {
		if (timer_irq_state[cpu] == TIRQ_MISSING) {
			cpu_relax();
			continue;
		}
		wfi();
		take_pending_irq();
	}
	sleeping[cpu] = false;
	timer_stop();
	write_sysreg(daif, daif);
}
