/* GICv2 fast paths (gicv2-fast-irq.S, gicv2-fast.c), apart from the emulation they shortcut. */
#ifndef ASM_GICV2_FAST_H
#define ASM_GICV2_FAST_H

#include <wd/types.h>

struct guest_regs;
struct per_cpu;

/*
 * The GICv2 is mapped: the distributor at @gicd_phys (gicv2_gicd), the
 * hypervisor's CPU interface @gicc and virtual interface control @gich.
 */
void gicv2_fast_init(u64 gicd_phys, u8 *gicc, u8 *gich);
/* Handle @iar (acknowledged), then every other pending interrupt (gicv2-cpuif.c). */
void gicv2_handle_iar(struct per_cpu *pc, u32 iar);
/* The general IRQ exit for an interrupt gicv2-fast-irq.S acknowledged (@iar). */
void gicv2_handle_irq_acked(u64 iar, struct guest_regs *regs);

#endif
