/*
 * A fake GICv3 for host tests of the distributor/redistributor emulation
 * (test-hv-gic.c, tests/fuzz/fuzz-gic.c): the hypervisor's GIC sources are
 * compiled with their device accesses (mmio_read/mmio_write) redirected to a
 * model of the register file with the hardware's semantics where it matters
 * (write-1-to-set/clear pairs, read-only identification, SETSPI/CLRSPI), plus
 * the environment they need (system configuration, per-CPU data, cells,
 * arch_map_device). Any device access the hypervisor itself makes that a real
 * GIC would answer with a fault (misaligned, outside the mapped frames, a
 * width the register does not have) is counted in fake_el2_faults.
 *
 * Board: 4 CPUs (MPIDR = CPU number), 256 interrupts, maintenance PPI 25,
 * 4 redistributor frames (stride 0x20000, or 0x40000 with fake_gic_v4).
 * Root: CPUs 0-1, SPIs 32-255 except 40-47; cell "attack": CPU 2, SPIs 40-43;
 * cell "bystander": CPU 3, SPIs 44-47.
 *
 * Include twice: before the hypervisor's GIC sources (the register model
 * and the redirection of their device accesses) and after them (the
 * environment they link against).
 */
#ifndef WARDEN_TEST_HV_FAKE_GIC_H
#define WARDEN_TEST_HV_FAKE_GIC_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wd/mmio.h>

#define FAKE_GICD_PHYS		0x08000000ULL
#define FAKE_GICR_PHYS		0x080a0000ULL
#define FAKE_CPUS		4
#define FAKE_MAINT		25
#define FAKE_PIDR2		0x3b	/* arch version 3 in [7:4] */

static u8 fake_gicd[0x10000] __attribute__((aligned(0x10000)));
static u8 fake_gicr[FAKE_CPUS * 0x40000] __attribute__((aligned(0x10000)));
static unsigned int fake_stride = 0x20000;
static unsigned long fake_el2_faults;
static char fake_last_fault[160];

static u64 fake_raw(const u8 *p, unsigned int size)
{
	u64 v = 0;

	memcpy(&v, p, size);
	return v;
}

static void fake_put(u8 *p, unsigned int size, u64 v)
{
	memcpy(p, &v, size);
}

static void fake_fault(const char *what, const volatile void *addr, unsigned int size)
{
	fake_el2_faults++;
	snprintf(fake_last_fault, sizeof(fake_last_fault), "%s: %u bytes at %p",
		 what, size, (const void *)addr);
}

/*
 * Where a hypervisor pointer falls: 'd' distributor, 'r' redistributor frame
 * (*frame, *off within it), 0 elsewhere.
 */
static char fake_where(const volatile void *addr, unsigned int *frame, u64 *off)
{
	const u8 *p = (const u8 *)addr;

	if (p >= fake_gicd && p < fake_gicd + sizeof(fake_gicd)) {
		*off = p - fake_gicd;
		return 'd';
	}
	if (p >= fake_gicr && p < fake_gicr + sizeof(fake_gicr)) {
		*frame = (p - fake_gicr) / fake_stride;
		*off = (p - fake_gicr) % fake_stride;
		return 'r';
	}
	return 0;
}

/* Is @size bytes at @off a width the GIC architecture gives that register? */
static bool fake_width_ok(char where, u64 off, unsigned int size)
{
	bool bytes, quad;

	if (off & (size - 1))
		return false;
	if (where == 'd') {
		bytes = (off >= 0x400 && off < 0xc00) || (off >= 0xf10 && off < 0xf30) ||
			(off >= 0x2000 && off < 0x2400);
		quad = (off >= 0x6000 && off < 0x8000) || (off >= 0x8000 && off < 0xa000);
	} else {
		if (off >= 0x20000)	/* VLPI_base: not mapped by Warden */
			return false;
		bytes = off >= 0x10400 && off < 0x10460;
		quad = off == 0x8 || off == 0x40 || off == 0x48 || off == 0x70 ||
		       off == 0x78 || off == 0xa0 || off == 0xb0;
	}
	return size == 4 || (size == 1 && bytes) || (size == 8 && quad);
}

/*
 * Device accesses that take a while (set by race tests): widens the window
 * between reading a register and a write reaching it, as a slow interconnect
 * would.
 */
static volatile bool fake_slow_access;

static void fake_slow(void)
{
	if (fake_slow_access)
		for (volatile unsigned int spin = 0; spin < 20000; spin++)
			;
}

