/*
 * Host unit tests of the per-cell MMIO region table (hypervisor/core/mmio.c):
 * sorted insertion, overlap and capacity refusals, dispatch (binary search)
 * checked against a linear search over random addresses, offsets handed to
 * handlers, accesses crossing a region's end, and unregistering.
 */
#include <stdlib.h>

#include "check.h"
#include "../../hypervisor/core/mmio.c"

static char name[160];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

/* What the handler saw last. */
static struct {
	int calls;
	void *arg;
	u64 offset;
	unsigned int size;
	bool is_write;
	u64 value;
} seen;

static enum mmio_result handler(void *arg, struct mmio_access *a)
{
	seen.calls++;
	seen.arg = arg;
	seen.offset = a->address;
	seen.size = a->size;
	seen.is_write = a->is_write;
	seen.value = a->value;
	if (!a->is_write)
		a->value = 0x1000 + (uintptr_t)arg;
	/* A region that refuses writes, as a read-only register block does. */
	return a->is_write && (uintptr_t)arg == 99 ? MMIO_ERROR : MMIO_HANDLED;
}

static bool sorted(const struct mmio_regions *r)
{
	unsigned int n;

	for (n = 1; n < r->num; n++)
		if (r->region[n - 1].start + r->region[n - 1].size > r->region[n].start)
			return false;
	return true;
}

static enum mmio_result do_access(struct mmio_regions *r, u64 addr,
				  unsigned int size, bool write, u64 *value)
{
	struct mmio_access a = { .address = addr, .size = size, .is_write = write,
				 .value = value ? *value : 0 };
	enum mmio_result res = mmio_dispatch(r, &a);

	CHECK_EQ(NAME("mmio: dispatch of 0x%llx restores the address", addr),
		 a.address, addr);
	if (value)
		*value = a.value;
	return res;
}

