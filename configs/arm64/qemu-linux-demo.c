/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell "linux-demo" for the QEMU virt board (root cell: qemu-arm64.c): a
 * second Linux on CPUs 2 and 3, booted with one command
 * ("warden cell linux", README "Linux in a cell"):
 *
 *   warden cell linux /etc/warden/qemu-linux-demo.cell KERNEL -i INITRD \
 *          -c "console=ttyAMA0"
 *
 *   guest 0x00000000  64 KiB for the linux-loader (physical 0x7c000000): the
 *                     cell starts there, reads "kernel=... dtb=..." at 0x1000
 *   guest 0x70000000  128 MiB of RAM, identity mapped (physical 0x70000000-
 *                     0x77ffffff): device tree, kernel, initramfs, Linux's RAM
 *   guest 0x7c010000  4 KiB shared with the root (physical 0x7c010000, the
 *                     root keeps it): the "report page" the cell's init
 *                     (scripts/guest/cell-init) writes what it sees to, for
 *                     the root to show (scripts/guest/cell-report)
 *   guest 0x09040000  UART1 (PL011, SPI 8 = INTID 40), the cell's console
 *   guest 0x80000000  communication region
 *
 * Its memory is the bottom of the root's "RAM for cells"; the bare-metal demo
 * cells live at 0x7e000000 and above, so they can run next to this one when
 * their CPUs differ (qemu-uart-demo, qemu-gic-demo, qemu-bench share CPU 3 and
 * UART1 with it, so not those). The communication region is passive: Linux
 * does not answer the hypervisor's messages, so "warden cell shutdown" and
 * "destroy" never wait for it.
 *
 * SPIs 140-143 (vpci_irq_base 108, pins A-D) are the INTx lines of the
 * virtual PCI host that "cell linux" declares for the cell's ivshmem devices.
 */
#include <warden/cell-config.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define LINUX_VPCI_IRQ_BASE	108

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[5];
	struct wd_irqchip irqchips[1];
	/*
	 * Inter-cell link (issue 15): the ivshmem-net device that pairs with
	 * the root's goes here as "struct wd_pci_device pci_devices[1]" (type
	 * ivshmem, domain 1, the root's BDF, shmem_dev_id 1, 2 peers, protocol
	 * 0x0001) with its four shared memory regions added to mem_regions
	 * (state table read-only, own output read-write, the peer's read-only),
	 * once the root configuration declares its end. "cell linux" then gives
	 * the cell's Linux a pci-host-ecam-generic node for it.
	 */
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE,
		.architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION,
		.name = "linux-demo",
		.flags = WD_CELL_PASSIVE_COMMREG | WD_CELL_VIRTUAL_CONSOLE_PERMITTED,
		.cpu_set_size = sizeof(config.cpus),
		.num_memory_regions = ARRAY_SIZE(config.mem_regions),
		.num_irqchips = ARRAY_SIZE(config.irqchips),
		.vpci_irq_base = LINUX_VPCI_IRQ_BASE,
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
		/* linux-loader */
		{
			.phys_start = 0x7c000000,
			.virt_start = 0,
			.size = 0x10000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_LOADABLE,
		},
		/* RAM */
		{
			.phys_start = 0x70000000,
			.virt_start = 0x70000000,
			.size = 0x08000000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
				 WD_MEM_DMA | WD_MEM_LOADABLE,
		},
		/* report page, shared with the root (not Linux's RAM) */
		{
			.phys_start = 0x7c010000,
			.virt_start = 0x7c010000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED,
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
		/* GICv3 distributor: UART1 (INTID 40) and the vPCI INTx SPIs */
		{
			.address = 0x08000000,
			.pin_base = 32,
			.pin_bitmap = {
				1U << (40 - 32),
				0,
				0,
				0xfU << (LINUX_VPCI_IRQ_BASE + 32 - 128),
			},
		},
	},
};
