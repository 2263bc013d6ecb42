/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refused while "dma-demo" (qemu-smmu-dma.c) exists: it claims the edu
 * device's stream id 0x8 too. Stream ids are owned by one cell at a time.
 */
#include <warden/cell-config.h>

/* qemu-smmu-bad-unknown.c includes this file with its own values. */
#ifndef BAD_CELL_NAME
#define BAD_CELL_NAME	"dma-thief"
#define BAD_STREAM_ID	0x100	/* edu 01:00.0: dma-demo's while it exists */
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[3];
	struct wd_stream_id stream_ids[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = BAD_CELL_NAME,
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED |
			 WD_CELL_VIRTUAL_CONSOLE_ACTIVE,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_stream_ids = ARRAY_SIZE(config.stream_ids),
		.cpu_reset_address = 0,
	},

	.cpus = {
		0x8,	/* CPU 3 */
	},

	.mem_regions = {
		/* RAM: image, stacks */
		{
			.phys_start = 0x7f920000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* RAM: DMA buffers */
		{
			.phys_start = 0x7f930000,
			.virt_start = 0x100000,
			.size = 0x2000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_DMA,
		},
		/* communication region */
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},

	.stream_ids = {
		{ BAD_STREAM_ID },
	},
};
