// SPDX-License-Identifier: GPL-2.0
/*
 * The driver's part of DMA isolation (the hypervisor programs the SMMUs,
 * hypervisor/arch/arm64/smmuv3.c):
 *  - before enable, every SMMUv3 unit of the system configuration must be
 *    in the device tree: the hypervisor reads the unit's ID registers, and
 *    a read where there is no device is an external abort it cannot
 *    survive;
 *  - before a cell is created, its stream ids must be the root cell's and
 *    the system must have an SMMUv3 (the hypervisor checks this too, and
 *    which cell has a stream id now; here it fails before CPUs go offline);
 *  - cells/<id>/dma_faults: how many DMA faults the IOMMUs recorded for the
 *    streams of the cell since it was created (the hypervisor polls the
 *    SMMU's event queue when asked). The faults themselves, with stream id
 *    and address, are in the hypervisor's console.
 */
#include <linux/kobject.h>
#include <linux/of.h>
#include <linux/of_address.h>
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

/* A node "arm,smmu-v3" (enabled or not) whose registers start at @base? */
static bool wd_smmu_in_dt(u64 base)
{
	struct device_node *np;
	struct resource res;

	for_each_compatible_node(np, NULL, "arm,smmu-v3") {
		if (!of_address_to_resource(np, 0, &res) && res.start == base) {
			of_node_put(np);
			return true;
		}
	}
	return false;
}

int wd_check_iommu_units(const struct wd_system_config *config)
{
	const struct wd_iommu *u = config->platform.iommu_units;
	unsigned int i;

	/* Without a device tree (ACPI), the configuration is taken as it is. */
	if (!of_have_populated_dt())
		return 0;
	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++, u++) {
		if (u->type != WD_IOMMU_SMMUV3 || wd_smmu_in_dt(u->base))
			continue;
		pr_err("IOMMU unit #%u: no SMMUv3 at 0x%llx on this system (no \"arm,smmu-v3\" node with that address in the device tree)\n",
		       i, (unsigned long long)u->base);
		return -ENXIO;
	}
	return 0;
}

int wd_check_cell_stream_ids(const struct wd_cell_desc *desc)
{
	const struct wd_system_config *sys = wd_system_config();
	const struct wd_stream_id *sid = wd_cell_stream_ids(desc), *root;
	unsigned int i, j, units = 0;

	if (!sys || !desc->num_stream_ids)
		return 0;
	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++)
		units += sys->platform.iommu_units[i].type == WD_IOMMU_SMMUV3;
	if (!units) {
		pr_err("cell '%.32s': %u stream id(s), but the system configuration has no SMMUv3 unit to isolate them\n",
		       desc->name, desc->num_stream_ids);
		return -ENODEV;
	}
	root = wd_cell_stream_ids(&sys->root_cell);
	for (i = 0; i < desc->num_stream_ids; i++) {
		for (j = 0; j < sys->root_cell.num_stream_ids; j++)
			if (root[j].id == sid[i].id)
				break;
		if (j == sys->root_cell.num_stream_ids) {
			pr_err("cell '%.32s': stream id 0x%x is not one of the root cell's\n",
			       desc->name, sid[i].id);
			return -EBUSY;
		}
	}
	return 0;
}
