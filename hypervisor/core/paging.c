/*
 * Generic 4-level translation tables (4 KiB granule). Tables come from the
 * memory pool and are addressed 1:1, so a table's physical address is also
 * its pointer.
 */
#include <wd/paging.h>
#include <wd/pool.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <wd/in-slot.h>

/* Runs with the EL2 MMU off (Device memory): see scripts/mmu-off-check. */
#ifdef __WARDEN_FREESTANDING__
#pragma GCC target("strict-align")
#endif

static inline u64 *pte_table(u64 pte)
{
	return (u64 *)(uintptr_t)(pte & PTE_ADDR_MASK);
}

static inline bool pte_is_table(u64 pte, unsigned int level)
{
	return level < 3 && (pte & PTE_TYPE_MASK) == PTE_TYPE_TABLE;
}

static inline bool pte_is_leaf(u64 pte, unsigned int level)
{
	if (!(pte & PTE_VALID))
		return false;
	return level == 3 ? (pte & PTE_TYPE_MASK) == PTE_TYPE_TABLE :
			    (pte & PTE_TYPE_MASK) == PTE_TYPE_BLOCK;
}

void paging_flush(struct paging *pg)
{
	struct paging_live *live = pg->live;
	unsigned int n;

	if (!live)
		return;
	live->flush(live->ctx);
	for (n = 0; n < live->deferred; n++)
		page_free(live->tables[n], 1);
	live->deferred = 0;
}

/* A table out of the tree: free it, after a flush when the tables are live. */
static void table_release(const struct paging *pg, u64 *table)
{
	struct paging_live *live = pg->live;

	if (!live) {
		page_free(table, 1);
		return;
	}
	if (live->deferred == PAGING_DEFER_MAX)
		paging_flush((struct paging *)pg);
	live->tables[live->deferred++] = table;
}

/* Entries of the table(s) at @level: the root may be several concatenated. */
static inline unsigned int entries_at(const struct paging *pg, unsigned int level)
{
	return level == pg->start_level ? PAGING_ENTRIES * pg->root_pages :
					  PAGING_ENTRIES;
}

/*
 * A root entry changed: the mirror root gets the same, before any table the
 * old entry named is freed (the mirror's walkers never see a freed table).
 */
static void mirror_set(const struct paging *pg, const u64 *pte, u64 val)
{
	u64 n = ((uintptr_t)pte - (uintptr_t)pg->root) / sizeof(u64);

	if ((uintptr_t)pte >= (uintptr_t)pg->root &&
	    n < entries_at(pg, pg->start_level) && n != pg->mirror_own)
		__atomic_store_n(&pg->mirror[n], val, __ATOMIC_RELEASE);
}

/* Write an entry; live tables get break-before-make between valid entries. */
static void pte_set(const struct paging *pg, u64 *pte, u64 val)
{
	u64 old = *pte;

	if (pg->live && (old & PTE_VALID) && (val & PTE_VALID) && old != val) {
		__atomic_store_n(pte, 0, __ATOMIC_RELEASE);
		pg->live->flush(pg->live->ctx);
	}
	__atomic_store_n(pte, val, __ATOMIC_RELEASE);
	if (pg->mirror)
		mirror_set(pg, pte, val);
}

static void free_table(const struct paging *pg, u64 *table, unsigned int level);

/* Release every table below @table (@entries entries at @level). */
static void free_children(const struct paging *pg, u64 *table, unsigned int level,
			  unsigned int entries)
{
	unsigned int n;

	if (level < 3)
		for (n = 0; n < entries; n++)
			if (pte_is_table(table[n], level))
				free_table(pg, pte_table(table[n]), level + 1);
}

/* A non-root table and everything below it. */
static __noinline void free_table(const struct paging *pg, u64 *table, unsigned int level)
{
	free_children(pg, table, level, PAGING_ENTRIES);
	table_release(pg, table);
}

unsigned int paging_parange_bits(unsigned int parange)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

