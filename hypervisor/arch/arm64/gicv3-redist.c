/*
 * GICv3 redistributors: discovery (the frame stride is read from each frame),
 * the hypervisor's own use of them, and the emulation of guest accesses
 * against an allow-list of the architecture's registers.
 *
 * Policy (the host test tests/unit/test-hv-gic.c checks it register by
 * register):
 *  - Identification (IIDR, TYPER, PIDR0-7, CIDR0-3) of every frame reads as
 *    the hardware's, for every caller: inmates find their own frame by walking
 *    the frames until TYPER.Last.
 *  - A frame of a CPU of the caller's cell ("own"): the SGI/PPI registers
 *    with the event SGI and the maintenance PPI masked at every width, for
 *    the root too; the group registers read-only (Warden takes group 1 only);
 *    the trigger mode (ICFGR0/1) read-only for cells.
 *    LPI registers (CTLR, PROPBASER, PENDBASER, SETLPIR...) and WAKER are the
 *    root's on its own frames (Linux sets up LPIs and wakes its frames) and
 *    read-as-zero/write-ignored for cells: a redistributor with LPIs enabled
 *    reads and writes memory outside any stage-2 mapping. The root cannot put
 *    a redistributor to sleep (the event SGI must reach its CPU).
 *  - Anything else of a foreign frame reads as zero; a write stops a cell
 *    and is ignored for the root.
 *  - Offsets that are no register of the architecture: a cell is stopped,
 *    the root reads zero and its writes are ignored.
 *  - An access of a width or alignment the register does not allow: a cell
 *    is stopped, the root gets an external abort (before anything is read
 *    or written).
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <asm/gicv3-its.h>
#include <asm/vits.h>
#include "gicv3-regs.h"

static u64 gicr_phys;
static unsigned int num_redists;
static u8 *redist[MAX_REDISTS];
static u64 redist_off[MAX_REDISTS];	/* from gicr_phys */
static u64 redist_size[MAX_REDISTS];	/* the stride of that frame */
static u64 redist_mpidr[MAX_REDISTS];
static u16 redist_cpu[MAX_REDISTS];	/* CPU id + 1 of the frame's CPU, 0: none yet */
static u64 redist_stride;		/* the common stride, 0 if they differ */
static u64 redist_total;

int gicv3_redist_discover(u64 gicr_base)
{
	u64 off = 0, typer;
	int err;

	gicr_phys = gicr_base;
	redist_stride = 0;
	for (num_redists = 0; num_redists < MAX_REDISTS; num_redists++) {
		unsigned int n = num_redists;
		void *frame;

		err = arch_map_device(gicr_base + off, GICR_FRAME_SIZE, &frame);
		if (err)
			return err;
		redist[n] = frame;
		typer = mmio_read((u8 *)frame + GICR_TYPER, 8);
		redist_mpidr[n] = (typer >> 32 & 0xffffff) | ((typer >> 56) << 32);
		redist_off[n] = off;
		/* GICv4 frames add VLPI_base and a reserved page. */
		redist_size[n] = (typer & GICR_TYPER_VLPIS) ? GICR_STRIDE_V4 :
							      GICR_STRIDE_V3;
		redist_cpu[n] = 0;
		if (n == 0)
			redist_stride = redist_size[0];
		else if (redist_size[n] != redist_stride)
			redist_stride = 0;
		off += redist_size[n];
		if (typer & GICR_TYPER_LAST) {
			num_redists++;
			break;
		}
	}
	redist_total = off;
	printk("GICv3: %u interrupts, %u redistributors (stride 0x%llx), maintenance IRQ %u\n",
	       gic_num_irqs, num_redists, redist_size[0], gic_maintenance_irq);
	return 0;
}

u64 gicv3_redist_region_size(void)
{
	return redist_total;
}

int gicv3_find_redist(struct per_cpu *pc)
{
	unsigned int n;

	for (n = 0; n < num_redists; n++) {
		if (redist_mpidr[n] == pc->mpidr) {
			pc->arch.gicr = redist[n];
			pc->arch.gicr_phys = gicr_phys + redist_off[n];
			redist_cpu[n] = pc->cpu_id + 1;
			return 0;
		}
	}
	return refuse(-ENODEV, WD_REASON_PLATFORM, pc->cpu_id, pc->mpidr,
		      "CPU %u (MPIDR 0x%llx): no GIC redistributor found among %u",
		      pc->cpu_id, pc->mpidr, num_redists);
}

static void gicr_write(struct per_cpu *pc, unsigned int off, u32 v)
{
	mmio_write((u8 *)pc->arch.gicr + off, 4, v);
}

