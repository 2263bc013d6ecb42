/*
 * Placeholder for the cells' DMA views (asm/dma-view.h) until the SMMU code
 * provides them: no cell has one, so no physical MSI route can name a
 * doorbell its device reaches (cell-msi.c then leaves the entry masked).
 * Dropped when the SMMU's dma_view_map_page() is built in.
 */
#include <asm/dma-view.h>
#include <wd/errno.h>

int dma_view_map_page(struct cell *cell, u64 phys, u64 *ipa)
{
	return -ENODEV;
}
