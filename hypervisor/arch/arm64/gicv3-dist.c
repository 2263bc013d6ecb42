/*
 * GICv3 distributor: discovery, the emulation of guest accesses, and the
 * reset of interrupts that change owner. Cells and the root never map the
 * distributor; every access traps and is checked against an allow-list of
 * the architecture's registers (table below, walked by gic-dist.c, which
 * also checks width and alignment first): a caller sees and changes only
 * the fields of the SPIs it owns. The redistributors are in gicv3-redist.c.
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

unsigned int gicv3_maintenance_irq(void)
{
	return gic_maintenance_irq;
}

int gicv3_init(void)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	int err;

	/* irqchip_init() chose this driver for gic_version 3 (others refused there). */
	err = gic_dist_probe(GICD_SIZE, &gicd, &gic_num_irqs, &gic_maintenance_irq);
	if (err)
		return err;
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

/* The GICv3's own kinds of register range (the others: gic-dist.h). */
enum {
	D_SETSPI = GIC_SPECIAL,	/* SETSPI/CLRSPI_NSR: only for an SPI the caller owns */
	D_IROUTER,
};

/* Every register of the GICv3 distributor map, sorted. */
static const struct gic_range gicd_map[] = {
	{ 0x0000, 0x0010, W32, GIC_GLOBAL, 0, 0 },	/* CTLR, TYPER, IIDR, TYPER2 */
	{ 0x0010, 0x0014, W32, GIC_RAZWI, 0, 0 },	/* STATUSR */
	{ 0x0040, 0x0044, W32, D_SETSPI, 0, 0 },	/* SETSPI_NSR */
	{ 0x0048, 0x004c, W32, D_SETSPI, 0, 0 },	/* CLRSPI_NSR */
	{ 0x0050, 0x0054, W32, GIC_RAZWI, 0, 0 },	/* SETSPI_SR (Secure) */
	{ 0x0058, 0x005c, W32, GIC_RAZWI, 0, 0 },	/* CLRSPI_SR (Secure) */
	{ 0x0080, 0x0100, W32, GIC_RDONLY, 1, 0 },	/* IGROUPR */
	{ 0x0100, 0x0400, W32, GIC_SETCLR, 1, 0 },	/* IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER */
	{ 0x0400, 0x0800, W8_32, GIC_FIELD, 8, 0xff },	/* IPRIORITYR */
	{ 0x0800, 0x0c00, W8_32, GIC_RAZWI, 0, 0 },	/* ITARGETSR (affinity routing) */
	{ 0x0c00, 0x0d00, W32, GIC_FIELD, 2, 2 },	/* ICFGR: bit 1 = edge */
	{ 0x0d00, 0x0d80, W32, GIC_RDONLY, 1, 0 },	/* IGRPMODR */
	{ 0x0e00, 0x0f00, W32, GIC_RAZWI, 0, 0 },	/* NSACR (Secure) */
	{ 0x0f00, 0x0f04, W32, GIC_RAZWI, 0, 0 },	/* SGIR (not with affinity routing) */
	{ 0x0f10, 0x0f30, W8_32, GIC_RAZWI, 0, 0 },	/* CPENDSGIR, SPENDSGIR */
	{ 0x0f80, 0x1000, W32, GIC_FIELD, 1, 1 },	/* INMIR */
	/* Extended SPI range: Warden hands out no extended SPIs. */
	{ 0x1000, 0x1080, W32, GIC_RAZWI, 0, 0 },	/* IGROUPR<n>E */
	{ 0x1200, 0x1e00, W32, GIC_RAZWI, 0, 0 },	/* IS/IC ENABLER/PENDR/ACTIVER<n>E */
	{ 0x2000, 0x2400, W8_32, GIC_RAZWI, 0, 0 },	/* IPRIORITYR<n>E */
	{ 0x3000, 0x3100, W32, GIC_RAZWI, 0, 0 },	/* ICFGR<n>E */
	{ 0x3400, 0x3480, W32, GIC_RAZWI, 0, 0 },	/* IGRPMODR<n>E */
	{ 0x3600, 0x3700, W32, GIC_RAZWI, 0, 0 },	/* NSACR<n>E */
	{ 0x3b00, 0x3b80, W32, GIC_RAZWI, 0, 0 },	/* INMIR<n>E */
	{ 0x6100, GICD_IROUTER_END, W32_64, D_IROUTER, 0, 0 },
	{ 0x8000, 0xa000, W32_64, GIC_RAZWI, 0, 0 },	/* IROUTER<n>E */
	{ 0xffd0, 0x0000, W32, GIC_GLOBAL, 0, 0 },	/* PIDR4-7, PIDR0-3, CIDR0-3 (end: 0x10000) */
};

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

static enum mmio_result gicd_special(struct cell *cell, struct mmio_access *acc,
				     const struct gic_range *r)
{
	if (r->kind == D_SETSPI)
		return setspi_access(cell, acc);
	return irouter_access(cell, acc);
}

static enum mmio_result gicd_access(void *arg, struct mmio_access *acc)
{
	const struct gic_dist d = {
		gicd_map, ARRAY_SIZE(gicd_map), gicd, gic_num_irqs, 0, gicd_special,
	};

	return gic_dist_access(arg, acc, &d);
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
	gic_spi_disable(gicd, gic_num_irqs, irq);
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

/*
 * An SPI changes owner: leave nothing of the old owner's use behind.
 * Disabled, neither pending nor active, non-secure group 1, the default
 * priority, routed to a CPU of @owner; the trigger mode is the root's: saved
 * when the SPI leaves the root, restored when it comes back.
 */
void gicv3_irq_reset(unsigned int irq, struct cell *owner)
{
	if (irq < 32 || irq >= gic_num_irqs)
		return;
	spin_lock(&dist_lock);
	gic_spi_reset(gicd, irq, owner, true);
	gicv3_irq_route(irq, owner);
	spin_unlock(&dist_lock);
}
