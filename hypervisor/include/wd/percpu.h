#ifndef WD_PERCPU_H
#define WD_PERCPU_H

#include <wd/types.h>
#include <asm/layout.h>
#include <asm/percpu.h>
#include <warden/hypercall.h>

struct cell;
struct vpci_dev;

enum cpu_run_state {
	CPU_RUNNING = 0,	/* runs its cell's code */
	CPU_PARKED,		/* off for its cell (PSCI CPU_OFF, not started, failed) */
};

/*
 * One per CPU, statically in the image: the stack first (growing down towards
 * the area of the previous CPU is not possible: it grows away from the data),
 * then the data. TPIDR_EL2 points to it.
 */
struct per_cpu {
	u8 stack[PER_CPU_STACK_SIZE];
	union {
		struct {
			unsigned int cpu_id;
			u64 mpidr;
			struct cell *cell;
			bool initialized;
			volatile bool failed;
			volatile enum cpu_run_state run_state;

			/* PSCI CPU_ON request handed over by another CPU */
			volatile bool cpu_on_pending;
			u64 cpu_on_entry;
			u64 cpu_on_context;

			/* Requests from a management CPU, signalled by the event SGI */
			volatile bool park_requested;
			volatile bool suspend_requested;
			volatile bool suspended;

			u64 stats[WD_CPU_NUM_STATS];
			struct arch_cpu arch;

			/*
			 * The ivshmem doorbell this CPU last rang the general
			 * way, for the light exit (core/ivshmem-fast.c): its
			 * address and device, valid while its cell's MMIO
			 * layout is still @layout; @seen is the layout the light
			 * exit last saw before it declined.
			 */
			struct {
				u64 layout, seen, ipa;
				struct vpci_dev *dev;
			} doorbell;
		};
		u8 data_area[PER_CPU_DATA_SIZE];
	};
} __aligned(PAGE_SIZE);

_Static_assert(sizeof(struct per_cpu) == PER_CPU_SIZE, "per-CPU layout");
_Static_assert(sizeof(struct guest_regs) == GUEST_FRAME_SIZE, "guest frame");

extern struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];

static inline struct per_cpu *per_cpu(unsigned int cpu)
{
	return &per_cpu_area[cpu];
}

static inline struct guest_regs *guest_regs(struct per_cpu *pc)
{
	return (struct guest_regs *)(pc->stack + PER_CPU_STACK_SIZE -
				     GUEST_FRAME_SIZE);
}

struct per_cpu *this_cpu(void);

#ifdef CONFIG_WD_STATISTICS
#define cpu_stat_inc(pc, stat)	((pc)->stats[stat]++)
#else
#define cpu_stat_inc(pc, stat)	do { } while (0)
#endif

#endif
