/*
 * Data aborts handled with the light frame (light-exit-entry.S, which also
 * answers the query hypercalls): only x0..x18 and x30 of the guest are in the
 * frame, x19..x29 are still live in the CPU. What qualifies can neither need
 * those registers nor reset, park or hand over the vCPU (that rewrites the
 * whole frame, which the light return would not load): the distributor
 * words of gicd_fast_read() (gicv3-fast.c, for either GIC) and the root's
 * GITS_CREADR (its_creadr_fast(), gicv3-its-fast.c) loaded into x0..x18 or
 * x30, and the ivshmem doorbell writes of
 * ivshmem_doorbell_fast() (core/ivshmem-fast.c) from those registers, both
 * counted as the general path counts them. Anything else returns false
 * before changing anything, and the exit goes on through arch_handle_exit
 * with the frame completed.
 */
#include <wd/percpu.h>
#include <wd/cell.h>
#include <wd/vpci.h>
#include <asm/sysregs.h>
#include <asm/traps.h>
#include <asm/gicv3-fast.h>
#include <asm/gicv3-its.h>

#define ISS_SRT(esr)		(((esr) >> 16) & 0x1f)
/* A described (ISV) 32-bit store, not a cache maintenance or stage-1 walk. */
#define ISS_STORE_MASK		((1UL << 24) | (3UL << 22) | (1UL << 8) | (1UL << 7) | (1UL << 6))
#define ISS_STORE_WORD		((1UL << 24) | (2UL << 22) | (1UL << 6))
#define HPFAR_FIPA_MASK		0x00000ffffffffff0ULL

/* In the light frame: x0..x18, x30 and the zero register. */
static bool reg_in_light_frame(unsigned int rt)
{
	return rt <= 18 || rt >= 30;
}

/* Done: counted as handle_dabt counts it, the instruction stepped over. */
static inline bool light_done(u64 esr)
{
	struct per_cpu *pc = this_cpu();

	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_TOTAL);
	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_MMIO);
	write_sysreg(elr_el2, read_sysreg(elr_el2) + ((esr & ESR_IL) ? 4 : 2));
	return true;
}

/*
 * A 32-bit store: an ivshmem doorbell? Apart (and reached by a tail call)
 * so that the distributor reads keep a leaf function without a frame.
 */
static __attribute__((noinline)) bool light_store(u64 esr, u64 ipa,
						  struct guest_regs *regs)
{
	unsigned int rt = ISS_SRT(esr);

	/* The value as dabt_emulate takes it: Wt, or 0 for the zero register. */
	if (!ivshmem_doorbell_fast(this_cpu(), ipa, rt == 31 ? 0 : (u32)regs->x[rt]))
		return false;
	return light_done(esr);
}

/* The root's GITS_CREADR? Apart, as light_store. */
static __attribute__((noinline)) bool light_its(u64 esr, u64 ipa, struct guest_regs *regs)
{
	if (!its_creadr_fast(esr, ipa, regs->x))
		return false;
	return light_done(esr);
}

/* A data abort from a lower EL (syndrome @esr). */
bool arch_dabt_light(u64 esr, struct guest_regs *regs)
{
	u64 ipa;

	if (!reg_in_light_frame(ISS_SRT(esr)))
		return false;
	ipa = ((read_sysreg(hpfar_el2) & HPFAR_FIPA_MASK) << 8) |
	      (read_sysreg(far_el2) & 0xfff);
	if ((esr & ISS_STORE_MASK) == ISS_STORE_WORD)
		return light_store(esr, ipa, regs);
	if (!gicd_fast_read(esr, ipa, regs->x))
		return light_its(esr, ipa, regs);
	return light_done(esr);
}
