/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EL1 exception vectors. Interrupts taken from EL1 with SP_EL1 (the only
 * state the inmates run in) go to irq_entry(entry_ticks, entry_cycles), with
 * the virtual counter read first thing so that latency measurements include
 * as little of our own code as possible. Every other vector is a fault: all
 * registers are saved and fault_entry(kind, regs) reports and stops the CPU.
 *
 * entry_cycles is 0 unless a program asks for the PMU cycle counter as a
 * finer clock (demos/bench.c): irq_entry_read_cycles() then rewrites the
 * instruction at irq_cycles_insn into a read of PMCCNTR_EL0. Reading the PMU
 * on every interrupt would cost an exit where the hypervisor traps a cell's
 * PMU, so only a program that asks for it does.
 */

/* Frame of an interrupt: x0-x18, x29, x30, ELR, SPSR (+pad) = 24 slots. */
#define IRQ_FRAME	(24 * 8)
/* Frame of a fault: x0-x30 and one pad slot. */
#define FAULT_FRAME	(32 * 8)

	.macro	vfault kind
	.align	7
	sub	sp, sp, #FAULT_FRAME
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	fault_common
	.endm

	.macro	virq
	.align	7
	sub	sp, sp, #IRQ_FRAME
	stp	x0, x1, [sp, #0]
	mrs	x0, cntvct_el0
	.global	irq_cycles_insn
irq_cycles_insn:
	mov	x1, xzr			/* or "mrs x1, pmccntr_el0" */
	b	irq_common
	.endm

	.section .vectors, "ax"
	.align	11
	.global	vectors
vectors:
	/* current EL, SP_EL0: never used */
	vfault	0
	vfault	1
	vfault	2
	vfault	3
	/* current EL, SP_EL1 */
	vfault	4
	virq
	vfault	6
	vfault	7
	/* lower EL, AArch64 and AArch32: there is no lower EL here */
	vfault	8
	vfault	9
	vfault	10
	vfault	11
	vfault	12
	vfault	13
	vfault	14
	vfault	15

	.text
irq_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #160]
	str	x3, [sp, #176]

	bl	irq_entry

	ldr	x2, [sp, #176]
	ldp	x30, x1, [sp, #160]
	msr	spsr_el1, x2
	msr	elr_el1, x1
	ldp	x18, x29, [sp, #144]
	ldp	x16, x17, [sp, #128]
	ldp	x14, x15, [sp, #112]
	ldp	x12, x13, [sp, #96]
	ldp	x10, x11, [sp, #80]
	ldp	x8, x9, [sp, #64]
	ldp	x6, x7, [sp, #48]
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #IRQ_FRAME
	eret

fault_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x1, sp
	bl	fault_entry		/* does not return */
1:	wfi
	b	1b
