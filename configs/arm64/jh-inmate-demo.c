/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test fixture: a bare-metal cell written the way Jailhouse's inmate-demo
 * cells are, next to the root cell jh-qemu-arm64 (tests/qemu/85-jailhouse.sh,
 * inmate inmates/demos/jh-inmate.c):
 *
 *   guest 0x00000000  RAM, 1 MiB (physical 0x7f900000): the image, its
 *                     command line at 0x1000, and beyond the image the
 *                     inmate's heap, page tables and a big stack
 *   guest 0x09040000  UART1, the cell's console (SPI 8 = INTID 40)
 *   guest 0x7faf0000  ivshmem 00:00.0 shared memory, this cell is peer 1
 *   guest 0x80000000  communication region
 *
 * It declares the ivshmem device (INTx at vpci_irq_base 108, i.e. SPI 140)
 * and ends with a size-0 placeholder region, as Jailhouse's do. CPU 3.
 * Virtual console permitted and active: the inmate's lines also reach the
 * hypervisor console, where the test reads them.
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define SHM_RO		(WD_MEM_READ | WD_MEM_ROOTSHARED)
#define SHM_RW		(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED)

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[9];
	struct wd_irqchip irqchips[1];
	struct wd_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "jh-inmate-demo",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED | WD_CELL_VIRTUAL_CONSOLE_ACTIVE,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.vpci_irq_base = 108,
		.cpu_reset_address = 0,
		.console = {
			.address = 0x09040000,
			.size = 0x1000,
			.type = WD_CON_TYPE_PL011,
			.flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4,
		},
	},

	.cpus = {
		0x8,
	},

	.mem_regions = {
		/* RAM */
		{ .phys_start = 0x7f900000, .virt_start = 0, .size = 0x100000,
		  .flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_LOADABLE },
		/* UART1 */
		{ .phys_start = 0x09040000, .virt_start = 0x09040000, .size = 0x1000,
		  .flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO },
		/* communication region */
		{ .virt_start = 0x80000000, .size = 0x1000,
		  .flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION },
		/* ivshmem 00:00.0: state table, common, outputs of peers 0-2 */
		{ .phys_start = 0x7faf0000, .virt_start = 0x7faf0000, .size = 0x1000,
		  .flags = SHM_RO },
		{ .phys_start = 0x7faf1000, .virt_start = 0x7faf1000, .size = 0x9000,
		  .flags = SHM_RW },
		{ .phys_start = 0x7fafa000, .virt_start = 0x7fafa000, .size = 0x2000,
		  .flags = SHM_RO },
		{ .phys_start = 0x7fafc000, .virt_start = 0x7fafc000, .size = 0x2000,
		  .flags = SHM_RW },
		{ .phys_start = 0x7fafe000, .virt_start = 0x7fafe000, .size = 0x2000,
		  .flags = SHM_RO },
		/* placeholder */
		{ 0 },
	},

	.irqchips = {
		{
			.address = 0x08000000,
			.pin_base = 32,
			/* UART1 (INTID 40) and the ivshmem INTx (INTID 140) */
			.pin_bitmap = { 1U << (40 - 32), 0, 0, 1U << (140 - 128) },
		},
	},

	.pci_devices = {
		{
			.type = WD_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0x00 << 3,
			.bar_mask = { 0xfffff000, 0, 0, 0, 0, 0 },
			.shmem_regions_start = 3,
			.shmem_dev_id = 1,
			.shmem_peers = 3,
			.shmem_protocol = 0x0000,
		},
	},
};
