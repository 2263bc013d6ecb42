/*
 * A 32-bit device read that survives a synchronous external abort: for the
 * first look at a device the system configuration names but that may not
 * be there (an SMMU's ID registers). On many buses, QEMU's virt board
 * included, a read where nothing answers is an external abort, not zeros.
 *
 * int probe_read32(const volatile u32 *addr, u32 *val): 0 and *val, or
 * -EIO (nothing written) if the read aborted. Only while the EL2 vectors are
 * entry_vectors (global set-up, entry.S), whose synchronous EL2 slot sends
 * an exception at probe_read32_insn to probe_read32_fault.
 */
	.section .text.lead, "ax"
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
