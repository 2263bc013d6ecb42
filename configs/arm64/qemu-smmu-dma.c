/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "dma-demo": a cell that owns QEMU's edu PCI device (a DMA engine), for the
 * root cell configs/arm64/qemu-smmu.c and inmates/demos/dma-demo.c:
 *
 *   scripts/qemu-run --iommu smmuv3 --device edu,dma_mask=0xffffffffffffffff \
 *	--device pcie-root-port,id=rp1,chassis=1 \
 *	--device edu,dma_mask=0xffffffffffffffff,bus=rp1 ...
 *
 * The cell's edu is alone behind a PCIe root port (00:02.0), so that a bus
 * reset can quiesce it before it goes back to the root (QEMU's edu has no
 * function-level reset, and on bus 0 nothing can reset it: the driver
 * refuses such a device). It is 01:00.0, requester and stream id 0x100, and
 * Linux puts its BAR0 (1 MiB) at 0x10100000. (The first edu, 00:01.0, stays
 * the root's; qemu-smmu-noreset.c asks for it.)
 * The cell does not get PCI configuration space, only the BAR
 * and the stream id: the driver leaves the device enabled with bus
 * mastering when it takes it from Linux (driver/pci.c). While the cell exists, the SMMU translates the device's
 * DMA with the cell's stage 2: guest-physical addresses, this cell's RAM
 * only.
 *
 * CPU 2, 64 KiB for the image at 0x7f900000 (guest 0), two pages for DMA
 * buffers at 0x7f910000 (guest 0x100000); output over the hypervisor's
 * console (virtual console), so that it can run next to uart-demo.
 */
#include <warden/cell-config.h>

#ifndef DMA_CELL_NAME
#define DMA_CELL_NAME	"dma-demo"
#define DMA_BDF		0x100		/* edu, 01:00.0, behind a root port */
#define DMA_BAR		0x10100000
#endif
#ifndef DMA_SID
#define DMA_SID		DMA_BDF		/* requester id = stream id (QEMU's iommu-map) */
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[4];
	struct wd_pci_device pci_devices[1];
#ifdef DMA_EXTRA_SID
	struct wd_stream_id stream_ids[2];
#else
	struct wd_stream_id stream_ids[1];
#endif
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = DMA_CELL_NAME,
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED |
			 WD_CELL_VIRTUAL_CONSOLE_ACTIVE,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
		.num_stream_ids = ARRAY_SIZE(config.stream_ids),
		.cpu_reset_address = 0,
	},

	.cpus = {
		0x4,	/* CPU 2 */
	},

	.mem_regions = {
		/* RAM: image, stacks */
		{
			.phys_start = 0x7f900000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* RAM: DMA buffers */
		{
			.phys_start = 0x7f910000,
			.virt_start = 0x100000,
			.size = 0x2000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_DMA,
		},
		/* edu BAR0 */
		{
			.phys_start = DMA_BAR,
			.virt_start = 0x10000000,	/* dma-demo's default bar= */
			.size = 0x100000,
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
			.bdf = DMA_BDF,
		},
	},

	.stream_ids = {
		{ DMA_SID },
#ifdef DMA_EXTRA_SID
		{ DMA_EXTRA_SID },
#endif
	},
};
