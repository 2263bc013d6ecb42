/* GICv3 fast paths (gicv3-fast-irq.S, gicv3-fast.c), apart from the emulation they shortcut. */
#ifndef ASM_GICV3_FAST_H
#define ASM_GICV3_FAST_H

#include <wd/types.h>

/*
 * A guest's trapped load at @ipa (syndrome @esr) of a distributor word that
 * needs no emulation (either GIC): true when done (@x[Rt] set as the load asks, unless
 * Rt is the zero register), false when the general path must handle it.
 * The caller counts the exit and steps over the instruction.
 */
bool gicd_fast_read(u64 esr, u64 ipa, u64 *x);
/* The distributor is at @gicd_phys and mapped (gicv3_init). */
void gicv3_fast_init(u64 gicd_phys);
/* For either GIC: the distributor at @gicd_phys, mapped at @base; words below @end pass. */
void gicd_fast_setup(u64 gicd_phys, u8 *base, u64 end);

#endif
