/*
 * Run-time exception vectors. While a CPU runs its cell, SP_EL2 points to the
 * guest frame at the top of its stack, so an exit saves the guest registers
 * there, calls arch_handle_exit(type, frame) and restores them on the way back.
 */
#include <asm/layout.h>
#include <asm/frame.h>

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
	/*
	 * Lower EL, AArch32 (a root process in AArch32 EL0): the same exits;
	 * ESR_EL2 and SPSR_EL2 tell the handlers the state it came from.
	 */
	vector_lower	EXIT_SYNC
	vector_lower	EXIT_IRQ
	vector_lower	EXIT_FIQ
	vector_lower	EXIT_SERROR

guest_exit:
	save_frame_from_x2
	/*
	 * Branch-predictor hardening before the first indirect branch at EL2,
	 * on CPUs whose firmware says WORKAROUND_1 is needed (psci.c). When
	 * none does, this costs a load and a branch.
	 */
	adrp	x1, smccc_wa1_any
	ldrb	w1, [x1, :lo12:smccc_wa1_any]
	cbnz	w1, guest_exit_wa1
guest_exit_handle:
	mov	x1, sp
	bl	arch_handle_exit
	.global	guest_resume
guest_resume:
	restore_frame_and_eret

/* x2-x30 are saved already: x19 keeps the exit type across the SMC. */
guest_exit_wa1:
	mrs	x1, tpidr_el2
	add	x1, x1, #PER_CPU_STACK_SIZE
	ldr	w1, [x1]			/* per_cpu.cpu_id */
	adrp	x2, smccc_wa1_on_exit
	add	x2, x2, :lo12:smccc_wa1_on_exit
	ldrb	w2, [x2, x1]
	cbz	w2, guest_exit_handle
	mov	x19, x0
	mov	w0, #0x8000
	movk	w0, #0x8000, lsl #16		/* SMCCC_ARCH_WORKAROUND_1 */
	smc	#0
	mov	x0, x19
	b	guest_exit_handle

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
