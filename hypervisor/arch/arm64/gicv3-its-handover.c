/*
 * The ITS changes hands (see asm/gicv3-its.h).
 *
 * Taking it over: Linux programmed the ITS before Warden started. When every
 * CPU has entered (nothing runs Linux any more), the hypervisor waits for the
 * queue to drain, disables the ITS, copies its device and collection tables
 * into hypervisor memory (flat or two-level; the entries are copied, never
 * interpreted: their format is the implementation's), points the ITS at the
 * copies and at a command queue of its own, and enables it again. Disable
 * reverses this: the tables are copied back to Linux's, the ITS gets Linux's
 * queue back at the position Linux left it (the slots before it filled with
 * SYNC, which the ITS steps over), and is enabled.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <asm/gicv3-its.h>
#include "gicv3-its-priv.h"

bool wait_ms(struct its *its, unsigned int off, u64 mask, u64 want)
{
	u64 end = timer_ticks() + timer_ticks_per_sec() * ITS_TIMEOUT_MS / 1000;

	while ((rd(its, off, off == GITS_CTLR ? 4 : 8) & mask) != want)
		if (timer_ticks() > end)
			return false;
	return true;
}

/* Disable the ITS (CTLR was @ctlr) and wait for it to be quiescent. */
static bool quiesce(struct its *its, u32 ctlr)
{
	wr(its, GITS_CTLR, 4, ctlr & ~GITS_CTLR_ENABLED);
	return wait_ms(its, GITS_CTLR, GITS_CTLR_QUIESCENT, GITS_CTLR_QUIESCENT);
}

/* GITS_BASER with the address replaced. */
static u64 baser_with_addr(u64 baser, u64 addr)
{
	if (GITS_BASER_PSZ(baser) == 0x10000)
		return (baser & ~GENMASK_ULL(47, 12)) | (addr & GENMASK_ULL(47, 16)) |
		       (addr >> 36 & GENMASK_ULL(15, 12));
	return (baser & ~GENMASK_ULL(47, 12)) | (addr & GENMASK_ULL(47, 12));
}

void *hv_alloc(u64 size, u64 align)
{
	u64 pages = PAGES(size), p = pool_alloc_aligned(&mem_pool, pages,
						       align > PAGE_SIZE ? align / PAGE_SIZE : 1);

	if (p)
		memset((void *)(uintptr_t)p, 0, pages * PAGE_SIZE);
	return (void *)(uintptr_t)p;
}

static void copy_from_phys(void *dst, u64 phys, u64 size)
{
	void *src = arch_map_temp(phys, size);

	if (!src)
		return;
	memcpy(dst, src, size);
	arch_unmap_temp(src, size);
}

/* Copy Linux's table @n into hypervisor memory (takeover). */
static int table_take(struct its *its, unsigned int n)
{
	struct its_table *t = &its->t[n];
	u64 start, size, psz = GITS_BASER_PSZ(t->root), i;

	t->hw = t->root;
	if (!its_baser_range(t->root, &start, &size))
		return 0;
	t->hv = hv_alloc(size, psz);
	if (!t->hv)
		goto nomem;
	t->hv_size = size;
	copy_from_phys(t->hv, start, size);
	if (t->root & GITS_BASER_INDIRECT) {
		for (i = 0; i < size / 8; i++) {
			u64 l1 = t->hv[i], *l2;

			if (!(l1 & GITS_L1_VALID))
				continue;
			l2 = hv_alloc(psz, psz);
			if (!l2)
				goto nomem;
			copy_from_phys(l2, l1 & GITS_L1_ADDR & ~(psz - 1), psz);
			dcache_clean_inval_range((u64)(uintptr_t)l2, psz);
			t->hv[i] = GITS_L1_VALID | (u64)(uintptr_t)l2;
		}
	}
	dcache_clean_inval_range((u64)(uintptr_t)t->hv, size);
	t->hw = baser_with_addr(t->root, (u64)(uintptr_t)t->hv);
	return 0;
nomem:
	return refuse(-ENOMEM, WD_REASON_RESOURCES, n, start,
		      "ITS 0x%llx: no hypervisor memory for a copy of the root's %s (GITS_BASER%u, 0x%llx bytes at 0x%llx; page pool %llu/%llu used)",
		      its->phys, table_name(t->root), n, size, start,
		      mem_pool.used, mem_pool.pages);
}

