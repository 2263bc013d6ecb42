#ifndef WD_PAGING_H
#define WD_PAGING_H

#include <wd/types.h>

/* Generic rights and attributes of a mapping; the arch encodes them. */
#define PAGE_READ		0x01
#define PAGE_WRITE		0x02
#define PAGE_EXEC		0x04
#define PAGE_DEVICE		0x08	/* Device-nGnRE instead of Normal write-back */
#define PAGE_RW			(PAGE_READ | PAGE_WRITE)

#define PAGING_LEVELS		4	/* 4 KiB granule, levels 0..3 */
#define PAGING_ENTRIES		512

static inline unsigned int paging_level_shift(unsigned int level)
{
	return 39 - 9 * level;
}

/*
 * The descriptor format of one kind of translation table (EL2 stage 1, stage 2).
 * Both use the VMSAv8-64 4 KiB granule layout: the generic code walks and
 * allocates; the format encodes leaves and tables.
 */
struct paging_format {
	/*
	 * (phys & PTE_ADDR_MASK) | bits that depend on level and flags only:
	 * map_pages() adds PAGE_SIZE to get the next page's descriptor.
	 */
	u64 (*leaf)(unsigned int level, u64 phys, u32 flags);
	u64 (*table)(u64 table_phys);
	/* Rights/attributes of a leaf, as PAGE_* flags (for lookups and splits). */
	u32 (*leaf_flags)(u64 pte);
};

/*
 * Tables that CPUs may be walking while they change (the root cell's, edited
 * while its CPUs are held at EL2): an entry that goes from one valid
 * descriptor to another is first made invalid and the TLBs flushed
 * (break-before-make), and tables taken out of the tree are freed only after
 * the flush that follows (a walker or TLB may still hold them until then).
 */
#define PAGING_DEFER_MAX	32
struct paging_live {
	/* Invalidate the tables' translations on every CPU; returns once done. */
	void (*flush)(void *ctx);
	void *ctx;
	unsigned int deferred;
	void *tables[PAGING_DEFER_MAX];
};

struct paging {
	const struct paging_format *fmt;
	unsigned int start_level;	/* 0..2 */
	/*
	 * Input address bits the tables translate: 2^ia_bits bytes from 0. When
	 * they are more than the start level resolves with one table, the root
	 * is that many tables concatenated (stage 2 only: up to 16, contiguous
	 * and aligned to their total size, as VTTBR_EL2 needs).
	 */
	unsigned int ia_bits;
	unsigned int root_pages;
	u64 *root;
	struct paging_live *live;	/* NULL: nobody walks them during changes */
	/*
	 * A second root of the same geometry that shares every lower table (a
	 * cell's DMA view, core/dma-view.c), or NULL: each write of a root entry
	 * is repeated there, except at index @mirror_own, which is the mirror's.
	 */
	u64 *mirror;
	unsigned int mirror_own;
};

/* Most tables a stage-2 root may concatenate (Arm ARM: at most 4 extra bits). */
#define PAGING_MAX_ROOT_PAGES	16

#define PTE_VALID		0x1ULL
#define PTE_TYPE_MASK		0x3ULL
#define PTE_TYPE_TABLE		0x3ULL	/* levels 0-2; at level 3 this is a page */
#define PTE_TYPE_BLOCK		0x1ULL
#define PTE_ADDR_MASK		0x0000fffffffff000ULL

/*
 * Allocate the root table(s) for an address space of 2^@ia_bits bytes
 * starting its walks at @start_level: one table when the level resolves at
 * most 9 bits of it, else 2^(extra bits) concatenated ones (at most 16);
 * -EINVAL for a combination the architecture has no encoding for (fewer bits
 * than the start level resolves beyond its first index bit, more than 16
 * tables), -ENOMEM when the pool has no room.
 */
int paging_init(struct paging *pg, const struct paging_format *fmt,
		unsigned int start_level, unsigned int ia_bits);

/*
 * The stage-2 geometry for a CPU whose physical addresses have @pa_bits bits
 * (ID_AA64MMFR0_EL1.PARange decoded; 52 is capped at 48: without FEAT_LPA2 a
 * 4 KiB granule resolves 48 bits): the IPA space gets the same size, and the
 * walk starts at the level the Arm ARM allows for it (VTCR_EL2.SL0): level 0
 * only on CPUs with 44 or more PA bits (AArch64.S2InvalidSL), and a start
 * level must resolve between 1 and 13 bits of the IPA (9 per table plus up
 * to 4 for 16 concatenated tables, AArch64.S2InconsistentSL).
 */
struct stage2_geometry {
	unsigned int ia_bits;		/* VTCR_EL2.T0SZ = 64 - ia_bits */
	unsigned int start_level;	/* VTCR_EL2.SL0 = 2 - start_level */
	unsigned int root_pages;	/* concatenated tables at that level */
};
void paging_stage2_geometry(unsigned int pa_bits, struct stage2_geometry *geo);
/* Decode ID_AA64MMFR0_EL1.PARange into bits (unknown encodings: 48). */
unsigned int paging_parange_bits(unsigned int parange);
/* Free every table, the root included. */
void paging_destroy(struct paging *pg);

/*
 * Map [virt, virt+size) to phys with @flags. With @blocks, 1 GiB and 2 MiB
 * blocks are used wherever virt and phys are aligned. Existing mappings in the
 * range are replaced (tables they used are freed). Page-aligned arguments only.
 */
int paging_map(struct paging *pg, u64 virt, u64 phys, u64 size, u32 flags,
	       bool blocks);
/*
 * Live tables: flush the TLBs, then free the tables the changes since the
 * last flush took out. Call after every series of changes.
 */
void paging_flush(struct paging *pg);
/* Remove mappings in [virt, virt+size), splitting blocks at the edges. */
int paging_unmap(struct paging *pg, u64 virt, u64 size);
/* Translate; INVALID_PHYS_ADDR when unmapped. @flags (optional) gets PAGE_*. */
u64 paging_virt2phys(const struct paging *pg, u64 virt, u32 *flags);

/*
 * Statistics of leaves by level, for benchmarks and tests: bytes mapped, and
 * of those the bytes of Normal memory (leaves without PAGE_DEVICE), so that a
 * cell's RAM can be told apart from its device windows.
 */
struct paging_shape {
	u64 bytes[PAGING_LEVELS];
	u64 ram_bytes[PAGING_LEVELS];
	u64 tables;
};
void paging_get_shape(const struct paging *pg, struct paging_shape *shape);

#endif
