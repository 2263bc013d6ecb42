/*
 * Host stand-ins for the hypervisor's environment, for the tests that
 * #include hypervisor sources (test-hv-*.c). The hypervisor addresses its
 * memory 1:1, so on the host a "physical" address is simply a pointer value:
 * a pool set up over a heap buffer hands out real, writable pages.
 *
 * Include after check.h and after the hypervisor sources under test.
 */
#ifndef WARDEN_TEST_HV_FAKE_H
#define WARDEN_TEST_HV_FAKE_H

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

/*
 * @pages pages aligned to @align bytes (a power of two, at least 4096),
 * starting @skew pages after such an alignment boundary: tests use the skew to
 * make the pool's base deliberately misaligned for a larger alignment.
 * Exits on allocation failure (that is not a result of the code under test).
 */
static void *fake_pages(unsigned long long pages, unsigned long long align,
			unsigned long long skew)
{
	unsigned long long bytes = (pages + skew) * 4096ULL;
	char *p;

	bytes = (bytes + align - 1) & ~(align - 1);
	p = aligned_alloc(align, bytes);
	if (!p) {
		fprintf(stderr, "fake_pages: cannot allocate %llu bytes\n", bytes);
		exit(2);
	}
	return p + skew * 4096ULL;
}

static void fake_pages_free(void *p, unsigned long long skew)
{
	free((char *)p - skew * 4096ULL);
}

/*
 * Set up a page pool over @pages fresh pages; the bitmap is a heap object of
 * exactly pool_bitmap_bytes() so that AddressSanitizer sees any access past it.
 */
#ifdef WD_POOL_H
static void fake_pool_setup(struct page_pool *pool, unsigned long long pages,
			    unsigned long long align, unsigned long long skew)
{
	void *area = fake_pages(pages, align, skew);
	u64 *bitmap = malloc(pool_bitmap_bytes(pages));

	if (!bitmap) {
		fprintf(stderr, "fake_pool_setup: no memory for the bitmap\n");
		exit(2);
	}
	pool_init(pool, (u64)(uintptr_t)area, pages, bitmap);
}

static void fake_pool_teardown(struct page_pool *pool, unsigned long long skew)
{
	fake_pages_free((void *)(uintptr_t)pool->base, skew);
	free(pool->bitmap);
	pool->bitmap = NULL;
}
#endif

#endif
