/*
 * The physical ITS and the PCI functions cells own.
 *
 * A cell's function sends its MSIs to the physical ITS under its device id
 * (core/vpci-devid.c). Its mapping there (device table entry, ITT, events)
 * is the hypervisor's, for the cell: the root, whose ITS commands the
 * hypervisor checks (gicv3-its-cmd.c), may not name that device id while
 * the cell exists, or it could map the cell's events to its own LPIs (see
 * the cell's interrupts), unmap them, or point the device's ITT at memory
 * of its choice.
 */
#include <wd/cell.h>
#include <wd/vpci.h>
#include <wd/vpci-phys.h>
#include <asm/gicv3-its.h>
#include "gicv3-its-priv.h"

/*
 * Called for the root's commands on a root CPU, without the management lock
 * (the same walk as root_ram()): a root that destroys a cell on one CPU while
 * it sends ITS commands on another races only against itself, and the walk
 * reads hypervisor memory only (pool pages stay mapped at EL2).
 */
bool its_cell_device(void *ctx, u32 devid)
{
	const struct cell *cell;
	unsigned int n;

	for (cell = root_cell.next; cell; cell = cell->next) {
		const struct vpci_phys *phys = cell->vpci ? cell->vpci->phys : NULL;

		for (n = 0; phys && n < phys->num; n++)
			if (phys->fn[n].has_devid && phys->fn[n].devid == devid)
				return true;
	}
	return false;
}
