/*
 * A cell's DMA view: what its devices reach through the SMMU, which need
 * not be what its CPUs reach. The physical ITS's translation page is in a
 * cell's DMA view only (its devices' MSIs must reach the doorbell; its CPUs
 * writing there could send any device's MSIs).
 */
#ifndef ASM_DMA_VIEW_H
#define ASM_DMA_VIEW_H

#include <wd/types.h>

struct cell;

/*
 * Map the physical 4 KiB page @phys, read/write device memory, into @cell's
 * SMMU stage 2 only (never its CPUs'); *@ipa: the address its devices use
 * for it. Idempotent. 0, or an error (-ENODEV: no DMA view for the cell).
 */
int dma_view_map_page(struct cell *cell, u64 phys, u64 *ipa);

#endif
