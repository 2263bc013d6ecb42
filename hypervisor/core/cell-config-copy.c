/*
 * Reading a cell configuration out of the root cell's memory. The root may
 * change its memory at any time, so the blob is copied into pool pages first
 * and only the copy is validated and used; its source must be plain RAM of the
 * root (the hypervisor reads it through a cacheable mapping).
 */
#include <warden/config-check.h>
#include <wd/cell.h>
#include <wd/errno.h>
#include <wd/paging.h>
#include <wd/pool.h>
#include <wd/reason.h>
#include <wd/string.h>
#include "cell-mgmt.h"

#define MAX_CELL_CONFIG_SIZE	(64 * PAGE_SIZE)

/* A validator failure as the refusal: the message the driver and tool give too. */
static int refuse_check(const struct wd_check_result *res, u64 gpa)
{
	return refuse(res->error, WD_REASON_CONFIG, res->kind, gpa, "%s", res->msg);
}

/*
 * Where the root's guest-physical [gpa, gpa+size) lies, if it is one
 * physically contiguous piece of the root's RAM (not an I/O region: the
 * hypervisor reads it through a cacheable mapping). Checked page by page
 * before anything of it is mapped.
 */
static int config_source(u64 gpa, u64 size, u64 *phys_out)
{
	u64 phys = paging_virt2phys(&root_cell.stage2, gpa, NULL), page, off;
	const struct wd_mem_region *r;

	if (phys == INVALID_PHYS_ADDR || gpa + size < gpa)
		return refuse(-EFAULT, WD_REASON_MEMORY, 0, gpa,
			      "cell configuration at 0x%llx is not in root cell memory",
			      gpa);
	for (page = ALIGN_DOWN(gpa, PAGE_SIZE); page < gpa + size; page += PAGE_SIZE) {
		off = page - ALIGN_DOWN(gpa, PAGE_SIZE);
		if (paging_virt2phys(&root_cell.stage2, page, NULL) !=
		    ALIGN_DOWN(phys, PAGE_SIZE) + off)
			return refuse(-EFAULT, WD_REASON_MEMORY, 0, page,
				      "cell configuration at 0x%llx is not physically contiguous root cell memory (at offset 0x%llx)",
				      gpa, page > gpa ? page - gpa : 0);
		r = root_region_containing(ALIGN_DOWN(phys, PAGE_SIZE) + off,
					   PAGE_SIZE);
		if (!r || (r->flags & WD_MEM_IO) || !(r->flags & WD_MEM_READ))
			return refuse(-EFAULT, WD_REASON_MEMORY, 0, page,
				      "cell configuration at 0x%llx: page 0x%llx is not RAM of the root cell",
				      gpa, page);
	}
	*phys_out = phys;
	return 0;
}

/*
 * Copy the configuration at the root's guest-physical @gpa into pool pages and
 * validate the copy (the root may change its own memory at any time: only
 * the copy is checked and used).
 */
int copy_config(u64 gpa, struct wd_cell_desc **out, u64 *pages_out)
{
	u64 phys, size;
	struct wd_check_result res;
	struct wd_cell_desc *hdr, *copy;
	void *src;
	int err;

	err = config_source(gpa, sizeof(*hdr), &phys);
	if (err)
		return err;
	hdr = arch_map_temp(phys, sizeof(*hdr));
	if (!hdr)
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, phys,
			      "no room in the remap pool to read the cell configuration at 0x%llx",
			      gpa);
	/*
	 * The validator reports signature, revision and architecture before
	 * anything that needs the whole blob: run it on the header alone first.
	 */
	if (wd_check_cell(hdr, sizeof(*hdr), &res) &&
	    (res.kind == WD_CHECK_SIGNATURE || res.kind == WD_CHECK_REVISION ||
	     res.kind == WD_CHECK_ARCHITECTURE)) {
		arch_unmap_temp(hdr, sizeof(*hdr));
		return refuse_check(&res, gpa);
	}
	size = wd_cell_config_size(hdr);
	arch_unmap_temp(hdr, sizeof(*hdr));
	if (size > MAX_CELL_CONFIG_SIZE)
		return refuse(-E2BIG, WD_REASON_CONFIG, 0, gpa,
			      "cell configuration of %llu bytes (per its array counts) exceeds the hypervisor's limit of %llu bytes",
			      size, (u64)MAX_CELL_CONFIG_SIZE);
	err = config_source(gpa, size, &phys);
	if (err)
		return err;
	*pages_out = PAGES(size);
	copy = page_alloc(*pages_out);
	src = copy ? arch_map_temp(phys, size) : NULL;
	if (!copy || !src) {
		if (copy)
			page_free(copy, *pages_out);
		if (!copy)
			return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, phys,
				      "no memory for a copy of the cell configuration (%llu pages; page pool %llu/%llu used)",
				      *pages_out, mem_pool.used, mem_pool.pages);
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, phys,
			      "no room in the remap pool to read the cell configuration at 0x%llx (%llu bytes)",
			      gpa, size);
	}
	memcpy(copy, src, size);
	arch_unmap_temp(src, size);
	if (wd_check_cell(copy, size, &res)) {
		page_free(copy, *pages_out);
		return refuse_check(&res, gpa);
	}
	*out = copy;
	return 0;
}
