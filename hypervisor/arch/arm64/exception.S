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

/* Synchronous exits try the light frame first (light-exit-entry.S). */
.macro vector_lower_sync
	.balign	128
	stp	x0, x1, [sp, #0]
	b	light_sync_exit
.endm

/*
 * Interrupts: the GIC's fast path for PPIs first. Assembled for a GICv3
 * (gicv3-fast-irq.S); on a GICv2 the boot CPU rewrites the branch at \label
 * to gicv2_fast_irq (gicv2-fast-irq.S) before any CPU installs the table
 * (early-init.c): one table for both GICs, not two of 2 KiB each.
 */
.macro vector_lower_irq label
	.balign	128
	stp	x0, x1, [sp, #0]
	.global	\label
\label:
	b	gicv3_fast_irq
.endm

.macro vector_hyp type
	.balign	128
	sub	sp, sp, #GUEST_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\type
	b	hyp_fault
.endm

/*
 * The same, with the firmware's branch-predictor hardening
 * (SMCCC_ARCH_WORKAROUND_1) before the first indirect branch at EL2: for
 * CPUs whose firmware says it is needed (psci.c). The SMC may change x0-x3.
 */
.macro vector_lower_wa1 type
	.balign	128
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	mov	w0, #0x8000
	movk	w0, #0x8000, lsl #16
	smc	#0
	ldp	x2, x3, [sp, #16]
	mov	x0, #\type
	b	guest_exit
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	hyp_vectors_wa1
hyp_vectors_wa1:
	vector_hyp	EXIT_SYNC
	vector_hyp	EXIT_IRQ
	vector_hyp	EXIT_FIQ
	vector_hyp	EXIT_SERROR
	vector_hyp	EXIT_SYNC
	vector_hyp	EXIT_IRQ
	vector_hyp	EXIT_FIQ
	vector_hyp	EXIT_SERROR
	vector_lower_wa1 EXIT_SYNC
	vector_lower_wa1 EXIT_IRQ
	vector_lower_wa1 EXIT_FIQ
	vector_lower_wa1 EXIT_SERROR
	vector_lower_wa1 EXIT_SYNC
	vector_lower_wa1 EXIT_IRQ
	vector_lower_wa1 EXIT_FIQ
	vector_lower_wa1 EXIT_SERROR

/*
 * The exit vectors without the workaround: synchronous exits try the light
 * frame, interrupts the GIC's fast path.
 */
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
	vector_lower_sync		/* lower EL, AArch64 */
	vector_lower_irq hyp_vector_irq_a64
	vector_lower	EXIT_FIQ
	vector_lower	EXIT_SERROR
	/*
	 * Lower EL using AArch32: only if EL1 itself were AArch32, which
	 * HCR_EL2.RW rules out (AArch32 EL0 processes exit through the AArch64
	 * entries above, with SPSR_EL2.M[4] set). Handled the same anyway.
	 */
	vector_lower_sync
	vector_lower_irq hyp_vector_irq_a32
	vector_lower	EXIT_FIQ
	vector_lower	EXIT_SERROR

	.section .text.lead, "ax"
guest_exit:
	save_frame_from_x2
	mov	x1, sp
	bl	arch_handle_exit
	.global	guest_resume
guest_resume:
	restore_frame_and_eret

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
