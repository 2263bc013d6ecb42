/*
 * The GICv3 interrupt exit, fast path: a private peripheral interrupt (the
 * virtual timer's above all) or a shared one the running cell owns (a
 * device's, or an ivshmem doorbell's) is acknowledged, its priority dropped
 * and put into list register 0 with the HW bit, and the guest resumed, in
 * about 30 instructions and without C or the full frame.
 *
 * It applies only when the general path (gicv3_handle_irq, gicv3-cpuif.c)
 * would do exactly the same: a PPI (INTID 16..31: always the running cell's,
 * no ownership to check) that is not the maintenance interrupt, or an SPI
 * (32..1019) that cell_owns_irq() gives to the running cell, nothing
 * queued for a list register, and every implemented list register free (so
 * the INTID cannot be listed already, and LR0 is the one lr_insert would
 * pick). The exit and virtual-IRQ counters count it the same way. Anything
 * else keeps its acknowledged INTID in x0 and takes gicv3_irq_slow: the full
 * frame and gicv3_handle_irq_acked(), which handles that INTID as the general
 * path would and then any other pending one. Another interrupt pending after
 * the fast path is taken as a new exit as soon as the guest runs.
 *
 * GICv3-specific (system register CPU interface): the lower-EL IRQ vector
 * branches here with x0/x1 stored in the guest frame; with another interrupt
 * controller that vector goes to guest_exit instead.
 */
#include <asm/layout.h>
#include <asm/frame.h>
#include <generated/asm-offsets.h>

/* Bits 63:48 of the list register: pending, HW, group 1, priority 0xa0. */
#define LR_PENDING_HW_G1_PRIO	0x70a0

/*
 * In three pieces, for hypervisor.lds to place in unused vector space: the
 * PPI path falls through to gicv3_fast_list, the others are entered by
 * branches.
 */
	.section .text.lead.gicv3_fast, "ax"
	.global	gicv3_fast_irq
gicv3_fast_irq:
	stp	x2, x3, [sp, #16]
	mrs	x0, icc_iar1_el1
	and	w1, w0, #0xffffff
	mrs	x2, tpidr_el2
	add	x2, x2, #PER_CPU_STACK_SIZE	/* per-CPU data */
	cmp	w1, #32
	b.hs	gicv3_fast_spi
	cmp	w1, #16
	b.lo	gicv3_irq_slow			/* an SGI */
	adrp	x3, gic_maintenance_irq
	ldr	w3, [x3, :lo12:gic_maintenance_irq]
	cmp	w1, w3
	b.eq	gicv3_irq_slow
	stp	x4, x5, [sp, #32]
gicv3_fast_list:
	ldr	w3, [x2, #PCPUD_IRQ_QUEUE_LEN]
	cbnz	w3, gicv3_irq_slow_x4
	ldr	x3, [x2, #PCPUD_LR_MASK]
	mrs	x4, ich_elrsr_el2
	bics	xzr, x3, x4			/* an implemented LR in use? */
	b.ne	gicv3_irq_slow_x4
	msr	icc_eoir1_el1, x0		/* priority drop; the guest deactivates */
	movz	x3, #LR_PENDING_HW_G1_PRIO, lsl #48
	orr	x3, x3, x1			/* vINTID */
	orr	x3, x3, x1, lsl #32		/* pINTID */
	msr	ich_lr0_el2, x3
#ifdef CONFIG_WD_STATISTICS
	ldr	x3, [x2, #PCPUD_STAT_TOTAL]
	ldr	x4, [x2, #PCPUD_STAT_VIRQ]
	add	x3, x3, #1
	add	x4, x4, #1
	str	x3, [x2, #PCPUD_STAT_TOTAL]
	str	x4, [x2, #PCPUD_STAT_VIRQ]
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
	.section .text.lead.gicv3_spi, "ax"
gicv3_fast_spi:
	cmp	w1, #1020
	b.hs	gicv3_irq_slow			/* special (spurious) or an LPI */
	stp	x4, x5, [sp, #32]
	ldr	x3, [x2, #PCPUD_CELL]
	add	x3, x3, #CELL_IRQ_OWNED
	lsr	w4, w1, #5
	ldr	w3, [x3, x4, lsl #2]
	lsr	w3, w3, w1
	tbz	w3, #0, gicv3_irq_slow_x4	/* not the cell's: the general path drops it */
	b	gicv3_fast_list

/* x0 = the acknowledged IAR value; x0..x3 (and from _x4 on x4/x5) saved. */
	.section .text.lead.gicv3_slow, "ax"
gicv3_irq_slow:
	stp	x4, x5, [sp, #32]
gicv3_irq_slow_x4:
	save_frame_from_x6
	mov	x1, sp
	bl	gicv3_handle_irq_acked
	b	guest_resume
