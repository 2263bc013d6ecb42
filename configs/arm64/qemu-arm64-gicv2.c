/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Root cell (system configuration) for the QEMU virt board as
 * "scripts/qemu-run --gic 2" starts it: 4 CPUs, GICv2 with the virtualization
 * extensions (gic-version=2,virtualization=on), 1 GiB of RAM of which Linux
 * uses the first 768 MiB (mem=768M). Otherwise the same board as
 * qemu-arm64.c, so the same cell configurations run on it.
 *
 *   0x40000000-0x6fffffff  Linux RAM
 *   0x70000000-0x7fbfffff  RAM for cells; the root cell keeps it mapped so that
 *                          it can load cell images there
 *   0x7fc00000-0x7fffffff  hypervisor memory (4 MiB)
 *
 * The devices are the board's, identity-mapped and page granular. The GIC is
 * not a memory region: the hypervisor emulates the root cell's distributor
 * accesses, maps the virtual CPU interface (GICV, 0x08040000) where Linux
 * has its CPU interface (GICC, 0x08010000), and keeps the virtual interface
 * control (GICH, 0x08030000) for itself.
 * pci_mmconfig_base is the ECAM of the virtual PCI host bridge the hypervisor
 * provides (domain 1); the board's own PCIe host (domain 0) stays with Linux.
 *
 * Built into configs/qemu-arm64-gicv2.cell (see configs/Makefile): the object's only
 * read-only data is "config" below, copied out byte for byte.
 */
#include <warden/cell-config.h>

/* A variant (qemu-root-bad-gicc.c) puts the CPU interface elsewhere. */
#ifndef QEMU_GICV2_NAME
#define QEMU_GICV2_NAME		"qemu-arm64-gicv2"
#define QEMU_GICV2_GICC		0x08010000
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define MEM_RAM (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA)
#define MEM_DEV (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO)

#define IDENTITY(start, len, fl) \
	{ .phys_start = (start), .virt_start = (start), .size = (len), .flags = (fl) }

const struct {
	struct wd_system_config header;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[12];
	struct wd_irqchip irqchips[2];
} __attribute__((packed)) config = {
	.header = {
		.signature = WD_SYSTEM_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.flags = 0,
		.hypervisor_memory = {
			.phys_start = 0x7fc00000,
			.size = 0x00400000,
		},
		.debug_console = {
			.address = 0x09000000,
			.size = 0x1000,
			.type = WD_CON_TYPE_PL011,
			.flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4,
		},
		.platform = {
			.pci_mmconfig_base = 0x08e00000,
			.pci_mmconfig_end_bus = 0,
			.pci_is_virtual = 1,
			.pci_domain = 1,
			.arm = {
				.gic_version = 2,
				.gicd_base = 0x08000000,
				.gicc_base = QEMU_GICV2_GICC,
				.gich_base = 0x08030000,
				.gicv_base = 0x08040000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.signature = WD_CELL_SIGNATURE,
			.architecture = WD_ARCH_ARM64,
			.revision = WD_CONFIG_REVISION,
			.name = QEMU_GICV2_NAME,
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
		},
	},

	.cpus = {
		0xf,	/* CPUs 0-3 */
	},

	.mem_regions = {
		/* RAM for Linux */
		{
			.phys_start = 0x40000000,
			.virt_start = 0x40000000,
			.size = 0x30000000,
			.flags = MEM_RAM,
		},
		/* RAM for cells, up to the hypervisor memory */
		{
			.phys_start = 0x70000000,
			.virt_start = 0x70000000,
			.size = 0x0fc00000,
			.flags = MEM_RAM,
		},
		IDENTITY(0x09000000, 0x1000, MEM_DEV),		/* UART0 (PL011) */
		IDENTITY(0x09010000, 0x1000, MEM_DEV),		/* RTC (PL031) */
		IDENTITY(0x09020000, 0x1000, MEM_DEV),		/* fw_cfg */
		IDENTITY(0x09030000, 0x1000, MEM_DEV),		/* GPIO (PL061) */
		IDENTITY(0x09040000, 0x1000, MEM_DEV),		/* UART1 (PL011) */
		IDENTITY(0x0a000000, 0x4000, MEM_DEV),		/* virtio-mmio transports */
		IDENTITY(0x4010000000, 0x10000000, MEM_DEV),	/* PCIe ECAM (highmem) */
		IDENTITY(0x10000000, 0x2eff0000, MEM_DEV),	/* PCIe MMIO window */
		IDENTITY(0x3eff0000, 0x10000, MEM_DEV),		/* PCIe PIO window */
		IDENTITY(0x8000000000, 0x8000000000, MEM_DEV),	/* PCIe high MMIO window */
	},

	.irqchips = {
		/* GICv2 distributor: SPIs 32..287, all for the root cell */
		{
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
		},
		{
			.address = 0x08000000,
			.pin_base = 160,
			.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
		},
	},
};
