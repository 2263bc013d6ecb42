/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attacks on the GICv2 distributor emulation (issue 18), for the attack cell
 * (configs/arm64/qemu-attack.c, CPU 2, no device) or, for the modes that need
 * an SPI of the cell's own, the gic-demo cell (qemu-gic-demo.c, CPU 3, SPI 40):
 *
 *   warden cell load attack attack-gicv2.bin -s "mode=MODE" -a 0x1000
 *
 * Modes (each prints "attack-gicv2: MODE ..." lines; "survived" when it got
 * through without being stopped):
 *   spi         every SPI (the root's): disable, set pending and active, lowest
 *               priority, routed to our CPU, by word writes; then prints what
 *               reads back (0: none of them is ours)
 *   ctlr-off    GICD_CTLR = 0 (the distributor off); prints CTLR after (1)
 *   sgi-flood   n=N (default 100000) GICD_SGIR writes: SGIs 0-14 to every
 *               CPU interface (target list 0xff), and to all but ourselves
 *   sgi15       SGI 15 (the hypervisor's) to ourselves through GICD_SGIR, and
 *               SGI 15 / PPI 25 (maintenance) set active, enabled bits
 *               cleared: prints ISENABLER0/ISACTIVER0 as we see them (bits 15
 *               and 25 clear), survives
 *   sgi-left    interrupts masked, the timer off: SGI 4 sent to ourselves,
 *               acknowledged and never completed (active), SGI 3 sent after
 *               it (left pending behind it); then spins.
 *               Destroying the cell must leave neither behind on the CPU
 *   route-root  ITARGETSR of SPI 40 (ours in gic-demo's cell) to CPU
 *               interface 0 (the root's CPU 0): must stop the cell
 *   route-own   ITARGETSR of SPI 40 to our own CPU interface: prints it back
 *   width       a 16-bit write to GICD_ISENABLER1: must stop the cell
 *   unaligned   a 32-bit read of GICD + 0x102: must stop the cell
 */
#include <inmate.h>

#define GICD_CTLR		0x000
#define GICD_ISENABLER0		0x100
#define GICD_ICENABLER0		0x180
#define GICD_ISPENDR0		0x200
#define GICD_ISACTIVER0		0x300
#define GICD_IPRIORITYR0	0x400
#define GICD_ITARGETSR0		0x800
#define GICD_SGIR		0xf00
#define GICC_IAR		0x00c

static char mode[24];

static u8 own_target(u64 gicd)
{
	return mmio_read32(gicd + GICD_ITARGETSR0) & 0xff;
}

static void spi_all(u64 gicd)
{
	unsigned int w;

	for (w = 1; w < 32; w++) {
		mmio_write32(gicd + GICD_ICENABLER0 + 4 * w, 0xffffffff);
		mmio_write32(gicd + GICD_ISPENDR0 + 4 * w, 0xffffffff);
		mmio_write32(gicd + GICD_ISACTIVER0 + 4 * w, 0xffffffff);
	}
	for (w = 32; w < 1020; w += 4) {
		mmio_write32(gicd + GICD_IPRIORITYR0 + w, 0xf0f0f0f0);
		mmio_write32(gicd + GICD_ITARGETSR0 + w, 0x01010101U * own_target(gicd));
	}
	printk("attack-gicv2: spi ISENABLER1 0x%x ISPENDR1 0x%x IPRIORITYR8 0x%x ITARGETSR8 0x%x\n",
	       mmio_read32(gicd + GICD_ISENABLER0 + 4), mmio_read32(gicd + GICD_ISPENDR0 + 4),
	       mmio_read32(gicd + GICD_IPRIORITYR0 + 32), mmio_read32(gicd + GICD_ITARGETSR0 + 32));
}

static void sgi_flood(u64 gicd)
{
	u64 n = cmdline_get_u64("n", 100000), i;

	for (i = 0; i < n; i++) {
		mmio_write32(gicd + GICD_SGIR, 0xff << 16 | (i % 15));
		mmio_write32(gicd + GICD_SGIR, 1U << 24 | (i % 15));
	}
	printk("attack-gicv2: sgi-flood sent %llu x 2\n", n);
}

static void sgi15(u64 gicd)
{
	u32 en;

	mmio_write32(gicd + GICD_SGIR, 2U << 24 | 15);
	mmio_write32(gicd + GICD_SGIR, 0xff << 16 | 15);
	mmio_write32(gicd + GICD_ISACTIVER0, 1U << 15 | 1U << 25);
	mmio_write32(gicd + GICD_ICENABLER0, 1U << 15 | 1U << 25);
	mmio_write8(gicd + GICD_IPRIORITYR0 + 15, 0xf0);
	en = mmio_read32(gicd + GICD_ISENABLER0);
	printk("attack-gicv2: sgi15 ISENABLER0 0x%x (SGI 15: %u, PPI 25: %u) ISACTIVER0 0x%x\n",
	       en, (en >> 15) & 1, (en >> 25) & 1, mmio_read32(gicd + GICD_ISACTIVER0));
}

static void __noreturn sgi_left(u64 gicd)
{
	u64 gicc = comm_gicc_base();
	u32 iar;

	irq_disable();
	timer_stop();
	mmio_write32(gicd + GICD_ICENABLER0, 1U << TIMER_VIRT_PPI);
	mmio_write32(gicd + GICD_SGIR, 2U << 24 | 4);
	iar = mmio_read32(gicc + GICC_IAR);
	mmio_write32(gicd + GICD_SGIR, 2U << 24 | 3);
	printk("attack-gicv2: sgi-left acknowledged INTID %u (IAR 0x%x, not completed), SGI 3 sent; spinning\n",
	       iar & 0x3ff, iar);
	for (;;)
		cpu_relax();
}

int main(void)
{
	u64 gicd = comm_gicd_base();

	if (!cmdline_get("mode", NULL, mode, sizeof(mode))) {
		printk("attack-gicv2: no mode= (spi, ctlr-off, sgi-flood, sgi15, sgi-left, route-root, route-own, width, unaligned)\n");
		return 0;
	}
	/* After the hypervisor's lines about starting us (one console). */
	delay_us(200000);
	printk("attack-gicv2: %s start (GICv%u)\n", mode, comm_gic_version());
	if (!strcmp(mode, "spi")) {
		spi_all(gicd);
	} else if (!strcmp(mode, "ctlr-off")) {
		mmio_write32(gicd + GICD_CTLR, 0);
		printk("attack-gicv2: ctlr-off CTLR after 0x%x\n", mmio_read32(gicd + GICD_CTLR));
	} else if (!strcmp(mode, "sgi-flood")) {
		sgi_flood(gicd);
	} else if (!strcmp(mode, "sgi15")) {
		sgi15(gicd);
	} else if (!strcmp(mode, "sgi-left")) {
		sgi_left(gicd);
	} else if (!strcmp(mode, "route-root")) {
		mmio_write8(gicd + GICD_ITARGETSR0 + 40, 0x01);
		printk("attack-gicv2: route-root ITARGETSR40 0x%x\n",
		       mmio_read8(gicd + GICD_ITARGETSR0 + 40));
	} else if (!strcmp(mode, "route-own")) {
		mmio_write8(gicd + GICD_ITARGETSR0 + 40, own_target(gicd));
		printk("attack-gicv2: route-own ITARGETSR40 0x%x own 0x%x\n",
		       mmio_read8(gicd + GICD_ITARGETSR0 + 40), own_target(gicd));
	} else if (!strcmp(mode, "width")) {
		*(volatile u16 *)(uintptr_t)(gicd + GICD_ISENABLER0 + 4) = 0xffff;
	} else if (!strcmp(mode, "unaligned")) {
		printk("attack-gicv2: unaligned read 0x%x\n", mmio_read32(gicd + 0x102));
	} else {
		printk("attack-gicv2: unknown mode '%s'\n", mode);
	}
	printk("attack-gicv2: %s survived\n", mode);
	return 0;
}
