/*
 * Host tests of the GICv3 distributor/redistributor emulation
 * (hypervisor/arch/arm64/gicv3-dist.c, gicv3-redist.c) through the MMIO core
 * (hypervisor/core/mmio.c) and the data-abort emulation (mmio-decode.c),
 * against the fake GIC of hv-fake-gic.h.
 *
 * 1. Every offset of the distributor and (densely where registers are,
 *    sampled elsewhere) of every redistributor frame, every width (1, 2, 4,
 *    8), reads and writes of several values, from the root and from a cell,
 *    over a register file filled with zeros and with ones: the outcome
 *    (emulated / refused) and the value read match this file's own table of
 *    the architecture's register map and Warden's policy; the bits that
 *    changed in the fake GIC belong to interrupts (or frames) the caller owns
 *    and never to the event SGI or the maintenance PPI; the hypervisor itself
 *    never made a device access a real GIC would fault; dist_lock is free.
 * 2. The attacks of issue 9 one by one (SGI 15 active, unaligned store,
 *    IROUTER halves, LPI registers), the GICv4 frame stride, the
 *    identification walk of a Jailhouse inmate, and the reset of an SPI
 *    changing owner.
 */
#include <pthread.h>
#include <stdlib.h>

#include "check.h"
#include <wd/mmio.h>
#include "hv-fake-gic.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/arch/arm64/mmio-decode.c"
#include "../../hypervisor/arch/arm64/gic-dist.c"
#include "../../hypervisor/arch/arm64/gicv3-dist.c"
#include "../../hypervisor/arch/arm64/gicv3-redist.c"
#include "hv-fake-gic.h"

static char name[200];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

enum { RES_OK = MMIO_HANDLED, RES_ERR = MMIO_ERROR };

static struct cell *caller_cell(int caller)
{
	return caller == 0 ? &root_cell : caller == 1 ? &fake_attack : &fake_bystander;
}

/* ---- The table: the architecture's register map and Warden's policy ---- */

enum kind { K_NONE, K_GLOBAL, K_RAZWI, K_SETSPI, K_BITS_RO, K_SETCLR, K_FIELD,
	    K_IROUTER, K_ID, K_LPI, K_WAKER, K_EPPI };

struct reg {
	enum kind kind;
	unsigned int widths;	/* bit n: 2^n bytes */
	unsigned int bits;	/* per interrupt */
	u64 base;		/* offset of interrupt 0's field */
};

#define B1	0x1
#define B4	0x4
#define B8	0x8

static struct reg gicd_reg(u64 off)
{
	struct reg r = { K_NONE, 0, 0, 0 };

	if (off < 0x10) r = (struct reg){ K_GLOBAL, B4 };
	else if (off < 0x14) r = (struct reg){ K_RAZWI, B4 };
	else if (off >= 0x40 && off < 0x44) r = (struct reg){ K_SETSPI, B4 };
	else if (off >= 0x48 && off < 0x4c) r = (struct reg){ K_SETSPI, B4 };
	else if (off >= 0x50 && off < 0x54) r = (struct reg){ K_RAZWI, B4 };
	else if (off >= 0x58 && off < 0x5c) r = (struct reg){ K_RAZWI, B4 };
	else if (off >= 0x80 && off < 0x100) r = (struct reg){ K_BITS_RO, B4, 1, 0x80 };
	else if (off >= 0x100 && off < 0x400) r = (struct reg){ K_SETCLR, B4, 1, off & ~0x7fULL };
	else if (off >= 0x400 && off < 0x800) r = (struct reg){ K_FIELD, B1 | B4, 8, 0x400 };
	else if (off >= 0x800 && off < 0xc00) r = (struct reg){ K_RAZWI, B1 | B4 };
	else if (off >= 0xc00 && off < 0xd00) r = (struct reg){ K_FIELD, B4, 2, 0xc00 };
	else if (off >= 0xd00 && off < 0xd80) r = (struct reg){ K_BITS_RO, B4, 1, 0xd00 };
	else if (off >= 0xe00 && off < 0xf04) r = (struct reg){ K_RAZWI, B4 };
	else if (off >= 0xf10 && off < 0xf30) r = (struct reg){ K_RAZWI, B1 | B4 };
	else if (off >= 0xf80 && off < 0x1000) r = (struct reg){ K_FIELD, B4, 1, 0xf80 };
	else if ((off >= 0x1000 && off < 0x1080) || (off >= 0x1200 && off < 0x1e00) ||
		 (off >= 0x3000 && off < 0x3100) || (off >= 0x3400 && off < 0x3480) ||
		 (off >= 0x3600 && off < 0x3700) || (off >= 0x3b00 && off < 0x3b80))
		r = (struct reg){ K_RAZWI, B4 };
	else if (off >= 0x2000 && off < 0x2400) r = (struct reg){ K_RAZWI, B1 | B4 };
	else if (off >= 0x6100 && off < 0x7fe0) r = (struct reg){ K_IROUTER, B4 | B8 };
	else if (off >= 0x8000 && off < 0xa000) r = (struct reg){ K_RAZWI, B4 | B8 };
	else if (off >= 0xffd0) r = (struct reg){ K_GLOBAL, B4 };
	return r;
}

