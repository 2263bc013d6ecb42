/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden enable' (tests/qemu/42-platform-mismatch.sh):
 * qemu-arm64.c with the GIC redistributors at 0x080c0000 instead of the
 * board's 0x080a0000 (one frame off): the driver names the redistributors
 * the device tree has.
 */
#define QEMU_ROOT_NAME		"qemu-root-bad-gicr"
#define QEMU_ROOT_GICR		0x080c0000
#include "qemu-arm64.c"
