// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/devices/warden/: the global files (enabled, pool figures, console) and
 * the cells/ directory that cell.c fills; /sys/devices/jailhouse/ shows the
 * same under Jailhouse's name (without Warden's own root_stage2/).
 *
 * Pool figures are live values from the hypervisor (HYPERVISOR_GET_INFO, in
 * pages); while Warden is disabled they read 0.
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#include <warden/hypercall.h>

#include "warden.h"

static struct device *wd_root_dev;
struct kobject *wd_cells_kobj;

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", wd_enabled());
}
static DEVICE_ATTR_RO(enabled);

static ssize_t wd_info_show(char *buf, unsigned int type)
{
	long val = wd_hypercall_if_active(WD_HC_HYPERVISOR_GET_INFO, type, 0);

	if (val == -ENODEV)	/* disabled */
		val = 0;
	if (val < 0)
		return val;
	return sysfs_emit(buf, "%ld\n", val);
}

#define WD_INFO_ATTR(name, type)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return wd_info_show(buf, type);					\
}									\
static DEVICE_ATTR_RO(name)

WD_INFO_ATTR(mem_pool_size, WD_INFO_MEM_POOL_SIZE);
WD_INFO_ATTR(mem_pool_used, WD_INFO_MEM_POOL_USED);
WD_INFO_ATTR(remap_pool_size, WD_INFO_REMAP_POOL_SIZE);
WD_INFO_ATTR(remap_pool_used, WD_INFO_REMAP_POOL_USED);

/*
 * root_stage2/: bytes of the root cell's RAM mapped by 1 GiB blocks, 2 MiB
 * blocks and 4 KiB pages (how much of Linux's memory pays for page-granular
 * second-stage walks). The hypervisor walks the tables that cell create and
 * destroy rewrite, so these reads take wd_lock, unlike the other files: they
 * live on the root device, which is only removed at module exit, outside
 * wd_lock, so no remover can wait on a reader that waits on wd_lock.
 */
static ssize_t wd_stage2_show(char *buf, unsigned int type)
{
	ssize_t ret;

	if (mutex_lock_interruptible(&wd_lock))
		return -EINTR;
	ret = wd_info_show(buf, type);
	mutex_unlock(&wd_lock);
	return ret;
}

#define WD_STAGE2_ATTR(name, type)					\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return wd_stage2_show(buf, type);				\
}									\
static DEVICE_ATTR_RO(name)

WD_STAGE2_ATTR(ram_1g_bytes, WD_INFO_ROOT_STAGE2_RAM_1G);
WD_STAGE2_ATTR(ram_2m_bytes, WD_INFO_ROOT_STAGE2_RAM_2M);
WD_STAGE2_ATTR(ram_4k_bytes, WD_INFO_ROOT_STAGE2_RAM_4K);

static struct attribute *wd_stage2_attrs[] = {
	&dev_attr_ram_1g_bytes.attr,
	&dev_attr_ram_2m_bytes.attr,
	&dev_attr_ram_4k_bytes.attr,
	NULL
};

static const struct attribute_group wd_stage2_group = {
	.name = "root_stage2",
	.attrs = wd_stage2_attrs,
};

/*
 * "console" is larger than a page, so it is a binary file read in chunks.
 * A reader gets one consistent snapshot, taken at offset 0 (or when another
 * reader took the snapshot in between), sliced over its reads.
 */
static DEFINE_MUTEX(wd_console_read_lock);
static char *wd_console_buf;
static size_t wd_console_len;
static const struct file *wd_console_reader;

static ssize_t console_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	struct wd_console_ring *ring;
	ssize_t ret = 0;

	mutex_lock(&wd_console_read_lock);
	if (!wd_console_buf) {
		wd_console_buf = vmalloc(WD_CONSOLE_RING_SIZE);
		if (!wd_console_buf) {
			ret = -ENOMEM;
			goto out;
		}
	}
	if (off == 0 || wd_console_reader != file) {
		wd_dma_faults_poll();
		down_read(&wd_hv_sem);
		ring = wd_hv_active ? wd_console_ring() : NULL;
		if (ring)
			wd_console_len = wd_console_snapshot(ring, wd_console_buf,
							     WD_CONSOLE_RING_SIZE);
		up_read(&wd_hv_sem);
		if (!ring)
			wd_console_len = wd_console_read_saved(wd_console_buf,
							       WD_CONSOLE_RING_SIZE);
		wd_console_reader = file;
	}
	if (off < wd_console_len) {
		ret = min_t(size_t, count, wd_console_len - off);
		memcpy(buf, wd_console_buf + off, ret);
	}