static struct reg gicr_reg(u64 off, bool v4)
{
	struct reg r = { K_NONE, 0, 0, 0 };

	if (off < 0x4) r = (struct reg){ K_LPI, B4 };
	else if (off < 0x10) r = (struct reg){ K_ID, B4 | B8 };
	else if (off < 0x14) r = (struct reg){ K_RAZWI, B4 };
	else if (off < 0x18) r = (struct reg){ K_WAKER, B4 };
	else if (off < 0x20) r = (struct reg){ K_RAZWI, B4 };
	else if ((off >= 0x40 && off < 0x50) || (off >= 0x70 && off < 0x80) ||
		 (off >= 0xa0 && off < 0xa8) || (off >= 0xb0 && off < 0xb8))
		r = (struct reg){ K_LPI, B4 | B8 };
	else if (off >= 0xc0 && off < 0xc4) r = (struct reg){ K_LPI, B4 };
	else if (off >= 0xffd0 && off < 0x10000) r = (struct reg){ K_ID, B4 };
	else if (off >= 0x10080 && off < 0x10084) r = (struct reg){ K_BITS_RO, B4, 1, 0x10080 };
	else if (off >= 0x10100 && off < 0x10400 && (off & 0x7f) < 4)
		r = (struct reg){ K_SETCLR, B4, 1, off & ~0x7fULL };
	else if (off >= 0x10400 && off < 0x10420) r = (struct reg){ K_FIELD, B1 | B4, 8, 0x10400 };
	else if (off >= 0x10c00 && off < 0x10c08) r = (struct reg){ K_FIELD, B4, 2, 0x10c00 };
	else if (off >= 0x10d00 && off < 0x10d04) r = (struct reg){ K_BITS_RO, B4, 1, 0x10d00 };
	else if (off >= 0x10e00 && off < 0x10e04) r = (struct reg){ K_RAZWI, B4 };
	else if (off >= 0x10f80 && off < 0x10f84) r = (struct reg){ K_FIELD, B4, 1, 0x10f80 };
	/* Extended PPI registers: <reg>0 + 4 and + 8 */
	else if ((off >= 0x10084 && off < 0x1008c) ||
		 (off >= 0x10100 && off < 0x10400 && (off & 0x7f) >= 4 && (off & 0x7f) < 0xc) ||
		 (off >= 0x10c08 && off < 0x10c18) || (off >= 0x10d04 && off < 0x10d0c) ||
		 (off >= 0x10f84 && off < 0x10f8c))
		r = (struct reg){ K_EPPI, B4 };
	else if (off >= 0x10420 && off < 0x10460) r = (struct reg){ K_EPPI, B1 | B4 };
	else if (v4 && off >= 0x20070 && off < 0x20090) r = (struct reg){ K_RAZWI, B4 | B8 };
	return r;
}

/* Mask of the bits a caller may see (and of the fields it owns) in a per-interrupt register. */
static u64 gicd_owned_mask(int caller, const struct reg *r, u64 off, unsigned int size,
			   bool writable)
{
	unsigned int n, first = (off - r->base) * 8 / r->bits;
	u64 mask = 0, field = (1ULL << r->bits) - 1;

	if (writable && r->kind == K_FIELD && r->bits == 2)
		field = 2;
	for (n = 0; n < size * 8 / r->bits; n++)
		if (owns_spi(caller, first + n))
			mask |= field << (n * r->bits);
	return mask;
}

static u64 gicr_private_mask(const struct reg *r, u64 off, unsigned int size)
{
	unsigned int n, first = (off - r->base) * 8 / r->bits;
	u64 mask = 0, field = (1ULL << r->bits) - 1;

	for (n = 0; n < size * 8 / r->bits; n++)
		if (!reserved_private(first + n))
			mask |= field << (n * r->bits);
	return mask;
}

struct expect {
	int res;
	bool check_value;
	u64 value;
};

static bool route_ok(int caller, u64 route)
{
	unsigned int cpu;

	if (route & (1ULL << 31))
		return false;
	route &= 0xffffffULL | (0xffULL << 32);
	for (cpu = 0; cpu < FAKE_CPUS; cpu++)
		if (owns_cpu(caller, cpu) && route == cpu)
			return true;
	return false;
}

static struct expect expect_gicd(int caller, u64 off, unsigned int size, bool write, u64 value)
{
	struct reg r = gicd_reg(off);
	struct expect e = { RES_OK, true, 0 };
	u64 raw;

