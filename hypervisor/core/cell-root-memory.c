/*
 * Memory moving between the root cell and a cell it creates: a region the new
 * cell takes for itself leaves the root's stage-2 tables at create and comes back
 * at destroy; loadable regions are lent to the root between set-loadable and
 * start so that it can write the cell's image. Every change here is made with
 * the root's other CPUs held at EL2 (root_cpus_suspend), since they would
 * otherwise keep using stale translations of the pages that move.
 */
#include <wd/cell.h>
#include <wd/paging.h>
#include <wd/percpu.h>
#include "cell-mgmt.h"

const struct wd_mem_region *root_region_containing(u64 phys, u64 size)
{
	const struct wd_mem_region *r = wd_cell_mem_regions(root_cell.config);
	unsigned int n;

	for (n = 0; n < root_cell.config->num_memory_regions; n++, r++)
		if (phys >= r->phys_start && phys + size <= r->phys_start + r->size)
			return r;
	return NULL;
}

/* Give a cell's memory region to the root (@give) or take it away. */
int root_map_region(const struct wd_mem_region *mem, bool give)
{
	const struct wd_mem_region *r;
	u64 virt;

	if (!mem->size)
		return 0;	/* a placeholder: nothing to move */
	r = root_region_containing(mem->phys_start, mem->size);
	if (!r)
		return 0;
	virt = r->virt_start + (mem->phys_start - r->phys_start);
	if (!give)
		return paging_unmap(&root_cell.stage2, virt, mem->size);
	return paging_map(&root_cell.stage2, virt, mem->phys_start, mem->size,
			  cell_region_page_flags(r),
			  !(r->flags & WD_MEM_NO_HUGEPAGES));
}

/* Memory the cell takes from the root for itself alone. */
bool region_moves(const struct wd_mem_region *mem)
{
	return mem->size && !(mem->flags & (WD_MEM_COMM_REGION | WD_MEM_ROOTSHARED));
}

/* Undo what create did to the root's tables for regions [0, @upto). */
void root_give_back(const struct wd_cell_desc *c, unsigned int upto)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(c);
	unsigned int n;

	for (n = 0; n < upto; n++, mem++)
		if (region_moves(mem))
			root_map_region(mem, true);
	paging_flush(&root_cell.stage2);
}

/* Map the cell's loadable regions into the root (@give) or take them back. */
long root_map_loadable(struct per_cpu *pc, struct cell *cell, bool give)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell->config);
	unsigned int n;
	long err;

	err = root_cpus_suspend(pc);
	if (err)
		return err;
	for (n = 0; !err && n < cell->config->num_memory_regions; n++, mem++)
		if ((mem->flags & WD_MEM_LOADABLE) && region_moves(mem))
			err = root_map_region(mem, give);
	paging_flush(&root_cell.stage2);
	root_cpus_resume(pc);
	return err;
}
