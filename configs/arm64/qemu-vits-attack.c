/* SPDX-License-Identifier: GPL-2.0 */
/*
 * qemu-vits-demo.c on CPU 3 alone: the cell that attacks its virtual ITS
 * (vits-demo.bin with "attack", tests/qemu/65-vits.sh) while
 * qemu-ivshmem-demo1 runs on CPU 2 and the root on CPUs 0-1.
 */
#define DEMO_NAME	"vits-attack"
#define DEMO_CPU	3
#define DEMO_RAM	0x7f700000
#define DEMO_RAM_SIZE	0x20000
#define DEMO_ID		2
#define DEMO_IRQ_BASE	120
#define DEMO_MSIX	2
#include "qemu-ivshmem-demo.h"
