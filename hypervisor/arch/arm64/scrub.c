/*
 * Scrubbing memory a cell gives back: zeros, then every line cleaned and
 * invalidated to the point of coherency, so that neither the root nor the
 * next cell reads what the cell left, not even through a non-cacheable
 * mapping.
 *
 * DC ZVA zeroes a whole block (DCZID_EL0.BS, usually 64 bytes) in one
 * instruction where stores would take eight; it is used when DCZID_EL0.DZP
 * allows it and the range is made of whole blocks, otherwise plain stores.
 * The clean is one DC CIVAC per minimum data cache line (CTR_EL0.DminLine)
 * and one DSB for the whole range. When the block is one line (most cores)
 * both go in one loop, zero then clean line by line; the loops do four
 * blocks/lines per iteration. The zeroing and cleaning of 16 MiB take about
 * 1 M instructions instead of the 7.9 M of a store loop and a separate clean.
 *
 * The host unit test (tests/unit/test-hv-scrub.c) defines SCRUB_HOST_FAKE
 * and supplies the instructions and ID registers.
 */
#ifndef SCRUB_HOST_FAKE
#include <wd/types.h>
#include <wd/string.h>
#include <asm/sysregs.h>

#define scrub_dczid()		read_sysreg(dczid_el0)
#define scrub_ctr()		read_sysreg(ctr_el0)
#define scrub_dc_zva(a)		asm volatile("dc zva, %0" : : "r"(a) : "memory")
#define scrub_dc_civac(a)	asm volatile("dc civac, %0" : : "r"(a) : "memory")
#define scrub_dsb()		asm volatile("dsb sy" : : : "memory")
#endif

#define DCZID_DZP		(1UL << 4)
#define DCZID_BS_MASK		0xfUL
#define CTR_DMINLINE_SHIFT	16
#define CTR_DMINLINE_MASK	0xfUL

/* DC ZVA's block size in bytes, 0 when the instruction is prohibited. */
static u64 scrub_zva_block(void)
{
	u64 dczid = scrub_dczid();

	if (dczid & DCZID_DZP)
		return 0;
	return 4UL << (dczid & DCZID_BS_MASK);
}

static u64 scrub_dcache_line(void)
{
	return 4UL << ((scrub_ctr() >> CTR_DMINLINE_SHIFT) & CTR_DMINLINE_MASK);
}

static void scrub_zero(u64 start, u64 size)
{
	u64 block = scrub_zva_block(), end = start + size, p = start;

	if (!block || (start | size) & (block - 1)) {
		memset((void *)(uintptr_t)start, 0, size);
		return;
	}
	for (; end - p >= 4 * block; p += 4 * block) {
		scrub_dc_zva(p);
		scrub_dc_zva(p + block);
		scrub_dc_zva(p + 2 * block);
		scrub_dc_zva(p + 3 * block);
	}
	for (; p < end; p += block)
		scrub_dc_zva(p);
}

static void scrub_clean(u64 start, u64 size)
{
	u64 line = scrub_dcache_line(), end = start + size;
	u64 p = start & ~(line - 1);

	for (; end - p >= 4 * line; p += 4 * line) {
		scrub_dc_civac(p);
		scrub_dc_civac(p + line);
		scrub_dc_civac(p + 2 * line);
		scrub_dc_civac(p + 3 * line);
	}
	for (; p < end; p += line)
		scrub_dc_civac(p);
	scrub_dsb();
}

/*
 * The common case in one pass: DC ZVA's block is one cache line (64 bytes
 * on most cores) and the range is made of whole blocks.
 */
static bool scrub_zero_clean(u64 start, u64 size)
{
	u64 line = scrub_dcache_line(), end = start + size, p = start;

	if (scrub_zva_block() != line || (start | size) & (line - 1))
		return false;
	for (; end - p >= 4 * line; p += 4 * line) {
		scrub_dc_zva(p);
		scrub_dc_civac(p);
		scrub_dc_zva(p + line);
		scrub_dc_civac(p + line);
		scrub_dc_zva(p + 2 * line);
		scrub_dc_civac(p + 2 * line);
		scrub_dc_zva(p + 3 * line);
		scrub_dc_civac(p + 3 * line);
	}
	for (; p < end; p += line) {
		scrub_dc_zva(p);
		scrub_dc_civac(p);
	}
	scrub_dsb();
	return true;
}

/* Zero [@va, @va + @size) and clean it to the point of coherency. */
void arch_scrub_memory(void *va, u64 size)
{
	u64 start = (u64)(uintptr_t)va;

	if (!size || scrub_zero_clean(start, size))
		return;
	scrub_zero(start, size);
	scrub_clean(start, size);
}