static void test_register(void)
{
	static struct mmio_regions r;
	u64 v;

	CHECK_EQ("mmio: dispatch on an empty table", do_access(&r, 0x1000, 4, false, NULL),
		 MMIO_UNHANDLED);
	CHECK_EQ("mmio: register B", mmio_region_register(&r, 0x8000, 0x1000, handler, (void *)2), 0);
	CHECK_EQ("mmio: register C", mmio_region_register(&r, 0x20000, 0x10000, handler, (void *)3), 0);
	CHECK_EQ("mmio: register A", mmio_region_register(&r, 0x1000, 0x100, handler, (void *)1), 0);
	CHECK_EQ("mmio: register D between B and C",
		 mmio_region_register(&r, 0x9000, 0x800, handler, (void *)4), 0);
	CHECK_EQ("mmio: 4 regions", r.num, 4);
	CHECK("mmio: kept sorted", sorted(&r) && r.region[0].start == 0x1000 &&
	      r.region[1].start == 0x8000 && r.region[2].start == 0x9000 &&
	      r.region[3].start == 0x20000);
	CHECK("mmio: args moved with their regions",
	      r.region[0].arg == (void *)1 && r.region[1].arg == (void *)2 &&
	      r.region[2].arg == (void *)4 && r.region[3].arg == (void *)3);

	CHECK_EQ("mmio: same start overlaps",
		 mmio_region_register(&r, 0x8000, 0x10, handler, NULL), -EEXIST);
	CHECK_EQ("mmio: overlap with the end of a region",
		 mmio_region_register(&r, 0x8ff8, 0x10, handler, NULL), -EEXIST);
	CHECK_EQ("mmio: overlap with the start of a region",
		 mmio_region_register(&r, 0x7ff0, 0x20, handler, NULL), -EEXIST);
	CHECK_EQ("mmio: region inside another",
		 mmio_region_register(&r, 0x21000, 0x10, handler, NULL), -EEXIST);
	CHECK_EQ("mmio: region around others",
		 mmio_region_register(&r, 0x0, 0x100000, handler, NULL), -EEXIST);
	CHECK_EQ("mmio: region around a later one only",
		 mmio_region_register(&r, 0x9800, 0x20000, handler, NULL), -EEXIST);
	CHECK_EQ("mmio: refusals add nothing", r.num, 4);
	CHECK_EQ("mmio: size 0 is invalid",
		 mmio_region_register(&r, 0x50000, 0, handler, NULL), -EINVAL);
	CHECK_EQ("mmio: wrapping region is invalid",
		 mmio_region_register(&r, ~0ULL - 0xfff, 0x2000, handler, NULL), -EINVAL);
	CHECK_EQ("mmio: touching regions are fine (before)",
		 mmio_region_register(&r, 0x7f00, 0x100, handler, (void *)5), 0);
	CHECK_EQ("mmio: touching regions are fine (after)",
		 mmio_region_register(&r, 0x9800, 0x800, handler, (void *)6), 0);
	CHECK("mmio: still sorted", sorted(&r));

	/* Dispatch hands the offset and the access to the right handler. */
	seen.calls = 0;
	v = 0;
	CHECK_EQ("mmio: read in D", do_access(&r, 0x9010, 4, false, &v), MMIO_HANDLED);
	CHECK("mmio: read in D went to D", seen.arg == (void *)4);
	CHECK_EQ("mmio: read in D offset", seen.offset, 0x10);
	CHECK_EQ("mmio: read in D size", seen.size, 4);
	CHECK_EQ("mmio: read value comes back", v, 0x1004);
	v = 0xabcd;
	CHECK_EQ("mmio: write in C", do_access(&r, 0x2fff8, 8, true, &v), MMIO_HANDLED);
	CHECK("mmio: write in C went to C", seen.arg == (void *)3 && seen.is_write);
	CHECK_EQ("mmio: write in C offset", seen.offset, 0xfff8);
	CHECK_EQ("mmio: written value reaches the handler", seen.value, 0xabcd);
	CHECK_EQ("mmio: first byte of A", do_access(&r, 0x1000, 1, false, NULL), MMIO_HANDLED);
	CHECK_EQ("mmio: first byte of A offset", seen.offset, 0);
	CHECK_EQ("mmio: last byte of A", do_access(&r, 0x10ff, 1, false, NULL), MMIO_HANDLED);
	CHECK_EQ("mmio: last byte of A offset", seen.offset, 0xff);
	CHECK_EQ("mmio: handler calls so far", seen.calls, 4);

	CHECK_EQ("mmio: halfword across A's end", do_access(&r, 0x10ff, 2, false, NULL),
		 MMIO_ERROR);
	CHECK_EQ("mmio: word across D/E boundary", do_access(&r, 0x97fe, 4, true, &v),
		 MMIO_ERROR);
	CHECK_EQ("mmio: accesses across an end reach no handler", seen.calls, 4);
	CHECK_EQ("mmio: misaligned halfword inside A is refused",
		 do_access(&r, 0x1001, 2, false, NULL), MMIO_ERROR);
	CHECK_EQ("mmio: misaligned word write inside C is refused",
		 do_access(&r, 0x20002, 4, true, &v), MMIO_ERROR);
	CHECK_EQ("mmio: 8-byte access at a 4-byte boundary is refused",
		 do_access(&r, 0x20004, 8, false, NULL), MMIO_ERROR);
	CHECK_EQ("mmio: misaligned accesses reach no handler", seen.calls, 4);
	CHECK_EQ("mmio: just after A", do_access(&r, 0x1100, 4, false, NULL), MMIO_UNHANDLED);
	CHECK_EQ("mmio: just before A", do_access(&r, 0xffc, 4, false, NULL), MMIO_UNHANDLED);
	CHECK_EQ("mmio: between E and C", do_access(&r, 0x10000, 4, false, NULL), MMIO_UNHANDLED);
	CHECK_EQ("mmio: above everything", do_access(&r, 0x30000, 4, false, NULL), MMIO_UNHANDLED);
	CHECK_EQ("mmio: at address 0", do_access(&r, 0, 4, false, NULL), MMIO_UNHANDLED);
	CHECK_EQ("mmio: at the top of the address space",
		 do_access(&r, ~0ULL - 7, 8, false, NULL), MMIO_UNHANDLED);
	CHECK_EQ("mmio: unhandled accesses reach no handler", seen.calls, 4);

	CHECK_EQ("mmio: register a write-refusing region",
		 mmio_region_register(&r, 0x40000, 0x1000, handler, (void *)99), 0);
	CHECK_EQ("mmio: the handler's refusal is the result",
		 do_access(&r, 0x40004, 4, true, &v), MMIO_ERROR);
	CHECK_EQ("mmio: the handler's success is the result",
		 do_access(&r, 0x40004, 4, false, &v), MMIO_HANDLED);

	/* Unregister. */
	mmio_region_unregister(&r, 0x8000);
	CHECK_EQ("mmio: unregister B", r.num, 6);
	CHECK("mmio: sorted after unregister", sorted(&r) && r.region[1].start == 0x7f00 &&
	      r.region[2].start == 0x9000);
	CHECK_EQ("mmio: B no longer dispatched", do_access(&r, 0x8004, 4, false, NULL),
		 MMIO_UNHANDLED);
	CHECK_EQ("mmio: D still dispatched", do_access(&r, 0x9004, 4, false, NULL),
		 MMIO_HANDLED);
	CHECK("mmio: D still D", seen.arg == (void *)4);
	mmio_region_unregister(&r, 0x9004);
	CHECK_EQ("mmio: unregister needs the exact start", r.num, 6);
	mmio_region_unregister(&r, 0x12345);
	CHECK_EQ("mmio: unregistering an unknown start does nothing", r.num, 6);
	mmio_region_unregister(&r, 0x40000);
	CHECK_EQ("mmio: unregister the last region", r.num, 5);
	CHECK_EQ("mmio: last region no longer dispatched",
		 do_access(&r, 0x40004, 4, false, NULL), MMIO_UNHANDLED);
	CHECK_EQ("mmio: B's place can be registered again",
		 mmio_region_register(&r, 0x8000, 0x1000, handler, (void *)7), 0);
	CHECK_EQ("mmio: new B dispatched", do_access(&r, 0x8ffc, 4, false, NULL), MMIO_HANDLED);
	CHECK("mmio: new B is the new handler arg", seen.arg == (void *)7);
}

