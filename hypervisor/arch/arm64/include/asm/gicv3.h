#ifndef ASM_GICV3_H
#define ASM_GICV3_H

#include <wd/types.h>
#include <asm/irqchip.h>

struct per_cpu;
struct cell;

int gicv3_init(void);
void gicv3_cell_init(struct cell *cell);
/*
 * @pc has a new owner (vCPU reset): set the GICD_TYPER its owner
 * reads (LPIs only with a vITS; gicv3-dist.c, gicv3-fast.c).
 */
void gicv3_dist_vcpu_owner(struct per_cpu *pc);
int gicv3_cpu_init(struct per_cpu *pc);
void gicv3_cpu_exit(struct per_cpu *pc);
void gicv3_handle_irq(struct per_cpu *pc);
struct guest_regs;
/* The IRQ exit's general path after the fast one acknowledged @iar. */
void gicv3_handle_irq_acked(u64 iar, struct guest_regs *regs);
void gicv3_send_event(struct per_cpu *target);
/* Emulate a guest write to ICC_SGI1R_EL1 (or ASGI1R/SGI0R). */
void gicv3_handle_sgir_write(struct per_cpu *pc, u64 value);
/* Forget queued and listed virtual interrupts (a CPU being reset). */
void gicv3_reset_cpu_interface(struct per_cpu *pc);
/* ... and reset it to its architectural reset state for a fresh vCPU. */
void gicv3_vcpu_reset(struct per_cpu *pc);
void gicv3_redist_cpu_setup(struct per_cpu *pc, bool enter);
/* SPIs: disable, route to @owner, reset on change of owner. */
void gicv3_irq_disable(unsigned int irq);
void gicv3_irq_route(unsigned int irq, struct cell *owner);
void gicv3_irq_reset(unsigned int irq, struct cell *owner);

#endif