	if (off & (size - 1)) {		/* the MMIO core, before any handler */
		e.res = RES_ERR;
		return e;
	}
	if (r.kind == K_NONE) {
		e.res = caller ? RES_ERR : RES_OK;
		return e;
	}
	if (!(r.widths & size) || (off & (size - 1))) {
		e.res = RES_ERR;
		e.check_value = false;
		return e;
	}
	raw = fake_raw(fake_gicd + off, size);
	switch (r.kind) {
	case K_GLOBAL:
		e.value = raw;
		break;
	case K_SETSPI:
		if (write && !owns_spi(caller, value & 0x1fff) && caller)
			e.res = RES_ERR;
		break;
	case K_BITS_RO:
	case K_SETCLR:
	case K_FIELD:
		e.value = raw & gicd_owned_mask(caller, &r, off, size, false);
		break;
	case K_IROUTER: {
		unsigned int irq = (off - 0x6000) / 8;
		u64 full = fake_raw(fake_gicd + (off & ~7ULL), 8), route = value;

		if (!owns_spi(caller, irq))
			break;
		e.value = raw;
		if (size == 4)
			route = (off & 4) ? (full & 0xffffffffULL) | (value << 32) :
					    (full & ~0xffffffffULL) | (value & 0xffffffffULL);
		if (write && !route_ok(caller, route) && caller)
			e.res = RES_ERR;
		break;
	}
	default:
		break;
	}
	return e;
}

static struct expect expect_gicr(int caller, unsigned int frame, u64 off, unsigned int size,
				 bool write, bool v4)
{
	struct reg r = gicr_reg(off, v4);
	struct expect e = { RES_OK, true, 0 };
	bool own = owns_cpu(caller, frame);
	u64 raw;

	if (off & (size - 1)) {
		e.res = RES_ERR;
		return e;
	}
	if (r.kind == K_NONE) {
		e.res = caller ? RES_ERR : RES_OK;
		return e;
	}
	if (!(r.widths & size) || (off & (size - 1))) {
		e.res = RES_ERR;
		e.check_value = false;
		return e;
	}
	raw = fake_raw(fake_gicr + frame * fake_stride + off, size);
	if (r.kind == K_ID) {
		e.value = raw;
		return e;
	}
	if (!own) {
		if (write && caller)
			e.res = RES_ERR;
		return e;
	}
	switch (r.kind) {
	case K_LPI:
	case K_EPPI:
	case K_WAKER:
		e.value = caller ? 0 : raw;
		break;
	case K_BITS_RO:
	case K_SETCLR:
	case K_FIELD:
		e.value = raw & gicr_private_mask(&r, off, size);
		break;
	default:
		break;
	}
	return e;
}

/* ---- Which bits of the fake GIC a caller may have changed ---- */

static u8 snap_d[sizeof(fake_gicd)], snap_r[sizeof(fake_gicr)];
static unsigned long violations;
static char first_violation[240];

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (!violations++) {
		va_start(ap, fmt);
		vsnprintf(first_violation, sizeof(first_violation), fmt, ap);
		va_end(ap);
	}
}

static void snapshot(void)
{
	memcpy(snap_d, fake_gicd, sizeof(snap_d));
	memcpy(snap_r, fake_gicr, sizeof(snap_r));
}

/* Every bit that changed since the snapshot must be the caller's to change. */
static void check_changes(int caller, const char *ctx)
{
	size_t i;
	unsigned int b;

	if (memcmp(snap_d, fake_gicd, sizeof(snap_d)))
		for (i = 0; i < sizeof(snap_d); i++)
			for (b = 0; b < 8; b++)
				if (((snap_d[i] ^ fake_gicd[i]) >> b) & 1 &&
				    !fake_gicd_bit_ok(caller, i, b))
					violation("%s: caller %d changed GICD+0x%zx bit %u",
						  ctx, caller, i, b);
	if (memcmp(snap_r, fake_gicr, sizeof(snap_r)))
		for (i = 0; i < sizeof(snap_r); i++)
			for (b = 0; b < 8; b++)
				if (((snap_r[i] ^ fake_gicr[i]) >> b) & 1 &&
				    !fake_gicr_bit_ok(caller, i / fake_stride, i % fake_stride, b,
						 (fake_gicr[i] >> b) & 1))
					violation("%s: caller %d changed frame %zu +0x%zx bit %u",
						  ctx, caller, i / fake_stride,
						  i % fake_stride, b);
	snapshot();
}

static enum mmio_result access(int caller, u64 addr, unsigned int size, bool write,
			       u64 *value)
{
	struct mmio_access a = { .address = addr, .size = size, .is_write = write,
				 .value = write ? *value : 0xdeadbeefdeadbeefULL };
	enum mmio_result res;

	if (write && size < 8)
		a.value &= (1ULL << (size * 8)) - 1;
	fake_caller = caller;
	res = mmio_dispatch(&caller_cell(caller)->mmio, &a);
	fake_caller = -1;
	if (!fake_lock_free())
		violation("dist_lock held after a %u-byte %s at 0x%llx", size,
			  write ? "write" : "read", addr);
	if (!write)
		*value = a.value;
	return res;
}

static unsigned long accesses;

