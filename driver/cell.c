// SPDX-License-Identifier: GPL-2.0
/*
 * Cell bookkeeping and each cell's sysfs directory cells/<id>/:
 *   name, state, cpus_assigned(_list), cpus_failed(_list),
 *   statistics/ (sums over the cell's CPUs) and statistics/cpu<n>/.
 * So far only the root cell (id 0) exists; it is created by enable and removed
 * by disable. The list is protected by wd_lock. sysfs readers do not walk it:
 * each file reaches its cell through its kobject, and a cell is freed only
 * after its directories are gone.
 */
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <warden/hypercall.h>
#include <warden/ioctl.h>

#include "warden.h"

static LIST_HEAD(wd_cells);

/* ---- statistics/ and statistics/cpu<n>/ ---- */

#define WD_STATS_SUM	(-1)

struct wd_stats_kobj {
	struct kobject kobj;
	struct wd_cell *cell;
	int cpu;			/* WD_STATS_SUM: the whole cell */
};

struct wd_stat_attr {
	struct kobj_attribute attr;
	unsigned int index;		/* WD_CPU_STAT_* */
};

static long wd_cpu_stat(unsigned int cpu, unsigned int index)
{
	return wd_hypercall_if_active(WD_HC_CPU_GET_INFO, cpu,
				      WD_CPU_INFO_STAT_BASE + index);
}

static ssize_t wd_stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct wd_stats_kobj *s = container_of(kobj, struct wd_stats_kobj, kobj);
	unsigned int index = container_of(attr, struct wd_stat_attr, attr)->index;
	unsigned long long sum = 0;
	unsigned int cpu;
	long val;

	if (s->cpu != WD_STATS_SUM) {
		val = wd_cpu_stat(s->cpu, index);
		if (val < 0)
			return val;
		return sysfs_emit(buf, "%ld\n", val);
	}
	for_each_cpu(cpu, &s->cell->cpus) {
		val = wd_cpu_stat(cpu, index);
		if (val < 0)
			return val;
		sum += val;
	}
	return sysfs_emit(buf, "%llu\n", sum);
}

#define WD_STAT_ATTR(_name, _index)					\
static struct wd_stat_attr wd_stat_##_name = {				\
	.attr = __ATTR(_name, 0444, wd_stat_show, NULL),		\
	.index = _index,						\
}

WD_STAT_ATTR(vmexits_total, WD_CPU_STAT_VMEXITS_TOTAL);
WD_STAT_ATTR(vmexits_mmio, WD_CPU_STAT_VMEXITS_MMIO);
WD_STAT_ATTR(vmexits_management, WD_CPU_STAT_VMEXITS_MANAGEMENT);
WD_STAT_ATTR(vmexits_hypercall, WD_CPU_STAT_VMEXITS_HYPERCALL);
WD_STAT_ATTR(vmexits_maintenance, WD_CPU_STAT_VMEXITS_MAINTENANCE);
WD_STAT_ATTR(vmexits_virt_irq, WD_CPU_STAT_VMEXITS_VIRQ);
WD_STAT_ATTR(vmexits_virt_sgi, WD_CPU_STAT_VMEXITS_VSGI);
WD_STAT_ATTR(vmexits_psci, WD_CPU_STAT_VMEXITS_PSCI);
WD_STAT_ATTR(vmexits_smccc, WD_CPU_STAT_VMEXITS_SMCCC);

static struct attribute *wd_stat_attrs[] = {
	&wd_stat_vmexits_total.attr.attr,
	&wd_stat_vmexits_mmio.attr.attr,
	&wd_stat_vmexits_management.attr.attr,
	&wd_stat_vmexits_hypercall.attr.attr,
	&wd_stat_vmexits_maintenance.attr.attr,
	&wd_stat_vmexits_virt_irq.attr.attr,
	&wd_stat_vmexits_virt_sgi.attr.attr,
	&wd_stat_vmexits_psci.attr.attr,
	&wd_stat_vmexits_smccc.attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(wd_stat);

static void wd_stats_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct wd_stats_kobj, kobj));
}

static struct kobj_type wd_stats_ktype = {
	.release = wd_stats_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = wd_stat_groups,
};

