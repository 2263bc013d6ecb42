/*
 * The interrupt controller behind one interface: the arm64 code and the
 * generic core's arch_irq_* hooks reach the GIC only through this table,
 * chosen once at enable from the system configuration's gic_version
 * (irqchip.c). GICv3: gicv3-*.c; GICv2 (with the virtualization extensions):
 * gicv2-*.c.
 *
 * Layering (calls go downwards only; no file below calls one above it):
 *
 *   core (cell*.c, control.c, hypercall.c) and the arm64 glue (setup.c,
 *   traps.c, psci.c)
 *        |  irqchip_ops below, irqchip_handle_irq(), arch_irq_* (irqchip.c)
 *        v
 *   irqchip.c -> gicv3-*.c / gicv2-*.c   (the GIC drivers; gic-*.c: what
 *                                          both GICs share)
 *        |  only what struct irqchip_host and these leaves offer:
 *        v
 *   leaves: printk, refuse() (reason.c), mmio_region_register (mmio.c),
 *   paging, the page pool, string.c, arch_map_device/arch_map_temp
 *   (hv-remap.c), this_cpu/timer_ticks (this-cpu.c)
 *
 * The GIC drivers read the core's state (root_cell, the cell list, a cell's
 * SPIs and CPUs, system_config) but call nothing of cell or control: what
 * the core must do in answer to an interrupt (the management event SGI) goes
 * through the struct irqchip_host callback the glue hands to irqchip_init().
 * Adding a GIC (or changing the core) thus never makes the two depend on
 * each other in a circle.
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
	/* A fresh vCPU: the virtual CPU interface as after reset. */
	void (*vcpu_reset)(struct per_cpu *pc);
	/* A CPU is parked: drop its virtual state, nothing it left active stays so. */
	void (*park_prepare)(struct per_cpu *pc);
	/* SPIs (the core's arch_irq_* hooks). */
	void (*irq_disable)(unsigned int irq);
	void (*irq_route)(unsigned int irq, struct cell *owner);
	void (*irq_reset)(unsigned int irq, struct cell *owner);
};

/*
 * What the GIC drivers need the core to do; filled in by the arm64 glue.
 * Called on the CPU that took the interrupt, at EL2, with nothing locked.
 */
struct irqchip_host {
	/* The event SGI arrived: the management requests for @pc (park, suspend, CPU_ON). */
	void (*event)(struct per_cpu *pc);
};

/* The callbacks irqchip_init() was given. */
extern const struct irqchip_host *irqchip_host;

extern const struct irqchip_ops gicv3_irqchip, gicv2_irqchip;
/* The table in use; set by irqchip_init(). */
extern const struct irqchip_ops *irqchip;
/* irqchip == &gicv2_irqchip, for the exit paths' direct calls. */
extern bool irqchip_v2;

/* Choose the GIC driver from the system configuration and initialise it. */
int irqchip_init(const struct irqchip_host *host);

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