static u64 fake_mmio_read(const volatile void *addr, unsigned int size)
{
	unsigned int frame = 0;
	u64 off;
	char w = fake_where(addr, &frame, &off);

	fake_slow();

	if (!w) {
		fake_fault("read outside the GIC", addr, size);
		return 0;
	}
	if (!fake_width_ok(w, off, size)) {
		fake_fault("bad-width or misaligned read", addr, size);
		return 0;
	}
	return fake_raw((const u8 *)addr, size);
}

/* Who owns an SPI on the fake board (0 root, 1 attack, 2 bystander). */
static int fake_spi_owner(unsigned int irq)
{
	if (irq >= 40 && irq < 44)
		return 1;
	if (irq >= 44 && irq < 48)
		return 2;
	return 0;
}

/* ---- Who may change what (caller 0 root, 1 attack, 2 bystander) ---- */

static bool owns_spi(int caller, unsigned int irq)
{
	return irq >= 32 && irq < 256 && fake_spi_owner(irq) == caller;
}

static bool owns_cpu(int caller, unsigned int cpu)
{
	return caller == 0 ? cpu < 2 : cpu == (unsigned int)caller + 1;
}

static bool reserved_private(unsigned int irq)
{
	return irq == 15 || irq == FAKE_MAINT;
}

/* May @caller's access have changed bit @bit of distributor byte @off? */
static bool fake_gicd_bit_ok(int caller, u64 off, unsigned int bit)
{
	if (off >= 0x100 && off < 0x400)
		return owns_spi(caller, (off & 0x7f) * 8 + bit);
	if (off >= 0x400 && off < 0x800)
		return owns_spi(caller, off - 0x400);
	if (off >= 0xc00 && off < 0xd00)
		return (bit & 1) && owns_spi(caller, (off - 0xc00) * 4 + bit / 2);
	if (off >= 0xf80 && off < 0x1000)
		return owns_spi(caller, (off - 0xf80) * 8 + bit);
	if (off >= 0x6100 && off < 0x7fe0)
		return owns_spi(caller, (off - 0x6000) / 8);
	return false;
}

/* ... of byte @off of redistributor frame @frame (@now_set: its new value)? */
static bool fake_gicr_bit_ok(int caller, unsigned int frame, u64 off, unsigned int bit,
			     bool now_set)
{
	if (!owns_cpu(caller, frame))
		return false;
	if (off >= 0x10100 && off < 0x10400 && (off & 0x7f) < 4)
		return !reserved_private((off & 0x7f) * 8 + bit);
	if (off >= 0x10400 && off < 0x10420)
		return !reserved_private(off - 0x10400);
	if (off >= 0x10c00 && off < 0x10c08)	/* trigger mode: the root's only */
		return !caller && (bit & 1) && !reserved_private((off - 0x10c00) * 4 + bit / 2);
	if (off >= 0x10f80 && off < 0x10f84)
		return !reserved_private((off - 0x10f80) * 8 + bit);
	if (caller)
		return false;
	/* The root's own: waking (never sleeping), LPI setup, extended PPIs. */
	if (off >= 0x14 && off < 0x18)
		return !now_set;
	return off < 0x4 || (off >= 0x40 && off < 0x50) || (off >= 0x70 && off < 0x80) ||
	       (off >= 0xa0 && off < 0xa8) || (off >= 0xb0 && off < 0xb8) ||
	       (off >= 0x10084 && off < 0x1008c) ||
	       (off >= 0x10100 && off < 0x10400 && (off & 0x7f) >= 4 && (off & 0x7f) < 0xc) ||
	       (off >= 0x10420 && off < 0x10460) || (off >= 0x10c08 && off < 0x10c18) ||
	       (off >= 0x10d04 && off < 0x10d0c) || (off >= 0x10f84 && off < 0x10f8c);
}

/*
 * Checked on every write the hypervisor makes while fake_caller >= 0 (a
 * guest access is being emulated): each changed bit must be the caller's.
 */
static int fake_caller = -1;
static unsigned long fake_bad_changes;
static char fake_bad_change[160];

static void fake_check_bytes(const u8 *p, const u8 *old, unsigned int n)
{
	unsigned int frame = 0, i, b;
	u64 off;
	char w;

	if (fake_caller < 0)
		return;
	for (i = 0; i < n; i++) {
		if (old[i] == p[i])
			continue;
		w = fake_where(p + i, &frame, &off);
		for (b = 0; b < 8; b++) {
			bool ok;

			if (!(((old[i] ^ p[i]) >> b) & 1))
				continue;
			ok = w == 'd' ? fake_gicd_bit_ok(fake_caller, off, b) :
			     fake_gicr_bit_ok(fake_caller, frame, off, b, (p[i] >> b) & 1);
			if (!ok && !fake_bad_changes++)
				snprintf(fake_bad_change, sizeof(fake_bad_change),
					 "caller %d changed %s %u +0x%llx bit %u", fake_caller,
					 w == 'd' ? "GICD" : "GICR frame", frame, off, b);
		}
	}
}

