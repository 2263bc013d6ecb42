/*
 * GICv3 distributor: discovery, the emulation of guest accesses, and the
 * reset of interrupts that change owner. Cells and the root never map the
 * distributor; every access traps and is checked against an allow-list of
 * the architecture's registers (table below): a caller sees and changes only
 * the fields of the SPIs it owns. The redistributors are in gicv3-redist.c.
 *
 * Every access is checked for its width and natural alignment before any
 * register is touched: an access the architecture does not allow would
 * otherwise be repeated at EL2 on a Device mapping and fault there.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <asm/vits.h>
#include "gicv3-regs.h"

u8 *gicd;
unsigned int gic_num_irqs;
unsigned int gic_maintenance_irq;
spinlock_t dist_lock;

/*
 * Trigger configuration (ICFGR edge bit) of each SPI as the root had it when
 * the SPI was handed to a cell, put back when it returns: Linux keeps its own
 * idea of level/edge and does not program it again.
 */
static u32 saved_edge[MAX_IRQS / 32];
static u32 saved_valid[MAX_IRQS / 32];

unsigned int gicv3_maintenance_irq(void)
{
	return gic_maintenance_irq;
}

int gicv3_init(void)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	int err;

	/* irqchip_init() chose this driver for gic_version 3 (others refused there). */
	err = arch_map_device(arm->gicd_base, GICD_SIZE, (void **)&gicd);
	if (err)
		return err;
	gic_num_irqs = 32 * ((mmio_read(gicd + GICD_TYPER, 4) & 0x1f) + 1);
	if (gic_num_irqs > GIC_MAX_SPI)
		gic_num_irqs = GIC_MAX_SPI;
	gic_maintenance_irq = arm->maintenance_irq;
	if (gic_maintenance_irq < 16 || gic_maintenance_irq >= 32)
		return refuse(-EINVAL, WD_REASON_IRQ, gic_maintenance_irq, 0,
			      "maintenance interrupt %u is not a PPI",
			      gic_maintenance_irq);
	return gicv3_redist_discover(arm->gicr_base);
}

bool gic_cell_has_mpidr(const struct cell *cell, u64 aff)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, cell)
		if (per_cpu(cpu)->initialized && per_cpu(cpu)->mpidr == aff)
			return true;
	return false;
}

/*
 * GICD_TYPER as the owner of @pc reads it, kept as its XOR with the
 * physical word (read-only: it does not change; asm/percpu.h), which the
 * fast path (gicv3-fast.c) and gicd_access apply alike. LPIs exist for a
 * cell only through its virtual ITS (asm/vits.h): without one (a cell with
 * no PCI device, a machine without an ITS) it reads LPIS 0 and IDbits for
 * INTIDs up to 1023, what a GIC without LPIs reports, so that no driver
 * looks for LPI tables that do nothing; with
 * one, LPIS 1 and the vLPI range the vITS serves (IDbits VITS_LPI_BITS - 1,
 * num_LPIs 0: "as IDbits says"), whatever the physical GIC's range. The root
 * reads the physical word: its LPIs are the physical ones (behind the
 * shadowed ITS, gicv3-its.c).
 */
void gicv3_dist_vcpu_owner(struct per_cpu *pc)
{
	u32 set = pc->cell->vits ?
		  GICD_TYPER_LPIS | (VITS_LPI_BITS - 1) << GICD_TYPER_IDBITS_SHIFT :
		  GICD_TYPER_IDBITS_SPIS << GICD_TYPER_IDBITS_SHIFT;

	/* The LPI fields as they are, XOR as they are to be read: they flip. */
	pc->arch.gicd_xor[GICD_TYPER / 4] = pc->cell == &root_cell ? 0 :
		((mmio_read(gicd + GICD_TYPER, 4) &
		  (GICD_TYPER_LPIS | GICD_TYPER_IDBITS | GICD_TYPER_NUM_LPIS)) ^ set);
}

/* What the distributor emulation does with a register range. */
enum gicd_kind {
	D_GLOBAL,	/* read the hardware; writes ignored (the GIC's own setup) */
	D_RAZWI,	/* read as zero, writes ignored */
	D_SETSPI,	/* SETSPI/CLRSPI_NSR: only for an SPI the caller owns */
	D_SETCLR,	/* one bit per SPI, write-1-to-set/clear */
	D_RDONLY,	/* one bit per SPI, readable, not changeable (group) */
	D_FIELD,	/* a field per SPI, read-modify-write of the owned ones */
	D_IROUTER,
	D_RESERVED,	/* no register: a cell is stopped, the root reads zero */
};