static void try_one(int caller, char region, unsigned int frame, u64 off,
		    unsigned int size, bool write, u64 value, bool v4)
{
	u64 addr = region == 'd' ? FAKE_GICD_PHYS + off :
		   FAKE_GICR_PHYS + frame * fake_stride + off;
	struct expect e;
	enum mmio_result res;
	u64 v = value;

	if (write && size < 8)
		value &= (1ULL << (size * 8)) - 1;
	e = region == 'd' ? expect_gicd(caller, off, size, write, value) :
			    expect_gicr(caller, frame, off, size, write, v4);
	res = access(caller, addr, size, write, &v);
	accesses++;
	if ((int)res != e.res)
		violation("%c frame %u +0x%llx, %u-byte %s 0x%llx by caller %d: result %d, table %d",
			  region, frame, off, size, write ? "write" : "read", value,
			  caller, res, e.res);
	else if (!write && res == MMIO_HANDLED && e.check_value && v != e.value)
		violation("%c frame %u +0x%llx, %u-byte read by caller %d: 0x%llx, table 0x%llx",
			  region, frame, off, size, caller, v, e.value);
}

static void sweep_offset(int caller, char region, unsigned int frame, u64 off, bool v4)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	u64 values[] = { ~0ULL, 0x5a5a5a5a5a5a5a5aULL, caller ? 2 : 1 };
	unsigned int s, v;

	for (s = 0; s < 4; s++) {
		try_one(caller, region, frame, off, sizes[s], false, 0, v4);
		for (v = 0; v < 3; v++)
			try_one(caller, region, frame, off, sizes[s], true, values[v], v4);
	}
}

/* The redistributor offsets swept: all of the register pages' heads, a sample elsewhere. */
static bool gicr_offset_swept(u64 off)
{
	return off < 0x200 || (off >= 0xff00 && off < 0x10000) ||
	       (off >= 0x10000 && off < 0x11000) || (off >= 0x20000 && off < 0x20100) ||
	       (off % 0x1f4) == 0;
}

static void test_table(u8 fill, bool v4)
{
	int caller;
	unsigned int frame;
	u64 off;

	CHECK_EQ(NAME("gic table (fill 0x%02x%s): set up", fill, v4 ? ", GICv4" : ""),
		 fake_gic_setup(fill, v4), 0);
	for (caller = 0; caller < 2; caller++) {
		const char *who = caller ? "cell" : "root";

		violations = accesses = 0;
		snapshot();
		for (off = 0; off < 0x10000; off++) {
			sweep_offset(caller, 'd', 0, off, v4);
			if ((off & 0xff) == 0xff)
				check_changes(caller, "GICD");
		}
		for (frame = 0; frame < FAKE_CPUS; frame++)
			for (off = 0; off < fake_stride; off++) {
				if (!gicr_offset_swept(off))
					continue;
				sweep_offset(caller, 'r', frame, off, v4);
				if ((off & 0xff) == 0xff)
					check_changes(caller, "GICR");
			}
		check_changes(caller, "end");
		if (violations)
			printf("# first: %s\n", first_violation);
		CHECK_EQ(NAME("gic table (fill 0x%02x%s): %lu accesses by the %s: results and values as the table says, only its own fields changed, lock released",
			      fill, v4 ? ", GICv4" : "", accesses, who), violations, 0);
		if (fake_bad_changes)
			printf("# %s\n", fake_bad_change);
		CHECK_EQ(NAME("gic table (fill 0x%02x%s, %s): every write the hypervisor made changed only the caller's bits",
			      fill, v4 ? ", GICv4" : "", who), fake_bad_changes, 0);
		fake_bad_changes = 0;
		if (fake_el2_faults)
			printf("# %s\n", fake_last_fault);
		CHECK_EQ(NAME("gic table (fill 0x%02x%s, %s): no device access EL2 would fault on",
			      fill, v4 ? ", GICv4" : "", who), fake_el2_faults, 0);
	}
}

/* ---- The attacks, one by one ---- */

static u32 frame_reg(unsigned int frame, u64 off)
{
	return fake_raw(fake_gicr + frame * fake_stride + off, 4);
}