int its_take(struct its *its)
{
	u32 ctlr = (u32)rd(its, GITS_CTLR, 4);
	unsigned int n;
	int err = 0;

	its->typer = rd(its, GITS_TYPER, 8);
	its->cbaser = rd(its, GITS_CBASER, 8);
	its->cwriter = rd(its, GITS_CWRITER, 8) & GITS_QUEUE_OFFSET;
	its->creadr = its->cwriter;
	for (n = 0; n < GITS_BASER_NR; n++)
		its->t[n].root = its->t[n].hw = rd(its, GITS_BASER(n), 8);
	its->ctlr = ctlr & GITS_CTLR_ENABLED;
	its->hw_enabled = ctlr & GITS_CTLR_ENABLED;
	if (!its->hw_enabled) {
		/* Linux does not use it: it stays off, commands are not forwarded. */
		printk("ITS 0x%llx: disabled by Linux; it stays so while Warden runs\n",
		       its->phys);
		goto taken;
	}
	if (!wait_ms(its, GITS_CREADR, GITS_QUEUE_OFFSET, its->cwriter))
		return refuse(-ETIMEDOUT, WD_REASON_PLATFORM, 0, its->phys,
			      "ITS 0x%llx: Linux's command queue did not drain (CREADR 0x%llx, CWRITER 0x%llx)",
			      its->phys, rd(its, GITS_CREADR, 8), its->cwriter);
	if (!quiesce(its, ctlr)) {
		wr(its, GITS_CTLR, 4, ctlr);
		return refuse(-ETIMEDOUT, WD_REASON_PLATFORM, 0, its->phys,
			      "ITS 0x%llx: did not become quiescent when disabled", its->phys);
	}
	for (n = 0; n < GITS_BASER_NR && !err; n++)
		err = table_take(its, n);
	its->queue = err ? NULL : hv_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!err && !its->queue)
		err = refuse(-ENOMEM, WD_REASON_RESOURCES, 0, its->phys,
			     "ITS 0x%llx: no hypervisor memory for its command queue", its->phys);
	if (err) {
		wr(its, GITS_CTLR, 4, ctlr);	/* as Linux had it */
		return err;
	}
	/* Write-back cacheable, inner shareable, one page. */
	wr(its, GITS_CBASER, 8, GITS_CBASER_VALID | 7ULL << 59 | 1ULL << 10 |
				  (u64)(uintptr_t)its->queue);
	wr(its, GITS_CWRITER, 8, 0);
	its->q_wr = 0;
	for (n = 0; n < GITS_BASER_NR; n++)
		if (its->t[n].hv)
			wr(its, GITS_BASER(n), 8, its->t[n].hw);
	wr(its, GITS_CTLR, 4, ctlr);
taken:
	its->taken = true;
	set_limits(its);
	root_queue_map(its);
	if (!its->hw_enabled)
		return 0;
	printk("ITS 0x%llx: taken over: command queue shadowed, tables in hypervisor memory (%u device ids, %u collections; page pool %llu/%llu used)\n",
	       its->phys, its->lim.num_devices, its->lim.num_collections,
	       mem_pool.used, mem_pool.pages);
	return 0;
}

/* Linux's table @n gets the hypervisor's entries back. */
static void table_give_back(struct its *its, unsigned int n)
{
	struct its_table *t = &its->t[n];
	u64 start, size, psz = GITS_BASER_PSZ(t->hw), i;
	u64 *dst;

	if (!t->hv || !its_baser_range(t->root, &start, &size) ||
	    !root_ram(its, start, size))
		return;
	dst = arch_map_temp(start, size);
	if (!dst)
		return;
	if (!(t->hw & GITS_BASER_INDIRECT)) {
		memcpy(dst, t->hv, size < t->hv_size ? size : t->hv_size);
	} else {
		for (i = 0; i < size / 8 && i < t->hv_size / 8; i++) {
			u64 l2 = dst[i] & GITS_L1_ADDR & ~(psz - 1);
			void *p;

			if (!(t->hv[i] & GITS_L1_VALID) || !(dst[i] & GITS_L1_VALID) ||
			    !root_ram(its, l2, psz) || !(p = arch_map_temp(l2, psz)))
				continue;
			memcpy(p, (void *)(uintptr_t)(t->hv[i] & GITS_L1_ADDR), psz);
			dcache_clean_inval_range((u64)(uintptr_t)p, psz);
			arch_unmap_temp(p, psz);
		}
	}
	dcache_clean_inval_range((u64)(uintptr_t)dst, size);
	arch_unmap_temp(dst, size);
}

/* SYNC on a redistributor of the root: a command that changes nothing. */
static u64 harmless_rdbase(struct its *its)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++) {
		struct per_cpu *pc = per_cpu(cpu);

		if (pc->initialized && pc->arch.gicr)
			return its_rdbase(its, pc);
	}
	return 0;
}

void its_give_back(struct its *its)
{
	u64 qstart, qsize, pos = its->cwriter, i;
	unsigned int n;
	u32 ctlr = (u32)rd(its, GITS_CTLR, 4);

	root_queue_unmap(its);
	if (!its->taken || !its->hw_enabled)
		return;
	if (!quiesce(its, ctlr))
		printk("ITS 0x%llx: not quiescent at disable\n", its->phys);
	for (n = 0; n < GITS_BASER_NR; n++) {
		if (!its->t[n].hv)
			continue;
		table_give_back(its, n);
		wr(its, GITS_BASER(n), 8, its->t[n].root);
	}
	wr(its, GITS_CBASER, 8, its->cbaser);
	wr(its, GITS_CWRITER, 8, 0);
	/* The ITS starts at 0: SYNCs up to where Linux continues. */
	if (pos && its_cbaser_range(its->cbaser, &qstart, &qsize) &&
	    root_ram(its, qstart, qsize)) {
		u64 *q = arch_map_temp(qstart, pos), rdb = harmless_rdbase(its);

		if (q) {
			for (i = 0; i < pos / 8; i += 4) {
				q[i] = ITS_CMD_SYNC;
				q[i + 1] = q[i + 3] = 0;
				q[i + 2] = rdb << 16;
			}
			dcache_clean_inval_range((u64)(uintptr_t)q, pos);
			arch_unmap_temp(q, pos);
		}
	}
	wr(its, GITS_CTLR, 4, ctlr | GITS_CTLR_ENABLED);
	if (pos) {
		wr(its, GITS_CWRITER, 8, pos);
		if (!wait_ms(its, GITS_CREADR, GITS_QUEUE_OFFSET, pos))
			printk("ITS 0x%llx: Linux's queue position 0x%llx not reached at disable\n",
			       its->phys, pos);
	}
	its->taken = false;
	printk("ITS 0x%llx: given back to Linux (queue position 0x%llx)\n", its->phys, pos);
}

