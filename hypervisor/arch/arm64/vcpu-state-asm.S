/*
 * Zeroing the FP/SIMD and SVE register files at EL2 for a CPU changing owner
 * (vcpu-state.c). The caller has made them accessible (CPTR_EL2.TFP/TZ 0)
 * and, for SVE, set ZCR_EL2 to the largest vector length, so the whole of
 * every register is cleared.
 */
#include <asm/sysregs.h>

	.section .text.lead, "ax"
	.global	fpsimd_zero_regs
fpsimd_zero_regs:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	movi	v\n\().2d, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret

	.arch_extension sve
	.global	sve_zero_regs
sve_zero_regs:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	mov	z\n\().d, #0
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	pfalse	p\n\().b
	.endr
	wrffr	p0.b
	ret
