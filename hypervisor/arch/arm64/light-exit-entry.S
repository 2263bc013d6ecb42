/*
 * Synchronous exits from a lower EL start with the light frame (asm/frame.h):
 * x0..x18 and x30 saved, which is all a C function may change. Two kinds of
 * exit finish with it and the light restore:
 *
 * - the hypercalls that only ask (codes HYPERCALL_FIRST_QUERY..LAST_QUERY,
 *   wd/control.h), dispatched here straight to hypercall_query() with the
 *   exit counted as arch_handle_exit counts it;
 * - the distributor reads that arch_dabt_light() (light-exit.c) answers.
 *
 * For anything else the frame is completed with x19..x29, which the C
 * calling convention kept intact in the CPU, and the exit goes to
 * arch_handle_exit() as before. Entered from the vectors (exception.S) with
 * x0/x1 stored in the frame and still holding the guest's values.
 */
#include <asm/layout.h>
#include <asm/frame.h>
#include <asm/sysregs.h>
#include <generated/asm-offsets.h>

#define HVC_IMM_HI		0x4000		/* WD_HVC_IMM 0x4a48, in two immediates */
#define HVC_IMM_LO		0xa48
#define FIRST_QUERY		5		/* HYPERCALL_FIRST_QUERY */
#define NUM_QUERIES		4

/*
 * Three pieces that hypervisor.lds places in unused vector space: the path
 * to light_return falls through, the other two are entered by branches.
 */
	.section .text.lead.light, "ax"
	.global	light_sync_exit
light_sync_exit:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	save_light_frame_from_x6
	mrs	x9, esr_el2
	lsr	x10, x9, #ESR_EC_SHIFT
	cmp	x10, #EC_HVC64
	b.eq	light_hvc
	cmp	x10, #EC_DABT_LOW
	b.ne	light_to_full
	mov	x0, x9
	mov	x1, sp
	bl	arch_dabt_light
	cbz	w0, light_to_full
light_return:
	restore_light_frame_and_eret

	.section .text.lead.light_hvc, "ax"
light_hvc:
	and	x10, x9, #0xffff
	sub	x10, x10, #HVC_IMM_HI
	cmp	x10, #HVC_IMM_LO
	b.ne	light_to_full
	sub	x10, x0, #FIRST_QUERY
	cmp	x10, #NUM_QUERIES
	b.hs	light_to_full
	mov	x3, x2
	mov	x2, x1
	mov	x1, x0
	mrs	x0, tpidr_el2
#ifdef CONFIG_WD_STATISTICS
	ldr	x10, [x0, #PCPU_STAT_TOTAL]
	add	x10, x10, #1
	str	x10, [x0, #PCPU_STAT_TOTAL]
#endif
	bl	hypercall_query
	str	x0, [sp, #0]
	b	light_return

	.section .text.lead.light_to_full, "ax"
light_to_full:
	save_callee_saved
	mov	x0, #EXIT_SYNC
	mov	x1, sp
	bl	arch_handle_exit
	b	guest_resume
