// SPDX-License-Identifier: GPL-2.0
/*
 * The cell ioctls: CELL_CREATE, CELL_LOAD, CELL_START, CELL_DESTROY.
 *
 * Create validates the configuration against the running system before it
 * changes anything, takes the cell's PCI devices (pci.c) and CPUs away from
 * Linux, and gives them back if the hypervisor refuses; destroy gives them
 * back. Load asks the hypervisor to stop the cell and map
 * its loadable memory into the root, then copies the images there. Every
 * failure prints one line naming the cause; when the hypervisor refuses, that
 * line is the hypervisor's own reason (reason.c). Callers hold wd_lock.
 */
#include <linux/cpu.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <warden/config-check.h>
#include <warden/hypercall.h>
#include <warden/ioctl.h>

#include "warden.h"
#include "hypercall.h"

#define WD_MAX_PRELOAD_IMAGES	16

static int wd_need_enabled(void)
{
	if (wd_enabled())
		return 0;
	pr_err("Warden is not enabled\n");
	return -ENODEV;
}

static void wd_cpus_online(const struct cpumask *cpus)
{
	unsigned int cpu;
	int err;

	for_each_cpu(cpu, cpus) {
		err = add_cpu(cpu);
		if (err)
			pr_err("CPU %u: could not bring it back online (%d)\n", cpu, err);
	}
}

/* CPU checks against the running system; fills @cpus with the cell's CPUs. */
static int wd_check_cell_cpus(const struct wd_cell_desc *desc, struct cpumask *cpus)
{
	struct wd_cell *root = wd_cell_root();
	unsigned int cpu;

	cpumask_clear(cpus);
	for (cpu = 0; cpu < desc->cpu_set_size * 8; cpu++) {
		if (!wd_cell_has_cpu(desc, cpu))
			continue;
		if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
			pr_err("cell '%.32s': CPU %u does not exist\n", desc->name, cpu);
			return -ENOENT;
		}
		if (!cpumask_test_cpu(cpu, &root->cpus)) {
			pr_err("cell '%.32s': CPU %u is not in the root cell\n",
			       desc->name, cpu);
			return -EBUSY;
		}
		cpumask_set_cpu(cpu, cpus);
	}
	if (cpumask_empty(cpus)) {
		pr_err("cell '%.32s': the CPU set is empty\n", desc->name);
		return -EINVAL;
	}
	if (cpumask_subset(&root->cpus, cpus) ||
	    !cpumask_intersects(cpu_online_mask, &root->cpus) ||
	    cpumask_subset(cpu_online_mask, cpus)) {
		pr_err("cell '%.32s': would take the root cell's last CPU\n",
		       desc->name);
		return -EBUSY;
	}
	return 0;
}

int wd_cmd_cell_create(const void __user *arg)
{
	struct wd_check_result res;
	struct wd_cell_create cc;
	struct wd_cell_desc *desc;
	struct wd_cell *cell;
	cpumask_var_t cpus, offlined;
	struct wd_pci_owned *pci = NULL;
	unsigned int cpu, num_pci = 0;
	u32 mark;
	long id;
	int err;

	err = wd_need_enabled();
	if (err)
		return err;
	if (copy_from_user(&cc, arg, sizeof(cc)))
		return -EFAULT;
	/*
	 * The validator's own limit, checked before allocating; every other
	 * judgement about the blob (too short included) is the validator's.
	 */
	if (cc.config_size > WD_CHECK_MAX_CONFIG_SIZE) {
		pr_err("configuration of %u bytes exceeds the limit of %u bytes\n",
		       cc.config_size, WD_CHECK_MAX_CONFIG_SIZE);
		return -E2BIG;
	}
	/* kmalloc: physically contiguous, the hypervisor reads it by address */
	desc = kmalloc(max_t(u32, cc.config_size, 1), GFP_KERNEL);
	if (!desc)
		return -ENOMEM;
	if (copy_from_user(desc, u64_to_user_ptr(cc.config_address), cc.config_size)) {
		kfree(desc);
		return -EFAULT;
	}
	err = wd_check_cell(desc, cc.config_size, &res);
	if (err) {
		pr_err("%s\n", res.msg);
		kfree(desc);
		return err;
	}
	err = wd_check_cell_stream_ids(desc);	/* iommu.c */
	if (err) {
		kfree(desc);
		return err;
	}
	if (wd_cell_find(WD_CELL_ID_BY_NAME, desc->name)) {
		pr_err("cell '%.32s' already exists\n", desc->name);
		kfree(desc);
		return -EEXIST;
	}
	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL) ||
	    !zalloc_cpumask_var(&offlined, GFP_KERNEL)) {
		free_cpumask_var(cpus);
		kfree(desc);
		return -ENOMEM;
	}
	err = wd_check_cell_cpus(desc, cpus);
	if (err)
		goto out_free;
	err = wd_pci_take(desc, &pci, &num_pci);	/* pci.c */
	if (err)
		goto out_free;

	for_each_cpu(cpu, cpus) {
		if (!cpu_online(cpu))
			continue;
		err = remove_cpu(cpu);
		if (err) {
			pr_err("cell '%.32s': cannot take CPU %u offline (%d)\n",
			       desc->name, cpu, err);
			goto out_online;
		}
		cpumask_set_cpu(cpu, offlined);
	}

	mark = wd_reason_mark();
	id = wd_hypercall(WD_HC_CELL_CREATE, virt_to_phys(desc), 0);
	if (id < 0) {
		wd_refused(mark, WD_HC_CELL_CREATE, id, "cell '%.32s'", desc->name);
		err = id;
		goto out_online;
	}
	err = wd_cell_add(id, desc->name, cpus);
	if (err) {
		pr_err("cell '%.32s': sysfs entry failed (%d); destroying it again\n",
		       desc->name, err);
		wd_hypercall(WD_HC_CELL_DESTROY, id, 0);
		goto out_online;
	}
	cell = wd_cell_find(id, NULL);
	cell->config = desc;
	cell->config_size = cc.config_size;
	cpumask_copy(&cell->offlined, offlined);
	cell->pci = pci;
	cell->num_pci = num_pci;
	cpumask_andnot(&wd_cell_root()->cpus, &wd_cell_root()->cpus, cpus);
	pr_info("created cell '%.32s' (id %ld) on CPUs %*pbl\n", desc->name, id,
		cpumask_pr_args(cpus));
	free_cpumask_var(cpus);
	free_cpumask_var(offlined);
	/* Like Jailhouse's: 0, not the id (sysfs cells/<id>/ names it). */
	return 0;

