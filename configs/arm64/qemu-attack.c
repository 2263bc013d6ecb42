/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Isolation-test cell "attack" for the QEMU virt board (root cell:
 * qemu-arm64.c), for inmates/demos/attack.c: one CPU (2), 64 KiB of RAM,
 * the comm region, and no device at all. It prints through the hypervisor's
 * debug console hypercall, so that it can run next to qemu-uart-demo (CPU 3,
 * UART1, RAM 0x7fa00000), whose memory is one of the attack's targets.
 *
 *   guest 0x00000000  RAM (physical 0x7f800000, 64 KiB)
 *   guest 0x80000000  communication region
 *
 * Run with: warden cell create /etc/warden/qemu-attack.cell
 *           warden cell load attack /usr/share/warden/inmates/attack.bin \
 *                -s "mode=root-read" -a 0x1000
 *           warden cell start attack
 * (output: warden console, or /sys/devices/warden/console).
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
		.name = "attack",
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
		/* communication region */
		{
			.virt_start = 0x80000000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION,
		},
	},
};
