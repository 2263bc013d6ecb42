/*
 * The GICv3 ITS device id of a physical PCI function's MSIs.
 *
 * The ITS learns which device wrote GITS_TRANSLATER from a sideband id the
 * PCI host derives from the requester id (bus << 8 | devfn). The mapping is
 * the platform's; the root's device tree describes it with the host's
 * "msi-map" (and "msi-map-mask"), which the driver copies into the image
 * header (driver/pci-msi-map.c): the hypervisor has no device tree. The
 * hypervisor needs the id to map the function's events in the ITS for the
 * cell that owns it, and to keep the root's ITS commands off it.
 */
#include <wd/vpci-phys.h>
#include <wd/errno.h>
#include <warden/firmware.h>

int vpci_phys_devid(const struct wd_fw_header *h, u16 rid, u32 *devid)
{
	u32 id, n;

	if (!(h->pci_msi_map_flags & WD_FW_MSI_MAP_VALID) ||
	    h->pci_msi_map_num > WD_FW_MSI_MAP_MAX)
		return -ENODEV;
	/* No msi-map: the host sends the requester id itself. */
	if (h->pci_msi_map_num == 0) {
		*devid = rid;
		return 0;
	}
	id = rid & h->pci_msi_map_mask;
	for (n = 0; n < h->pci_msi_map_num; n++) {
		const struct wd_fw_msi_map *m = &h->pci_msi_map[n];

		/* Unsigned difference: also false below rid_base. */
		if (id - m->rid_base < m->length) {
			*devid = m->devid_base + (id - m->rid_base);
			return 0;
		}
	}
	/* A requester id the map leaves out sends no MSI to the ITS. */
	return -ENOENT;
}