static void test_full(void)
{
	static struct mmio_regions r;
	unsigned int n;
	int err = 0;

	/* Insert in a scrambled order. */
	for (n = 0; n < MAX_MMIO_REGIONS && !err; n++) {
		unsigned int slot = (n * 7) % MAX_MMIO_REGIONS;

		err = mmio_region_register(&r, 0x100000 + slot * 0x1000, 0x800, handler,
					   (void *)(uintptr_t)(slot + 100));
	}
	CHECK_EQ("mmio: fill the table", err, 0);
	CHECK_EQ("mmio: table full", r.num, MAX_MMIO_REGIONS);
	CHECK("mmio: full table sorted", sorted(&r));
	CHECK_EQ("mmio: one more region gives -ENOSPC",
		 mmio_region_register(&r, 0x900000, 0x10, handler, NULL), -ENOSPC);
	CHECK_EQ("mmio: -ENOSPC adds nothing", r.num, MAX_MMIO_REGIONS);
	mmio_region_unregister(&r, 0x100000 + 5 * 0x1000);
	CHECK_EQ("mmio: room again after unregister",
		 mmio_region_register(&r, 0x900000, 0x10, handler, (void *)200), 0);
	CHECK_EQ("mmio: the new region is the last", r.region[MAX_MMIO_REGIONS - 1].start,
		 0x900000);
}