static void test_sgi15_active(void)
{
	u64 v = 0x8000;
	unsigned int caller;

	fake_gic_setup(0, false);
	CHECK_EQ("gic: a cell's 32-bit ISACTIVER0 write of SGI 15 on its own frame is emulated",
		 access(1, FAKE_GICR_PHYS + 2 * 0x20000 + 0x10300, 4, true, &v), MMIO_HANDLED);
	CHECK_EQ("gic: ... and SGI 15 does not become active", frame_reg(2, 0x10300), 0);
	v = 0xffffffff;
	access(1, FAKE_GICR_PHYS + 2 * 0x20000 + 0x10300, 4, true, &v);
	CHECK_EQ("gic: all-ones ISACTIVER0: every SGI/PPI but SGI 15 and PPI 25 active",
		 frame_reg(2, 0x10300), ~((1U << 15) | (1U << 25)));
	for (caller = 0; caller < 2; caller++) {
		unsigned int frame = caller ? 2 : 0;

		fake_gic_setup(0, false);
		fake_put(fake_gicr + frame * 0x20000 + 0x10100, 4, 0x8000 | (1U << 25));
		fake_put(fake_gicr + frame * 0x20000 + 0x10180, 4, 0x8000 | (1U << 25));
		v = 0xffffffff;
		access(caller, FAKE_GICR_PHYS + frame * 0x20000 + 0x10180, 4, true, &v);
		CHECK_EQ(NAME("gic: ICENABLER0 all ones by the %s leaves SGI 15 and PPI 25 enabled",
			      caller ? "cell" : "root"),
			 frame_reg(frame, 0x10100), 0x8000 | (1U << 25));
		v = 0x10;
		CHECK_EQ(NAME("gic: byte write of SGI 15's priority by the %s is emulated",
			      caller ? "cell" : "root"),
			 access(caller, FAKE_GICR_PHYS + frame * 0x20000 + 0x1040f, 1, true, &v),
			 MMIO_HANDLED);
		CHECK_EQ("gic: ... and leaves it", fake_gicr[frame * 0x20000 + 0x1040f], 0);
		v = 0x10101010;
		access(caller, FAKE_GICR_PHYS + frame * 0x20000 + 0x10418, 4, true, &v);
		CHECK_EQ(NAME("gic: word write of IPRIORITYR6 by the %s changes PPIs 24, 26, 27, not 25",
			      caller ? "cell" : "root"),
			 frame_reg(frame, 0x10418), 0x10100010);
		v = 0xffffffff;
		access(caller, FAKE_GICR_PHYS + frame * 0x20000 + 0x10c04, 4, true, &v);
		CHECK_EQ("gic: ICFGR1 all ones: PPI 25's configuration kept",
			 (frame_reg(frame, 0x10c04) >> 18) & 3, 0);
		CHECK_EQ(NAME("gic: ICFGR1 all ones by the %s: %s", caller ? "cell" : "root",
			      caller ? "no PPI becomes edge-triggered" : "the other PPIs are edge"),
			 frame_reg(frame, 0x10c04), caller ? 0 : 0xaaa2aaaa);
		v = 0x8000;
		CHECK_EQ("gic: a byte write to ISACTIVER0 is refused",
			 access(caller, FAKE_GICR_PHYS + frame * 0x20000 + 0x10301, 1, true, &v),
			 MMIO_ERROR);
		CHECK_EQ("gic: ... and changes nothing", frame_reg(frame, 0x10300), 0);
	}
}

static void test_unaligned(void)
{
	u64 v = 0xa0a0a0a0;
	struct dabt_info info = { .ipa = FAKE_GICD_PHYS + 0x421, .size = 4, .reg = 3,
				  .is_write = true, .valid = true };
	u64 x[31] = { 0 };

	fake_gic_setup(0, false);
	CHECK_EQ("gic: 32-bit store to GICD+0x421 (misaligned) is refused",
		 access(1, FAKE_GICD_PHYS + 0x421, 4, true, &v), MMIO_ERROR);
	CHECK_EQ("gic: ... without any device access at EL2", fake_el2_faults, 0);
	CHECK("gic: ... with the lock free", fake_lock_free());
	CHECK_EQ("gic: the root's misaligned read of GICD_TYPER is refused (external abort)",
		 access(0, FAKE_GICD_PHYS + 0x5, 4, false, &v), MMIO_ERROR);
	x[3] = 0x1234;
	CHECK_EQ("gic: dabt_emulate of the misaligned store: MMIO_ERROR",
		 dabt_emulate(&fake_attack.mmio, &info, x), MMIO_ERROR);
	info.is_write = false;
	CHECK_EQ("gic: dabt_emulate of a misaligned load: MMIO_ERROR",
		 dabt_emulate(&fake_attack.mmio, &info, x), MMIO_ERROR);
	CHECK_EQ("gic: ... and the destination register is untouched", x[3], 0x1234);
	CHECK_EQ("gic: no EL2 device fault in all of this", fake_el2_faults, 0);
	v = 0;
	CHECK_EQ("gic: a 64-bit read of IPRIORITYR is refused",
		 access(1, FAKE_GICD_PHYS + 0x428, 8, false, &v), MMIO_ERROR);
	CHECK_EQ("gic: a 16-bit read of IPRIORITYR is refused",
		 access(1, FAKE_GICD_PHYS + 0x428, 2, false, &v), MMIO_ERROR);
	CHECK_EQ("gic: a byte read of IPRIORITYR of an owned SPI is emulated",
		 access(1, FAKE_GICD_PHYS + 0x428, 1, false, &v), MMIO_HANDLED);
}

