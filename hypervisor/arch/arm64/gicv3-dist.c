/*
 * GICv3 distributor and redistributors: discovery, and the emulation of guest
 * accesses. Cells never map these frames; every access traps and is filtered,
 * so a cell sees and changes only the interrupts (and CPUs) it owns.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/spinlock.h>
#include <asm/gicv3.h>
#include <asm/sysregs.h>

#define GICD_SIZE		0x10000
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_NSACR		0x0e00
#define GICD_IROUTER		0x6000
#define GICD_IROUTER_END	0x7fe0
#define GICD_IDREGS		0xffd0

#define GICR_FRAME_SIZE		0x20000		/* RD_base + SGI_base */
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1ULL << 4)
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		(GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0		(GICR_SGI_BASE + 0x0180)
#define GICR_ISPENDR0		(GICR_SGI_BASE + 0x0200)
#define GICR_ICPENDR0		(GICR_SGI_BASE + 0x0280)
#define GICR_ISACTIVER0		(GICR_SGI_BASE + 0x0300)
#define GICR_ICACTIVER0		(GICR_SGI_BASE + 0x0380)
#define GICR_IPRIORITYR		(GICR_SGI_BASE + 0x0400)
#define GICR_IGRPMODR0		(GICR_SGI_BASE + 0x0d00)

#define MAX_REDISTS		64

static u8 *gicd;
static unsigned int num_irqs;
static unsigned int maintenance_irq;
static spinlock_t dist_lock;

static u64 gicr_phys;
static unsigned int num_redists;
static u8 *redist[MAX_REDISTS];
static u64 redist_mpidr[MAX_REDISTS];

unsigned int gicv3_maintenance_irq(void)
{
	return maintenance_irq;
}

int gicv3_init(void)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	u64 typer;
	int err;

	if (arm->gic_version != 3)
		return refuse(-ENODEV, WD_REASON_PLATFORM, arm->gic_version, 0,
			      "GIC version %u is not supported: Warden needs a GICv3",
			      arm->gic_version);
	err = arch_map_device(arm->gicd_base, GICD_SIZE, (void **)&gicd);
	if (err)
		return err;
	num_irqs = 32 * ((*(volatile u32 *)(gicd + GICD_TYPER) & 0x1f) + 1);
	if (num_irqs > 1020)
		num_irqs = 1020;
	maintenance_irq = arm->maintenance_irq;
	if (maintenance_irq < 16 || maintenance_irq >= 32)
		return refuse(-EINVAL, WD_REASON_IRQ, maintenance_irq, 0,
			      "maintenance interrupt %u is not a PPI", maintenance_irq);

	gicr_phys = arm->gicr_base;
	for (num_redists = 0; num_redists < MAX_REDISTS; num_redists++) {
		void *frame;

		err = arch_map_device(gicr_phys + num_redists * GICR_FRAME_SIZE,
				      GICR_FRAME_SIZE, &frame);
		if (err)
			return err;
		redist[num_redists] = frame;
		typer = *(volatile u64 *)((u8 *)frame + GICR_TYPER);
		redist_mpidr[num_redists] =
			(typer >> 32 & 0xffffff) | ((typer >> 56) << 32);
		if (typer & GICR_TYPER_LAST) {
			num_redists++;
			break;
		}
	}
	printk("GICv3: %u interrupts, %u redistributors, maintenance IRQ %u\n",
	       num_irqs, num_redists, maintenance_irq);
	return 0;
}

int gicv3_find_redist(struct per_cpu *pc)
{
	unsigned int n;

	for (n = 0; n < num_redists; n++) {
		if (redist_mpidr[n] == pc->mpidr) {
			pc->arch.gicr = redist[n];
			pc->arch.gicr_phys = gicr_phys + n * GICR_FRAME_SIZE;
			return 0;
		}
	}
	return refuse(-ENODEV, WD_REASON_PLATFORM, pc->cpu_id, pc->mpidr,
		      "CPU %u (MPIDR 0x%llx): no GIC redistributor found among %u",
		      pc->cpu_id, pc->mpidr, num_redists);
}

static volatile u32 *gicr_reg(struct per_cpu *pc, unsigned int off)
{
	return (volatile u32 *)((u8 *)pc->arch.gicr + off);
}

void gicv3_redist_cpu_setup(struct per_cpu *pc, bool enter)
{
	u32 ours = (1U << maintenance_irq) | (1U << SGI_EVENT);

	if (enter) {
		/*
		 * Linux entered through an IPI that is still active here (it
		 * deactivates after its handler, but that write now goes to
		 * the virtual interface): deactivate SGIs physically.
		 */
		*gicr_reg(pc, GICR_ICACTIVER0) =
			*gicr_reg(pc, GICR_ISACTIVER0) & 0xffff;
		*gicr_reg(pc, GICR_ISENABLER0) = ours;
	} else {
		*gicr_reg(pc, GICR_ICENABLER0) = 1U << maintenance_irq;
	}
}