void paging_stage2_geometry(unsigned int pa_bits, struct stage2_geometry *geo)
{
	unsigned int bits = MIN(pa_bits, 48U);

	if (bits < 32)
		bits = 32;
	geo->ia_bits = bits;
	/* Level 0 resolves IPA bits 47:39: only where PAMax >= 44 (S2InvalidSL). */
	geo->start_level = bits >= 44 ? 0 : 1;
	/* Level 1 resolves bits 38:30; 40 and 42 bits need 2 and 8 tables. */
	geo->root_pages = bits > paging_level_shift(geo->start_level) + 9 ?
		1U << (bits - paging_level_shift(geo->start_level) - 9) : 1;
}

int paging_init(struct paging *pg, const struct paging_format *fmt,
		unsigned int start_level, unsigned int ia_bits)
{
	unsigned int shift, pages = 1;
	u64 root;

	pg->root = NULL;
	if (start_level > 2 || ia_bits > 48)
		return -EINVAL;
	shift = paging_level_shift(start_level);
	/* The start level must resolve at least one bit (S2InconsistentSL). */
	if (ia_bits <= shift)
		return -EINVAL;
	if (ia_bits > shift + 9) {
		if (ia_bits - shift - 9 > 4)
			return -EINVAL;
		pages = 1U << (ia_bits - shift - 9);
	}
	pg->fmt = fmt;
	pg->start_level = start_level;
	pg->live = NULL;
	pg->mirror = NULL;
	pg->ia_bits = ia_bits;
	pg->root_pages = pages;
	/* Concatenated tables: one block aligned to its size (VTTBR_EL2.BADDR). */
	root = pool_alloc_aligned(&mem_pool, pages, pages);
	if (!root)
		return -ENOMEM;
	pg->root = (u64 *)(uintptr_t)root;
	memset(pg->root, 0, pages * PAGE_SIZE);
	return 0;
}

void paging_destroy(struct paging *pg)
{
	paging_flush(pg);
	if (pg->root) {
		free_children(pg, pg->root, pg->start_level,
			      entries_at(pg, pg->start_level));
		/* The sub-tables go after the flush; then the root itself. */
		paging_flush(pg);
		page_free(pg->root, pg->root_pages);
	}
	pg->root = NULL;
}

/* Replace the block in *pte by a table of next-level leaves with the same rights. */
static int split_block(const struct paging *pg, u64 *pte, unsigned int level)
{
	u64 phys = *pte & PTE_ADDR_MASK & ~((1ULL << paging_level_shift(level)) - 1);
	u32 flags = pg->fmt->leaf_flags(*pte);
	u64 step = 1ULL << paging_level_shift(level + 1);
	u64 *table = page_alloc(1);
	unsigned int n;

	if (!table)
		return -ENOMEM;
	for (n = 0; n < PAGING_ENTRIES; n++)
		table[n] = pg->fmt->leaf(level + 1, phys + n * step, flags);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	pte_set(pg, pte, pg->fmt->table((u64)(uintptr_t)table));
	return 0;
}

/*
 * If the table under *pte maps one contiguous, aligned range with the same
 * rights throughout, replace it by a block: after a range was taken away and
 * given back, the tables get their old shape (and the pool its pages) back.
 */
static void try_merge(const struct paging *pg, u64 *pte, unsigned int level)
{
	u64 *table = pte_table(*pte);
	u64 step = 1ULL << paging_level_shift(level + 1);
	u64 first = table[0], base, last;
	u32 flags;
	unsigned int n;

	if (!pte_is_leaf(first, level + 1))
		return;
	base = first & PTE_ADDR_MASK;
	if (!IS_ALIGNED(base, 1ULL << paging_level_shift(level)))
		return;
	flags = pg->fmt->leaf_flags(first);
	/*
	 * The last entry first: where a small region was mapped next to a big
	 * one (ivshmem, device pages after RAM), or the table covers memory the
	 * cell does not get, it already tells, without walking the table.
	 */
	last = table[PAGING_ENTRIES - 1];
	if (last != first + (PAGING_ENTRIES - 1) * step &&
	    (!pte_is_leaf(last, level + 1) ||
	     (last & PTE_ADDR_MASK) != base + (PAGING_ENTRIES - 1) * step ||
	     pg->fmt->leaf_flags(last) != flags))
		return;
	for (n = 1; n < PAGING_ENTRIES - 1; n++) {
		u64 e = table[n];

		/* The first entry's bits, n steps on: a leaf alike (most tables). */
		if (e == first + n * step)
			continue;
		if (!pte_is_leaf(e, level + 1) ||
		    (e & PTE_ADDR_MASK) != base + n * step ||
		    pg->fmt->leaf_flags(e) != flags)
			return;
	}
	pte_set(pg, pte, pg->fmt->leaf(level, base, flags));
	table_release(pg, table);
}

