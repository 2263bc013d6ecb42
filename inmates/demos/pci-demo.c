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
 * 0x100000) and takes its completion as an MSI: the cell's virtual ITS
 * (its=<base>, default QEMU's 0x08080000) maps event 0 of the function to
 * LPI 8200 on this CPU, MSI-X entry 0 gets the vITS's GITS_TRANSLATER and
 * event 0, and the queue's vector is entry 0. The device's message goes
 * through the hypervisor's route in the physical ITS
 * (hypervisor/arch/arm64/cell-msi.c) and arrives as the virtual LPI.
 *
 * Command line: bdf=<the function on the virtual host> (default 0x10,
 * 00:02.0), other=<a function the cell does not own> (default 0x08),
 * nomsi: no vITS set-up, the completion is polled,
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
/* The vITS's tables, in the same DMA-able RAM region (see qemu-pci-rng.c). */
#define ITS_QUEUE		0x102000
#define ITS_PROP		0x104000	/* 8 KiB: LPIs 8192..16383 */
#define ITS_PEND		0x110000	/* 64 KiB-aligned, as GICR_PENDBASER wants */
#define MSI_EVENT		0
#define MSI_LPI			8200

static u16 bdf;
static struct its its = {
	.queue = (u64 *)ITS_QUEUE,
	.prop = (u8 *)ITS_PROP,
	.pend = (void *)ITS_PEND,
	.prop_bits = 14,
};
static volatile unsigned int msis, other_irqs;
static volatile u64 msi_cpu;

static void irq_handler(unsigned int intid, u64 entry_ticks)
{
	(void)entry_ticks;
	if (intid == MSI_LPI) {
		msis++;
		msi_cpu = this_mpidr();
	} else {
		other_irqs++;
	}
}

/*
 * The vITS: LPIs on here, the function's events 0 and 1 to LPIs 8200 and
 * 8201 on this CPU; MSI-X enabled with entry 0 at the vITS's translater.
 * Returns whether the queue may use vector 0.
 */
static bool msi_setup(int msix)
{
	u32 v;
	u64 table, doorbell;

	if (msix < 0 || cmdline_has("nomsi"))
		return false;
	its.base = cmdline_get_u64("its", 0x08080000);
	irq_set_handler(irq_handler);
	its_lpis_on(&its);
	its_enable(&its);
	ITS_MAPD(&its, bdf, 1);				/* 2 events */
	ITS_MAPC(&its, 0, its.proc_num[this_cpu_index()]);
	ITS_MAPTI(&its, bdf, MSI_EVENT, MSI_LPI, 0);
	ITS_MAPTI(&its, bdf, 1, MSI_LPI + 1, 0);
	ITS_SYNC(&its, its.proc_num[this_cpu_index()]);
	if (!its_drained(&its, 2000000)) {
		printk("pci-demo: the vITS did not take the commands\n");
		return false;
	}
	v = pci_cfg_read(bdf, msix + 4, 4);
	table = (pci_cfg_read(bdf, 0x10 + 4 * (v & 7), 4) & ~0xfULL) + (v & ~7U);
	doorbell = its.base + ITS_TRANSLATER;
	pci_cfg_write(bdf, msix + 2, 0x8000, 2);	/* Enable */
	mmio_write32(table + 0, (u32)doorbell);
	mmio_write32(table + 4, (u32)(doorbell >> 32));
	mmio_write32(table + 8, MSI_EVENT);
	mmio_write32(table + 12, 0);			/* unmasked */
	irq_enable();
	return true;
}

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
static void virtio_request(bool msi)
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
	wr16(common + 0x1a, msi ? 0 : 0xffff);		/* MSI-X entry 0, or polled */
	if (msi && rd16(common + 0x1a) != 0) {
		printk("pci-demo: virtio: the device took no MSI-X vector for the queue\n");
		msi = false;
	}
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
	wr16(VQ_AVAIL + 0, msi ? 0 : 1);		/* interrupt wanted, or not */
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
	if (msi) {
		deadline = timer_ticks() + timer_freq();
		while (!msis && timer_ticks() < deadline)
			;
		if (msis)
			printk("pci-demo: completion by MSI-X: LPI %u on CPU 0x%llx (%u MSI, %u other interrupts)\n",
			       MSI_LPI, msi_cpu, msis, other_irqs);
		else
			printk("pci-demo: no MSI for the completion (%u other interrupts)\n",
			       other_irqs);
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
	msix = pci_find_cap(bdf, CAP_MSIX);
	virtio_request(msi_setup(msix));
	printk("pci-demo: after sweep command 0x%04x BAR1 0x%08x BAR4 0x%08x\n",
	       pci_cfg_read(bdf, 4, 2), pci_cfg_read(bdf, 0x14, 4),
	       pci_cfg_read(bdf, 0x20, 4));

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