static void test_irouter(void)
{
	u64 base = FAKE_GICD_PHYS + 0x6000 + 40 * 8, v;

	fake_gic_setup(0, false);
	fake_put(fake_gicd + 0x6000 + 40 * 8, 8, 2);
	v = 3;		/* the bystander's CPU */
	CHECK_EQ("gic: IROUTER low half to a foreign CPU: the cell is stopped",
		 access(1, base, 4, true, &v), MMIO_ERROR);
	CHECK_EQ("gic: ... and the route is unchanged", fake_raw(fake_gicd + 0x6000 + 40 * 8, 8), 2);
	v = 1;		/* aff3 = 1: no such CPU in the cell */
	CHECK_EQ("gic: IROUTER high half making Aff3 foreign: refused",
		 access(1, base + 4, 4, true, &v), MMIO_ERROR);
	v = 0x80000002ULL;
	CHECK_EQ("gic: IROUTER low half with 1-of-N: refused", access(1, base, 4, true, &v),
		 MMIO_ERROR);
	v = 2;
	CHECK_EQ("gic: IROUTER low half to its own CPU: emulated", access(1, base, 4, true, &v),
		 MMIO_HANDLED);
	v = 0;
	CHECK_EQ("gic: IROUTER high half 0 keeps it valid", access(1, base + 4, 4, true, &v),
		 MMIO_HANDLED);
	CHECK_EQ("gic: ... route is CPU 2", fake_raw(fake_gicd + 0x6000 + 40 * 8, 8), 2);
	v = 1;
	CHECK_EQ("gic: the root routing the cell's SPI: ignored (not its SPI)",
		 access(0, base, 8, true, &v), MMIO_HANDLED);
	CHECK_EQ("gic: ... route is still CPU 2", fake_raw(fake_gicd + 0x6000 + 40 * 8, 8), 2);
	v = 3;
	CHECK_EQ("gic: the root routing its SPI 33 to a cell's CPU: ignored, root runs on",
		 access(0, FAKE_GICD_PHYS + 0x6000 + 33 * 8, 8, true, &v), MMIO_HANDLED);
	CHECK_EQ("gic: ... SPI 33 not routed there", fake_raw(fake_gicd + 0x6000 + 33 * 8, 8), 0);
	CHECK("gic: IROUTER: lock free after all that", fake_lock_free());
}

/*
 * Two CPUs of one cell write the two halves of one IROUTER at the same time,
 * each half valid with the other half as it was: (Aff3 0, Aff0 2) is the
 * start, (0, 5) and (1, 2) are CPUs of the cell, (1, 5) is not. Each write is
 * checked and written under the lock as a whole, so one of the two sees the
 * other's half and is refused: the route never becomes (1, 5).
 */
static pthread_barrier_t race_start, race_done;
static volatile bool race_stop;
static enum mmio_result race_res[2];

static void *race_cpu(void *arg)
{
	int half = (int)(uintptr_t)arg;

	for (;;) {
		u64 v = half ? 1 : 5;

		pthread_barrier_wait(&race_start);
		if (race_stop)
			return NULL;
		race_res[half] = access(1, FAKE_GICD_PHYS + 0x6000 + 40 * 8 + half * 4, 4,
					true, &v);
		pthread_barrier_wait(&race_done);
	}
}

static void test_irouter_race(void)
{
	pthread_t t[2];
	unsigned int i, bad = 0, both_ok = 0, rounds = 2000;
	u64 route;

	fake_gic_setup(0, false);
	fake_attack.cpu_set[0] = 0x34;		/* CPUs 2, 4, 5 */
	per_cpu(4)->mpidr = 5;
	per_cpu(5)->mpidr = 0x100000002ULL;
	per_cpu(4)->initialized = per_cpu(5)->initialized = true;
	pthread_barrier_init(&race_start, NULL, 3);
	pthread_barrier_init(&race_done, NULL, 3);
	race_stop = false;
	fake_slow_access = true;
	pthread_create(&t[0], NULL, race_cpu, (void *)0);
	pthread_create(&t[1], NULL, race_cpu, (void *)1);
	for (i = 0; i < rounds; i++) {
		fake_put(fake_gicd + 0x6000 + 40 * 8, 8, 2);
		pthread_barrier_wait(&race_start);
		pthread_barrier_wait(&race_done);
		route = fake_raw(fake_gicd + 0x6000 + 40 * 8, 8);
		if (route != 5 && route != 0x100000002ULL)
			bad++;
		if (race_res[0] == MMIO_HANDLED && race_res[1] == MMIO_HANDLED)
			both_ok++;
	}
	race_stop = true;
	pthread_barrier_wait(&race_start);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	fake_slow_access = false;
	CHECK_EQ(NAME("gic: IROUTER halves written by two CPUs at once (%u rounds): never an unchecked route",
		      rounds), bad, 0);
	CHECK_EQ("gic: ... in every round one of the two halves was refused", both_ok, 0);
	CHECK("gic: ... lock free", fake_lock_free());
}

