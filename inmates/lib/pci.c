/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration space through the hypervisor's virtual PCI host: an
 * ECAM window at the comm region's pci_mmconfig_base (4 KiB per function,
 * BDF << 12). Accesses of 1, 2 or 4 bytes, naturally aligned (the host
 * refuses anything else). A function that is not there reads all ones.
 */
#include <inmate.h>
#include <warden/hypercall.h>
#include <warden/ivshmem.h>

u64 pci_ecam_base(void)
{
	volatile struct wd_comm_region *c = comm_region();

	return cmdline_get_u64("ecam", c ? c->pci_mmconfig_base : 0);
}

static u64 cfg_addr(u16 bdf, unsigned int reg)
{
	return pci_ecam_base() + ((u64)bdf << WD_ECAM_FN_SHIFT) + (reg & 0xfff);
}

u32 pci_cfg_read(u16 bdf, unsigned int reg, unsigned int size)
{
	u64 a = cfg_addr(bdf, reg);
	u16 v;

	switch (size) {
	case 1:
		return mmio_read8(a);
	case 2:
		asm volatile("ldrh %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
		return v;
	default:
		return mmio_read32(a);
	}
}

void pci_cfg_write(u16 bdf, unsigned int reg, u32 value, unsigned int size)
{
	u64 a = cfg_addr(bdf, reg);

	switch (size) {
	case 1:
		mmio_write8(a, (u8)value);
		break;
	case 2:
		asm volatile("strh %w0, [%1]" : : "r" ((u16)value), "r" (a) : "memory");
		break;
	default:
		mmio_write32(a, value);
	}
}

int pci_find_device(u16 vendor, u16 device, unsigned int index)
{
	unsigned int bdf;
	u32 id = vendor | ((u32)device << 16);

	if (!pci_ecam_base())
		return -1;
	/* Bus 0 only: the virtual host's devices are there. */
	for (bdf = 0; bdf < 256; bdf++)
		if (pci_cfg_read(bdf, WD_PCI_VENDOR_ID, 4) == id && index-- == 0)
			return (int)bdf;
	return -1;
}

int pci_find_cap(u16 bdf, u8 id)
{
	unsigned int pos, hops;

	if (!(pci_cfg_read(bdf, WD_PCI_STATUS, 2) & WD_PCI_STS_CAPS))
		return -1;
	pos = pci_cfg_read(bdf, WD_PCI_CAP_PTR, 1) & ~3U;
	for (hops = 0; pos >= 0x40 && hops < 48; hops++) {
		if (pci_cfg_read(bdf, pos, 1) == id)
			return (int)pos;
		pos = pci_cfg_read(bdf, pos + 1, 1) & ~3U;
	}
	return -1;
}
