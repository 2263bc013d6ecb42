/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell "outside" for the QEMU virt board (root cell: qemu-arm64.c), made to
 * be refused: its RAM at physical 0x80000000 lies beyond every memory region
 * of the root cell (RAM ends at 0x7fbfffff, the hypervisor's memory follows).
 *
 * Used by tests/qemu/70-reasons.sh: the configuration itself is valid (the
 * validator and the driver accept it), only the hypervisor can see the
 * conflict with the running system, and its reason must reach the user.
 *
 *   guest 0x00000000  RAM (physical 0x80000000, 64 KiB)
 *   guest 0x80000000  communication region
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[2];

} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "outside",
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),

		.cpu_reset_address = 0,
	},

	.cpus = {
		0x4,	/* CPU 2 */
	},

	.mem_regions = {
		/* RAM */
		{
			.phys_start = 0x80000000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* communication region */
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},

};
