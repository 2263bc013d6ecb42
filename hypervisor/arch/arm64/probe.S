/*
 * A 32-bit device read that survives a synchronous external abort: for the
 * first look at a device the system configuration names but that may not
 * be there (an SMMU's ID registers). On many buses, QEMU's virt board
 * included, a read where nothing answers is an external abort, not zeros.
 *
 * int probe_read32(const volatile u32 *addr, u32 *val): 0 and *val, or
 * -EIO (nothing written) if the read aborted. Only while the EL2 vectors are
 * hyp_vectors, which the entry code installs for the set-up (entry.S): their
 * synchronous EL2 slot goes to hyp_fault (exception.S), which sends an
 * exception at probe_read32_insn to probe_read32_aborted below.
 */
#include <asm/layout.h>

	.section .text.lead.probe, "ax"
	.global	probe_read32
	.global	probe_read32_insn
	.global	probe_read32_fault
probe_read32:
	/*
	 * Taking the abort overwrites ELR_EL2 and SPSR_EL2, which still hold
	 * the way back to Linux (the hvc that entered the hypervisor).
	 */
	mrs	x3, elr_el2
	mrs	x4, spsr_el2
	dsb	sy
probe_read32_insn:
	ldr	w2, [x0]
	dsb	sy
	str	w2, [x1]
	mov	x0, #0
	b	1f
probe_read32_fault:
	mov	x0, #-5			/* -EIO */
1:	msr	elr_el2, x3
	msr	spsr_el2, x4
	isb
	ret

/*
 * From hyp_fault, for an abort at probe_read32_insn: x0..x3 saved in the
 * frame that hyp_vectors' EL2 slot put below the stack pointer. Resume at
 * the failure return with every register but ELR_EL2 as it was.
 */
	.global	probe_read32_aborted
probe_read32_aborted:
	adr	x3, probe_read32_fault
	msr	elr_el2, x3
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #GUEST_FRAME_SIZE
	eret
