/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell "bench" for the QEMU virt board (root cell: qemu-arm64.c), for
 * inmates/demos/bench.c, the micro-benchmarks of "make bench" (bench/cell.sh):
 * one CPU (3), 64 KiB of RAM taken from the root's "RAM for cells", the
 * second PL011 (UART1, 0x09040000) as its console, the comm region, and the
 * GIC distributor's emulation (the irqchip entry; the benchmark times reads
 * of GICD_TYPER through it). UART1 is passed through, so printing the
 * results costs no VM exit. No interrupt of UART1 is given: the benchmark
 * wants its CPU to see the timer and nothing else.
 *
 *   guest 0x00000000  RAM (physical 0x7fa00000, 64 KiB): the inmate image,
 *                     entered at 0; its command line page is at 0x1000
 *   guest 0x09040000  UART1, identity mapped
 *   guest 0x80000000  communication region (one page, from the hypervisor)
 *
 * Not to be run together with qemu-uart-demo, qemu-gic-demo or
 * qemu-smp-demo: same CPU, RAM or UART.
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[3];
	struct wd_irqchip irqchips[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "bench",
		.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.cpu_reset_address = 0,
		.console = {
			.address = 0x09040000,
			.size = 0x1000,
			.type = WD_CON_TYPE_PL011,
			.flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4,
		},
	},

	.cpus = {
		0x8,	/* CPU 3 */
	},

	.mem_regions = {
		/* RAM */
		{
			.phys_start = 0x7fa00000,
			.virt_start = 0,
			.size = 0x10000,
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

	.irqchips = {
		/* GICv3 distributor: no SPI */
		{
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = { 0, 0, 0, 0 },
		},
	},
};
