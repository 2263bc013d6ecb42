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
	timer_stop();
	return true;
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

	if (!gic_cpu_ready()) {
		while (timer_ticks() < deadline)
			cpu_relax();
		return;
	}
	daif = read_sysreg(daif);
	irq_disable();
	sleeping[cpu] = true;
	timer_arm_at(deadline);
	while (timer_ticks() < deadline) {
		wfi();
		irq_enable();
		isb();
		irq_disable();
	}
	sleeping[cpu] = false;
	timer_stop();
	write_sysreg(daif, daif);
}
