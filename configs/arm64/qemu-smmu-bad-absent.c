/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Always refused by 'warden enable': qemu-smmu.c with its SMMUv3 unit at
 * 0x09070000, where the board has none. The driver finds no such unit in the
 * device tree (the hypervisor must not probe it: a read where no device
 * answers is an external abort).
 */
#define QEMU_SMMU_BASE	0x09070000	/* nothing there */
#define QEMU_SMMU_NAME	"qemu-smmu-absent"
#include "qemu-smmu.c"
