/*
 * SMMUv3 stream table: linear or two-level (64 entries a page), sized for
 * the root cell's stream ids, every entry "stage 2 translate" with a cell's
 * tables and VMID, or abort. The entries' stage-2 fields are VTCR_EL2's.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/dma-view.h>
#include <wd/errno.h>
#include <wd/iommu.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/spinlock.h>
#include <wd/string.h>
#include <asm/smmuv3.h>
#include <asm/sysregs.h>
#include "smmuv3-hw.h"
#include <wd/in-slot.h>

static void *pages_aligned(u64 num)
{
	u64 addr = pool_alloc_aligned(&mem_pool, num, num);

	if (addr)
		memset((void *)(uintptr_t)addr, 0, num * PAGE_SIZE);
	return (void *)(uintptr_t)addr;
}

IN_SLOT("root_sids") const struct wd_stream_id *root_sids(unsigned int *n)
{
	*n = system_config->root_cell.num_stream_ids;
	return wd_cell_stream_ids(&system_config->root_cell);
}

/* Position of @sid in the root's list, or -1. */
IN_SLOT("root_sid_index") int root_sid_index(u32 sid)
{
	unsigned int n, i;
	const struct wd_stream_id *s = root_sids(&n);

	for (i = 0; i < n; i++)
		if (s[i].id == sid)
			return (int)i;
	return -1;
}

/* ---- stream table */

IN_SLOT("ste_of") u64 *ste_of(struct smmu *u, u32 sid)
{
	if (sid >> u->sid_bits)
		return NULL;
	if (!u->two_level)
		return &u->strtab[(u64)sid * STE_DWORDS];
	if (!(u->strtab[sid >> SPLIT] & 0x1f))
		return NULL;
	return (u64 *)(uintptr_t)(u->strtab[sid >> SPLIT] & 0x000fffffffffffc0ULL) +
	       (sid & ((1U << SPLIT) - 1)) * STE_DWORDS;
}

static void ste_for(const struct cell *cell, u64 ste[STE_DWORDS])
{
	memset(ste, 0, STE_DWORDS * sizeof(u64));
	ste[0] = STE_V | STE_CFG_S2;
	ste[1] = STE1_SHCFG_INCOMING;
	ste[2] = cell->vmid | (vtcr_value() & STE2_VTCR_MASK) << 32 |
		 STE2_S2AA64 | STE2_S2R;
	ste[3] = (u64)(uintptr_t)dma_view_root(cell) & STE3_S2TTB_MASK;
}

/*
 * Point @sid at @cell's tables. A live entry is made invalid first (and the
 * unit told), so that it never sees half of the old and half of the new
 * one; the device's transactions in between abort.
 */
void ste_install(struct smmu *u, u32 sid, const struct cell *cell,
			bool live)
{
	u64 *e = ste_of(u, sid), ste[STE_DWORDS];
	unsigned int n;

	if (!e)
		return;
	ste_for(cell, ste);
	if (live && (e[0] & STE_V)) {
		__atomic_store_n(&e[0], 0, __ATOMIC_RELAXED);
		cmd(u, CMD_CFGI_STE | (u64)sid << 32, 1);
		cmd_sync(u);
	}
	for (n = 1; n < STE_DWORDS; n++)
		e[n] = ste[n];
	dsb(sy);
	__atomic_store_n(&e[0], ste[0], __ATOMIC_RELAXED);
	if (live)
		cmd(u, CMD_CFGI_STE | (u64)sid << 32, 1);
}

/*
 * A translating entry of @cell's gets the cell's current DMA root. Only the
 * S2TTB doubleword changes, in one 64-bit store: the unit sees the old or
 * the new tables, which translate alike for everything but the new view's
 * private pages, so the device never sees a moment of abort (SMMUv3 3.21.3:
 * one field within a single-copy atomic 64-bit span may change in a valid
 * entry, followed by CFGI_STE and SYNC). The caller invalidates the VMID's
 * TLB entries and synchronises.
 */
bool ste_retarget(struct smmu *u, u32 sid, const struct cell *cell)
{
	u64 *e = ste_of(u, sid);

	/* Valid, Config (bits 3:1) exactly "stage 2 translate": not abort. */
	if (!e || (e[0] & (STE_V | 0xeULL)) != (STE_V | STE_CFG_S2))
		return false;
	__atomic_store_n(&e[3], (u64)(uintptr_t)dma_view_root(cell) & STE3_S2TTB_MASK,
			 __ATOMIC_RELAXED);
	dsb(sy);
	cmd(u, CMD_CFGI_STE | (u64)sid << 32, 1);
	return true;
}

static unsigned int bits_for(u32 max)
{
	unsigned int bits = 0;

	while (bits < 32 && (max >> bits))
		bits++;
	return bits;
}

/* Tables big enough for the root's stream ids (cells can only use those). */
int alloc_tables(struct smmu *u, u32 idr0, u32 idr1)
{
	unsigned int n, i, l1_entries;
	const struct wd_stream_id *s = root_sids(&n);
	u32 max = 0;

	for (i = 0; i < n; i++)
		if (s[i].id > max)
			max = s[i].id;
	u->sid_bits = bits_for(max);
	if (u->sid_bits > IDR1_SIDSIZE(idr1))
		return refuse(-EINVAL, WD_REASON_PLATFORM, max, u->phys,
			      "SMMU 0x%llx: stream id 0x%x of the root cell is beyond the unit's %u stream id bits",
			      u->phys, max, IDR1_SIDSIZE(idr1));
	u->two_level = IDR0_ST_LEVEL(idr0) == 1 && u->sid_bits > SPLIT;
	if (u->two_level) {
		l1_entries = 1U << (u->sid_bits - SPLIT);
		u->strtab_pages = PAGES(l1_entries * 8ULL);
		u->l2_pages = l1_entries;
	} else {
		u->strtab_pages = PAGES(64ULL << u->sid_bits);
		u->l2_pages = 0;
	}
	u->strtab = pages_aligned(u->strtab_pages);
	if (u->two_level)
		u->l2 = page_alloc(u->l2_pages);
	u->cmdq_log2 = MIN(CMDQ_LOG2, IDR1_CMDQS(idr1));
	u->evtq_log2 = MIN(EVTQ_LOG2, IDR1_EVENTQS(idr1));
	u->cmdq = page_alloc(1);
	u->evtq = page_alloc(1);
	if (!u->strtab || (u->two_level && !u->l2) || !u->cmdq || !u->evtq)
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, u->phys,
			      "SMMU 0x%llx: no memory for its stream table and queues (page pool %llu/%llu used)",
			      u->phys, mem_pool.used, mem_pool.pages);
	/* Level 1 describes every level-2 table: a stream id never walks a hole. */
	for (i = 0; u->two_level && i < l1_entries; i++)
		u->strtab[i] = ((u64)(uintptr_t)u->l2 + (u64)i * PAGE_SIZE) |
			       (SPLIT + 1);
	return 0;
}

void free_tables(struct smmu *u)
{
	if (u->strtab)
		pool_free(&mem_pool, (u64)(uintptr_t)u->strtab, u->strtab_pages);
	if (u->l2)
		page_free(u->l2, u->l2_pages);
	if (u->cmdq)
		page_free(u->cmdq, 1);
	if (u->evtq)
		page_free(u->evtq, 1);
	u->strtab = u->l2 = u->cmdq = u->evtq = NULL;
}
