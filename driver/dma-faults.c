// SPDX-License-Identifier: GPL-2.0
/*
 * cells/<id>/dma_faults: how many DMA faults the IOMMUs recorded for the
 * streams of the cell since it was created (the hypervisor polls the SMMU's
 * event queue when asked). The faults themselves, with stream id and
 * address, are in the hypervisor's console.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <warden/hypercall.h>
#include "warden.h"

static ssize_t dma_faults_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	struct wd_cell *cell = container_of(kobj, struct wd_cell, kobj);
	long n = wd_hypercall_if_active(WD_HC_HYPERVISOR_GET_INFO,
					WD_INFO_CELL_DMA_FAULTS, cell->id);

	if (n < 0)
		return n;
	return sysfs_emit(buf, "%ld\n", n);
}

struct kobj_attribute wd_cell_attr_dma_faults = __ATTR_RO(dma_faults);

/*
 * The hypervisor polls the SMMUs' event queues instead of taking their
 * interrupts: asking for the root's count makes it log what is pending.
 */
void wd_dma_faults_poll(void)
{
	wd_hypercall_if_active(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_CELL_DMA_FAULTS, 0);
}
