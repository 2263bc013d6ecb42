/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ioctls on /dev/warden and /dev/jailhouse (Jailhouse compatible numbers and
 * argument layouts). Every one returns 0 on success and -1 with errno on
 * failure, as Jailhouse's do; CELL_CREATE does not return the new cell's id
 * (sysfs cells/<id>/ shows it).
 */
#ifndef WARDEN_IOCTL_H
#define WARDEN_IOCTL_H

#include "types.h"
#include "cell-config.h"

#if defined(__KERNEL__)
#include <linux/ioctl.h>
#elif !defined(__WARDEN_FREESTANDING__)
#include <sys/ioctl.h>
#endif

struct wd_cell_create {
	__u64 config_address;	/* user pointer to the cell configuration */
	__u32 config_size;
	__u32 padding;
} __packed;

struct wd_cell_id {
	__s32 id;		/* WD_CELL_ID_BY_NAME: look the cell up by name */
	__u32 padding;
	char name[WD_CELL_NAME_LEN];
} __packed;

#define WD_CELL_ID_BY_NAME		(-1)

struct wd_preload_image {
	__u64 source_address;	/* user pointer */
	__u64 size;
	__u64 target_address;	/* cell virtual address, in a WRITE|LOADABLE region */
	__u64 padding;
} __packed;

struct wd_cell_load {
	struct wd_cell_id cell_id;
	__u32 num_preload_images;
	__u32 padding;
	struct wd_preload_image image[];
} __packed;

WD_ASSERT_SIZE(struct wd_cell_create, 16);
WD_ASSERT_SIZE(struct wd_cell_id, 40);
WD_ASSERT_SIZE(struct wd_preload_image, 32);
WD_ASSERT_SIZE(struct wd_cell_load, 48);

#define WARDEN_ENABLE		_IOW(0, 0, void *)
#define WARDEN_DISABLE		_IO(0, 1)
#define WARDEN_CELL_CREATE	_IOW(0, 2, struct wd_cell_create)
#define WARDEN_CELL_LOAD	_IOW(0, 3, struct wd_cell_load)
#define WARDEN_CELL_START	_IOW(0, 4, struct wd_cell_id)
#define WARDEN_CELL_DESTROY	_IOW(0, 5, struct wd_cell_id)

#endif
