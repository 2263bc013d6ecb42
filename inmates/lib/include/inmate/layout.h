/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory layout of an inmate image, shared by the linker script and the C/asm
 * sources. The image is linked at INMATE_LOAD_ADDR (0 for a cell, where the
 * hypervisor enters at cpu_reset_address 0; 0x40080000 for the bare-metal
 * variant that QEMU's -kernel loads there):
 *
 *   +0x0000  entry code (first CPU and PSCI CPU_ON entry), at most 0x800 bytes
 *   +0x0800  exception vector table (VBAR_EL1 needs 2 KiB alignment)
 *   +0x1000  command line page: zeros in the image, so that a string loaded
 *            there afterwards ("cell load NAME IMAGE -s STRING -a 0x1000")
 *            replaces nothing but zeros
 *   +0x2000  text, rodata, data, bss, then one stack per CPU
 */
#ifndef INMATE_LAYOUT_H
#define INMATE_LAYOUT_H

#ifndef INMATE_LOAD_ADDR
#define INMATE_LOAD_ADDR	0
#endif

#define INMATE_VECTORS_OFFSET	0x800
#define INMATE_CMDLINE_OFFSET	0x1000
#define INMATE_CMDLINE_SIZE	0x1000
#define INMATE_TEXT_OFFSET	0x2000

/* CPUs one image can run on at once, and each one's stack. */
#define INMATE_MAX_CPUS		8
#define INMATE_STACK_SIZE	0x1000

/*
 * The smallest RAM region the demo cell configurations give an inmate
 * (configs/arm64/qemu-uart-demo.c: 64 KiB); the linker script refuses an
 * image (with its bss and stacks) that would not fit.
 */
#define INMATE_RAM_SIZE		0x10000

/* Where the hypervisor maps the communication region in the demo cells. */
#define INMATE_COMM_REGION	0x80000000

/* The QEMU virt board. */
#define QEMU_GICD_BASE		0x08000000
#define QEMU_GICR_BASE		0x080a0000
#define QEMU_GICC_BASE		0x08010000	/* gic-version=2 */
#define QEMU_UART0_BASE		0x09000000
#define QEMU_UART1_BASE		0x09040000

#endif
