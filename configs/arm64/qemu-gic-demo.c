/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Demo cell "gic-demo" for the QEMU virt board (root cell: qemu-arm64.c),
 * for inmates/demos/gic-demo.c (the timer-interrupt latency benchmark): the
 * same resources as qemu-uart-demo.c under a name of its own.
 * One CPU (3), 64 KiB of RAM taken from the root's "RAM for cells", the
 * second PL011 (UART1, 0x09040000) with its interrupt, and the comm region.
 *
 *   guest 0x00000000  RAM (physical 0x7fa00000, 64 KiB): the inmate image,
 *                     entered at 0; its command line page is at 0x1000
 *   guest 0x09040000  UART1, identity mapped, the cell's console
 *   guest 0x80000000  communication region (one page, from the hypervisor)
 *
 * UART1 is SPI 8 on this board: INTID 40, bit 8 of the irqchip entry whose
 * pin_base is 32. The cell may also print through the hypervisor's debug
 * console hypercall (console=hvc or console=both on its command line).
 *
 * Run with: warden cell create /etc/warden/qemu-gic-demo.cell
 *           warden cell load gic-demo /usr/share/warden/inmates/gic-demo.bin \
 *                -s "period=10000 report=100" -a 0x1000
 *           warden cell start gic-demo
 * (scripts/qemu-run --uart1 FILE captures the output). Not to be run
 * together with qemu-uart-demo or qemu-smp-demo: same CPU, RAM or UART.
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
		.name = "gic-demo",
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
		/* GICv3 distributor: UART1, SPI 8 = INTID 40 */
		{
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = { 1U << (40 - 32), 0, 0, 0 },
		},
	},
};
