/*
 * libFuzzer harness for the data-abort path into the GIC emulation
 * (hypervisor/arch/arm64/mmio-decode.c, hypervisor/core/mmio.c,
 * gicv3-dist.c, gicv3-redist.c) against the fake GIC of
 * tests/unit/hv-fake-gic.h, under ASan and UBSan.
 *
 * An input is a board variant (register file filled with zeros or ones,
 * GICv3 or GICv4 frame stride) and then 24-byte operations: a caller (root,
 * or one of two cells), an ESR_EL2 syndrome, a fault address (mostly in the
 * distributor or the redistributors, sometimes anywhere), a register value,
 * run through dabt_decode and dabt_emulate as handle_dabt does; now and then
 * an SPI changes owner (arch_irq_reset). After every operation:
 *  - the hypervisor made no device access a real GIC would fault on;
 *  - every bit it changed was the caller's (its SPIs' fields, its own
 *    frames' SGI/PPI registers except the event SGI and the maintenance PPI,
 *    the root's LPI registers);
 *  - dist_lock is free;
 *  - a refused access left the guest's registers as they were.
 * A violation aborts (libFuzzer saves the input).
 */
#include <stdint.h>
#include <stddef.h>
#include <wd/mmio.h>
#include "hv-fake-gic.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/arch/arm64/mmio-decode.c"
#include "../../hypervisor/arch/arm64/gic-dist.c"
#include "../../hypervisor/arch/arm64/gicv3-dist.c"
#include "../../hypervisor/arch/arm64/gicv3-redist.c"
#include "hv-fake-gic.h"

#define OP_SIZE 24

static u64 get(const uint8_t *p, unsigned int n)
{
	u64 v = 0;

	memcpy(&v, p, n);
	return v;
}

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-gic: %s\n", what);
	abort();
}

static struct cell *cell_of(unsigned int caller)
{
	return caller == 0 ? &root_cell : caller == 1 ? &fake_attack : &fake_bystander;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos;

	if (size < 1)
		return 0;
	if (fake_gic_setup(data[0] & 1 ? 0xff : 0x00, data[0] & 2))
		fail("set-up failed");
	fake_bad_changes = 0;
	for (pos = 1; pos + OP_SIZE <= size; pos += OP_SIZE) {
		const uint8_t *op = data + pos;
		unsigned int caller = op[0] % 3, target = op[1] % 8;
		u64 off = get(op + 4, 4), value = get(op + 8, 8), ipa, hpfar, far, esr;
		u64 x[31], before[31];
		struct dabt_info info;
		enum mmio_result res;
		unsigned int i;

		if (target == 7) {
			/* The hypervisor's own: an SPI changes owner. */
			gicv3_irq_reset(32 + off % 240, cell_of(caller));
			if (!fake_lock_free() || fake_el2_faults)
				fail("arch_irq_reset left the lock held or faulted");
			continue;
		}
		if (target < 3)
			ipa = FAKE_GICD_PHYS + off % 0x10000;
		else if (target < 6)
			ipa = FAKE_GICR_PHYS + off % gicv3_redist_region_size();
		else
			ipa = get(op + 16, 8);
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
		fake_caller = caller;
		res = dabt_emulate(&cell_of(caller)->mmio, &info, x);
		fake_caller = -1;
		if (!fake_lock_free())
			fail("dist_lock held after an emulated access");
		if (fake_el2_faults)
			fail(fake_last_fault);
		if (fake_bad_changes)
			fail(fake_bad_change);
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
