/*
 * Run-time exception vectors. While a CPU runs its cell, SP_EL2 points to the
 * guest frame at the top of its stack, so an exit saves the guest registers
 * there, calls arch_handle_exit(type, frame) and restores them on the way back.
 */
#include <asm/layout.h>
#include <asm/frame.h>

/*
 * Every 128-byte slot of a table is a section of its own (.vec.TABLE.NN), so
 * that hypervisor.lds can put assembly code (.text.lead.*) into the rest of
 * the slot: the architecture fixes the slots' size, not what follows the few
 * instructions a vector needs. The linker script lists the slots in order and
 * checks that each table's last slot is where the architecture wants it.
 */
.macro slot table, n
	.section .vec.\table\().\n, "ax"
	.balign	128
	/*
	 * A symbol per slot: objdump, and scripts/mmu-off-check with it, tell
	 * the vector from the code in the slot before.
	 */
vectors_\table\()_\n:
	.ifc	\n, 15
	.global	vectors_\table\()_last
vectors_\table\()_last:
	.endif
.endm

.macro vector_lower table, n, type
	slot	\table, \n
	stp	x0, x1, [sp, #0]
	mov	x0, #\type
	b	guest_exit
.endm

/* Synchronous exits try the light frame first (light-exit-entry.S). */
.macro vector_lower_sync table, n
	slot	\table, \n
	stp	x0, x1, [sp, #0]
	b	light_sync_exit
.endm

/*
 * Interrupts: the GIC's fast path for PPIs first. Assembled for a GICv3
 * (gicv3-fast-irq.S); on a GICv2 the boot CPU rewrites the branch at \label
 * to gicv2_fast_irq (gicv2-fast-irq.S) before any CPU takes an interrupt
 * from a guest (early-init.c): one table for both GICs, not two of 2 KiB each.
 */
.macro vector_lower_irq table, n, label
	slot	\table, \n
	stp	x0, x1, [sp, #0]
	.global	\label
\label:
	b	gicv3_fast_irq
.endm

.macro vector_hyp table, n, type
	slot	\table, \n
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
.macro vector_lower_wa1 table, n, type
	slot	\table, \n
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	mov	w0, #0x8000
	movk	w0, #0x8000, lsl #16
	smc	#0
	ldp	x2, x3, [sp, #16]
	mov	x0, #\type
	b	guest_exit
.endm

	.section .vec.wa1.00, "ax"
	.balign	2048
	.global	hyp_vectors_wa1
hyp_vectors_wa1:
	vector_hyp	wa1, 00, EXIT_SYNC
	vector_hyp	wa1, 01, EXIT_IRQ
	vector_hyp	wa1, 02, EXIT_FIQ
	vector_hyp	wa1, 03, EXIT_SERROR
	vector_hyp	wa1, 04, EXIT_SYNC
	vector_hyp	wa1, 05, EXIT_IRQ
	vector_hyp	wa1, 06, EXIT_FIQ
	vector_hyp	wa1, 07, EXIT_SERROR
	vector_lower_wa1 wa1, 08, EXIT_SYNC
	vector_lower_wa1 wa1, 09, EXIT_IRQ
	vector_lower_wa1 wa1, 10, EXIT_FIQ
	vector_lower_wa1 wa1, 11, EXIT_SERROR
	vector_lower_wa1 wa1, 12, EXIT_SYNC
	vector_lower_wa1 wa1, 13, EXIT_IRQ
	vector_lower_wa1 wa1, 14, EXIT_FIQ
	vector_lower_wa1 wa1, 15, EXIT_SERROR

/*
 * The exit vectors without the workaround: synchronous exits try the light
 * frame, interrupts the GIC's fast path. Also the EL2 vectors of the set-up
 * (entry.S), for the aborts of probe_read32 (probe.S).
 */
	.section .vec.hyp.00, "ax"
	.balign	2048
	.global	hyp_vectors
hyp_vectors:
	vector_hyp	hyp, 00, EXIT_SYNC	/* EL2 with SP_EL0: never used */
	vector_hyp	hyp, 01, EXIT_IRQ
	vector_hyp	hyp, 02, EXIT_FIQ
	vector_hyp	hyp, 03, EXIT_SERROR
	vector_hyp	hyp, 04, EXIT_SYNC	/* EL2 with SP_EL2: a hypervisor fault */
	vector_hyp	hyp, 05, EXIT_IRQ
	vector_hyp	hyp, 06, EXIT_FIQ
	vector_hyp	hyp, 07, EXIT_SERROR
	vector_lower_sync hyp, 08		/* lower EL, AArch64 */
	vector_lower_irq hyp, 09, hyp_vector_irq_a64
	vector_lower	hyp, 10, EXIT_FIQ
	vector_lower	hyp, 11, EXIT_SERROR
	/*
	 * Lower EL using AArch32: only if EL1 itself were AArch32, which
	 * HCR_EL2.RW rules out (AArch32 EL0 processes exit through the AArch64
	 * entries above, with SPSR_EL2.M[4] set). Handled the same anyway.
	 */
	vector_lower_sync hyp, 12
	vector_lower_irq hyp, 13, hyp_vector_irq_a32
	vector_lower	hyp, 14, EXIT_FIQ
	vector_lower	hyp, 15, EXIT_SERROR

/*
 * The code below goes where hypervisor.lds puts it, in the unused part of a
 * vector slot: one section per piece that is entered only by a branch (not
 * by falling through from another piece).
 */
	.section .text.lead.guest_exit, "ax"
guest_exit:
	save_frame_from_x2
	mov	x1, sp
	bl	arch_handle_exit
	.global	guest_resume
guest_resume:
	restore_frame_and_eret

/*
 * A synchronous exception, interrupt or SError at EL2. At set-up (entry.S)
 * these are the vectors too: an abort of probe_read32's load (a device that
 * is not there) resumes at its failure return (probe.S), and with the MMU
 * still off anything else stops here, as C cannot run safely then.
 */
	.section .text.lead.hyp_fault, "ax"
hyp_fault:
	stp	x2, x3, [sp, #16]
	stp	x29, x30, [sp, #224]
	mrs	x2, elr_el2
	adr	x3, probe_read32_insn
	cmp	x2, x3
	b.eq	probe_read32_aborted
	mrs	x2, sctlr_el2
	tbz	x2, #0, .		/* SCTLR_EL2.M: MMU off */
	mov	x1, sp
	bl	arch_hyp_fault		/* reports and parks: does not return */
	b	.
