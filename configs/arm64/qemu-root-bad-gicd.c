/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden enable' (tests/qemu/42-platform-mismatch.sh):
 * qemu-arm64.c with the GIC distributor (gicd_base and the irqchips) at
 * 0x08010000, 64 KiB past the board's (0x08000000, as its device tree
 * says): the driver names the distributor the device tree has.
 */
#define QEMU_ROOT_NAME		"qemu-root-bad-gicd"
#define QEMU_ROOT_GICD		0x08010000
#include "qemu-arm64.c"
