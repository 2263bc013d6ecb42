/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Demo cell "smp-demo" for the QEMU virt board (root cell: qemu-arm64.c):
 * two CPUs (2 and 3), 1 MiB of RAM taken from the root's "RAM for cells",
 * the second PL011 (UART1, 0x09040000) and the comm region. No interrupts
 * of the distributor: the demo uses SGIs and the timer only.
 *
 *   guest 0x00000000  RAM (physical 0x7f900000, 1 MiB): the inmate image,
 *                     entered at 0 on CPU 2; CPU 3 waits for PSCI CPU_ON
 *   guest 0x09040000  UART1, identity mapped, the cell's console
 *   guest 0x80000000  communication region
 *
 * Run with: warden cell create /etc/warden/qemu-smp-demo.cell
 *           warden cell load smp-demo /usr/share/warden/inmates/smp-demo.bin
 *           warden cell start smp-demo
 * Not to be run together with qemu-uart-demo or qemu-gic-demo (CPU 3, UART1).
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
		.name = "smp-demo",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.cpu_reset_address = 0,
		.console = {
			.address = 0x09040000,
			.size = 0x1000,
			.type = WD_CON_TYPE_PL011,
			.flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4,
		},
	},

	.cpus = {
		0xc,	/* CPUs 2-3 */
	},

	.mem_regions = {
		/* RAM */
		{
			.phys_start = 0x7f900000,
			.virt_start = 0,
			.size = 0x100000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* UART1 */
		{
			.phys_start = 0x09040000,
			.virt_start = 0x09040000,
			.size = 0x1000,
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
