/*
 * DMA isolation with Arm SMMUv3 units: every stream of a device gets the
 * stage-2 tables (and VMID) of the cell that owns it, so a device can reach
 * exactly the memory its owner can. Implementation: arch/arm64/smmuv3.c.
 */
#ifndef ASM_SMMUV3_H
#define ASM_SMMUV3_H

#include <wd/types.h>

struct iommu_ops;

struct cell;
struct wd_cell_desc;

/*
 * Enable, boot CPU, before the root cell exists: find the system
 * configuration's SMMUv3 units, refuse what cannot be isolated (a unit Linux
 * already uses, no stage 2, registers mapped into the root), allocate the
 * tables. Nothing is switched on yet.
 */
int smmu_init(void);
/* The root cell's stage-2 exists: give it its streams and switch the units on. */
void smmu_root_attach(struct cell *root);
/* Before a cell is created: its stream ids must be the root's now (-EBUSY). */
int smmu_cell_check(const struct wd_cell_desc *c);
/* Move the cell's streams to it / back to the root cell. */
void smmu_cell_attach(struct cell *cell);
void smmu_cell_detach(struct cell *cell);
/* The cell's stage-2 changed: drop what the units cached for its VMID. */
void smmu_tlb_flush(const struct cell *cell);
/* Read and log the event queues and global errors of every unit. */
void smmu_poll(void);
/* DMA faults recorded for the cell with id @id since it was created. */
long smmu_cell_faults(unsigned long id);
/* Disable or failed enable: give the units back as Linux left them. */
void smmu_shutdown(void);

/*
 * smmuv3-id.c: why ID registers read at a unit's address cannot be an
 * SMMUv3's (nothing there, or another device), or NULL when they can.
 */
const char *smmuv3_id_implausible(u32 idr0, u32 idr1, u32 aidr);
/* probe.S: a read that returns -EIO instead of faulting (global set-up only). */
int probe_read32(const volatile u32 *addr, u32 *val);

/* The above as the core's IOMMU interface (wd/iommu.h). */
unsigned int smmu_cell_abort(struct cell *cell);
int smmu_stream_return(u32 sid);
extern const struct iommu_ops smmuv3_iommu_ops;

/* VTCR_EL2 of every cell: the stream table entries use the same stage-2 format. */
u64 vtcr_value(void);

#endif