/* Apply the write-1-to-set/clear pair semantics; the pair's two copies agree. */
static void fake_setclr(u8 *set_reg, unsigned int size, u64 v, bool set)
{
	u64 st = fake_raw(set_reg, size), old = st;

	st = set ? st | v : st & ~v;
	fake_put(set_reg, size, st);
	fake_put(set_reg + 0x80, size, st);
	fake_check_bytes(set_reg, (const u8 *)&old, size);
	fake_check_bytes(set_reg + 0x80, (const u8 *)&old, size);
}

static void fake_mmio_write(volatile void *addr, unsigned int size, u64 v)
{
	unsigned int frame = 0;
	u64 off, rel;
	char w = fake_where(addr, &frame, &off);
	u8 *p = (u8 *)addr;

	fake_slow();

	if (!w) {
		fake_fault("write outside the GIC", addr, size);
		return;
	}
	if (!fake_width_ok(w, off, size)) {
		fake_fault("bad-width or misaligned write", addr, size);
		return;
	}
	if (size < 8)
		v &= (1ULL << (size * 8)) - 1;
	if (w == 'd') {
		if ((off >= 0x4 && off < 0x10) || off >= 0xffd0)
			return;		/* TYPER, IIDR, TYPER2, ID registers */
		if (off == 0x40 || off == 0x48) {	/* SETSPI/CLRSPI_NSR */
			unsigned int irq = v & 0x3ff;

			if (irq >= 32 && irq < 1020)
				fake_setclr(fake_gicd + 0x200 + irq / 32 * 4, 4,
					    1U << (irq % 32), off == 0x40);
			return;
		}
		if (off >= 0x100 && off < 0x400) {
			rel = off - 0x100;
			fake_setclr(fake_gicd + 0x100 + (rel / 0x100) * 0x100 + rel % 0x80,
				    size, v, !(rel & 0x80));
			return;
		}
	} else {
		if ((off >= 0x4 && off < 0x10) || off == 0xc0 ||
		    (off >= 0xffd0 && off < 0x10000))
			return;		/* IIDR, TYPER, SYNCR, ID registers */
		if (off >= 0x10100 && off < 0x10400) {
			rel = off - 0x10100;
			fake_setclr(p - off + 0x10100 + (rel / 0x100) * 0x100 + rel % 0x80,
				    size, v, !(rel & 0x80));
			return;
		}
	}
	{
		u64 old = fake_raw(p, size);

		fake_put(p, size, v);
		fake_check_bytes(p, (const u8 *)&old, size);
	}
}

/* The hypervisor sources under test use the model instead of the device. */
#define mmio_read fake_mmio_read
#define mmio_write fake_mmio_write

#endif

#if defined(GICV3_REGS_H) && !defined(WARDEN_TEST_HV_FAKE_GIC_ENV)
#define WARDEN_TEST_HV_FAKE_GIC_ENV

/* Environment of the GIC code. */
static struct {
	struct wd_system_config sys;
} fake_sysconf;
const struct wd_system_config *system_config = &fake_sysconf.sys;
struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct cell root_cell;
static struct cell fake_attack, fake_bystander;
static struct wd_cell_desc fake_desc[3];
static char fake_log[256];
static bool fake_quiet = true;

/* The CPU the code under test runs on (CPU 0, the root's, unless a test says). */
static unsigned int fake_this_cpu;

struct per_cpu *this_cpu(void)
{
	return &per_cpu_area[fake_this_cpu];
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake_log, sizeof(fake_log), fmt, ap);
	va_end(ap);
	if (!fake_quiet)
		fputs(fake_log, stdout);
}

int refuse(int err, u32 kind, u64 object, u64 addr, const char *fmt, ...)
{
	return err;
}

int arch_map_device(u64 phys, u64 size, void **virt)
{
	if (phys >= FAKE_GICD_PHYS && phys + size <= FAKE_GICD_PHYS + sizeof(fake_gicd)) {
		*virt = fake_gicd + (phys - FAKE_GICD_PHYS);
		return 0;
	}
	if (phys >= FAKE_GICR_PHYS && phys + size <= FAKE_GICR_PHYS + sizeof(fake_gicr)) {
		*virt = fake_gicr + (phys - FAKE_GICR_PHYS);
		return 0;
	}
	return -ENOMEM;
}

