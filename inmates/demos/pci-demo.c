/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-demo: a cell that owns a physical PCI function (virtio-rng-pci in
 * tests/qemu/96-cell-pci.sh) reads its configuration space on the cell's
 * virtual PCI host (hypervisor/core/vpci-phys.c), sizes its BARs, then
 * writes every offset of the function's 4 KiB with every width, all ones
 * and zeros, and puts back what a driver would set. Last it enables MSI-X
 * and writes entry 0 of the (trapped) table with a foreign doorbell — the
 * physical ITS translater — and an arbitrary event id, unmasked; the root
 * then checks that the device's own table stayed masked and empty.
 *
 * Command line: bdf=<the function on the virtual host> (default 0x10,
 * 00:02.0), other=<a function the cell does not own> (default 0x08),
 * rogue: after "done", a 2-byte store into the MSI-X table (the PCI
 * specification allows 4 and 8): the hypervisor stops the cell for it.
 * Prints one "pci-demo: ..." line per finding, then "pci-demo: done".
 */
#include <inmate.h>

#define CAP_MSIX	0x11

static u16 bdf;

static void size_bar(unsigned int n)
{
	unsigned int reg = 0x10 + 4 * n;
	u32 orig = pci_cfg_read(bdf, reg, 4), mask, back;

	pci_cfg_write(bdf, reg, 0xffffffff, 4);
	mask = pci_cfg_read(bdf, reg, 4);
	pci_cfg_write(bdf, reg, orig, 4);
	back = pci_cfg_read(bdf, reg, 4);
	printk("pci-demo: BAR%u 0x%08x mask 0x%08x back 0x%08x\n", n, orig, mask, back);
}

/* Every offset, every width, all ones then zeros. */
static void sweep(void)
{
	unsigned int reg, size;

	for (size = 1; size <= 4; size *= 2)
		for (reg = 0; reg < 0x1000; reg += size) {
			pci_cfg_write(bdf, reg, 0xffffffff, size);
			pci_cfg_write(bdf, reg, 0, size);
		}
}

int main(void)
{
	u32 bars[6], v;
	unsigned int n, hops = 0;
	int cap, msix;
	u64 table;

	bdf = (u16)cmdline_get_u64("bdf", 0x10);
	v = pci_cfg_read(bdf, 0, 4);
	printk("pci-demo: %02x:%02x.%x is %04x:%04x class %06x\n", bdf >> 8,
	       (bdf >> 3) & 0x1f, bdf & 7, v & 0xffff, v >> 16,
	       pci_cfg_read(bdf, 8, 4) >> 8);
	printk("pci-demo: other function reads 0x%08x\n",
	       pci_cfg_read((u16)cmdline_get_u64("other", 0x08), 0, 4));
	printk("pci-demo: command 0x%04x status 0x%04x int 0x%04x rom 0x%08x ext 0x%08x\n",
	       pci_cfg_read(bdf, 4, 2), pci_cfg_read(bdf, 6, 2),
	       pci_cfg_read(bdf, 0x3c, 2), pci_cfg_read(bdf, 0x30, 4),
	       pci_cfg_read(bdf, 0x100, 4));
	printk("pci-demo: caps");
	for (cap = pci_cfg_read(bdf, 0x34, 1); cap && hops < 48; hops++) {
		printk(" %02x@%02x", pci_cfg_read(bdf, cap, 1), cap);
		cap = pci_cfg_read(bdf, cap + 1, 1);
	}
	printk("\n");
	for (n = 0; n < 6; n++)
		bars[n] = pci_cfg_read(bdf, 0x10 + 4 * n, 4);
	for (n = 0; n < 6; n++)
		size_bar(n);

	sweep();
	printk("pci-demo: swept 0x1000 bytes x 3 widths\n");
	/* What a driver sets up again. */
	for (n = 0; n < 6; n++)
		pci_cfg_write(bdf, 0x10 + 4 * n, bars[n], 4);
	pci_cfg_write(bdf, 4, 0x0006, 2);		/* memory, bus master */
	printk("pci-demo: after sweep command 0x%04x BAR1 0x%08x BAR4 0x%08x\n",
	       pci_cfg_read(bdf, 4, 2), pci_cfg_read(bdf, 0x14, 4),
	       pci_cfg_read(bdf, 0x20, 4));

	msix = pci_find_cap(bdf, CAP_MSIX);
	if (msix < 0) {
		printk("pci-demo: no MSI-X capability\n");
	} else {
		v = pci_cfg_read(bdf, msix + 4, 4);
		table = (pci_cfg_read(bdf, 0x10 + 4 * (v & 7), 4) & ~0xfULL) + (v & ~7U);
		pci_cfg_write(bdf, msix + 2, 0x8000, 2);	/* Enable */
		/* Foreign doorbell (the ITS translater), event 0x1234, unmasked. */
		mmio_write32(table + 0, 0x08090040);
		mmio_write32(table + 4, 0);
		mmio_write32(table + 8, 0x1234);
		mmio_write32(table + 12, 0);
		mmio_write64(table + 16, 0xdeadbeefcafef00dULL);	/* entry 1, 8 bytes */
		printk("pci-demo: MSI-X control 0x%04x table 0x%llx entry0 %08x %08x %08x %08x entry1 %016llx\n",
		       pci_cfg_read(bdf, msix + 2, 2), table, mmio_read32(table),
		       mmio_read32(table + 4), mmio_read32(table + 8),
		       mmio_read32(table + 12), mmio_read64(table + 16));
	}
	printk("pci-demo: done\n");
	if (cmdline_has("rogue") && msix >= 0)
		asm volatile("strh %w0, [%1]" : : "r" (0xffff), "r" (table + 12) : "memory");
	return 0;
}