void gicv3_redist_cpu_setup(struct per_cpu *pc, bool enter)
{
	gic_private_setup((u8 *)pc->arch.gicr + GICR_SGI_BASE,
			  gic_maintenance_irq, enter);
}

void gicv3_redist_set_pending(struct per_cpu *pc, unsigned int irq)
{
	if (irq < 32)
		gicr_write(pc, GICR_ISPENDR0, 1U << irq);
	else
		mmio_write(gicd + GICD_ISPENDR + irq / 32 * 4, 4, 1U << (irq % 32));
}

/* The redistributor's own kinds of register range (the others: gic-dist.h). */
enum {
	R_ID = GIC_SPECIAL,	/* identification: the hardware's, any frame, any caller */
	R_LPI,		/* the root's on its own frames; RAZ/WI for cells */
	R_WAKER,
	R_EPPI,		/* extended PPI range: the root's; RAZ/WI for cells */
};

/*
 * Every register of a GICv3/v4 redistributor frame, sorted, by 64 KiB page
 * (offsets within the page): RD_base, SGI_base, VLPI_base (GICv4). The
 * SGI/PPI registers are those of gic-dist.c, on the frame's SGI_base page;
 * their trigger mode (ICFGR0/1, at the distributor's ICFGR offset) is the
 * root's and read-only for cells there.
 */
static const struct gic_range gicr_map[] = {
	/* RD_base */
	{ 0x0000, 0x0004, W32, R_LPI, 0, 0 },		/* CTLR (EnableLPIs, RWP) */
	{ 0x0004, 0x0010, W32_64, R_ID, 0, 0 },	/* IIDR (32), TYPER (64) */
	{ 0x0010, 0x0014, W32, GIC_RAZWI, 0, 0 },	/* STATUSR */
	{ 0x0014, 0x0018, W32, R_WAKER, 0, 0 },
	{ 0x0018, 0x0020, W32, GIC_RAZWI, 0, 0 },	/* MPAMIDR, PARTIDR */
	{ 0x0040, 0x0050, W32_64, R_LPI, 0, 0 },	/* SETLPIR, CLRLPIR */
	{ 0x0070, 0x0080, W32_64, R_LPI, 0, 0 },	/* PROPBASER, PENDBASER */
	{ 0x00a0, 0x00a8, W32_64, R_LPI, 0, 0 },	/* INVLPIR */
	{ 0x00b0, 0x00b8, W32_64, R_LPI, 0, 0 },	/* INVALLR */
	{ 0x00c0, 0x00c4, W32, R_LPI, 0, 0 },		/* SYNCR */
	{ 0xffd0, 0x0000, W32, R_ID, 0, 0 },		/* PIDR4-7, PIDR0-3, CIDR0-3 (end: 0x10000) */
	/* SGI_base */
	{ 0x0080, 0x0084, W32, GIC_RDONLY, 1, 0 },	/* IGROUPR0 */
	{ 0x0084, 0x008c, W32, R_EPPI, 0, 0 },		/* IGROUPR<n>E */
	{ 0x0100, 0x0104, W32, GIC_SETCLR, 1, 0 },	/* ISENABLER0 */
	{ 0x0104, 0x010c, W32, R_EPPI, 0, 0 },
	{ 0x0180, 0x0184, W32, GIC_SETCLR, 1, 0 },	/* ICENABLER0 */
	{ 0x0184, 0x018c, W32, R_EPPI, 0, 0 },
	{ 0x0200, 0x0204, W32, GIC_SETCLR, 1, 0 },	/* ISPENDR0 */
	{ 0x0204, 0x020c, W32, R_EPPI, 0, 0 },
	{ 0x0280, 0x0284, W32, GIC_SETCLR, 1, 0 },	/* ICPENDR0 */
	{ 0x0284, 0x028c, W32, R_EPPI, 0, 0 },
	{ 0x0300, 0x0304, W32, GIC_SETCLR, 1, 0 },	/* ISACTIVER0 */
	{ 0x0304, 0x030c, W32, R_EPPI, 0, 0 },
	{ 0x0380, 0x0384, W32, GIC_SETCLR, 1, 0 },	/* ICACTIVER0 */
	{ 0x0384, 0x038c, W32, R_EPPI, 0, 0 },
	{ 0x0400, 0x0420, W8_32, GIC_FIELD, 8, 0xff },	/* IPRIORITYR0-7 */
	{ 0x0420, 0x0460, W8_32, R_EPPI, 0, 0 },	/* IPRIORITYR<n>E */
	{ 0x0c00, 0x0c08, W32, GIC_FIELD, 2, 2 },	/* ICFGR0 (SGIs), ICFGR1 (PPIs) */
	{ 0x0c08, 0x0c18, W32, R_EPPI, 0, 0 },		/* ICFGR<n>E */
	{ 0x0d00, 0x0d04, W32, GIC_RDONLY, 1, 0 },	/* IGRPMODR0 */
	{ 0x0d04, 0x0d0c, W32, R_EPPI, 0, 0 },
	{ 0x0e00, 0x0e04, W32, GIC_RAZWI, 0, 0 },	/* NSACR (Secure) */
	{ 0x0f80, 0x0f84, W32, GIC_FIELD, 1, 1 },	/* INMIR0 */
	{ 0x0f84, 0x0f8c, W32, R_EPPI, 0, 0 },
	/* GICv4 VLPI_base: Warden runs no virtual LPIs. */
	{ 0x0070, 0x0080, W32_64, GIC_RAZWI, 0, 0 },	/* VPROPBASER, VPENDBASER */
	{ 0x0080, 0x0090, W32_64, GIC_RAZWI, 0, 0 },	/* VSGIR, VSGIPENDR (v4.1) */
};

