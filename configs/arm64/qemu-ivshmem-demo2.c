/* SPDX-License-Identifier: GPL-2.0 */
/* Peer 2 of the root's ivshmem demo link: CPU 3, RAM 0x7f700000, SPI 152. */
#define DEMO_NAME	"ivshmem-demo2"
#define DEMO_CPU	3
#define DEMO_RAM	0x7f700000
#define DEMO_ID		2
#define DEMO_IRQ_BASE	120
#include "qemu-ivshmem-demo.h"
