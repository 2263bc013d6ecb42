// SPDX-License-Identifier: GPL-2.0
/*
 * PCI devices a cell owns (the cell configuration's pci_devices of type
 * WD_PCI_TYPE_DEVICE): the root's Linux lets go of them before the cell is
 * created and takes them back after it is destroyed, as it does for CPUs.
 *
 * Letting go is device_release_driver(), not removing the device: the
 * pci_dev stays with its BARs where they are, so the addresses the cell
 * configuration maps as I/O regions remain the device's, and handing back is
 * device_attach() on the same pci_dev (a rescan could move the BARs). A
 * reference is held meanwhile.
 *
 * The cell has no PCI configuration space, so the device is left ready for
 * it: memory decoding and bus mastering on (a driver's remove usually
 * switches bus mastering off). Before the cell is destroyed bus mastering is
 * switched off again; the hypervisor's destroy leaves the device's stream
 * ids aborting; then the device is reset and only a device whose reset
 * succeeded gets its stream ids back and is probed by its driver again
 * (pci-reset.c). Its command register is put back as the root had it,
 * except bus mastering, which its driver switches on when it probes. A
 * device with no reset method is refused at create. Bridges and ivshmem
 * devices are not touched (ivshmem is virtual).
 */
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "warden.h"

struct wd_pci_owned {
	struct pci_dev *dev;
	u16 command;		/* PCI_COMMAND as the root had it */
	bool had_driver;
	bool reset_ok;		/* reset after the cell: the root may have it */
};

static bool wd_pci_taken(const struct wd_pci_device *d)
{
	return d->type == WD_PCI_TYPE_DEVICE;
}

/* The cell that has @dev now, if any; wd_lock held. */
struct wd_cell *wd_pci_owner(struct pci_dev *dev)
{
	struct wd_cell *cell;
	unsigned int id, i;

	for (id = 1; id < 256; id++) {
		cell = wd_cell_find(id, NULL);
		for (i = 0; cell && i < cell->num_pci; i++)
			if (cell->pci[i].dev == dev)
				return cell;
	}
	return NULL;
}

static void wd_pci_put_back(const char *cell, struct wd_pci_owned *o)
{
	struct pci_dev *dev = o->dev;
	int err;

	pci_clear_master(dev);
	if (!o->reset_ok) {
		pci_err(dev, "warden: not reset after cell '%s': kept from its driver, DMA aborted\n",
			cell);
		pci_dev_put(dev);
		return;
	}
	pci_write_config_word(dev, PCI_COMMAND, o->command & ~PCI_COMMAND_MASTER);
	if (!o->had_driver) {
		pci_info(dev, "warden: back from cell '%s' (no driver)\n", cell);
	} else {
		err = device_attach(&dev->dev);
		if (err == 1)
			pci_info(dev, "warden: back from cell '%s', driver %s\n", cell,
				 dev_driver_string(&dev->dev));
		else
			pci_err(dev, "warden: back from cell '%s', but no driver took it (%d)\n",
				cell, err);
	}
	pci_dev_put(dev);
}

/*
 * Take the PCI devices @desc lists from Linux. Every device must exist
 * (-ENODEV naming the first that does not) and belong to no other cell
 * (-EBUSY) before any is released. On
 * success *@owned (NULL when there are none) and *@count are for
 * wd_pci_give_back().
 */
