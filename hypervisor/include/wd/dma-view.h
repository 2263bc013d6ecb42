/*
 * A cell's DMA view: the stage-2 tables its devices (its streams on the
 * IOMMU) translate with, when they must reach a page its CPUs must not. The
 * case: a cell's physical PCI function sends MSIs by writing the physical
 * ITS's GITS_TRANSLATER page; a CPU of the cell writing there could forge
 * other devices' MSIs (the ITS takes the device id from the bus, not from
 * the write, so a device can only ever name itself).
 *
 * The view is the CPUs' stage 2 plus those pages and nothing else: its root
 * table(s) are a copy of the CPUs' root that shares every lower table (RAM
 * and devices are the same tables, so they cannot drift apart), and the
 * extra pages live in one root slot of their own, the highest one the
 * stage-2 geometry reaches, which the CPUs' tables and the cell's
 * configuration must leave empty. Mapping a page there allocates only
 * private tables; no shared table is ever written. Every later write of a
 * CPU root entry is repeated in the view's root (struct paging.mirror), and
 * revoking / restoring the CPUs' root (cell-cpus.c) reaches it through
 * dma_view_follow(). A cell without a view: its devices use the CPUs'
 * tables, as before. Implementation: core/dma-view.c.
 */
#ifndef WD_DMA_VIEW_H
#define WD_DMA_VIEW_H

#include <wd/types.h>
#include <wd/paging.h>

struct cell;

/* Pages one cell's devices may reach beyond its CPUs' (one per ITS unit). */
#define DMA_VIEW_MAX_PAGES	8

struct dma_view {
	/* The root copy and, below the private slot only, private tables. */
	struct paging tables;
	unsigned int slot;		/* root index of the private slot */
	u64 slot_entry;			/* its entry, kept while the root is revoked */
	unsigned int num_pages;
	u64 phys[DMA_VIEW_MAX_PAGES];	/* page n is at slot base + n pages */
};

/*
 * Map the physical 4 KiB page @phys (device memory, read/write) for @cell's
 * devices only, and return in *@ipa the address at which they reach it. The
 * same page again returns the same address. The first call creates the view
 * and points the cell's streams at it. -errno and one line naming the cell
 * when refused: -EINVAL (not page aligned), -EPERM (hypervisor memory),
 * -ERANGE (beyond the physical address size), -EBUSY (the private slot is
 * used, or the cell's memory is revoked while it is being stopped), -ENOSPC
 * (DMA_VIEW_MAX_PAGES pages already), -ENOMEM.
 */
int dma_view_map_page(struct cell *cell, u64 phys, u64 *ipa);

/* The root table(s) @cell's devices translate with. */
u64 *dma_view_root(const struct cell *cell);

/*
 * The CPUs' root of @cell was replaced wholesale (revoked or restored): the
 * view follows; while revoked, the private slot is cut off too (the devices
 * lose everything the CPUs lose). The caller flushes the TLBs as before.
 */
void dma_view_follow(struct cell *cell);

/*
 * Free the view's root and private tables (never a shared one). Only once
 * none of the cell's streams translates with it any more (aborted, or given
 * back at detach).
 */
void dma_view_destroy(struct cell *cell);

#endif
