/*
 * The redistributor frames as the hardware has them, against the memory
 * regions of the root (at enable) and of every new cell (at create).
 *
 * The validator can only assume a frame size (common/config-check.c: a
 * GICv3 frame is 0x20000, a GICv4 frame 0x40000 with its VLPI and reserved
 * pages), and the configuration does not say which GIC the board has. The
 * hypervisor read each frame's GICR_TYPER (gicv3-redist.c), so it knows the
 * whole span: a region that meets it would let a cell program a
 * redistributor (its LPI tables are DMA) behind the hypervisor's back.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/reason.h>
#include <asm/gicv3.h>
#include "gicv3-regs.h"

int gic_check_frames(const struct wd_cell_desc *c)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	const struct wd_mem_region *mem = wd_cell_mem_regions(c);
	u64 base = arm->gicr_base, size = gicv3_redist_region_size();
	unsigned int n;

	if (arm->gic_version != 3 || !size)
		return 0;
	for (n = 0; n < c->num_memory_regions; n++) {
		if (mem[n].flags & WD_MEM_COMM_REGION || !mem[n].size)
			continue;
		if (mem[n].phys_start < base + size && base < mem[n].phys_start + mem[n].size)
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem[n].phys_start,
				      "%s '%s': memory region #%u (phys 0x%llx-0x%llx) maps GIC redistributor frames (0x%llx-0x%llx as the hardware has them), which only the hypervisor may access",
				      c == &system_config->root_cell ? "root cell" : "cell",
				      c->name, n, mem[n].phys_start,
				      mem[n].phys_start + mem[n].size - 1, base, base + size - 1);
	}
	return 0;
}
