/*
 * GICv2 fast paths, the C side:
 *
 * - the distributor words passed through from the hardware (GICD_CTLR,
 *   GICD_TYPER, GICD_IIDR at 0x0-0x8: read at boot by every guest, and the
 *   benchmark's trapped MMIO read), answered from the light exit by
 *   gicd_fast_read (gicv3-fast.c, the same code for both GICs) with the
 *   value, extension and outcome of the general path (dabt_emulate ->
 *   gicv2_gicd_access, which reads the same physical words). 0xc is reserved
 *   on a GICv2 (TYPER2 is GICv3's) and the general path refuses it to cells:
 *   it is not passed. tests/unit/test-hv-gicd-fast-v2.c holds the two paths
 *   together;
 * - the pointers gicv2-fast-irq.S needs (the CPU interface and the virtual
 *   interface control as the hypervisor maps them), and the general exit it
 *   falls back to with an interrupt already acknowledged.
 */
#include <wd/percpu.h>
#include <asm/gicv2-fast.h>
#include <asm/gicv3-fast.h>

extern u8 *gicv2_gicd;

/* The words gicv2_gicd_access reads from the physical distributor: CTLR, TYPER, IIDR. */
#define GICV2D_FAST_END		0x0c

/* Read by gicv2-fast-irq.S; set before any CPU enters a guest. */
u8 *gicv2_fast_gicc;
u8 *gicv2_fast_gich;

void gicv2_fast_init(u64 gicd_phys, u8 *gicc, u8 *gich)
{
	gicd_fast_setup(gicd_phys, gicv2_gicd, GICV2D_FAST_END);
	gicv2_fast_gicc = gicc;
	gicv2_fast_gich = gich;
}

void gicv2_handle_irq_acked(u64 iar, struct guest_regs *regs)
{
	struct per_cpu *pc = this_cpu();

	(void)regs;
	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_TOTAL);
	gicv2_handle_iar(pc, (u32)iar);
}
