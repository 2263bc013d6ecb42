/*
 * First entry into the hypervisor, from Linux's hyp stub, with the EL2 MMU off,
 * and the way back to Linux.
 *
 * Contract (include/warden/firmware.h): x0 = WD_FW_ENTRY_MAGIC, x1 = Linux CPU
 * number. x0-x17 may be clobbered (the driver declares them so); x18-x30 and
 * SP_EL1 are Linux's and are preserved. The image is linked at 0 and runs 1:1
 * (virtual = physical), so the boot CPU first applies its own relocations.
 */
#include <asm/layout.h>
#include <asm/sysregs.h>
#include <asm/frame.h>

/*
 * The entry vectors are the image's first 2 KiB (hypervisor.lds), and only
 * their slot 8 (lower EL, AArch64, synchronous) is ever taken: the driver's
 * hvc from Linux at EL1. Linux's hyp stub routes no interrupt, FIQ or SError
 * to EL2 (HCR_EL2.IMO/FMO/AMO clear), EL1 is AArch64, and nothing runs at
 * EL2 with SP_EL0; exceptions at EL2 come with SP_EL2 and masked, and the
 * first thing the entry code does once it has a stack is to install
 * hyp_vectors for the rest of the set-up (for probe_read32's aborts, see
 * hyp_fault in exception.S). So slots 0-5 hold the image header (struct
 * wd_fw_header, 696 bytes), slots 5-7 the code hypervisor.lds puts after
 * it, and the code from el2_entry on runs over slots 8-15.
 */
	.section .text.entry, "ax"
	.global	el2_entry