/*
 * The pages of one last-level table: what most of the work of mapping comes
 * down to (the hypervisor's own memory, device windows, a block split).
 * map_range below hands over at most one table's worth, page aligned, so the
 * entries are consecutive; none of them can be a table.
 */
static void map_pages(const struct paging *pg, u64 *table, u64 virt, u64 phys,
		      u64 size, u32 flags)
{
	u64 *pte = &table[(virt >> PAGE_SHIFT) % PAGING_ENTRIES];
	u64 desc = pg->fmt->leaf(3, phys, flags);

	/*
	 * A page descriptor is its output address plus bits that do not depend
	 * on it (struct paging_format's contract, test-hv-paging.c holds both
	 * formats to it): the next page's is this one's plus PAGE_SIZE, as long
	 * as the address stays within the descriptor's address field.
	 */
	if (phys + size - 1 > (PTE_ADDR_MASK | (PAGE_SIZE - 1))) {
		for (; size; size -= PAGE_SIZE, phys += PAGE_SIZE, pte++)
			pte_set(pg, pte, pg->fmt->leaf(3, phys, flags));
		return;
	}
	for (; size; size -= PAGE_SIZE, desc += PAGE_SIZE, pte++)
		pte_set(pg, pte, desc);
}

static int map_range(const struct paging *pg, u64 *table, unsigned int level,
		     u64 virt, u64 phys, u64 size, u32 flags, bool blocks)
{
	u64 block = 1ULL << paging_level_shift(level);
	int err;

	if (level == 3 && level != pg->start_level) {
		map_pages(pg, table, virt, phys, size, flags);
		return 0;
	}
	while (size) {
		u64 *pte = &table[(virt >> paging_level_shift(level)) %
				  entries_at(pg, level)];
		u64 chunk = MIN(size, block - (virt & (block - 1)));

		if (level == 3 ||
		    (blocks && level >= 1 && chunk == block &&
		     IS_ALIGNED(phys, block))) {
			u64 old = *pte;

			pte_set(pg, pte, pg->fmt->leaf(level, phys, flags));
			if (pte_is_table(old, level))
				free_table(pg, pte_table(old), level + 1);
		} else {
			if (!(*pte & PTE_VALID)) {
				u64 *next = page_alloc(1);

				if (!next)
					return -ENOMEM;
				pte_set(pg, pte, pg->fmt->table((u64)(uintptr_t)next));
			} else if (pte_is_leaf(*pte, level)) {
				err = split_block(pg, pte, level);
				if (err)
					return err;
			}
			err = map_range(pg, pte_table(*pte), level + 1, virt,
					phys, chunk, flags, blocks);
			if (err)
				return err;
			if (blocks && level >= 1)
				try_merge(pg, pte, level);
		}
		virt += chunk;
		phys += chunk;
		size -= chunk;
	}
	return 0;
}

/*
 * Whether [virt, virt+size) lies within what the root translates (2^ia_bits
 * bytes). Beyond it the index arithmetic would wrap onto low addresses and
 * replace or remove their mappings.
 */
static bool in_reach(const struct paging *pg, u64 virt, u64 size)
{
	u64 reach = 1ULL << pg->ia_bits;

	return virt < reach && size <= reach - virt;
}

