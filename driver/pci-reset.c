// SPDX-License-Identifier: GPL-2.0
/*
 * Handing a cell's PCI devices back to the root without their DMA: the
 * hypervisor's destroy leaves the cell's stream ids aborting ("held",
 * hypervisor/arch/arm64/smmuv3.c) before it scrubs and returns the cell's
 * memory. Here, with bus mastering off, each device is reset (the kernel's
 * pci_reset_function: function-level, power-management or bus reset,
 * whichever the device has), so that nothing it had queued survives; only a
 * device whose reset succeeded gets its stream ids back to the root
 * (WD_HC_STREAM_RETURN) and is offered to its Linux driver again. A device
 * whose reset fails or times out stays without a driver, its streams abort,
 * and both are named: the state is always known.
 *
 * Which stream ids are a device's: its requester id through the host
 * bridge's device-tree iommu-map (of_map_id). A stream id of the cell that
 * no device of the cell maps to is returned only when every device of the
 * cell was reset.
 *
 * A device with no reset method at all is refused at create
 * (wd_pci_check_reset): it could keep a transfer queued across destroy.
 */
#include <linux/delay.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <warden/hypercall.h>

#include "hypercall.h"
#include "warden.h"

int wd_pci_check_reset(const char *cell, struct pci_dev *dev)
{
	if (dev->reset_methods[0])
		return 0;
	pr_err("cell '%.32s': PCI device %s has no reset method (no function-level, power-management or bus reset): DMA it queues could outlive the cell; put it behind its own PCIe port\n",
	       cell, pci_name(dev));
	return -EOPNOTSUPP;
}

/*
 * The stream id @dev's transactions carry, through the device tree's
 * iommu-map; -ENODEV if no entry maps its requester id. of_map_id() then
 * returns 0 and the requester id itself ("bypass"), but a requester id the
 * map leaves out is, by the binding, not behind any IOMMU: only a found
 * entry names the IOMMU (@target).
 */
int wd_pci_stream_id(struct pci_dev *dev, u32 *sid)
{
	struct pci_host_bridge *bridge = pci_find_host_bridge(dev->bus);
	struct device_node *np, *target = NULL;
	int err;

	np = bridge && bridge->dev.parent ? bridge->dev.parent->of_node : NULL;
	if (!np)
		return -ENODEV;
	err = of_map_id(np, pci_dev_id(dev), "iommu-map", "iommu-map-mask", &target, sid);
	if (!err && !target)
		err = -ENODEV;
	of_node_put(target);
	return err;
}

/* Reset @dev with bus mastering off; true if it is quiet now. */
bool wd_pci_reset(const char *cell, struct pci_dev *dev)
{
	int err;

	pci_clear_master(dev);
	/* Saves the configuration (bus mastering off), resets, restores it. */
	err = pci_reset_function(dev);
	pci_clear_master(dev);
	if (err) {
		pci_err(dev, "warden: back from cell '%s' but its reset failed (%d): no driver, its stream ids stay aborted\n",
			cell, err);
		return false;
	}
	pci_info(dev, "warden: reset after cell '%s'\n", cell);
	return true;
}

/*
 * After the resets, before any stream is the root's: 100 ms, the time PCIe
 * gives a device after a reset before it must answer (Linux waits it only
 * for devices with power management), with bus mastering off and the
 * streams aborting, so that whatever a device had in flight when it was
 * reset (or a device model that does not stop its DMA engine on reset,
 * such as QEMU's edu on a bus reset) has ended before the root gets the
 * stream.
 */
#define WD_RESET_SETTLE_MS	100

void wd_pci_settle(void)
{
	msleep(WD_RESET_SETTLE_MS);
}

static void wd_stream_return(const char *cell, u32 sid)
{
	u32 mark = wd_reason_mark();
	long ret = wd_hypercall(WD_HC_STREAM_RETURN, sid, 0);

	if (ret < 0)
		wd_refused(mark, WD_HC_STREAM_RETURN, ret, "cell '%s': stream id 0x%x", cell, sid);
}

/*
 * The cell's stream ids back to the root: those of a device whose reset
 * succeeded, and those of no device of the cell if every reset did.
 */
void wd_pci_return_streams(const struct wd_cell_desc *desc, struct pci_dev **devs,
			   const bool *reset_ok, unsigned int count)
{
	const struct wd_stream_id *s = wd_cell_stream_ids(desc);
	bool all_ok = true, mapped, ok;
	unsigned int i, k;
	u32 sid;

	for (k = 0; k < count; k++)
		all_ok &= reset_ok[k];
	for (i = 0; i < desc->num_stream_ids; i++) {
		mapped = false;
		ok = true;
		for (k = 0; k < count; k++) {
			if (wd_pci_stream_id(devs[k], &sid) || sid != s[i].id)
				continue;
			mapped = true;
			ok &= reset_ok[k];
		}
		if (mapped ? ok : all_ok)
			wd_stream_return(desc->name, s[i].id);
		else
			pr_err("cell '%.32s': stream id 0x%x stays aborted (%s)\n", desc->name,
			       s[i].id, mapped ? "its device was not reset" :
			       "a device of the cell was not reset");
	}
}
