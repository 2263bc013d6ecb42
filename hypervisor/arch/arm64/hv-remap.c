/*
 * The hypervisor's own mappings of memory that is not its own: device
 * registers (kept) and any physical page for a moment (a cell
 * configuration, memory to scrub, an ITS table), in the remap area of the
 * EL2 address space. A leaf: it calls only the paging code, the pool and
 * refuse(), so that the drivers below the core (GIC, SMMU) can map their
 * frames without depending on the set-up code in setup.c, which calls them.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/paging.h>
#include <wd/pool.h>
#include <wd/reason.h>
#include <wd/spinlock.h>
#include <asm/processor.h>
#include <asm/sysregs.h>
#include <asm/hv-space.h>

/* Up to this many pages, unmapping invalidates page by page. */
#define UNMAP_TLBI_PAGES_MAX	16

struct paging hv_paging;
spinlock_t hv_paging_lock;
unsigned int hv_pa_bits;

int arch_map_device(u64 phys, u64 size, void **virt)
{
	u64 pages = PAGES(size), va;
	int err;

	/* Beyond the CPU's output size the walk would end in an Address size fault at EL2. */
	if (phys >= (1ULL << hv_pa_bits) || size > (1ULL << hv_pa_bits) - phys)
		return refuse(-ERANGE, WD_REASON_PLATFORM, 0, phys,
			      "device at 0x%llx-0x%llx is beyond the CPU's %u-bit physical address space (max 0x%llx)",
			      phys, phys + size - 1, hv_pa_bits,
			      (1ULL << hv_pa_bits) - 1);
	va = pool_alloc(&remap_pool, pages);
	if (!va)
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, phys,
			      "remap pool exhausted mapping 0x%llx (%llu pages)",
			      phys, pages);
	spin_lock(&hv_paging_lock);
	err = paging_map(&hv_paging, va, ALIGN_DOWN(phys, PAGE_SIZE),
			 pages * PAGE_SIZE, PAGE_RW | PAGE_DEVICE, false);
	spin_unlock(&hv_paging_lock);
	if (err) {
		pool_free(&remap_pool, va, pages);
		return err;
	}
	dsb(ishst);
	isb();
	*virt = (void *)(uintptr_t)va;
	return 0;
}

void *arch_map_temp(u64 phys, u64 size)
{
	u64 pages = PAGES((phys & ~PAGE_MASK) + size), va;
	int err;

	va = pool_alloc(&remap_pool, pages);
	if (!va)
		return NULL;
	spin_lock(&hv_paging_lock);
	err = paging_map(&hv_paging, va, ALIGN_DOWN(phys, PAGE_SIZE),
			 pages * PAGE_SIZE, PAGE_RW, false);
	spin_unlock(&hv_paging_lock);
	if (err) {
		pool_free(&remap_pool, va, pages);
		return NULL;
	}
	dsb(ishst);
	isb();
	return (void *)(uintptr_t)(va + (phys & ~PAGE_MASK));
}

void arch_unmap_temp(void *virt, u64 size)
{
	u64 addr = (u64)(uintptr_t)virt;
	u64 va = ALIGN_DOWN(addr, PAGE_SIZE);
	u64 pages = PAGES((addr & ~PAGE_MASK) + size), n;

	spin_lock(&hv_paging_lock);
	paging_unmap(&hv_paging, va, pages * PAGE_SIZE);
	spin_unlock(&hv_paging_lock);
	dsb(ishst);
	/*
	 * A large range (the scrub's 2 MiB chunks) in one go: every broadcast
	 * TLBI makes all CPUs take part (under QEMU's multi-threaded TCG each
	 * one stops every vCPU: 512 per chunk made a 128 MiB scrub take
	 * seconds), and the EL2 regime holds little but this range.
	 */
	if (pages > UNMAP_TLBI_PAGES_MAX)
		asm volatile("tlbi alle2is");
	else
		for (n = 0; n < pages; n++)
			asm volatile("tlbi vae2is, %0" : : "r"((va >> PAGE_SHIFT) + n));
	dsb(ish);
	isb();
	pool_free(&remap_pool, va, pages);
}
