/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/qemu/42-platform-mismatch.sh: both functions of the virtio-rng
 * device 05:00.0/05:00.1 behind root port 00:02.0. Refused while the root
 * port's ACS is off (two functions below it: the device is not alone),
 * created once the port has ACS source validation, redirects and upstream
 * forwarding on.
 */
#define ACS_CELL_NAME	"acs-mf-both"
#define ACS_BDF		0x500
#define ACS_BDF2	0x501
#include "qemu-acs-switch.c"
