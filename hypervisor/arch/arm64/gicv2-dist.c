/*
 * GICv2 distributor: discovery, the emulation of guest accesses, and the
 * reset of interrupts that change owner. As with the GICv3 (gicv3-dist.c),
 * no guest maps the distributor: every access traps and is checked against
 * an allow-list of the architecture's registers (table below), width and
 * alignment first, so that an access the GIC would fault is never repeated
 * at EL2. A caller sees and changes only the fields of the SPIs it owns and
 * of its own CPU's SGIs and PPIs (the distributor banks those per CPU, and a
 * trapped access is replayed on the CPU that made it), never the event SGI
 * or the maintenance interrupt.
 *
 * GICv2 specifics: SPIs are routed with a CPU target byte per interrupt
 * (ITARGETSR), which a cell may point only at its own CPUs; SGIs are sent
 * through GICD_SGIR, which is filtered by cell (gicv2-cpuif.c).
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include "gicv2-regs.h"
#include "gic-dist.h"

u8 *gicv2_gicd;
unsigned int gicv2_num_irqs;
unsigned int gicv2_maint_irq;

int gicv2_dist_init(void)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	int err;

	if (!arm->gicc_base || !arm->gich_base || !arm->gicv_base)
		return refuse(-ENODEV, WD_REASON_PLATFORM, 2, arm->gicd_base,
			      "GICv2 at 0x%llx without the virtualization extensions (gicc_base 0x%llx, gich_base 0x%llx, gicv_base 0x%llx): Warden needs the GICH and GICV frames",
			      arm->gicd_base, arm->gicc_base, arm->gich_base,
			      arm->gicv_base);
	err = gic_dist_probe(GICV2_GICD_SIZE, &gicv2_gicd, &gicv2_num_irqs,
			     &gicv2_maint_irq);
	if (err)
		return err;
	printk("GICv2: %u interrupts, %u CPU interfaces, maintenance IRQ %u\n",
	       gicv2_num_irqs,
	       (unsigned int)((mmio_read(gicv2_gicd + GICV2D_TYPER, 4) >> 5) & 7) + 1,
	       gicv2_maint_irq);
	return 0;
}

/* The GICv2's own kinds of register range (the others: gic-dist.h). */
enum {
	V2_TARGETS = GIC_SPECIAL,	/* ITARGETSR: a byte per interrupt, checked routes */
	V2_SGIR,			/* GICD_SGIR: write-only, filtered by cell */
};

/* Every register of the GICv2 distributor map (IHI 0048B table 4-1), sorted. */
static const struct gic_range v2_map[] = {
	{ 0x000, 0x00c, W32, GIC_GLOBAL, 0, 0 },	/* CTLR, TYPER, IIDR */
	{ 0x080, 0x100, W32, GIC_RDONLY, 1, 0 },	/* IGROUPR */
	{ 0x100, 0x400, W32, GIC_SETCLR, 1, 0 },	/* IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER */
	{ 0x400, 0x800, W8_32, GIC_FIELD, 8, 0xff },	/* IPRIORITYR */
	{ 0x800, 0xc00, W8_32, V2_TARGETS, 8, 0xff },	/* ITARGETSR */
	{ 0xc00, 0xd00, W32, GIC_FIELD, 2, 2 },	/* ICFGR: bit 1 = edge */
	{ 0xd00, 0xe00, W32, GIC_RAZWI, 0, 0 },	/* IMPLEMENTATION DEFINED (GIC-400: PPI/SPI status) */
	{ 0xe00, 0xf00, W32, GIC_RAZWI, 0, 0 },	/* NSACR (Secure) */
	{ 0xf00, 0xf04, W32, V2_SGIR, 0, 0 },
	{ 0xf10, 0xf30, W8_32, GIC_RAZWI, 0, 0 },	/* CPENDSGIR, SPENDSGIR */
	{ 0xfd0, 0x1000, W32, GIC_GLOBAL, 0, 0 },	/* PIDR4-7, PIDR0-3, CIDR0-3 */
};

/* The CPU target bits of every CPU of @cell known to the GIC. */
static u8 cell_targets(const struct cell *cell)
{
	unsigned int cpu;
	u8 mask = 0;

	for_each_cpu_in_cell(cpu, cell)
		mask |= gicv2_cpu_target(cpu);
	return mask;
}

/*
 * ITARGETSR: SGIs and PPIs read the CPU's own target byte (read-only in the
 * architecture); an SPI's byte reads for its owner and may name only CPUs of
 * the owner's cell. A write naming another CPU changes nothing: the root is
 * told so and keeps running, any other cell broke the rules.
 */
static enum mmio_result targets_access(struct cell *cell, struct mmio_access *acc)
{
	unsigned int first = acc->address - GICV2D_ITARGETSR, n;
	volatile void *reg = gicv2_gicd + acc->address;
	u64 owned = 0, private = 0;
	u8 allowed;

