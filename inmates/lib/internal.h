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

/* gicv3.c */
bool gic_cpu_ready(void);

/* timer.c */
bool timer_sleep_tick(void);

#endif
