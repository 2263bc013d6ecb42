/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Always refused by 'warden cell create' on a board with the GIC ITS
 * (scripts/qemu-run --its, root configuration from 'warden config create'):
 * the "attack" cell of qemu-attack.c (CPU 2, 64 KiB of RAM at 0x7f800000)
 * plus the ITS's frames (0x08080000, 128 KiB) as a device. The ITS writes
 * memory wherever its programmer says: no cell gets it (tests/qemu/64-its-attacks.sh).
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[3];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "its-thief",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
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
		/* the GIC ITS: control and translation frame */
		{
			.phys_start = 0x08080000,
			.virt_start = 0x08080000,
			.size = 0x20000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO,
		},
		/* communication region */
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},
};
