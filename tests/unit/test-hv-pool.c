/*
 * Host unit tests of the hypervisor's page pools (hypervisor/core/pool.c):
 * exact used-page accounting, absolute alignment, exhaustion, double and
 * out-of-range frees, reservations, page_alloc zeroing, and a randomized
 * alloc/free run checked against a shadow model.
 *
 * The pool works on u64 addresses; here they are pointers into a heap buffer
 * (see hv-fake.h). Run under -fsanitize=address to catch bitmap overruns: the
 * bitmap is a heap object of exactly pool_bitmap_bytes().
 */
#include "check.h"
#include "../../hypervisor/core/pool.c"
#include "hv-fake.h"

#define PG 4096ULL

static char name[160];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

static u64 page_of(const struct page_pool *pool, u64 addr)
{
	return (addr - pool->base) / PG;
}

static void test_basic(void)
{
	struct page_pool pool;
	u64 a, b, c, d;

	fake_pool_setup(&pool, 64, PG, 0);
	CHECK_EQ("pool: fresh pool has nothing used", pool.used, 0);
	CHECK_EQ("pool: fresh pool size", pool.pages, 64);
	CHECK_EQ("pool: fresh pool has no high water", pool_high_water_end(&pool), pool.base);

	a = pool_alloc(&pool, 1);
	b = pool_alloc(&pool, 3);
	c = pool_alloc(&pool, 2);
	CHECK_EQ("pool: first allocation is page 0", a, pool.base);
	CHECK_EQ("pool: second allocation follows the first", b, pool.base + PG);
	CHECK_EQ("pool: third allocation follows the second", c, pool.base + 4 * PG);
	CHECK_EQ("pool: used after 1+3+2 pages", pool.used, 6);

	pool_free(&pool, b, 3);
	CHECK_EQ("pool: used after freeing 3", pool.used, 3);
	d = pool_alloc(&pool, 2);
	CHECK_EQ("pool: first fit reuses the hole", d, b);
	CHECK_EQ("pool: used after refilling 2 of the hole", pool.used, 5);
	d = pool_alloc(&pool, 2);
	CHECK_EQ("pool: 2 pages do not fit the 1-page rest of the hole",
		 d, pool.base + 6 * PG);
	d = pool_alloc(&pool, 1);
	CHECK_EQ("pool: 1 page fits the rest of the hole", d, pool.base + 3 * PG);
	CHECK_EQ("pool: used", pool.used, 8);
	CHECK_EQ("pool: high water is the end of the furthest page handed out",
		 pool_high_water_end(&pool), pool.base + 8 * PG);
	pool_free(&pool, pool.base + 6 * PG, 2);
	CHECK_EQ("pool: freeing does not lower the high water",
		 pool_high_water_end(&pool), pool.base + 8 * PG);
	pool_reserve(&pool, pool.base + 20 * PG, 2);
	CHECK_EQ("pool: a reservation raises the high water",
		 pool_high_water_end(&pool), pool.base + 22 * PG);
	pool_free(&pool, pool.base + 20 * PG, 2);
	pool_alloc(&pool, 2);

	CHECK_EQ("pool: zero pages is a failure", pool_alloc(&pool, 0), 0);
	CHECK_EQ("pool: alignment 0 is a failure", pool_alloc_aligned(&pool, 1, 0), 0);
	CHECK_EQ("pool: failed allocations do not count", pool.used, 8);
	CHECK_EQ("pool: failed allocations leave the high water",
		 pool_high_water_end(&pool), pool.base + 22 * PG);
	fake_pool_teardown(&pool, 0);
}

static void test_exhaustion(void)
{
	struct page_pool pool;
	u64 n, addr, last = 0;
	bool distinct = true;

	/* 70 pages: the bitmap's last word is partly beyond the pool. */
	fake_pool_setup(&pool, 70, PG, 0);
	CHECK_EQ("pool: more pages than the pool has fails", pool_alloc(&pool, 71), 0);
	CHECK_EQ("pool: nothing used after a failed allocation", pool.used, 0);
	addr = pool_alloc(&pool, 70);
	CHECK_EQ("pool: the whole pool in one allocation", addr, pool.base);
	CHECK_EQ("pool: used == pages when full", pool.used, 70);
	CHECK_EQ("pool: full pool returns 0", pool_alloc(&pool, 1), 0);
	pool_free(&pool, addr, 70);
	CHECK_EQ("pool: empty again", pool.used, 0);

	for (n = 0; n < 70; n++) {
		addr = pool_alloc(&pool, 1);
		if (!addr || (n && addr <= last))
			distinct = false;
		last = addr;
	}
	CHECK("pool: 70 single pages are distinct and ascending", distinct);
	CHECK_EQ("pool: last single page is the pool's last page", last,
		 pool.base + 69 * PG);
	CHECK_EQ("pool: 71st single page fails", pool_alloc(&pool, 1), 0);
	CHECK_EQ("pool: used after filling page by page", pool.used, 70);

	/* A hole of 2 pages does not satisfy 3. */
	pool_free(&pool, pool.base + 10 * PG, 2);
	CHECK_EQ("pool: 3 pages do not fit a 2-page hole", pool_alloc(&pool, 3), 0);
	CHECK_EQ("pool: 2 pages fit the 2-page hole", pool_alloc(&pool, 2),
		 pool.base + 10 * PG);
	fake_pool_teardown(&pool, 0);
}

