/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell "uart-high": qemu-uart-demo.c with its RAM above 4 GiB, for a board
 * with 4 GiB of RAM (scripts/qemu-run --mem 4G --append mem=3G: Linux has
 * 0x40000000-0xffffffff, and a root configuration from "warden config
 * create" gives the RAM above 4 GiB to cells and the hypervisor).
 *
 *   guest 0x00000000   RAM (physical 0x120000000, 64 KiB): the inmate image
 *   guest 0x100000000  2 MiB more (physical 0x120200000): an IPA above 4 GiB
 *   guest 0x09040000   UART1, the cell's console
 *   guest 0x80000000   communication region
 *
 * Run with: warden cell create /etc/warden/qemu-uart-high.cell
 *           warden cell load uart-high /usr/share/warden/inmates/uart-demo.bin
 *           warden cell start uart-high
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[4];
	struct wd_irqchip irqchips[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "uart-high",
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
		/* RAM above 4 GiB */
		{
			.phys_start = 0x120000000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* more of it, at a guest address above 4 GiB too */
		{
			.phys_start = 0x120200000,
			.virt_start = 0x100000000,
			.size = 0x200000,
			.flags = WD_MEM_READ | WD_MEM_WRITE,
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
