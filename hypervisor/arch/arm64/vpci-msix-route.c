/*
 * Where an MSI-X message of a cell's physical PCI function goes on the
 * GICv3 (core/vpci-msix.c asks for each entry the cell unmasks).
 *
 * A route needs the cell's virtual ITS (the cell's address must be its
 * doorbell, and the cell must have mapped the device id and event) and a
 * physical device id, event and LPI the hypervisor mapped in the ITS for
 * the cell, whose arrival at EL2 it forwards as a virtual LPI. The device
 * id is known (fn->devid, core/vpci-devid.c); the hypervisor's mapping in
 * the physical ITS is not built yet: every entry has no route, so the device's entry
 * stays masked and its MSIs reach nobody (the PBA shows them pending). The
 * function answers that explicitly rather than the caller assuming it.
 */
#include <wd/vpci-phys.h>
#include <wd/errno.h>

int arch_vpci_msix_route(struct vpci_phys_fn *fn, unsigned int entry,
			 u64 *addr, u32 *data)
{
	return -ENODEV;
}