	for (n = 0; n < acc->size; n++) {
		unsigned int irq = first + n;

		if (irq < 32)
			private |= 0xffULL << (n * 8);
		else if (irq < gicv2_num_irqs && cell_owns_irq(cell, irq))
			owned |= 0xffULL << (n * 8);
	}
	if (!acc->is_write) {
		acc->value = mmio_read(reg, acc->size) & (owned | private);
		return MMIO_HANDLED;
	}
	if (!owned)
		return MMIO_HANDLED;
	allowed = cell_targets(cell);
	for (n = 0; n < acc->size; n++) {
		u8 byte = acc->value >> (n * 8);

		if (!((owned >> (n * 8)) & 0xff) || !(byte & ~allowed))
			continue;
		printk("cell '%s': ITARGETSR of IRQ %u to CPU targets 0x%x refused (its CPUs: 0x%x)\n",
		       cell->config->name, first + n, byte, allowed);
		return cell == &root_cell ? MMIO_HANDLED : MMIO_ERROR;
	}
	gic_write_permitted(reg, acc->size, acc->value, owned, false);
	return MMIO_HANDLED;
}

static enum mmio_result gicv2_special(struct cell *cell, struct mmio_access *acc,
				      const struct gic_range *r)
{
	if (r->kind == V2_TARGETS)
		return targets_access(cell, acc);
	if (acc->is_write)
		gicv2_sgir_write(this_cpu(), acc->value);
	else
		acc->value = 0;
	return MMIO_HANDLED;
}

/*
 * SGIs and PPIs: the caller's own CPU's (the distributor banks them, and a
 * trapped access is replayed on the CPU that made it), less the
 * hypervisor's two; SPIs: those it owns. The light exit answers most word
 * reads of CTLR, TYPER and IIDR before they get here (gicv2-fast.c).
 */
static enum mmio_result gicv2_gicd_access(void *arg, struct mmio_access *acc)
{
	const struct gic_dist d = {
		v2_map, ARRAY_SIZE(v2_map), gicv2_gicd, gicv2_num_irqs,
		~gicv2_reserved_private(), gicv2_special,
	};

	return gic_dist_access(arg, acc, &d);
}

int gicv2_dist_cell_init(struct cell *cell)
{
	return mmio_region_register(&cell->mmio,
				    system_config->platform.arm.gicd_base,
				    GICV2_GICD_SIZE, gicv2_gicd_access, cell);
}

void gicv2_private_setup(bool enter)
{
	/* The distributor banks this CPU's SGI and PPI registers. */
	gic_private_setup(gicv2_gicd, gicv2_maint_irq, enter);
}

/*
 * A parked CPU's SGIs and PPIs as after reset for its next owner: disabled
 * (PPIs; SGI enables are fixed on most GICs), neither pending nor active,
 * priority 0, except the hypervisor's two. Linux programs its own again when
 * it brings the CPU online; a cell programs what it uses.
 */
void gicv2_private_reset(void)
{
	u32 guest = ~gicv2_reserved_private();
	unsigned int n;

	mmio_write(gicv2_gicd + GICV2D_ICENABLER, 4, guest & 0xffff0000);
	mmio_write(gicv2_gicd + GICV2D_ICPENDR, 4, guest);
	mmio_write(gicv2_gicd + GICV2D_ICACTIVER, 4, guest);
	for (n = 0; n < 32; n += 4) {
		u32 keep = 0, v = mmio_read(gicv2_gicd + GICV2D_IPRIORITYR + n, 4);
		unsigned int b;

		for (b = 0; b < 4; b++)
			if (!((guest >> (n + b)) & 1))
				keep |= 0xffU << (8 * b);
		mmio_write(gicv2_gicd + GICV2D_IPRIORITYR + n, 4, v & keep);
	}
}

void gicv2_irq_disable(unsigned int irq)
{
	gic_spi_disable(gicv2_gicd, gicv2_num_irqs, irq);
}

static u8 first_cpu_target(const struct cell *owner)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, owner)
		if (gicv2_cpu_target(cpu))
			return gicv2_cpu_target(cpu);
	return 0;
}

void gicv2_irq_route(unsigned int irq, struct cell *owner)
{
	if (irq >= 32 && irq < gicv2_num_irqs)
		mmio_write(gicv2_gicd + GICV2D_ITARGETSR + irq, 1,
			   first_cpu_target(owner));
}

/*
 * An SPI changes owner: disabled, neither pending nor active, the default
 * priority, routed to one CPU of @owner; the trigger mode is the root's
 * (saved when the SPI leaves the root, restored when it comes back).
 */
void gicv2_irq_reset(unsigned int irq, struct cell *owner)
{
	if (irq < 32 || irq >= gicv2_num_irqs)
		return;
	spin_lock(&dist_lock);
	gic_spi_reset(gicv2_gicd, irq, owner, false);
	gicv2_irq_route(irq, owner);
	spin_unlock(&dist_lock);
}