out_online:
	wd_cpus_online(offlined);
	wd_pci_give_back(desc->name, pci, num_pci);
out_free:
	free_cpumask_var(cpus);
	free_cpumask_var(offlined);
	kfree(desc);
	return err;
}

static struct wd_cell *wd_cell_lookup(const struct wd_cell_id *cid)
{
	char name[WD_CELL_NAME_LEN + 1];
	struct wd_cell *cell;

	memcpy(name, cid->name, WD_CELL_NAME_LEN);
	name[WD_CELL_NAME_LEN] = 0;
	cell = wd_cell_find(cid->id, name);
	if (!cell) {
		if (cid->id == WD_CELL_ID_BY_NAME)
			pr_err("no cell named '%s'\n", name);
		else
			pr_err("no cell with id %d\n", cid->id);
		return NULL;
	}
	if (cell->id == 0) {
		pr_err("the root cell cannot be loaded, started or destroyed\n");
		return ERR_PTR(-EINVAL);
	}
	return cell;
}

static struct wd_cell *wd_cell_from_user(const void __user *arg, struct wd_cell_id *cid)
{
	if (copy_from_user(cid, arg, sizeof(*cid)))
		return ERR_PTR(-EFAULT);
	return wd_cell_lookup(cid) ?: ERR_PTR(-ENOENT);
}

/* Physical address for a cell-virtual load target, or 0 if not loadable. */
static phys_addr_t wd_load_target(const struct wd_cell *cell, u64 target, u64 size)
{
	const struct wd_cell_desc *desc = cell->config;
	const struct wd_mem_region *mem = wd_cell_mem_regions(desc);
	unsigned int n;

	for (n = 0; n < desc->num_memory_regions; n++, mem++) {
		if ((mem->flags & (WD_MEM_LOADABLE | WD_MEM_WRITE)) !=
		    (WD_MEM_LOADABLE | WD_MEM_WRITE))
			continue;
		if (target >= mem->virt_start &&
		    target - mem->virt_start < mem->size &&
		    size <= mem->size - (target - mem->virt_start))
			return mem->phys_start + (target - mem->virt_start);
	}
	return 0;
}

