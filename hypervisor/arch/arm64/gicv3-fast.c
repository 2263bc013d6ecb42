/*
 * The distributor reads guests make most (GICD_CTLR, GICD_TYPER, GICD_IIDR,
 * and on a GICv3 GICD_TYPER2: the 32-bit words at 0x0-0xc, read at boot and
 * by every Jailhouse inmate's GIC set-up, and the benchmark's trapped MMIO
 * read), answered from the light exit (light-exit.c) straight from the
 * syndrome: no decode into a struct, no search of the cell's MMIO regions,
 * no handler call. The value, its extension and the guest-visible outcome
 * are exactly those of the general path (dabt_emulate -> gicd_access, or
 * gicv2_gicd_access on a GICv2, which read the same words of the physical
 * distributor); everything else is declined and takes the general path.
 * The same code serves both GICs, set up with the frame and the end of the
 * words each passes through (gicv3_fast_init, gicv2_fast_init), so that
 * neither pays for a choice on the way. GICD_TYPER is the reading CPU's
 * owner's view (no LPIs for a cell without a vITS, gicv3_dist_vcpu_owner):
 * the physical word XOR a per-CPU mask set at each change of owner (zero on
 * a GICv2 and for the root). tests/unit/test-hv-gicd-fast.c and
 * test-hv-gicd-fast-v2.c hold the two paths together for every offset,
 * width and load form.
 */
#include <wd/percpu.h>
#include <asm/traps.h>
#include <asm/gicv3-fast.h>

extern u8 *gicd;

#define ISS_ISV			(1UL << 24)
#define ISS_SAS_MASK		(3UL << 22)
#define ISS_SAS_WORD		(2UL << 22)
#define ISS_SSE			(1UL << 21)
#define ISS_SRT_SHIFT		16
#define ISS_SF			(1UL << 15)
#define ISS_CM			(1UL << 8)
#define ISS_S1PTW		(1UL << 7)
#define ISS_WNR			(1UL << 6)

/* GICv3: the words up to GICD_TYPER2 are read from the physical distributor as they are. */
#define GICD_FAST_END		0x10

/*
 * The distributor's guest physical address, aligned (the configuration's
 * copy is packed: byte loads), its mapping and the end of the words passed
 * through. Until gicd_fast_setup, no IPA matches.
 */
static u64 gicd_fast_phys = 1ULL << 63;
static u8 *gicd_fast_base;
static u64 gicd_fast_end;

void gicd_fast_setup(u64 gicd_phys, u8 *base, u64 end)
{
	gicd_fast_phys = gicd_phys;
	gicd_fast_base = base;
	gicd_fast_end = end;
}

void gicv3_fast_init(u64 gicd_phys)
{
	gicd_fast_setup(gicd_phys, gicd, GICD_FAST_END);
}

/* Flattened: LTO would otherwise call dabt_load_value out of line (a frame). */
__attribute__((flatten)) bool gicd_fast_read(u64 esr, u64 ipa, u64 *x)
{
	u64 off = ipa - gicd_fast_phys;
	unsigned int rt = (esr >> ISS_SRT_SHIFT) & 0x1f;
	struct dabt_info info;
	u32 val;

	/* A described (ISV) 32-bit load, not a cache maintenance or stage-1 walk. */
	if ((esr & (ISS_ISV | ISS_SAS_MASK | ISS_WNR | ISS_S1PTW | ISS_CM)) !=
	    (ISS_ISV | ISS_SAS_WORD))
		return false;
	if (off >= gicd_fast_end || (off & 3))
		return false;
	if (rt == 31)
		return true;
	info.size = 4;
	info.sign_extend = esr & ISS_SSE;
	info.sixty_four = esr & ISS_SF;
	/* The owner's view (GICD_TYPER's LPI fields): gicd_xor[off / 4], off < 0x10. */
	val = mmio_read(gicd_fast_base + off, 4) ^
	      (u32)*(u64 *)((u8 *)this_cpu()->arch.gicd_xor + off * 2);
	x[rt] = dabt_load_value(&info, val);
	return true;
}
