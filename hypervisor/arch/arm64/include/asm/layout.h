/*
 * Sizes shared by assembly and C: the per-CPU area (stack, then data) and the
 * guest register frame at the top of each stack. C asserts they match the structs.
 */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define PER_CPU_STACK_SIZE	0x4000
#define PER_CPU_DATA_SIZE	0x1000
#define PER_CPU_SIZE		(PER_CPU_STACK_SIZE + PER_CPU_DATA_SIZE)
#define GUEST_FRAME_SIZE	0x100	/* x0..x30 + padding */

/* Offsets in struct wd_fw_header (asserted in setup.c) */
#define FW_HDR_BOOT_CPU		52
#define FW_HDR_STUB_VECTORS	56

/* WD_FW_ENTRY_MAGIC for assembly (asserted equal in setup.c) */
#define WD_FW_ENTRY_MAGIC_ASM	0x57415244454e0001

/* EL2 virtual address range of the remap pool (the rest of EL2 is 1:1). */
#define REMAP_BASE		0x0000f00000000000UL
#define REMAP_PAGES		8192

/* Exit types passed from the vectors to arch_handle_exit() */
#define EXIT_SYNC		0
#define EXIT_IRQ		1
#define EXIT_FIQ		2
#define EXIT_SERROR		3
#define EXIT_AARCH32		4

#endif
