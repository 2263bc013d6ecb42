/*
 * Zeroing the FP/SIMD and SVE register files at EL2 for a CPU changing owner
 * (vcpu-state.c). The caller has made them accessible (CPTR_EL2.TFP/TZ 0)
 * and, for SVE, set ZCR_EL2 to the largest vector length, so the whole of
 * every register is cleared.
 *
 * Each routine is two pieces joined by a branch, so that hypervisor.lds can
 * put them in the unused space of two vector slots (112 bytes at most each).
 */
#include <asm/sysregs.h>

	.section .text.lead.fpsimd_zero, "ax"
	.global	fpsimd_zero_regs
fpsimd_zero_regs:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
	movi	v\n\().2d, #0
	.endr
	b	fpsimd_zero_regs_2

	.section .text.lead.fpsimd_zero_2, "ax"
fpsimd_zero_regs_2:
	.irp	n, 24,25,26,27,28,29,30,31
	movi	v\n\().2d, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret

	.arch_extension sve
	.section .text.lead.sve_zero, "ax"
	.global	sve_zero_regs
sve_zero_regs:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23
	mov	z\n\().d, #0
	.endr
	b	sve_zero_regs_2

	.section .text.lead.sve_zero_2, "ax"
sve_zero_regs_2:
	.irp	n, 24,25,26,27,28,29,30,31
	mov	z\n\().d, #0
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	pfalse	p\n\().b
	.endr
	wrffr	p0.b
	ret
