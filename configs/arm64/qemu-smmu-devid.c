/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Root cell for tests/qemu/66-its-cell-devid.sh's board: 96-cell-pci.sh's
 * (edu 00:01.0 and 01:00.0, virtio-rng 02:00.0 for the cell qemu-pci-rng)
 * plus a second virtio-rng-pci behind a third root port, 03:00.0, that stays
 * the root's: its MSIs show that the root's own device ids keep working
 * through the ITS while the cell's (0x200) is refused to the root. So:
 * qemu-smmu.c with the stream ids of buses 1, 2 and 3.
 */
#define QEMU_SMMU_NAME		"qemu-smmu-devid"
#define QEMU_SMMU_MORE_SIDS	{ 0x100 }, { 0x200 }, { 0x300 }
#define QEMU_SMMU_NUM_MORE_SIDS	3
#include "qemu-smmu.c"
