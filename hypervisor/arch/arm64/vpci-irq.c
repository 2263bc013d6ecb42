/*
 * Interrupts of the virtual PCI devices (core/ivshmem.c): a device's
 * interrupt is an SPI its cell owns, made pending in the distributor
 * (GICD_ISPENDR, at the same offset on a GICv2 and a GICv3: the mapping is
 * the one of the GIC the board has; the GICv3's is not set up on a GICv2). The GIC routes it to the owner's CPUs like a device's SPI,
 * and the usual path (gicv3-cpuif.c) hands it to the cell, which
 * deactivates it itself (HW bit). The cell's own distributor setup (enable,
 * priority, trigger) applies as for any SPI. The SPI must have no device
 * wired to it (the board's unused SPIs: on QEMU virt, INTID 128 and up).
 */
#include <wd/vpci.h>
#include <wd/control.h>
#include <wd/mmio.h>
#include <asm/vits.h>
#include <asm/gicv3-its-virtdev.h>
#include <wd/cell.h>
#include <asm/irqchip.h>
#include "gicv3-regs.h"

extern u8 *gicv2_gicd;

void arch_vpci_raise_spi(unsigned int irq)
{
	u8 *dist = __builtin_expect(irqchip_v2, 0) ? gicv2_gicd : gicd;

	mmio_write(dist + GICD_ISPENDR + (irq / 32) * 4, 4, 1U << (irq % 32));
}

/* An MSI-X message to GICD_SETSPI_NSR names the SPI in its data. */
u64 arch_vpci_msi_doorbell(void)
{
	return system_config->platform.arm.gicd_base + GICD_SETSPI_NSR;
}

/*
 * The other MSI address a device may be given: its cell's vITS translater,
 * with the event id as data; the device id is its BDF (asm/vits.h). An MSI
 * the vITS cannot translate (not mapped, disabled) is dropped, as the ITS
 * drops it.
 */
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data)
{
	/* The root's: through its ITS, as a virtual LPI (gicv3-its-virtdev.c). */
	if (cell == &root_cell) {
		its_vdev_deliver(bdf, addr, data);
		return;
	}
	if (vits_present(cell) && addr == vits_translater(cell))
		vits_deliver(cell, bdf, data);
}
