// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/devices/warden/system_config: the running hypervisor's system
 * configuration, byte for byte as "warden enable" gave it (empty while
 * disabled). "warden cell linux" reads the virtual PCI host (ECAM base, bus
 * range, domain) from it for the device tree it generates for a cell; the
 * root's own device tree does not describe that host.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "warden.h"

static ssize_t system_config_read(struct file *file, struct kobject *kobj,
				  struct bin_attribute *attr, char *buf, loff_t off,
				  size_t count)
{
	const struct wd_system_config *config;
	ssize_t ret = 0;
	u64 size;

	if (mutex_lock_interruptible(&wd_lock))
		return -EINTR;
	config = wd_system_config();
	if (config) {
		size = wd_system_config_size(config);
		if (off >= 0 && (u64)off < size) {
			ret = min_t(u64, count, size - off);
			memcpy(buf, (const u8 *)config + off, ret);
		}
	}
	mutex_unlock(&wd_lock);
	return ret;
}
BIN_ATTR_RO(system_config, 0);
