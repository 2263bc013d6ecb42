/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Root cell (system configuration) for the GICv2 board of qemu-arm64-gicv2.c
 * ("scripts/qemu-run --gic 2") with the ivshmem demo link of qemu-arm64.c:
 * the doorbell benchmark's GICv2 run (bench/ivshmem.sh) and anyone who wants
 * the demo link on a GICv2. The same demo cells (qemu-ivshmem-demo1/2) join
 * the link as on the GICv3 board.
 *
 *   0x40000000-0x6fffffff  Linux RAM
 *   0x70000000-0x7faeffff  RAM for cells; the root cell keeps it mapped so that
 *                          it can load cell images there
 *   0x7faf0000-0x7fafffff  ivshmem 00:00.0, the demo link (3 peers: the root 0,
 *                          qemu-ivshmem-demo1 1, qemu-ivshmem-demo2 2), as in
 *                          qemu-arm64.c; its INTx is SPI 128 (vpci_irq_base 96)
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
 * Built into configs/qemu-arm64-gicv2-ivshmem.cell (see configs/Makefile): the object's only
 * read-only data is "config" below, copied out byte for byte.
 */
#include <warden/cell-config.h>

#define QEMU_GICV2_NAME		"qemu-arm64-gicv2-ivshmem"
#define QEMU_GICV2_GICC		0x08010000

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define MEM_RAM (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA)
#define MEM_DEV (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO)
#define SHM_RO	(WD_MEM_READ | WD_MEM_ROOTSHARED)
#define SHM_RW	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED)
#define IVSHMEM_INTX_BARS	{ 0xfffff000, 0, 0, 0, 0, 0 }

#define IDENTITY(start, len, fl) \
	{ .phys_start = (start), .virt_start = (start), .size = (len), .flags = (fl) }

const struct {
	struct wd_system_config header;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[17];
	struct wd_irqchip irqchips[2];
	struct wd_pci_device pci_devices[1];
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
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.vpci_irq_base = 96,
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
		/* RAM for cells, up to the shared memory of the link */
		{
			.phys_start = 0x70000000,
			.virt_start = 0x70000000,
			.size = 0x0faf0000,
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
		/* #12-#16: ivshmem 00:00.0 (demo), the root is peer 0 */
		IDENTITY(0x7faf0000, 0x1000, SHM_RO),		/* state table */
		IDENTITY(0x7faf1000, 0x9000, SHM_RW),		/* read/write section */
		IDENTITY(0x7fafa000, 0x2000, SHM_RW),		/* output of peer 0 */
		IDENTITY(0x7fafc000, 0x2000, SHM_RO),		/* output of peer 1 */
		IDENTITY(0x7fafe000, 0x2000, SHM_RO),		/* output of peer 2 */
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

	.pci_devices = {
		{	/* 0001:00:00.0: the demo link, undefined protocol */
			.type = WD_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0 << 3,
			.bar_mask = IVSHMEM_INTX_BARS,
			.shmem_regions_start = 12,
			.shmem_dev_id = 0,
			.shmem_peers = 3,
			.shmem_protocol = 0x0000,
		},
	},
};
