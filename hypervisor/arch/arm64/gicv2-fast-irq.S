/*
 * The GICv2 interrupt exit, fast path: a private peripheral interrupt (the
 * virtual timer's above all) or a shared one the running cell owns (a
 * device's, an ivshmem doorbell's) is acknowledged through
 * the hypervisor's mapping of the CPU interface (GICC_IAR), its priority
 * dropped (GICC_EOIR; EOImode is 1, so the guest's deactivation through
 * GICV deactivates it, HW bit), and it is put into list register 0 of the
 * virtual interface control (GICH_LR0), then the guest resumed: no C, no
 * full frame.
 *
 * It applies only when the general path (gicv2_handle_iar, gicv2-cpuif.c)
 * would do exactly the same: a PPI (INTID 16..31: always the running cell's,
 * no ownership to check) that is not the maintenance interrupt, or an SPI
 * (32..1019) that cell_owns_irq() gives to the running cell (their IAR has
 * no CPU ID bits, so the IAR value is the INTID), nothing queued for a list
 * register, and every implemented list register free (GICH_ELRSR0 covers
 * them all: with more than 32 the mask test fails and the general path
 * runs), so the INTID cannot be listed already and LR0 is the one lr_insert
 * would pick. The list register value is make_lr(irq, hw): pending, HW,
 * priority 0xa0, virtual = physical INTID. The exit and virtual-IRQ
 * counters count it as the general path does. Anything else keeps its
 * acknowledged IAR in x0 and takes gicv2_irq_slow: the full frame and
 * gicv2_handle_irq_acked() (gicv2-fast.c), which handles it as the general
 * path would, then any other pending interrupt.
 *
 * Entered from the lower-EL IRQ vector of hyp_vectors (exception.S; its branch
 * is rewritten to come here on a GICv2, early-init.c)
 * with x0/x1 stored in the guest frame.
 */
#include <asm/layout.h>
#include <asm/frame.h>
#include <generated/asm-offsets.h>

#define GICC_IAR		0x00c
#define GICC_EOIR		0x010
#define GICH_ELRSR0		0x030
#define GICH_LR0		0x100

/* GICH_LR bits 31:23: HW, pending, priority 0xa0 >> 3. */
#define LR_HW_PENDING_PRIO_HI	0x9a00

/*
 * In three pieces, for hypervisor.lds to place in unused vector space: the
 * PPI path falls through to gicv2_fast_list, the others are entered by
 * branches.
 */
	.section .text.lead.gicv2_fast, "ax"
	.global	gicv2_fast_irq
gicv2_fast_irq:
	stp	x2, x3, [sp, #16]
	adrp	x2, gicv2_fast_gicc
	ldr	x2, [x2, :lo12:gicv2_fast_gicc]
	ldr	w0, [x2, #GICC_IAR]
	and	w1, w0, #0x3ff
	cmp	w0, w1
	b.ne	gicv2_irq_slow			/* CPU ID bits: an SGI (or reserved bits) */
	stp	x4, x5, [sp, #32]
	mrs	x3, tpidr_el2
	add	x3, x3, #PER_CPU_STACK_SIZE	/* per-CPU data */
	cmp	w1, #32
	b.hs	gicv2_fast_spi
	cmp	w1, #16
	b.lo	gicv2_irq_slow_x4		/* an SGI */
	adrp	x4, gicv2_maint_irq
	ldr	w4, [x4, :lo12:gicv2_maint_irq]
	cmp	w1, w4
	b.eq	gicv2_irq_slow_x4
gicv2_fast_list:
	ldr	w4, [x3, #PCPUD_IRQ_QUEUE_LEN]
	cbnz	w4, gicv2_irq_slow_x4
	adrp	x5, gicv2_fast_gich
	ldr	x5, [x5, :lo12:gicv2_fast_gich]
	ldr	x4, [x3, #PCPUD_LR_MASK]
	ldr	w1, [x5, #GICH_ELRSR0]		/* x1 free now: x0 is the INTID */
	bics	xzr, x4, x1			/* an implemented LR in use? */
	b.ne	gicv2_irq_slow_x4
	str	w0, [x2, #GICC_EOIR]		/* priority drop; the guest deactivates */
	movz	w4, #LR_HW_PENDING_PRIO_HI, lsl #16
	orr	w4, w4, w0			/* virtual INTID */
	orr	w4, w4, w0, lsl #10		/* physical INTID */
	str	w4, [x5, #GICH_LR0]
#ifdef CONFIG_WD_STATISTICS
	ldr	x4, [x3, #PCPUD_STAT_TOTAL]
	ldr	x5, [x3, #PCPUD_STAT_VIRQ]
	add	x4, x4, #1
	add	x5, x5, #1
	str	x4, [x3, #PCPUD_STAT_TOTAL]
	str	x5, [x3, #PCPUD_STAT_VIRQ]
#endif
	ldp	x4, x5, [sp, #32]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp, #0]
	eret

/*
 * INTID 32 and up: an SPI is listed here only if the running cell owns it
 * (cell_owns_irq: a bit of cell->irq_owned, which covers every SPI).
 */
.if CELL_MAX_IRQS < 1020
.error "cell->irq_owned does not cover every SPI"
.endif
	.section .text.lead.gicv2_spi, "ax"
gicv2_fast_spi:
	cmp	w1, #1020
	b.hs	gicv2_irq_slow_x4		/* special: spurious */
	ldr	x4, [x3, #PCPUD_CELL]
	add	x4, x4, #CELL_IRQ_OWNED
	lsr	w5, w1, #5
	ldr	w4, [x4, x5, lsl #2]
	lsr	w4, w4, w1
	tbz	w4, #0, gicv2_irq_slow_x4	/* not the cell's: the general path drops it */
	b	gicv2_fast_list

/* x0 = the acknowledged IAR value; x0..x3 (and from _x4 on x4/x5) saved. */
	.section .text.lead.gicv2_slow, "ax"
gicv2_irq_slow:
	stp	x4, x5, [sp, #32]
gicv2_irq_slow_x4:
	save_frame_from_x6
	mov	x1, sp
	bl	gicv2_handle_irq_acked
	b	guest_resume