static void test_lpi_and_ids(void)
{
	u64 v;
	unsigned int frame;

	fake_gic_setup(0, false);
	v = 0x40001000ULL | 0xf;
	CHECK_EQ("gic: a cell's PROPBASER write to its own frame: ignored",
		 access(1, FAKE_GICR_PHYS + 2 * 0x20000 + 0x70, 8, true, &v), MMIO_HANDLED);
	CHECK_EQ("gic: ... PROPBASER unchanged", fake_raw(fake_gicr + 2 * 0x20000 + 0x70, 8), 0);
	v = 1;
	access(1, FAKE_GICR_PHYS + 2 * 0x20000 + 0x0, 4, true, &v);
	CHECK_EQ("gic: a cell's GICR_CTLR.EnableLPIs write: ignored", frame_reg(2, 0), 0);
	access(1, FAKE_GICR_PHYS + 2 * 0x20000 + 0x78, 8, true, &v);
	CHECK_EQ("gic: a cell's PENDBASER write: ignored", fake_raw(fake_gicr + 2 * 0x20000 + 0x78, 8), 0);
	fake_put(fake_gicr + 2 * 0x20000 + 0x70, 8, 0x1234);
	access(1, FAKE_GICR_PHYS + 2 * 0x20000 + 0x70, 8, false, &v);
	CHECK_EQ("gic: ... and reads as zero", v, 0);
	v = GICR_WAKER_SLEEP;
	access(1, FAKE_GICR_PHYS + 2 * 0x20000 + 0x14, 4, true, &v);
	CHECK_EQ("gic: a cell cannot put its redistributor to sleep", frame_reg(2, 0x14), 0);
	access(0, FAKE_GICR_PHYS + 0x14, 4, true, &v);
	CHECK_EQ("gic: nor can the root", frame_reg(0, 0x14), 0);
	v = 0x40001000ULL;
	access(0, FAKE_GICR_PHYS + 1 * 0x20000 + 0x70, 8, true, &v);
	CHECK_EQ("gic: the root sets up LPIs on its own frame (PROPBASER)",
		 fake_raw(fake_gicr + 0x20000 + 0x70, 8), 0x40001000ULL);
	access(0, FAKE_GICR_PHYS + 2 * 0x20000 + 0x70, 8, true, &v);
	CHECK_EQ("gic: ... not on a cell's frame", fake_raw(fake_gicr + 2 * 0x20000 + 0x70, 8), 0x1234);
	v = 0x7fc00000ULL;
	access(0, FAKE_GICR_PHYS + 1 * 0x20000 + 0x70, 8, true, &v);
	CHECK_EQ("gic: a PROPBASER the ITS checks refuse is not written",
		 fake_raw(fake_gicr + 0x20000 + 0x70, 8), 0x40001000ULL);
	v = 0x7fc10000ULL;
	access(0, FAKE_GICR_PHYS + 1 * 0x20000 + 0x78, 8, true, &v);
	CHECK("gic: ... nor a PENDBASER", fake_raw(fake_gicr + 0x20000 + 0x78, 8) != 0x7fc10000ULL);
	CHECK("gic: ... the root's LPI table writes all went through the check",
	      fake_its_gicr_checks >= 3);

	/* A Jailhouse inmate's walk: PIDR2 and TYPER of every frame until Last. */
	for (frame = 0; frame < FAKE_CPUS; frame++) {
		access(1, FAKE_GICR_PHYS + frame * 0x20000 + 0xffe8, 4, false, &v);
		CHECK_EQ(NAME("gic: the cell reads GICR_PIDR2 of frame %u as the hardware's", frame),
			 v, FAKE_PIDR2);
		access(1, FAKE_GICR_PHYS + frame * 0x20000 + 0x8, 8, false, &v);
		CHECK_EQ(NAME("gic: ... and GICR_TYPER of frame %u", frame), v,
			 fake_raw(fake_gicr + frame * 0x20000 + 8, 8));
		access(1, FAKE_GICR_PHYS + frame * 0x20000 + 0xc, 4, false, &v);
		CHECK_EQ(NAME("gic: ... and its upper half (frame %u)", frame), v,
			 fake_raw(fake_gicr + frame * 0x20000 + 0xc, 4));
	}
	access(1, FAKE_GICD_PHYS + 0xffe8, 4, false, &v);
	CHECK_EQ("gic: GICD_PIDR2 reads as the hardware's", v, FAKE_PIDR2);
	v = 1;
	CHECK_EQ("gic: a cell's write to a foreign frame stops it",
		 access(1, FAKE_GICR_PHYS + 0x10100, 4, true, &v), MMIO_ERROR);
	CHECK_EQ("gic: ... the write did not happen", frame_reg(0, 0x10100), 0);
	CHECK_EQ("gic: the root's write to a cell's frame is ignored",
		 access(0, FAKE_GICR_PHYS + 2 * 0x20000 + 0x10100, 4, true, &v), MMIO_HANDLED);
	CHECK_EQ("gic: ... the write did not happen", frame_reg(2, 0x10100), 0);
	v = 0;
	CHECK_EQ("gic: a cell's read of an IMPDEF GICD offset stops it",
		 access(1, FAKE_GICD_PHYS + 0xc000, 4, false, &v), MMIO_ERROR);
}

