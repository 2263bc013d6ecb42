/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden cell create' (tests/qemu/95-smmu.sh): dma-demo's
 * configuration for the root's edu on bus 0 (00:01.0, stream id 0x8, BAR0
 * at 0x10000000), which has no reset method there (no function-level or
 * power-management reset, no port to reset its bus): DMA it queued could
 * outlive the cell, so the driver refuses it naming the device.
 */
#define DMA_CELL_NAME	"dma-noreset"
#define DMA_BDF		0x08		/* edu, 00:01.0 */
#define DMA_BAR		0x10000000
#include "qemu-smmu-dma.c"