out:
	mutex_unlock(&wd_console_read_lock);
	return ret;
}
static BIN_ATTR_RO(console, 0);

static struct attribute *wd_attrs[] = {
	&dev_attr_enabled.attr,
	&dev_attr_mem_pool_size.attr,
	&dev_attr_mem_pool_used.attr,
	&dev_attr_remap_pool_size.attr,
	&dev_attr_remap_pool_used.attr,
	NULL
};

static struct bin_attribute *wd_bin_attrs[] = {
	&bin_attr_console,
	&bin_attr_system_config,	/* sysfs-config.c */
	NULL
};

static const struct attribute_group wd_attr_group = {
	.attrs = wd_attrs,
	.bin_attrs = wd_bin_attrs,
};

/*
 * /sys/devices/jailhouse/: Jailhouse's name for the same files. Its global
 * files are the same attributes on a second root device; its cells/ is a
 * link to /sys/devices/warden/cells, so every cell directory exists once.
 */
static struct device *wd_jh_dev;

static int wd_sysfs_jailhouse_init(void)
{
	int err;

	wd_jh_dev = root_device_register("jailhouse");
	if (IS_ERR(wd_jh_dev)) {
		err = PTR_ERR(wd_jh_dev);
		wd_jh_dev = NULL;
		pr_err("cannot create /sys/devices/jailhouse (error %d); is jailhouse.ko loaded?\n",
		       err);
		return err;
	}
	err = sysfs_create_group(&wd_jh_dev->kobj, &wd_attr_group);
	if (err)
		goto out_unregister;
	err = sysfs_create_link(&wd_jh_dev->kobj, wd_cells_kobj, "cells");
	if (err)
		goto out_remove_group;
	return 0;

out_remove_group:
	sysfs_remove_group(&wd_jh_dev->kobj, &wd_attr_group);
out_unregister:
	root_device_unregister(wd_jh_dev);
	wd_jh_dev = NULL;
	pr_err("cannot create the sysfs files under /sys/devices/jailhouse (error %d)\n", err);
	return err;
}

static void wd_sysfs_jailhouse_exit(void)
{
	if (!wd_jh_dev)
		return;
	sysfs_remove_link(&wd_jh_dev->kobj, "cells");
	sysfs_remove_group(&wd_jh_dev->kobj, &wd_attr_group);
	root_device_unregister(wd_jh_dev);
	wd_jh_dev = NULL;
}

int wd_sysfs_init(void)
{
	int err;

	wd_root_dev = root_device_register("warden");
	if (IS_ERR(wd_root_dev)) {
		err = PTR_ERR(wd_root_dev);
		pr_err("cannot create /sys/devices/warden (error %d)\n", err);
		return err;
	}
	err = sysfs_create_group(&wd_root_dev->kobj, &wd_attr_group);
	if (err)
		goto out_unregister;
	err = sysfs_create_group(&wd_root_dev->kobj, &wd_stage2_group);
	if (err)
		goto out_remove_group;
	wd_cells_kobj = kobject_create_and_add("cells", &wd_root_dev->kobj);
	if (!wd_cells_kobj) {
		err = -ENOMEM;
		goto out_remove_stage2;
	}
	err = wd_sysfs_jailhouse_init();
	if (err)
		goto out_put_cells;
	return 0;

out_put_cells:
	kobject_put(wd_cells_kobj);
out_remove_stage2:
	sysfs_remove_group(&wd_root_dev->kobj, &wd_stage2_group);
out_remove_group:
	sysfs_remove_group(&wd_root_dev->kobj, &wd_attr_group);
out_unregister:
	root_device_unregister(wd_root_dev);
	pr_err("cannot create the sysfs files under /sys/devices/warden (error %d)\n", err);
	return err;
}

void wd_sysfs_exit(void)
{
	wd_sysfs_jailhouse_exit();
	kobject_put(wd_cells_kobj);
	sysfs_remove_group(&wd_root_dev->kobj, &wd_stage2_group);
	sysfs_remove_group(&wd_root_dev->kobj, &wd_attr_group);
	root_device_unregister(wd_root_dev);
	vfree(wd_console_buf);
	wd_console_buf = NULL;
}
