/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Management test cell (tests/qemu/62-mgmt-attacks.sh): like qemu-attack.c
 * (CPU 2, RAM 0x7f800000), plus a ROOTSHARED region over the RAM of
 * qemu-uart-demo (0x7fa00000). While uart-demo runs, the hypervisor must
 * refuse to create it: that memory belongs to another cell.
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
		.name = "mgmt-overlap",
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
		/* uart-demo's RAM, "shared with the root" */
		{
			.phys_start = 0x7fa00000,
			.virt_start = 0x00100000,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED,
		},
		/* communication region */
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},
};
