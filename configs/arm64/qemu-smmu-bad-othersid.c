/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden cell create' (tests/qemu/95-smmu.sh): dma-demo with
 * its own stream id 0x100 and also 0x200, the stream of virtio-rng
 * (02:00.0), which the cell does not get: the driver names virtio-rng.
 */
#define DMA_CELL_NAME	"dma-other-sid"
#define DMA_BDF		0x100
#define DMA_BAR		0x10100000
#define DMA_EXTRA_SID	0x200
#include "qemu-smmu-dma.c"
