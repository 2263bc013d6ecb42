/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "pci-rng": virtio-rng-pci (02:00.0 behind the second PCIe root port in
 * tests/qemu/96-cell-pci.sh, stream id 0x200) for a bare-metal inmate
 * (inmates/demos/pci-demo.c) that reads and attacks its configuration space
 * on the cell's virtual PCI host, where it appears as 00:02.0
 * (hypervisor/core/vpci-phys.c), and its trapped MSI-X table
 * (core/vpci-msix.c). BAR1 (MSI-X table and PBA) is ROOTSHARED so that the
 * test can read the device's own table from the root: it must stay masked
 * and empty whatever the cell writes to its shadow. The inmate drives one
 * virtio request with its queue at 0x100000 and takes the completion as an
 * MSI through its virtual ITS, whose command queue and LPI tables are in
 * the same RAM region (0x102000-0x111000).
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[5];
	struct wd_pci_device pci_devices[1];
	struct wd_stream_id stream_ids[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "pci-rng",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED |
			 WD_CELL_VIRTUAL_CONSOLE_ACTIVE,
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
		/* RAM: image, stacks */
		{
			.phys_start = 0x7f940000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* RAM: virtqueue and buffer (the device's DMA target), vITS tables */
		{
			.phys_start = 0x7f950000,
			.virt_start = 0x100000,
			.size = 0x20000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_DMA,
		},
		/* virtio-rng BAR1 (MSI-X table) */
		{
			.phys_start = 0x10300000,
			.virt_start = 0x10300000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO |
				 WD_MEM_ROOTSHARED,
		},
		/* virtio-rng BAR4 (virtio structures) */
		{
			.phys_start = 0x8000200000,
			.virt_start = 0x8000200000,
			.size = 0x4000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO,
		},
		/* communication region */
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},

	/* The root's Linux lets go of the device while the cell exists. */
	.pci_devices = {
		{
			.type = WD_PCI_TYPE_DEVICE,
			.domain = 0,
			.bdf = 0x200,	/* virtio-rng, 02:00.0 */
			/* what each BAR reads after all ones are written */
			.bar_mask = { 0, 0xfffff000, 0, 0, 0xffffc00c, 0xffffffff },
		},
	},

	.stream_ids = {
		{ 0x200 },	/* virtio-rng, 02:00.0 */
	},
};