struct gicd_range {
	u16 start, end;		/* [start, end) */
	u8 widths;
	u8 kind;
	u8 bits;		/* D_SETCLR/D_RDONLY/D_FIELD: bits per interrupt */
	u8 field;		/* ... and the writable bits of each field */
};

/* Every register of the GICv3 distributor map, sorted. */
static const struct gicd_range gicd_map[] = {
	{ 0x0000, 0x0010, W32, D_GLOBAL, 0, 0 },	/* CTLR, TYPER, IIDR, TYPER2 */
	{ 0x0010, 0x0014, W32, D_RAZWI, 0, 0 },	/* STATUSR */
	{ 0x0040, 0x0044, W32, D_SETSPI, 0, 0 },	/* SETSPI_NSR */
	{ 0x0048, 0x004c, W32, D_SETSPI, 0, 0 },	/* CLRSPI_NSR */
	{ 0x0050, 0x0054, W32, D_RAZWI, 0, 0 },	/* SETSPI_SR (Secure) */
	{ 0x0058, 0x005c, W32, D_RAZWI, 0, 0 },	/* CLRSPI_SR (Secure) */
	{ 0x0080, 0x0100, W32, D_RDONLY, 1, 0 },	/* IGROUPR */
	{ 0x0100, 0x0400, W32, D_SETCLR, 1, 0 },	/* IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER */
	{ 0x0400, 0x0800, W8_32, D_FIELD, 8, 0xff },	/* IPRIORITYR */
	{ 0x0800, 0x0c00, W8_32, D_RAZWI, 0, 0 },	/* ITARGETSR (affinity routing) */
	{ 0x0c00, 0x0d00, W32, D_FIELD, 2, 2 },	/* ICFGR: bit 1 = edge */
	{ 0x0d00, 0x0d80, W32, D_RDONLY, 1, 0 },	/* IGRPMODR */
	{ 0x0e00, 0x0f00, W32, D_RAZWI, 0, 0 },	/* NSACR (Secure) */
	{ 0x0f00, 0x0f04, W32, D_RAZWI, 0, 0 },	/* SGIR (not with affinity routing) */
	{ 0x0f10, 0x0f30, W8_32, D_RAZWI, 0, 0 },	/* CPENDSGIR, SPENDSGIR */
	{ 0x0f80, 0x1000, W32, D_FIELD, 1, 1 },	/* INMIR */
	/* Extended SPI range: Warden hands out no extended SPIs. */
	{ 0x1000, 0x1080, W32, D_RAZWI, 0, 0 },	/* IGROUPR<n>E */
	{ 0x1200, 0x1e00, W32, D_RAZWI, 0, 0 },	/* IS/IC ENABLER/PENDR/ACTIVER<n>E */
	{ 0x2000, 0x2400, W8_32, D_RAZWI, 0, 0 },	/* IPRIORITYR<n>E */
	{ 0x3000, 0x3100, W32, D_RAZWI, 0, 0 },	/* ICFGR<n>E */
	{ 0x3400, 0x3480, W32, D_RAZWI, 0, 0 },	/* IGRPMODR<n>E */
	{ 0x3600, 0x3700, W32, D_RAZWI, 0, 0 },	/* NSACR<n>E */
	{ 0x3b00, 0x3b80, W32, D_RAZWI, 0, 0 },	/* INMIR<n>E */
	{ 0x6100, GICD_IROUTER_END, W32_64, D_IROUTER, 0, 0 },
	{ 0x8000, 0xa000, W32_64, D_RAZWI, 0, 0 },	/* IROUTER<n>E */
	{ 0xffd0, 0x0000, W32, D_GLOBAL, 0, 0 },	/* PIDR4-7, PIDR0-3, CIDR0-3 (end: 0x10000) */
};

static const struct gicd_range *gicd_lookup(u64 off)
{
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(gicd_map); n++) {
		const struct gicd_range *r = &gicd_map[n];
		u64 end = r->end ? r->end : GICD_SIZE;

		if (off < r->start)
			break;
		if (off < end)
			return r;
	}
	return NULL;
}

