/*
 * The physical MSIs of cells' PCI functions on a GICv3 ITS
 * (arch/arm64/cell-msi.c): the hypervisor's pLPIs for them, and their
 * arrival at EL2.
 */
#ifndef ASM_CELL_MSI_H
#define ASM_CELL_MSI_H

#include <wd/types.h>

/*
 * A physical LPI @intid acknowledged (and EOIed) at EL2: if it is one of the
 * pLPIs kept for cells' MSIs, it is forwarded to its cell's virtual ITS, or
 * dropped and counted if it has no owner (any more), and true is returned:
 * it must never reach the root. Lock-free; O(1).
 */
bool cell_msi_lpi(u32 intid);

#endif
