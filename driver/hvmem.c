// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor memory: a physical range the system configuration names,
 * which Linux must not use (outside its RAM) and no other driver may claim.
 * The driver claims it, maps it write-back to fill in image and configuration,
 * and keeps the mapping while Warden runs to read the console ring.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <asm/barrier.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>

#include "warden.h"

static int wd_found_busy(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;	/* the first one is enough */
}

int wd_hvmem_claim(struct wd_hvmem *mem, const struct wd_mem_region *region)
{
	u64 start = region->phys_start;
	u64 end = region->phys_start + region->size - 1;
	struct resource busy = {};

	memset(mem, 0, sizeof(*mem));

	if (region_intersects(start, region->size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("hypervisor memory 0x%llx-0x%llx overlaps Linux RAM; reserve it (e.g. mem=768M)\n",
		       start, end);
		return -EBUSY;
	}

	mem->res = request_mem_region(start, region->size, "warden hypervisor");
	if (!mem->res) {
		/* The resource tree only gives us a copy without the owner's name. */
		if (walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_MEM | IORESOURCE_BUSY,
					start, end, &busy, wd_found_busy) > 0)
			pr_err("hypervisor memory 0x%llx-0x%llx is already in use by another driver (busy range %pR, see /proc/iomem)\n",
			       start, end, &busy);
		else
			pr_err("hypervisor memory 0x%llx-0x%llx is already in use (see /proc/iomem)\n",
			       start, end);
		return -EBUSY;
	}
	mem->phys = start;
	mem->size = region->size;
	return 0;
}

int wd_hvmem_map(struct wd_hvmem *mem)
{
	mem->virt = memremap(mem->phys, mem->size, MEMREMAP_WB);
	if (!mem->virt) {
		pr_err("cannot map hypervisor memory 0x%llx-0x%llx\n",
		       (u64)mem->phys, (u64)(mem->phys + mem->size - 1));
		return -ENOMEM;
	}
	return 0;
}

void wd_hvmem_release(struct wd_hvmem *mem)
{
	if (mem->virt)
		memunmap(mem->virt);
	if (mem->res)
		release_mem_region(mem->phys, mem->size);
	memset(mem, 0, sizeof(*mem));
}

/*
 * Clean and invalidate [addr, addr + size) to the point of coherency, by VA.
 * Clean: the hypervisor starts with its MMU and caches off and must see what
 * we wrote. Invalidate: what it writes with caches off must not hide behind
 * stale lines of ours when we read it back (console ring after a failure).
 * Linux's own helper for this (dcache_clean_inval_poc) is not exported.
 */
void wd_dcache_clean_inval_poc(void *addr, size_t size)
{
	u64 ctr = read_sanitised_ftr_reg(SYS_CTR_EL0);
	/* CTR_EL0.DminLine, bits [19:16]: log2 of the smallest line in words */
	unsigned long line = 4UL << ((ctr >> 16) & 0xf);
	unsigned long p = (unsigned long)addr & ~(line - 1);
	unsigned long end = (unsigned long)addr + size;

	for (; p < end; p += line)
		asm volatile("dc civac, %0" : : "r" (p) : "memory");
	dsb(sy);
}
