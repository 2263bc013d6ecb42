/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Root cell for tests/qemu/42-platform-mismatch.sh's PCIe topology:
 * qemu-smmu.c with the stream ids of the functions behind its ports:
 *
 *   00:01.0 root port - 01:00.0 switch upstream port (x3130-upstream)
 *     02:00.0 downstream port (xio3130-downstream, no ACS) - 03:00.0 edu
 *     02:01.0 downstream port (xio3130-downstream, no ACS) - 04:00.0 edu
 *   00:02.0 root port (ACS capability, off) - 05:00.0 and 05:00.1: one
 *     multifunction device of two virtio-rng functions (no ACS)
 *
 * The cells asking for them are qemu-acs-*.c.
 */
#define QEMU_SMMU_NAME		"qemu-smmu-acs"
#define QEMU_SMMU_MORE_SIDS	{ 0x300 }, { 0x400 }, { 0x500 }, { 0x501 }
#define QEMU_SMMU_NUM_MORE_SIDS	4
#include "qemu-smmu.c"
