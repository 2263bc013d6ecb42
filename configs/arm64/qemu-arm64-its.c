/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-arm64.c for the board with its GICv3 ITS (scripts/qemu-run --its, or
 * any --device): the ITS at 0x08080000 is the root's, as Linux uses it for
 * its PCI devices' MSIs. Without it, enable is refused on that board (the
 * ITS Linux uses is not in the root configuration). No SMMU: the control of
 * tests/qemu/95-smmu.sh.
 */
#define QEMU_ROOT_NAME		"qemu-arm64-its"
#define QEMU_ROOT_EXTRA_REGION	IDENTITY(0x08080000, 0x20000, MEM_DEV)	/* GICv3 ITS */
#include "qemu-arm64.c"