int wd_pci_take(const struct wd_cell_desc *desc, struct wd_pci_owned **owned,
		unsigned int *count)
{
	const struct wd_pci_device *d = wd_cell_pci_devices(desc);
	struct wd_pci_owned *o;
	struct wd_cell *owner;
	unsigned int i, n = 0;
	int err = 0;

	*owned = NULL;
	*count = 0;
	for (i = 0; i < desc->num_pci_devices; i++)
		n += wd_pci_taken(&d[i]);
	if (!n)
		return 0;
	o = kcalloc(n, sizeof(*o), GFP_KERNEL);
	if (!o)
		return -ENOMEM;

	for (i = 0, n = 0; i < desc->num_pci_devices; i++) {
		if (!wd_pci_taken(&d[i]))
			continue;
		o[n].dev = pci_get_domain_bus_and_slot(d[i].domain, PCI_BUS_NUM(d[i].bdf),
						       d[i].bdf & 0xff);
		if (!o[n].dev) {
			pr_err("cell '%.32s': PCI device %04x:%02x:%02x.%u is not in the root cell's Linux\n",
			       desc->name, d[i].domain, PCI_BUS_NUM(d[i].bdf),
			       PCI_SLOT(d[i].bdf), PCI_FUNC(d[i].bdf));
			err = -ENODEV;
			goto out_put;
		}
		n++;
		owner = wd_pci_owner(o[n - 1].dev);
		if (owner) {
			pr_err("cell '%.32s': PCI device %s belongs to cell '%s'\n",
			       desc->name, pci_name(o[n - 1].dev), owner->name);
			err = -EBUSY;
			goto out_put;
		}
		err = wd_pci_check_reset(desc->name, o[n - 1].dev);	/* pci-reset.c */
		if (err)
			goto out_put;
	}

	/* Stream ids and isolation (pci-streams.c), before any is released. */
	{
		struct pci_dev **devs = kcalloc(n, sizeof(*devs), GFP_KERNEL);

		if (!devs) {
			err = -ENOMEM;
			goto out_put;
		}
		for (i = 0; i < n; i++)
			devs[i] = o[i].dev;
		err = wd_pci_check_streams(desc, devs, n);
		kfree(devs);
		if (err)
			goto out_put;
	}

	for (i = 0; i < n; i++) {
		struct pci_dev *dev = o[i].dev;

		pci_read_config_word(dev, PCI_COMMAND, &o[i].command);
		o[i].had_driver = dev->dev.driver;
		if (o[i].had_driver) {
			pci_info(dev, "warden: to cell '%.32s', driver %s released\n",
				 desc->name, dev_driver_string(&dev->dev));
			device_release_driver(&dev->dev);
		} else {
			pci_info(dev, "warden: to cell '%.32s' (no driver)\n", desc->name);
		}
		/* The cell cannot enable the device itself. */
		pci_write_config_word(dev, PCI_COMMAND,
				      o[i].command | PCI_COMMAND_MEMORY);
		pci_set_master(dev);
	}
	*owned = o;
	*count = n;
	return 0;

out_put:
	while (n--)
		pci_dev_put(o[n].dev);
	kfree(o);
	return err;
}

/* Bus mastering off before the cell goes (or on again if it stays). */
void wd_pci_dma(struct wd_pci_owned *owned, unsigned int count, bool on)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (on)
			pci_set_master(owned[i].dev);
		else
			pci_clear_master(owned[i].dev);
	}
}

/*
 * Hand the devices back to Linux and free @owned: reset each (bus mastering
 * off), return the stream ids of those that were reset (@streams_held: the
 * hypervisor had the cell and holds them aborting since its destroy), and
 * only then offer them to their drivers.
 */
void wd_pci_give_back(const struct wd_cell_desc *desc, struct wd_pci_owned *owned,
		      unsigned int count, bool streams_held)
{
	struct pci_dev **devs;
	bool *ok;
	unsigned int i;

	devs = kcalloc(count ? count : 1, sizeof(*devs), GFP_KERNEL);
	ok = kcalloc(count ? count : 1, sizeof(*ok), GFP_KERNEL);
	for (i = 0; i < count; i++) {
		owned[i].reset_ok = wd_pci_reset(desc->name, owned[i].dev);
		if (devs && ok) {
			devs[i] = owned[i].dev;
			ok[i] = owned[i].reset_ok;
		}
	}
	if (count)
		wd_pci_settle();	/* pci-reset.c: streams still aborting */
	/* A create the hypervisor refused moved no stream: nothing to return. */
	if (streams_held && devs && ok)
		wd_pci_return_streams(desc, devs, ok, count);
	else if (streams_held)
		pr_err("cell '%.32s': out of memory: its stream ids stay aborted\n", desc->name);
	for (i = 0; i < count; i++) {
		if (!devs || !ok)
			owned[i].reset_ok = false;
		wd_pci_put_back(desc->name, &owned[i]);
	}
	kfree(devs);
	kfree(ok);
	kfree(owned);
}
