/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vits-demo: a bare-metal cell programs its virtual ITS (a cell with a PCI
 * device on a GICv3 board with an ITS has one, at the physical ITS's
 * address) and takes virtual LPIs.
 *
 *  1. LPIs on at each CPU's redistributor (GICR_PROPBASER, PENDBASER,
 *     CTLR.EnableLPIs), the command queue at GITS_CBASER, the ITS enabled;
 *  2. MAPD for its ivshmem device (device id = BDF 00:00.0), MAPC of
 *     collection 0 to this CPU and 1 to the cell's second CPU (if any),
 *     MAPTI events 0/1/2 to LPIs 8224/8225/8226;
 *  3. INT event 0: LPI 8224 here; INT event 1: LPI 8225 on the second CPU;
 *  4. 24 INTs (more than the list registers) with interrupts masked, then
 *     unmasked: all 24 arrive;
 *  5. the ivshmem device's MSI-X vector 0 to GITS_TRANSLATER with event 2:
 *     a doorbell (its own, then the root's or a peer's) arrives as LPI 8226.
 *
 * attack: the same set-up, then wild input: GITS_CBASER at root RAM, the
 * hypervisor's memory, the comm region; GICR_PROPBASER at the hypervisor's
 * memory; commands with ids out of range, collections on the root's CPUs,
 * GICv4 and unknown commands, 6000 random ones; a CPU write to
 * GITS_TRANSLATER. Afterwards the vITS still works for the cell: INT
 * delivers again ("vits-attack: survived").
 *
 * Command line: its=<GITS base> (default QEMU's 0x08080000), attack,
 * wait=<seconds to wait for doorbells> (default 60).
 *
 * Output: "vits-demo: CPU 0x2 got LPI 8224", "vits-demo: CPU 0x3 got LPI
 * 8225", "vits-demo: 24 of 24 LPIs arrived", "vits-demo: doorbell N as LPI
 * 8226 on CPU 0x2", "vits-attack: survived".
 */
#include <inmate.h>
#include <warden/ivshmem.h>

#define GITS_CTLR	0x0000
#define GITS_TYPER	0x0008
#define GITS_CBASER	0x0080
#define GITS_CWRITER	0x0088
#define GITS_CREADR	0x0090
#define GITS_TRANSLATER	0x10040
#define GICR_CTLR	0x0000
#define GICR_TYPER	0x0008
#define GICR_PROPBASER	0x0070
#define GICR_PENDBASER	0x0078

#define LPI_BASE	8224
#define NUM_BURST	24
#define BURST_BASE	8300
#define PROP_BITS	14	/* LPIs 8192..16383: an 8 KiB property table */
#define BAR0		0x70000000
#define BAR1		0x70010000
#define WAIT_US		2000000

/*
 * The command queue (one page) and the property table (8 KiB) above the 64
 * KiB an inmate image may use: the cell configurations that run this demo
 * (qemu-vits-demo.c, qemu-vits-attack.c) give it 128 KiB.
 */
#define queue		((u64 *)(uintptr_t)(INMATE_LOAD_ADDR + 0x10000))
#define prop		((u8 *)(uintptr_t)(INMATE_LOAD_ADDR + 0x12000))
#define PROP_SIZE	((1 << PROP_BITS) - 8192)
static u64 its;
static unsigned int slot;
static volatile u64 proc_num[INMATE_MAX_CPUS];
static volatile unsigned int got[INMATE_MAX_CPUS];
static volatile unsigned int last_lpi[INMATE_MAX_CPUS];
static volatile unsigned int burst, doorbells;
static volatile bool second_up;

static void lpi_irq(unsigned int intid, u64 entry_ticks)
{
	unsigned int cpu = this_cpu_index();

	(void)entry_ticks;
	if (intid < 8192)
		return;
	if (intid >= BURST_BASE && intid < BURST_BASE + NUM_BURST) {
		burst++;
		return;
	}
	if (intid == LPI_BASE + 2) {
		doorbells++;
		printk("vits-demo: doorbell %u as LPI %u on CPU 0x%llx\n", doorbells,
		       intid, this_mpidr());
		return;
	}
	last_lpi[cpu] = intid;
	got[cpu]++;
}

/* LPIs on at this CPU's redistributor; its Processor_Number for MAPC. */
static void lpis_on(void)
{
	u64 rd = gic_redist_base();

	mmio_write64(rd + GICR_PROPBASER, (u64)(uintptr_t)prop | (PROP_BITS - 1));
	mmio_write64(rd + GICR_PENDBASER, (u64)(uintptr_t)queue);	/* unused by Warden */
	mmio_write32(rd + GICR_CTLR, 1);
	proc_num[this_cpu_index()] = mmio_read64(rd + GICR_TYPER) >> 8 & 0xffff;
}

static void send(u64 a, u64 b, u64 c, u64 d)
{
	u64 *s = &queue[slot * 4];

	s[0] = a;
	s[1] = b;
	s[2] = c;
	s[3] = d;
	slot = (slot + 1) % 128;
	dsb(sy);
	mmio_write64(its + GITS_CWRITER, slot * 32);
}

/* Wait until the vITS read everything queued. */
static bool drained(void)
{
	u64 t0 = timer_ticks();

	while ((mmio_read64(its + GITS_CREADR) & 0xfffe0) != slot * 32ULL)
		if (timer_ticks() - t0 > us_to_ticks(WAIT_US))
			return false;
	return true;
}

#define MAPD(dev, size)		send(0x08 | (u64)(dev) << 32, (size), 1ULL << 63, 0)
#define MAPC(icid, rd)		send(0x09, 0, 1ULL << 63 | (u64)(rd) << 16 | (icid), 0)
#define MAPTI(dev, ev, lpi, ic)	send(0x0a | (u64)(dev) << 32, (ev) | (u64)(lpi) << 32, (ic), 0)
#define INT(dev, ev)		send(0x03 | (u64)(dev) << 32, (ev), 0, 0)
#define SYNC(rd)		send(0x05, 0, (u64)(rd) << 16, 0)

static void secondary(unsigned int index)
{
	lpis_on();
	second_up = true;
	irq_enable();
	for (;;) {
		wfi();
		if (got[index]) {
			printk("vits-demo: CPU 0x%llx got LPI %u\n", this_mpidr(), last_lpi[index]);
			got[index] = 0;
		}
	}
}

static bool wait_flag(volatile unsigned int *v, unsigned int want)
{
	u64 t0 = timer_ticks();

	while (*v < want)
		if (timer_ticks() - t0 > us_to_ticks(WAIT_US))
			return false;
	return true;
}

static void setup_its(void)
{
	mmio_write32(its + GITS_CTLR, 0);
	mmio_write64(its + GITS_CBASER, 1ULL << 63 | (u64)(uintptr_t)queue);
	mmio_write32(its + GITS_CTLR, 1);
	slot = 0;
}

static u32 lcg = 12345;

static u64 rnd(void)
{
	u64 v;

	lcg = lcg * 1103515245 + 12345;
	v = lcg;
	lcg = lcg * 1103515245 + 12345;
	return v << 32 | lcg;
}

static void attack(u16 dev)
{
	static const u64 bad_queues[] = { 0x40000000, 0x7fc00000, 0x80000000, 0x08000000 };
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(bad_queues); n++) {
		mmio_write32(its + GITS_CTLR, 0);
		mmio_write64(its + GITS_CBASER, 1ULL << 63 | bad_queues[n] | 0xff);
		mmio_write32(its + GITS_CTLR, 1);
		mmio_write64(its + GITS_CWRITER, 0x7e0);
		printk("vits-attack: CBASER at 0x%llx: CREADR 0x%llx\n", bad_queues[n],
		       mmio_read64(its + GITS_CREADR));
	}
	setup_its();
	/* The property table in the hypervisor's memory: nothing is delivered. */
	mmio_write32(gic_redist_base() + GICR_CTLR, 0);
	mmio_write64(gic_redist_base() + GICR_PROPBASER, 0x7fc00000 | (PROP_BITS - 1));
	mmio_write32(gic_redist_base() + GICR_CTLR, 1);
	MAPD(dev, 4);
	MAPC(0, proc_num[0]);
	MAPTI(dev, 0, LPI_BASE, 0);
	got[0] = 0;
	INT(dev, 0);
	irq_enable();
	delay_us(200000);
	irq_disable();
	printk("vits-attack: with PROPBASER at the hypervisor's memory: %u LPIs\n", got[0]);
	/* Out of range and foreign ids. */
	MAPD(0xffff, 4);
	MAPD(dev, 31);
	MAPC(0, 0);			/* the root's CPU 0 */
	MAPC(200, proc_num[0]);
	MAPTI(dev, 1000, 8300, 0);
	MAPTI(dev, 3, 100, 0);
	MAPTI(dev, 3, 0xffffffff, 0);
	send(0x29, ~0ULL, ~0ULL, ~0ULL);	/* VMAPP */
	send(0x2a, ~0ULL, ~0ULL, ~0ULL);	/* VMAPTI */
	send(0xff, ~0ULL, ~0ULL, ~0ULL);
	send(0x0e, 0, 0, 1ULL << 16);		/* MOVALL to the root's CPU 1 */
	printk("vits-attack: bad commands %s\n", drained() ? "passed" : "stuck");
	for (n = 0; n < 6000; n++) {
		u64 a = rnd(), b = rnd(), c = rnd(), d = rnd();

		if (n & 1)	/* a real command, random fields */
			a = (a & ~0xffULL) | (a >> 8) % 16;
		send(a, b, c, d);
		if (n % 100 == 99 && !drained())
			break;
	}
	printk("vits-attack: %u random commands %s\n", n, drained() ? "passed" : "stuck");
	mmio_write32(its + GITS_TRANSLATER, 1);
	mmio_write32(gic_redist_base() + GICR_CTLR, 0);
	lpis_on();
	setup_its();
	MAPD(dev, 4);
	MAPC(0, proc_num[0]);
	MAPTI(dev, 0, LPI_BASE, 0);
	got[0] = 0;
	INT(dev, 0);
	irq_enable();
	if (wait_flag(&got[0], 1))
		printk("vits-attack: survived, LPI %u\n", last_lpi[0]);
	else
		printk("vits-attack: no LPI after the attack\n");
	irq_disable();
}

