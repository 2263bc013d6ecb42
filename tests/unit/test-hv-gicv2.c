/*
 * Host tests of the GICv2 distributor emulation
 * (hypervisor/arch/arm64/gicv2-dist.c) through the MMIO core
 * (hypervisor/core/mmio.c), against the fake GICv2 of hv-fake-gicv2.h.
 *
 * 1. The register x width x owner matrix: every offset of the 4 KiB
 *    distributor, every width (1, 2, 4, 8), reads and writes of several
 *    values, from the root (CPU 0) and from two cells (CPUs 2 and 3), over a
 *    register file filled with zeros and with ones. The outcome (emulated /
 *    refused) and the value read match this file's own table of the GICv2
 *    architecture's register map (IHI 0048B table 4-1) and Warden's policy;
 *    every bit that changed belongs to the caller (its SPIs, its own CPU's
 *    banked SGIs/PPIs except the event SGI and the maintenance PPI; a route
 *    only to its own CPUs); the hypervisor never made a device access a
 *    GIC-400 would fault; the lock is free.
 * 2. The attacks one by one: routes to foreign CPUs (refused: a cell is
 *    stopped, the root's write is ignored), GICD_SGIR passed on to the
 *    filter with the sender's CPU, GICD_CTLR off, the banked registers of
 *    another CPU out of reach, and the reset of an SPI changing owner.
 */
#include "check.h"
#include <wd/mmio.h>
#include "hv-fake-gicv2.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/arch/arm64/gic-dist.c"
#include "../../hypervisor/arch/arm64/gicv2-dist.c"
#include "hv-fake-gicv2.h"

static char name[512];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

static unsigned long violations;
static char first_violation[300];

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (violations++)
		return;
	va_start(ap, fmt);
	vsnprintf(first_violation, sizeof(first_violation), fmt, ap);
	va_end(ap);
}

/* ---- The table: the architecture's register map and Warden's policy ---- */

enum kind { K_NONE, K_GLOBAL, K_RAZWI, K_BITS_RO, K_SETCLR, K_FIELD, K_TARGETS_PRIV,
	    K_TARGETS, K_SGIR };

struct reg {
	enum kind kind;
	unsigned int widths;	/* bit n: 2^n bytes */
	unsigned int bits;	/* per interrupt */
	u64 base;		/* offset of interrupt 0's field */
};

#define B1	0x1
#define B4	0x4

static struct reg gicd_reg(u64 off)
{
	struct reg r = { K_NONE, 0, 0, 0 };

	if (off < 0xc) r = (struct reg){ K_GLOBAL, B4 };
	else if (off >= 0x80 && off < 0x100) r = (struct reg){ K_BITS_RO, B4, 1, 0x80 };
	else if (off >= 0x100 && off < 0x400) r = (struct reg){ K_SETCLR, B4, 1, off & ~0x7fULL };
	else if (off >= 0x400 && off < 0x800) r = (struct reg){ K_FIELD, B1 | B4, 8, 0x400 };
	else if (off >= 0x800 && off < 0x820) r = (struct reg){ K_TARGETS_PRIV, B1 | B4, 8, 0x800 };
	else if (off >= 0x820 && off < 0xc00) r = (struct reg){ K_TARGETS, B1 | B4, 8, 0x800 };
	else if (off >= 0xc00 && off < 0xd00) r = (struct reg){ K_FIELD, B4, 2, 0xc00 };
	else if (off >= 0xd00 && off < 0xf00) r = (struct reg){ K_RAZWI, B4 };
	else if (off >= 0xf00 && off < 0xf04) r = (struct reg){ K_SGIR, B4 };
	else if (off >= 0xf10 && off < 0xf30) r = (struct reg){ K_RAZWI, B1 | B4 };
	else if (off >= 0xfd0) r = (struct reg){ K_GLOBAL, B4 };
	return r;
}

/* What a caller may see of interrupt @irq's field. */
static bool visible(int caller, unsigned int irq)
{
	return irq < 32 ? !fake2_reserved_private(irq) : fake2_owns_spi(caller, irq);
}

static u64 visible_mask(int caller, const struct reg *r, u64 off, unsigned int size)
{
	unsigned int n, first = (off - r->base) * 8 / r->bits;
	u64 mask = 0;

	for (n = 0; n < size * 8 / r->bits; n++)
		if (visible(caller, first + n))
			mask |= ((1ULL << r->bits) - 1) << (n * r->bits);
	return mask;
}

struct expect {
	int res;
	bool check_value;
	u64 value;
};

