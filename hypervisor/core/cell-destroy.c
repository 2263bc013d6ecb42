/*
 * Destroying a cell and giving back all it held: its CPUs park, its DMA
 * streams abort, its RAM is scrubbed (the next owner must not see what the
 * cell left) while the root runs on, then, with the root's CPUs held for a
 * moment, its CPUs, interrupts and the scrubbed RAM go back to the root and
 * its state is freed. A region that cannot be scrubbed stays away from the
 * root.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/dma-view.h>
#include <wd/errno.h>
#include <wd/iommu.h>
#include <wd/paging.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/string.h>
#include <wd/vpci.h>
#include <wd/vpci-phys.h>
#include "cell-mgmt.h"

/* Pages scrubbed per temporary mapping. */
#define SCRUB_CHUNK_PAGES	512

/*
 * Zero memory a cell gives back and clean it to the point of coherency, so
 * that neither the root nor the next cell sees what the cell left there,
 * not even through a mapping that bypasses the caches.
 */
static u64 scrub_memory(const struct wd_mem_region *mem)
{
	u64 done, chunk;
	u64 *va;

	for (done = 0; done < mem->size; done += chunk) {
		chunk = MIN(mem->size - done, (u64)SCRUB_CHUNK_PAGES * PAGE_SIZE);
		va = arch_map_temp(mem->phys_start + done, chunk);
		if (!va) {
			/* The remap pool is short: a page at a time then. */
			chunk = PAGE_SIZE;
			va = arch_map_temp(mem->phys_start + done, chunk);
		}
		if (!va)
			return done;
		arch_scrub_memory(va, chunk);
		arch_unmap_temp(va, chunk);
	}
	return done;
}

void cell_free(struct cell *cell)
{
	vpci_cell_destroy(cell);
	cell_stage2_restore(cell);
	if (cell->stage2.root)
		arch_cell_tlb_flush(cell);
	arch_cell_destroy(cell);	/* no stream translates with its tables now */
	dma_view_destroy(cell);
	paging_destroy(&cell->stage2);
	if (cell->comm_page)
		page_free(cell->comm_page, 1);
	if (cell->stage2_saved)
		page_free(cell->stage2_saved, cell->stage2.root_pages);
	page_free((void *)cell->config, cell->config_pages);
	page_free(cell, PAGES(sizeof(*cell)));
}

static void cell_unlink(struct cell *cell)
{
	struct cell **link;

	for (link = &cells; *link; link = &(*link)->next)
		if (*link == cell) {
			*link = cell->next;
			num_cells--;
			break;
		}
}

/*
 * Scrub the cell's RAM regions in order with the root running (the cell's
 * CPUs are parked and its streams abort: nobody writes there, and the root
 * cannot read it yet). Returns the index of the first region not
 * scrubbed in full (num_memory_regions when all were): the rest is left to
 * the hold (cell_release), which tries again and keeps what it cannot scrub.
 */
static unsigned int scrub_cell_ram(struct cell *cell, u64 *scrubbed, u64 *ticks)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell->config);
	unsigned int n;
	u64 t0, done;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		/* RAM only: zeros written to a device's registers do harm. */
		if (!region_moves(mem) || (mem->flags & WD_MEM_IO))
			continue;
		t0 = timer_ticks();
		done = scrub_memory(mem);
		*ticks += timer_ticks() - t0;
		*scrubbed += done;
		if (done < mem->size)
			break;
	}
	return n;
}

/*
 * Everything a stopped cell holds goes back to the root (whose other CPUs are
 * suspended); frees the cell. Its RAM regions below @clean were scrubbed
 * already; from @clean on, RAM is scrubbed here. -EBUSY, with nothing
 * changed here, if one of its CPUs is not parked.
 */
