/*
 * The distributor emulation both GICs share (see gic-dist.h): one walk of
 * the register table, one width check, one path for the per-interrupt
 * field registers of the interrupts a caller owns, one reset of an SPI
 * changing owner. Every access is checked for its width and natural
 * alignment before any register is touched: an access the architecture
 * does not allow would otherwise be repeated at EL2 on a Device mapping and
 * fault there.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <asm/irqchip.h>
#include "gic-dist.h"

spinlock_t dist_lock;

/*
 * Trigger configuration (ICFGR edge bit) of each SPI as the root had it when
 * the SPI was handed to a cell, put back when it returns: Linux keeps its own
 * idea of level/edge and does not program it again.
 */
static u32 saved_edge[MAX_IRQS / 32];
static u32 saved_valid[MAX_IRQS / 32];

const struct gic_range *gic_range_find(const struct gic_range *map,
				       unsigned int len, u64 off)
{
	const struct gic_range *r;

	for (r = map; r < map + len; r++) {
		if (off < r->start)
			break;
		if (off < (r->end ? r->end : 0x10000U))
			return r;
	}
	return NULL;
}

/*
 * Bits of a per-interrupt register of @num fields from interrupt @first that
 * the caller may see (@field: the whole field) or change (@field: the
 * writable bits): SGIs and PPIs those of d->private_ok, SPIs those it owns.
 */
static u64 owned_mask(const struct gic_dist *d, const struct cell *cell,
		      unsigned int first, unsigned int num, unsigned int bits,
		      u64 field)
{
	u64 mask = 0;
	unsigned int n;

	for (n = 0; n < num; n++) {
		unsigned int irq = first + n;

		if (irq < 32 ? (d->private_ok >> irq) & 1 :
		    irq < d->num_irqs && cell_owns_irq(cell, irq))
			mask |= field << (n * bits);
	}
	return mask;
}

void gic_write_permitted(volatile void *reg, unsigned int size, u64 value,
			 u64 wmask, bool set_clear)
{
	if (!(value & wmask) && (set_clear || !wmask))
		return;
	if (set_clear) {
		/* Zeros have no effect on set/clear registers: no merging needed. */
		mmio_write(reg, size, value & wmask);
		return;
	}
	spin_lock(&dist_lock);
	mmio_write(reg, size, (mmio_read(reg, size) & ~wmask) | (value & wmask));
	spin_unlock(&dist_lock);
}

enum mmio_result gic_field_access(struct cell *cell, struct mmio_access *acc,
				  u64 off, const struct gic_range *r,
				  const struct gic_dist *d)
{
	/* IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER: 0x80 bytes each, alike. */
	u64 base = r->kind == GIC_SETCLR ? ALIGN_DOWN(off, 0x80) : r->start;
	unsigned int first = (off - base) * 8 / r->bits;
	unsigned int num = acc->size * 8 / r->bits;
	volatile void *reg = d->base + off;
	u64 wmask;

	if (!acc->is_write) {
		acc->value = mmio_read(reg, acc->size) &
			     owned_mask(d, cell, first, num, r->bits,
					(1ULL << r->bits) - 1);
		return MMIO_HANDLED;
	}
	if (r->kind == GIC_RDONLY)
		return MMIO_HANDLED;
	wmask = owned_mask(d, cell, first, num, r->bits,
			   r->kind == GIC_FIELD ? r->field : 1);
	/*
	 * An SGI's or PPI's trigger mode is the device's (the timers are
	 * level): a cell that changed one would leave it so for the CPU's next
	 * owner. The root keeps setting up its own. (ICFGR is word-only: the
	 * first two words hold SGIs and PPIs alone. A GICv3 distributor gives
	 * no caller these fields; its redistributors' ICFGR0/1 sit at the same
	 * offset of their SGI_base page.)
	 */
	if (r->start == GIC_DIST_ICFGR && first < 32 && cell != &root_cell)
		wmask = 0;
	gic_write_permitted(reg, acc->size, acc->value, wmask, r->kind == GIC_SETCLR);
	return MMIO_HANDLED;
}

