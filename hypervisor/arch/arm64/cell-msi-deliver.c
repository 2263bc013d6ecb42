/*
 * A pLPI kept for cells, taken at EL2 (gicv3-cpuif.c's LPI branch): given to
 * the owning cell's vITS, or dropped and counted (cell-msi.c explains the
 * route). No lock: the owner is read once, and the tear-down waits for
 * every path counted in inflight before it reuses the slot.
 */
#include <wd/cell.h>
#include <wd/printk.h>
#include <wd/errno.h>
#include <asm/vits.h>
#include <asm/cell-msi.h>
#include "cell-msi-priv.h"

struct msi_slot slots[ITS_CELL_LPIS];
static u64 stray;			/* pLPIs no cell took */

bool cell_msi_lpi(u32 intid)
{
	struct its *its = cell_its();
	struct msi_slot *s;
	struct cell *owner;
	u64 n;
	u32 i;
	int err = -ENOENT;

	if (!its || intid < lpi_base(its) || intid - lpi_base(its) >= ITS_CELL_LPIS)
		return false;
	i = intid - lpi_base(its);
	s = &slots[i];
	__atomic_add_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
	owner = __atomic_load_n(&s->owner, __ATOMIC_SEQ_CST);
	if (owner)
		err = vits_deliver(owner, s->vbdf, __atomic_load_n(&s->event, __ATOMIC_ACQUIRE));
	if (!err)
		__atomic_add_fetch(&s->delivered, 1, __ATOMIC_RELAXED);
	else if (owner)
		__atomic_add_fetch(&s->dropped, 1, __ATOMIC_RELAXED);
	__atomic_sub_fetch(&s->inflight, 1, __ATOMIC_RELEASE);
	if (err) {
		/* Rate-limited: the 1st, 2nd, 4th, 8th ... */
		n = __atomic_add_fetch(&stray, 1, __ATOMIC_RELAXED);
		if (!(n & (n - 1)))
			printk("pLPI %u dropped (%s, error %d; %llu so far)\n", intid,
			       owner ? "the cell's vITS did not take it" : "no cell owns it",
			       err, n);
	}
	return true;
}