int main(void)
{
	struct ivshmem d;
	u64 typer, mpidr2 = this_mpidr() + 1, wait_s;
	unsigned int n, ncpus = 1;
	int cap;
	u16 dev;

	its = cmdline_get_u64("its", 0x08080000);
	wait_s = cmdline_get_u64("wait", 60);
	irq_set_handler(lpi_irq);
	for (n = 0; n < PROP_SIZE; n++)
		prop[n] = 0xa0 | 1;		/* priority 0xa0, enabled */
	dsb(sy);

	if (ivshmem_open(&d, 0, BAR0)) {
		printk("vits-demo: no ivshmem device\n");
		return 0;
	}
	dev = d.bdf;
	typer = mmio_read64(its + GITS_TYPER);
	printk("vits-demo: GITS_TYPER 0x%llx (HCC %llu), device %02x:%02x.%x\n", typer,
	       typer >> 24 & 0xff, dev >> 8, dev >> 3 & 0x1f, dev & 7);
	lpis_on();
	setup_its();

	if (cmdline_has("attack")) {
		attack(dev);
		return 0;
	}

	if (psci_call(PSCI_AFFINITY_INFO_64, mpidr2, 0, 0) == PSCI_AFF_OFF &&
	    smp_start_cpu(mpidr2, 1, secondary) == PSCI_SUCCESS) {
		u64 t0 = timer_ticks();

		while (!second_up && timer_ticks() - t0 < us_to_ticks(WAIT_US))
			;
		if (second_up)
			ncpus = 2;
	}
	MAPD(dev, 4);				/* 32 events */
	MAPC(0, proc_num[0]);
	if (ncpus > 1)
		MAPC(1, proc_num[1]);
	MAPTI(dev, 0, LPI_BASE, 0);
	MAPTI(dev, 1, LPI_BASE + 1, ncpus > 1 ? 1 : 0);
	MAPTI(dev, 2, LPI_BASE + 2, 0);
	for (n = 0; n < NUM_BURST; n++)
		MAPTI(dev, 8 + n, BURST_BASE + n, 0);
	SYNC(proc_num[0]);
	printk("vits-demo: %u CPUs, commands %s\n", ncpus, drained() ? "done" : "stuck");

	irq_enable();
	INT(dev, 0);
	if (wait_flag(&got[0], 1))
		printk("vits-demo: CPU 0x%llx got LPI %u\n", this_mpidr(), last_lpi[0]);
	else
		printk("vits-demo: no LPI on CPU 0x%llx\n", this_mpidr());
	if (ncpus > 1)
		INT(dev, 1);			/* the second CPU prints it */
	delay_us(100000);

	/* More vLPIs than list registers at once. */
	irq_disable();
	for (n = 0; n < NUM_BURST; n++)
		INT(dev, 8 + n);
	drained();
	irq_enable();
	wait_flag(&burst, NUM_BURST);
	printk("vits-demo: %u of %u LPIs arrived\n", burst, NUM_BURST);

	/* MSI-X vector 0 of the ivshmem device: the vITS translater, event 2. */
	cap = pci_find_cap(dev, 0x11);
	if (cap < 0) {
		printk("vits-demo: the ivshmem device has no MSI-X\n");
	} else {
		pci_cfg_write(dev, 0x14, BAR1, 4);	/* BAR 1: the table */
		mmio_write32(BAR1 + 0, (u32)(its + GITS_TRANSLATER));
		mmio_write32(BAR1 + 4, (u32)((its + GITS_TRANSLATER) >> 32));
		mmio_write32(BAR1 + 8, 2);
		mmio_write32(BAR1 + 12, 0);		/* unmasked */
		pci_cfg_write(dev, cap + 2, 0x8000, 2);	/* MSI-X Enable */
		mmio_write32(d.regs + WD_IVSHMEM_REG_INT_CTRL, 1);
		ivshmem_set_state(&d, 1);
		ivshmem_ring(&d, d.id, 0);		/* its own doorbell */
		wait_flag(&doorbells, 1);
		printk("vits-demo: MSI-X ready, waiting %llu s for doorbells\n", wait_s);
	}
	{
		u64 t0 = timer_ticks();

		while (timer_ticks() - t0 < us_to_ticks(wait_s * 1000000))
			wfi();
	}
	printk("vits-demo: done, %u doorbells\n", doorbells);
	return 0;
}
