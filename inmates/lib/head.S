/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry points. The first CPU starts at the image's first byte (the cell's
 * cpu_reset_address 0; in the bare variant QEMU's boot stub jumps here with
 * x0 = the device tree). Further CPUs start at secondary_entry through PSCI
 * CPU_ON, with their image CPU index as the context argument in x0. Either
 * way: EL1, MMU and caches off, interrupts in an unknown state.
 */
#include <inmate/layout.h>

/* SCTLR_EL1 with only its RES1 bits: MMU, caches and alignment checks off. */
#define SCTLR_EL1_RES1	0x30d00800

	.section .head, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mov	x19, x0			/* bare: device tree address; cell: 0 */
	bl	cpu_setup

	/* bss is cleared by the first CPU only, before anything uses it. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:
	mov	x0, #0
	bl	set_stack
	mov	x0, x19
	bl	inmate_start		/* does not return */
	b	park

	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* image CPU index, from CPU_ON's context */
	bl	cpu_setup
	mov	x0, x19
	bl	set_stack
	mov	x0, x19
	bl	inmate_secondary_start	/* does not return */
	b	park

/* SP_EL1 as stack pointer, known SCTLR_EL1, our vectors. Leaf; uses x1. */
cpu_setup:
	msr	spsel, #1
	mov	x1, #(SCTLR_EL1_RES1 & 0xffff)
	movk	x1, #(SCTLR_EL1_RES1 >> 16), lsl #16
	msr	sctlr_el1, x1
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	ret

/*
 * sp = top of the stack of CPU index x0 (stacks grow down from __stacks_end),
 * TPIDR_EL1 = index. An index out of range parks the CPU: it would share a
 * stack otherwise. Leaf; uses x1, x2.
 */
set_stack:
	cmp	x0, #INMATE_MAX_CPUS
	b.hs	park
	adrp	x1, __stacks_end
	add	x1, x1, :lo12:__stacks_end
	mov	x2, #INMATE_STACK_SIZE
	msub	x1, x0, x2, x1
	mov	sp, x1
	msr	tpidr_el1, x0
	ret

park:
	wfi
	b	park
