/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell "spi-clash" for the QEMU virt board (root cell: qemu-arm64.c), made to
 * be refused while qemu-uart-demo runs: it asks for SPI 40 (UART1's
 * interrupt), which uart-demo owns; CPU 2 and RAM of its own.
 *
 * Used by tests/qemu/70-reasons.sh: the configuration itself is valid (the
 * validator and the driver accept it), only the hypervisor can see the
 * conflict with the running system, and its reason must reach the user.
 *
 *   guest 0x00000000  RAM (physical 0x7f700000, 64 KiB)
 *   guest 0x80000000  communication region
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[2];
	struct wd_irqchip irqchips[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "spi-clash",
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.cpu_reset_address = 0,
	},

	.cpus = {
		0x4,	/* CPU 2 */
	},

	.mem_regions = {
		/* RAM */
		{
			.phys_start = 0x7f700000,
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

	.irqchips = {
		/* GICv3 distributor: SPI 8 = INTID 40, UART1's */
		{
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = { 1U << (40 - 32), 0, 0, 0 },
		},
	},
};
