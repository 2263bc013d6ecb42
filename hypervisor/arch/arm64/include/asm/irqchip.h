/*
 * The interrupt controller behind one interface: the arm64 code and the
 * generic core's arch_irq_* hooks reach the GIC only through this table,
 * chosen once at enable from the system configuration's gic_version
 * (irqchip.c). GICv3: gicv3-*.c; GICv2 (with the virtualization extensions):
 * gicv2-*.c.
 *
 * The exit paths do not go through a function pointer: irqchip_handle_irq()
 * below tests a flag set at enable and calls the GIC's handler directly, so
 * the compiler can inline it under LTO as before the table existed.
 */
#ifndef ASM_IRQCHIP_H
#define ASM_IRQCHIP_H

#include <wd/types.h>

struct per_cpu;
struct cell;

/* The SGI the hypervisor keeps for itself: wakes parked CPUs, management. */
#define SGI_EVENT		15

struct irqchip_ops {
	const char *name;
	/* Map and check the GIC (once, on the CPU that enables). */
	int (*init)(void);
	/* Register the distributor (and redistributor) emulation of @cell, map its CPU interface. */
	int (*cell_init)(struct cell *cell);
	/* This CPU enters the hypervisor: take over the physical CPU interface. */
	int (*cpu_init)(struct per_cpu *pc);
	/* ... and leaves it: Linux gets its CPU interface and pending interrupts back. */
	void (*cpu_exit)(struct per_cpu *pc);
	/* Wake @target with the event SGI. */
	void (*send_event)(struct per_cpu *target);
	/* Queue virtual interrupt @irq (no physical counterpart) for pc's vCPU. */
	void (*inject_virq)(struct per_cpu *pc, unsigned int irq);
	/* A fresh vCPU: the virtual CPU interface as after reset. */
	void (*vcpu_reset)(struct per_cpu *pc);
	/* A CPU is parked: drop its virtual state, nothing it left active stays so. */
	void (*park_prepare)(struct per_cpu *pc);
	/* SPIs (the core's arch_irq_* hooks). */
	void (*irq_disable)(unsigned int irq);
	void (*irq_route)(unsigned int irq, struct cell *owner);
	void (*irq_reset)(unsigned int irq, struct cell *owner);
};

extern const struct irqchip_ops gicv3_irqchip, gicv2_irqchip;
/* The table in use; set by irqchip_init(). */
extern const struct irqchip_ops *irqchip;
/* irqchip == &gicv2_irqchip, for the exit paths' direct calls. */
extern bool irqchip_v2;

/* Choose the GIC driver from the system configuration and initialise it. */
int irqchip_init(void);

void gicv3_handle_irq(struct per_cpu *pc);
void gicv2_handle_irq(struct per_cpu *pc);

/* Physical interrupts pending at this CPU: take them (IRQ exit, wake-up). */
static inline void irqchip_handle_irq(struct per_cpu *pc)
{
	if (__builtin_expect(irqchip_v2, 0))
		gicv2_handle_irq(pc);
	else
		gicv3_handle_irq(pc);
}

#endif
