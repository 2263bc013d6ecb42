// SPDX-License-Identifier: GPL-2.0
/*
 * A cell's PCI devices against its stream ids and the PCIe topology, before
 * the cell is created (only on a system whose configuration has IOMMU units:
 * without one nothing confines a device's DMA anyway):
 *  - each device's requester id, through the device tree's iommu-map
 *    (wd_pci_stream_id), is one of the cell's stream ids: otherwise the
 *    SMMU would translate its DMA with the root's tables, or another
 *    device's DMA with the cell's;
 *  - each of the cell's stream ids that is the stream of some PCI device in
 *    the root's Linux is the stream of one of the cell's devices;
 *  - the device is isolated: every switch downstream port or root port
 *    above it has ACS source validation, request and completion redirect
 *    and upstream forwarding on, or the device is alone on the bus below
 *    its root port. Otherwise peer-to-peer transfers between it and the
 *    root's devices would never reach the SMMU;
 *  - a function of a multifunction device is isolated from the device's
 *    other functions: they are all the cell's, or each of them redirects
 *    peer-to-peer requests and completions upstream (ACS on the functions):
 *    functions of one device may talk to each other inside it, where no
 *    port's ACS sees them.
 * Each refusal names the device.
 */
#include <linux/pci.h>

#include "warden.h"

#define WD_ACS_NEEDED	(PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)
/* Source validation and upstream forwarding are a port's; a function has the redirects. */
#define WD_ACS_FN_NEEDED	(PCI_ACS_RR | PCI_ACS_CR)

static bool wd_has_sid(const struct wd_cell_desc *desc, u32 sid)
{
	const struct wd_stream_id *s = wd_cell_stream_ids(desc);
	unsigned int i;

	for (i = 0; i < desc->num_stream_ids; i++)
		if (s[i].id == sid)
			return true;
	return false;
}

static bool wd_system_has_iommu(void)
{
	const struct wd_system_config *sys = wd_system_config();
	unsigned int i;

	for (i = 0; sys && i < WD_IOMMU_MAX_UNITS; i++)
		if (sys->platform.iommu_units[i].type)
			return true;
	return false;
}

static bool wd_acs_on(struct pci_dev *dev, u16 needed)
{
	int pos = pci_find_ext_capability(dev, PCI_EXT_CAP_ID_ACS);
	u16 ctrl;

	if (!pos)
		return false;
	pci_read_config_word(dev, pos + PCI_ACS_CTRL, &ctrl);
	return (ctrl & needed) == needed;
}

static bool wd_in(struct pci_dev **devs, unsigned int count, struct pci_dev *dev)
{
	unsigned int k;

	for (k = 0; k < count; k++)
		if (devs[k] == dev)
			return true;
	return false;
}

/*
 * Another function of @dev's multifunction device that is not the cell's
 * and that @dev is not isolated from (a reference the caller puts), or NULL.
 * With ARI every function on the bus is the device's.
 */
static struct pci_dev *wd_pci_shared_function(struct pci_dev *dev, struct pci_dev **devs,
					      unsigned int count)
{
	unsigned int fn, nfn = pci_ari_enabled(dev->bus) ? 256 : 8;
	unsigned int first = pci_ari_enabled(dev->bus) ? 0 : PCI_DEVFN(PCI_SLOT(dev->devfn), 0);
	struct pci_dev *other;

	if (!dev->multifunction)
		return NULL;
	for (fn = 0; fn < nfn; fn++) {
		other = pci_get_slot(dev->bus, first + fn);
		if (!other)
			continue;
		if (other == dev || wd_in(devs, count, other) ||
		    (wd_acs_on(dev, WD_ACS_FN_NEEDED) && wd_acs_on(other, WD_ACS_FN_NEEDED))) {
			pci_dev_put(other);
			continue;
		}
		return other;
	}
	return NULL;
}

/* NULL if @dev is isolated, else why not. */
static const char *wd_pci_not_isolated(struct pci_dev *dev, struct pci_dev **where)
{
	struct pci_dev *bridge;
	int type;

	for (bridge = pci_upstream_bridge(dev); bridge; bridge = pci_upstream_bridge(bridge)) {
		if (!pci_is_pcie(bridge))
			continue;
		type = pci_pcie_type(bridge);
		if (type != PCI_EXP_TYPE_ROOT_PORT && type != PCI_EXP_TYPE_DOWNSTREAM)
			continue;
		if (wd_acs_on(bridge, WD_ACS_NEEDED))
			continue;
		/* Alone below its root port, nothing to talk to but the root port. */
		if (type == PCI_EXP_TYPE_ROOT_PORT && bridge->subordinate &&
		    list_is_singular(&bridge->subordinate->devices) &&
		    bridge == pci_upstream_bridge(dev))
			continue;
		*where = bridge;
		return "a port above it has no ACS (source validation, request/completion redirect, upstream forwarding) and it is not alone below its root port";
	}
	return NULL;
}

int wd_pci_check_streams(const struct wd_cell_desc *desc, struct pci_dev **devs,
			 unsigned int count)
{
	struct pci_dev *other = NULL, *where = NULL;
	const char *why;
	unsigned int k;
	u32 sid;
	int err;

	if (!wd_system_has_iommu())
		return 0;
	for (k = 0; k < count; k++) {
		err = wd_pci_stream_id(devs[k], &sid);
		if (err) {
			pr_err("cell '%.32s': PCI device %s has no stream id in the device tree (no iommu-map entry for requester id 0x%x): its DMA would not be confined\n",
			       desc->name, pci_name(devs[k]), pci_dev_id(devs[k]));
			return -EINVAL;
		}
		if (!wd_has_sid(desc, sid)) {
			pr_err("cell '%.32s': PCI device %s issues DMA as stream id 0x%x (device tree iommu-map), which is not one of the cell's stream ids\n",
			       desc->name, pci_name(devs[k]), sid);
			return -EINVAL;
		}
		why = wd_pci_not_isolated(devs[k], &where);
		if (why) {
			pr_err("cell '%.32s': PCI device %s is not isolated: %s (port %s)\n",
			       desc->name, pci_name(devs[k]), why, pci_name(where));
			return -EINVAL;
		}
		other = wd_pci_shared_function(devs[k], devs, count);
		if (other) {
			pr_err("cell '%.32s': PCI device %s is not isolated: it is a function of a multifunction device whose function %s is not the cell's, and the two do not both have ACS peer-to-peer request and completion redirect on\n",
			       desc->name, pci_name(devs[k]), pci_name(other));
			pci_dev_put(other);
			return -EINVAL;
		}
	}
	/*
	 * A stream id of a device of the root the cell does not get (one of
	 * another cell's: the hypervisor refuses it, naming that cell).
	 */
	for_each_pci_dev(other) {
		if (wd_pci_stream_id(other, &sid) || !wd_has_sid(desc, sid) ||
		    wd_pci_owner(other))
			continue;
		for (k = 0; k < count && devs[k] != other; k++)
			;
		if (k < count)
			continue;
		pr_err("cell '%.32s': stream id 0x%x is the DMA stream of PCI device %s, which is not one of the cell's devices\n",
		       desc->name, sid, pci_name(other));
		pci_dev_put(other);
		return -EINVAL;
	}
	return 0;
}
