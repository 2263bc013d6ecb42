/*
 * For tests/qemu/63-cpu-state.sh: a root process that leaves a recognisable
 * pattern ("ROOTROOT" + n) in V0-V31 and FPCR, and with the argument "sve"
 * also in Z0-Z31, P0-P15 and FFR, then exits. Run pinned (taskset) on the CPU
 * a cell takes next: that cell must not see any of it.
 * Built static, without libc: aarch64-linux-gnu-gcc -nostdlib -static.
 */
	.arch	armv8.2-a+sve
	.text
	.global	_start
_start:
	ldr	x10, [sp]			/* argc */
	ldr	x9, =0x524f4f54524f4f54
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	add	x11, x9, #\n
	dup	v\n\().2d, x11
	.endr
	mov	x11, #0x3c00000
	msr	fpcr, x11
	cmp	x10, #2
	b.lt	1f
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	add	x11, x9, #\n
	dup	z\n\().d, x11
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ptrue	p\n\().b
	.endr
	setffr
1:	mov	x0, #0
	mov	x8, #93				/* exit */
	svc	#0
	.ltorg
