/* The arm64 part of the per-CPU data. */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <wd/types.h>
#include <asm/vcpu-state.h>

#define IRQ_QUEUE_LEN		64

struct arch_cpu {
	/* Linux's EL2 state, put back when this CPU leaves the hypervisor */
	u64 saved_hcr;
	u64 saved_cptr;
	u64 saved_mdcr;
	u64 saved_cnthctl;
	u64 saved_vtcr;
	u64 saved_vttbr;

	/* What is reset and trapped for this CPU's owners (vcpu-state.c) */
	struct vcpu_traps traps;
	/* The firmware's SMCCC_ARCH_FEATURES answers for WORKAROUND_1/2/3 */
	long smccc_wa[3];

	/* GICv3 */
	void *gicr;		/* this CPU's redistributor (RD_base), EL2 virtual */
	u64 gicr_phys;
	unsigned int num_lrs;
	u64 lr_mask;		/* one bit per implemented list register */
	/*
	 * The distributor's words 0x0-0xc as this CPU's owner reads them:
	 * the physical word XOR this (gicv3_dist_vcpu_owner, at each vCPU
	 * reset; only GICD_TYPER's differs). One load and one EOR on the fast
	 * path, for any of the four words, without a branch. Zero, as the
	 * driver's zeroed bss has it at enable: the root's (and a GICv2's)
	 * view, the words as they are.
	 */
	u64 gicd_xor[4];
	/* Interrupts waiting for a free list register, oldest first */
	u32 irq_queue[IRQ_QUEUE_LEN];
	unsigned int irq_queue_head, irq_queue_len;
};

/* Guest general purpose registers, saved at the top of the CPU's stack on exit. */
struct guest_regs {
	u64 x[31];
	u64 padding;
};

#endif
