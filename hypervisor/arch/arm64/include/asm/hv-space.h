/*
 * The hypervisor's EL2 address space, shared by the set-up code (early-init.c,
 * which builds it, and setup.c) and the remap code (hv-remap.c, which maps devices and
 * temporary windows into it).
 */
#ifndef ASM_HV_SPACE_H
#define ASM_HV_SPACE_H

#include <wd/paging.h>
#include <wd/spinlock.h>

extern struct paging hv_paging;
/* Serialises changes of hv_paging after the boot CPU built it. */
extern spinlock_t hv_paging_lock;
/* Physical address bits the CPU implements, as used (52 capped at 48). */
extern unsigned int hv_pa_bits;
/* The cells' stage-2 walk for hv_pa_bits (paging_stage2_geometry()). */
extern struct stage2_geometry hv_s2_geo;

#endif
