/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden enable' (tests/qemu/41-root-checks.sh): qemu-arm64.c
 * giving the root only 0x40000000-0x5fffffff as RAM while Linux (mem=768M)
 * uses up to 0x6fffffff: the driver names the range.
 */
#define QEMU_ROOT_NAME		"qemu-root-short-ram"
#define QEMU_ROOT_LINUX_RAM	0x20000000
#include "qemu-arm64.c"
