// SPDX-License-Identifier: GPL-2.0
/*
 * cells/<id>/ivshmem: the cell's ivshmem devices and the state of each
 * link's peers, as the hypervisor has them (WD_INFO_CELL_IVSHMEM), one line
 * per device:
 *
 *   0001:00:00.0 peer 1 of 3 protocol 0x0000 states 0 2 3
 *
 * "-" for a peer whose cell does not exist (now). Empty without devices.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <warden/hypercall.h>
#include <warden/ivshmem.h>
#include "warden.h"

static long wd_ivshmem_info(int cell, unsigned int index, unsigned int what)
{
	return wd_hypercall_if_active(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_CELL_IVSHMEM,
				      WD_INFO_IVSHMEM_ARG(cell, index, what));
}

static ssize_t ivshmem_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct wd_cell *cell = container_of(kobj, struct wd_cell, kobj);
	unsigned int index, p, peers;
	ssize_t len = 0;
	long dev, st;

	for (index = 0; index < 256; index++) {
		dev = wd_ivshmem_info(cell->id, index, 0);
		if (dev == -ENODEV)
			break;
		if (dev < 0)
			return len ? len : dev;
		peers = WD_INFO_IVSHMEM_PEERS(dev);
		len += sysfs_emit_at(buf, len, "%04x:%02x:%02x.%x peer %u of %u protocol 0x%04x states",
				     WD_INFO_IVSHMEM_DOMAIN(dev), WD_INFO_IVSHMEM_BDF(dev) >> 8,
				     (WD_INFO_IVSHMEM_BDF(dev) >> 3) & 0x1f,
				     WD_INFO_IVSHMEM_BDF(dev) & 7, WD_INFO_IVSHMEM_ID(dev),
				     peers, WD_INFO_IVSHMEM_PROTO(dev));
		for (p = 0; p < peers && p < WD_IVSHMEM_MAX_PEERS; p++) {
			st = wd_ivshmem_info(cell->id, index, p + 1);
			if (st < 0)
				len += sysfs_emit_at(buf, len, " -");
			else
				len += sysfs_emit_at(buf, len, " %ld", st);
		}
		len += sysfs_emit_at(buf, len, "\n");
	}
	return len;
}

struct kobj_attribute wd_cell_attr_ivshmem = __ATTR_RO(ivshmem);
