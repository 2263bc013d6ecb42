/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused by 'warden cell create' (tests/qemu/42-platform-mismatch.sh, root
 * qemu-smmu-acs.c): a cell asking for edu 03:00.0, which sits behind a PCIe
 * switch downstream port (02:00.0) without ACS, next to another edu
 * (04:00.0) the root keeps: the two could reach each other through the
 * switch without the SMMU seeing it. The driver names the device and the
 * port. The variants (qemu-acs-mf-one.c, qemu-acs-mf-both.c) ask for the
 * functions of a multifunction device instead.
 *
 * The cell is never started: CPU 3, 64 KiB of RAM, the devices and their
 * stream ids (requester id = stream id, QEMU's iommu-map), no BARs.
 */
#include <warden/cell-config.h>

#ifndef ACS_CELL_NAME
#define ACS_CELL_NAME	"acs-switch"
#define ACS_BDF		0x300		/* edu 03:00.0 */
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[2];
#ifdef ACS_BDF2
	struct wd_pci_device pci_devices[2];
	struct wd_stream_id stream_ids[2];
#else
	struct wd_pci_device pci_devices[1];
	struct wd_stream_id stream_ids[1];
#endif
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = ACS_CELL_NAME,
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.num_stream_ids = ARRAY_SIZE(config.stream_ids),
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
		{ .type = WD_PCI_TYPE_DEVICE, .domain = 0, .bdf = ACS_BDF },
#ifdef ACS_BDF2
		{ .type = WD_PCI_TYPE_DEVICE, .domain = 0, .bdf = ACS_BDF2 },
#endif
	},

	.stream_ids = {
		{ ACS_BDF },
#ifdef ACS_BDF2
		{ ACS_BDF2 },
#endif
	},
};
