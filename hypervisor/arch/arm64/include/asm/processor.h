/*
 * Hints for code that spins on memory written by another CPU.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

/*
 * YIELD tells the core (and an emulator that runs several vCPUs on one thread,
 * like QEMU with -icount) that this CPU is only waiting, so the CPU it waits
 * for gets to run. The "memory" clobber makes the compiler reload what the
 * loop polls. On the host (unit tests) it is only a compiler barrier.
 */
static inline void cpu_relax(void)
{
#ifdef __aarch64__
	asm volatile("yield" ::: "memory");
#else
	asm volatile("" ::: "memory");
#endif
}

#endif