el2_entry:
	ldr	x2, =WD_FW_ENTRY_MAGIC_ASM
	cmp	x0, x2
	b.ne	bad_entry
	cmp	x1, #CONFIG_WD_MAX_CPUS
	b.hs	bad_entry

	/* Per-CPU area and stack; the guest frame sits at the top of the stack. */
	adrp	x2, per_cpu_area
	add	x2, x2, :lo12:per_cpu_area
	mov	x3, #PER_CPU_SIZE
	madd	x2, x1, x3, x2
	add	x3, x2, #PER_CPU_STACK_SIZE
	sub	sp, x3, #GUEST_FRAME_SIZE
	save_frame
	msr	tpidr_el2, x2
	adr	x3, hyp_vectors
	msr	vbar_el2, x3
	isb
	mov	x19, x1			/* CPU number */
	mov	x20, x2			/* per-CPU area */
	adrp	x21, __image_start	/* physical base of the hypervisor */

	ldr	w3, [x21, #FW_HDR_BOOT_CPU]
	cmp	w19, w3
	b.ne	secondary_wait

	/*
	 * Boot CPU: put the data in place, relocate, build the EL2 page
	 * tables, then let the others go.
	 */
	bl	copy_data
	bl	apply_relocations
	mov	x0, x21
	bl	arch_early_init		/* C, MMU off: returns 0 or -errno */
	mov	x22, x0
	/*
	 * Drop stale cache lines (from Linux's mapping) of what we wrote with
	 * the MMU off, before caches go on; the whole image if set-up failed.
	 */
	mov	x0, x21
	adrp	x1, early_dirty_size
	ldr	x1, [x1, :lo12:early_dirty_size]
	cbnz	x1, 1f
	adrp	x1, __image_end
	add	x1, x1, :lo12:__image_end
	sub	x1, x1, x21
1:	bl	dcache_inval_range
	adrp	x0, early_result
	str	w22, [x0, :lo12:early_result]
	mov	w1, #1
	adrp	x0, early_done
	str	w1, [x0, :lo12:early_done]
	dsb	sy
	sev
	cbnz	x22, early_fail
	b	enable_mmu

secondary_wait:
	adrp	x0, early_done
1:	ldr	w1, [x0, :lo12:early_done]
	cbnz	w1, 2f
	wfe
	b	1b
2:	adrp	x0, early_result
	ldr	w22, [x0, :lo12:early_result]
	cbnz	w22, early_fail
	/* Our own per-CPU area was written with the MMU off. */
	mov	x0, x20
	mov	x1, #PER_CPU_SIZE
	bl	dcache_inval_range

enable_mmu:
	adrp	x0, boot_mmu
	add	x0, x0, :lo12:boot_mmu
	ldr	x1, [x0, #0]
	msr	mair_el2, x1
	ldr	x1, [x0, #8]
	msr	tcr_el2, x1
	ldr	x1, [x0, #16]
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	isb
	mrs	x1, sctlr_el2
	mov	x2, #(SCTLR_M | SCTLR_C)
	orr	x2, x2, #SCTLR_I
	orr	x1, x1, x2
	bic	x1, x1, #SCTLR_A
	msr	sctlr_el2, x1
	isb
	ic	iallu
	dsb	nsh
	isb

	mov	w0, w19
	bl	wd_cpu_entry		/* 0: this CPU now runs Linux as root cell */
	cbnz	x0, 1f
	str	xzr, [sp, #0]		/* the hvc returns 0 */
	restore_frame_and_eret
1:	b	leave_hypervisor_mmu_on

/* x22 = error, MMU still off */
early_fail:
	mov	x0, x22
	b	leave_mmu_off

bad_entry:
	/* No stack, nothing touched but x0-x17: just put the stub back. */
	adrp	x2, __image_start
	ldr	x3, [x2, #FW_HDR_STUB_VECTORS]
	msr	vbar_el2, x3
	mov	x0, #-22		/* -EINVAL */
	eret

/*
 * Return to Linux at EL1 with the hypervisor gone: x0 = value for the guest's
 * x0. Expects sp = this CPU's guest frame. Called with the MMU on.
 */
	.global leave_hypervisor_mmu_on
leave_hypervisor_mmu_on:
	mrs	x1, tpidr_el2
	add	x1, x1, #PER_CPU_STACK_SIZE
	sub	sp, x1, #GUEST_FRAME_SIZE
	str	x0, [sp, #0]
	/* The frame is read with the MMU (and caches) off below. */
	mov	x19, x0
	mov	x0, sp
	mov	x1, #GUEST_FRAME_SIZE
	bl	dcache_clean_inval_range
	mov	x0, x19
	mrs	x1, sctlr_el2
	mov	x2, #(SCTLR_M | SCTLR_C)
	orr	x2, x2, #SCTLR_I
	bic	x1, x1, x2
	msr	sctlr_el2, x1
	isb
	tlbi	alle2
	dsb	nsh
	isb
leave_mmu_off:
	str	x0, [sp, #0]
	adrp	x2, __image_start
	ldr	x3, [x2, #FW_HDR_STUB_VECTORS]
	msr	vbar_el2, x3
	isb
	restore_frame_and_eret

	.ltorg

/*
 * A CPU parked for Linux (PSCI CPU_OFF) when the hypervisor goes away: turn the
 * MMU off and hand the CPU to the firmware with a real PSCI CPU_OFF.
 */
	.section .text.lead.park, "ax"
	.global park_cpu_off
park_cpu_off:
	mov	x19, x0			/* the flag telling the others we left */
	mrs	x1, sctlr_el2
	mov	x2, #(SCTLR_M | SCTLR_C)
	orr	x2, x2, #SCTLR_I
	bic	x1, x1, x2
	msr	sctlr_el2, x1
	isb
	adrp	x2, __image_start
	ldr	x3, [x2, #FW_HDR_STUB_VECTORS]
	msr	vbar_el2, x3
	mov	w1, #1
	str	w1, [x19]
	dsb	sy
	ldr	x0, =0x84000002		/* PSCI CPU_OFF */
	smc	#0
	b	.
	.ltorg

/*
 * The image file holds .data right after the read-only data, not at its
 * page (hypervisor.lds): copy it there, from the end, as the two overlap
 * when .data is larger than the gap. Before the relocations, which patch
 * the copy. Whole 8-byte words (the linker script aligns both ends).
 */
	.section .text.lead.copy_data, "ax"
copy_data:
	adrp	x0, __data_load
	add	x0, x0, :lo12:__data_load
	adrp	x1, __data_start
	add	x1, x1, :lo12:__data_start
	adrp	x2, __data_end
	add	x2, x2, :lo12:__data_end
	sub	x2, x2, x1
1:	cbz	x2, 2f
	sub	x2, x2, #8
	ldr	x3, [x0, x2]
	str	x3, [x1, x2]
	b	1b
2:	ret

/*
 * The image's relocations, all R_AARCH64_RELATIVE: (offset, addend) pairs of
 * 32-bit words that scripts/pack-relocs wrote into .relocs. Each 64-bit word
 * at base + offset becomes base + addend.
 */
	.section .text.lead.relocs, "ax"
apply_relocations:
	adrp	x0, __relocs_start
	add	x0, x0, :lo12:__relocs_start
	adrp	x1, __relocs_end
	add	x1, x1, :lo12:__relocs_end
1:	cmp	x0, x1
	b.hs	2f
	ldp	w2, w4, [x0], #8	/* offset, addend */
	add	x4, x4, x21
	str	x4, [x21, x2]
	b	1b
2:	ret

/* x0 = start, x1 = size: invalidate the data cache by VA to the PoC. */
	.section .text.lead.dcache, "ax"
	.global dcache_inval_range
dcache_inval_range:
	add	x1, x1, x0
	bic	x0, x0, #63
1:	dc	ivac, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/* x0 = start, x1 = size: clean and invalidate by VA to the PoC. */
	.global dcache_clean_inval_range
dcache_clean_inval_range:
	add	x1, x1, x0
	bic	x0, x0, #63
1:	dc	civac, x0
	add	x0, x0, #64
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/* Zero at entry: the driver clears what follows the image file. */
	.bss
	.balign 8
	.global boot_mmu
boot_mmu:
	.quad	0, 0, 0			/* mair, tcr, ttbr0 */
early_done:
	.word	0
early_result:
	.word	0
