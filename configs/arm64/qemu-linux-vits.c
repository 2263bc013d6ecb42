/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-linux-demo.c with MSI-X on its ivshmem-net device (00:01.0, table in
 * BAR 1): on the board with the GICv3 ITS (root configuration
 * qemu-arm64-its) the cell has a virtual ITS, "warden cell linux" describes
 * it, and ivshmem-net takes its interrupt as an MSI-X vector, a virtual LPI
 * (tests/qemu/67-vits-linux.sh). Same cell name and resources.
 */
#define LINUX_DEMO_MSIX
#include "qemu-linux-demo.c"
