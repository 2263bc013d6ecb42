/*
 * GICv3 distributor and redistributor register map (offsets from the Arm GIC
 * architecture specification, IHI 0069) and the state the two emulations
 * (gicv3-dist.c, gicv3-redist.c) share. Internal to those two files and their
 * host tests.
 */
#ifndef GICV3_REGS_H
#define GICV3_REGS_H

#include <wd/types.h>
#include <wd/mmio.h>
#include <wd/spinlock.h>
#include <asm/gicv3.h>
#include "gic-dist.h"

struct cell;

/* Distributor (64 KiB) */
#define GICD_SIZE		0x10000
#define GICD_CTLR		0x0000
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_TYPER		0x0004
#define GICD_TYPER_NUM_LPIS	(0x1fU << 11)	/* num_LPIs: 0 = as IDbits says */
#define GICD_TYPER_LPIS		(1U << 17)
#define GICD_TYPER_IDBITS_SHIFT	19		/* IDbits: interrupt id bits - 1 */
#define GICD_TYPER_IDBITS	(0x1fU << GICD_TYPER_IDBITS_SHIFT)
/* IDbits without LPIs: INTIDs 0..1023 (SGIs, PPIs, SPIs and the special ones) */
#define GICD_TYPER_IDBITS_SPIS	(10U - 1)
#define GICD_IIDR		0x0008
#define GICD_TYPER2		0x000c
#define GICD_STATUSR		0x0010
#define GICD_SETSPI_NSR		0x0040
#define GICD_CLRSPI_NSR		0x0048
#define GICD_SETSPI_SR		0x0050
#define GICD_CLRSPI_SR		0x0058
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_NSACR		0x0e00
#define GICD_SGIR		0x0f00
#define GICD_CPENDSGIR		0x0f10
#define GICD_SPENDSGIR		0x0f20
#define GICD_INMIR		0x0f80
#define GICD_ESPI_START		0x1000	/* extended SPI range registers ... */
#define GICD_ESPI_END		0x3b80	/* ... up to INMIR<n>E */
#define GICD_IROUTER		0x6000	/* + 8 * INTID; INTIDs 0-31 reserved */
#define GICD_IROUTER_END	0x7fe0	/* INTID 1020: first reserved one */
#define GICD_IROUTERE		0x8000
#define GICD_IROUTERE_END	0xa000
#define GICD_IMPDEF		0xc000
#define GICD_IDREGS		0xffd0	/* PIDR4-7, PIDR0-3, CIDR0-3 */

#define IROUTER_IRM		(1ULL << 31)
#define IROUTER_AFF_MASK	(0xffffffULL | (0xffULL << 32))

/* Redistributor: RD_base and SGI_base (and VLPI_base + a reserved page on GICv4) */
#define GICR_FRAME_SIZE		0x20000	/* what Warden maps and emulates */
#define GICR_STRIDE_V3		0x20000
#define GICR_STRIDE_V4		0x40000
#define GICR_CTLR		0x0000
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define GICR_TYPER_VLPIS	(1ULL << 1)
#define GICR_TYPER_LAST		(1ULL << 4)
#define GICR_STATUSR		0x0010
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_MPAMIDR		0x0018
#define GICR_PARTIDR		0x001c
#define GICR_SETLPIR		0x0040
#define GICR_CLRLPIR		0x0048
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_INVLPIR		0x00a0
#define GICR_INVALLR		0x00b0
#define GICR_SYNCR		0x00c0
#define GICR_IDREGS		0xffd0
#define GICR_SGI_BASE		0x10000
#define GICR_IGROUPR0		(GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0		(GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0		(GICR_SGI_BASE + 0x0180)
#define GICR_ISPENDR0		(GICR_SGI_BASE + 0x0200)
#define GICR_ICPENDR0		(GICR_SGI_BASE + 0x0280)
#define GICR_ISACTIVER0		(GICR_SGI_BASE + 0x0300)
#define GICR_ICACTIVER0		(GICR_SGI_BASE + 0x0380)
#define GICR_IPRIORITYR		(GICR_SGI_BASE + 0x0400)
#define GICR_ICFGR0		(GICR_SGI_BASE + 0x0c00)
#define GICR_ICFGR1		(GICR_SGI_BASE + 0x0c04)
#define GICR_IGRPMODR0		(GICR_SGI_BASE + 0x0d00)
#define GICR_NSACR		(GICR_SGI_BASE + 0x0e00)
#define GICR_INMIR0		(GICR_SGI_BASE + 0x0f80)


#define MAX_REDISTS		64

/* Shared by the distributor and redistributor emulations. */
extern u8 *gicd;
extern unsigned int gic_num_irqs;
extern unsigned int gic_maintenance_irq;
/* The SGIs and PPIs no guest may touch: the event SGI and the maintenance PPI. */
static inline u32 gic_reserved_private(void)
{
	return (1U << SGI_EVENT) | (1U << gic_maintenance_irq);
}

/* A CPU of @cell (that entered the hypervisor) has MPIDR affinity @aff. */
bool gic_cell_has_mpidr(const struct cell *cell, u64 aff);

enum mmio_result gicv3_gicr_access(void *arg, struct mmio_access *acc);
int gicv3_redist_discover(u64 gicr_base);
u64 gicv3_redist_region_size(void);

#endif
