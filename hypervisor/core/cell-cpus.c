/*
 * Who runs which CPU: the rules every change of a CPU's owner follows.
 *
 * A CPU changes owner (or starts running guest code) only while it is
 * parked, and only under cpu_state_lock, which also guards the transitions
 * PARKED -> RUNNING (cpu_park) and the flags that forbid them: a cell being
 * stopped (cell->stopping), the root being held for a stage-2 change
 * (root_frozen). A CPU that does not reach the parked state in time is never
 * given away: the operation fails, the CPU stays with its cell (failed).
 *
 * Forcing: a parked request travels as the hypervisor's event SGI, which a
 * cell could keep from arriving through GIC state. A CPU that does not answer
 * it gets its cell's stage-2 translations revoked: its next instruction fetch
 * or memory access traps to EL2, which no guest state can mask, and the trap
 * handler parks it (cell_fail sees the park request). Only a CPU that sleeps
 * in WFI with every interrupt blocked escapes both; it stays owned by its
 * failed cell, and a later destroy tries again.
 *
 * Management calls are serialised by mgmt_lock; a root CPU waiting for it
 * keeps answering suspend requests, so that the holder can hold the root.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/dma-view.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <asm/processor.h>

spinlock_t cpu_state_lock;
bool root_frozen;
static bool mgmt_busy;

u64 ms_to_ticks(u64 ms, u64 freq)
{
	/* ms * freq / 1000 without the product: ms may be up to 2^64 - 1. */
	u64 whole = ms / 1000, rest = ms % 1000;

	if (freq && whole > ~0ULL / freq)
		return ~0ULL;
	return whole * freq + rest * freq / 1000;
}

u64 deadline_after_ms(u64 ms)
{
	u64 now = timer_ticks(), d = ms_to_ticks(ms, timer_ticks_per_sec());

	return now + d < now ? ~0ULL : now + d;
}

/* The suspend handshake of a root CPU (cpu_handle_event and lock waiters). */
void cpu_serve_suspend(struct per_cpu *pc)
{
	if (!__atomic_load_n(&pc->suspend_requested, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&pc->suspended, true, __ATOMIC_RELEASE);
	while (__atomic_load_n(&pc->suspend_requested, __ATOMIC_ACQUIRE))
		cpu_relax();
	__atomic_store_n(&pc->suspended, false, __ATOMIC_RELEASE);
}

/* Out of line: the management dispatch (hypercall.c) and disable share one copy. */
__noinline void mgmt_lock(struct per_cpu *pc)
{
	while (__atomic_exchange_n(&mgmt_busy, true, __ATOMIC_ACQUIRE)) {
		cpu_serve_suspend(pc);
		cpu_relax();
	}
}

void mgmt_unlock(void)
{
	__atomic_store_n(&mgmt_busy, false, __ATOMIC_RELEASE);
}

bool mgmt_locked(void)
{
	return __atomic_load_n(&mgmt_busy, __ATOMIC_ACQUIRE);
}

/* Revoke the cell's guest-physical space: every access of its CPUs traps. */
static void stage2_revoke(struct cell *cell)
{
	u64 *root = cell->stage2.root;
	u64 bytes = (u64)cell->stage2.root_pages * PAGE_SIZE;
	unsigned int n;

	if (cell->stage2_revoked || !cell->stage2_saved || !root)
		return;
	memcpy(cell->stage2_saved, root, bytes);
	for (n = 0; n < bytes / sizeof(u64); n++)
		__atomic_store_n(&root[n], 0, __ATOMIC_RELAXED);
	cell->stage2_revoked = true;
	dma_view_follow(cell);		/* its devices lose it too */
	arch_cell_tlb_flush(cell);
}

void cell_stage2_restore(struct cell *cell)
{
	if (!cell->stage2_revoked)
		return;
	memcpy(cell->stage2.root, cell->stage2_saved,
	       (u64)cell->stage2.root_pages * PAGE_SIZE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cell->stage2_revoked = false;
	dma_view_follow(cell);
}

/* The first CPU of @cell (other than @self) that is not parked, or -1. */
static int first_unparked(struct cell *cell, struct per_cpu *self)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, cell) {
		struct per_cpu *t = per_cpu(cpu);

		if (t != self &&
		    __atomic_load_n(&t->run_state, __ATOMIC_ACQUIRE) != CPU_PARKED)
			return (int)cpu;
	}
	return -1;
}

static int wait_parked(struct cell *cell, struct per_cpu *self, u64 ms)
{
	u64 deadline = deadline_after_ms(ms);
	int cpu;

	while ((cpu = first_unparked(cell, self)) >= 0) {
		if (timer_ticks() > deadline)
			return cpu;
		cpu_relax();
	}
	return -1;
}

/*
 * Mark @cell as stopping (no CPU of it starts any more) and ask its running
 * CPUs other than @self to park. Returns how many were asked.
 */
unsigned int cell_request_park(struct cell *cell, struct per_cpu *self)
{
	unsigned int cpu, asked = 0;

	spin_lock(&cpu_state_lock);
	cell->stopping = true;
	for_each_cpu_in_cell(cpu, cell) {
		struct per_cpu *t = per_cpu(cpu);

		if (t == self || t->run_state == CPU_PARKED)
			continue;
		__atomic_store_n(&t->park_requested, true, __ATOMIC_RELEASE);
		asked++;
	}
	spin_unlock(&cpu_state_lock);
	for_each_cpu_in_cell(cpu, cell)
		if (per_cpu(cpu) != self && per_cpu(cpu)->park_requested)
			arch_wake_cpu(per_cpu(cpu));
	return asked;
}

