// SPDX-License-Identifier: GPL-2.0
/*
 * The system configuration against the machine Linux runs on, before enable:
 * what the live device tree has and Linux uses, the configuration must have
 * too, or the root dies later in ways that say nothing about the cause (an
 * ITS access that faults when a CPU comes back online, a driver whose
 * registers are suddenly gone). Each refusal names what is missing and ends
 * with the way out: a configuration written for this machine by
 * 'warden config create'.
 *
 * Checked (device tree systems; without one the configuration is taken as
 * it is):
 *  - every available GICv3 ITS ("arm,gic-v3-its") is a root memory region;
 *  - the GIC is the version the configuration says, and its frames are where
 *    the configuration says: the GICv3 distributor and redistributors
 *    (gicd_base, gicr_base), the GICv2 distributor, CPU, hypervisor and
 *    virtual CPU interfaces (gicd/gicc/gich/gicv_base);
 *  - an SMMU ("arm,smmu-v3", "arm,mmu-500", "arm,smmu-v2") whose Linux driver
 *    is bound is one of the configuration's IOMMU units (Linux's own SMMU
 *    tables would otherwise translate the root's DMA behind stage 2);
 *  - the RAM Linux uses (System RAM in /proc/iomem) is root RAM;
 *  - the MMIO of every platform, AMBA and PCI device with a driver bound is
 *    in root memory regions.
 */
#include <linux/amba/bus.h>
#include <linux/ioport.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/pci.h>
#include <linux/platform_device.h>

#include "warden.h"

#define WD_HINT "; 'warden config create' writes a configuration for this machine"

/* Is [start, end] inside root memory regions (I/O or not, as @ram says)? */
static bool wd_root_maps(const struct wd_system_config *config, u64 start, u64 end,
			 bool ram)
{
	const struct wd_cell_desc *root = &config->root_cell;
	const struct wd_mem_region *mem = wd_cell_mem_regions(root);
	unsigned int i;
	bool progress = true;

	/* Regions may abut: advance through them until @end is covered. */
	while (progress) {
		progress = false;
		for (i = 0; i < root->num_memory_regions; i++) {
			u64 rs = mem[i].phys_start, re = rs + mem[i].size - 1;

			if (!mem[i].size || (mem[i].flags & WD_MEM_COMM_REGION))
				continue;
			if (ram && (mem[i].flags & WD_MEM_IO))
				continue;
			if (start < rs || start > re)
				continue;
			if (end <= re)
				return true;
			start = re + 1;
			progress = true;
		}
	}
	return false;
}

static int wd_check_its(const struct wd_system_config *config)
{
	struct device_node *np;
	struct resource res;

	for_each_compatible_node(np, NULL, "arm,gic-v3-its") {
		if (!of_device_is_available(np) || of_address_to_resource(np, 0, &res))
			continue;
		if (wd_root_maps(config, res.start, res.end, false))
			continue;
		pr_err("the ITS at 0x%08llx (%pOF) is not in the root configuration: Linux uses it for MSIs and would fault on it under Warden" WD_HINT "\n",
		       (unsigned long long)res.start, np);
		of_node_put(np);
		return -EINVAL;
	}
	return 0;
}

/* Is @np's register frame @index at @base? Says where it is if not (@what: "distributor is"). */
static bool wd_gic_frame_ok(struct device_node *np, int index, const char *what,
			    const char *field, u64 base)
{
	struct resource res;

	if (of_address_to_resource(np, index, &res) || res.start == base)
		return true;
	pr_err("the GIC %s at 0x%08llx (%pOF), the configuration's %s is 0x%08llx" WD_HINT "\n",
	       what, (unsigned long long)res.start, np, field, (unsigned long long)base);
	return false;
}

/* GICv2 with the virtualization extensions, as the device tree names it. */
static const char *const wd_gicv2_compat[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic",
};

static int wd_check_gic(const struct wd_system_config *config)
{
	const struct wd_arm_platform *arm = &config->platform.arm;
	struct device_node *np;
	unsigned int i, version = 3;
	int err = 0;

	np = of_find_compatible_node(NULL, NULL, "arm,gic-v3");
	for (i = 0; !np && i < ARRAY_SIZE(wd_gicv2_compat); i++) {
		np = of_find_compatible_node(NULL, NULL, wd_gicv2_compat[i]);
		version = 2;
	}
	if (!np || !of_device_is_available(np))
		goto out;
	if (arm->gic_version != version) {
		pr_err("the GIC is a GICv%u (%pOF), the configuration says GICv%u" WD_HINT "\n",
		       version, np, arm->gic_version);
		err = -EINVAL;
		goto out;
	}
	/* GICv3: distributor, redistributors; GICv2: GICD, GICC, GICH, GICV. */
	if (!wd_gic_frame_ok(np, 0, "distributor is", "gicd_base", arm->gicd_base) ||
	    (version == 3 &&
	     !wd_gic_frame_ok(np, 1, "redistributors are", "gicr_base", arm->gicr_base)) ||
	    (version == 2 &&
	     (!wd_gic_frame_ok(np, 1, "CPU interface is", "gicc_base", arm->gicc_base) ||
	      !wd_gic_frame_ok(np, 2, "hypervisor interface is", "gich_base", arm->gich_base) ||
	      !wd_gic_frame_ok(np, 3, "virtual CPU interface is", "gicv_base", arm->gicv_base))))
		err = -EINVAL;
out:
	of_node_put(np);
	return err;
}

