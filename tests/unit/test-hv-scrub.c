/*
 * Host unit tests of the scrub of memory a cell gives back
 * (hypervisor/arch/arm64/scrub.c): DC ZVA and DC CIVAC are replaced by
 * recorders over a test buffer, so the tests see that every byte of the
 * range is zeroed, nothing outside it is written, every cache line that
 * holds part of the range is cleaned once, and a single DSB ends it, for the
 * block and line sizes DCZID_EL0/CTR_EL0 may report, with DC ZVA prohibited
 * (DZP), and for ranges that are not whole blocks.
 */
#include <stdlib.h>
#include <wd/types.h>

#include "check.h"

#define BUF_SIZE	(64 * 1024)
#define GUARD		4096

static u8 *buf;			/* GUARD | test area | GUARD */
static u64 fake_dczid, fake_ctr;
static unsigned int zva_calls, zva_bad, civac_bad, dsb_calls, dsb_before_clean;
static unsigned int clean_before_zero;	/* a line cleaned while bytes of the range in it are not zero yet */
static unsigned char cleaned[BUF_SIZE + 2 * GUARD];	/* per byte: times its line was cleaned */
static u64 civac_lines;

static u8 *range_start, *range_end;	/* what the current run scrubs */

static u64 zva_block(void) { return 4UL << (fake_dczid & 0xf); }
static u64 dline(void) { return 4UL << ((fake_ctr >> 16) & 0xf); }

static void fake_zva(u64 a)
{
	u64 b = zva_block();

	zva_calls++;
	/* DC ZVA ignores the low bits; the code must hand aligned addresses. */
	if ((fake_dczid & 0x10) || (a & (b - 1)))
		zva_bad++;
	memset((void *)(uintptr_t)(a & ~(b - 1)), 0, b);
}

static void fake_civac(u64 a)
{
	u64 l = dline(), base = a & ~(l - 1), off;

	if (a & (l - 1))
		civac_bad++;
	if (dsb_calls)
		dsb_before_clean++;
	for (off = 0; off < l; off++) {
		u8 *b = (u8 *)(uintptr_t)(base + off);

		if (b >= range_start && b < range_end && *b != 0) {
			clean_before_zero++;
			break;
		}
	}
	civac_lines++;
	for (off = 0; off < l; off++) {
		u64 i = base + off - (u64)(uintptr_t)buf;

		if (i < sizeof(cleaned))
			cleaned[i]++;
	}
}

#define SCRUB_HOST_FAKE
#define scrub_dczid()		fake_dczid
#define scrub_ctr()		fake_ctr
#define scrub_dc_zva(a)		fake_zva(a)
#define scrub_dc_civac(a)	fake_civac(a)
#define scrub_dsb()		(dsb_calls++)
#include "../../hypervisor/arch/arm64/scrub.c"

static char name[200];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

/* Scrub [GUARD + off, + size) of a buffer full of 0xa5 and check it all. */
static void run(const char *what, u64 dczid, u64 ctr, u64 off, u64 size, bool want_zva)
{
	u8 *start = buf + GUARD + off;
	u64 i, l, first, last, bad_zero = 0, bad_guard = 0, bad_clean = 0;

	memset(buf, 0xa5, BUF_SIZE + 2 * GUARD);
	memset(cleaned, 0, sizeof(cleaned));
	fake_dczid = dczid;
	fake_ctr = ctr;
	zva_calls = zva_bad = civac_bad = dsb_calls = dsb_before_clean = 0;
	clean_before_zero = 0;
	range_start = start;
	range_end = start + size;
	civac_lines = 0;

	arch_scrub_memory(start, size);

	l = dline();
	first = (GUARD + off) & ~(l - 1);
	last = (GUARD + off + size + l - 1) & ~(l - 1);
	for (i = 0; i < BUF_SIZE + 2 * GUARD; i++) {
		bool inside = i >= GUARD + off && i < GUARD + off + size;
		bool in_lines = i >= first && i < last;

		if (inside && buf[i] != 0)
			bad_zero++;
		if (!inside && buf[i] != 0xa5)
			bad_guard++;
		if (cleaned[i] != (size && in_lines ? 1 : 0))
			bad_clean++;
	}
	CHECK_EQ(NAME("%s: every byte of the range is zero", what), bad_zero, 0);
	CHECK_EQ(NAME("%s: no byte outside the range is written", what), bad_guard, 0);
	CHECK_EQ(NAME("%s: every line of the range cleaned exactly once, none else", what),
		 bad_clean, 0);
	CHECK_EQ(NAME("%s: DC CIVAC gets line-aligned addresses", what), civac_bad, 0);
	CHECK_EQ(NAME("%s: every line is cleaned after its zeroing", what), clean_before_zero, 0);
	CHECK_EQ(NAME("%s: one DSB, after the last clean", what),
		 dsb_calls * 10 + dsb_before_clean, size ? 10 : 0);
	if (want_zva) {
		CHECK_EQ(NAME("%s: one DC ZVA per block", what), zva_calls, size / zva_block());
		CHECK_EQ(NAME("%s: DC ZVA gets block-aligned addresses", what), zva_bad, 0);
	} else {
		CHECK_EQ(NAME("%s: no DC ZVA", what), zva_calls, 0);
	}
}

#define CTR_LINE(log2w)		((u64)(log2w) << 16)
#define A57_CTR			0x84448004UL	/* DminLine 4: 64-byte lines */
#define DZP			0x10

int main(void)
{
	static const u64 sizes[] = { 4096, 8192, 64, 192, 4096 + 64, 12288 };
	unsigned int bs, ln, s;

	buf = aligned_alloc(4096, BUF_SIZE + 2 * GUARD);
	if (!buf)
		return 2;

	CHECK_EQ("Cortex-A57 CTR_EL0 reports 64-byte lines", 4UL << ((A57_CTR >> 16) & 0xf), 64);
	run("A57: 64-byte blocks, 64-byte lines, 16 KiB", 4, A57_CTR, 0, 16384, true);
	for (bs = 3; bs <= 9; bs++)		/* 32 bytes .. 2 KiB blocks */
		for (ln = 3; ln <= 6; ln++)	/* 32 .. 256-byte lines */
			for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				u64 b = 4UL << bs, size = sizes[s];

				run(NAME("block %llu, line %llu, %llu bytes", (unsigned long long)b,
					 4ULL << ln, (unsigned long long)size),
				    bs, CTR_LINE(ln), 0, size, size % b == 0);
			}
	run("DC ZVA prohibited (DZP): stores", 4 | DZP, A57_CTR, 0, 8192, false);
	run("misaligned start: stores, lines around it cleaned", 4, A57_CTR, 8, 4096, false);
	run("odd size: stores", 4, A57_CTR, 0, 1000, false);
	run("one byte", 4, A57_CTR, 100, 1, false);
	run("nothing", 4, A57_CTR, 0, 0, false);
	free(buf);
	return CHECK_DONE();
}
