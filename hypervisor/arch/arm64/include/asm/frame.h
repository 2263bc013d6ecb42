/*
 * Saving and restoring the guest's general purpose registers in the frame at
 * the top of the CPU's stack (struct guest_regs), for the entry and exit paths.
 */
#ifndef ASM_FRAME_H
#define ASM_FRAME_H

/* Save x2..x30; x0/x1 are stored by the caller (they hold scratch values). */
.macro save_frame_from_x2
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	save_frame_from_x6
.endm

.macro save_frame_from_x6
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
.endm

/*
 * The light frame of the fast exits (light-exit-entry.S): only
 * the registers a C function may change (x0..x18, x30) are stored; x19..x29
 * stay live in the CPU, preserved by the C calling convention. Their slots in
 * the frame are stale meanwhile: a handler called with a light frame never
 * reads them, and never resets or hands over the vCPU (which rewrites the
 * whole frame and needs restore_frame_and_eret).
 */
.macro save_light_frame_from_x6
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	str	x18, [sp, #144]
	str	x30, [sp, #240]
.endm

/* Completes a light frame to the full one (x19..x29 still the guest's). */
.macro save_callee_saved
	str	x19, [sp, #152]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
.endm

.macro restore_light_frame_and_eret
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	eret
.endm

.macro save_frame
	stp	x0, x1, [sp, #0]
	save_frame_from_x2
.endm

.macro restore_frame_and_eret
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
.endm

#endif
