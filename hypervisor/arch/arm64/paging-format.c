/*
 * VMSAv8-64 descriptor encodings for the EL2 stage-1 tables (the hypervisor's
 * own address space) and the stage-2 tables (a cell's guest-physical space).
 * Pure bit manipulation: also compiled into the host unit tests.
 */
#include <wd/paging.h>
#include <asm/sysregs.h>
#include <wd/in-slot.h>

/* Runs with the EL2 MMU off (Device memory): see scripts/mmu-off-check. */
#ifdef __WARDEN_FREESTANDING__
#pragma GCC target("strict-align")
#endif

#define PTE_AF			(1ULL << 10)
#define PTE_SH_INNER		(3ULL << 8)
#define PTE_XN			(1ULL << 54)
#define PTE_PAGE		0x3ULL

/* stage 1, EL2 */
#define S1_ATTRIDX(i)		((u64)(i) << 2)
#define S1_ATTRIDX_MASK		(7ULL << 2)
#define S1_AP_RO		(1ULL << 7)
#define S1_AP1_RES1		(1ULL << 6)

/* stage 2 */
#define S2_MEMATTR_NORMAL_WB	(0xfULL << 2)
#define S2_MEMATTR_DEVICE	(0x1ULL << 2)
#define S2_MEMATTR_MASK		(0xfULL << 2)
#define S2_AP_READ		(1ULL << 6)
#define S2_AP_WRITE		(1ULL << 7)

static u64 leaf_type(unsigned int level)
{
	return level == 3 ? PTE_PAGE : PTE_TYPE_BLOCK;
}

static IN_SLOT("table_desc") u64 table_desc(u64 table_phys)
{
	return (table_phys & PTE_ADDR_MASK) | PTE_TYPE_TABLE;
}

static IN_SLOT("el2_leaf") u64 el2_leaf(unsigned int level, u64 phys, u32 flags)
{
	u64 pte = (phys & PTE_ADDR_MASK) | leaf_type(level) | PTE_AF | S1_AP1_RES1;

	if (flags & PAGE_DEVICE)
		pte |= S1_ATTRIDX(MAIR_IDX_DEVICE);
	else
		pte |= S1_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	if (!(flags & PAGE_WRITE))
		pte |= S1_AP_RO;
	if (!(flags & PAGE_EXEC) || (flags & PAGE_DEVICE))
		pte |= PTE_XN;
	return pte;
}

static IN_SLOT("el2_leaf_flags") u32 el2_leaf_flags(u64 pte)
{
	u32 flags = PAGE_READ;

	if (!(pte & S1_AP_RO))
		flags |= PAGE_WRITE;
	if (!(pte & PTE_XN))
		flags |= PAGE_EXEC;
	if ((pte & S1_ATTRIDX_MASK) == S1_ATTRIDX(MAIR_IDX_DEVICE))
		flags |= PAGE_DEVICE;
	return flags;
}

static IN_SLOT("s2_leaf") u64 s2_leaf(unsigned int level, u64 phys, u32 flags)
{
	u64 pte = (phys & PTE_ADDR_MASK) | leaf_type(level) | PTE_AF;

	if (flags & PAGE_DEVICE)
		pte |= S2_MEMATTR_DEVICE;
	else
		pte |= S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
	if (flags & PAGE_READ)
		pte |= S2_AP_READ;
	if (flags & PAGE_WRITE)
		pte |= S2_AP_WRITE;
	if (!(flags & PAGE_EXEC))
		pte |= PTE_XN;
	return pte;
}

static IN_SLOT("s2_leaf_flags") u32 s2_leaf_flags(u64 pte)
{
	u32 flags = 0;

	if (pte & S2_AP_READ)
		flags |= PAGE_READ;
	if (pte & S2_AP_WRITE)
		flags |= PAGE_WRITE;
	if (!(pte & PTE_XN))
		flags |= PAGE_EXEC;
	if ((pte & S2_MEMATTR_MASK) == S2_MEMATTR_DEVICE)
		flags |= PAGE_DEVICE;
	return flags;
}

const struct paging_format el2_paging_format = {
	.leaf = el2_leaf,
	.table = table_desc,
	.leaf_flags = el2_leaf_flags,
};

const struct paging_format stage2_paging_format = {
	.leaf = s2_leaf,
	.table = table_desc,
	.leaf_flags = s2_leaf_flags,
};