static struct kobject *wd_stats_add(struct wd_cell *cell, struct kobject *parent,
				    int cpu)
{
	struct wd_stats_kobj *s;
	int err;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->cell = cell;
	s->cpu = cpu;
	if (cpu == WD_STATS_SUM)
		err = kobject_init_and_add(&s->kobj, &wd_stats_ktype, parent, "statistics");
	else
		err = kobject_init_and_add(&s->kobj, &wd_stats_ktype, parent, "cpu%d", cpu);
	if (err) {
		kobject_put(&s->kobj);
		return NULL;
	}
	return &s->kobj;
}

/* Remove a directory now (waits for running readers), free it when unused. */
static void wd_kobj_remove(struct kobject *kobj)
{
	if (!kobj)
		return;
	kobject_del(kobj);
	kobject_put(kobj);
}

/* ---- cells/<id>/ ---- */

static struct wd_cell *wd_kobj_cell(struct kobject *kobj)
{
	return container_of(kobj, struct wd_cell, kobj);
}

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", wd_kobj_cell(kobj)->name);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	static const char * const names[] = {
		[WD_CELL_RUNNING] = "running",
		[WD_CELL_RUNNING_LOCKED] = "running/locked",
		[WD_CELL_SHUT_DOWN] = "shut down",
		[WD_CELL_FAILED] = "failed",
		[WD_CELL_FAILED_COMM_REV] = "Comm ABI mismatch",
	};
	long state = wd_hypercall_if_active(WD_HC_CELL_GET_STATE,
					    wd_kobj_cell(kobj)->id, 0);

	if (state < 0)
		return state;
	if (state >= ARRAY_SIZE(names))
		return sysfs_emit(buf, "invalid\n");	/* Jailhouse's word */
	return sysfs_emit(buf, "%s\n", names[state]);
}

static ssize_t cpus_assigned_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%*pb\n", cpumask_pr_args(&wd_kobj_cell(kobj)->cpus));
}

static ssize_t cpus_assigned_list_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(&wd_kobj_cell(kobj)->cpus));
}

/* The cell's CPUs the hypervisor reports as failed. */
static int wd_cell_failed_cpus(struct wd_cell *cell, struct cpumask *failed)
{
	unsigned int cpu;
	long state;

	cpumask_clear(failed);
	for_each_cpu(cpu, &cell->cpus) {
		state = wd_hypercall_if_active(WD_HC_CPU_GET_INFO, cpu,
					       WD_CPU_INFO_STATE);
		if (state < 0)
			return state;
		if (state == WD_CPU_FAILED)
			cpumask_set_cpu(cpu, failed);
	}
	return 0;
}

static ssize_t wd_cpus_failed_show(struct kobject *kobj, char *buf, bool list)
{
	cpumask_var_t failed;
	ssize_t ret;

	if (!zalloc_cpumask_var(&failed, GFP_KERNEL))
		return -ENOMEM;
	ret = wd_cell_failed_cpus(wd_kobj_cell(kobj), failed);
	if (!ret)
		ret = sysfs_emit(buf, list ? "%*pbl\n" : "%*pb\n",
				 cpumask_pr_args(failed));
	free_cpumask_var(failed);
	return ret;
}

static ssize_t cpus_failed_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return wd_cpus_failed_show(kobj, buf, false);
}

static ssize_t cpus_failed_list_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return wd_cpus_failed_show(kobj, buf, true);
}

static struct kobj_attribute wd_cell_attr_name = __ATTR_RO(name);
static struct kobj_attribute wd_cell_attr_state = __ATTR_RO(state);
static struct kobj_attribute wd_cell_attr_cpus_assigned = __ATTR_RO(cpus_assigned);
static struct kobj_attribute wd_cell_attr_cpus_assigned_list = __ATTR_RO(cpus_assigned_list);
static struct kobj_attribute wd_cell_attr_cpus_failed = __ATTR_RO(cpus_failed);
static struct kobj_attribute wd_cell_attr_cpus_failed_list = __ATTR_RO(cpus_failed_list);

static struct attribute *wd_cell_attrs[] = {
	&wd_cell_attr_name.attr,
	&wd_cell_attr_state.attr,
	&wd_cell_attr_cpus_assigned.attr,
	&wd_cell_attr_cpus_assigned_list.attr,
	&wd_cell_attr_cpus_failed.attr,
	&wd_cell_attr_cpus_failed_list.attr,
	&wd_cell_attr_dma_faults.attr,		/* iommu.c */
	&wd_cell_attr_ivshmem.attr,		/* ivshmem-links.c */
	NULL
};
ATTRIBUTE_GROUPS(wd_cell);

