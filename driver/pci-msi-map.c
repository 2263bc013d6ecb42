// SPDX-License-Identifier: GPL-2.0
/*
 * Which GICv3 ITS device id the MSIs of each PCI requester id carry, for the
 * hypervisor: it maps a cell's physical function in the ITS under that id
 * (hypervisor/core/vpci-devid.c). The hypervisor has no device tree; the
 * root's Linux does. The generic ECAM host whose window the hypervisor uses
 * (pci-ecam.c) describes the translation with "msi-map" entries of four
 * cells (requester id base, MSI controller, device id base, length) and
 * "msi-map-mask"; without "msi-map" a host whose "msi-parent" is the ITS
 * sends the requester id itself. Entries aimed at another MSI controller
 * are left out: those functions' MSIs do not reach the ITS.
 */
#include <linux/of.h>

#include "warden.h"

#define MSI_MAP_CELLS	4

static bool is_its(struct device_node *np)
{
	return np && of_device_is_compatible(np, "arm,gic-v3-its");
}

static void fill_entries(struct wd_fw_header *h, struct device_node *host, int cells)
{
	u32 e[MSI_MAP_CELLS], num = 0;
	struct device_node *ctrl;
	int i;

	h->pci_msi_map_mask = 0xffffffff;
	of_property_read_u32(host, "msi-map-mask", &h->pci_msi_map_mask);
	for (i = 0; i + MSI_MAP_CELLS <= cells; i += MSI_MAP_CELLS) {
		if (of_property_read_u32_index(host, "msi-map", i, &e[0]) ||
		    of_property_read_u32_index(host, "msi-map", i + 1, &e[1]) ||
		    of_property_read_u32_index(host, "msi-map", i + 2, &e[2]) ||
		    of_property_read_u32_index(host, "msi-map", i + 3, &e[3]))
			return;
		ctrl = of_find_node_by_phandle(e[1]);
		if (is_its(ctrl)) {
			if (num == WD_FW_MSI_MAP_MAX) {
				of_node_put(ctrl);
				pr_warn("warden: %pOF: msi-map has more than %d entries for the ITS: cells' PCI functions get no MSIs\n",
					host, WD_FW_MSI_MAP_MAX);
				return;
			}
			h->pci_msi_map[num++] = (struct wd_fw_msi_map){
				.rid_base = e[0], .devid_base = e[2], .length = e[3],
			};
		}
		of_node_put(ctrl);
	}
	h->pci_msi_map_num = num;
	h->pci_msi_map_flags = WD_FW_MSI_MAP_VALID;
}

void wd_pci_msi_map_fill(struct wd_fw_header *h)
{
	struct device_node *host, *parent;
	int cells;

	h->pci_msi_map_flags = 0;
	h->pci_msi_map_num = 0;
	h->pci_msi_map_mask = 0;
	memset(h->pci_msi_map, 0, sizeof(h->pci_msi_map));
	host = of_find_compatible_node(NULL, NULL, "pci-host-ecam-generic");
	if (!host)
		return;
	cells = of_property_count_u32_elems(host, "msi-map");
	if (cells > 0) {
		if (cells % MSI_MAP_CELLS)
			pr_warn("warden: %pOF: msi-map is not a list of 4-cell entries: cells' PCI functions get no MSIs\n",
				host);
		else
			fill_entries(h, host, cells);
	} else {
		parent = of_parse_phandle(host, "msi-parent", 0);
		if (is_its(parent))
			h->pci_msi_map_flags = WD_FW_MSI_MAP_VALID;
		of_node_put(parent);
	}
	of_node_put(host);
}
