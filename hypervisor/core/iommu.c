/*
 * Dispatch of the IOMMU interface (wd/iommu.h) to the units' driver the
 * arch chose at enable. Without one, nothing confines DMA and there is
 * nothing to do: a cell listing stream ids is refused by the driver's
 * absence (iommu_cell_check).
 */
#include <wd/cell.h>
#include <wd/errno.h>
#include <wd/iommu.h>
#include <wd/reason.h>

static const struct iommu_ops *iommu;

int iommu_init(const struct iommu_ops *ops)
{
	int err;

	iommu = ops;
	if (!iommu || !iommu->init)
		return 0;
	err = iommu->init();
	if (err)
		iommu = NULL;
	return err;
}

void iommu_shutdown(void)
{
	if (iommu && iommu->shutdown)
		iommu->shutdown();
	iommu = NULL;
}

void iommu_root_attach(struct cell *root)
{
	if (iommu && iommu->root_attach)
		iommu->root_attach(root);
}

int iommu_cell_check(const struct wd_cell_desc *config)
{
	if (iommu)
		return iommu->cell_check ? iommu->cell_check(config) : 0;
	if (config->num_stream_ids)
		return refuse(-ENODEV, WD_REASON_PLATFORM, wd_cell_stream_ids(config)[0].id, 0,
			      "cell '%s': %u stream id(s), but the system configuration has no IOMMU unit to isolate them",
			      config->name, config->num_stream_ids);
	return 0;
}

void iommu_cell_attach(struct cell *cell)
{
	if (iommu && iommu->cell_attach)
		iommu->cell_attach(cell);
}

void iommu_cell_detach(struct cell *cell)
{
	if (iommu && iommu->cell_detach)
		iommu->cell_detach(cell);
}

unsigned int iommu_cell_abort(struct cell *cell)
{
	if (iommu && iommu->cell_abort)
		return iommu->cell_abort(cell);
	return 0;
}

int iommu_stream_return(u32 sid)
{
	if (iommu && iommu->stream_return)
		return iommu->stream_return(sid);
	return refuse(-ENODEV, WD_REASON_PLATFORM, sid, 0,
		      "stream id 0x%x: there is no IOMMU", sid);
}

void iommu_tlb_flush(const struct cell *cell)
{
	if (iommu && iommu->tlb_flush)
		iommu->tlb_flush(cell);
}

void iommu_cell_dma_root(struct cell *cell)
{
	if (iommu && iommu->cell_dma_root)
		iommu->cell_dma_root(cell);
}

void iommu_poll(void)
{
	if (iommu && iommu->poll)
		iommu->poll();
}

long iommu_cell_faults(unsigned long id)
{
	if (iommu && iommu->cell_faults)
		return iommu->cell_faults(id);
	return cell_by_id((unsigned int)id) ? 0 : -ENOENT;
}