IN_SLOT("paging_map") int paging_map(struct paging *pg, u64 virt, u64 phys, u64 size, u32 flags,
	       bool blocks)
{
	if (!IS_ALIGNED(virt | phys | size, PAGE_SIZE))
		return -EINVAL;
	if (!in_reach(pg, virt, size))
		return -ERANGE;
	return map_range(pg, pg->root, pg->start_level, virt, phys, size, flags,
			 blocks);
}

static bool table_empty(const u64 *table)
{
	unsigned int n;

	for (n = 0; n < PAGING_ENTRIES; n++)
		if (table[n] & PTE_VALID)
			return false;
	return true;
}

static int unmap_range(const struct paging *pg, u64 *table, unsigned int level,
		       u64 virt, u64 size)
{
	u64 block = 1ULL << paging_level_shift(level);
	int err;

	while (size) {
		u64 *pte = &table[(virt >> paging_level_shift(level)) %
				  entries_at(pg, level)];
		u64 chunk = MIN(size, block - (virt & (block - 1)));

		if (!(*pte & PTE_VALID)) {
			/* nothing mapped here */
		} else if (chunk == block || level == 3) {
			u64 old = *pte;

			pte_set(pg, pte, 0);
			if (pte_is_table(old, level))
				free_table(pg, pte_table(old), level + 1);
		} else {
			if (pte_is_leaf(*pte, level)) {
				err = split_block(pg, pte, level);
				if (err)
					return err;
			}
			err = unmap_range(pg, pte_table(*pte), level + 1, virt, chunk);
			if (err)
				return err;
			/* Give back tables that became empty. */
			if (table_empty(pte_table(*pte))) {
				u64 *empty = pte_table(*pte);

				pte_set(pg, pte, 0);
				table_release(pg, empty);
			}
		}
		virt += chunk;
		size -= chunk;
	}
	return 0;
}

IN_SLOT("paging_unmap") int paging_unmap(struct paging *pg, u64 virt, u64 size)
{
	if (!IS_ALIGNED(virt | size, PAGE_SIZE))
		return -EINVAL;
	if (!in_reach(pg, virt, size))
		return -ERANGE;
	return unmap_range(pg, pg->root, pg->start_level, virt, size);
}

u64 paging_virt2phys(const struct paging *pg, u64 virt, u32 *flags)
{
	const u64 *table = pg->root;
	unsigned int level;

	if (!in_reach(pg, virt, 1))
		return INVALID_PHYS_ADDR;
	for (level = pg->start_level; level < PAGING_LEVELS; level++) {
		unsigned int shift = paging_level_shift(level);
		u64 pte = table[(virt >> shift) % entries_at(pg, level)];

		if (!(pte & PTE_VALID))
			return INVALID_PHYS_ADDR;
		if (pte_is_leaf(pte, level)) {
			u64 mask = (1ULL << shift) - 1;

			if (flags)
				*flags = pg->fmt->leaf_flags(pte);
			return (pte & PTE_ADDR_MASK & ~mask) | (virt & mask);
		}
		table = pte_table(pte);
	}
	return INVALID_PHYS_ADDR;
}

static void shape_walk(const struct paging *pg, const u64 *table,
		       unsigned int level, struct paging_shape *shape)
{
	u64 size = 1ULL << paging_level_shift(level);
	unsigned int n, entries = entries_at(pg, level);

	shape->tables += entries / PAGING_ENTRIES;
	for (n = 0; n < entries; n++) {
		if (pte_is_table(table[n], level)) {
			shape_walk(pg, pte_table(table[n]), level + 1, shape);
		} else if (pte_is_leaf(table[n], level)) {
			shape->bytes[level] += size;
			if (!(pg->fmt->leaf_flags(table[n]) & PAGE_DEVICE))
				shape->ram_bytes[level] += size;
		}
	}
}

void paging_get_shape(const struct paging *pg, struct paging_shape *shape)
{
	memset(shape, 0, sizeof(*shape));
	if (pg->root)
		shape_walk(pg, pg->root, pg->start_level, shape);
}
