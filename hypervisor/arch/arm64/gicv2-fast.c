/*
 * GICv2 fast paths, the C side:
 *
 * - the distributor words read from the hypervisor's own setup (GICD_CTLR,
 *   GICD_TYPER, GICD_IIDR at 0x0-0x8: read at boot by every guest, and the
 *   benchmark's trapped MMIO read), answered from the light exit
 *   (light-exit.c) straight from the syndrome, with the value, extension and
 *   outcome of the general path (dabt_emulate -> gicv2_gicd_access, which
 *   reads the same physical words). 0xc is reserved on a GICv2 (TYPER2 is
 *   GICv3's) and the general path refuses it to cells: it is not taken here.
 *   tests/unit/test-hv-gicd-fast-v2.c holds the two paths together;
 * - the pointers gicv2-fast-irq.S needs (the CPU interface and the virtual
 *   interface control as the hypervisor maps them), and the general exit it
 *   falls back to with an interrupt already acknowledged.
 */
#include <wd/percpu.h>
#include <wd/control.h>
#include <asm/traps.h>
#include <asm/irqchip.h>
#include <asm/gicv2-fast.h>

extern u8 *gicv2_gicd;

#define ISS_ISV			(1UL << 24)
#define ISS_SAS_MASK		(3UL << 22)
#define ISS_SAS_WORD		(2UL << 22)
#define ISS_SSE			(1UL << 21)
#define ISS_SRT_SHIFT		16
#define ISS_SF			(1UL << 15)
#define ISS_CM			(1UL << 8)
#define ISS_S1PTW		(1UL << 7)
#define ISS_WNR			(1UL << 6)

/* End of the words gicv2_gicd_access reads from the physical distributor. */
#define GICV2D_FAST_END		0x0c

/* Until gicv2_fast_init, no IPA matches (and on a GICv3 it is never called). */
static u64 gicv2d_fast_phys = 1ULL << 63;

/* Read by gicv2-fast-irq.S; set before any CPU enters a guest. */
u8 *gicv2_fast_gicc;
u8 *gicv2_fast_gich;

void gicv2_fast_init(u64 gicd_phys, u8 *gicc, u8 *gich)
{
	gicv2d_fast_phys = gicd_phys;
	gicv2_fast_gicc = gicc;
	gicv2_fast_gich = gich;
}

bool gicv2_gicd_fast_read(u64 esr, u64 ipa, u64 *x)
{
	u64 off = ipa - gicv2d_fast_phys;
	unsigned int rt = (esr >> ISS_SRT_SHIFT) & 0x1f;
	struct dabt_info info;

	/* A described (ISV) 32-bit load, not a cache maintenance or stage-1 walk. */
	if ((esr & (ISS_ISV | ISS_SAS_MASK | ISS_WNR | ISS_S1PTW | ISS_CM)) !=
	    (ISS_ISV | ISS_SAS_WORD))
		return false;
	if (off >= GICV2D_FAST_END || (off & 3))
		return false;
	if (rt == 31)
		return true;
	info.size = 4;
	info.sign_extend = esr & ISS_SSE;
	info.sixty_four = esr & ISS_SF;
	x[rt] = dabt_load_value(&info, mmio_read(gicv2_gicd + off, 4));
	return true;
}

void gicv2_handle_irq_acked(u64 iar, struct guest_regs *regs)
{
	struct per_cpu *pc = this_cpu();

	(void)regs;
	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_TOTAL);
	gicv2_handle_iar(pc, (u32)iar);
}
