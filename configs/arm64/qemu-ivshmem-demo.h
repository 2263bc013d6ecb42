/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two bare-metal peers of the root's ivshmem demo link 0001:00:00.0
 * (qemu-arm64.c): qemu-ivshmem-demo1.c and qemu-ivshmem-demo2.c define
 * DEMO_NAME, DEMO_CPU, DEMO_RAM, DEMO_ID and DEMO_IRQ_BASE and include this.
 *
 *   guest 0x00000000  64 KiB of RAM (physical DEMO_RAM): the inmate image
 *                     (inmates/demos/ivshmem-demo.c), command line at 0x1000
 *   guest 0x7faf0000  the link's shared memory, identity mapped as the root
 *                     has it: state table (read-only), read/write section,
 *                     the outputs of peers 0-2 (only the cell's own writable)
 *   guest 0x80000000  communication region
 *
 * INTx of 00:00.0 (pin A) is SPI DEMO_IRQ_BASE + 32, the cell's. No UART:
 * the inmate writes to the hypervisor's console (virtual console active).
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SHM_RO		(WD_MEM_READ | WD_MEM_ROOTSHARED)
#define SHM_RW		(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED)
#define SHM_OUT(id)	(DEMO_ID == (id) ? SHM_RW : SHM_RO)

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[7];
	struct wd_irqchip irqchips[1];
	struct wd_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = DEMO_NAME,
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED | WD_CELL_VIRTUAL_CONSOLE_ACTIVE,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.vpci_irq_base = DEMO_IRQ_BASE,
		.cpu_reset_address = 0,
		.console = {
			.type = WD_CON_TYPE_NONE,
		},
	},

	.cpus = {
#ifdef DEMO_CPUS
		DEMO_CPUS,
#else
		1U << DEMO_CPU,
#endif
	},

	.mem_regions = {
#ifndef DEMO_RAM_SIZE
#define DEMO_RAM_SIZE	0x10000
#endif
		{ .phys_start = DEMO_RAM, .virt_start = 0, .size = DEMO_RAM_SIZE,
		  .flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_LOADABLE },
		{ .virt_start = 0x80000000, .size = 0x1000,
		  .flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION },
		/* #2-#6: ivshmem 00:00.0 */
		{ .phys_start = 0x7faf0000, .virt_start = 0x7faf0000, .size = 0x1000,
		  .flags = SHM_RO },
		{ .phys_start = 0x7faf1000, .virt_start = 0x7faf1000, .size = 0x9000,
		  .flags = SHM_RW },
		{ .phys_start = 0x7fafa000, .virt_start = 0x7fafa000, .size = 0x2000,
		  .flags = SHM_OUT(0) },
		{ .phys_start = 0x7fafc000, .virt_start = 0x7fafc000, .size = 0x2000,
		  .flags = SHM_OUT(1) },
		{ .phys_start = 0x7fafe000, .virt_start = 0x7fafe000, .size = 0x2000,
		  .flags = SHM_OUT(2) },
	},

	.irqchips = {
		{
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = { 0, 0, 0, 1U << (DEMO_IRQ_BASE + 32 - 128) },
		},
	},

	.pci_devices = {
		{
			.type = WD_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0 << 3,
#ifdef DEMO_MSIX	/* MSI-X vectors, table in BAR 1 (qemu-vits-demo.c) */
			.bar_mask = { 0xfffff000, 0xfffff000, 0, 0, 0, 0 },
			.num_msix_vectors = DEMO_MSIX,
#else
			.bar_mask = { 0xfffff000, 0, 0, 0, 0, 0 },
#endif
			.shmem_regions_start = 2,
			.shmem_dev_id = DEMO_ID,
			.shmem_peers = 3,
			.shmem_protocol = 0x0000,
		},
	},
};
