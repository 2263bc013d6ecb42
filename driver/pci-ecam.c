// SPDX-License-Identifier: GPL-2.0
/*
 * Where the root's physical PCI configuration space is, for the hypervisor:
 * it reads (and filters) the configuration space of the PCI functions a cell
 * owns through the physical ECAM (hypervisor/core/vpci-phys.c). The
 * hypervisor has no device tree; the root's Linux does: the first generic
 * ECAM host ("pci-host-ecam-generic") gives the window ("reg"), the buses
 * it decodes ("bus-range", from 0 when absent) and its PCI domain
 * ("linux,pci-domain", 0 when absent). The hypervisor checks the window
 * against the root configuration's device regions before it uses it.
 */
#include <linux/of.h>
#include <linux/of_address.h>

#include "warden.h"

void wd_pci_ecam_fill(struct wd_fw_header *h)
{
	struct device_node *np;
	struct resource res;
	u32 range[2] = { 0, 255 }, domain = 0;

	h->pci_ecam_phys = 0;
	np = of_find_compatible_node(NULL, NULL, "pci-host-ecam-generic");
	if (!np)
		return;
	if (of_address_to_resource(np, 0, &res) == 0) {
		of_property_read_u32_array(np, "bus-range", range, 2);
		of_property_read_u32(np, "linux,pci-domain", &domain);
		if (range[0] <= range[1] && range[1] <= 255 &&
		    resource_size(&res) >= (u64)(range[1] - range[0] + 1) << 20) {
			h->pci_ecam_phys = res.start;
			h->pci_ecam_start_bus = range[0];
			h->pci_ecam_end_bus = range[1];
			h->pci_ecam_domain = domain;
		}
	}
	of_node_put(np);
}