/* Bits of a per-interrupt register of @num fields from @first the caller owns. */
static u64 owned_mask(const struct cell *cell, unsigned int first,
		      unsigned int num, unsigned int bits, u64 field)
{
	u64 mask = 0;
	unsigned int n;

	for (n = 0; n < num; n++)
		if (first + n >= 32 && first + n < gic_num_irqs &&
		    cell_owns_irq(cell, first + n))
			mask |= field << (n * bits);
	return mask;
}

static enum mmio_result field_access(struct cell *cell, struct mmio_access *acc,
				     const struct gicd_range *r)
{
	/* IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER: 0x80 bytes each, alike. */
	u64 base = r->kind == D_SETCLR ? ALIGN_DOWN(acc->address, 0x80) : r->start;
	unsigned int first = (acc->address - base) * 8 / r->bits;
	unsigned int num = acc->size * 8 / r->bits;
	volatile void *reg = gicd + acc->address;
	u64 wmask;

	if (!acc->is_write) {
		acc->value = mmio_read(reg, acc->size) &
			     owned_mask(cell, first, num, r->bits,
					(1ULL << r->bits) - 1);
		return MMIO_HANDLED;
	}
	if (r->kind == D_RDONLY)
		return MMIO_HANDLED;
	wmask = owned_mask(cell, first, num, r->bits,
			   r->kind == D_FIELD ? r->field : 1);
	gic_write_permitted(reg, acc->size, acc->value, wmask, r->kind == D_SETCLR);
	return MMIO_HANDLED;
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

/*
 * IROUTER<n>: only to a CPU of the caller's cell, never 1-of-N. A 32-bit half
 * is combined with the other half and checked as a whole under the lock, so
 * two CPUs writing halves cannot assemble an unchecked route.
 */
static enum mmio_result irouter_access(struct cell *cell, struct mmio_access *acc)
{
	unsigned int irq = (acc->address - GICD_IROUTER) / 8;
	volatile void *full = gicd + ALIGN_DOWN(acc->address, 8);
	u64 route;
	bool ok;

	if (irq >= gic_num_irqs || !cell_owns_irq(cell, irq)) {
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}
	if (!acc->is_write) {
		acc->value = mmio_read(gicd + acc->address, acc->size);
		return MMIO_HANDLED;
	}
	spin_lock(&dist_lock);
	route = acc->value;
	if (acc->size == 4) {
		u64 old = mmio_read(full, 8);

		route = (acc->address & 4) ?
			(old & 0xffffffffULL) | (acc->value << 32) :
			(old & ~0xffffffffULL) | (acc->value & 0xffffffffULL);
	}
	ok = !(route & IROUTER_IRM) &&
	     gic_cell_has_mpidr(cell, route & IROUTER_AFF_MASK);
	if (ok)
		mmio_write(full, 8, route & IROUTER_AFF_MASK);
	spin_unlock(&dist_lock);
	if (ok)
		return MMIO_HANDLED;
	printk("cell '%s': IROUTER of IRQ %u to 0x%llx refused\n",
	       cell->config->name, irq, route);
	/* The root keeps running; any other cell broke the rules. */
	return cell == &root_cell ? MMIO_HANDLED : MMIO_ERROR;
}

/* SETSPI_NSR/CLRSPI_NSR: set or clear the pending state of one SPI by INTID. */
static enum mmio_result setspi_access(struct cell *cell, struct mmio_access *acc)
{
	unsigned int irq = acc->value & 0x1fff;

	if (!acc->is_write) {
		acc->value = 0;
		return MMIO_HANDLED;
	}
	if (irq >= 32 && irq < gic_num_irqs && cell_owns_irq(cell, irq)) {
		mmio_write(gicd + acc->address, 4, irq);
		return MMIO_HANDLED;
	}
	return cell == &root_cell ? MMIO_HANDLED : MMIO_ERROR;
}

/*
 * Reads of the global words pass through (CTLR, TYPER, IIDR, TYPER2, the ID
 * registers); writes are ignored, the distributor's global setup is the
 * hypervisor's. GICD_TYPER is the view of the reading CPU's owner (LPIs only
 * with a vITS), as on the fast path. The 32-bit loads of the first four
 * words, what guests read most, rarely come here: the light exit answers
 * them (gicv3-fast.c).
 */
static void global_read(struct mmio_access *acc)
{
	acc->value = mmio_read(gicd + acc->address, acc->size);
	if (acc->address == GICD_TYPER)
		acc->value ^= this_cpu()->arch.gicd_xor[GICD_TYPER / 4];
}

static enum mmio_result gicd_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	const struct gicd_range *r = gicd_lookup(acc->address);

	if (!r)
		goto reserved;
	if (!gic_width_ok(acc, r->widths))
		return MMIO_ERROR;
	switch (r->kind) {
	case D_GLOBAL:
		if (!acc->is_write)
			global_read(acc);
		return MMIO_HANDLED;
	case D_SETSPI:
		return setspi_access(cell, acc);
	case D_SETCLR:
	case D_RDONLY:
	case D_FIELD:
		return field_access(cell, acc, r);
	case D_IROUTER:
		return irouter_access(cell, acc);
	case D_RAZWI:
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}
reserved:
	/* Not a register of the architecture's map: the allow-list ends here. */
	if (cell != &root_cell)
		return MMIO_ERROR;
	if (!acc->is_write)
		acc->value = 0;
	return MMIO_HANDLED;
}