static void test_v4_stride(void)
{
	u64 v = 1U << 27;

	CHECK_EQ("gic: GICv4 frames (TYPER.VLPIS, stride 0x40000) discovered", fake_gic_setup(0, true), 0);
	CHECK_EQ("gic: GICv4: 4 redistributors", num_redists, 4);
	CHECK_EQ("gic: GICv4: region covers 4 x 0x40000", gicv3_redist_region_size(), 0x100000);
	CHECK("gic: GICv4: CPU 3 found its frame at 0xc0000",
	      per_cpu(3)->arch.gicr == fake_gicr + 0xc0000 &&
	      per_cpu(3)->arch.gicr_phys == FAKE_GICR_PHYS + 0xc0000);
	CHECK_EQ("gic: GICv4: the cell enables its timer PPI on its frame (0x80000)",
		 access(1, FAKE_GICR_PHYS + 0x80000 + 0x10100, 4, true, &v), MMIO_HANDLED);
	CHECK_EQ("gic: GICv4: ... it is enabled there", frame_reg(2, 0x10100), 1U << 27);
	CHECK_EQ("gic: GICv4: ... and nowhere else",
		 frame_reg(0, 0x10100) | frame_reg(1, 0x10100) | frame_reg(3, 0x10100), 0);
	v = 0;
	CHECK_EQ("gic: GICv4: VPROPBASER of its frame reads as zero",
		 access(1, FAKE_GICR_PHYS + 0x80000 + 0x20070, 8, false, &v), MMIO_HANDLED);
	CHECK_EQ("gic: GICv4: a cell's access to the reserved 4th page stops it",
		 access(1, FAKE_GICR_PHYS + 0x80000 + 0x30000, 4, false, &v), MMIO_ERROR);
	CHECK_EQ("gic: GICv4: no EL2 device fault", fake_el2_faults, 0);
}

static void test_reset(void)
{
	unsigned int irq = 41;
	u32 bit = 1U << (irq % 32);

	fake_gic_setup(0, false);
	/* Root's Linux had SPI 41 as edge; the cell leaves it a mess. */
	fake_put(fake_gicd + 0xc00 + irq / 16 * 4, 4, 2U << (irq % 16 * 2));
	gicv3_irq_reset(irq, &fake_attack);
	fake_put(fake_gicd + 0x104, 4, bit);
	fake_put(fake_gicd + 0x184, 4, bit);
	fake_put(fake_gicd + 0x204, 4, bit);
	fake_put(fake_gicd + 0x284, 4, bit);
	fake_put(fake_gicd + 0x304, 4, bit);
	fake_put(fake_gicd + 0x384, 4, bit);
	fake_put(fake_gicd + 0x84, 4, 0);
	fake_put(fake_gicd + 0xd04, 4, bit);
	fake_gicd[0x400 + irq] = 0x10;
	fake_put(fake_gicd + 0xc00 + irq / 16 * 4, 4, 0);	/* level */
	fake_put(fake_gicd + 0x6000 + irq * 8, 8, 2);
	gicv3_irq_reset(irq, &root_cell);
	CHECK_EQ("gic: hand-back: disabled", fake_raw(fake_gicd + 0x104, 4) & bit, 0);
	CHECK_EQ("gic: hand-back: not pending", fake_raw(fake_gicd + 0x204, 4) & bit, 0);
	CHECK_EQ("gic: hand-back: not active", fake_raw(fake_gicd + 0x304, 4) & bit, 0);
	CHECK_EQ("gic: hand-back: group 1", fake_raw(fake_gicd + 0x84, 4) & bit, bit);
	CHECK_EQ("gic: hand-back: non-secure group 1 (IGRPMODR 0)",
		 fake_raw(fake_gicd + 0xd04, 4) & bit, 0);
	CHECK_EQ("gic: hand-back: default priority", fake_gicd[0x400 + irq], 0xa0);
	CHECK_EQ("gic: hand-back: edge again, as the root had it",
		 (fake_raw(fake_gicd + 0xc00 + irq / 16 * 4, 4) >> (irq % 16 * 2 + 1)) & 1, 1);
	CHECK_EQ("gic: hand-back: routed to a root CPU (0)",
		 fake_raw(fake_gicd + 0x6000 + irq * 8, 8), 0);
	gicv3_irq_reset(irq, &fake_attack);
	CHECK_EQ("gic: hand-out: routed to the cell's CPU 2",
		 fake_raw(fake_gicd + 0x6000 + irq * 8, 8), 2);
	CHECK("gic: reset leaves the lock free", fake_lock_free());
	CHECK_EQ("gic: reset: no EL2 device fault", fake_el2_faults, 0);
}

int main(void)
{
	test_sgi15_active();
	test_unaligned();
	test_irouter();
	test_irouter_race();
	test_lpi_and_ids();
	test_v4_stride();
	test_reset();
	test_table(0x00, false);
	test_table(0xff, false);
	test_table(0x00, true);
	return CHECK_DONE();
}
