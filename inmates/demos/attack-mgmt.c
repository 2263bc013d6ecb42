/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attack-mgmt: attacks on cell management (load into the "attack" cell,
 * CPU 2, with -s "mode=NAME"). Prints "attack-mgmt: NAME start", the
 * outcome, then behaves as the mode says.
 *
 *   never-park   keep the CPU from answering the hypervisor's park request:
 *                interrupts masked at EL1, the hypervisor's event SGI 15 set
 *                active in our own redistributor (GICR_ISACTIVER0; a later
 *                GIC emulation drops that write), then a loop of root-only
 *                hypercalls (-EPERM each, no other exit). A destroy must
 *                either park the CPU for real or fail and keep it.
 *   never-park-wfi  the same, with every SGI/PPI set active, then WFI for
 *                ever: nothing but the GIC could wake it. If the GIC lets
 *                the write through, the CPU cannot be forced: destroy must
 *                fail (-ETIMEDOUT) and the cell keep CPU 2.
 *   scrub-fill   fill our RAM from 0x8000 to 0x10000 with 0x5a5aa5a5 and
 *                idle: after destroy the root must read zeros there.
 */
#include <inmate.h>
#include <warden/hypercall.h>

#ifndef GICR_ISACTIVER0
#define GICR_ISACTIVER0		(GICR_SGI_BASE + 0x0300)
#endif

#define SGI_EVENT	15
#define FILL_START	0x8000UL
#define FILL_END	0x10000UL
#define FILL_PATTERN	0x5a5aa5a5U

static char mode[32];

static u32 block_gic(u32 bits)
{
	u64 rd;

	gic_init_cpu();
	rd = gic_redist_base();
	if (!rd) {
		printk("attack-mgmt: %s no redistributor frame\n", mode);
		return 0;
	}
	mmio_write32(rd + GICR_ISACTIVER0, bits);
	dsb(sy);
	return mmio_read32(rd + GICR_ISACTIVER0);
}

static void __noreturn never_park(bool wfi_loop)
{
	u32 active;
	u64 n = 0;

	irq_disable();
	timer_stop();
	active = block_gic(wfi_loop ? 0xffffffffU : 1U << SGI_EVENT);
	printk("attack-mgmt: %s ISACTIVER0=0x%x event SGI active=%u\n", mode,
	       active, (active >> SGI_EVENT) & 1);
	printk("attack-mgmt: %s looping\n", mode);
	for (;;) {
		if (wfi_loop) {
			wfi();
			continue;
		}
		/* Root-only: -EPERM, and an exit that returns right away. */
		hypercall(WD_HC_CELL_DESTROY, 1, 0);
		n++;
	}
}

static void scrub_fill(void)
{
	volatile u32 *p;

	for (p = (u32 *)FILL_START; p < (u32 *)FILL_END; p++)
		*p = FILL_PATTERN;
	dsb(sy);
	printk("attack-mgmt: %s filled 0x%lx-0x%lx with 0x%x\n", mode,
	       FILL_START, FILL_END - 1, FILL_PATTERN);
}

int main(void)
{
	if (!cmdline_get("mode", NULL, mode, sizeof(mode))) {
		printk("attack-mgmt: no mode=; modes: never-park never-park-wfi scrub-fill\n");
		return 0;
	}
	printk("attack-mgmt: %s start\n", mode);
	if (!strcmp(mode, "never-park"))
		never_park(false);
	else if (!strcmp(mode, "never-park-wfi"))
		never_park(true);
	else if (!strcmp(mode, "scrub-fill"))
		scrub_fill();
	else
		printk("attack-mgmt: unknown mode '%s'\n", mode);
	printk("attack-mgmt: %s survived\n", mode);
	idle();
}