int wd_cmd_cell_load(const void __user *arg)
{
	struct wd_preload_image *images;
	struct wd_cell_load load;
	struct wd_cell *cell;
	phys_addr_t *phys;
	unsigned int n;
	u32 mark;
	long ret;
	int err;

	err = wd_need_enabled();
	if (err)
		return err;
	if (copy_from_user(&load, arg, sizeof(load)))
		return -EFAULT;
	cell = wd_cell_lookup(&load.cell_id);
	if (IS_ERR_OR_NULL(cell))
		return cell ? PTR_ERR(cell) : -ENOENT;
	if (load.num_preload_images > WD_MAX_PRELOAD_IMAGES) {
		pr_err("cell '%s': %u images, at most %u\n", cell->name,
		       load.num_preload_images, WD_MAX_PRELOAD_IMAGES);
		return -E2BIG;
	}
	images = memdup_user((const u8 __user *)arg + sizeof(load),
			     load.num_preload_images * sizeof(*images));
	if (IS_ERR(images))
		return PTR_ERR(images);
	phys = kcalloc(load.num_preload_images + 1, sizeof(*phys), GFP_KERNEL);
	if (!phys) {
		kfree(images);
		return -ENOMEM;
	}
	/* Check every image before the cell is stopped. */
	for (n = 0; n < load.num_preload_images; n++) {
		phys[n] = images[n].size ?
			wd_load_target(cell, images[n].target_address, images[n].size) : 0;
		if (!phys[n]) {
			pr_err("cell '%s': image #%u (0x%llx bytes at 0x%llx) is empty or not inside a writable loadable region\n",
			       cell->name, n, images[n].size, images[n].target_address);
			err = images[n].size ? -ERANGE : -EINVAL;
			goto out;
		}
	}
	mark = wd_reason_mark();
	ret = wd_hypercall(WD_HC_CELL_SET_LOADABLE, cell->id, 0);
	if (ret < 0) {
		wd_refused(mark, WD_HC_CELL_SET_LOADABLE, ret, "cell '%s'", cell->name);
		err = ret;
		goto out;
	}
	for (n = 0; n < load.num_preload_images; n++) {
		void *dst = memremap(phys[n], images[n].size, MEMREMAP_WB);

		if (!dst) {
			pr_err("cell '%s': cannot map image #%u target 0x%llx\n",
			       cell->name, n, (u64)phys[n]);
			err = -ENOMEM;
			goto out;
		}
		if (copy_from_user(dst, u64_to_user_ptr(images[n].source_address),
				   images[n].size))
			err = -EFAULT;
		/* The cell starts with its MMU and caches off. */
		wd_dcache_clean_inval_poc(dst, images[n].size);
		memunmap(dst);
		if (err)
			goto out;
	}
	if (load.num_preload_images)
		pr_info("cell '%s': %u image(s) loaded\n", cell->name,
			load.num_preload_images);
	else
		pr_info("cell '%s': shut down\n", cell->name);
out:
	kfree(phys);
	kfree(images);
	return err;
}

int wd_cmd_cell_start(const void __user *arg)
{
	struct wd_cell_id cid;
	struct wd_cell *cell;
	u32 mark;
	long ret;
	int err;

	err = wd_need_enabled();
	if (err)
		return err;
	cell = wd_cell_from_user(arg, &cid);
	if (IS_ERR(cell))
		return PTR_ERR(cell);
	mark = wd_reason_mark();
	ret = wd_hypercall(WD_HC_CELL_START, cell->id, 0);
	if (ret < 0) {
		wd_refused(mark, WD_HC_CELL_START, ret, "cell '%s'", cell->name);
		return ret;
	}
	pr_info("cell '%s': started\n", cell->name);
	return 0;
}

static int wd_cell_destroy(struct wd_cell *cell)
{
	u32 mark;
	long ret;

	/*
	 * DMA the cell left running must stop before its stream ids are the
	 * root's again.
	 */
	wd_pci_dma(cell->pci, cell->num_pci, false);
	mark = wd_reason_mark();
	ret = wd_hypercall(WD_HC_CELL_DESTROY, cell->id, 0);
	if (ret < 0) {
		wd_refused(mark, WD_HC_CELL_DESTROY, ret, "cell '%s'", cell->name);
		wd_pci_dma(cell->pci, cell->num_pci, true);
		return ret;
	}
	cpumask_or(&wd_cell_root()->cpus, &wd_cell_root()->cpus, &cell->cpus);
	pr_info("cell '%s': destroyed\n", cell->name);
	wd_cpus_online(&cell->offlined);
	wd_pci_give_back(cell->name, cell->pci, cell->num_pci);
	cell->pci = NULL;
	cell->num_pci = 0;
	wd_cell_remove(cell);
	return 0;
}

int wd_cmd_cell_destroy(const void __user *arg)
{
	struct wd_cell_id cid;
	struct wd_cell *cell;
	int err;

	err = wd_need_enabled();
	if (err)
		return err;
	cell = wd_cell_from_user(arg, &cid);
	if (IS_ERR(cell))
		return PTR_ERR(cell);
	return wd_cell_destroy(cell);
}

void wd_cell_destroy_all(void)
{
	struct wd_cell *cell;
	bool again = true;

	while (again) {
		again = false;
		for (unsigned int id = 1; id < 256 && !again; id++) {
			cell = wd_cell_find(id, NULL);
			if (cell && !wd_cell_destroy(cell))
				again = true;
		}
	}
}
