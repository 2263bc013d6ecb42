/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell "ipa-41bit": qemu-uart-demo.c with its RAM at guest address 1 TiB
 * (2^40), which needs a 41-bit IPA space. A CPU with 40-bit physical
 * addresses (Cortex-A53, A55, A76) cannot translate it: cell create is
 * refused with a reason naming the region and the CPU's limit. CPUs with
 * 44 or 48 bits accept it (tests/qemu/90-matrix.sh).
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
		.name = "ipa-41bit",
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
			.virt_start = 0x10000000000,
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
