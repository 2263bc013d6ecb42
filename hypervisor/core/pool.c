/* Page pools: first-fit bitmap allocation with exact used-page accounting. */
#include <wd/pool.h>
#include <wd/string.h>
#include <wd/in-slot.h>

/* Runs with the EL2 MMU off (Device memory): see scripts/mmu-off-check. */
#ifdef __WARDEN_FREESTANDING__
#pragma GCC target("strict-align")
#endif

struct page_pool mem_pool;
struct page_pool remap_pool;

static bool test_bit(const u64 *map, u64 n)
{
	return (map[n / 64] >> (n % 64)) & 1;
}

static void set_range(u64 *map, u64 first, u64 num, bool value)
{
	u64 n;

	for (n = first; n < first + num; n++) {
		if (value)
			map[n / 64] |= 1ULL << (n % 64);
		else
			map[n / 64] &= ~(1ULL << (n % 64));
	}
}

void pool_init(struct page_pool *pool, u64 base, u64 pages, u64 *bitmap)
{
	pool->base = base;
	pool->pages = pages;
	pool->used = 0;
	pool->high_water = 0;
	pool->bitmap = bitmap;
	pool->lock = (spinlock_t){ 0, 0 };
	memset(bitmap, 0, pool_bitmap_bytes(pages));
}

u64 pool_alloc_aligned(struct page_pool *pool, u64 num, u64 align)
{
	u64 base_page = pool->base >> PAGE_SHIFT;
	u64 start, n, addr = 0;

	if (num == 0 || align == 0)
		return 0;
	spin_lock(&pool->lock);
	/* Alignment is of the absolute address, not of the index in the pool. */
	for (start = (align - base_page % align) % align;
	     start + num <= pool->pages; start += align) {
		for (n = 0; n < num; n++)
			if (test_bit(pool->bitmap, start + n))
				break;
		if (n == num) {
			set_range(pool->bitmap, start, num, true);
			pool->used += num;
			if (start + num > pool->high_water)
				pool->high_water = start + num;
			addr = pool->base + (start << PAGE_SHIFT);
			break;
		}
	}
	spin_unlock(&pool->lock);
	return addr;
}

void pool_free(struct page_pool *pool, u64 addr, u64 num)
{
	u64 first = (addr - pool->base) >> PAGE_SHIFT, n;

	if (!addr || addr < pool->base || first + num > pool->pages)
		return;
	spin_lock(&pool->lock);
	for (n = first; n < first + num; n++) {
		if (test_bit(pool->bitmap, n)) {
			set_range(pool->bitmap, n, 1, false);
			pool->used--;
		}
	}
	spin_unlock(&pool->lock);
}

void pool_reserve(struct page_pool *pool, u64 addr, u64 num)
{
	u64 first = (addr - pool->base) >> PAGE_SHIFT, n;

	spin_lock(&pool->lock);
	for (n = first; n < first + num && n < pool->pages; n++) {
		if (!test_bit(pool->bitmap, n)) {
			set_range(pool->bitmap, n, 1, true);
			pool->used++;
		}
	}
	if (first + num > pool->high_water)
		pool->high_water = MIN(first + num, pool->pages);
	spin_unlock(&pool->lock);
}

IN_SLOT("page_alloc") void *page_alloc(u64 num)
{
	u64 addr = pool_alloc(&mem_pool, num);

	if (addr)
		memset((void *)(uintptr_t)addr, 0, num * PAGE_SIZE);
	return (void *)(uintptr_t)addr;
}

IN_SLOT("page_free") void page_free(void *page, u64 num)
{
	pool_free(&mem_pool, (u64)(uintptr_t)page, num);
}
