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
 * virtual PCI host that "cell linux" declares for the cell's ivshmem devices:
 * one, the network link with the root at 00:01.0 (pin B, SPI 109), whose
 * shared memory is 0x7fb00000-0x7fbfffff (the root's end: 00:01.0 of
 * qemu-arm64.c and jh-qemu-arm64.c; ivshmem-net.ko on both sides).
 */
#include <warden/cell-config.h>
#include <warden/ivshmem.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define LINUX_VPCI_IRQ_BASE	108

const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[9];
	struct wd_irqchip irqchips[1];
	struct wd_pci_device pci_devices[1];
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
		.num_pci_devices = ARRAY_SIZE(config.pci_devices),
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
		/*
		 * The network link with the root (ivshmem 00:01.0, Jailhouse's
		 * JAILHOUSE_SHMEM_NET_REGIONS(0x7fb00000, 1)): state table,
		 * an empty read/write section, the root's output (peer 0),
		 * ours (peer 1).
		 */
		{
			.phys_start = 0x7fb00000,
			.virt_start = 0x7fb00000,
			.size = 0x1000,
			.flags = WD_MEM_READ | WD_MEM_ROOTSHARED,
		},
		{ 0 },
		{
			.phys_start = 0x7fb01000,
			.virt_start = 0x7fb01000,
			.size = 0x7f000,
			.flags = WD_MEM_READ | WD_MEM_ROOTSHARED,
		},
		{
			.phys_start = 0x7fb80000,
			.virt_start = 0x7fb80000,
			.size = 0x7f000,
			.flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED,
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

	.pci_devices = {
		{	/* 00:01.0: the network link, peer 1 of 2 (ivshmem-net) */
			.type = WD_PCI_TYPE_IVSHMEM,
			.domain = 1,
			.bdf = 0x01 << 3,
#ifdef LINUX_DEMO_MSIX	/* qemu-linux-vits.c: MSI-X through the cell's vITS */
			.bar_mask = { 0xfffff000, 0xfffff000, 0, 0, 0, 0 },
			.num_msix_vectors = 1,
#else
			.bar_mask = { 0xfffff000, 0, 0, 0, 0, 0 },
#endif
			.shmem_regions_start = 4,
			.shmem_dev_id = 1,
			.shmem_peers = 2,
			.shmem_protocol = WD_SHMEM_PROTO_VETH,
		},
	},
};
