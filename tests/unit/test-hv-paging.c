/*
 * Host unit tests of the generic translation tables (hypervisor/core/paging.c)
 * with the real arm64 descriptor formats (hypervisor/arch/arm64/paging-format.c).
 *
 * Tables come from page_alloc(), i.e. the memory pool, set up here over a heap
 * buffer: a table's "physical" address is its host pointer, exactly as under
 * the hypervisor's 1:1 mapping. The addresses being mapped are only numbers
 * stored in descriptors and never dereferenced.
 *
 * Checked: block use and table counts, translations and rights for both
 * formats, splitting on partial unmaps and merging back (the pool's used
 * count must return to its exact previous value: cell create/destroy relies
 * on it), freeing of tables, destroy, start levels 0 and 1, the descriptor
 * bits, error returns, and a randomized run against a shadow page map that
 * also checks after every operation that every pool page in use is a table.
 */
#include "check.h"
#include "../../hypervisor/core/pool.c"
#include "../../hypervisor/core/paging.c"
#include "../../hypervisor/arch/arm64/paging-format.c"
#include "hv-fake.h"

#define KiB		(1ULL << 10)
#define MiB		(1ULL << 20)
#define GiB		(1ULL << 30)
#define POOL_PAGES	512

static char name[200];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

static void pool_fresh(u64 pages)
{
	if (mem_pool.bitmap)
		fake_pool_teardown(&mem_pool, 0);
	fake_pool_setup(&mem_pool, pages, 4096, 0);
}

/* Index mask at @level: a root of N concatenated tables has N * 512 entries. */
static u64 root_mask(const struct paging *pg, unsigned int level)
{
	return level == pg->start_level ? 512ULL * pg->root_pages - 1 : 511;
}

/*
 * The test's own table walk (independent of paging_virt2phys): the raw
 * descriptor that translates @virt, and the level it sits at; 0 if none.
 */
static u64 raw_leaf(const struct paging *pg, u64 virt, unsigned int *level_out)
{
	const u64 *table = pg->root;
	unsigned int level;

	for (level = pg->start_level; level <= 3; level++) {
		u64 pte = table[(virt >> (39 - 9 * level)) & root_mask(pg, level)];

		if (!(pte & 1))
			return 0;
		if (level == 3 || (pte & 3) == 1) {
			if (level_out)
				*level_out = level;
			return pte;
		}
		table = (const u64 *)(uintptr_t)(pte & 0x0000fffffffff000ULL);
	}
	return 0;
}

/* The raw descriptor at @level on the way to @virt (a table or a leaf). */
static u64 raw_entry(const struct paging *pg, u64 virt, unsigned int want)
{
	const u64 *table = pg->root;
	unsigned int level;

	for (level = pg->start_level; level <= 3; level++) {
		u64 pte = table[(virt >> (39 - 9 * level)) & root_mask(pg, level)];

		if (level == want)
			return pte;
		if ((pte & 3) != 3)
			return 0;
		table = (const u64 *)(uintptr_t)(pte & 0x0000fffffffff000ULL);
	}
	return 0;
}

static struct paging_shape shape_of(const struct paging *pg)
{
	struct paging_shape s;

	paging_get_shape(pg, &s);
	return s;
}

