/* SPDX-License-Identifier: GPL-2.0 */
/* Peer 1 of the root's ivshmem demo link: CPU 2, RAM 0x7f600000, SPI 148. */
#define DEMO_NAME	"ivshmem-demo1"
#define DEMO_CPU	2
#define DEMO_RAM	0x7f600000
#define DEMO_ID		1
#define DEMO_IRQ_BASE	116
#include "qemu-ivshmem-demo.h"
