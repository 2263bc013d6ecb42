/*
 * Shared by cell-msi.c (routes: management and the cell's MSI-X writes) and
 * cell-msi-deliver.c (a pLPI at EL2). Two files so that the interrupt path
 * the GIC driver calls reaches nothing of the management side (the file
 * call graph keeps the GIC drivers out of any circle with the core:
 * tests/tools/layering.sh).
 */
#ifndef CELL_MSI_PRIV_H
#define CELL_MSI_PRIV_H

#include <wd/types.h>
#include "gicv3-its-priv.h"

struct cell;
struct msi_dev;

struct msi_slot {
	struct cell *owner;		/* delivered to only while set */
	u32 inflight;			/* IRQ paths past reading the owner */
	u32 event;			/* the cell's data for its entry */
	u16 vbdf;
	u16 entry;
	bool used;
	unsigned int cpu;
	struct msi_dev *dev;
	u64 prop;			/* the property byte's physical address */
	u64 delivered, dropped;
};

/* One per kept pLPI, indexed from lpi_base(). */
extern struct msi_slot slots[ITS_CELL_LPIS];

static inline struct its *cell_its(void)
{
	struct its *its = &its_units[0];

	/* Linux left it disabled (it stays so): no MSIs for anybody. */
	return num_its && its->hw_enabled && its->lim.cell_lpis == ITS_CELL_LPIS &&
	       its->lim.cell_icids ? its : NULL;
}

static inline u32 lpi_base(const struct its *its)
{
	return (1U << its->lim.lpi_bits) - its->lim.cell_lpis;
}

#endif