static void test_alignment(void)
{
	static const u64 aligns[] = { 2, 4, 8, 16, 32, 512 };
	struct page_pool pool;
	unsigned int i;

	/*
	 * The base is 3 pages past a 2 MiB boundary: the alignment has to be
	 * of the absolute address, not of the index inside the pool.
	 */
	fake_pool_setup(&pool, 1100, 2ULL << 20, 3);
	CHECK("pool: test base is misaligned for 2 pages",
	      (pool.base / PG) % 2 == 1);
	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		u64 used, addr, expect = 0, st, n;

		pool_alloc(&pool, 1);	/* move the first free page along */
		used = pool.used;
		/* The lowest free 3-page run at an aligned absolute address. */
		for (st = 0; st + 3 <= pool.pages && !expect; st++) {
			if ((pool.base / PG + st) % aligns[i])
				continue;
			for (n = 0; n < 3 && !test_bit(pool.bitmap, st + n); n++)
				;
			if (n == 3)
				expect = pool.base + st * PG;
		}
		addr = pool_alloc_aligned(&pool, 3, aligns[i]);
		CHECK(NAME("pool: aligned allocation (%llu pages) succeeds", aligns[i]),
		      addr != 0);
		CHECK_EQ(NAME("pool: address aligned to %llu pages", aligns[i]),
			 addr % (aligns[i] * PG), 0);
		CHECK_EQ(NAME("pool: aligned allocation (%llu pages) is the first fit",
			      aligns[i]), addr, expect);
		CHECK_EQ(NAME("pool: used after aligned allocation (%llu pages)", aligns[i]),
			 pool.used, used + 3);
	}
	/* No 512-page-aligned slot with 600 free pages after it in 1100 pages
	 * starting at an odd page: the only candidates are 509 and 1021. */
	CHECK_EQ("pool: aligned allocation that cannot fit fails",
		 pool_alloc_aligned(&pool, 600, 512), 0);
	fake_pool_teardown(&pool, 3);

	/* Unaligned base, aligned request at the very end of the pool. */
	fake_pool_setup(&pool, 9, 16 * PG, 1);	/* pages 1..9 of a 16-page block */
	CHECK_EQ("pool: 8-page aligned slot is the pool's 8th page",
		 pool_alloc_aligned(&pool, 2, 8), pool.base + 7 * PG);
	CHECK_EQ("pool: no second 8-page aligned slot", pool_alloc_aligned(&pool, 1, 8), 0);
	CHECK_EQ("pool: used after the end-of-pool aligned allocation", pool.used, 2);
	fake_pool_teardown(&pool, 1);
}

static void test_frees(void)
{
	struct page_pool pool;
	u64 a, b;

	fake_pool_setup(&pool, 32, PG, 0);
	a = pool_alloc(&pool, 4);
	b = pool_alloc(&pool, 4);
	pool_free(&pool, a, 4);
	CHECK_EQ("pool: used after free", pool.used, 4);
	pool_free(&pool, a, 4);
	CHECK_EQ("pool: double free does not change the count", pool.used, 4);
	pool_free(&pool, a, 6);	/* 4 free pages and 2 pages of b */
	CHECK_EQ("pool: free overlapping free pages counts only used ones",
		 pool.used, 2);
	pool_free(&pool, b, 4);
	CHECK_EQ("pool: free of partly freed range", pool.used, 0);

	a = pool_alloc(&pool, 32);
	CHECK_EQ("pool: refill", pool.used, 32);
	pool_free(&pool, 0, 1);
	CHECK_EQ("pool: free(0) does nothing", pool.used, 32);
	pool_free(&pool, pool.base - PG, 1);
	CHECK_EQ("pool: free below the pool does nothing", pool.used, 32);
	pool_free(&pool, pool.base - PG, 2);
	CHECK_EQ("pool: free starting below the pool does nothing", pool.used, 32);
	pool_free(&pool, pool.base + 32 * PG, 1);
	CHECK_EQ("pool: free past the pool does nothing", pool.used, 32);
	pool_free(&pool, pool.base + 30 * PG, 4);
	CHECK_EQ("pool: free running past the pool does nothing", pool.used, 32);
	pool_free(&pool, pool.base + 5 * PG, 0);
	CHECK_EQ("pool: free of 0 pages does nothing", pool.used, 32);
	CHECK_EQ("pool: still full after bogus frees", pool_alloc(&pool, 1), 0);
	pool_free(&pool, pool.base + 31 * PG, 1);
	CHECK_EQ("pool: free of the last page", pool.used, 31);
	CHECK_EQ("pool: last page allocatable again", pool_alloc(&pool, 1),
		 pool.base + 31 * PG);
	fake_pool_teardown(&pool, 0);
}