static struct expect expect_access(int caller, u64 off, unsigned int size, bool write,
				   u64 value)
{
	struct reg r = gicd_reg(off);
	struct expect e = { MMIO_HANDLED, !write, 0 };
	u64 hw = fake2_get(off, size > 4 ? 4 : size);
	unsigned int n;

	/* The MMIO core refuses a misaligned access before any handler. */
	if (off & (size - 1)) {
		e.res = MMIO_ERROR;
		return e;
	}
	if (r.kind == K_NONE) {
		/* No register: the root reads zero, a cell is stopped. */
		if (caller)
			e.res = MMIO_ERROR;
		return e;
	}
	if (!((r.widths >> __builtin_ctz(size)) & 1) || (off & (size - 1))) {
		e.res = MMIO_ERROR;
		return e;
	}
	switch (r.kind) {
	case K_GLOBAL:
	case K_TARGETS_PRIV:
		e.value = hw;
		break;
	case K_BITS_RO:
	case K_SETCLR:
	case K_FIELD:
	case K_TARGETS:
		e.value = hw & visible_mask(caller, &r, off, size);
		break;
	default:
		break;
	}
	/* A route naming a CPU outside the caller's cell, for an SPI it owns. */
	if (write && r.kind == K_TARGETS)
		for (n = 0; n < size; n++)
			if (fake2_owns_spi(caller, off - 0x800 + n) &&
			    ((value >> (8 * n)) & 0xff & ~fake2_cpu_mask(caller)))
				e.res = caller ? MMIO_ERROR : MMIO_HANDLED;
	return e;
}

static enum mmio_result access(int caller, u64 off, unsigned int size, bool write, u64 *value)
{
	struct mmio_access a = { .address = FAKE2_GICD_PHYS + off, .size = size,
				 .is_write = write,
				 .value = write ? *value : 0xdeadbeefdeadbeefULL };
	enum mmio_result res;

	if (write && size < 8)
		a.value &= (1ULL << (size * 8)) - 1;
	fake2_cpu = fake2_cpu_of(caller);
	fake2_caller = caller;
	res = mmio_dispatch(&fake2_cell_of(caller)->mmio, &a);
	fake2_caller = -1;
	if (!fake2_lock_free())
		violation("lock held after a %u-byte %s at +0x%llx", size,
			  write ? "write" : "read", off);
	if (!write)
		*value = a.value;
	return res;
}

static unsigned long accesses;

static void try_one(int caller, u64 off, unsigned int size, bool write, u64 value)
{
	struct expect e;
	enum mmio_result res;
	unsigned long sgirs = fake2_sgir_calls;
	u64 v = value;

	if (write && size < 8)
		value &= (1ULL << (size * 8)) - 1;
	fake2_cpu = fake2_cpu_of(caller);
	e = expect_access(caller, off, size, write, value);
	res = access(caller, off, size, write, &v);
	accesses++;
	if ((int)res != e.res)
		violation("+0x%llx, %u-byte %s 0x%llx by caller %d: result %d, table %d",
			  off, size, write ? "write" : "read", value, caller, res, e.res);
	else if (!write && res == MMIO_HANDLED && e.check_value && v != e.value)
		violation("+0x%llx, %u-byte read by caller %d: 0x%llx, table 0x%llx",
			  off, size, caller, v, e.value);
	if (fake2_sgir_calls != sgirs &&
	    !(write && off == 0xf00 && size == 4 && res == MMIO_HANDLED &&
	      fake2_sgir_value == (u32)value && fake2_sgir_cpu == fake2_cpu_of(caller)))
		violation("+0x%llx, %u-byte %s by caller %d reached the SGI filter wrongly",
			  off, size, write ? "write" : "read", caller);
}

static void test_matrix(void)
{
	static const u64 values[] = { 0, ~0ULL, 0x5a5a5a5a5a5a5a5aULL, 0x0404040404040404ULL,
				      0x0101010101010101ULL };
	unsigned int fill, caller, size, v;
	u64 off;

	for (fill = 0; fill < 2; fill++) {
		CHECK_EQ(NAME("gicv2 matrix: set-up over a register file of 0x%02x", fill ? 0xff : 0),
			 fake2_gic_setup(fill ? 0xff : 0), 0);
		for (caller = 0; caller < 3; caller++)
			for (off = 0; off < 0x1000; off++)
				for (size = 1; size <= 8; size <<= 1) {
					u64 rd;

					try_one(caller, off, size, false, 0);
					for (v = 0; v < ARRAY_SIZE(values); v++)
						try_one(caller, off, size, true, values[v]);
					rd = 0;
					access(caller, off, size, false, &rd);
				}
	}
	printf("# gicv2 matrix: %lu accesses\n", accesses);
	CHECK_EQ(NAME("gicv2 matrix: every outcome and value as the table says (%s)",
		      violations ? first_violation : "none differ"), violations, 0);
	CHECK_EQ(NAME("gicv2 matrix: every changed bit was the caller's (%s)",
		      fake2_bad_changes ? fake2_bad_change : "none"), fake2_bad_changes, 0);
	CHECK_EQ(NAME("gicv2 matrix: the hypervisor never made a faulting device access (%s)",
		      fake2_el2_faults ? fake2_last_fault : "none"), fake2_el2_faults, 0);
	CHECK_EQ("gicv2 matrix: the hypervisor sent no physical SGI for a guest", fake2_hw_sgirs, 0);
}