static void fake_cell(struct cell *c, struct wd_cell_desc *d, const char *name,
		      unsigned int cpu_mask, int owner_id)
{
	unsigned int irq, cpu;

	memset(c, 0, sizeof(*c));
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	c->config = d;
	c->cpu_set[0] = cpu_mask;
	for (irq = 32; irq < 256; irq++)
		if (fake_spi_owner(irq) == owner_id)
			c->irq_owned[irq / 32] |= 1U << (irq % 32);
	for (cpu = 0; cpu < FAKE_CPUS; cpu++)
		if (cpu_mask & (1U << cpu))
			per_cpu(cpu)->cell = c;
}

/* Identification and discovery values the fake hardware reports. */
static void fake_gic_ids(void)
{
	unsigned int n;

	fake_put(fake_gicd + 0x0, 4, 0x00000012);	/* CTLR: ARE_NS, EnableGrp1NS; RWP 0 */
	fake_put(fake_gicd + 0x4, 4, 0x7);		/* TYPER: 256 INTIDs */
	fake_put(fake_gicd + 0x8, 4, 0x0300043b);	/* IIDR */
	fake_put(fake_gicd + 0xffe8, 4, FAKE_PIDR2);
	for (n = 0; n < FAKE_CPUS; n++) {
		u8 *f = fake_gicr + n * fake_stride;
		u64 typer = ((u64)n << 32) | (n << 8) |
			    (n == FAKE_CPUS - 1 ? 0x10 : 0) |
			    (fake_stride == 0x40000 ? 0x2 : 0);

		fake_put(f + 0x4, 4, 0x0300043b);
		fake_put(f + 0x8, 8, typer);
		fake_put(f + 0xffe8, 4, FAKE_PIDR2);
		fake_put(f + 0xfff0, 4, 0x0d);		/* CIDR0 */
	}
}

/* Fill the register file with @fill, then set up Warden over it. */
static int fake_gic_setup(u8 fill, bool v4)
{
	unsigned int cpu;
	int err;

	fake_stride = v4 ? 0x40000 : 0x20000;
	memset(fake_gicd, fill, sizeof(fake_gicd));
	memset(fake_gicr, fill, sizeof(fake_gicr));
	fake_gic_ids();
	memset(&fake_sysconf, 0, sizeof(fake_sysconf));
	fake_sysconf.sys.platform.arm.gic_version = 3;
	fake_sysconf.sys.platform.arm.maintenance_irq = FAKE_MAINT;
	fake_sysconf.sys.platform.arm.gicd_base = FAKE_GICD_PHYS;
	fake_sysconf.sys.platform.arm.gicr_base = FAKE_GICR_PHYS;
	memset(per_cpu_area, 0, sizeof(per_cpu_area));
	fake_cell(&root_cell, &fake_desc[0], "root", 0x3, 0);
	fake_cell(&fake_attack, &fake_desc[1], "attack", 0x4, 1);
	fake_cell(&fake_bystander, &fake_desc[2], "bystander", 0x8, 2);
	memset(&dist_lock, 0, sizeof(dist_lock));
	err = gicv3_init();
	if (err)
		return err;
	for (cpu = 0; cpu < FAKE_CPUS; cpu++) {
		per_cpu(cpu)->cpu_id = cpu;
		per_cpu(cpu)->mpidr = cpu;
		per_cpu(cpu)->initialized = true;
		err = gicv3_find_redist(per_cpu(cpu));
		if (err)
			return err;
	}
	gicv3_cell_init(&root_cell);
	gicv3_cell_init(&fake_attack);
	gicv3_cell_init(&fake_bystander);
	fake_el2_faults = 0;
	return 0;
}

static bool fake_lock_free(void)
{
	return dist_lock.owner == dist_lock.next;
}

/*
 * gicv3-its.c checks the root's PROPBASER/PENDBASER writes (its own host
 * test: test-its-cmd.c); here it refuses tables at 0x7fc00000 and above
 * (the fake's hypervisor memory) and counts the calls.
 */
static unsigned long fake_its_gicr_checks;

bool its_gicr_write_allowed(volatile u8 *frame, u64 off, unsigned int size, u64 value)
{
	fake_its_gicr_checks++;
	return (value & 0xfffffff000ULL) < 0x7fc00000ULL;
}

/*
 * vits.c answers a cell's LPI registers (its own host test: test-vits.c);
 * the fake machine's cells have no vITS: read as zero, writes ignored.
 */
static unsigned long fake_vits_gicr_calls;

enum mmio_result vits_gicr_access(struct cell *cell, unsigned int cpu, u64 off,
				  struct mmio_access *acc)
{
	fake_vits_gicr_calls++;
	if (!acc->is_write)
		acc->value = 0;
	return MMIO_HANDLED;
}

#endif
