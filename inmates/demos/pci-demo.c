/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pci-demo: a cell that owns a physical PCI function (virtio-rng-pci in
 * tests/qemu/96-cell-pci.sh) reads its configuration space on the cell's
 * virtual PCI host (hypervisor/core/vpci-phys.c), sizes its BARs, then
 * writes every offset of the function's 4 KiB with every width, all ones
 * and zeros, and puts back what a driver would set. Last it enables MSI-X
 * and writes entry 0 of the (trapped) table with a foreign doorbell — the
 * distributor's GICD_SETSPI_NSR — and an arbitrary SPI, unmasked; the root
 * then checks that the device's own table stayed masked and empty.
 * In between it drives one virtio-rng request (modern virtio-pci, found
 * through the filtered vendor capabilities; the queue in cell RAM at
 * 0x100000; polled, as the cell's MSIs are not delivered yet).
 *
 * Command line: bdf=<the function on the virtual host> (default 0x10,
 * 00:02.0), other=<a function the cell does not own> (default 0x08),
 * rogue: after "done", a 2-byte store into the MSI-X table (the PCI
 * specification allows 4 and 8): the hypervisor stops the cell for it.
 * Prints one "pci-demo: ..." line per finding, then "pci-demo: done".
 */
#include <inmate.h>

#define CAP_MSIX	0x11
#define CAP_VNDR	0x09

/* virtio 1.x over PCI (the virtio specification, 4.1): vendor capabilities. */
#define VIRTIO_CAP_COMMON	1
#define VIRTIO_CAP_NOTIFY	2
#define VQ_SIZE			4
#define VQ_BASE			0x100000	/* cell RAM the device may write */
#define VQ_DESC			(VQ_BASE + 0x000)
#define VQ_AVAIL		(VQ_BASE + 0x100)
#define VQ_USED			(VQ_BASE + 0x200)
#define VQ_BUF			(VQ_BASE + 0x1000)
#define VQ_BUF_LEN		32

static u16 bdf;

static u16 rd16(u64 a)
{
	u16 v;

	asm volatile("ldrh %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
	return v;
}

static void wr16(u64 a, u16 v)
{
	asm volatile("strh %w0, [%1]" : : "r" (v), "r" (a) : "memory");
}

/* Guest address of the structure a virtio capability at @cap describes. */
static u64 virtio_struct(int cap)
{
	unsigned int bar = pci_cfg_read(bdf, cap + 4, 1);
	u32 lo = pci_cfg_read(bdf, 0x10 + 4 * bar, 4);
	u64 base = lo & ~0xfULL;

	if ((lo & 6) == 4)
		base |= (u64)pci_cfg_read(bdf, 0x14 + 4 * bar, 4) << 32;
	return base + pci_cfg_read(bdf, cap + 8, 4);
}

/*
 * One virtio-rng request, polled: reset, VERSION_1, queue 0 with VQ_SIZE
 * descriptors in cell RAM, one device-writable buffer, notify, wait for the
 * used ring. The device's DMA goes through the SMMU with the cell's stage 2.
 */
static void virtio_request(void)
{
	u64 common = 0, notify = 0, deadline;
	u32 mult = 0, len, nonzero = 0, features;
	unsigned int n, hops = 0;
	int cap;

	for (cap = pci_cfg_read(bdf, 0x34, 1); cap && hops < 48; hops++) {
		if (pci_cfg_read(bdf, cap, 1) == CAP_VNDR) {
			unsigned int type = pci_cfg_read(bdf, cap + 3, 1);

			if (type == VIRTIO_CAP_COMMON && !common)
				common = virtio_struct(cap);
			if (type == VIRTIO_CAP_NOTIFY && !notify) {
				notify = virtio_struct(cap);
				mult = pci_cfg_read(bdf, cap + 16, 4);
			}
		}
		cap = pci_cfg_read(bdf, cap + 1, 1);
	}
	if (!common || !notify) {
		printk("pci-demo: virtio: no common or notify capability\n");
		return;
	}
	mmio_write8(common + 0x14, 0);				/* reset */
	while (mmio_read8(common + 0x14))
		;
	mmio_write8(common + 0x14, 1 | 2);			/* ACKNOWLEDGE, DRIVER */
	mmio_write32(common + 0x00, 1);
	features = mmio_read32(common + 0x04);
	if (!(features & 1)) {
		printk("pci-demo: virtio: no VERSION_1\n");
		return;
	}
	/* VERSION_1, and ACCESS_PLATFORM (DMA through the IOMMU) if offered. */
	mmio_write32(common + 0x08, 1);
	mmio_write32(common + 0x0c, features & 3);
	mmio_write32(common + 0x08, 0);
	mmio_write32(common + 0x0c, 0);
	mmio_write8(common + 0x14, 1 | 2 | 8);			/* FEATURES_OK */
	if (!(mmio_read8(common + 0x14) & 8)) {
		printk("pci-demo: virtio: features refused\n");
		return;
	}
	for (n = 0; n < 0x2000; n += 4)
		mmio_write32(VQ_BASE + n, 0);
	wr16(common + 0x10, 0xffff);			/* no config vector */
	wr16(common + 0x16, 0);				/* queue 0 */
	wr16(common + 0x18, VQ_SIZE);
	wr16(common + 0x1a, 0xffff);			/* no vector: polled */
	mmio_write32(common + 0x20, VQ_DESC);
	mmio_write32(common + 0x24, 0);
	mmio_write32(common + 0x28, VQ_AVAIL);
	mmio_write32(common + 0x2c, 0);
	mmio_write32(common + 0x30, VQ_USED);
	mmio_write32(common + 0x34, 0);
	wr16(common + 0x1c, 1);				/* enable */
	mmio_write8(common + 0x14, 1 | 2 | 8 | 4);		/* DRIVER_OK */
	/* Descriptor 0: the buffer, device-writable. */
	mmio_write64(VQ_DESC, VQ_BUF);
	mmio_write32(VQ_DESC + 8, VQ_BUF_LEN);
	wr16(VQ_DESC + 12, 2);
	wr16(VQ_AVAIL + 0, 1);				/* no interrupt */
	wr16(VQ_AVAIL + 4, 0);
	wr16(VQ_AVAIL + 2, 1);
	wr16(notify + (u64)rd16(common + 0x1e) * mult, 0);
	deadline = timer_ticks() + 2 * timer_freq();
	while (rd16(VQ_USED + 2) != 1)
		if (timer_ticks() > deadline) {
			printk("pci-demo: virtio: no completion (status 0x%x)\n",
			       mmio_read8(common + 0x14));
			return;
		}
	len = mmio_read32(VQ_USED + 8);
	for (n = 0; n < VQ_BUF_LEN; n++)
		nonzero += mmio_read8(VQ_BUF + n) != 0;
	printk("pci-demo: virtio request done: %u bytes, %u of them non-zero%s\n", len, nonzero,
	       features & 2 ? " (ACCESS_PLATFORM)" : "");
	mmio_write8(common + 0x14, 0);				/* reset */
}

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
	virtio_request();
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
		/* A foreign doorbell (GICD_SETSPI_NSR), "SPI" 0x1234, unmasked. */
		mmio_write32(table + 0, 0x08000040);
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
