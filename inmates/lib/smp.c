/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Starting further CPUs of the cell. Each started CPU gets its own stack (by
 * image CPU index, see head.S), brings up its GIC interface, runs the
 * function it was started with and then switches itself off again.
 */
#include "internal.h"

static void (*volatile secondary_fn[INMATE_MAX_CPUS])(unsigned int);

long smp_start_cpu(u64 mpidr, unsigned int index, void (*fn)(unsigned int))
{
	if (index == 0 || index >= INMATE_MAX_CPUS)
		return PSCI_INVALID_PARAMETERS;
	secondary_fn[index] = fn;
	dsb(sy);
	return psci_call(PSCI_CPU_ON_64, mpidr, (u64)(uintptr_t)secondary_entry, index);
}

void inmate_secondary_start(unsigned int index)
{
	void (*fn)(unsigned int) = secondary_fn[index];

	gic_init_cpu();
	if (fn)
		fn(index);
	irq_disable();
	timer_stop();
	psci_call(PSCI_CPU_OFF, 0, 0, 0);
	/* CPU_OFF does not return when it works. */
	halt();
}
