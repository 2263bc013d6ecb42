/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-arm64.c with 0x08120000-0x0813ffff mapped as I/O for the root
 * (tests/qemu/41-root-checks.sh). On QEMU's virt board with a GICv3 (4 CPUs,
 * 0x20000 per redistributor frame from 0x080a0000) that is past the last
 * frame: enable works. With gic-version=4 each frame is 0x40000 (VLPI_base
 * and a reserved page follow) and these addresses are CPU 2's frame: the
 * hypervisor, which reads the frames' size from GICR_TYPER, refuses enable.
 */
#define QEMU_ROOT_NAME		"qemu-gicv4-frames"
#define QEMU_ROOT_EXTRA_REGION	IDENTITY(0x08120000, 0x20000, MEM_DEV)
#include "qemu-arm64.c"