enum mmio_result gic_dist_access(struct cell *cell, struct mmio_access *acc,
				 const struct gic_dist *d)
{
	const struct gic_range *r = gic_range_find(d->map, d->map_len, acc->address);

	if (!r) {
		/* Not a register of the architecture's map: the allow-list ends here. */
		if (cell != &root_cell)
			return MMIO_ERROR;
		goto razwi;
	}
	if (!gic_width_ok(acc, r->widths))
		return MMIO_ERROR;
	switch (r->kind) {
	case GIC_GLOBAL:
		/*
		 * Reads of the global words pass through (CTLR, TYPER, IIDR,
		 * TYPER2, the ID registers); writes are ignored, the
		 * distributor's global setup is the hypervisor's. GICD_TYPER
		 * is the view of the reading CPU's owner (LPIs only with a
		 * vITS; always the physical word on a GICv2, whose gicd_xor
		 * stays 0), as on the fast path (gicv3-fast.c), which answers
		 * most 32-bit loads of the first words before they get here.
		 */
		if (!acc->is_write) {
			acc->value = mmio_read(d->base + acc->address, acc->size);
			if (acc->address == GIC_DIST_TYPER)
				acc->value ^= this_cpu()->arch.gicd_xor[GIC_DIST_TYPER / 4];
		}
		return MMIO_HANDLED;
	case GIC_RAZWI:
		goto razwi;
	case GIC_SETCLR:
	case GIC_RDONLY:
	case GIC_FIELD:
		return gic_field_access(cell, acc, acc->address, r, d);
	default:
		return d->special(cell, acc, r);
	}
razwi:
	if (!acc->is_write)
		acc->value = 0;
	return MMIO_HANDLED;
}

int gic_dist_probe(u64 size, u8 **base, unsigned int *num_irqs,
		   unsigned int *maint)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	int err = arch_map_device(arm->gicd_base, size, (void **)base);

	if (err)
		return err;
	*num_irqs = 32 * ((mmio_read(*base + GIC_DIST_TYPER, 4) & 0x1f) + 1);
	if (*num_irqs > GIC_MAX_IRQS)
		*num_irqs = GIC_MAX_IRQS;
	*maint = arm->maintenance_irq;
	if (*maint < 16 || *maint >= 32)
		return refuse(-EINVAL, WD_REASON_IRQ, *maint, 0,
			      "maintenance interrupt %u is not a PPI", *maint);
	return 0;
}

void gic_spi_disable(u8 *base, unsigned int num_irqs, unsigned int irq)
{
	if (irq >= 32 && irq < num_irqs)
		mmio_write(base + GIC_DIST_ICENABLER + irq / 32 * 4, 4,
			   1U << (irq % 32));
}

/* Out of line: inlined, each of its six callers had a copy. */
__attribute__((noinline))
void gic_private_setup(u8 *regs, unsigned int maint, bool enter)
{
	if (enter) {
		/*
		 * Linux entered through an IPI it acknowledged and dropped the
		 * priority of, but deactivates it only now, through the virtual
		 * interface: deactivate the SGIs physically.
		 */
		mmio_write(regs + GIC_DIST_ICACTIVER, 4,
			   mmio_read(regs + GIC_DIST_ISACTIVER, 4) & 0xffff);
		mmio_write(regs + GIC_DIST_ISENABLER, 4,
			   (1U << SGI_EVENT) | (1U << maint));
	} else {
		mmio_write(regs + GIC_DIST_ICENABLER, 4, 1U << maint);
	}
}

/* Wait (bounded: the GIC may be broken, EL2 must go on) until a disable took effect. */
static void wait_rwp(u8 *base)
{
	unsigned int n;

	for (n = 0; n < 1000000; n++)
		if (!(mmio_read(base, 4) & (1U << 31)))	/* GICD_CTLR.RWP */
			return;
}

void gic_spi_reset(u8 *base, unsigned int irq, const struct cell *owner, bool v3)
{
	unsigned int word = irq / 32 * 4, cfg_shift = irq % 16 * 2 + 1;
	volatile void *cfg = base + GIC_DIST_ICFGR + irq / 16 * 4;
	u32 bit = 1U << (irq % 32), v;

	mmio_write(base + GIC_DIST_ICENABLER + word, 4, bit);
	if (v3)
		wait_rwp(base);
	mmio_write(base + GIC_DIST_ICPENDR + word, 4, bit);
	mmio_write(base + GIC_DIST_ICACTIVER + word, 4, bit);
	if (v3) {
		mmio_write(base + GIC_DIST_IGROUPR + word, 4,
			   mmio_read(base + GIC_DIST_IGROUPR + word, 4) | bit);
		mmio_write(base + GIC_DIST_IGRPMODR + word, 4,
			   mmio_read(base + GIC_DIST_IGRPMODR + word, 4) & ~bit);
	}
	mmio_write(base + GIC_DIST_IPRIORITYR + irq, 1, GIC_DEFAULT_PRIORITY);
	v = mmio_read(cfg, 4);
	if (owner != &root_cell) {
		if (v & (1U << cfg_shift))
			saved_edge[irq / 32] |= bit;
		else
			saved_edge[irq / 32] &= ~bit;
		saved_valid[irq / 32] |= bit;
	} else if (saved_valid[irq / 32] & bit) {
		v &= ~(1U << cfg_shift);
		if (saved_edge[irq / 32] & bit)
			v |= 1U << cfg_shift;
		mmio_write(cfg, 4, v);
		saved_valid[irq / 32] &= ~bit;
	}
}
