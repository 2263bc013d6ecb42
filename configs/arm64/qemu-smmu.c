/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Root cell (system configuration) for the QEMU virt board with an SMMUv3 in
 * front of its PCIe host: scripts/qemu-run --iommu smmuv3. As qemu-arm64.c
 * (4 CPUs, GICv3, 1 GiB of RAM of which Linux uses the first 768 MiB), plus:
 *
 *   - IOMMU unit 0: the SMMUv3 at 0x09050000 (two 64 KiB register pages).
 *     Its registers are the hypervisor's: no memory region maps them.
 *   - stream ids 0x00-0xff: the board's iommu-map is the identity
 *     (RID = bus << 8 | devfn), so these are the PCI functions of bus 0.
 *     Each is translated by the root cell's stage 2 until a cell that lists
 *     it is created.
 *   - the GIC ITS (0x08080000), which PCI test devices need on the board
 *     (QEMU refuses edu without MSI): the root's PCI devices get their MSIs
 *     as LPIs through it.
 *
 *   0x40000000-0x6fffffff  Linux RAM
 *   0x70000000-0x7fbfffff  RAM for cells; the root cell keeps it mapped so that
 *                          it can load cell images there
 *   0x7fc00000-0x7fffffff  hypervisor memory (4 MiB)
 *
 * The devices are the board's, identity-mapped and page granular. The GIC is
 * not a memory region: the hypervisor emulates the root cell's accesses to it.
 * pci_mmconfig_base is the ECAM of the virtual PCI host bridge the hypervisor
 * provides (domain 1); the board's own PCIe host (domain 0) stays with Linux.
 *
 * Built into configs/qemu-arm64.cell (see configs/Makefile): the object's only
 * read-only data is "config" below, copied out byte for byte.
 */
#include <warden/cell-config.h>

/* Variants (qemu-smmu-bad-absent.c) include this file with their own values. */
#ifndef QEMU_SMMU_BASE
#define QEMU_SMMU_BASE	0x09050000
#endif
#ifndef QEMU_SMMU_NAME
#define QEMU_SMMU_NAME	"qemu-smmu"
#endif
/* Stream ids past bus 0 (95-smmu.sh's board: edu 01:00.0, virtio-rng 02:00.0). */
#ifndef QEMU_SMMU_MORE_SIDS
#define QEMU_SMMU_MORE_SIDS	{ 0x100 }, { 0x200 }
#define QEMU_SMMU_NUM_MORE_SIDS	2
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define MEM_RAM (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA)
#define MEM_DEV (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO)

#define IDENTITY(start, len, fl) \
	{ .phys_start = (start), .virt_start = (start), .size = (len), .flags = (fl) }

/* Stream ids n, n+1, ...: bus 0's 256 functions. */
#define SIDS_4(n)	{ (n) }, { (n) + 1 }, { (n) + 2 }, { (n) + 3 }
#define SIDS_16(n)	SIDS_4(n), SIDS_4((n) + 4), SIDS_4((n) + 8), SIDS_4((n) + 12)
#define SIDS_64(n)	SIDS_16(n), SIDS_16((n) + 16), SIDS_16((n) + 32), SIDS_16((n) + 48)
#define SIDS_256(n)	SIDS_64(n), SIDS_64((n) + 64), SIDS_64((n) + 128), SIDS_64((n) + 192)

const struct {
	struct wd_system_config header;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[13];
	struct wd_irqchip irqchips[2];
	struct wd_stream_id stream_ids[256 + QEMU_SMMU_NUM_MORE_SIDS];
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
			.iommu_units = {
				{
					.type = WD_IOMMU_SMMUV3,
					.base = QEMU_SMMU_BASE,
					.size = 0x20000,
				},
			},
			.arm = {
				.gic_version = 3,
				.gicd_base = 0x08000000,
				.gicr_base = 0x080a0000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			.signature = WD_CELL_SIGNATURE,
			.architecture = WD_ARCH_ARM64,
			.revision = WD_CONFIG_REVISION,
			.name = QEMU_SMMU_NAME,
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_stream_ids = ARRAY_SIZE(config.stream_ids),
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
		IDENTITY(0x08080000, 0x20000, MEM_DEV),		/* GIC ITS (its=on) */
		IDENTITY(0x0a000000, 0x4000, MEM_DEV),		/* virtio-mmio transports */
		IDENTITY(0x4010000000, 0x10000000, MEM_DEV),	/* PCIe ECAM (highmem) */
		IDENTITY(0x10000000, 0x2eff0000, MEM_DEV),	/* PCIe MMIO window */
		IDENTITY(0x3eff0000, 0x10000, MEM_DEV),		/* PCIe PIO window */
		IDENTITY(0x8000000000, 0x8000000000, MEM_DEV),	/* PCIe high MMIO window */
	},

	.irqchips = {
		/* GICv3 distributor: SPIs 32..287, all for the root cell */
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

	/*
	 * Bus 0, and the functions behind the two root ports of
	 * tests/qemu/95-smmu.sh's board (edu 01:00.0, virtio-rng 02:00.0): the
	 * devices a cell gets must be resettable, and on QEMU's bus 0 only a
	 * bus reset behind a port is.
	 */
	.stream_ids = { SIDS_256(0), QEMU_SMMU_MORE_SIDS },
};
