/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test fixture: a root cell configuration for the QEMU virt board written the
 * way Jailhouse's own root-cell sources are, to prove Warden takes them as
 * they are (tests/qemu/85-jailhouse.sh):
 *
 *  - only the system header carries signature, architecture and revision;
 *    the root cell descriptor's three fields stay zero (Jailhouse never
 *    reads them);
 *  - two ivshmem devices on the virtual PCI host (ECAM 0x08e00000, domain
 *    1): a 3-peer "demo" device at 00:00.0 and a 2-peer network link at
 *    00:01.0, with their shared memory regions; their INTx are SPIs 128 and
 *    129 (vpci_irq_base 96, as Jailhouse's QEMU root has it);
 *  - size-0 placeholder regions: the network link's unused common region
 *    and an absent second RAM bank.
 *
 * The layout is Warden's QEMU board (scripts/qemu-run): Linux in
 * 0x40000000-0x6fffffff, cells below the shared memory at 0x7faf0000,
 * hypervisor at 0x7fc00000 (4 MiB). CPUs 0-3. UART1 (0x09040000) stays in
 * the root cell so that jh-inmate-demo can take it.
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define RAM_FLAGS	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA)
#define DEV_FLAGS	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO)
#define SHM_RO		(WD_MEM_READ | WD_MEM_ROOTSHARED)
#define SHM_RW		(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED)

/* BAR 0: 4 KiB of registers, nothing else (legacy INTx, no MSI-X) */
#define IVSHMEM_BARS	{ 0xfffff000, 0, 0, 0, 0, 0 }

const struct {
	struct wd_system_config header;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[22];
	struct wd_irqchip irqchips[2];
	struct wd_pci_device pci_devices[2];
} __attribute__((packed)) config = {
	.header = {
		.signature = WD_SYSTEM_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.flags = WD_SYS_VIRTUAL_DEBUG_CONSOLE,
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
				.gic_version = 3,
				.gicd_base = 0x08000000,
				.gicr_base = 0x080a0000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			/* no signature, architecture, revision: as in Jailhouse */
			.name = "jh-qemu-arm64",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
			.num_pci_devices = ARRAY_SIZE(config.pci_devices),
			.vpci_irq_base = 96,	/* INTx of the virtual devices: INTID 128.. */
		},
	},

	.cpus = {
		0xf,
	},

	.mem_regions = {
		/* ivshmem 00:00.0, 3 peers, the root is peer 0 */
		{ .phys_start = 0x7faf0000, .virt_start = 0x7faf0000,	/* state table */
		  .size = 0x1000, .flags = SHM_RO },
		{ .phys_start = 0x7faf1000, .virt_start = 0x7faf1000,	/* common, read-write */
		  .size = 0x9000, .flags = SHM_RW },
		{ .phys_start = 0x7fafa000, .virt_start = 0x7fafa000,	/* output of peer 0 */
		  .size = 0x2000, .flags = SHM_RW },
		{ .phys_start = 0x7fafc000, .virt_start = 0x7fafc000,	/* output of peer 1 */
		  .size = 0x2000, .flags = SHM_RO },
		{ .phys_start = 0x7fafe000, .virt_start = 0x7fafe000,	/* output of peer 2 */
		  .size = 0x2000, .flags = SHM_RO },
		/* ivshmem 00:01.0, a 2-peer network link, the root is peer 0 */
		{ .phys_start = 0x7fb00000, .virt_start = 0x7fb00000,	/* state table */
		  .size = 0x1000, .flags = SHM_RO },
		{ 0 },							/* common: unused */
		{ .phys_start = 0x7fb01000, .virt_start = 0x7fb01000,	/* output of peer 0 */
		  .size = 0x7f000, .flags = SHM_RW },
		{ .phys_start = 0x7fb80000, .virt_start = 0x7fb80000,	/* output of peer 1 */
		  .size = 0x7f000, .flags = SHM_RO },
		/* devices of the board, identity mapped */
		{ .phys_start = 0x09000000, .virt_start = 0x09000000,	/* UART0 */
		  .size = 0x1000, .flags = DEV_FLAGS },
		{ .phys_start = 0x09010000, .virt_start = 0x09010000,	/* RTC */
		  .size = 0x1000, .flags = DEV_FLAGS },
		{ .phys_start = 0x09020000, .virt_start = 0x09020000,	/* fw_cfg */
		  .size = 0x1000, .flags = DEV_FLAGS },
		{ .phys_start = 0x09030000, .virt_start = 0x09030000,	/* GPIO */
		  .size = 0x1000, .flags = DEV_FLAGS },
		{ .phys_start = 0x09040000, .virt_start = 0x09040000,	/* UART1 */
		  .size = 0x1000, .flags = DEV_FLAGS },
		{ .phys_start = 0x0a000000, .virt_start = 0x0a000000,	/* virtio-mmio */
		  .size = 0x4000, .flags = DEV_FLAGS },
		/* RAM: Linux, then what cells get, up to the shared memory */
		{ .phys_start = 0x40000000, .virt_start = 0x40000000,
		  .size = 0x30000000, .flags = RAM_FLAGS },
		{ .phys_start = 0x70000000, .virt_start = 0x70000000,
		  .size = 0x0faf0000, .flags = RAM_FLAGS },
		/* second RAM bank of a bigger board variant: not on this one */
		{ .phys_start = 0x100000000, .virt_start = 0x100000000,
		  .size = 0, .flags = RAM_FLAGS },
		/* the board's own PCIe host bridge: ECAM, MMIO, PIO, high MMIO */
		{ .phys_start = 0x4010000000, .virt_start = 0x4010000000,
		  .size = 0x10000000, .flags = DEV_FLAGS },
		{ .phys_start = 0x10000000, .virt_start = 0x10000000,
		  .size = 0x2eff0000, .flags = DEV_FLAGS },
		{ .phys_start = 0x3eff0000, .virt_start = 0x3eff0000,
		  .size = 0x10000, .flags = DEV_FLAGS },
		{ .phys_start = 0x8000000000, .virt_start = 0x8000000000,
		  .size = 0x8000000000, .flags = DEV_FLAGS },
	},

	.irqchips = {
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
		{	/* 00:00.0: ivshmem "demo", undefined protocol */
			.type = WD_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0x00 << 3,
			.bar_mask = IVSHMEM_BARS,
			.shmem_regions_start = 0,
			.shmem_dev_id = 0,
			.shmem_peers = 3,
			.shmem_protocol = 0x0000,
		},
		{	/* 00:01.0: ivshmem network link */
			.type = WD_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0x01 << 3,
			.bar_mask = IVSHMEM_BARS,
			.shmem_regions_start = 5,
			.shmem_dev_id = 0,
			.shmem_peers = 2,
			.shmem_protocol = 0x0001,
		},
	},
};
