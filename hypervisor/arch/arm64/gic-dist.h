/*
 * What the GICv2 and GICv3 distributor emulations share (gic-dist.c): the
 * walk of a table of the architecture's register ranges, the width and
 * alignment check, the per-interrupt field registers (enables, pending,
 * active, priority, trigger mode, ...) of the interrupts a caller owns, and
 * the reset of an SPI that changes owner. The register offsets of those
 * arrays are the same on both GICs; each driver keeps its own table and
 * handles the registers only it has (gicv3-dist.c: SETSPI, IROUTER;
 * gicv2-dist.c: ITARGETSR, SGIR) through its gic_dist.special. Internal to
 * the gicv2-* and gicv3-* files and their host tests.
 */
#ifndef GIC_DIST_H
#define GIC_DIST_H

#include <wd/types.h>
#include <wd/mmio.h>
#include <wd/spinlock.h>

struct cell;

/* Offsets both distributors have (IHI 0048B table 4-1, IHI 0069 table 12-25). */
#define GIC_DIST_TYPER		0x0004
#define GIC_DIST_IGROUPR	0x0080
#define GIC_DIST_ISENABLER	0x0100
#define GIC_DIST_ICENABLER	0x0180
#define GIC_DIST_ICPENDR	0x0280
#define GIC_DIST_ISACTIVER	0x0300
#define GIC_DIST_ICACTIVER	0x0380
#define GIC_DIST_IPRIORITYR	0x0400
#define GIC_DIST_ICFGR		0x0c00
#define GIC_DIST_IGRPMODR	0x0d00	/* GICv3 only */
#define GIC_DEFAULT_PRIORITY	0xa0
/* INTID 1020 and above: special (or, from 8192, LPIs) */
#define GIC_MAX_IRQS		1020

/*
 * What a register may be accessed with: natural alignment always, and a set
 * of sizes (bit n = 2^n bytes). The GIC architecture allows 32-bit accesses
 * to every register, bytes in addition for the byte-per-interrupt arrays
 * (IPRIORITYR, ITARGETSR, C/SPENDSGIR), and 64-bit accesses (or 32-bit
 * halves) to the 64-bit registers.
 */
#define W32			(1U << 2)
#define W8_32			((1U << 0) | (1U << 2))
#define W32_64			((1U << 2) | (1U << 3))

static inline bool gic_width_ok(const struct mmio_access *acc, unsigned int widths)
{
	return (widths & acc->size) && IS_ALIGNED(acc->address, acc->size);
}

/* What the emulation does with a register range. */
enum gic_kind {
	GIC_GLOBAL,	/* read the hardware; writes ignored (the GIC's own setup) */
	GIC_RAZWI,	/* read as zero, writes ignored */
	GIC_SETCLR,	/* one bit per interrupt, write-1-to-set/clear */
	GIC_RDONLY,	/* one bit per interrupt, readable, not changeable (group) */
	GIC_FIELD,	/* a field per interrupt, read-modify-write of the caller's */
	GIC_SPECIAL,	/* this and above: the driver's own (gic_dist.special) */
};

struct gic_range {
	u16 start, end;		/* [start, end); end 0: the end of a 64 KiB map */
	u8 widths;
	u8 kind;
	u8 bits;		/* GIC_SETCLR/RDONLY/FIELD: bits per interrupt */
	u8 field;		/* GIC_FIELD: the writable bits of each field */
};

/* One distributor as the emulation of an access sees it. */
struct gic_dist {
	const struct gic_range *map;	/* every register, sorted */
	unsigned int map_len;
	u8 *base;			/* the hypervisor's mapping */
	unsigned int num_irqs;
	/* SGIs and PPIs whose fields the caller sees and changes (GICv2: banked) */
	u32 private_ok;
	enum mmio_result (*special)(struct cell *cell, struct mmio_access *acc,
				    const struct gic_range *r);
};

/* The row of @map (@len rows, sorted) that holds offset @off, or NULL. */
const struct gic_range *gic_range_find(const struct gic_range *map,
				       unsigned int len, u64 off);

/*
 * A guest's access at offset @off of d->base to a per-interrupt register of
 * the GIC_SETCLR, GIC_RDONLY or GIC_FIELD row @r (width checked): the
 * caller's fields alone are read or changed. Also the redistributors'
 * SGI/PPI registers (gicv3-redist.c: their SGI_base page as @d).
 */
enum mmio_result gic_field_access(struct cell *cell, struct mmio_access *acc,
				  u64 off, const struct gic_range *r,
				  const struct gic_dist *d);

/*
 * A guest's access to the distributor @d (an offset in acc->address):
 * checked against the table, then emulated. Offsets that are no register:
 * a cell is stopped, the root reads zero and its writes are ignored.
 */
enum mmio_result gic_dist_access(struct cell *cell, struct mmio_access *acc,
				 const struct gic_dist *d);

/*
 * Serialises every read-modify-write of a GIC register Warden does on behalf
 * of a guest (merging foreign fields back in, combining IROUTER halves) and
 * the reset of an interrupt changing owner.
 */
extern spinlock_t dist_lock;

/*
 * A guest's write of @value to a per-interrupt register: set/clear registers
 * take the permitted bits alone (zeros do nothing), the others merge them
 * into the register under dist_lock.
 */
void gic_write_permitted(volatile void *reg, unsigned int size, u64 value,
			 u64 wmask, bool set_clear);

/*
 * Map the distributor of the system configuration (@size bytes) at *@base,
 * read how many interrupts it has (at most GIC_MAX_IRQS) into *@num_irqs
 * and check the maintenance interrupt (*@maint): a PPI.
 */
int gic_dist_probe(u64 size, u8 **base, unsigned int *num_irqs,
		   unsigned int *maint);

/*
 * This CPU's SGI and PPI registers at @regs (a GICv2 distributor, which
 * banks them; a GICv3 redistributor's SGI_base page: the same offsets)
 * when the hypervisor takes the CPU over (@enter) or gives it back: the
 * event SGI and the maintenance PPI @maint enabled, or the latter disabled.
 */
void gic_private_setup(u8 *regs, unsigned int maint, bool enter);

/* Disable SPI @irq of the distributor at @base (which has @num_irqs). */
void gic_spi_disable(u8 *base, unsigned int num_irqs, unsigned int irq);

/*
 * SPI @irq of the distributor at @base changes owner (dist_lock held; the
 * caller routes it afterwards): disabled, neither pending nor active, the
 * default priority; GICv3 (@v3): non-secure group 1 too. The trigger mode is
 * the root's: saved when the SPI leaves the root, restored when it comes
 * back.
 */
void gic_spi_reset(u8 *base, unsigned int irq, const struct cell *owner, bool v3);

#endif