/* Random regions and addresses: binary search == linear search. */
static void test_random(void)
{
	static struct mmio_regions r;
	unsigned int n, iter, bad = 0, tries = 0, registered = 0;

	srand(7);
	while (r.num < MAX_MMIO_REGIONS && tries++ < 10000) {
		u64 start = (u64)(rand() % 4096) * 0x100 + (rand() % 4) * 4;
		u64 size = 4 + (u64)(rand() % 0x400);
		bool overlap = false;
		int err;

		for (n = 0; n < r.num; n++)
			if (start < r.region[n].start + r.region[n].size &&
			    r.region[n].start < start + size)
				overlap = true;
		err = mmio_region_register(&r, start, size, handler,
					   (void *)(uintptr_t)(1000 + start));
		if (err != (overlap ? -EEXIST : 0))
			bad++;
		if (!err)
			registered++;
	}
	CHECK_EQ("mmio random: registration agrees with an overlap search", bad, 0);
	CHECK_EQ("mmio random: table filled", registered, MAX_MMIO_REGIONS);
	CHECK("mmio random: sorted", sorted(&r));

	bad = 0;
	for (iter = 0; iter < 100000; iter++) {
		u64 addr = (u64)(rand() % (4096 * 0x100 + 0x800));
		unsigned int size = 1u << (rand() % 4);
		const struct mmio_region *hit = NULL;
		enum mmio_result want, got;
		struct mmio_access a = { .address = addr, .size = size };

		for (n = 0; n < r.num; n++)
			if (addr >= r.region[n].start &&
			    addr < r.region[n].start + r.region[n].size)
				hit = &r.region[n];
		/* Misaligned or crossing the end: refused before the handler. */
		want = !hit ? MMIO_UNHANDLED :
		       (addr & (size - 1)) || addr + size > hit->start + hit->size ?
		       MMIO_ERROR : MMIO_HANDLED;
		seen.arg = NULL;
		got = mmio_dispatch(&r, &a);
		if (got != want || a.address != addr ||
		    (want == MMIO_HANDLED &&
		     (seen.arg != hit->arg || seen.offset != addr - hit->start)))
			bad++;
	}
	CHECK_EQ("mmio random: dispatch agrees with a linear search", bad, 0);
}

/* The last-hit hint: tried first, but never trusted. */
static void test_hint(void)
{
	struct mmio_regions r = { 0 };
	u64 v;

	mmio_region_register(&r, 0x1000, 0x100, handler, (void *)1);
	mmio_region_register(&r, 0x3000, 0x100, handler, (void *)3);
	mmio_region_register(&r, 0x2000, 0x100, handler, (void *)2);

	CHECK_EQ("mmio hint: first access found", do_access(&r, 0x3010, 4, false, &v),
		 MMIO_HANDLED);
	CHECK_EQ("mmio hint: remembers the region found", r.hint, 2);
	seen.arg = NULL;
	CHECK_EQ("mmio hint: repeated access handled", do_access(&r, 0x3020, 4, false, &v),
		 MMIO_HANDLED);
	CHECK_EQ("mmio hint: repeated access reaches the same region", (uintptr_t)seen.arg, 3);
	CHECK_EQ("mmio hint: offset from the hinted region", seen.offset, 0x20);
	CHECK_EQ("mmio hint: another region despite the hint",
		 do_access(&r, 0x1004, 4, false, &v), MMIO_HANDLED);
	CHECK_EQ("mmio hint: the other region's handler ran", (uintptr_t)seen.arg, 1);
	CHECK_EQ("mmio hint: follows the last hit", r.hint, 0);
	CHECK_EQ("mmio hint: a gap is still unhandled", do_access(&r, 0x1800, 4, false, &v),
		 MMIO_UNHANDLED);
	CHECK_EQ("mmio hint: an access crossing the hinted region's end is an error",
		 do_access(&r, 0x10fe, 4, false, &v), MMIO_ERROR);

	/* A hint beyond the table after an unregister is ignored. */
	do_access(&r, 0x3000, 4, false, &v);
	mmio_region_unregister(&r, 0x3000);
	CHECK_EQ("mmio hint: stale hint past the end, access unhandled",
		 do_access(&r, 0x3000, 4, false, &v), MMIO_UNHANDLED);
	seen.arg = NULL;
	CHECK_EQ("mmio hint: stale hint past the end, others still found",
		 do_access(&r, 0x2008, 4, false, &v), MMIO_HANDLED);
	CHECK_EQ("mmio hint: ... by their own handler", (uintptr_t)seen.arg, 2);
}

int main(void)
{
	test_register();
	test_hint();
	test_full();
	test_random();
	return CHECK_DONE();
}
