/*
 * A fake GICv2 distributor for host tests of the GICv2 distributor emulation
 * (test-hv-gicv2.c, tests/fuzz/fuzz-gicv2.c): hypervisor/arch/arm64/
 * gicv2-dist.c is compiled with its device accesses (mmio_read/mmio_write)
 * redirected to a model of the register file with the hardware's semantics
 * where it matters: the SGI/PPI registers banked per CPU (the CPU making the
 * access is fake2_cpu), write-1-to-set/clear pairs, read-only TYPER, IIDR,
 * ITARGETSR0-7 and identification registers, GICD_SGIR write-only. Any
 * device access the hypervisor makes that a GIC-400 would fault (misaligned,
 * outside the frame, a width the register does not have) is counted in
 * fake2_el2_faults; every bit a guest's emulated access changed is checked
 * against what the caller owns (fake2_bad_changes).
 *
 * Board: 4 CPUs (CPU interface n = CPU n), 256 interrupts, maintenance PPI
 * 25. Root: CPUs 0-1, SPIs 32-255 except 40-47; cell "attack": CPU 2, SPIs
 * 40-43; cell "bystander": CPU 3, SPIs 44-47.
 *
 * Include twice: before the hypervisor's GICv2 source (the register model and
 * the redirection of its device accesses) and after it (the environment it
 * links against).
 */
#ifndef WARDEN_TEST_HV_FAKE_GICV2_H
#define WARDEN_TEST_HV_FAKE_GICV2_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wd/mmio.h>

#define FAKE2_GICD_PHYS		0x08000000ULL
#define FAKE2_CPUS		4
#define FAKE2_MAINT		25
#define FAKE2_IRQS		256

static u8 fake2_gicd[0x1000] __attribute__((aligned(0x1000)));
/* The banked SGI/PPI registers, one copy per CPU. */
static u8 fake2_bank[FAKE2_CPUS][0x1000];
static unsigned int fake2_cpu;
static unsigned long fake2_el2_faults;
static char fake2_last_fault[160];
/* GICD_SGIR writes the hypervisor itself made (it never does in these tests). */
static unsigned long fake2_hw_sgirs;

static bool fake2_banked(u64 off)
{
	return (off >= 0x080 && off < 0x084) ||
	       (off >= 0x100 && off < 0x400 && (off & 0x7f) < 4) ||
	       (off >= 0x400 && off < 0x420) || (off >= 0x800 && off < 0x820) ||
	       (off >= 0xc00 && off < 0xc08) || (off >= 0xf10 && off < 0xf30);
}

static u8 *fake2_byte(u64 off)
{
	return fake2_banked(off) ? &fake2_bank[fake2_cpu][off] : &fake2_gicd[off];
}

static u64 fake2_get(u64 off, unsigned int size)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (u64)*fake2_byte(off + i) << (8 * i);
	return v;
}

static void fake2_fault(const char *what, const volatile void *addr, unsigned int size)
{
	fake2_el2_faults++;
	snprintf(fake2_last_fault, sizeof(fake2_last_fault), "%s: %u bytes at %p",
		 what, size, (const void *)addr);
}

/* The GICv2 architecture's access widths (IHI 0048B 4.1.4). */
static bool fake2_width_ok(u64 off, unsigned int size)
{
	bool bytes = (off >= 0x400 && off < 0xc00) || (off >= 0xf10 && off < 0xf30);

	if (off & (size - 1))
		return false;
	return size == 4 || (size == 1 && bytes);
}

static bool fake2_where(const volatile void *addr, u64 *off)
{
	const u8 *p = (const u8 *)addr;

	if (p < fake2_gicd || p >= fake2_gicd + sizeof(fake2_gicd))
		return false;
	*off = p - fake2_gicd;
	return true;
}

static u64 fake2_mmio_read(const volatile void *addr, unsigned int size)
{
	u64 off;

	if (!fake2_where(addr, &off)) {
		fake2_fault("read outside the distributor", addr, size);
		return 0;
	}
	if (!fake2_width_ok(off, size)) {
		fake2_fault("bad-width or misaligned read", addr, size);
		return 0;
	}
	if (off == 0xf00)
		return 0;	/* SGIR: write-only */
	return fake2_get(off, size);
}

/* Ownership in the fake board. */
static int fake2_spi_owner(unsigned int irq)
{
	if (irq >= 40 && irq < 44)
		return 1;
	if (irq >= 44 && irq < 48)
		return 2;
	return 0;
}

static bool fake2_owns_spi(int caller, unsigned int irq)
{
	return irq >= 32 && irq < FAKE2_IRQS && fake2_spi_owner(irq) == caller;
}