/* Where each page's rows start in gicr_map (and where they end). */
static const u8 gicr_page_row[] = { 0, 11, 34, ARRAY_SIZE(gicr_map) };

static const struct gic_range *gicr_lookup(u64 off)
{
	unsigned int page = off >> 16;

	if (page >= ARRAY_SIZE(gicr_page_row) - 1)
		return NULL;
	return gic_range_find(gicr_map + gicr_page_row[page],
			      gicr_page_row[page + 1] - gicr_page_row[page],
			      off & 0xffff);
}

/* The frame an offset into the redistributor region falls into, or -1. */
static int frame_of(u64 addr, u64 *off)
{
	unsigned int n;

	if (redist_stride) {
		n = addr / redist_stride;
		*off = addr % redist_stride;
		return n < num_redists ? (int)n : -1;
	}
	for (n = 0; n < num_redists; n++)
		if (addr - redist_off[n] < redist_size[n]) {
			*off = addr - redist_off[n];
			return n;
		}
	return -1;
}

static enum mmio_result razwi(struct mmio_access *acc)
{
	if (!acc->is_write)
		acc->value = 0;
	return MMIO_HANDLED;
}

enum mmio_result gicv3_gicr_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	bool root = cell == &root_cell, own;
	const struct gic_range *r;
	unsigned int cpu;
	u64 off;
	int n = frame_of(acc->address, &off);

	if (n < 0)
		return MMIO_UNHANDLED;
	r = gicr_lookup(off);
	/* VLPI_base exists on GICv4 frames only. */
	if (!r || off >= redist_size[n])
		return root ? razwi(acc) : MMIO_ERROR;
	if (!gic_width_ok(acc, r->widths))
		return MMIO_ERROR;
	if (r->kind == R_ID) {
		if (!acc->is_write)
			acc->value = mmio_read(redist[n] + off, acc->size);
		return MMIO_HANDLED;
	}
	cpu = redist_cpu[n];
	own = cpu && cell_has_cpu(cell, cpu - 1);
	if (!own) {
		if (acc->is_write && !root)
			return MMIO_ERROR;
		return razwi(acc);
	}
	switch (r->kind) {
	case R_LPI:
	case R_EPPI:
		/* A cell's LPI registers are its vITS's (virtual LPIs), if it has one. */
		if (!root && r->kind == R_LPI)
			return vits_gicr_access(cell, cpu - 1, off, acc);
		if (!root)
			return razwi(acc);
		/* LPI tables: RAM of the root's only (gicv3-its.c). */
		if (acc->is_write && r->kind == R_LPI &&
		    !its_gicr_write_allowed(redist[n], off, acc->size, acc->value))
			return MMIO_HANDLED;
		if (acc->is_write)
			mmio_write(redist[n] + off, acc->size, acc->value);
		else
			acc->value = mmio_read(redist[n] + off, acc->size);
		return MMIO_HANDLED;
	case R_WAKER:
		if (!root)
			return razwi(acc);
		/* Waking is what Linux does; sleeping would cut off the event SGI. */
		if (acc->is_write)
			mmio_write(redist[n] + off, 4, 0);
		else
			acc->value = mmio_read(redist[n] + off, 4);
		return MMIO_HANDLED;
	case GIC_SETCLR:
	case GIC_RDONLY:
	case GIC_FIELD: {
		/* SGI/PPI registers: the caller's fields, never the hypervisor's two. */
		const struct gic_dist sgi_base = {
			.base = redist[n] + GICR_SGI_BASE,
			.private_ok = ~gic_reserved_private(),
		};

		return gic_field_access(cell, acc, off - GICR_SGI_BASE, r, &sgi_base);
	}
	default:
		return razwi(acc);
	}
}