int cell_stop_cpus(struct cell *cell, struct per_cpu *self)
{
	int cpu;

	cpu = cell_request_park(cell, self) ?
	      wait_parked(cell, self, CPU_PARK_TIMEOUT_MS) : -1;
	if (cpu >= 0) {
		if (!cell->stage2_revoked)
			printk("cell '%s': CPU %d did not answer the park request: revoking the cell's memory to force it into the hypervisor\n",
			       cell->config->name, cpu);
		stage2_revoke(cell);
		cell_request_park(cell, self);
		cpu = wait_parked(cell, self, CPU_PARK_TIMEOUT_MS);
	}
	if (cpu >= 0) {
		per_cpu(cpu)->failed = true;
		cell->state = WD_CELL_FAILED;
		if (cell->comm_page)
			cell->comm_page->cell_state = WD_CELL_FAILED;
		return refuse(-ETIMEDOUT, WD_REASON_TIMEOUT, (u64)cpu, 0,
			      "cell '%s': CPU %d did not park within %u ms, even with its memory revoked; the cell keeps it and stays (failed): destroy it again later",
			      cell->config->name, cpu, 2 * CPU_PARK_TIMEOUT_MS);
	}
	/* Everyone is parked and stays so: the tables can come back. */
	cell_stage2_restore(cell);
	return 0;
}

/* Hold the root's other running CPUs at EL2 while its page tables change. */
int root_cpus_suspend(struct per_cpu *self)
{
	u64 deadline;
	unsigned int cpu;

	spin_lock(&cpu_state_lock);
	root_frozen = true;
	for_each_cpu_in_cell(cpu, &root_cell) {
		struct per_cpu *t = per_cpu(cpu);

		if (t == self || !t->initialized || t->run_state != CPU_RUNNING)
			continue;
		__atomic_store_n(&t->suspend_requested, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&cpu_state_lock);
	for_each_cpu_in_cell(cpu, &root_cell)
		if (per_cpu(cpu)->suspend_requested)
			arch_wake_cpu(per_cpu(cpu));

	deadline = deadline_after_ms(CPU_PARK_TIMEOUT_MS);
	for_each_cpu_in_cell(cpu, &root_cell) {
		struct per_cpu *t = per_cpu(cpu);

		/* Parking (PSCI CPU_OFF) instead is as good: it runs no guest code. */
		while (t->suspend_requested &&
		       !__atomic_load_n(&t->suspended, __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&t->run_state, __ATOMIC_ACQUIRE) != CPU_PARKED) {
			if (timer_ticks() > deadline) {
				root_cpus_resume(self);
				return refuse(-ETIMEDOUT, WD_REASON_TIMEOUT, cpu, 0,
					      "root cell CPU %u did not stop for the stage-2 change within %u ms: nothing was changed",
					      cpu, CPU_PARK_TIMEOUT_MS);
			}
			cpu_relax();
		}
	}
	return 0;
}

void root_cpus_resume(struct per_cpu *self)
{
	unsigned int cpu;

	spin_lock(&cpu_state_lock);
	root_frozen = false;
	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
		__atomic_store_n(&per_cpu(cpu)->suspend_requested, false,
				 __ATOMIC_RELEASE);
	spin_unlock(&cpu_state_lock);
	/* A root CPU_ON that came in meanwhile waits for a nudge. */
	for_each_cpu_in_cell(cpu, &root_cell)
		if (per_cpu(cpu) != self && per_cpu(cpu)->initialized &&
		    per_cpu(cpu)->run_state == CPU_PARKED &&
		    per_cpu(cpu)->cpu_on_pending)
			arch_wake_cpu(per_cpu(cpu));
}

/*
 * Called with cpu_state_lock by a parked CPU that has a CPU_ON request: may
 * it run its cell's code now? Consumes (drops) the request when not.
 */
bool cpu_may_start(struct per_cpu *pc)
{
	if (!pc->cpu_on_pending)
		return false;
	if (pc->cell->stopping || hypervisor_shutting_down) {
		/* The cell is being stopped or handed on: the request is void. */
		pc->cpu_on_pending = false;
		return false;
	}
	/* The root's CPUs wait until its stage-2 change is done. */
	return !(pc->cell == &root_cell && root_frozen);
}

/*
 * Give the parked CPUs of @from to @to (cpu_state_lock held): -1. With
 * nothing changed, the first of them that is not parked (or is @self, or not
 * @from's, or being brought online by the root).
 */
int cpus_hand_over(struct cell *from, struct cell *to, const u64 *set,
		   struct per_cpu *self)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++) {
		struct per_cpu *t = per_cpu(cpu);

		if (!((set[cpu / 64] >> (cpu % 64)) & 1))
			continue;
		/* The root is bringing it online: it is not the root's to give. */
		if (t == self || t->cell != from || t->run_state != CPU_PARKED ||
		    (from == &root_cell && t->cpu_on_pending))
			return (int)cpu;
	}
	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++) {
		struct per_cpu *t = per_cpu(cpu);

		if (!((set[cpu / 64] >> (cpu % 64)) & 1))
			continue;
		/* A request of the old owner must not start it for the new one. */
		t->cpu_on_pending = false;
		t->park_requested = false;
		t->failed = false;
		t->cell = to;
		from->cpu_set[cpu / 64] &= ~(1ULL << (cpu % 64));
		to->cpu_set[cpu / 64] |= 1ULL << (cpu % 64);
	}
	return -1;
}
