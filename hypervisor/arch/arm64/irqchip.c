/*
 * The choice of the interrupt controller driver, and the generic core's
 * interrupt hooks (arch_irq_*) on top of it. Management paths only: the exit
 * paths call the chosen GIC directly (asm/irqchip.h).
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <asm/irqchip.h>
#include <asm/gicv3.h>
#include <asm/vits.h>

const struct irqchip_ops *irqchip = &gicv3_irqchip;
bool irqchip_v2;
const struct irqchip_host *irqchip_host;

static int gicv3_cell_init_ops(struct cell *cell)
{
	gicv3_cell_init(cell);
	return vits_cell_init(cell);
}

static void gicv3_park_prepare(struct per_cpu *pc)
{
	gicv3_reset_cpu_interface(pc);
	/* The cell's last CPU: its vITS and vLPI state are reset. */
	vits_cpu_parked(pc);
	/* SGIs the last owner left active (our event SGI too) must not stay so. */
	gicv3_redist_cpu_setup(pc, true);
}

/* A vCPU starts (cell start, PSCI CPU_ON): vLPIs that waited are taken. */
static void gicv3_vcpu_start(struct per_cpu *pc)
{
	gicv3_vcpu_reset(pc);
	gicv3_dist_vcpu_owner(pc);
	vits_flush(pc);
}

const struct irqchip_ops gicv3_irqchip = {
	.name = "GICv3",
	.init = gicv3_init,
	.cell_init = gicv3_cell_init_ops,
	.cpu_init = gicv3_cpu_init,
	.cpu_exit = gicv3_cpu_exit,
	.send_event = gicv3_send_event,
	.vcpu_reset = gicv3_vcpu_start,
	.park_prepare = gicv3_park_prepare,
	.irq_disable = gicv3_irq_disable,
	.irq_route = gicv3_irq_route,
	.irq_reset = gicv3_irq_reset,
};

int irqchip_init(const struct irqchip_host *host)
{
	const struct wd_arm_platform *arm = &system_config->platform.arm;

	switch (arm->gic_version) {
	case 3:
		irqchip = &gicv3_irqchip;
		break;
	case 2:
		irqchip = &gicv2_irqchip;
		break;
	default:
		return refuse(-ENODEV, WD_REASON_PLATFORM, arm->gic_version, 0,
			      "GIC version %u is not supported: Warden runs on a GICv2 or a GICv3",
			      arm->gic_version);
	}
	irqchip_v2 = irqchip == &gicv2_irqchip;
	irqchip_host = host;
	return irqchip->init();
}

void arch_irq_disable(unsigned int irq)
{
	irqchip->irq_disable(irq);
}

void arch_irq_route(unsigned int irq, struct cell *owner)
{
	irqchip->irq_route(irq, owner);
}

void arch_irq_reset(unsigned int irq, struct cell *owner)
{
	irqchip->irq_reset(irq, owner);
}
