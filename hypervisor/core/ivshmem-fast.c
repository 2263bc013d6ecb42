/*
 * The ivshmem doorbell from the light exit: a cell's 32-bit write to the
 * Doorbell register of one of its ivshmem devices (BAR 0 + 0xc) is what one
 * cell does to interrupt another, and its latency is the link's.
 *
 * The general path finds the register the long way (mmio_dispatch: no
 * registered region of the cell covers the address, the fallback is the
 * virtual PCI BARs, vpci_bar_find finds BAR 0 of a device at the doorbell
 * offset). Having found it for a write it would take from the light exit,
 * vpci_bar_access tells this CPU (ivshmem_doorbell_learn): the address and
 * the device, valid for the cell's MMIO layout the light exit saw before it
 * declined (struct mmio_regions.layout: a value no other layout of any cell
 * ever has, renewed after every change that could send the access elsewhere,
 * a region, the fallback, a BAR or the memory decoding). From then on the
 * light exit takes a write at that address while the layout has not
 * changed: one comparison of the address and one of the layout instead of
 * the search, no lock, nothing shared written. The doorbell itself is the
 * general path's (ivshmem_doorbell).
 *
 * The layout it was learnt with was read before the general path looked
 * (by this CPU's light exit, earlier on the same exit or an older one), so
 * a change that the search might have missed has renewed the layout since:
 * the entry never matches. It belongs to this CPU alone, and to the cell it
 * was learnt in: a layout value is never another cell's, and the device is
 * that cell's, which cannot go away while one of its CPUs is in an exit.
 * Layout 0 (a cell whose layout never changed) is never learnt; the entry
 * a CPU starts with (layout 0, no device) is never taken.
 * tests/unit/test-hv-ivshmem-fast.c holds the two paths together.
 */
#include <wd/vpci.h>
#include <wd/cell.h>
#include <wd/percpu.h>

bool ivshmem_doorbell_fast(struct per_cpu *pc, u64 addr, u32 value)
{
	u64 layout = __atomic_load_n(&pc->cell->mmio.layout, __ATOMIC_ACQUIRE);

	if (addr != pc->doorbell.ipa || layout != pc->doorbell.layout || !pc->doorbell.dev) {
		pc->doorbell.seen = layout;
		return false;
	}
	ivshmem_doorbell(pc->doorbell.dev, value);
	return true;
}

void ivshmem_doorbell_learn(u64 addr, struct vpci_dev *dev)
{
	struct per_cpu *pc = this_cpu();

	/*
	 * Nothing seen yet (the light exit never looked on this CPU, or its
	 * cell's layout never changed, which a cell with virtual PCI cannot
	 * have): not learnt, so that a filled entry never holds layout 0.
	 */
	if (!pc->doorbell.seen)
		return;
	pc->doorbell.ipa = addr;
	pc->doorbell.dev = dev;
	pc->doorbell.layout = pc->doorbell.seen;
}
