/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Management test cell (tests/qemu/62-mgmt-attacks.sh): like qemu-attack.c
 * (CPU 2, RAM 0x7f800000, runs inmates/demos/attack-mgmt.c), plus an ivshmem
 * device laid out as Jailhouse configurations do for two peers, with the
 * size-0 placeholders Jailhouse leaves for an empty common region and for the
 * output section of the absent peer. The validator accepts them, and so must
 * the hypervisor: it maps nothing for them.
 *
 *   guest 0x00000000  RAM (physical 0x7f800000, 64 KiB)
 *   guest 0x00200000  ivshmem state table (physical 0x7f900000, 4 KiB)
 *   guest 0x00201000  common region: size 0
 *   guest 0x00202000  output of peer 0, this cell (physical 0x7f901000)
 *   guest 0x00203000  output of peer 1: size 0
 *   guest 0x80000000  communication region
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[6];
	struct wd_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "mgmt-empty",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.cpu_reset_address = 0,
		.console = {
			.type = WD_CON_TYPE_NONE,
		},
	},

	.cpus = {
		0x4,	/* CPU 2 */
	},

	.mem_regions = {
		/* RAM */
		{
			.phys_start = 0x7f800000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* ivshmem: state table */
		{
			.phys_start = 0x7f900000,
			.virt_start = 0x00200000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_ROOTSHARED,
		},
		/* ivshmem: common region, empty */
		{
			.phys_start = 0x7f901000,
			.virt_start = 0x00201000,
			.size = 0,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED,
		},
		/* ivshmem: output of peer 0 (this cell) */
		{
			.phys_start = 0x7f901000,
			.virt_start = 0x00202000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED,
		},
		/* ivshmem: output of peer 1, absent: a placeholder */
		{
			.phys_start = 0x7f902000,
			.virt_start = 0x00203000,
			.size = 0,
			.flags = WD_MEM_READ | WD_MEM_ROOTSHARED,
		},
		/* communication region */
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},

	.pci_devices = {
		{
			.type = WD_PCI_TYPE_IVSHMEM,
			.bdf = 0x0028,	/* 00:05.0: a link of its own (the root has 00:00.0 and 00:01.0) */
			.bar_mask = { 0xfffff000, 0, 0, 0, 0, 0 },
			.shmem_regions_start = 1,
			.shmem_dev_id = 0,
			.shmem_peers = 2,
			.shmem_protocol = 0,
		},
	},
};