static u8 fake2_cpu_mask(int caller)
{
	return caller == 0 ? 0x3 : caller == 1 ? 0x4 : 0x8;
}

static bool fake2_reserved_private(unsigned int irq)
{
	return irq == 15 || irq == FAKE2_MAINT;
}

/* May @caller's access have changed bit @bit of byte @off to @now_set? */
static bool fake2_bit_ok(int caller, u64 off, unsigned int bit, bool now_set)
{
	unsigned int irq;

	if (off >= 0x100 && off < 0x400) {
		irq = (off & 0x7f) * 8 + bit;
		return irq < 32 ? !fake2_reserved_private(irq) : fake2_owns_spi(caller, irq);
	}
	if (off >= 0x400 && off < 0x800) {
		irq = off - 0x400;
		return irq < 32 ? !fake2_reserved_private(irq) : fake2_owns_spi(caller, irq);
	}
	if (off >= 0x820 && off < 0xc00)	/* a route: only to the caller's own CPUs */
		return fake2_owns_spi(caller, off - 0x800) &&
		       (!now_set || ((fake2_cpu_mask(caller) >> bit) & 1));
	if (off >= 0xc00 && off < 0xd00) {
		irq = (off - 0xc00) * 4 + bit / 2;
		if (!(bit & 1))
			return false;
		return irq < 32 ? caller == 0 && !fake2_reserved_private(irq) :
				  fake2_owns_spi(caller, irq);
	}
	return false;
}

static int fake2_caller = -1;
static unsigned long fake2_bad_changes;
static char fake2_bad_change[160];

static void fake2_check(u64 off, u8 old, u8 now)
{
	unsigned int b;

	if (fake2_caller < 0 || old == now)
		return;
	for (b = 0; b < 8; b++) {
		if (!(((old ^ now) >> b) & 1))
			continue;
		if (!fake2_bit_ok(fake2_caller, off, b, (now >> b) & 1) && !fake2_bad_changes++)
			snprintf(fake2_bad_change, sizeof(fake2_bad_change),
				 "caller %d on CPU %u changed GICD +0x%llx bit %u",
				 fake2_caller, fake2_cpu, (unsigned long long)off, b);
	}
}

static void fake2_store(u64 off, u8 v)
{
	u8 *p = fake2_byte(off), old = *p;

	*p = v;
	fake2_check(off, old, v);
}

static void fake2_mmio_write(volatile void *addr, unsigned int size, u64 v)
{
	unsigned int i;
	u64 off;

	if (!fake2_where(addr, &off)) {
		fake2_fault("write outside the distributor", addr, size);
		return;
	}
	if (!fake2_width_ok(off, size)) {
		fake2_fault("bad-width or misaligned write", addr, size);
		return;
	}
	if ((off >= 0x004 && off < 0x00c) || (off >= 0x800 && off < 0x820) || off >= 0xfd0)
		return;		/* TYPER, IIDR, ITARGETSR0-7, identification: read-only */
	if (off == 0xf00) {
		fake2_hw_sgirs++;
		return;
	}
	if (off >= 0x100 && off < 0x400) {
		/* Set/clear pairs: 0x100/0x180, 0x200/0x280, 0x300/0x380. */
		u64 set = off & ~0x80ULL;
		bool setting = !(off & 0x80);

		for (i = 0; i < size; i++) {
			u8 bits = v >> (8 * i), cur = *fake2_byte(set + i);
			u8 now = setting ? cur | bits : cur & ~bits;

			fake2_store(set + i, now);
			fake2_store(set + 0x80 + i, now);
		}
		return;
	}
	for (i = 0; i < size; i++)
		fake2_store(off + i, v >> (8 * i));
}

/* The hypervisor source under test uses the model instead of the device. */
#define mmio_read fake2_mmio_read
#define mmio_write fake2_mmio_write

#endif

#if defined(GICV2_REGS_H) && !defined(WARDEN_TEST_HV_FAKE_GICV2_ENV)
#define WARDEN_TEST_HV_FAKE_GICV2_ENV

static struct {
	struct wd_system_config sys;
} fake2_sysconf;
const struct wd_system_config *system_config = &fake2_sysconf.sys;
struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct cell root_cell;
static struct cell fake2_attack, fake2_bystander;
static struct wd_cell_desc fake2_desc[3];
static char fake2_log[256];
/* The guest SGIs the emulation passed on (gicv2-cpuif.c filters and sends them). */
static unsigned long fake2_sgir_calls;
static u32 fake2_sgir_value;
static unsigned int fake2_sgir_cpu;

struct per_cpu *this_cpu(void)
{
	return &per_cpu_area[fake2_cpu];
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake2_log, sizeof(fake2_log), fmt, ap);
	va_end(ap);
}

