/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden cell create' (tests/qemu/95-smmu.sh): dma-demo's edu
 * (01:00.0, whose stream id through the device tree's iommu-map is 0x100)
 * with stream id 0x200, virtio-rng's: the driver names edu and the stream
 * id it really uses.
 */
#define DMA_CELL_NAME	"dma-wrong-sid"
#define DMA_BDF		0x100
#define DMA_BAR		0x10100000
#define DMA_SID		0x200
#include "qemu-smmu-dma.c"
