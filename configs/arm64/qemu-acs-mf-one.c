/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden cell create' (tests/qemu/42-platform-mismatch.sh):
 * function 0 of the two-function virtio-rng device 05:00.0/05:00.1 behind
 * root port 00:02.0; function 1 stays the root's. With the root port's ACS
 * off the port is named; with it on, the function the root keeps (the
 * functions have no ACS of their own).
 */
#define ACS_CELL_NAME	"acs-mf-one"
#define ACS_BDF		0x500
#include "qemu-acs-switch.c"
