/*
 * GICv2 (with the virtualization extensions) register map, from the Arm GIC
 * architecture specification v2 (IHI 0048B): the distributor (GICD), the
 * physical CPU interface the hypervisor uses (GICC), the virtual interface
 * control (GICH). The virtual CPU interface (GICV) is mapped to guests at
 * their GICC address and never accessed by the hypervisor. Internal to
 * gicv2-*.c and their host tests.
 */
#ifndef GICV2_REGS_H
#define GICV2_REGS_H

#include <wd/types.h>
#include <wd/mmio.h>
#include <wd/spinlock.h>
#include <asm/irqchip.h>

struct cell;
struct per_cpu;

/* Distributor: one 4 KiB frame. */
#define GICV2_GICD_SIZE		0x1000
#define GICV2D_CTLR		0x000
#define GICV2D_TYPER		0x004
#define GICV2D_IIDR		0x008
#define GICV2D_IGROUPR		0x080
#define GICV2D_ISENABLER	0x100
#define GICV2D_ICENABLER	0x180
#define GICV2D_ISPENDR		0x200
#define GICV2D_ICPENDR		0x280
#define GICV2D_ISACTIVER	0x300
#define GICV2D_ICACTIVER	0x380
#define GICV2D_IPRIORITYR	0x400
#define GICV2D_ITARGETSR	0x800
#define GICV2D_ITARGETSR_SPI	0x820	/* ITARGETSR8: the first SPI's byte */
#define GICV2D_ICFGR		0xc00
#define GICV2D_SGIR		0xf00
#define GICV2D_CPENDSGIR	0xf10
#define GICV2D_SPENDSGIR	0xf20
#define GICV2D_IDREGS		0xfd0

/* GICD_SGIR fields */
#define SGIR_FILTER_SHIFT	24	/* 0: the list, 1: all but self, 2: self */
#define SGIR_TARGETS_SHIFT	16
#define SGIR_INTID_MASK		0xf

/* Physical CPU interface: two 4 KiB pages (GICC_DIR in the second). */
#define GICV2_GICC_SIZE		0x2000
#define GICC_CTLR		0x0000
#define GICC_CTLR_ENABLE0	(1U << 0)	/* EnableGrp1 in the Non-secure view */
#define GICC_CTLR_CBPR		(1U << 4)
#define GICC_CTLR_EOIMODE	(1U << 9)	/* EOImodeNS in the Non-secure view */
#define GICC_PMR		0x0004
#define GICC_BPR		0x0008
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_ABPR		0x001c
#define GICC_DIR		0x1000

/* Virtual interface control: one 4 KiB page, banked per CPU. */
#define GICV2_GICH_SIZE		0x1000
#define GICH_HCR		0x000
#define GICH_HCR_EN		(1U << 0)
#define GICH_HCR_UIE		(1U << 1)
#define GICH_VTR		0x004
#define GICH_VMCR		0x008
#define GICH_VMCR_GRP0EN	(1U << 0)
#define GICH_VMCR_CBPR		(1U << 4)
#define GICH_VMCR_VEM		(1U << 9)
#define GICH_VMCR_ABP_SHIFT	18
#define GICH_VMCR_BP_SHIFT	21
#define GICH_VMCR_PMR_SHIFT	27
#define GICH_MISR		0x010
#define GICH_EISR0		0x020
#define GICH_EISR1		0x024
#define GICH_ELRSR0		0x030
#define GICH_ELRSR1		0x034
#define GICH_APR		0x0f0
#define GICH_LR0		0x100

#define GICH_LR_VID_MASK	0x3ffU
#define GICH_LR_PID_SHIFT	10
#define GICH_LR_PID_MASK	(0x3ffU << 10)
#define GICH_LR_CPUID_SHIFT	10		/* HW = 0: an SGI's source CPU */
#define GICH_LR_PRIO_SHIFT	23		/* the top 5 bits of the priority */
#define GICH_LR_PENDING		(1U << 28)
#define GICH_LR_ACTIVE		(1U << 29)
#define GICH_LR_STATE_MASK	(3U << 28)
#define GICH_LR_GRP1		(1U << 30)
#define GICH_LR_HW		(1U << 31)


/* State the distributor emulation and the CPU interface share (gicv2-dist.c). */
extern u8 *gicv2_gicd;
extern unsigned int gicv2_num_irqs;
extern unsigned int gicv2_maint_irq;
/* The physical CPU interface and the virtual interface control (gicv2-cpuif.c). */
extern u8 *gicv2_gicc, *gicv2_gich;

/* The SGIs and PPIs no guest may touch: the event SGI and the maintenance PPI. */
static inline u32 gicv2_reserved_private(void)
{
	return (1U << SGI_EVENT) | (1U << gicv2_maint_irq);
}

/* The GIC's CPU interface number(s) of @cpu as a target mask (gicv2-cpuif.c). */
u8 gicv2_cpu_target(unsigned int cpu);
/* A guest's GICD_SGIR write, filtered to the CPUs of the sender's cell (gicv2-cpuif.c). */
void gicv2_sgir_write(struct per_cpu *pc, u32 value);

int gicv2_dist_init(void);
int gicv2_dist_cell_init(struct cell *cell);
void gicv2_irq_disable(unsigned int irq);
void gicv2_irq_route(unsigned int irq, struct cell *owner);
void gicv2_irq_reset(unsigned int irq, struct cell *owner);
/* This CPU's banked SGI/PPI state on entry (true) or exit (false). */
void gicv2_private_setup(bool enter);
/* ... and reset for the next owner of a parked CPU. */
void gicv2_private_reset(void);

#endif
