/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden enable' (tests/qemu/41-root-checks.sh): qemu-arm64.c
 * without the PL031 RTC at 0x09010000, whose Linux driver (rtc-pl031) is
 * bound: the driver names the device, its driver and its registers.
 */
#define QEMU_ROOT_NAME		"qemu-root-no-rtc"
#define QEMU_ROOT_NO_RTC
#include "qemu-arm64.c"
