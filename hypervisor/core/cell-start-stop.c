/*
 * A created cell's run states: set-loadable (stop it, lend its loadable regions
 * to the root), start (take them back, reset its devices and comm region, and
 * send its first CPU to the reset address), and the stops a cell brings on
 * itself (a fault that fails it, or its own switch-off). The management calls
 * run under mgmt_lock; cell_fail and cell_shut_down_self run on the cell's own
 * CPU without it and touch only what cpu_state_lock guards.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/vpci.h>
#include "cell-mgmt.h"

/* Out of line: inlined, it was compiled with the hot dispatch's -O2 (hypercall.c). */
__noinline long cell_set_loadable(struct per_cpu *pc, unsigned long id)
{
	struct cell *cell;
	long err;

	cell = managed_cell(pc, id, &err);
	if (!cell)
		return err;
	err = request_shutdown(cell);
	if (!err)
		err = cell_stop_cpus(cell, pc);
	if (err)
		return err;
	if (cell->state == WD_CELL_RUNNING || cell->state == WD_CELL_RUNNING_LOCKED)
		cell->state = WD_CELL_SHUT_DOWN;
	cell->comm_page->cell_state = cell->state;
	vpci_cell_stopped(cell);
	if (cell->loadable)
		return 0;
	err = root_map_loadable(pc, cell, true);
	if (err == -ETIMEDOUT)
		return err;
	cell->loadable = true;
	if (err)
		return refuse(err, WD_REASON_MEMORY_OR_NOMEM,
			      0, 0,
			      "cell '%s': mapping its loadable regions into the root cell failed (error %ld)",
			      cell->config->name, err);
	printk("Cell '%s' is loadable\n", cell->config->name);
	return 0;
}

long cell_start(struct per_cpu *pc, unsigned long id)
{
	struct cell *cell;
	struct per_cpu *first = NULL;
	unsigned int cpu;
	long err;

	cell = managed_cell(pc, id, &err);
	if (!cell)
		return err;
	if (cell->state == WD_CELL_RUNNING || cell->state == WD_CELL_RUNNING_LOCKED)
		return refuse(-EBUSY, WD_REASON_CELL, cell->id, 0,
			      "cell '%s' is already running", cell->config->name);
	err = cell_stop_cpus(cell, pc);
	if (err)
		return err;
	if (cell->loadable) {
		err = root_map_loadable(pc, cell, false);
		if (err == -ETIMEDOUT)
			return err;
		if (err)
			return refuse(err, WD_REASON_MEMORY_OR_NOMEM, 0, 0,
				      "cell '%s': taking its loadable regions back from the root cell failed (error %ld)",
				      cell->config->name, err);
		cell->loadable = false;
	}
	vpci_cell_reset(cell);
	comm_region_init(cell);
	arch_cell_tlb_flush(cell);
	cell->state = WD_CELL_RUNNING;
	spin_lock(&cpu_state_lock);
	for_each_cpu_in_cell(cpu, cell) {
		if (!first)
			first = per_cpu(cpu);
		per_cpu(cpu)->failed = false;
		per_cpu(cpu)->cpu_on_pending = false;
	}
	first->cpu_on_entry = cell->config->cpu_reset_address;
	first->cpu_on_context = 0;
	cell->stopping = false;
	__atomic_store_n(&first->cpu_on_pending, true, __ATOMIC_RELEASE);
	spin_unlock(&cpu_state_lock);
	arch_wake_cpu(first);
	printk("Started cell '%s' on CPU %u at 0x%llx\n", cell->config->name,
	       first->cpu_id, cell->config->cpu_reset_address);
	return 0;
}

/* Park the other CPUs of the caller's cell, and then the caller. */
static void cell_stop_self(struct per_cpu *pc, u32 state)
{
	struct cell *cell = pc->cell;

	spin_lock(&cpu_state_lock);
	if (cell->state != WD_CELL_FAILED)
		cell->state = state;
	if (cell->comm_page)
		cell->comm_page->cell_state = cell->state;
	spin_unlock(&cpu_state_lock);
	vpci_cell_stopped(cell);
	cell_request_park(cell, pc);
	cpu_park(pc);
}

void cell_fail(struct per_cpu *pc, const char *why)
{
	/*
	 * A stop in progress (park requested, e.g. with the cell's memory
	 * revoked to force this CPU out): the trap is its doing, just park.
	 */
	if (__atomic_load_n(&pc->park_requested, __ATOMIC_ACQUIRE)) {
		cpu_park(pc);
		return;
	}
	printk("cell '%s': CPU %u: %s; cell stopped (failed)\n",
	       pc->cell->config->name, pc->cpu_id, why);
	pc->failed = true;
	cell_stop_self(pc, WD_CELL_FAILED);
}

void cell_shut_down_self(struct per_cpu *pc)
{
	printk("cell '%s': switched itself off\n", pc->cell->config->name);
	cell_stop_self(pc, WD_CELL_SHUT_DOWN);
}