/* 768 MiB of RAM at 1 GiB, as the QEMU virt root cell has it. */
static void test_blocks(unsigned int start_level)
{
	struct paging pg;
	struct paging_shape s;
	u64 used, ext = start_level == 0 ? 1 : 0;	/* the extra level-0 table */
	const char *sl = start_level ? "sl1" : "sl0";
	u32 flags = 0;
	int err;

	pool_fresh(POOL_PAGES);
	err = paging_init(&pg, &stage2_paging_format, start_level, start_level ? 39 : 48);
	CHECK_EQ(NAME("paging %s: init", sl), err, 0);
	CHECK_EQ(NAME("paging %s: init takes the root page", sl), mem_pool.used, 1);
	CHECK_EQ(NAME("paging %s: root is zeroed", sl), raw_entry(&pg, 0x40000000, start_level), 0);

	err = paging_map(&pg, 0x40000000, 0x40000000, 768 * MiB,
			 PAGE_RW | PAGE_EXEC, true);
	CHECK_EQ(NAME("paging %s: map 768 MiB", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("paging %s: 768 MiB as 2 MiB blocks", sl), s.bytes[2], 768 * MiB);
	CHECK_EQ(NAME("paging %s: no pages for 768 MiB", sl), s.bytes[3], 0);
	CHECK_EQ(NAME("paging %s: no 1 GiB block for 768 MiB", sl), s.bytes[1], 0);
	CHECK_EQ(NAME("paging %s: tables for 768 MiB (root, [L1,] L2)", sl), s.tables, 2 + ext);
	CHECK_EQ(NAME("paging %s: pool pages == tables", sl), mem_pool.used, s.tables);

	CHECK_EQ(NAME("paging %s: virt2phys start", sl),
		 paging_virt2phys(&pg, 0x40000000, &flags), 0x40000000);
	CHECK_EQ(NAME("paging %s: virt2phys flags", sl), flags, PAGE_RW | PAGE_EXEC);
	CHECK_EQ(NAME("paging %s: virt2phys inside a block", sl),
		 paging_virt2phys(&pg, 0x40000000 + 0x1234567, NULL), 0x41234567);
	CHECK_EQ(NAME("paging %s: virt2phys last byte", sl),
		 paging_virt2phys(&pg, 0x40000000 + 768 * MiB - 1, NULL),
		 0x40000000 + 768 * MiB - 1);
	CHECK_EQ(NAME("paging %s: virt2phys just after the end", sl),
		 paging_virt2phys(&pg, 0x40000000 + 768 * MiB, NULL), INVALID_PHYS_ADDR);
	CHECK_EQ(NAME("paging %s: virt2phys just before the start", sl),
		 paging_virt2phys(&pg, 0x40000000 - 1, NULL), INVALID_PHYS_ADDR);
	CHECK_EQ(NAME("paging %s: virt2phys of 0", sl),
		 paging_virt2phys(&pg, 0, NULL), INVALID_PHYS_ADDR);

	/* A 1 GiB aligned gigabyte: one level-1 block, no new table. */
	used = mem_pool.used;
	err = paging_map(&pg, 2 * GiB, 8 * GiB, GiB, PAGE_RW, true);
	CHECK_EQ(NAME("paging %s: map 1 GiB", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("paging %s: 1 GiB as a level-1 block", sl), s.bytes[1], GiB);
	CHECK_EQ(NAME("paging %s: the 1 GiB block needs no table", sl), mem_pool.used, used);
	CHECK_EQ(NAME("paging %s: virt2phys in the 1 GiB block", sl),
		 paging_virt2phys(&pg, 2 * GiB + 0x3456789, &flags), 8 * GiB + 0x3456789);
	CHECK_EQ(NAME("paging %s: 1 GiB block flags", sl), flags, PAGE_RW);

	/* 1 GiB virt-aligned, but phys only 2 MiB aligned: 2 MiB blocks. */
	err = paging_map(&pg, 4 * GiB, 8 * GiB + 2 * MiB, GiB, PAGE_RW, true);
	CHECK_EQ(NAME("paging %s: map 1 GiB at 2 MiB aligned phys", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("paging %s: 2 MiB aligned phys gives 2 MiB blocks", sl),
		 s.bytes[2], 768 * MiB + GiB);
	CHECK_EQ(NAME("paging %s: 2 MiB aligned phys: one more L2 table", sl),
		 mem_pool.used, used + 1);

	/* phys only 4 KiB aligned: pages, even with blocks allowed. */
	used = mem_pool.used;
	err = paging_map(&pg, 6 * GiB, 0x40001000, 4 * MiB, PAGE_READ, true);
	CHECK_EQ(NAME("paging %s: map 4 MiB at unaligned phys", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("paging %s: unaligned phys forces pages", sl), s.bytes[3], 4 * MiB);
	CHECK_EQ(NAME("paging %s: unaligned phys: L2 + 2 L3 tables", sl),
		 mem_pool.used, used + 3);
	CHECK_EQ(NAME("paging %s: virt2phys in pages", sl),
		 paging_virt2phys(&pg, 6 * GiB + 2 * MiB + 0x1234, &flags),
		 0x40001000 + 2 * MiB + 0x1234);
	CHECK_EQ(NAME("paging %s: page flags", sl), flags, PAGE_READ);

	/* blocks == false: pages even where blocks would fit. */
	used = mem_pool.used;
	err = paging_map(&pg, 7 * GiB, 7 * GiB, 2 * MiB, PAGE_RW, false);
	CHECK_EQ(NAME("paging %s: map 2 MiB without blocks", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("paging %s: no blocks when not allowed", sl), s.bytes[3], 6 * MiB);
	CHECK_EQ(NAME("paging %s: without blocks: L2 + L3 tables", sl),
		 mem_pool.used, used + 2);
	CHECK_EQ(NAME("paging %s: pool pages == tables (after all maps)", sl),
		 mem_pool.used, s.tables);

	if (start_level == 0) {
		/* Above 512 GiB: only reachable with a level-0 root. */
		err = paging_map(&pg, 512 * GiB + 2 * MiB, 0x80000000, 2 * MiB,
				 PAGE_RW, true);
		CHECK_EQ("paging sl0: map above 512 GiB", err, 0);
		CHECK_EQ("paging sl0: virt2phys above 512 GiB",
			 paging_virt2phys(&pg, 512 * GiB + 2 * MiB + 5, NULL),
			 0x80000005);
		CHECK_EQ("paging sl0: 512 GiB above is not aliased to 0",
			 paging_virt2phys(&pg, 2 * MiB, NULL), INVALID_PHYS_ADDR);
		CHECK_EQ("paging sl0: 2 MiB block under a second L0 entry",
			 shape_of(&pg).bytes[2], 768 * MiB + GiB + 2 * MiB);
	}

	paging_destroy(&pg);
	CHECK_EQ(NAME("paging %s: destroy frees every table and the root", sl),
		 mem_pool.used, 0);
	CHECK(NAME("paging %s: destroy clears the root", sl), pg.root == NULL);
}

/* Taking 64 KiB out of a block and giving it back: the cell create/destroy cycle. */
static void test_split_merge(void)
{
	const u64 base = 0x40000000, hole = base + 5 * 2 * MiB + 0x10000;
	struct paging pg;
	struct paging_shape s;
	u64 used0, a;
	u32 flags = 0;
	bool ok;
	int err;

	pool_fresh(POOL_PAGES);
	paging_init(&pg, &stage2_paging_format, 1, 39);
	paging_map(&pg, base, base, 768 * MiB, PAGE_RW | PAGE_EXEC, true);
	used0 = mem_pool.used;

	err = paging_unmap(&pg, hole, 64 * KiB);
	CHECK_EQ("paging split: unmap 64 KiB in a 2 MiB block", err, 0);
	CHECK_EQ("paging split: one L3 table more", mem_pool.used, used0 + 1);
	s = shape_of(&pg);
	CHECK_EQ("paging split: the block became pages", s.bytes[2], 766 * MiB);
	CHECK_EQ("paging split: pages around the hole", s.bytes[3], 2 * MiB - 64 * KiB);
	ok = true;
	for (a = hole; a < hole + 64 * KiB; a += 4 * KiB)
		if (paging_virt2phys(&pg, a, NULL) != INVALID_PHYS_ADDR)
			ok = false;
	CHECK("paging split: all 16 pages of the hole unmapped", ok);
	CHECK_EQ("paging split: page before the hole",
		 paging_virt2phys(&pg, hole - 1, &flags), hole - 1);
	CHECK_EQ("paging split: page before the hole keeps its rights", flags,
		 PAGE_RW | PAGE_EXEC);
	CHECK_EQ("paging split: page after the hole",
		 paging_virt2phys(&pg, hole + 64 * KiB, &flags), hole + 64 * KiB);
	CHECK_EQ("paging split: page after the hole keeps its rights", flags,
		 PAGE_RW | PAGE_EXEC);
	ok = true;
	for (a = ALIGN_DOWN(hole, 2 * MiB); a < ALIGN_DOWN(hole, 2 * MiB) + 2 * MiB;
	     a += 4 * KiB)
		if ((a < hole || a >= hole + 64 * KiB) &&
		    paging_virt2phys(&pg, a + 0x10, NULL) != a + 0x10)
			ok = false;
	CHECK("paging split: every other page of the split block translates", ok);
	CHECK_EQ("paging split: neighbouring block untouched",
		 paging_virt2phys(&pg, hole + 2 * MiB, NULL), hole + 2 * MiB);

	/* Given back with other rights: stays split. */
	err = paging_map(&pg, hole, hole, 64 * KiB, PAGE_READ, true);
	CHECK_EQ("paging merge: map back read-only", err, 0);
	CHECK_EQ("paging merge: different rights do not merge", mem_pool.used, used0 + 1);
	paging_virt2phys(&pg, hole, &flags);
	CHECK_EQ("paging merge: the read-only part is read-only", flags, PAGE_READ);

	/* Given back with the same rights but at other phys: stays split. */
	err = paging_map(&pg, hole, hole + 4 * GiB, 64 * KiB, PAGE_RW | PAGE_EXEC, true);
	CHECK_EQ("paging merge: map back elsewhere", err, 0);
	CHECK_EQ("paging merge: discontiguous phys does not merge", mem_pool.used,
		 used0 + 1);

	err = paging_map(&pg, hole, hole, 64 * KiB, PAGE_RW | PAGE_EXEC, true);
	CHECK_EQ("paging merge: map back as before", err, 0);
	CHECK_EQ("paging merge: pool used back to exactly its previous value",
		 mem_pool.used, used0);
	s = shape_of(&pg);
	CHECK_EQ("paging merge: block again", s.bytes[2], 768 * MiB);
	CHECK_EQ("paging merge: no pages left", s.bytes[3], 0);
	CHECK_EQ("paging merge: hole translates again",
		 paging_virt2phys(&pg, hole + 0x42, &flags), hole + 0x42);
	CHECK_EQ("paging merge: merged block rights", flags, PAGE_RW | PAGE_EXEC);

	/* Without blocks nothing merges (NO_HUGEPAGES regions). */
	paging_unmap(&pg, hole, 64 * KiB);
	paging_map(&pg, hole, hole, 64 * KiB, PAGE_RW | PAGE_EXEC, false);
	CHECK_EQ("paging merge: blocks=false keeps the pages", mem_pool.used, used0 + 1);
	CHECK_EQ("paging merge: blocks=false mapping translates",
		 paging_virt2phys(&pg, hole + 0x42, NULL), hole + 0x42);

	/* An unmap across a block boundary splits both blocks. */
	used0 = mem_pool.used;
	err = paging_unmap(&pg, base + 100 * MiB - 256 * KiB, 512 * KiB);
	CHECK_EQ("paging split: unmap across a 2 MiB boundary", err, 0);
	CHECK_EQ("paging split: both blocks split", mem_pool.used, used0 + 2);
	CHECK_EQ("paging split: below the crossing hole",
		 paging_virt2phys(&pg, base + 100 * MiB - 256 * KiB - 4, NULL),
		 base + 100 * MiB - 256 * KiB - 4);
	CHECK_EQ("paging split: in the crossing hole (first half)",
		 paging_virt2phys(&pg, base + 100 * MiB - 4, NULL), INVALID_PHYS_ADDR);
	CHECK_EQ("paging split: in the crossing hole (second half)",
		 paging_virt2phys(&pg, base + 100 * MiB, NULL), INVALID_PHYS_ADDR);
	CHECK_EQ("paging split: above the crossing hole",
		 paging_virt2phys(&pg, base + 100 * MiB + 256 * KiB, NULL),
		 base + 100 * MiB + 256 * KiB);
	paging_map(&pg, base + 100 * MiB - 256 * KiB, base + 100 * MiB - 256 * KiB,
		   512 * KiB, PAGE_RW | PAGE_EXEC, true);
	CHECK_EQ("paging merge: both blocks merged back", mem_pool.used, used0);
	paging_destroy(&pg);
	CHECK_EQ("paging split: destroy after splits frees everything", mem_pool.used, 0);

	/* 64 KiB out of a 1 GiB block: two levels of split, two of merge. */
	paging_init(&pg, &stage2_paging_format, 0, 48);
	paging_map(&pg, 3 * GiB, 3 * GiB, GiB, PAGE_RW, true);
	used0 = mem_pool.used;
	CHECK_EQ("paging split: 1 GiB block (sl0: root + L1)", used0, 2);
	err = paging_unmap(&pg, 3 * GiB + 300 * MiB, 64 * KiB);
	CHECK_EQ("paging split: unmap 64 KiB in a 1 GiB block", err, 0);
	CHECK_EQ("paging split: L2 and L3 table added", mem_pool.used, used0 + 2);
	s = shape_of(&pg);
	CHECK_EQ("paging split: 1 GiB block gone", s.bytes[1], 0);
	CHECK_EQ("paging split: 511 2 MiB blocks", s.bytes[2], 511 * 2 * MiB);
	CHECK_EQ("paging split: 1 GiB split: inside",
		 paging_virt2phys(&pg, 3 * GiB + 700 * MiB + 3, &flags), 3 * GiB + 700 * MiB + 3);
	CHECK_EQ("paging split: 1 GiB split keeps rights", flags, PAGE_RW);
	paging_map(&pg, 3 * GiB + 300 * MiB, 3 * GiB + 300 * MiB, 64 * KiB, PAGE_RW, true);
	CHECK_EQ("paging merge: 1 GiB block restored, pool used as before",
		 mem_pool.used, used0);
	CHECK_EQ("paging merge: 1 GiB block restored", shape_of(&pg).bytes[1], GiB);
	paging_destroy(&pg);
	CHECK_EQ("paging merge: destroy", mem_pool.used, 0);
}

static void test_unmap_frees(void)
{
	struct paging pg;
	struct paging_shape s;
	u64 used_init;
	int err;

	pool_fresh(POOL_PAGES);
	paging_init(&pg, &el2_paging_format, 0, 48);
	used_init = mem_pool.used;
	paging_map(&pg, 0x40000000, 0x40000000, 768 * MiB, PAGE_RW, true);
	paging_map(&pg, 0x80000000 + 4 * KiB, 0x1000, 3 * MiB, PAGE_READ, true);
	paging_map(&pg, 512 * GiB, 0x9000000, 64 * KiB, PAGE_RW | PAGE_DEVICE, false);
	CHECK("paging unmap: setup made tables", mem_pool.used > used_init + 4);

	err = paging_unmap(&pg, 0x40000000, 768 * MiB);
	CHECK_EQ("paging unmap: whole 768 MiB", err, 0);
	err = paging_unmap(&pg, 0x80000000 + 4 * KiB, 3 * MiB);
	CHECK_EQ("paging unmap: whole page range", err, 0);
	err = paging_unmap(&pg, 512 * GiB, 64 * KiB);
	CHECK_EQ("paging unmap: device range", err, 0);
	CHECK_EQ("paging unmap: every table freed, pool back to after init",
		 mem_pool.used, used_init);
	s = shape_of(&pg);
	CHECK_EQ("paging unmap: only the root is left", s.tables, 1);
	CHECK_EQ("paging unmap: nothing mapped at level 2", s.bytes[2], 0);
	CHECK_EQ("paging unmap: nothing mapped at level 3", s.bytes[3], 0);
	CHECK_EQ("paging unmap: root entries cleared", raw_entry(&pg, 0x40000000, 0), 0);

	err = paging_unmap(&pg, 0, 4 * GiB);
	CHECK_EQ("paging unmap: unmapping nothing succeeds", err, 0);
	CHECK_EQ("paging unmap: unmapping nothing allocates nothing", mem_pool.used,
		 used_init);

	/* Map the same range again: same tables count as the first time. */
	paging_map(&pg, 0x40000000, 0x40000000, 768 * MiB, PAGE_RW, true);
	CHECK_EQ("paging unmap: remap after unmap needs L1 + L2 again",
		 mem_pool.used, used_init + 2);

	/* Replacing page mappings with a block frees the page tables. */
	paging_map(&pg, 2 * GiB, 2 * GiB, 4 * MiB, PAGE_RW, false);
	CHECK_EQ("paging replace: pages mapped with L2 + 2 L3", mem_pool.used,
		 used_init + 2 + 3);
	err = paging_map(&pg, 2 * GiB, 2 * GiB, 4 * MiB, PAGE_RW, true);
	CHECK_EQ("paging replace: map blocks over pages", err, 0);
	CHECK_EQ("paging replace: the L3 tables were freed", mem_pool.used,
		 used_init + 2 + 1);
	err = paging_map(&pg, 2 * GiB, 5 * GiB, GiB, PAGE_READ, true);
	CHECK_EQ("paging replace: map a 1 GiB block over 2 MiB blocks", err, 0);
	CHECK_EQ("paging replace: the L2 table was freed", mem_pool.used, used_init + 2);
	CHECK_EQ("paging replace: new translation",
		 paging_virt2phys(&pg, 2 * GiB + 8, NULL), 5 * GiB + 8);

	paging_destroy(&pg);
	CHECK_EQ("paging destroy: pool empty", mem_pool.used, 0);
	paging_destroy(&pg);
	CHECK_EQ("paging destroy: twice is harmless", mem_pool.used, 0);
}

/* Rights and attributes survive a round trip, in pages and blocks. */
static void test_flags(void)
{
	static const u32 el2_flags[] = {
		PAGE_READ, PAGE_RW, PAGE_READ | PAGE_EXEC, PAGE_RW | PAGE_EXEC,
		PAGE_READ | PAGE_DEVICE, PAGE_RW | PAGE_DEVICE,
	};
	struct paging pg;
	unsigned int i, blocks;
	u32 f, got;

	pool_fresh(POOL_PAGES);
	for (blocks = 0; blocks < 2; blocks++) {
		u64 size = blocks ? 2 * MiB : 4 * KiB;

		paging_init(&pg, &stage2_paging_format, 1, 39);
		for (f = 0; f < 16; f++) {
			u64 va = GiB + f * 2 * MiB;

			got = 0xdead;
			paging_map(&pg, va, 0x100000000 + f * 2 * MiB, size, f, true);
			CHECK_EQ(NAME("paging flags: stage 2 %s with flags 0x%x",
				      blocks ? "block" : "page", f),
				 paging_virt2phys(&pg, va + 8, &got),
				 0x100000000 + f * 2 * MiB + 8);
			CHECK_EQ(NAME("paging flags: stage 2 %s flags 0x%x round trip",
				      blocks ? "block" : "page", f), got, f);
		}
		paging_destroy(&pg);

		paging_init(&pg, &el2_paging_format, 0, 48);
		for (i = 0; i < ARRAY_SIZE(el2_flags); i++) {
			u64 va = GiB + i * 2 * MiB;

			got = 0xdead;
			paging_map(&pg, va, va, size, el2_flags[i], true);
			paging_virt2phys(&pg, va, &got);
			CHECK_EQ(NAME("paging flags: EL2 %s flags 0x%x round trip",
				      blocks ? "block" : "page", el2_flags[i]),
				 got, el2_flags[i]);
		}
		/* Device memory is never executable for the hypervisor. */
		paging_map(&pg, 3 * GiB, 3 * GiB, size, PAGE_RW | PAGE_EXEC | PAGE_DEVICE, true);
		paging_virt2phys(&pg, 3 * GiB, &got);
		CHECK_EQ(NAME("paging flags: EL2 device %s is never executable",
			      blocks ? "block" : "page"), got, PAGE_RW | PAGE_DEVICE);
		paging_destroy(&pg);
	}
	CHECK_EQ("paging flags: pool empty afterwards", mem_pool.used, 0);
}

#define BITS(pte, hi, lo)	(((pte) >> (lo)) & ((1ULL << ((hi) - (lo) + 1)) - 1))

static void test_descriptors(void)
{
	struct paging pg;
	unsigned int level = 99;
	u64 pte, tbl;

	pool_fresh(POOL_PAGES);
	paging_init(&pg, &stage2_paging_format, 1, 39);
	paging_map(&pg, GiB, 0x80000000, 2 * MiB, PAGE_RW, true);
	paging_map(&pg, GiB + 2 * MiB, 0x9000000, 4 * KiB, PAGE_RW | PAGE_DEVICE, true);
	paging_map(&pg, 2 * GiB, 4 * GiB, GiB, PAGE_READ | PAGE_EXEC, true);

	pte = raw_leaf(&pg, GiB, &level);
	CHECK_EQ("pte s2 normal: a level-2 leaf", level, 2);
	CHECK_EQ("pte s2 normal: block type 0b01", BITS(pte, 1, 0), 1);
	CHECK_EQ("pte s2 normal: output address", pte & 0x0000ffffffe00000ULL, 0x80000000);
	CHECK_EQ("pte s2 normal: MemAttr 0xF (normal write-back)", BITS(pte, 5, 2), 0xf);
	CHECK_EQ("pte s2 normal: S2AP 11 (read/write)", BITS(pte, 7, 6), 3);
	CHECK_EQ("pte s2 normal: SH 11 (inner shareable)", BITS(pte, 9, 8), 3);
	CHECK_EQ("pte s2 normal: AF", BITS(pte, 10, 10), 1);
	CHECK_EQ("pte s2 normal: XN (no PAGE_EXEC)", BITS(pte, 54, 53), 2);
	CHECK_EQ("pte s2 normal: no other bits",
		 pte & ~(0x0000ffffffe00000ULL | 0x7ffULL | (3ULL << 53)), 0);

	pte = raw_leaf(&pg, GiB + 2 * MiB, &level);
	CHECK_EQ("pte s2 device: a level-3 leaf", level, 3);
	CHECK_EQ("pte s2 device: page type 0b11", BITS(pte, 1, 0), 3);
	CHECK_EQ("pte s2 device: output address", pte & 0x0000fffffffff000ULL, 0x9000000);
	CHECK_EQ("pte s2 device: MemAttr 0x1 (Device-nGnRE)", BITS(pte, 5, 2), 1);
	CHECK_EQ("pte s2 device: S2AP 11", BITS(pte, 7, 6), 3);
	CHECK_EQ("pte s2 device: AF", BITS(pte, 10, 10), 1);
	CHECK_EQ("pte s2 device: XN", BITS(pte, 54, 53), 2);

	pte = raw_leaf(&pg, 2 * GiB, &level);
	CHECK_EQ("pte s2 1 GiB: a level-1 leaf", level, 1);
	CHECK_EQ("pte s2 1 GiB: block type 0b01", BITS(pte, 1, 0), 1);
	CHECK_EQ("pte s2 1 GiB: output address", pte & 0x0000ffffc0000000ULL, 4 * GiB);
	CHECK_EQ("pte s2 read-only: S2AP 01", BITS(pte, 7, 6), 1);
	CHECK_EQ("pte s2 executable: XN clear", BITS(pte, 54, 53), 0);

	tbl = raw_entry(&pg, GiB, 1);
	CHECK_EQ("pte table: type 0b11", BITS(tbl, 1, 0), 3);
	CHECK_EQ("pte table: address field points at the level-2 table",
		 ((const u64 *)(uintptr_t)(tbl & 0x0000fffffffff000ULL))[(GiB >> 21) & 511],
		 raw_leaf(&pg, GiB, NULL));
	CHECK("pte table: next table is a pool page",
	      (tbl & 0x0000fffffffff000ULL) >= mem_pool.base &&
	      (tbl & 0x0000fffffffff000ULL) < mem_pool.base + mem_pool.pages * 4096);
	CHECK_EQ("pte table: no attribute bits", tbl & ~0x0000fffffffff000ULL, 3);
	CHECK_EQ("pte table: level-2 table entry type 0b11",
		 BITS(raw_entry(&pg, GiB + 2 * MiB, 2), 1, 0), 3);
	paging_destroy(&pg);

	paging_init(&pg, &el2_paging_format, 0, 48);
	paging_map(&pg, GiB, GiB, 4 * KiB, PAGE_READ, false);
	paging_map(&pg, GiB + 4 * KiB, GiB + 4 * KiB, 4 * KiB, PAGE_RW, false);
	paging_map(&pg, GiB + 8 * KiB, GiB + 8 * KiB, 4 * KiB, PAGE_READ | PAGE_EXEC, false);
	paging_map(&pg, GiB + 12 * KiB, 0x9000000, 4 * KiB, PAGE_RW | PAGE_DEVICE, false);
	paging_map(&pg, GiB + 2 * MiB, GiB + 2 * MiB, 2 * MiB, PAGE_RW, true);

	pte = raw_leaf(&pg, GiB, &level);
	CHECK_EQ("pte el2 RO: level 3", level, 3);
	CHECK_EQ("pte el2 RO: page type 0b11", BITS(pte, 1, 0), 3);
	CHECK_EQ("pte el2 RO: AP[2] set", BITS(pte, 7, 7), 1);
	CHECK_EQ("pte el2 RO: AP[1] (RES1 at EL2)", BITS(pte, 6, 6), 1);
	CHECK_EQ("pte el2 RO: AttrIndx normal", BITS(pte, 4, 2), MAIR_IDX_NORMAL);
	CHECK_EQ("pte el2 RO: SH inner", BITS(pte, 9, 8), 3);
	CHECK_EQ("pte el2 RO: AF", BITS(pte, 10, 10), 1);
	CHECK_EQ("pte el2 RO: XN (bit 54)", BITS(pte, 54, 54), 1);
	pte = raw_leaf(&pg, GiB + 4 * KiB, NULL);
	CHECK_EQ("pte el2 RW: AP[2] clear", BITS(pte, 7, 7), 0);
	CHECK_EQ("pte el2 RW: not executable", BITS(pte, 54, 54), 1);
	pte = raw_leaf(&pg, GiB + 8 * KiB, NULL);
	CHECK_EQ("pte el2 RX: executable", BITS(pte, 54, 54), 0);
	CHECK_EQ("pte el2 RX: AP[2] set", BITS(pte, 7, 7), 1);
	pte = raw_leaf(&pg, GiB + 12 * KiB, NULL);
	CHECK_EQ("pte el2 device: AttrIndx device", BITS(pte, 4, 2), MAIR_IDX_DEVICE);
	CHECK_EQ("pte el2 device: XN", BITS(pte, 54, 54), 1);
	CHECK_EQ("pte el2 device: output address", pte & 0x0000fffffffff000ULL, 0x9000000);
	pte = raw_leaf(&pg, GiB + 2 * MiB, &level);
	CHECK_EQ("pte el2 block: level 2", level, 2);
	CHECK_EQ("pte el2 block: type 0b01", BITS(pte, 1, 0), 1);
	CHECK_EQ("pte el2 L0 table: type 0b11", BITS(raw_entry(&pg, GiB, 0), 1, 0), 3);
	paging_destroy(&pg);
	CHECK_EQ("pte: pool empty afterwards", mem_pool.used, 0);
}

static void test_errors(void)
{
	struct paging pg;
	u64 used;
	int err;

	pool_fresh(POOL_PAGES);
	paging_init(&pg, &stage2_paging_format, 1, 39);
	CHECK_EQ("paging errors: unaligned virt", paging_map(&pg, 0x1800, 0x2000, 4096, PAGE_RW, true), -EINVAL);
	CHECK_EQ("paging errors: unaligned phys", paging_map(&pg, 0x2000, 0x1800, 4096, PAGE_RW, true), -EINVAL);
	CHECK_EQ("paging errors: unaligned size", paging_map(&pg, 0x2000, 0x2000, 4095, PAGE_RW, true), -EINVAL);
	CHECK_EQ("paging errors: unaligned unmap virt", paging_unmap(&pg, 0x1800, 4096), -EINVAL);
	CHECK_EQ("paging errors: unaligned unmap size", paging_unmap(&pg, 0x2000, 100), -EINVAL);
	CHECK_EQ("paging errors: rejected calls allocate nothing", mem_pool.used, 1);
	paging_destroy(&pg);

	/* A pool of 3 pages: root + L1 + L2 fit, the L3 for pages does not. */
	pool_fresh(3);
	err = paging_init(&pg, &stage2_paging_format, 0, 48);
	CHECK_EQ("paging errors: init in a small pool", err, 0);
	err = paging_map(&pg, GiB, GiB, 4 * KiB, PAGE_RW, true);
	CHECK_EQ("paging errors: out of tables gives -ENOMEM", err, -ENOMEM);
	paging_destroy(&pg);
	CHECK_EQ("paging errors: destroy after -ENOMEM leaks nothing", mem_pool.used, 0);

	err = paging_init(&pg, &stage2_paging_format, 0, 48);
	err = paging_map(&pg, GiB, GiB, 2 * MiB, PAGE_RW, true);
	CHECK_EQ("paging errors: block fits the small pool", err, 0);
	CHECK_EQ("paging errors: small pool is full", mem_pool.used, 3);
	err = paging_unmap(&pg, GiB + 4 * KiB, 4 * KiB);
	CHECK_EQ("paging errors: split without a free page gives -ENOMEM", err, -ENOMEM);
	CHECK_EQ("paging errors: failed split leaves the block mapped",
		 paging_virt2phys(&pg, GiB + 4 * KiB, NULL), GiB + 4 * KiB);
	CHECK_EQ("paging errors: failed split leaves the block a block",
		 shape_of(&pg).bytes[2], 2 * MiB);
	used = mem_pool.used;
	err = paging_map(&pg, GiB + 4 * KiB, 0x5000, 4 * KiB, PAGE_RW, true);
	CHECK_EQ("paging errors: map into a block without a free page", err, -ENOMEM);
	CHECK_EQ("paging errors: failed map allocates nothing", mem_pool.used, used);
	paging_destroy(&pg);
	CHECK_EQ("paging errors: destroy", mem_pool.used, 0);

	pool_fresh(1);
	paging_init(&pg, &stage2_paging_format, 0, 48);
	CHECK_EQ("paging errors: init with an empty pool",
		 paging_init(&pg, &stage2_paging_format, 0, 48), -ENOMEM);
	CHECK("paging errors: failed init leaves no root", pg.root == NULL);
	pool_fresh(POOL_PAGES);
}

/*
 * The root table translates 2^48 bytes from level 0 and 2^39 from level 1; an
 * address beyond that has no entry of its own, and the index arithmetic must
 * not wrap it onto a low address (a region at 512 GiB + 1 GiB would replace
 * the RAM at 1 GiB, an unmap up there would take it away).
 */
static void test_reach(unsigned int start_level)
{
	u64 reach = start_level ? 512 * GiB : 1ULL << 48;
	const char *sl = start_level ? "sl1" : "sl0";
	struct paging pg;
	u64 used;
	u32 flags = 0;

	pool_fresh(POOL_PAGES);
	paging_init(&pg, &stage2_paging_format, start_level, start_level ? 39 : 48);
	paging_map(&pg, GiB, GiB, 4 * MiB, PAGE_RW, true);
	used = mem_pool.used;

	CHECK_EQ(NAME("paging reach %s: map beyond the root's reach is refused", sl),
		 paging_map(&pg, reach + GiB, 5 * GiB, 2 * MiB, PAGE_READ, true), -ERANGE);
	CHECK_EQ(NAME("paging reach %s: map running past the reach is refused", sl),
		 paging_map(&pg, reach - 2 * MiB, 5 * GiB, 4 * MiB, PAGE_READ, true), -ERANGE);
	CHECK_EQ(NAME("paging reach %s: map whose end wraps is refused", sl),
		 paging_map(&pg, GiB, 5 * GiB, ~0ULL - GiB + 1 + 4096, PAGE_READ, true),
		 -ERANGE);
	CHECK_EQ(NAME("paging reach %s: low mapping not replaced by an alias", sl),
		 paging_virt2phys(&pg, GiB + 8, &flags), GiB + 8);
	CHECK_EQ(NAME("paging reach %s: low mapping keeps its rights", sl), flags, PAGE_RW);
	CHECK_EQ(NAME("paging reach %s: refused maps allocate nothing", sl),
		 mem_pool.used, used);
	CHECK_EQ(NAME("paging reach %s: virt2phys beyond the reach", sl),
		 paging_virt2phys(&pg, reach + GiB + 8, NULL), INVALID_PHYS_ADDR);
	CHECK_EQ(NAME("paging reach %s: unmap beyond the reach is refused", sl),
		 paging_unmap(&pg, reach + GiB, 2 * MiB), -ERANGE);
	CHECK_EQ(NAME("paging reach %s: low mapping survives an unmap beyond the reach", sl),
		 paging_virt2phys(&pg, GiB + 8, NULL), GiB + 8);
	CHECK_EQ(NAME("paging reach %s: the last 2 MiB below the reach can be mapped", sl),
		 paging_map(&pg, reach - 2 * MiB, 5 * GiB, 2 * MiB, PAGE_READ, true), 0);
	CHECK_EQ(NAME("paging reach %s: ... and translate", sl),
		 paging_virt2phys(&pg, reach - 1, NULL), 5 * GiB + 2 * MiB - 1);
	CHECK_EQ(NAME("paging reach %s: ... and be unmapped", sl),
		 paging_unmap(&pg, reach - 2 * MiB, 2 * MiB), 0);
	paging_destroy(&pg);
	CHECK_EQ(NAME("paging reach %s: destroy", sl), mem_pool.used, 0);
}

/*
 * Random maps and unmaps in a 16 MiB window (8 block slots) straddling a
 * 1 GiB boundary, against a shadow of every page; after each operation all
 * pages are looked up and the pool must hold exactly the tables in use.
 */
#define WIN_BASE	(3 * GiB - 8 * MiB)
#define WIN_PAGES	4096
static struct { u64 phys; u32 flags; bool mapped; } shadow[WIN_PAGES];

static void test_random(const struct paging_format *fmt, const char *fname,
			unsigned int start_level, unsigned int seed)
{
	struct paging pg;
	struct paging_shape s;
	unsigned int iter, n, bad_lookup = 0, bad_flags = 0, bad_tables = 0,
		     bad_err = 0, bad_bytes = 0;
	u64 mapped_bytes;
	bool saw_blocks = false;

	pool_fresh(POOL_PAGES);
	srand(seed);
	memset(shadow, 0, sizeof(shadow));
	paging_init(&pg, fmt, start_level, start_level ? 39 : 48);
	for (iter = 0; iter < 1500; iter++) {
		unsigned int first, num;
		int err;

		/* Sizes from a page to several blocks, often block aligned. */
		if (rand() % 3 == 0) {
			first = (rand() % 8) * 512;
			num = 512 * (1 + rand() % (8 - first / 512));
		} else {
			unsigned int most = rand() % 2 ? 40 : 1200;

			first = rand() % WIN_PAGES;
			num = 1 + rand() % MIN(WIN_PAGES - first, most);
		}
		if (rand() % 3 == 0) {
			err = paging_unmap(&pg, WIN_BASE + first * 4096ULL, num * 4096ULL);
			for (n = first; n < first + num; n++)
				shadow[n].mapped = false;
		} else {
			/* phys: 2 MiB-compatible most of the time, to get blocks. */
			u64 delta = (rand() % 4 ? (u64)(rand() % 64) * 2 * MiB
						: (u64)(rand() % 64) * 4096) + 16 * GiB;
			u32 flags = fmt == &el2_paging_format ?
				    (PAGE_READ | (rand() % 2 ? PAGE_WRITE : 0) |
				     (rand() % 4 == 0 ? PAGE_DEVICE :
				      rand() % 2 ? PAGE_EXEC : 0)) :
				    (u32)(rand() % 16);
			/* Few distinct rights so that merges happen. */
			if (rand() % 2)
				flags = fmt == &el2_paging_format ? PAGE_RW : PAGE_RW | PAGE_EXEC;
			err = paging_map(&pg, WIN_BASE + first * 4096ULL,
					 WIN_BASE + first * 4096ULL + delta,
					 num * 4096ULL, flags, rand() % 4 != 0);
			for (n = first; n < first + num; n++) {
				shadow[n].mapped = true;
				shadow[n].phys = WIN_BASE + n * 4096ULL + delta;
				shadow[n].flags = flags;
			}
		}
		if (err)
			bad_err++;
		mapped_bytes = 0;
		for (n = 0; n < WIN_PAGES; n++) {
			u32 got = 0;
			u64 off = (n * 40503ULL) % 4096;
			u64 pa = paging_virt2phys(&pg, WIN_BASE + n * 4096ULL + off, &got);

			if (!shadow[n].mapped) {
				if (pa != INVALID_PHYS_ADDR)
					bad_lookup++;
				continue;
			}
			mapped_bytes += 4096;
			if (pa != shadow[n].phys + off)
				bad_lookup++;
			else if (got != shadow[n].flags)
				bad_flags++;
		}
		s = shape_of(&pg);
		if (s.bytes[2])
			saw_blocks = true;
		if (s.tables != mem_pool.used)
			bad_tables++;
		if (s.bytes[1] + s.bytes[2] + s.bytes[3] != mapped_bytes)
			bad_bytes++;
	}
	CHECK_EQ(NAME("paging random %s sl%u: no errors", fname, start_level), bad_err, 0);
	CHECK_EQ(NAME("paging random %s sl%u: translations match the shadow", fname,
		      start_level), bad_lookup, 0);
	CHECK_EQ(NAME("paging random %s sl%u: rights match the shadow", fname,
		      start_level), bad_flags, 0);
	CHECK_EQ(NAME("paging random %s sl%u: pool pages in use == tables", fname,
		      start_level), bad_tables, 0);
	CHECK_EQ(NAME("paging random %s sl%u: mapped bytes match the shadow", fname,
		      start_level), bad_bytes, 0);
	CHECK(NAME("paging random %s sl%u: blocks were used", fname, start_level),
	      saw_blocks);
	paging_unmap(&pg, WIN_BASE, WIN_PAGES * 4096ULL);
	CHECK_EQ(NAME("paging random %s sl%u: unmapping the window frees all tables",
		      fname, start_level), mem_pool.used, 1);
	paging_destroy(&pg);
	CHECK_EQ(NAME("paging random %s sl%u: destroy", fname, start_level),
		 mem_pool.used, 0);
}

/*
 * The RAM-only leaf counts (what the root_stage2 sysfs files report): the QEMU
 * root cell's layout, device windows beside RAM, a cell's RAM taken out of
 * the root and a 1 GiB aligned gigabyte of RAM added.
 */
static void test_ram_shape(unsigned int start_level)
{
	const char *sl = start_level ? "sl1" : "sl0";
	struct paging pg = { 0 };
	struct paging_shape s;
	int err = 0;

	pool_fresh(POOL_PAGES);
	paging_get_shape(&pg, &s);
	CHECK_EQ(NAME("ram shape %s: no root table, no bytes", sl),
		 s.ram_bytes[1] + s.ram_bytes[2] + s.ram_bytes[3] + s.tables, 0);

	paging_init(&pg, &stage2_paging_format, start_level, start_level ? 39 : 48);
	err |= paging_map(&pg, 0x40000000, 0x40000000, 0x3fc00000,
			  PAGE_RW | PAGE_EXEC, true);
	err |= paging_map(&pg, 0x09000000, 0x09000000, 0x1000,
			  PAGE_RW | PAGE_DEVICE, true);
	err |= paging_map(&pg, 0x10000000, 0x10000000, 0x2eff0000,
			  PAGE_RW | PAGE_DEVICE, true);
	err |= paging_map(&pg, 0x80000000, 0x80000000, GiB,
			  PAGE_RW | PAGE_DEVICE, true);
	CHECK_EQ(NAME("ram shape %s: map the root layout", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("ram shape %s: 1020 MiB of RAM in 2 MiB blocks", sl),
		 s.ram_bytes[2], 1020 * MiB);
	CHECK_EQ(NAME("ram shape %s: no RAM in 1 GiB blocks", sl), s.ram_bytes[1], 0);
	CHECK_EQ(NAME("ram shape %s: no RAM in pages", sl), s.ram_bytes[3], 0);
	CHECK_EQ(NAME("ram shape %s: the device gigabyte is a block, not RAM", sl),
		 s.bytes[1], GiB);
	CHECK_EQ(NAME("ram shape %s: device 2 MiB blocks are not RAM", sl),
		 s.bytes[2] - s.ram_bytes[2], 0x2ee00000);
	CHECK_EQ(NAME("ram shape %s: device pages are not RAM", sl),
		 s.bytes[3] - s.ram_bytes[3], 0x1000 + 0x1f0000);

	/* A 64 KiB cell taken out of the root splits one 2 MiB block. */
	err = paging_unmap(&pg, 0x7fa00000, 0x10000);
	CHECK_EQ(NAME("ram shape %s: unmap a cell's RAM", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("ram shape %s: one 2 MiB block less", sl), s.ram_bytes[2],
		 1018 * MiB);
	CHECK_EQ(NAME("ram shape %s: the rest of it in pages", sl), s.ram_bytes[3],
		 2 * MiB - 0x10000);

	/* Given back, the block returns; an aligned gigabyte of RAM is a 1 GiB block. */
	err = paging_map(&pg, 0x7fa00000, 0x7fa00000, 0x10000, PAGE_RW | PAGE_EXEC,
			 true);
	err |= paging_map(&pg, 0x100000000ULL, 0x100000000ULL, GiB, PAGE_RW, true);
	CHECK_EQ(NAME("ram shape %s: map back, add a gigabyte", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("ram shape %s: block merged back", sl), s.ram_bytes[2], 1020 * MiB);
	CHECK_EQ(NAME("ram shape %s: no RAM pages after the merge", sl), s.ram_bytes[3], 0);
	CHECK_EQ(NAME("ram shape %s: RAM gigabyte as a 1 GiB block", sl), s.ram_bytes[1],
		 GiB);
	paging_destroy(&pg);

	/* The EL2 format tells Device from Normal memory the same way. */
	paging_init(&pg, &el2_paging_format, start_level, start_level ? 39 : 48);
	err = paging_map(&pg, 0x40000000, 0x40000000, 4 * MiB + 0x3000, PAGE_RW, true);
	err |= paging_map(&pg, 0x09000000, 0x09000000, 0x2000, PAGE_RW | PAGE_DEVICE,
			  true);
	CHECK_EQ(NAME("ram shape %s el2: map", sl), err, 0);
	s = shape_of(&pg);
	CHECK_EQ(NAME("ram shape %s el2: RAM blocks", sl), s.ram_bytes[2], 4 * MiB);
	CHECK_EQ(NAME("ram shape %s el2: RAM pages only", sl), s.ram_bytes[3], 0x3000);
	CHECK_EQ(NAME("ram shape %s el2: all pages", sl), s.bytes[3], 0x5000);
	paging_destroy(&pg);
}

/*
 * Stage 2 for every physical address size a CPU can report (PARange 0..6):
 * the geometry VTCR_EL2 gets (Arm ARM AArch64.S2InvalidSL: a level-0 start
 * needs PAMax >= 44; AArch64.S2InconsistentSL: the start level resolves 1..13
 * bits with 4 KiB pages), the root's concatenated tables (contiguous, aligned
 * to their total size although the pool's base is deliberately not), maps at
 * the bottom, across the border of two concatenated tables and at the top of
 * the IPA space, refusals just beyond it, and cells of mixed sizes side by
 * side (a 1 GiB root-like space, a cell above 4 GiB) freed to the last page.
 */
static const struct {
	unsigned int parange, pa_bits, ia_bits, start_level, root_pages;
} geometries[] = {
	{ 0, 32, 32, 1, 1 },	/* level 1: bits 31:30, 4 entries */
	{ 1, 36, 36, 1, 1 },	/* level 1: bits 35:30, 64 entries */
	{ 2, 40, 40, 1, 2 },	/* Cortex-A53/A55/A76: 2 level-1 tables */
	{ 3, 42, 42, 1, 8 },
	{ 4, 44, 44, 0, 1 },	/* Cortex-A57/A72: level 0, 32 entries */
	{ 5, 48, 48, 0, 1 },	/* Neoverse-N1, max */
	{ 6, 52, 48, 0, 1 },	/* 52 needs FEAT_LPA2: capped at 48 */
};

static void test_geometry_one(unsigned int i)
{
	const unsigned int pa = geometries[i].pa_bits;
	struct stage2_geometry geo;
	struct paging pg, root, cell;
	u64 top, used, concat_border;
	unsigned int lvl;
	u32 flags = 0;
	int err;

	CHECK_EQ(NAME("stage2 PARange %u: decodes to %u bits", geometries[i].parange, pa),
		 paging_parange_bits(geometries[i].parange), pa);
	paging_stage2_geometry(pa, &geo);
	CHECK_EQ(NAME("stage2 %u-bit PA: IPA bits", pa), geo.ia_bits, geometries[i].ia_bits);
	CHECK_EQ(NAME("stage2 %u-bit PA: start level", pa), geo.start_level,
		 geometries[i].start_level);
	CHECK_EQ(NAME("stage2 %u-bit PA: concatenated root tables", pa), geo.root_pages,
		 geometries[i].root_pages);
	/* The architecture's rules, independently of the table above. */
	CHECK(NAME("stage2 %u-bit PA: level 0 only with PAMax >= 44", pa),
	      geo.start_level != 0 || MIN(pa, 48U) >= 44);
	CHECK(NAME("stage2 %u-bit PA: start level resolves 1..13 bits", pa),
	      geo.ia_bits > 39 - 9 * geo.start_level &&
	      geo.ia_bits <= 39 - 9 * geo.start_level + 13);

	/* Pool base one page off any alignment: the root must still be aligned. */
	if (mem_pool.bitmap)
		fake_pool_teardown(&mem_pool, 0);
	fake_pool_setup(&mem_pool, POOL_PAGES, 64 * KiB, 1);
	err = paging_init(&pg, &stage2_paging_format, geo.start_level, geo.ia_bits);
	CHECK_EQ(NAME("stage2 %u-bit PA: init", pa), err, 0);
	if (err)
		return;
	CHECK_EQ(NAME("stage2 %u-bit PA: root takes its concatenated pages", pa),
		 mem_pool.used, geo.root_pages);
	CHECK_EQ(NAME("stage2 %u-bit PA: root aligned to its size", pa),
		 (u64)(uintptr_t)pg.root % (geo.root_pages * 4096ULL), 0);

	top = 1ULL << geo.ia_bits;
	/* The QEMU board's RAM at 1 GiB, and the last 2 MiB of the IPA space. */
	CHECK_EQ(NAME("stage2 %u-bit PA: map RAM at 1 GiB", pa),
		 paging_map(&pg, GiB, GiB, 768 * MiB, PAGE_RW | PAGE_EXEC, true), 0);
	CHECK_EQ(NAME("stage2 %u-bit PA: map the top 2 MiB", pa),
		 paging_map(&pg, top - 2 * MiB, 2 * GiB, 2 * MiB, PAGE_RW, true), 0);
	CHECK_EQ(NAME("stage2 %u-bit PA: top translates", pa),
		 paging_virt2phys(&pg, top - 1, &flags), 2 * GiB + 2 * MiB - 1);
	CHECK_EQ(NAME("stage2 %u-bit PA: top rights", pa), flags, PAGE_RW);
	CHECK(NAME("stage2 %u-bit PA: top leaf found by an independent walk", pa),
	      (raw_leaf(&pg, top - 1, &lvl) & 0x0000fffffffff000ULL) == 2 * GiB && lvl == 2);
	CHECK_EQ(NAME("stage2 %u-bit PA: RAM still translates", pa),
		 paging_virt2phys(&pg, GiB + 5, NULL), GiB + 5);
	CHECK_EQ(NAME("stage2 %u-bit PA: top is not an alias of low memory", pa),
		 paging_virt2phys(&pg, top - 2 * MiB - 4096, NULL), INVALID_PHYS_ADDR);
	/* Its last root entry, in its last concatenated table. */
	CHECK(NAME("stage2 %u-bit PA: top uses the last root entry", pa),
	      pg.root[((top - 1) >> (39 - 9 * geo.start_level))] & 1);

	/* Across the border of the first two concatenated tables. */
	if (geo.root_pages > 1) {
		concat_border = 512ULL << (39 - 9 * geo.start_level);
		CHECK_EQ(NAME("stage2 %u-bit PA: map across concatenated tables", pa),
			 paging_map(&pg, concat_border - 2 * MiB, 3 * GiB, 4 * MiB,
				    PAGE_READ, true), 0);
		CHECK(NAME("stage2 %u-bit PA: entry 511 and 512 of the root", pa),
		      (pg.root[511] & 3) == 3 && (pg.root[512] & 3) == 3);
		CHECK_EQ(NAME("stage2 %u-bit PA: second table translates", pa),
			 paging_virt2phys(&pg, concat_border + 8, NULL), 3 * GiB + 2 * MiB + 8);
		CHECK_EQ(NAME("stage2 %u-bit PA: unmap across concatenated tables", pa),
			 paging_unmap(&pg, concat_border - 2 * MiB, 4 * MiB), 0);
		CHECK(NAME("stage2 %u-bit PA: tables under both entries freed", pa),
		      pg.root[511] == 0 && pg.root[512] == 0);
	}

	used = mem_pool.used;
	CHECK_EQ(NAME("stage2 %u-bit PA: map just beyond the IPA space refused", pa),
		 paging_map(&pg, top, 2 * GiB, 2 * MiB, PAGE_RW, true), -ERANGE);
	CHECK_EQ(NAME("stage2 %u-bit PA: map running past the top refused", pa),
		 paging_map(&pg, top - 2 * MiB, 2 * GiB, 4 * MiB, PAGE_RW, true), -ERANGE);
	CHECK_EQ(NAME("stage2 %u-bit PA: unmap beyond refused", pa),
		 paging_unmap(&pg, top, 4096), -ERANGE);
	CHECK_EQ(NAME("stage2 %u-bit PA: virt2phys beyond", pa),
		 paging_virt2phys(&pg, top, NULL), INVALID_PHYS_ADDR);
	CHECK_EQ(NAME("stage2 %u-bit PA: refusals allocate nothing", pa), mem_pool.used, used);

	/* Cells of mixed sizes side by side: a root-like one and one above 4 GiB. */
	err = paging_init(&root, &stage2_paging_format, geo.start_level, geo.ia_bits);
	err |= paging_init(&cell, &stage2_paging_format, geo.start_level, geo.ia_bits);
	CHECK_EQ(NAME("stage2 %u-bit PA: two more cells", pa), err, 0);
	CHECK_EQ(NAME("stage2 %u-bit PA: their roots aligned", pa),
		 ((u64)(uintptr_t)root.root | (u64)(uintptr_t)cell.root) %
		 (geo.root_pages * 4096ULL), 0);
	paging_map(&root, GiB, GiB, 3 * GiB, PAGE_RW | PAGE_EXEC, true);
	if (geo.ia_bits > 32) {
		CHECK_EQ(NAME("stage2 %u-bit PA: cell RAM above 4 GiB", pa),
			 paging_map(&cell, 4 * GiB + 16 * MiB, 4 * GiB + 16 * MiB, 64 * MiB,
				    PAGE_RW | PAGE_EXEC, true), 0);
		CHECK_EQ(NAME("stage2 %u-bit PA: cell RAM above 4 GiB translates", pa),
			 paging_virt2phys(&cell, 4 * GiB + 16 * MiB + 7, NULL),
			 4 * GiB + 16 * MiB + 7);
	} else {
		CHECK_EQ(NAME("stage2 %u-bit PA: RAM above 4 GiB refused", pa),
			 paging_map(&cell, 4 * GiB + 16 * MiB, 4 * GiB + 16 * MiB, 64 * MiB,
				    PAGE_RW, true), -ERANGE);
	}
	CHECK_EQ(NAME("stage2 %u-bit PA: cells do not see each other", pa),
		 paging_virt2phys(&cell, GiB, NULL), INVALID_PHYS_ADDR);
	paging_destroy(&cell);
	paging_destroy(&root);
	paging_destroy(&pg);
	CHECK_EQ(NAME("stage2 %u-bit PA: destroy frees every page, concatenated roots too", pa),
		 mem_pool.used, 0);
	fake_pool_teardown(&mem_pool, 1);
	mem_pool.bitmap = NULL;
}

/* Start level and IPA size combinations without an encoding are refused. */
static void test_geometry_invalid(void)
{
	struct paging pg;

	pool_fresh(POOL_PAGES);
	CHECK_EQ("stage2 init: level 0 with 39 bits (nothing for level 0 to resolve)",
		 paging_init(&pg, &stage2_paging_format, 0, 39), -EINVAL);
	CHECK_EQ("stage2 init: level 1 with 44 bits (32 tables)",
		 paging_init(&pg, &stage2_paging_format, 1, 44), -EINVAL);
	CHECK_EQ("stage2 init: level 1 with 30 bits",
		 paging_init(&pg, &stage2_paging_format, 1, 30), -EINVAL);
	CHECK_EQ("stage2 init: more than 48 bits",
		 paging_init(&pg, &stage2_paging_format, 0, 52), -EINVAL);
	CHECK_EQ("stage2 init: start level 3", paging_init(&pg, &stage2_paging_format, 3, 20),
		 -EINVAL);
	CHECK_EQ("stage2 init: refusals allocate nothing", mem_pool.used, 0);
	CHECK_EQ("stage2 init: level 2 with 34 bits is 16 tables",
		 paging_init(&pg, &stage2_paging_format, 2, 34), 0);
	CHECK_EQ("stage2 init: ... taking 16 pages", mem_pool.used, 16);
	paging_destroy(&pg);
	CHECK_EQ("stage2 init: ... and giving them back", mem_pool.used, 0);
	/* A pool with 16 free pages but none 16-aligned together: no root. */
	pool_reserve(&mem_pool, mem_pool.base + 8 * 4096, 1);
	pool_reserve(&mem_pool, mem_pool.base + 24 * 4096, POOL_PAGES - 24);
	CHECK_EQ("stage2 init: no aligned run of 16 pages: -ENOMEM",
		 paging_init(&pg, &stage2_paging_format, 2, 34), -ENOMEM);
}

static void test_geometry(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(geometries); i++)
		test_geometry_one(i);
	test_geometry_invalid();
}

/*
 * map_pages() builds a run of page descriptors by adding PAGE_SIZE to the
 * first one: both formats must be their output address plus bits that do
 * not depend on it, for every kind of page, up to the top of the field.
 */
static void test_page_linear(const struct paging_format *fmt, const char *fname)
{
	static const u32 kinds[] = {
		PAGE_READ, PAGE_RW, PAGE_RW | PAGE_EXEC, PAGE_READ | PAGE_EXEC,
		PAGE_READ | PAGE_DEVICE, PAGE_RW | PAGE_DEVICE,
	};
	static const u64 bases[] = { 0, 0x40000000, 0x7faf0000,
				     0x8000000000, 0xfffffff00000 };
	char name[128];
	unsigned int i, j, k, bad = 0;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		for (j = 0; j < sizeof(bases) / sizeof(bases[0]); j++)
			for (k = 0; k < 256; k++)
				if (fmt->leaf(3, bases[j] + k * PAGE_SIZE, kinds[i]) !=
				    fmt->leaf(3, bases[j], kinds[i]) + k * PAGE_SIZE)
					bad++;
	CHECK_EQ(NAME("%s: page descriptor n pages on = first + n * PAGE_SIZE", fname),
		 bad, 0);
}

int main(void)
{
	test_geometry();
	test_blocks(1);
	test_blocks(0);
	test_split_merge();
	test_unmap_frees();
	test_flags();
	test_descriptors();
	test_errors();
	test_reach(1);
	test_reach(0);
	test_ram_shape(1);
	test_ram_shape(0);
	test_random(&stage2_paging_format, "stage2", 1, 1);
	test_random(&stage2_paging_format, "stage2", 0, 2);
	test_random(&el2_paging_format, "el2", 0, 3);
	test_page_linear(&stage2_paging_format, "stage2");
	test_page_linear(&el2_paging_format, "el2");
	return CHECK_DONE();
}