static void wd_cell_release(struct kobject *kobj)
{
	struct wd_cell *cell = wd_kobj_cell(kobj);

	kfree(cell->config);
	kfree(cell);
}

static struct kobj_type wd_cell_ktype = {
	.release = wd_cell_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = wd_cell_groups,
};

void wd_cell_remove(struct wd_cell *cell)
{
	unsigned int cpu;

	list_del(&cell->entry);
	for (cpu = 0; cpu < WD_FW_MAX_CPUS; cpu++)
		wd_kobj_remove(cell->cpu_stats[cpu]);
	wd_kobj_remove(cell->stats);
	wd_kobj_remove(&cell->kobj);	/* frees the cell */
}

/* Create cell @id with its sysfs directory; wd_lock held. */
int wd_cell_add(unsigned int id, const char *name, const struct cpumask *cpus)
{
	struct wd_cell *cell;
	unsigned int cpu;
	int err;

	cell = kzalloc(sizeof(*cell), GFP_KERNEL);
	if (!cell)
		return -ENOMEM;
	cell->id = id;
	strscpy(cell->name, name, sizeof(cell->name));
	cpumask_copy(&cell->cpus, cpus);
	INIT_LIST_HEAD(&cell->entry);

	err = kobject_init_and_add(&cell->kobj, &wd_cell_ktype, wd_cells_kobj, "%u", id);
	if (err) {
		kobject_put(&cell->kobj);
		return err;
	}
	list_add_tail(&cell->entry, &wd_cells);

	cell->stats = wd_stats_add(cell, &cell->kobj, WD_STATS_SUM);
	if (!cell->stats) {
		err = -ENOMEM;
		goto out_remove;
	}
	for_each_cpu(cpu, cpus) {
		if (cpu >= WD_FW_MAX_CPUS)
			break;
		cell->cpu_stats[cpu] = wd_stats_add(cell, cell->stats, cpu);
		if (!cell->cpu_stats[cpu]) {
			err = -ENOMEM;
			goto out_remove;
		}
	}
	kobject_uevent(&cell->kobj, KOBJ_ADD);
	return 0;

out_remove:
	wd_cell_remove(cell);
	return err;
}

int wd_cell_create_root(const struct wd_system_config *config)
{
	const struct wd_cell_desc *desc = &config->root_cell;
	cpumask_var_t cpus;
	unsigned int cpu;
	int err;

	if (!zalloc_cpumask_var(&cpus, GFP_KERNEL))
		return -ENOMEM;
	for (cpu = 0; cpu < nr_cpu_ids && cpu < desc->cpu_set_size * 8; cpu++)
		if (wd_cell_has_cpu(desc, cpu))
			cpumask_set_cpu(cpu, cpus);
	err = wd_cell_add(0, desc->name, cpus);
	free_cpumask_var(cpus);
	return err;
}

struct wd_cell *wd_cell_root(void)
{
	struct wd_cell *cell;

	list_for_each_entry(cell, &wd_cells, entry)
		if (cell->id == 0)
			return cell;
	return NULL;
}

int wd_cell_count_nonroot(void)
{
	struct wd_cell *cell;
	int n = 0;

	list_for_each_entry(cell, &wd_cells, entry)
		if (cell->id != 0)
			n++;
	return n;
}

void wd_cell_delete_all(void)
{
	struct wd_cell *cell, *tmp;

	list_for_each_entry_safe(cell, tmp, &wd_cells, entry)
		wd_cell_remove(cell);
}

/* Look a cell up by id, or by name when id is WD_CELL_ID_BY_NAME. */
struct wd_cell *wd_cell_find(int id, const char *name)
{
	struct wd_cell *cell;

	list_for_each_entry(cell, &wd_cells, entry) {
		if (id == WD_CELL_ID_BY_NAME ?
		    strncmp(cell->name, name, WD_CELL_NAME_LEN) == 0 :
		    (int)cell->id == id)
			return cell;
	}
	return NULL;
}
