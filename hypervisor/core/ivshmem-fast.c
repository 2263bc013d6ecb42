/*
 * The ivshmem doorbell from the light exit: a cell's 32-bit write to the
 * Doorbell register of one of its ivshmem devices (BAR 0 + 0xc) is what one
 * cell does to interrupt another, and its latency is the link's. The light
 * exit (arch light-exit.c) decodes the syndrome and asks here; the write is
 * taken only when the general path would reach the same register of the
 * same device: no registered MMIO region of the cell covers the address
 * (mmio_dispatch would hand it to that region's handler), the fallback is
 * the virtual PCI BARs, and vpci_bar_find (which vpci_bar_access uses) finds
 * BAR 0 of a device at the doorbell offset. The doorbell itself is the
 * general path's (ivshmem_doorbell). tests/unit/test-hv-ivshmem-fast.c holds
 * the two paths together.
 */
#include <wd/vpci.h>
#include <wd/cell.h>
#include <warden/ivshmem.h>

/*
 * Is @addr in a region of @regs? They are sorted and never overlap, and
 * BARs usually lie above all of them (the PCI window above the GIC and the
 * configuration window): one comparison with the end of the last decides.
 */
static bool in_region(const struct mmio_regions *regs, u64 addr)
{
	unsigned int n, num = READ_ONCE(regs->num);
	const struct mmio_region *last;

	if (!num)
		return false;
	last = &regs->region[num - 1];
	if (addr >= last->start + last->size)	/* no wrap: mmio_region_register */
		return false;
	for (n = 0; n < num; n++)
		if (addr - regs->region[n].start < regs->region[n].size)
			return true;
	return false;
}

bool ivshmem_doorbell_fast(struct cell *cell, u64 addr, u32 value)
{
	struct vpci_dev *dev;
	unsigned int bar;
	u64 off;

	if (__atomic_load_n(&cell->mmio.fallback, __ATOMIC_ACQUIRE) != vpci_bar_access ||
	    (addr & 3) || in_region(&cell->mmio, addr))
		return false;
	dev = vpci_bar_find(cell, addr, &bar, &off);
	if (!dev || bar != 0 || off != WD_IVSHMEM_REG_DOORBELL ||
	    off + 4 > dev->bar_size[0])
		return false;
	ivshmem_doorbell(dev, value);
	return true;
}
