/*
 * The running CPU's per_cpu area (TPIDR_EL2 holds it from entry on), and the
 * generic timer's counter for timeouts: leaves every part of the hypervisor
 * calls, apart from the set-up code so that calling them adds no dependency
 * on it.
 */
#include <wd/control.h>
#include <wd/percpu.h>
#include <asm/processor.h>
#include <asm/sysregs.h>

struct per_cpu *this_cpu(void)
{
	return (struct per_cpu *)read_sysreg(tpidr_el2);
}

u64 timer_ticks(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

u64 timer_ticks_per_sec(void)
{
	return read_sysreg(cntfrq_el0);
}
