#ifndef WD_POOL_H
#define WD_POOL_H

#include <wd/types.h>
#include <wd/spinlock.h>

/*
 * A pool of pages with a bitmap allocator. The memory pool hands out pages of
 * hypervisor memory; the remap pool hands out page-sized slots of a virtual
 * address range in which foreign physical pages get mapped.
 */
struct page_pool {
	u64 base;		/* address of page 0 */
	u64 pages;
	u64 used;
	u64 *bitmap;		/* one bit per page, set = in use */
	/*
	 * Pages [0, high_water) are all the pool has ever handed out (the
	 * allocator is first-fit, so this stays small): the only pool pages
	 * that can hold data, which bounds cache maintenance over the pool.
	 */
	u64 high_water;
	spinlock_t lock;
};

/* Set up @pool over @pages pages at @base, with a bitmap at @bitmap. */
void pool_init(struct page_pool *pool, u64 base, u64 pages, u64 *bitmap);
/* Bytes of bitmap needed for @pages pages. */
static inline u64 pool_bitmap_bytes(u64 pages)
{
	return DIV_ROUND_UP(pages, 64) * 8;
}
/* Allocate @num contiguous pages aligned to @align pages; returns 0 on failure. */
u64 pool_alloc_aligned(struct page_pool *pool, u64 num, u64 align);
static inline u64 pool_alloc(struct page_pool *pool, u64 num)
{
	return pool_alloc_aligned(pool, num, 1);
}
void pool_free(struct page_pool *pool, u64 addr, u64 num);
/* Mark pages as used without allocating (for what the pool's own metadata uses). */
void pool_reserve(struct page_pool *pool, u64 addr, u64 num);
/* End address of the pages ever handed out (base when none were). */
static inline u64 pool_high_water_end(const struct page_pool *pool)
{
	return pool->base + (pool->high_water << PAGE_SHIFT);
}

extern struct page_pool mem_pool;
extern struct page_pool remap_pool;

/* Zeroed pages from the memory pool; a pointer (the hypervisor maps 1:1). */
void *page_alloc(u64 num);
void page_free(void *page, u64 num);

#endif