void gicv3_redist_set_pending(struct per_cpu *pc, unsigned int irq)
{
	if (irq < 32)
		*gicr_reg(pc, GICR_ISPENDR0) = 1U << irq;
	else
		*(volatile u32 *)(gicd + GICD_ISPENDR + irq / 32 * 4) =
			1U << (irq % 32);
}

/* Mask of the bits in a per-interrupt register the cell may touch. */
static u64 owned_mask(const struct cell *cell, unsigned int first_irq,
		      unsigned int num, unsigned int bits)
{
	u64 mask = 0, field = (bits == 64) ? ~0ULL : (1ULL << bits) - 1;
	unsigned int n;

	for (n = 0; n < num; n++)
		if (first_irq + n >= 32 && first_irq + n < num_irqs &&
		    cell_owns_irq(cell, first_irq + n))
			mask |= field << (n * bits);
	return mask;
}

static enum mmio_result irq_bits_access(struct cell *cell,
					struct mmio_access *acc, u64 reg_base,
					unsigned int bits, bool set_clear)
{
	unsigned int first = (acc->address - reg_base) * 8 / bits;
	u64 mask = owned_mask(cell, first, acc->size * 8 / bits, bits);
	volatile void *reg = gicd + acc->address;

	if (!acc->is_write) {
		acc->value = mmio_read(reg, acc->size) & mask;
		return MMIO_HANDLED;
	}
	if (set_clear) {
		/* Writing zeros has no effect on set/clear registers. */
		if (acc->value & mask)
			mmio_write(reg, acc->size, acc->value & mask);
	} else {
		spin_lock(&dist_lock);
		mmio_write(reg, acc->size, (mmio_read(reg, acc->size) & ~mask) |
			   (acc->value & mask));
		spin_unlock(&dist_lock);
	}
	return MMIO_HANDLED;
}

static bool cell_has_mpidr(const struct cell *cell, u64 aff)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, cell)
		if (per_cpu(cpu)->mpidr == aff)
			return true;
	return false;
}

static enum mmio_result irouter_access(struct cell *cell, struct mmio_access *acc)
{
	unsigned int irq = (acc->address - GICD_IROUTER) / 8;
	volatile void *reg = gicd + acc->address;

	if (irq < 32 || irq >= num_irqs || !cell_owns_irq(cell, irq)) {
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}
	if (!acc->is_write) {
		acc->value = mmio_read(reg, acc->size);
		return MMIO_HANDLED;
	}
	{
		/* Check the whole register a write results in, whatever its width. */
		volatile u64 *full = (volatile u64 *)(gicd + ALIGN_DOWN(acc->address, 8));
		u64 route = acc->value, aff;

		if (acc->size == 4)
			route = (acc->address % 8) ?
				(*full & 0xffffffffULL) | (acc->value << 32) :
				(*full & ~0xffffffffULL) | (acc->value & 0xffffffffULL);
		else if (acc->size != 8)
			return MMIO_ERROR;
		aff = (route & 0xffffff) | ((route >> 32 & 0xff) << 32);
		/* 1-of-N routing or a foreign CPU would let it escape the cell. */
		if ((route & (1ULL << 31)) || !cell_has_mpidr(cell, aff)) {
			printk("cell '%s': IROUTER of IRQ %u to 0x%llx refused\n",
			       cell->config->name, irq, route);
			/* The root keeps running; any other cell broke the rules. */
			return cell == &root_cell ? MMIO_HANDLED : MMIO_ERROR;
		}
	}
	mmio_write(reg, acc->size, acc->value);
	return MMIO_HANDLED;
}