static u64 rd32(int caller, u64 off)
{
	u64 v = 0;

	access(caller, off, 4, false, &v);
	return v;
}

static enum mmio_result wr(int caller, u64 off, unsigned int size, u64 v)
{
	return access(caller, off, size, true, &v);
}

static void test_attacks(void)
{
	fake2_gic_setup(0);
	fake2_bad_changes = 0;

	/* Routes. */
	CHECK_EQ("gicv2: a cell routing its SPI 40 to CPU 0 is stopped",
		 wr(1, 0x800 + 40, 1, 0x01), MMIO_ERROR);
	CHECK_EQ("gicv2: ... and the route is unchanged", fake2_gicd[0x800 + 40], 0);
	CHECK_EQ("gicv2: a cell routing SPI 40 to its own CPU 2", wr(1, 0x800 + 40, 1, 0x04),
		 MMIO_HANDLED);
	CHECK_EQ("gicv2: ... takes effect", fake2_gicd[0x800 + 40], 0x04);
	CHECK_EQ("gicv2: a word write routing 40-43 with one byte to CPU 3 is stopped",
		 wr(1, 0x800 + 40, 4, 0x04040804), MMIO_ERROR);
	CHECK_EQ("gicv2: ... and changes none of the four", rd32(1, 0x800 + 40), 0x04);
	CHECK_EQ("gicv2: the root routing its SPI 33 to CPU 2 (a cell's) is ignored",
		 wr(0, 0x800 + 32, 4, 0x00000400), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... the root keeps running, the route is unchanged",
		 fake2_gicd[0x800 + 33], 0);
	CHECK("gicv2: ... and the hypervisor says so",
	      strstr(fake2_log, "ITARGETSR of IRQ 33 to CPU targets 0x4 refused") != NULL);
	CHECK_EQ("gicv2: the root routing SPI 33 to CPU 1", wr(0, 0x800 + 32, 4, 0x00000200),
		 MMIO_HANDLED);
	CHECK_EQ("gicv2: ... takes effect", fake2_gicd[0x800 + 33], 0x02);
	CHECK_EQ("gicv2: a cell's write to the root's SPI routes is ignored",
		 wr(2, 0x800 + 32, 4, 0x08080808), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... unchanged", fake2_gicd[0x800 + 33], 0x02);

	/* The distributor's global state. */
	CHECK_EQ("gicv2: GICD_CTLR = 0 from a cell is ignored", wr(1, 0, 4, 0), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... from the root too", wr(0, 0, 4, 0), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... the distributor stays on", fake2_gicd[0], 1);

	/* SGIs: passed to the cell filter (gicv2-cpuif.c) with the sender's CPU. */
	fake2_sgir_calls = 0;
	CHECK_EQ("gicv2: GICD_SGIR from a cell", wr(2, 0xf00, 4, 0x00ff0003), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... goes to the filter once", fake2_sgir_calls, 1);
	CHECK_EQ("gicv2: ... with the sender's CPU", fake2_sgir_cpu, 3);
	CHECK_EQ("gicv2: ... and its value", fake2_sgir_value, 0x00ff0003);
	CHECK_EQ("gicv2: a byte write to GICD_SGIR stops the cell", wr(2, 0xf00, 1, 3), MMIO_ERROR);
	CHECK_EQ("gicv2: ... and sends nothing", fake2_sgir_calls, 1);
	CHECK_EQ("gicv2: GICD_SGIR reads as zero", rd32(1, 0xf00), 0);
	CHECK_EQ("gicv2: SPENDSGIR writes are ignored", wr(1, 0xf20, 4, ~0ULL), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... unchanged", fake2_bank[2][0xf20], 0);

	/* Banked SGI/PPI registers: the caller's own CPU, never the hypervisor's two. */
	CHECK_EQ("gicv2: a cell sets SGI 15 and PPI 25 active, enables PPI 27",
		 wr(1, 0x300, 4, 1U << 15 | 1U << 25 | 1U << 27), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... only PPI 27 changed, on its own CPU",
		 fake2_bank[2][0x301] == 0 && fake2_bank[2][0x303] == 0x08 &&
		 fake2_bank[0][0x303] == 0 && fake2_bank[3][0x303] == 0, 1);
	fake2_cpu = 0;
	CHECK_EQ("gicv2: the root's CPU 0 copy untouched", fake2_get(0x300, 4), 0);
	CHECK_EQ("gicv2: a cell may not change a PPI's trigger mode", wr(1, 0xc04, 4, ~0ULL),
		 MMIO_HANDLED);
	CHECK_EQ("gicv2: ... unchanged", fake2_bank[2][0xc07], 0);
	CHECK_EQ("gicv2: the root may (its own CPU)", wr(0, 0xc04, 4, 0x00800000), MMIO_HANDLED);
	CHECK_EQ("gicv2: ... on CPU 0 only", fake2_bank[0][0xc06] == 0x80 &&
		 fake2_bank[1][0xc06] == 0, 1);
	CHECK_EQ("gicv2: ... no foreign bit changed in these attacks", fake2_bad_changes, 0);

	/* An SPI changing owner. */
	fake2_gic_setup(0xff);
	gicv2_irq_reset(40, &fake2_attack);
	CHECK_EQ("gicv2: reset of SPI 40 for the attack cell: disabled",
		 (fake2_gicd[0x100 + 5] & 1) == 0 && (fake2_gicd[0x180 + 5] & 1) == 0, 1);
	CHECK_EQ("gicv2: ... not pending, not active",
		 (fake2_gicd[0x200 + 5] & 1) == 0 && (fake2_gicd[0x300 + 5] & 1) == 0, 1);
	CHECK_EQ("gicv2: ... default priority", fake2_gicd[0x400 + 40], 0xa0);
	CHECK_EQ("gicv2: ... routed to its CPU 2", fake2_gicd[0x800 + 40], 0x04);
	fake2_gicd[0xc00 + 40 / 4] &= ~(2U << (40 % 4 * 2));	/* the cell makes it level */
	gicv2_irq_reset(40, &root_cell);
	CHECK_EQ("gicv2: back to the root: routed to CPU 0", fake2_gicd[0x800 + 40], 0x01);
	CHECK_EQ("gicv2: ... its edge trigger as the root had it",
		 (fake2_gicd[0xc00 + 40 / 4] >> (40 % 4 * 2 + 1)) & 1, 1);
	gicv2_irq_reset(7, &fake2_attack);
	gicv2_irq_reset(300, &fake2_attack);
	CHECK_EQ("gicv2: resets outside the SPIs do nothing, no fault, lock free",
		 fake2_el2_faults == 0 && fake2_lock_free(), 1);

	/* A parked CPU's banked state for the next owner. */
	fake2_gic_setup(0xff);
	fake2_cpu = 2;
	gicv2_private_reset();
	CHECK_EQ("gicv2: parked CPU: PPIs disabled but PPI 25 (maintenance)",
		 fake2_get(0x100, 4) >> 16, 1U << (25 - 16));
	CHECK_EQ("gicv2: ... nothing pending but SGI 15 and PPI 25", fake2_get(0x200, 4),
		 1U << 15 | 1U << 25);
	CHECK_EQ("gicv2: ... nothing active but those", fake2_get(0x300, 4), 1U << 15 | 1U << 25);
	CHECK_EQ("gicv2: ... priorities 0 (PPIs 28-31)", fake2_get(0x41c, 4), 0);
	CHECK_EQ("gicv2: ... SGI 15's priority kept", fake2_get(0x40c, 4), 0xff000000);
	CHECK_EQ("gicv2: ... PPI 25's priority kept", fake2_get(0x418, 4), 0x0000ff00);
	CHECK_EQ("gicv2: ... another CPU's copy untouched", fake2_bank[1][0x300], 0xff);
	CHECK_EQ("gicv2: ... without a faulting access", fake2_el2_faults, 0);

	/* No virtualization extensions: refused, and said why. */
	fake2_sysconf.sys.platform.arm.gich_base = 0;
	CHECK_EQ("gicv2: a GICv2 without GICH is refused", gicv2_dist_init(), -ENODEV);
	CHECK("gicv2: ... naming the virtualization extensions",
	      strstr(fake2_log, "without the virtualization extensions") != NULL);
}

int main(void)
{
	test_matrix();
	test_attacks();
	return CHECK_DONE();
}
