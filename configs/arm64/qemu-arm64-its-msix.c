/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-arm64-its.c with MSI-X on the root's ivshmem devices (the MSI-X table
 * in BAR 1; the demo link with 4 vectors, 0 for state changes and ID + 1
 * for each peer's doorbells as Jailhouse's demos ring them, the network
 * link with one): on the board with the GICv3 ITS, warden.ko gives the root's virtual
 * PCI host the ITS's MSI domain at bus 0xff, and the hypervisor turns a
 * doorbell aimed at the root into the LPI Linux mapped for the vector
 * (arch/arm64/gicv3-its-virtdev.c; tests/qemu/68-root-msix.sh). Same name
 * and resources as qemu-arm64-its.
 */
#define QEMU_ROOT_IVSHMEM_MSIX
#include "qemu-arm64-its.c"
