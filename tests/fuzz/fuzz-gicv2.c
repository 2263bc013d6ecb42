/*
 * libFuzzer harness for the data-abort path into the GICv2 distributor
 * emulation (hypervisor/arch/arm64/mmio-decode.c, hypervisor/core/mmio.c,
 * gicv2-dist.c) against the fake GICv2 of tests/unit/hv-fake-gicv2.h, under
 * ASan and UBSan: the GICv2 counterpart of fuzz-gic.c.
 *
 * An input is a board variant (register file filled with zeros or ones) and
 * then 24-byte operations: a caller (root, or one of two cells, each on its
 * own CPU), an ESR_EL2 syndrome, a fault address (mostly in the
 * distributor, sometimes anywhere), a register value, run through
 * dabt_decode and dabt_emulate as handle_dabt does; now and then an SPI
 * changes owner (gicv2_irq_reset). After every operation:
 *  - the hypervisor made no device access a GIC-400 would fault on;
 *  - every bit it changed was the caller's (its SPIs' fields and routes to
 *    its own CPUs, its own CPU's banked SGI/PPI registers except the event
 *    SGI and the maintenance PPI);
 *  - it sent no physical SGI (a guest's GICD_SGIR goes to the cell filter);
 *  - the lock is free;
 *  - a refused access left the guest's registers as they were.
 * A violation aborts (libFuzzer saves the input).
 */
#include <stdint.h>
#include <stddef.h>
#include <wd/mmio.h>
#include "hv-fake-gicv2.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/arch/arm64/mmio-decode.c"
#include "../../hypervisor/arch/arm64/gic-dist.c"
#include "../../hypervisor/arch/arm64/gicv2-dist.c"
#include "hv-fake-gicv2.h"

#define OP_SIZE 24

static u64 get(const uint8_t *p, unsigned int n)
{
	u64 v = 0;

	memcpy(&v, p, n);
	return v;
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-gicv2: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos;

	if (size < 1)
		return 0;
	if (fake2_gic_setup(data[0] & 1 ? 0xff : 0x00))
		fail("set-up failed");
	fake2_bad_changes = 0;
	for (pos = 1; pos + OP_SIZE <= size; pos += OP_SIZE) {
		const uint8_t *op = data + pos;
		unsigned int caller = op[0] % 3, target = op[1] % 8;
		u64 off = get(op + 4, 4), value = get(op + 8, 8), ipa, hpfar, far, esr;
		u64 x[31], before[31];
		struct dabt_info info;
		enum mmio_result res;
		unsigned int i;

		fake2_cpu = fake2_cpu_of(caller);
		if (target == 7) {
			/* The hypervisor's own: an SPI changes owner. */
			gicv2_irq_reset(32 + off % 240, fake2_cell_of(caller));
			if (!fake2_lock_free() || fake2_el2_faults)
				fail("gicv2_irq_reset left the lock held or faulted");
			continue;
		}
		ipa = target < 6 ? FAKE2_GICD_PHYS + off % 0x1000 : get(op + 16, 8);
		/* ISV, SAS, SSE, SRT, SF, WnR from the input; S1PTW rarely. */
		esr = (0x24ULL << 26) | (1ULL << 25) |
		      ((op[2] & 0x7f) ? 1ULL << 24 : 0) |
		      (u64)(op[2] >> 1 & 3) << 22 | (op[2] & 0x8 ? 1ULL << 21 : 0) |
		      (u64)(op[3] & 31) << 16 | (op[2] & 0x10 ? 1ULL << 15 : 0) |
		      (op[2] & 0x20 ? 1ULL << 6 : 0) |
		      ((op[3] & 0xe0) == 0xe0 ? 1ULL << 7 : 0) | 0x7;
		hpfar = (ipa >> 12) << 4;
		far = (get(op + 16, 8) & ~0xfffULL) | (ipa & 0xfff);
		dabt_decode(esr, hpfar, far, &info);
		if (!info.valid || info.stage1_walk)
			continue;	/* handle_dabt refuses these without emulating */
		for (i = 0; i < 31; i++)
			x[i] = before[i] = value ^ ((u64)i << 56);
		fake2_caller = caller;
		res = dabt_emulate(&fake2_cell_of(caller)->mmio, &info, x);
		fake2_caller = -1;
		if (!fake2_lock_free())
			fail("the distributor lock held after an emulated access");
		if (fake2_el2_faults)
			fail(fake2_last_fault);
		if (fake2_bad_changes)
			fail(fake2_bad_change);
		if (fake2_hw_sgirs)
			fail("the hypervisor wrote GICD_SGIR for a guest");
		if (res != MMIO_HANDLED && memcmp(x, before, sizeof(x)))
			fail("a refused access changed the guest's registers");
		if (res == MMIO_HANDLED && info.is_write && memcmp(x, before, sizeof(x)))
			fail("a store changed the guest's registers");
		for (i = 0; i < 31; i++)
			if (x[i] != before[i] && i != info.reg)
				fail("a load changed a register other than its destination");
	}
	return 0;
}
