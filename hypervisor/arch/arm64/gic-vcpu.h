/*
 * What the GICv2 and GICv3 CPU interfaces share (gic-vcpu.c): taking an
 * acknowledged SGI, PPI or SPI, and handing virtual interrupts to the vCPU
 * through the list registers, with the per-CPU queue (asm/percpu.h) behind
 * them when all are in use. Internal to gicv2-cpuif.c and gicv3-cpuif.c.
 */
#ifndef GIC_VCPU_H
#define GIC_VCPU_H

#include <wd/types.h>

struct per_cpu;

/* GICv3 virtual interface control and list registers (ICH_HCR_EL2, ICH_LR<n>_EL2). */
#define ICH_HCR_EN		(1UL << 0)
#define ICH_HCR_UIE		(1UL << 1)

#define ICH_LR_STATE_PENDING	(1ULL << 62)
#define ICH_LR_STATE_ACTIVE	(1ULL << 63)
#define ICH_LR_STATE_MASK	(3ULL << 62)
#define ICH_LR_HW		(1ULL << 61)
#define ICH_LR_GROUP1		(1ULL << 60)
#define ICH_LR_PRIO_SHIFT	48
#define ICH_LR_PINTID_SHIFT	32
#define ICH_LR_VINTID_MASK	0xffffffffULL
#define ICH_LR_PINTID_MASK	(0x3ffULL << 32)

/* A queued interrupt with a physical counterpart (HW bit when listed). */
#define QUEUED_HW		(1U << 31)
/* GICv2: a queued SGI's source CPU interface (bits 18:16). */
#define QUEUED_SRC_SHIFT	16
#define GIC_FIRST_LPI		8192

/*
 * Hand @irq to pc's vCPU: into a free list register, else queued (a virtual
 * SGI already waiting coalesces with it). @src: a GICv2 SGI's source CPU
 * interface (0 on a GICv3).
 */
void gic_inject(struct per_cpu *pc, unsigned int irq, bool hw, unsigned int src);

/*
 * The acknowledged interrupt @iar (INTID @irq < 1020, not an LPI), the
 * maintenance interrupt being @maint: SGIs are virtual (the event SGI is
 * the hypervisor's), the rest goes to the running cell if it owns it.
 */
void gic_take_irq(struct per_cpu *pc, u32 iar, unsigned int irq,
		  unsigned int maint, unsigned int src);

/*
 * Empty the list registers and the queue of pc's vCPU, and its active
 * priorities. @hand_to_linux (the hypervisor leaves this CPU): pending
 * interrupts go back to the physical GIC; Linux, staying, deactivates what
 * it acknowledged itself. Else (a vCPU parked or reset, which never will):
 * its active physical interrupts are deactivated here, or they stay blocked
 * for good.
 */
void gic_drain(struct per_cpu *pc, bool hand_to_linux);

/* A cell's vLPI into a free list register (vits.c, gicv3-its-virtdev.c). */
bool gicv3_vlpi_insert(struct per_cpu *pc, unsigned int intid, u8 prio);

/* gicv3-cpuif.c: list register @n (ICH_LR<n>_EL2). */
u64 gicv3_read_lr(unsigned int n);
void gicv3_write_lr(unsigned int n, u64 v);
/* ... the GICv3's and GICv2's parts of gic_drain(). */
void gicv3_hand_back(struct per_cpu *pc, unsigned int irq, bool hw);
void gicv3_lpi_parked(struct per_cpu *pc, unsigned int irq, bool listed);
void gicv3_clear_aprs(void);
void gicv2_hand_back(unsigned int irq, bool hw);

#endif
