/*
 * Run-time exception vectors. While a CPU runs its cell, SP_EL2 points to the
 * guest frame at the top of its stack, so an exit saves the guest registers
 * there, calls arch_handle_exit(type, frame) and restores them on the way back.
 */
#include <asm/layout.h>

.macro vector_lower type
	.balign	128
	stp	x0, x1, [sp, #0]
	mov	x0, #\type
	b	guest_exit
.endm

.macro vector_hyp type
	.balign	128
	sub	sp, sp, #GUEST_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\type
	b	hyp_fault
.endm

	.text
	.balign	2048
	.global	hyp_vectors
hyp_vectors:
	vector_hyp	EXIT_SYNC	/* EL2 with SP_EL0: never used */
	vector_hyp	EXIT_IRQ
	vector_hyp	EXIT_FIQ
	vector_hyp	EXIT_SERROR
	vector_hyp	EXIT_SYNC	/* EL2 with SP_EL2: a hypervisor fault */
	vector_hyp	EXIT_IRQ
	vector_hyp	EXIT_FIQ
	vector_hyp	EXIT_SERROR
	vector_lower	EXIT_SYNC	/* lower EL, AArch64 */
	vector_lower	EXIT_IRQ
	vector_lower	EXIT_FIQ
	vector_lower	EXIT_SERROR
	vector_lower	EXIT_AARCH32	/* lower EL, AArch32 */
	vector_lower	EXIT_AARCH32
	vector_lower	EXIT_AARCH32
	vector_lower	EXIT_AARCH32

guest_exit:
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
	bl	arch_handle_exit
	.global	guest_resume
guest_resume:
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	eret

hyp_fault:
	stp	x2, x3, [sp, #16]
	stp	x29, x30, [sp, #224]
	mov	x1, sp
	bl	arch_hyp_fault		/* reports and parks: does not return */
	b	.

/*
 * Restart the guest from a clean stack (after a CPU was parked and started
 * again): sp := this CPU's guest frame, then resume.
 */
	.global	guest_resume_fresh
guest_resume_fresh:
	mrs	x0, tpidr_el2
	add	x0, x0, #PER_CPU_STACK_SIZE
	sub	sp, x0, #GUEST_FRAME_SIZE
	b	guest_resume
