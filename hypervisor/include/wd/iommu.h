/*
 * The IOMMU interface: what the core and the arch's cell hooks ask of the
 * units that confine devices' DMA (the SMMUv3 today, arch/arm64/smmuv3*.c).
 * A driver for another kind of unit (an SMMUv2/MMU-500) fills in a struct
 * iommu_ops; nothing in the core changes. Implementation of the dispatch:
 * core/iommu.c.
 *
 * A stream id has one of three owners: the root cell, another cell, or
 * nobody ("held"). Held streams abort every transaction: a destroyed cell's
 * streams are held from before its memory is scrubbed until the root's
 * driver has reset the device and asks for them (WD_HC_STREAM_RETURN).
 */
#ifndef WD_IOMMU_H
#define WD_IOMMU_H

#include <wd/types.h>

struct cell;
struct wd_cell_desc;

struct iommu_ops {
	const char *name;
	/* Probe the units of the system configuration (refusals with a reason). */
	int (*init)(void);
	/* Give the units back as Linux left them (disable, failed enable). */
	void (*shutdown)(void);
	/* The root's stage 2 exists: its streams translate with it, units on. */
	void (*root_attach)(struct cell *root);
	/* Before a cell is created: may it have the streams it lists? */
	int (*cell_check)(const struct wd_cell_desc *config);
	/* The cell's streams translate with its stage 2 / go back to the root. */
	void (*cell_attach)(struct cell *cell);
	void (*cell_detach)(struct cell *cell);
	/*
	 * The cell's streams abort (and are held) from when this returns: the
	 * units' caches invalidated and synchronised. Returns how many.
	 */
	unsigned int (*cell_abort)(struct cell *cell);
	/* A held stream id translates with the root's stage 2 again. */
	int (*stream_return)(u32 sid);
	/* The cell's stage 2 changed: the units' TLB entries of its VMID go. */
	void (*tlb_flush)(const struct cell *cell);
	/*
	 * The cell's devices translate with dma_view_root(cell) from now on
	 * (a DMA view was created): the streams it owns are re-pointed without
	 * a moment of abort, the units' caches invalidated and synchronised.
	 */
	void (*cell_dma_root)(struct cell *cell);
	/* Report and count the faults recorded so far. */
	void (*poll)(void);
	/* Faults counted for the cell with id @id since its creation. */
	long (*cell_faults)(unsigned long id);
};

/* The arch chooses the ops (NULL: no IOMMU support) and probes the units. */
int iommu_init(const struct iommu_ops *ops);
void iommu_shutdown(void);
void iommu_root_attach(struct cell *root);
int iommu_cell_check(const struct wd_cell_desc *config);
void iommu_cell_attach(struct cell *cell);
void iommu_cell_detach(struct cell *cell);
unsigned int iommu_cell_abort(struct cell *cell);
int iommu_stream_return(u32 sid);
void iommu_tlb_flush(const struct cell *cell);
void iommu_cell_dma_root(struct cell *cell);
void iommu_poll(void);
long iommu_cell_faults(unsigned long id);

#endif