static int cell_release(struct per_cpu *pc, struct cell *cell,
			unsigned int clean, u64 *scrubbed, u64 *scrub_ticks)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell->config);
	u64 set[CPU_SET_WORDS], done, t0;
	unsigned int n;
	bool moved;

	memcpy(set, cell->cpu_set, sizeof(set));
	spin_lock(&cpu_state_lock);
	moved = cpus_hand_over(cell, &root_cell, set, pc) < 0;
	spin_unlock(&cpu_state_lock);
	if (!moved)
		return -EBUSY;
	move_irqs(cell, &root_cell, cell->config);
	/* No CPU runs the cell's code any more: flush before the root sees it. */
	cell_stage2_restore(cell);
	arch_cell_tlb_flush(cell);
	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!region_moves(mem))
			continue;
		if (n >= clean && !(mem->flags & WD_MEM_IO)) {
			t0 = timer_ticks();
			done = scrub_memory(mem);
			*scrub_ticks += timer_ticks() - t0;
			*scrubbed += done;
			if (done < mem->size) {
				/* Never hand on what may still hold the cell's data. */
				printk("cell '%s': memory region #%u could not be scrubbed (no room to map it): kept from the root cell\n",
				       cell->config->name, n);
				continue;
			}
		}
		root_map_region(mem, true);
	}
	paging_flush(&root_cell.stage2);
	cell_unlink(cell);
	cell_free(cell);
	return 0;
}

/* A destroy that stopped halfway: the cell cannot run on, say so. */
static void cell_mark_failed(struct cell *cell)
{
	spin_lock(&cpu_state_lock);
	cell->state = WD_CELL_FAILED;
	if (cell->comm_page)
		cell->comm_page->cell_state = WD_CELL_FAILED;
	spin_unlock(&cpu_state_lock);
}

/*
 * The order: the cell's CPUs park (and stay parked: the cell is stopping),
 * its DMA streams abort, its RAM is scrubbed on this CPU while the root's
 * other CPUs keep running (the RAM is in nobody's reach: not in the root's
 * stage 2, no CPU or stream of the cell runs), and only then are the root's
 * CPUs held, briefly, to hand CPUs, interrupts and the scrubbed memory back.
 * Scrubbing 128 MiB takes tens of milliseconds on hardware and seconds
 * under emulation; the root no longer stops for it.
 */
long cell_destroy(struct per_cpu *pc, unsigned long id)
{
	struct cell *cell;
	char name[WD_CELL_NAME_LEN];
	u64 scrubbed = 0, scrub_ticks = 0;
	unsigned int clean;
	long err;

	cell = managed_cell(pc, id, &err);
	if (!cell)
		return err;
	err = request_shutdown(cell);
	if (!err)
		err = cell_stop_cpus(cell, pc);	/* -ETIMEDOUT: the cell stays */
	if (err)
		return err;
	memcpy(name, cell->config->name, sizeof(name));
	/*
	 * Its devices may still be doing DMA: their streams abort (units
	 * synchronised) before any of its memory is scrubbed or the root's.
	 */
	iommu_cell_abort(cell);
	/* Then the ITS forgets its functions' MSIs (the device can no longer send any). */
	vpci_phys_msi_release(cell);
	clean = scrub_cell_ram(cell, &scrubbed, &scrub_ticks);
	err = root_cpus_suspend(pc);
	if (err) {
		/* Its RAM may be zeros now and its devices cut off: it cannot carry on. */
		cell_mark_failed(cell);
		printk("cell '%s': destroy stopped before the hand-back (its memory scrubbed, its streams aborted); the cell stays (failed): destroy it again\n",
		       name);
		return err;
	}
	err = cell_release(pc, cell, clean, &scrubbed, &scrub_ticks);
	root_cpus_resume(pc);
	if (err) {
		cell_mark_failed(cell);
		return refuse(err, WD_REASON_CELL, cell->id, 0,
			      "cell '%s': a CPU left the parked state during destroy; the cell stays (failed)",
			      name);
	}
	if (scrubbed)
		printk("cell '%s': %llu KiB of memory scrubbed in %llu us\n",
		       name, scrubbed >> 10,
		       scrub_ticks * 1000000 / timer_ticks_per_sec());
	printk("Destroyed cell '%s', page pool %llu/%llu used\n", name,
	       mem_pool.used, mem_pool.pages);
	return 0;
}