static enum mmio_result gicd_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	u64 off = acc->address;

	/*
	 * Global registers first (CTLR, TYPER, IIDR...: what inmates read
	 * most): readable, never writable by a cell.
	 */
	if (off < GICD_IGROUPR) {
		if (acc->size > 4)
			return MMIO_ERROR;
		if (!acc->is_write)
			acc->value = off < 0x20 ? /* CTLR, TYPER, IIDR, TYPER2 */
				     mmio_read(gicd + off, acc->size) : 0;
		return MMIO_HANDLED;
	}
	if (off >= GICD_IROUTER && off < GICD_IROUTER_END)
		return irouter_access(cell, acc);
	if (acc->size > 4)
		return MMIO_ERROR;
	if (off >= GICD_IGROUPR && off < GICD_ISENABLER)
		return irq_bits_access(cell, acc, GICD_IGROUPR, 1, false);
	if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR) {
		u64 base = ALIGN_DOWN(off, 0x80);

		return irq_bits_access(cell, acc, base, 1, true);
	}
	if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR)
		return irq_bits_access(cell, acc, GICD_IPRIORITYR, 8, false);
	if (off >= GICD_ICFGR && off < GICD_IGRPMODR)
		return irq_bits_access(cell, acc, GICD_ICFGR, 2, false);
	if (off >= GICD_IGRPMODR && off < GICD_NSACR)
		return irq_bits_access(cell, acc, GICD_IGRPMODR, 1, false);

	/* Global registers: readable, never writable by a cell. */
	if (!acc->is_write) {
		if (off == GICD_CTLR || off == GICD_TYPER || off < 0x20 ||
		    off >= GICD_IDREGS)
			acc->value = mmio_read(gicd + off, acc->size);
		else
			acc->value = 0;
	}
	return MMIO_HANDLED;
}

/* Redistributor accesses: the root passes through for its own CPUs. */
static enum mmio_result gicr_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	unsigned int n = acc->address / GICR_FRAME_SIZE, cpu;
	u64 off = acc->address % GICR_FRAME_SIZE;
	u32 reserved = (1U << maintenance_irq) | (1U << SGI_EVENT);
	bool own = false;
	u8 *reg;

	if (n >= num_redists)
		return MMIO_UNHANDLED;
	for_each_cpu_in_cell(cpu, cell)
		if (per_cpu(cpu)->initialized && per_cpu(cpu)->mpidr == redist_mpidr[n])
			own = true;
	/* Before all CPUs are up, the root may read any frame (Linux does not). */
	if (!own) {
		/* Anyone may identify a frame, so inmates can find their own. */
		if (!acc->is_write && (off == GICR_TYPER || off == GICR_TYPER + 4)) {
			acc->value = mmio_read(redist[n] + off, acc->size);
			return MMIO_HANDLED;
		}
		if (acc->is_write)
			return cell == &root_cell ? MMIO_HANDLED : MMIO_ERROR;
		acc->value = cell == &root_cell ? mmio_read(redist[n] + off, acc->size) : 0;
		return MMIO_HANDLED;
	}
	reg = redist[n] + off;
	if (acc->is_write && acc->size == 4 &&
	    (off == GICR_ICENABLER0 || off == GICR_ICPENDR0 ||
	     off == GICR_ICACTIVER0 || off == GICR_IGROUPR0 ||
	     off == GICR_IGRPMODR0)) {
		/* The hypervisor's own SGI and maintenance PPI stay as they are. */
		if (off == GICR_IGROUPR0 || off == GICR_IGRPMODR0)
			acc->value = (acc->value & ~reserved) |
				     (mmio_read(reg, 4) & reserved);
		else
			acc->value &= ~reserved;
	}
	if (acc->is_write && off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + 32) {
		unsigned int first = off - GICR_IPRIORITYR, i;

		for (i = 0; i < acc->size; i++)
			if (first + i == SGI_EVENT || first + i == maintenance_irq)
				return MMIO_HANDLED;
	}
	if (acc->is_write)
		mmio_write(reg, acc->size, acc->value);
	else
		acc->value = mmio_read(reg, acc->size);
	return MMIO_HANDLED;
}

void gicv3_cell_init(struct cell *cell)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;

	mmio_region_register(&cell->mmio, arm->gicd_base, GICD_SIZE,
			     gicd_access, cell);
	mmio_region_register(&cell->mmio, arm->gicr_base,
			     (u64)num_redists * GICR_FRAME_SIZE, gicr_access,
			     cell);
}

void arch_irq_disable(unsigned int irq)
{
	if (irq >= 32 && irq < num_irqs)
		*(volatile u32 *)(gicd + GICD_ICENABLER + irq / 32 * 4) =
			1U << (irq % 32);
}

/* Route an SPI to a CPU of its new owner, so it never lands elsewhere. */
void arch_irq_route(unsigned int irq, struct cell *owner)
{
	unsigned int cpu;

	if (irq < 32 || irq >= num_irqs)
		return;
	for_each_cpu_in_cell(cpu, owner) {
		u64 m = per_cpu(cpu)->mpidr;

		*(volatile u64 *)(gicd + GICD_IROUTER + irq * 8) =
			(m & 0xffffff) | (MPIDR_AFF3(m) << 32);
		return;
	}
}
