/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vITS race (inmates/demos/vits-race.c, tests/qemu/65-vits-race.sh):
 * qemu-vits-demo.c on CPUs 1 and 2 instead of 2 and 3, so that another cell
 * (qemu-uart-demo, CPU 3) runs beside it and the root keeps CPU 0. Peer 2
 * of the root's ivshmem demo link 0001:00:00.0 with the MSI-X table (BAR 1):
 * on the board with the GICv3 ITS (root configuration qemu-arm64-its) the
 * cell gets a virtual ITS, and both its CPUs hammer it at once.
 */
#define DEMO_NAME	"vits-race"
#define DEMO_CPU	1
#define DEMO_CPUS	(3U << 1)
#define DEMO_RAM	0x7f700000
#define DEMO_RAM_SIZE	0x20000		/* the image, two queue pages, LPI tables */
#define DEMO_ID		2
#define DEMO_IRQ_BASE	120
#define DEMO_MSIX	2
#include "qemu-ivshmem-demo.h"
