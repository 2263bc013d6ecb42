/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bare-metal cell with MSIs (issue 17, "MSIs for cells"): peer 2 of the
 * root's ivshmem demo link 0001:00:00.0 (in place of qemu-ivshmem-demo2, on
 * its RAM, 128 KiB), on CPUs 2 and 3, with the device's MSI-X table (BAR 1) instead of
 * INTx. On the board with the GICv3 ITS (qemu-run --its, root configuration
 * qemu-arm64-its) the cell gets a virtual ITS at 0x08080000, and the MSI-X
 * vectors that name its GITS_TRANSLATER arrive as virtual LPIs
 * (inmates/demos/vits-demo.c, tests/qemu/65-vits.sh).
 */
#define DEMO_NAME	"vits-demo"
#define DEMO_CPU	2
#define DEMO_CPUS	(3U << 2)
#define DEMO_RAM	0x7f700000
#define DEMO_RAM_SIZE	0x20000		/* the image, its queue and LPI tables */
#define DEMO_ID		2
#define DEMO_IRQ_BASE	120
#define DEMO_MSIX	2
#include "qemu-ivshmem-demo.h"