static void test_reserve(void)
{
	struct page_pool pool;
	u64 a;

	fake_pool_setup(&pool, 16, PG, 0);
	pool_reserve(&pool, pool.base, 2);
	CHECK_EQ("pool: reserve counts as used", pool.used, 2);
	a = pool_alloc(&pool, 1);
	CHECK_EQ("pool: reserved pages are not handed out", a, pool.base + 2 * PG);
	pool_reserve(&pool, pool.base + PG, 3);	/* pages 1,2 used; 3 new */
	CHECK_EQ("pool: reserve counts only pages not yet used", pool.used, 4);
	pool_reserve(&pool, pool.base + 14 * PG, 5);	/* clipped at the end */
	CHECK_EQ("pool: reserve past the end is clipped", pool.used, 6);
	pool_free(&pool, pool.base, 16);
	CHECK_EQ("pool: freeing everything", pool.used, 0);
	fake_pool_teardown(&pool, 0);
}

static void test_page_alloc(void)
{
	u64 before;
	unsigned char *p, *q;
	size_t i;
	bool zero = true, ok = true;

	fake_pool_setup(&mem_pool, 8, PG, 0);
	memset((void *)(uintptr_t)mem_pool.base, 0xa5, 8 * PG);
	p = page_alloc(3);
	CHECK("pool: page_alloc(3) succeeds", p != NULL);
	for (i = 0; p && i < 3 * PG; i++)
		if (p[i])
			zero = false;
	CHECK("pool: page_alloc zeroes all pages", zero);
	q = (unsigned char *)(uintptr_t)mem_pool.base + 3 * PG;
	for (i = 0; i < 5 * PG; i++)
		if (q[i] != 0xa5)
			ok = false;
	CHECK("pool: page_alloc writes only its own pages", ok);
	CHECK_EQ("pool: page_alloc counts in mem_pool", mem_pool.used, 3);
	before = mem_pool.used;
	CHECK("pool: page_alloc beyond the pool returns NULL", page_alloc(6) == NULL);
	CHECK_EQ("pool: failed page_alloc counts nothing", mem_pool.used, before);
	page_free(p, 3);
	CHECK_EQ("pool: page_free gives back", mem_pool.used, 0);
	fake_pool_teardown(&mem_pool, 0);
}

/* Random allocations and frees against a shadow page map. */
static void test_random(void)
{
	enum { PAGES = 300, SLOTS = 64 };
	struct page_pool pool;
	struct { u64 addr, num; } slot[SLOTS] = { { 0, 0 } };
	unsigned char shadow[PAGES] = { 0 };
	unsigned int iter, bad_count = 0, bad_overlap = 0, bad_align = 0,
		     bad_fail = 0, allocs = 0;
	u64 shadow_used = 0;

	srand(12345);
	fake_pool_setup(&pool, PAGES, PG, 5);
	for (iter = 0; iter < 20000; iter++) {
		unsigned int s = rand() % SLOTS;

		if (slot[s].addr) {
			u64 first = page_of(&pool, slot[s].addr), n;

			pool_free(&pool, slot[s].addr, slot[s].num);
			for (n = first; n < first + slot[s].num; n++)
				shadow[n] = 0;
			shadow_used -= slot[s].num;
			slot[s].addr = 0;
		} else {
			u64 num = 1 + rand() % 12, align = 1ULL << (rand() % 4);
			u64 addr = pool_alloc_aligned(&pool, num, align), n, first;

			if (!addr) {
				/* Fail only if the shadow has no aligned free run. */
				u64 st;

				for (st = 0; st + num <= PAGES; st++) {
					if ((pool.base / PG + st) % align)
						continue;
					for (n = 0; n < num && !shadow[st + n]; n++)
						;
					if (n == num) {
						bad_fail++;
						break;
					}
				}
				continue;
			}
			allocs++;
			if (addr % (align * PG))
				bad_align++;
			first = page_of(&pool, addr);
			for (n = first; n < first + num; n++) {
				if (n >= PAGES || shadow[n])
					bad_overlap++;
				else
					shadow[n] = 1;
			}
			shadow_used += num;
			slot[s].addr = addr;
			slot[s].num = num;
		}
		if (pool.used != shadow_used)
			bad_count++;
	}
	CHECK("pool: random run made allocations", allocs > 1000);
	CHECK_EQ("pool: random run: used always equals the shadow count", bad_count, 0);
	CHECK_EQ("pool: random run: no overlapping allocations", bad_overlap, 0);
	CHECK_EQ("pool: random run: alignment always honoured", bad_align, 0);
	CHECK_EQ("pool: random run: no failure while a fitting run was free", bad_fail, 0);
	fake_pool_teardown(&pool, 5);
}

int main(void)
{
	test_basic();
	test_exhaustion();
	test_alignment();
	test_frees();
	test_reserve();
	test_page_alloc();
	test_random();
	return CHECK_DONE();
}
