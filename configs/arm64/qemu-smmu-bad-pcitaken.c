/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden cell create' while dma-demo (qemu-smmu-dma.c) runs
 * (tests/qemu/95-smmu.sh): a cell listing PCI device 0000:01:00.0 (edu),
 * which dma-demo has; no stream ids, so the driver's own check is what
 * refuses it.
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[2];
	struct wd_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "pci-thief",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED |
			 WD_CELL_VIRTUAL_CONSOLE_ACTIVE,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.cpu_reset_address = 0,
	},

	.cpus = {
		0x8,	/* CPU 3 */
	},

	.mem_regions = {
		{
			.phys_start = 0x7f940000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},

	.pci_devices = {
		{
			.type = WD_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x100,	/* 01:00.0, edu behind the first root port */
		},
	},
};