static bool wd_is_iommu_unit(const struct wd_system_config *config, u64 base)
{
	unsigned int i;

	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++)
		if (config->platform.iommu_units[i].type &&
		    config->platform.iommu_units[i].base == base)
			return true;
	return false;
}

static int wd_check_smmus(const struct wd_system_config *config)
{
	static const char *const compat[] = { "arm,smmu-v3", "arm,mmu-500", "arm,smmu-v2" };
	struct platform_device *pdev;
	struct device_node *np;
	struct resource res;
	unsigned int i;
	bool bound;

	for (i = 0; i < ARRAY_SIZE(compat); i++) {
		for_each_compatible_node(np, NULL, compat[i]) {
			if (!of_device_is_available(np) || of_address_to_resource(np, 0, &res))
				continue;
			pdev = of_find_device_by_node(np);
			bound = pdev && pdev->dev.driver;
			if (bound && !wd_is_iommu_unit(config, res.start)) {
				pr_err("the SMMU at 0x%08llx (%pOF) is used by Linux (driver %s) but is not in the root configuration: it would translate the root's DMA outside Warden's control" WD_HINT "\n",
				       (unsigned long long)res.start, np,
				       dev_driver_string(&pdev->dev));
				put_device(&pdev->dev);
				of_node_put(np);
				return -EINVAL;
			}
			if (pdev)
				put_device(&pdev->dev);
		}
	}
	return 0;
}

struct wd_ram_walk {
	const struct wd_system_config *config;
	int err;
};

static int wd_check_ram_range(struct resource *res, void *arg)
{
	struct wd_ram_walk *w = arg;

	if (wd_root_maps(w->config, res->start, res->end, true))
		return 0;
	pr_err("Linux uses RAM 0x%llx-0x%llx that the root configuration does not give the root cell as RAM" WD_HINT "\n",
	       (unsigned long long)res->start, (unsigned long long)res->end);
	w->err = -EINVAL;
	return 1;
}

struct wd_dev_walk {
	const struct wd_system_config *config;
	int err;
};

static int wd_check_dev_resources(struct device *dev, struct resource *res,
				  unsigned int n, struct wd_dev_walk *w)
{
	unsigned int i;

	if (!dev->driver)
		return 0;
	for (i = 0; i < n; i++) {
		if (resource_type(&res[i]) != IORESOURCE_MEM || !res[i].start ||
		    res[i].end < res[i].start)
			continue;
		/* The IOMMU units are the hypervisor's (and checked above). */
		if (wd_is_iommu_unit(w->config, res[i].start))
			continue;
		if (wd_root_maps(w->config, res[i].start, res[i].end, false))
			continue;
		pr_err("the MMIO of %s (driver %s) at 0x%llx-0x%llx is not in the root configuration" WD_HINT "\n",
		       dev_name(dev), dev_driver_string(dev),
		       (unsigned long long)res[i].start, (unsigned long long)res[i].end);
		w->err = -EINVAL;
		return 1;
	}
	return 0;
}

static int wd_check_platform_dev(struct device *dev, void *arg)
{
	struct platform_device *pdev = to_platform_device(dev);

	return wd_check_dev_resources(dev, pdev->resource, pdev->num_resources, arg);
}

static int wd_check_amba_dev(struct device *dev, void *arg)
{
	struct amba_device *adev = to_amba_device(dev);

	return wd_check_dev_resources(dev, &adev->res, 1, arg);
}

static int wd_check_pci_dev(struct device *dev, void *arg)
{
	struct pci_dev *pdev = to_pci_dev(dev);

	return wd_check_dev_resources(dev, pdev->resource, PCI_STD_NUM_BARS, arg);
}

int wd_check_platform(const struct wd_system_config *config)
{
	struct wd_ram_walk ram = { .config = config };
	struct wd_dev_walk devs = { .config = config };
	int err;

	if (!of_have_populated_dt())
		return 0;
	err = wd_check_gic(config);
	if (!err)
		err = wd_check_smmus(config);
	if (!err)
		err = wd_check_its(config);
	if (err)
		return err;
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
			    U64_MAX, &ram, wd_check_ram_range);
	if (ram.err)
		return ram.err;
	bus_for_each_dev(&platform_bus_type, NULL, &devs, wd_check_platform_dev);
	if (!devs.err)
		bus_for_each_dev(&amba_bustype, NULL, &devs, wd_check_amba_dev);
	if (!devs.err)
		bus_for_each_dev(&pci_bus_type, NULL, &devs, wd_check_pci_dev);
	return devs.err;
}
