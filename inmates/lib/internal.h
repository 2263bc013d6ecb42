/* SPDX-License-Identifier: GPL-2.0 */
/* Interfaces between the library's own files; demos do not use these. */
#ifndef INMATE_INTERNAL_H
#define INMATE_INTERNAL_H

#include "include/inmate.h"

/* head.S */
extern char secondary_entry[];

/* start.c, called from head.S */
void __noreturn inmate_start(u64 boot_x0);
void __noreturn inmate_secondary_start(unsigned int index);

/* vectors.S -> exception.c */
void irq_entry(u64 entry_ticks, u64 entry_cycles);
void __noreturn fault_entry(u64 kind, u64 *regs);

/* fdt.c */
const char *fdt_bootargs(u64 fdt, size_t *len);

/* gic.c: the GIC the comm region names (GICv3 without one: bare metal) */
extern bool gic_is_v2;
bool gic_cpu_ready(void);
/* Acknowledge the highest pending interrupt: its INTID, 1020-1023 for none. */
static inline unsigned int gic_ack(u64 *iar);
static inline void gic_eoi(u64 iar);

/* gicv3.c */
bool gicv3_cpu_ready(void);
void gicv3_init_cpu(void);
void gicv3_enable_ppi(unsigned int intid, u8 prio);
void gicv3_enable_spi(unsigned int intid, u8 prio);
void gicv3_send_sgi(u64 target_mpidr, unsigned int sgi);
u64 gicv3_redist_base(void);
void gicv3_timer_report(const char *who);

/* gicv2.c: the CPU interface by MMIO (GICC; in a cell the virtual one) */
extern u64 gicv2_gicc;
bool gicv2_cpu_ready(void);
void gicv2_init_cpu(void);
void gicv2_enable_ppi(unsigned int intid, u8 prio);
void gicv2_enable_spi(unsigned int intid, u8 prio);
void gicv2_send_sgi(u64 target_mpidr, unsigned int sgi);
void gicv2_timer_report(const char *who);
#define GICV2_GICC_IAR		0x000c
#define GICV2_GICC_EOIR		0x0010

/* The interrupt path: no call through the choice above. */
static inline unsigned int gic_ack(u64 *iar)
{
	if (gic_is_v2) {
		*iar = mmio_read32(gicv2_gicc + GICV2_GICC_IAR);
		return *iar & 0x3ff;
	}
	*iar = read_sysreg(ICC_IAR1_EL1);
	return *iar & 0xffffff;
}

static inline void gic_eoi(u64 iar)
{
	if (gic_is_v2)
		mmio_write32(gicv2_gicc + GICV2_GICC_EOIR, (u32)iar);
	else
		write_sysreg(ICC_EOIR1_EL1, iar);
}

/* timer.c */
bool timer_sleep_tick(void);

#endif
