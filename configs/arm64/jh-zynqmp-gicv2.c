/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test fixture: a root cell configuration for a Xilinx ZynqMP board (Cortex-A53,
 * GIC-400) written the way Jailhouse's own root-cell sources are, to prove that
 * Warden takes a Jailhouse GICv2 system configuration as it is: the root cell
 * descriptor's signature, architecture and revision stay zero; the GICv2's
 * four frames come as Jailhouse has them on this SoC, with the CPU and
 * virtual CPU interfaces at their 64 KiB-aliased addresses (gicc 0xf902f000,
 * gicv 0xf906f000). Jailhouse's console there is the Cadence UART (xuartps,
 * 0xff000000), for which Warden's validator has no driver yet: the console is
 * NONE here, the UART stays the root's. Built and checked with the other configurations (configs/Makefile
 * runs the validator on every .cell); not bootable in QEMU.
 *
 *   0x00000000-0x7fbfffff  RAM (Linux and cells)
 *   0x7fc00000-0x7fffffff  hypervisor memory (4 MiB)
 *   0xfd000000-0xffffffff  the SoC's peripherals, root's (not the GIC at 0xf9000000)
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define RAM_FLAGS	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA)
#define DEV_FLAGS	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO)

const struct {
	struct wd_system_config header;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[3];
	struct wd_irqchip irqchips[1];
} __attribute__((packed)) config = {
	.header = {
		.signature = WD_SYSTEM_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.flags = WD_SYS_VIRTUAL_DEBUG_CONSOLE,
		.hypervisor_memory = {
			.phys_start = 0x7fc00000,
			.size = 0x00400000,
		},
		.debug_console = {
			.type = WD_CON_TYPE_NONE,
		},
		.platform = {
			.arm = {
				.gic_version = 2,
				.gicd_base = 0xf9010000,
				.gicc_base = 0xf902f000,
				.gich_base = 0xf9040000,
				.gicv_base = 0xf906f000,
				.maintenance_irq = 25,
			},
		},
		.root_cell = {
			/* no signature, architecture, revision: as in Jailhouse */
			.name = "jh-zynqmp-gicv2",
			.cpu_set_size = sizeof(config.cpus),
			.num_memory_regions = ARRAY_SIZE(config.mem_regions),
			.num_irqchips = ARRAY_SIZE(config.irqchips),
		},
	},

	.cpus = {
		0xf,	/* the four Cortex-A53 */
	},

	.mem_regions = {
		/* the SoC's peripherals, identity mapped */
		{ .phys_start = 0xfd000000, .virt_start = 0xfd000000,
		  .size = 0x03000000, .flags = DEV_FLAGS },
		/* RAM below the hypervisor */
		{ .phys_start = 0x00000000, .virt_start = 0x00000000,
		  .size = 0x7fc00000, .flags = RAM_FLAGS },
		/* PCIe high window */
		{ .phys_start = 0xe0000000, .virt_start = 0xe0000000,
		  .size = 0x10000000, .flags = DEV_FLAGS },
	},

	.irqchips = {
		/* GIC-400 distributor: SPIs 32..159, all the root's */
		{
			.address = 0xf9010000,
			.pin_base = 32,
			.pin_bitmap = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff },
		},
	},
};
