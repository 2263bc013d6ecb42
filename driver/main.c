// SPDX-License-Identifier: GPL-2.0
/*
 * warden.ko: loads the Warden partitioning hypervisor under the running Linux
 * and manages it through /dev/warden (Jailhouse-compatible ioctls) and
 * /sys/devices/warden/, also known by Jailhouse's names /dev/jailhouse and
 * /sys/devices/jailhouse/.
 *
 * This file: module init/exit, the misc devices and their ioctl dispatch, and
 * the reboot notifier that hands the machine back to Linux before a reboot.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include <warden/ioctl.h>

#include "warden.h"

DEFINE_MUTEX(wd_lock);
struct device *wd_misc_dev;

static long wd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long err;

	/*
	 * The device node's mode is not enough: every ioctl hands CPUs, memory
	 * or devices around, so the caller needs CAP_SYS_ADMIN itself.
	 */
	if (!capable(CAP_SYS_ADMIN)) {
		pr_warn_ratelimited("ioctl 0x%x from %s (pid %d) refused: it needs CAP_SYS_ADMIN\n",
				    cmd, current->comm, task_pid_nr(current));
		return -EPERM;
	}
	if (mutex_lock_interruptible(&wd_lock))
		return -EINTR;

	switch (cmd) {
	case WARDEN_ENABLE:
		err = wd_enable(uarg);
		break;
	case WARDEN_DISABLE:
		err = wd_disable();
		break;
	case WARDEN_CELL_CREATE:
		err = wd_cmd_cell_create(uarg);
		break;
	case WARDEN_CELL_LOAD:
		err = wd_cmd_cell_load(uarg);
		break;
	case WARDEN_CELL_START:
		err = wd_cmd_cell_start(uarg);
		break;
	case WARDEN_CELL_DESTROY:
		err = wd_cmd_cell_destroy(uarg);
		break;
	default:
		err = -ENOTTY;
		break;
	}

	mutex_unlock(&wd_lock);
	return err;
}

static const struct file_operations wd_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = wd_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice wd_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "warden",
	.fops = &wd_fops,
};

/*
 * The same device under Jailhouse's name, for Jailhouse's tool and scripts:
 * /dev/jailhouse. A second misc device with the same operations (an alias
 * node would need udev rules; this works on any kernel with devtmpfs).
 */
static struct miscdevice wd_misc_jailhouse = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "jailhouse",
	.fops = &wd_fops,
};

/* Linux's reboot/poweroff code cannot run under a hypervisor that stays. */
static int wd_reboot(struct notifier_block *nb, unsigned long action, void *data)
{
	mutex_lock(&wd_lock);
	if (wd_enabled()) {
		pr_info("disabling before %s\n",
			action == SYS_RESTART ? "reboot" :
			action == SYS_POWER_OFF ? "power-off" : "halt");
		/* Disable refuses while cells exist: tear them down first. */
		wd_cell_destroy_all();
		wd_disable();
	}
	mutex_unlock(&wd_lock);
	return NOTIFY_DONE;
}

static struct notifier_block wd_reboot_nb = {
	.notifier_call = wd_reboot,
};

static int __init wd_init(void)
{
	int err;

	err = wd_sysfs_init();
	if (err)
		return err;

	err = register_reboot_notifier(&wd_reboot_nb);
	if (err)
		goto out_sysfs;

	/* Last: from here on ioctls can arrive. */
	err = misc_register(&wd_misc);
	if (err) {
		pr_err("cannot register /dev/warden (error %d)\n", err);
		goto out_reboot;
	}
	wd_misc_dev = wd_misc.this_device;
	err = misc_register(&wd_misc_jailhouse);
	if (err) {
		pr_err("cannot register /dev/jailhouse (error %d); is jailhouse.ko loaded?\n",
		       err);
		goto out_misc;
	}
	return 0;

out_misc:
	misc_deregister(&wd_misc);
out_reboot:
	unregister_reboot_notifier(&wd_reboot_nb);
out_sysfs:
	wd_sysfs_exit();
	return err;
}

static void __exit wd_exit(void)
{
	/*
	 * Enable holds a module reference, so this cannot run while Warden is
	 * enabled; should it ever, leaving would strand the hypervisor.
	 */
	mutex_lock(&wd_lock);
	if (wd_enabled()) {
		pr_err("unloading while enabled; disabling first\n");
		wd_cell_destroy_all();
		wd_disable();
	}
	mutex_unlock(&wd_lock);

	misc_deregister(&wd_misc_jailhouse);
	misc_deregister(&wd_misc);
	unregister_reboot_notifier(&wd_reboot_nb);
	wd_sysfs_exit();
	wd_console_free_saved();
	wd_firmware_free();
}

module_init(wd_init);
module_exit(wd_exit);

MODULE_DESCRIPTION("Warden partitioning hypervisor driver");
MODULE_LICENSE("GPL");