void gicv3_cell_init(struct cell *cell)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;

	mmio_region_register(&cell->mmio, arm->gicd_base, GICD_SIZE,
			     gicd_access, cell);
	mmio_region_register(&cell->mmio, arm->gicr_base,
			     gicv3_redist_region_size(), gicv3_gicr_access, cell);
}

void gicv3_irq_disable(unsigned int irq)
{
	if (irq >= 32 && irq < gic_num_irqs)
		mmio_write(gicd + GICD_ICENABLER + irq / 32 * 4, 4,
			   1U << (irq % 32));
}

static u64 first_cpu_route(const struct cell *owner)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, owner)
		return per_cpu(cpu)->mpidr & IROUTER_AFF_MASK;
	return 0;
}

/* Route an SPI to a CPU of its new owner, so it never lands elsewhere. */
void gicv3_irq_route(unsigned int irq, struct cell *owner)
{
	if (irq >= 32 && irq < gic_num_irqs)
		mmio_write(gicd + GICD_IROUTER + irq * 8, 8, first_cpu_route(owner));
}

/* Wait (bounded: the GIC may be broken, EL2 must go on) until a disable took effect. */
static void wait_rwp(void)
{
	unsigned int n;

	for (n = 0; n < 1000000; n++)
		if (!(mmio_read(gicd + GICD_CTLR, 4) & GICD_CTLR_RWP))
			return;
}

/*
 * An SPI changes owner: leave nothing of the old owner's use behind.
 * Disabled, neither pending nor active, non-secure group 1, the default
 * priority, routed to a CPU of @owner; the trigger mode is the root's: saved
 * when the SPI leaves the root, restored when it comes back.
 */
void gicv3_irq_reset(unsigned int irq, struct cell *owner)
{
	unsigned int word = irq / 32 * 4, cfg_shift = irq % 16 * 2 + 1;
	u32 bit = 1U << (irq % 32);
	volatile void *cfg = gicd + GICD_ICFGR + irq / 16 * 4;
	u32 v;

	if (irq < 32 || irq >= gic_num_irqs)
		return;
	spin_lock(&dist_lock);
	mmio_write(gicd + GICD_ICENABLER + word, 4, bit);
	wait_rwp();
	mmio_write(gicd + GICD_ICPENDR + word, 4, bit);
	mmio_write(gicd + GICD_ICACTIVER + word, 4, bit);
	mmio_write(gicd + GICD_IGROUPR + word, 4,
		   mmio_read(gicd + GICD_IGROUPR + word, 4) | bit);
	mmio_write(gicd + GICD_IGRPMODR + word, 4,
		   mmio_read(gicd + GICD_IGRPMODR + word, 4) & ~bit);
	mmio_write(gicd + GICD_IPRIORITYR + irq, 1, GIC_DEFAULT_PRIORITY);
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
	gicv3_irq_route(irq, owner);
	spin_unlock(&dist_lock);
}
