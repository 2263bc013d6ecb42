/*
 * A cell's comm region (Jailhouse's communication page, rev. WD_COMM_REVISION):
 * what the hypervisor tells the cell there (state, console, GIC, vPCI), and the
 * message protocol by which the root asks a running cell to stop.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/paging.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/string.h>
#include <asm/processor.h>
#include "cell-mgmt.h"

#define DEFAULT_REPLY_TIMEOUT_MS 1000

void comm_region_init(struct cell *cell)
{
	struct wd_comm_region *comm = cell->comm_page;
	const struct wd_arm_platform *arm = &system_config->platform.arm;

	memset(comm, 0, PAGE_SIZE);
	memcpy(comm->signature, WD_COMM_SIGNATURE, sizeof(comm->signature));
	comm->revision = WD_COMM_REVISION;
	comm->cell_state = WD_CELL_RUNNING;
	/* The two console flags are the configuration's top two bits, in order. */
	_Static_assert(WD_CELL_VIRTUAL_CONSOLE_PERMITTED >> 30 == WD_COMM_FLAG_DBG_PUTC_PERMITTED &&
		       WD_CELL_VIRTUAL_CONSOLE_ACTIVE >> 30 == WD_COMM_FLAG_DBG_PUTC_ACTIVE,
		       "console flags");
	comm->flags = (u32)cell->config->flags >> 30;
	comm->console = cell->config->console;
	/* Every cell has the virtual PCI host there (vpci.c). */
	comm->pci_mmconfig_base = system_config->platform.pci_mmconfig_base;
	comm->gic_version = arm->gic_version;
	comm->gicd_base = arm->gicd_base;
	comm->gicc_base = arm->gicc_base;
	comm->gicr_base = arm->gicr_base;
	comm->vpci_irq_base = cell->config->vpci_irq_base;
}

const struct wd_mem_region *cell_comm_region(const struct wd_cell_desc *c)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(c);
	unsigned int n;

	for (n = 0; n < c->num_memory_regions; n++, mem++)
		if ((mem->flags & WD_MEM_COMM_REGION) && mem->size)
			return mem;
	return NULL;
}

int map_comm_region(struct cell *cell)
{
	const struct wd_mem_region *mem = cell_comm_region(cell->config);

	cell->comm_page = page_alloc(1);
	if (!cell->comm_page)
		return -ENOMEM;
	comm_region_init(cell);
	cell->comm_page->cell_state = WD_CELL_SHUT_DOWN;
	if (!mem)
		return 0;
	return paging_map(&cell->stage2, mem->virt_start,
			  (u64)(uintptr_t)cell->comm_page, PAGE_SIZE, PAGE_RW,
			  false);
}

/* The comm-region protocol: may the running cell be stopped? */
int request_shutdown(struct cell *cell)
{
	struct wd_comm_region *comm = cell->comm_page;
	u64 ms = cell->config->msg_reply_timeout ? cell->config->msg_reply_timeout :
						      DEFAULT_REPLY_TIMEOUT_MS;
	u64 deadline;
	unsigned int cpu;
	u32 reply;

	if (cell->state != WD_CELL_RUNNING)
		return 0;
	if (comm->cell_state == WD_CELL_RUNNING_LOCKED)
		return refuse(-EPERM, WD_REASON_CELL, cell->id, 0,
			      "cell '%s' is locked against shutdown (its comm region says running/locked)",
			      cell->config->name);
	if ((cell->config->flags & WD_CELL_PASSIVE_COMMREG) ||
	    !cell_comm_region(cell->config))
		return 0;
	/* Bounded at create (MAX_REPLY_TIMEOUT_MS); computed without overflow. */
	deadline = deadline_after_ms(MIN(ms, (u64)MAX_REPLY_TIMEOUT_MS));
	comm->reply_from_cell = WD_MSG_NONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	comm->msg_to_cell = WD_MSG_SHUTDOWN_REQUEST;
	/* An idle cell sleeps in WFI: an exit to the hypervisor wakes it. */
	for_each_cpu_in_cell(cpu, cell)
		if (per_cpu(cpu)->run_state == CPU_RUNNING)
			arch_wake_cpu(per_cpu(cpu));
	while ((reply = comm->reply_from_cell) == WD_MSG_NONE &&
	       cell->state == WD_CELL_RUNNING && timer_ticks() < deadline)
		cpu_relax();
	comm->msg_to_cell = WD_MSG_NONE;
	if (reply == WD_MSG_REQUEST_DENIED)
		return refuse(-EPERM, WD_REASON_CELL, cell->id, 0,
			      "cell '%s' denied the shutdown request",
			      cell->config->name);
	if (reply == WD_MSG_NONE && cell->state == WD_CELL_RUNNING) {
		printk("cell '%s' did not answer the shutdown request within %llu ms: treated as failed\n",
		       cell->config->name, ms);
		cell->state = WD_CELL_FAILED;
		comm->cell_state = WD_CELL_FAILED;
	}
	return 0;
}
