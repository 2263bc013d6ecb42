/*
 * For tests/qemu/63-cpu-state.sh on a board with MTE: a root process that
 * turns on synchronous tag checking (prctl), maps a PROT_MTE page, tags a
 * granule with a random non-zero tag (IRG, STG), stores and loads through
 * the tagged pointer, prints "mte: tagged access ok", and then loads through
 * the untagged pointer: with tag checks working that is a tag-check fault
 * (SIGSEGV). Exit status 0 means the tags were not checked.
 * Built static, without libc: aarch64-linux-gnu-gcc -nostdlib -static.
 */
	.arch	armv8.5-a+memtag
	.text
	.global	_start
_start:
	/* prctl(PR_SET_TAGGED_ADDR_CTRL, ENABLE | TCF_SYNC | tags 1-15) */
	mov	x0, #55
	ldr	x1, =(1 | (1 << 1) | (0xfffe << 3))
	mov	x2, #0
	mov	x3, #0
	mov	x4, #0
	mov	x8, #167
	svc	#0
	cbnz	x0, fail
	/* mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_MTE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) */
	mov	x0, #0
	mov	x1, #4096
	mov	x2, #(1 | 2 | 0x20)
	mov	x3, #(0x02 | 0x20)
	mov	x4, #-1
	mov	x5, #0
	mov	x8, #222
	svc	#0
	cmn	x0, #4096
	b.hi	fail
	mov	x19, x0			/* untagged */
	irg	x20, x19		/* random tag from the allowed 1-15 */
	stg	x20, [x20]
	mov	x1, #0x1234
	str	x1, [x20]
	ldr	x2, [x20]
	cmp	x1, x2
	b.ne	fail
	adr	x1, ok_msg
	mov	x2, #(ok_end - ok_msg)
	bl	print
	ldr	x2, [x19]		/* tag 0 against the granule's tag: fault */
	mov	x0, #0
	b	exit
fail:
	adr	x1, fail_msg
	mov	x2, #(fail_end - fail_msg)
	bl	print
	mov	x0, #1
exit:
	mov	x8, #93
	svc	#0
print:
	mov	x0, #1
	mov	x8, #64
	svc	#0
	ret
ok_msg:	.ascii	"mte: tagged access ok\n"
ok_end:
fail_msg: .ascii "mte: set-up failed\n"
fail_end:
	.ltorg
