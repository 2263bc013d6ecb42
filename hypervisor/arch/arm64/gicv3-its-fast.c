/*
 * The root's reads of GITS_CREADR without the full exit (light-exit.c).
 * Linux's ITS driver reads CREADR before each command (room in the queue)
 * and after CWRITER (completion): four trapped reads per CLEAR + SYNC, each
 * one a full exit before this. The value is the one its_access returns:
 * process() publishes CREADR only once the commands up to it have been
 * executed, with one aligned store, so a load sees the old or the new
 * position, never one in between. Only the root has the ITS trapped; any
 * other access (widths, offsets, another cell) goes the general way.
 */
#include <wd/cell.h>
#include <wd/percpu.h>
#include <asm/traps.h>
#include "gicv3-its-priv.h"

#define ISS_ISV			(1UL << 24)
#define ISS_SAS_SHIFT		22
#define ISS_SAS_MASK		(3UL << ISS_SAS_SHIFT)
#define ISS_SSE			(1UL << 21)
#define ISS_SRT_SHIFT		16
#define ISS_SF			(1UL << 15)
#define ISS_CM			(1UL << 8)
#define ISS_S1PTW		(1UL << 7)
#define ISS_WNR			(1UL << 6)

bool its_creadr_fast(u64 esr, u64 ipa, u64 *x)
{
	unsigned int size = 1U << ((esr & ISS_SAS_MASK) >> ISS_SAS_SHIFT);
	unsigned int rt = (esr >> ISS_SRT_SHIFT) & 0x1f, n;
	struct dabt_info info;

	/* A described (ISV) 32- or 64-bit load, not a cache maintenance or stage-1 walk. */
	if ((esr & (ISS_ISV | ISS_WNR | ISS_S1PTW | ISS_CM)) != ISS_ISV || size < 4)
		return false;
	for (n = 0; n < num_its; n++) {
		struct its *its = &its_units[n];
		u64 off = ipa - its->phys - GITS_CREADR, v;

		if (off >= 8)
			continue;
		if ((off & (size - 1)) || this_cpu()->cell != &root_cell)
			return false;
		v = __atomic_load_n(&its->taken, __ATOMIC_ACQUIRE) ?
		    __atomic_load_n(&its->creadr, __ATOMIC_ACQUIRE) : 0;
		if (rt == 31)
			return true;
		info.size = size;
		info.sign_extend = esr & ISS_SSE;
		info.sixty_four = esr & ISS_SF;
		x[rt] = dabt_load_value(&info, size == 8 ? v : (u32)(v >> (off * 8)));
		return true;
	}
	return false;
}
