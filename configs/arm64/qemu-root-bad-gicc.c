/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden enable' (tests/qemu/42-platform-mismatch.sh, on
 * scripts/qemu-run --gic 2): qemu-arm64-gicv2.c with the GICv2 CPU
 * interface at 0x08020000 instead of the board's 0x08010000: the driver
 * names the CPU interface the device tree has.
 */
#define QEMU_GICV2_NAME		"qemu-root-bad-gicc"
#define QEMU_GICV2_GICC		0x08020000
#include "qemu-arm64-gicv2.c"