int refuse(int err, u32 kind, u64 object, u64 addr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake2_log, sizeof(fake2_log), fmt, ap);
	va_end(ap);
	return err;
}

int arch_map_device(u64 phys, u64 size, void **virt)
{
	if (phys == FAKE2_GICD_PHYS && size <= sizeof(fake2_gicd)) {
		*virt = fake2_gicd;
		return 0;
	}
	return -ENOMEM;
}

u8 gicv2_cpu_target(unsigned int cpu)
{
	return cpu < FAKE2_CPUS ? 1U << cpu : 0;
}

void gicv2_sgir_write(struct per_cpu *pc, u32 value)
{
	fake2_sgir_calls++;
	fake2_sgir_value = value;
	fake2_sgir_cpu = pc->cpu_id;
}

static void fake2_cell(struct cell *c, struct wd_cell_desc *d, const char *name,
		       unsigned int cpu_mask, int owner_id)
{
	unsigned int irq, cpu;

	memset(c, 0, sizeof(*c));
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	c->config = d;
	c->cpu_set[0] = cpu_mask;
	for (irq = 32; irq < FAKE2_IRQS; irq++)
		if (fake2_spi_owner(irq) == owner_id)
			c->irq_owned[irq / 32] |= 1U << (irq % 32);
	for (cpu = 0; cpu < FAKE2_CPUS; cpu++)
		if (cpu_mask & (1U << cpu)) {
			per_cpu(cpu)->cell = c;
			per_cpu(cpu)->cpu_id = cpu;
			per_cpu(cpu)->initialized = true;
		}
}

static struct cell *fake2_cell_of(int caller)
{
	return caller == 0 ? &root_cell : caller == 1 ? &fake2_attack : &fake2_bystander;
}

/* The CPU a caller's accesses come from. */
static unsigned int fake2_cpu_of(int caller)
{
	return caller == 0 ? 0 : caller == 1 ? 2 : 3;
}

/* Fill the register file with @fill, then set up Warden over it. */
static int fake2_gic_setup(u8 fill)
{
	unsigned int cpu;
	int err;

	memset(fake2_gicd, fill, sizeof(fake2_gicd));
	memset(fake2_bank, fill, sizeof(fake2_bank));
	fake2_gicd[0] = 1;				/* CTLR: enabled */
	fake2_gicd[4] = 0x67; fake2_gicd[5] = 0xfc;	/* TYPER: 256 INTIDs, 4 CPUs, ... */
	fake2_gicd[6] = fake2_gicd[7] = 0;
	fake2_gicd[8] = 0x3b; fake2_gicd[9] = 0x04; fake2_gicd[10] = 0x20; fake2_gicd[11] = 0x02;
	memset(fake2_gicd + 0xfd0, 0, 0x30);
	fake2_gicd[0xfe8] = 0x2b;			/* PIDR2: architecture version 2 */
	fake2_gicd[0xff0] = 0x0d;			/* CIDR0 */
	for (cpu = 0; cpu < FAKE2_CPUS; cpu++)
		memset(&fake2_bank[cpu][0x800], 1U << cpu, 0x20);	/* ITARGETSR0-7 */
	memset(&fake2_sysconf, 0, sizeof(fake2_sysconf));
	fake2_sysconf.sys.platform.arm.gic_version = 2;
	fake2_sysconf.sys.platform.arm.maintenance_irq = FAKE2_MAINT;
	fake2_sysconf.sys.platform.arm.gicd_base = FAKE2_GICD_PHYS;
	fake2_sysconf.sys.platform.arm.gicc_base = 0x08010000;
	fake2_sysconf.sys.platform.arm.gich_base = 0x08030000;
	fake2_sysconf.sys.platform.arm.gicv_base = 0x08040000;
	memset(per_cpu_area, 0, sizeof(per_cpu_area));
	fake2_cell(&root_cell, &fake2_desc[0], "root", 0x3, 0);
	fake2_cell(&fake2_attack, &fake2_desc[1], "attack", 0x4, 1);
	fake2_cell(&fake2_bystander, &fake2_desc[2], "bystander", 0x8, 2);
	memset(&dist_lock, 0, sizeof(dist_lock));
	fake2_cpu = 0;
	err = gicv2_dist_init();
	if (err)
		return err;
	err = gicv2_dist_cell_init(&root_cell);
	if (!err)
		err = gicv2_dist_cell_init(&fake2_attack);
	if (!err)
		err = gicv2_dist_cell_init(&fake2_bystander);
	fake2_el2_faults = 0;
	fake2_hw_sgirs = 0;
	fake2_sgir_calls = 0;
	return err;
}

static bool fake2_lock_free(void)
{
	return dist_lock.owner == dist_lock.next;
}

#endif
