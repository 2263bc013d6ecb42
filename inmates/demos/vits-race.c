/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vits-race: both CPUs of a cell hammer its virtual ITS at once
 * (hypervisor/arch/arm64/vits.c), then check that it still works.
 *
 * Every run first prints the distributor's GICD_TYPER as the cell reads it:
 * "vits-race: GICD_TYPER 0x... LPIS n IDbits n" (a cell without a vITS must
 * read LPIS 0, one with a vITS LPIS 1). Command line "typer": only that (it
 * then runs in any cell, e.g. one without PCI devices).
 *
 * Otherwise (a cell with an ivshmem device with MSI-X, on two CPUs):
 *  1. set-up as vits-demo.c: LPIs on at both redistributors, the command
 *     queue, MSI-X vector 0 of the ivshmem device to GITS_TRANSLATER with
 *     event 2;
 *  2. the race: each CPU, interrupts on, does rounds=<n> (default 3000)
 *     random operations: commands on the same device and events 0-7 (MAPD,
 *     MAPTI, MAPI, DISCARD, MOVI, MOVALL, INT, CLEAR, INV, INVALL, SYNC,
 *     MAPC, garbage) written into the shared queue while the other CPU moves
 *     CWRITER; CWRITER moved, CREADR polled; GITS_CTLR off, GITS_CBASER to
 *     the other queue page, on again (and CBASER written while on); LPIs
 *     enabled and disabled and PROPBASER rewritten at its own and the other
 *     CPU's redistributor; SETLPIR/CLRLPIR/INVALLR; its own doorbell rung
 *     (MSI-X to the vITS), the MSI-X vector masked and unmasked. The root
 *     rings its doorbells meanwhile (tests/qemu/65-vits-race.sh);
 *     mask=<bits> limits the operations to those kinds (bit n: case n of
 *     race_op(); default all 16);
 *  3. settle=<s> (default 3) seconds for the root to stop ringing, then a
 *     clean sequence from scratch: LPIs on, the queue, MAPD off and on,
 *     MAPC for both CPUs, 16 events MAPTI'd to fresh LPIs alternating
 *     between the CPUs, one INT each, waited for: each must arrive once, on
 *     the CPU its collection names; then 8 doorbells of its own, each
 *     waited for as LPI 8300.
 *
 * Output: "vits-race: race done: ...", "vits-race: final: commands done",
 * "vits-race: final: 16 of 16 INTs arrived on their CPUs, 0 elsewhere, 0
 * twice", "vits-race: final: 8 of 8 doorbells as LPI 8300",
 * "vits-race: done".
 */
#include <inmate.h>
#include <warden/ivshmem.h>

#define GITS_CTLR	0x0000
#define GITS_IIDR	0x0004
#define GITS_TYPER	0x0008
#define GITS_CBASER	0x0080
#define GITS_CWRITER	0x0088
#define GITS_CREADR	0x0090
#define GICR_CTLR	0x0000
#define GICR_SETLPIR	0x0040
#define GICR_CLRLPIR	0x0048
#define GICR_PROPBASER	0x0070
#define GICR_PENDBASER	0x0078
#define GICR_INVALLR	0x00b0
#define GICD_TYPER	0x0004
#define GITS_TRANSLATER	0x10040

#define RACE_LPI	8224		/* events 0-7 in the race */
#define FINAL_EVENT	16
#define FINAL_LPI	8256		/* events 16-31 at the end */
#define NUM_FINAL	16
#define DOORBELL_EVENT	2
#define DOORBELL_LPI	8300
#define NUM_DOORBELLS	8
#define COUNTED		128		/* LPIs 8192..8319 counted one by one */
#define PROP_BITS	14
#define BAR0		0x70000000
#define BAR1		0x70010000
#define WAIT_US		1000000

/* Two queue pages, the property and the pending table above the image's 64 KiB. */
#define queue_a		((u64 *)(uintptr_t)(INMATE_LOAD_ADDR + 0x10000))
#define queue_b		((u64 *)(uintptr_t)(INMATE_LOAD_ADDR + 0x11000))
#define prop		((u8 *)(uintptr_t)(INMATE_LOAD_ADDR + 0x12000))
#define pend		(INMATE_LOAD_ADDR + 0x18000)
#define PROP_SIZE	((1 << PROP_BITS) - 8192)

static u64 its, gicd;
static struct ivshmem dev;
static volatile u64 rd[2], proc_num[2];
static volatile u64 *volatile cur_queue;
static volatile unsigned int count[2][COUNTED], stray[2];
static volatile unsigned int ops[2], cmds_written[2], rung[2];
static volatile bool up[2], go, done[2], quit;
static unsigned int slot;
static u64 op_mask = 0xffff;	/* which of race_op's 16 kinds run (mask=) */

static void lpi_irq(unsigned int intid, u64 entry_ticks)
{
	unsigned int cpu = this_cpu_index() & 1;

	(void)entry_ticks;
	if (intid >= 8192 && intid < 8192 + COUNTED)
		count[cpu][intid - 8192]++;
	else
		stray[cpu]++;
}

static u32 seed[2] = { 0x1234567, 0x89abcde };

static u64 rnd(unsigned int cpu)
{
	u64 hi;

	seed[cpu] = seed[cpu] * 1103515245 + 12345;
	hi = seed[cpu];
	seed[cpu] = seed[cpu] * 1103515245 + 12345;
	return hi << 32 | seed[cpu];
}

static void lpis_on(unsigned int cpu)
{
	mmio_write32(rd[cpu] + GICR_CTLR, 0);
	mmio_write64(rd[cpu] + GICR_PROPBASER, (u64)(uintptr_t)prop | (PROP_BITS - 1));
	mmio_write64(rd[cpu] + GICR_PENDBASER, pend + cpu * 0x2000);
	mmio_write32(rd[cpu] + GICR_CTLR, 1);
}

/* ---- the race ---- */

static void put(unsigned int cpu, unsigned int s, u64 a, u64 b, u64 c, u64 d)
{
	volatile u64 *q = cur_queue + (s % 128) * 4;

	q[0] = a;
	q[1] = b;
	q[2] = c;
	q[3] = d;
	cmds_written[cpu]++;
}

/* One command on the shared device and events 0-7, or garbage. */
static void random_command(unsigned int cpu, unsigned int s)
{
	u64 r = rnd(cpu), devid = (u64)dev.bdf << 32;
	u32 ev = r % 8, icid = (r >> 3) % 3;	/* collection 2 does not exist */
	u64 rdn = proc_num[(r >> 5) & 1], rdm = proc_num[(r >> 6) & 1];

	switch ((r >> 8) % 14) {
	case 0: put(cpu, s, 0x08 | devid, 3, (r >> 12) % 8 ? 1ULL << 63 : 0, 0); break;
	case 1: put(cpu, s, 0x0a | devid, ev | (u64)(RACE_LPI + ev) << 32, icid, 0); break;
	case 2: put(cpu, s, 0x0b | devid, ev, icid, 0); break;			/* MAPI */
	case 3: put(cpu, s, 0x0f | devid, ev, 0, 0); break;			/* DISCARD */
	case 4: put(cpu, s, 0x01 | devid, ev, icid, 0); break;			/* MOVI */
	case 5: put(cpu, s, 0x0e, 0, rdn << 16, rdm << 16); break;		/* MOVALL */
	case 6: put(cpu, s, 0x03 | devid, ev, 0, 0); break;			/* INT */
	case 7: put(cpu, s, 0x04 | devid, ev, 0, 0); break;			/* CLEAR */
	case 8: put(cpu, s, 0x0c | devid, ev, 0, 0); break;			/* INV */
	case 9: put(cpu, s, 0x0d, 0, icid, 0); break;				/* INVALL */
	case 10: put(cpu, s, 0x05, 0, rdn << 16, 0); break;			/* SYNC */
	case 11: put(cpu, s, 0x09, 0, 1ULL << 63 | rdn << 16 | (icid & 1), 0); break; /* MAPC */
	default: put(cpu, s, rnd(cpu), rnd(cpu), rnd(cpu), rnd(cpu)); break;
	}
}

static void race_op(unsigned int cpu)
{
	u64 r = rnd(cpu);
	unsigned int s = (r >> 8) % 128, other = (r >> 16) & 1;
	u64 q;

	if (!(op_mask >> (r % 16) & 1)) {
		ops[cpu]++;
		return;
	}
	switch (r % 16) {
	case 0: case 1: case 2: case 3:
		random_command(cpu, s);
		dsb(sy);
		mmio_write64(its + GITS_CWRITER, ((s + 1) % 128) * 32);
		break;
	case 4:
		mmio_write32(its + GITS_CWRITER, s * 32);	/* the low half */
		break;
	case 5:
		(void)mmio_read64(its + GITS_CREADR);
		(void)mmio_read32(its + GITS_CTLR);
		break;
	case 6:
		q = (r >> 20) & 1 ? (u64)(uintptr_t)queue_b : (u64)(uintptr_t)queue_a;
		if ((r >> 21) % 8 == 0) {	/* while enabled: ignored */
			mmio_write64(its + GITS_CBASER, 1ULL << 63 | q);
			break;
		}
		mmio_write32(its + GITS_CTLR, 0);
		if ((r >> 24) & 1) {		/* in halves */
			mmio_write32(its + GITS_CBASER, (u32)q);
			mmio_write32(its + GITS_CBASER + 4, 1U << 31);
		} else {
			mmio_write64(its + GITS_CBASER, 1ULL << 63 | q);
		}
		cur_queue = (volatile u64 *)(uintptr_t)q;
		mmio_write32(its + GITS_CTLR, 1);
		break;
	case 7:
		mmio_write32(rd[other] + GICR_CTLR, (r >> 20) & 1);
		break;
	case 8:
		mmio_write64(rd[other] + GICR_PROPBASER, (u64)(uintptr_t)prop | (PROP_BITS - 1));
		break;
	case 9:
		mmio_write32(rd[other] + ((r >> 20) & 1 ? GICR_SETLPIR : GICR_CLRLPIR),
			     RACE_LPI + (r >> 24) % 8);
		break;
	case 10:
		mmio_write32(rd[other] + GICR_INVALLR, 0);
		break;
	case 11: case 12:
		ivshmem_ring(&dev, dev.id, 0);
		rung[cpu]++;
		break;
	case 13:
		(void)mmio_read64(its + GITS_TYPER);
		(void)mmio_read32(its + GITS_IIDR);
		(void)mmio_read32(gicd + GICD_TYPER);
		break;
	case 14:
		mmio_write32(BAR1 + 12, (r >> 20) & 1);		/* vector 0 masked or not */
		break;
	default:
		(void)mmio_read32(rd[other] + GICR_CTLR);
		break;
	}
	ops[cpu]++;
}

static void race(unsigned int cpu, u64 rounds)
{
	u64 n;

	irq_enable();
	for (n = 0; n < rounds; n++)
		race_op(cpu);
	mmio_write32(BAR1 + 12, 0);
	done[cpu] = true;
}

static void secondary(unsigned int index)
{
	(void)index;
	rd[1] = gic_redist_base();
	proc_num[1] = mmio_read64(rd[1] + 0x8) >> 8 & 0xffff;
	up[1] = true;
	while (!go)
		;
	race(1, cmdline_get_u64("rounds", 3000));
	/* The final sequence's LPIs for this CPU arrive here. */
	while (!quit)
		wfi();
	irq_disable();
}

/* ---- the final sequence ---- */

static void send(u64 a, u64 b, u64 c, u64 d)
{
	u64 *s = &queue_a[slot * 4];

	s[0] = a;
	s[1] = b;
	s[2] = c;
	s[3] = d;
	slot = (slot + 1) % 128;
	dsb(sy);
	mmio_write64(its + GITS_CWRITER, slot * 32);
}

static bool drained(void)
{
	u64 t0 = timer_ticks();

	while ((mmio_read64(its + GITS_CREADR) & 0xfffe0) != slot * 32ULL)
		if (timer_ticks() - t0 > us_to_ticks(WAIT_US))
			return false;
	return true;
}

static bool wait_count(unsigned int cpu, unsigned int lpi, unsigned int want)
{
	u64 t0 = timer_ticks();

	while (count[cpu][lpi - 8192] < want)
		if (timer_ticks() - t0 > us_to_ticks(WAIT_US))
			return false;
	return true;
}

static void final(void)
{
	u64 devid = (u64)dev.bdf << 32;
	static unsigned int base[2][COUNTED];
	unsigned int n, ok = 0, elsewhere = 0, twice = 0, bells = 0;

	irq_disable();
	mmio_write32(its + GITS_CTLR, 0);
	lpis_on(0);
	lpis_on(1);
	mmio_write64(its + GITS_CBASER, 1ULL << 63 | (u64)(uintptr_t)queue_a);
	mmio_write32(its + GITS_CTLR, 1);
	slot = 0;
	send(0x08 | devid, 0, 0, 0);			/* MAPD V=0: the race's mappings go */
	send(0x08 | devid, 4, 1ULL << 63, 0);		/* MAPD V=1, 32 events */
	send(0x09, 0, 1ULL << 63 | proc_num[0] << 16 | 0, 0);
	send(0x09, 0, 1ULL << 63 | proc_num[1] << 16 | 1, 0);
	for (n = 0; n < NUM_FINAL; n++)
		send(0x0a | devid, (FINAL_EVENT + n) | (u64)(FINAL_LPI + n) << 32, n & 1, 0);
	send(0x0a | devid, DOORBELL_EVENT | (u64)DOORBELL_LPI << 32, 0, 0);
	send(0x05, 0, proc_num[0] << 16, 0);
	send(0x05, 0, proc_num[1] << 16, 0);
	printk("vits-race: final: commands %s\n", drained() ? "done" : "stuck");
	irq_enable();
	delay_us(100000);
	for (n = 0; n < COUNTED; n++) {
		base[0][n] = count[0][n];
		base[1][n] = count[1][n];
	}
	for (n = 0; n < NUM_FINAL; n++) {
		unsigned int lpi = FINAL_LPI + n, cpu = n & 1;

		send(0x03 | devid, FINAL_EVENT + n, 0, 0);
		if (wait_count(cpu, lpi, base[cpu][lpi - 8192] + 1))
			ok++;
	}
	delay_us(100000);
	for (n = 0; n < NUM_FINAL; n++) {
		unsigned int i = FINAL_LPI + n - 8192, cpu = n & 1;

		elsewhere += count[!cpu][i] - base[!cpu][i];
		twice += count[cpu][i] - base[cpu][i] > 1;
	}
	printk("vits-race: final: %u of %u INTs arrived on their CPUs, %u elsewhere, %u twice\n",
	       ok, NUM_FINAL, elsewhere, twice);
	for (n = 0; n < NUM_DOORBELLS; n++) {
		unsigned int have = count[0][DOORBELL_LPI - 8192];

		ivshmem_ring(&dev, dev.id, 0);
		if (wait_count(0, DOORBELL_LPI, have + 1))
			bells++;
	}
	printk("vits-race: final: %u of %u doorbells as LPI %u\n", bells, NUM_DOORBELLS,
	       DOORBELL_LPI);
}

int main(void)
{
	u64 mpidr2 = this_mpidr() + 1, rounds, t0;
	u32 typer;
	unsigned int n, taken[2];
	int cap;

	its = cmdline_get_u64("its", 0x08080000);
	gicd = comm_gicd_base() ? comm_gicd_base() : 0x08000000;
	typer = mmio_read32(gicd + GICD_TYPER);
	printk("vits-race: GICD_TYPER 0x%08x LPIS %u IDbits %u\n", typer, typer >> 17 & 1,
	       typer >> 19 & 0x1f);
	if (cmdline_has("typer"))
		return 0;

	rounds = cmdline_get_u64("rounds", 3000);
	op_mask = cmdline_get_u64("mask", 0xffff);
	irq_set_handler(lpi_irq);
	for (n = 0; n < PROP_SIZE; n++)
		prop[n] = 0xa0 | 1;		/* priority 0xa0, enabled */
	dsb(sy);
	if (ivshmem_open(&dev, 0, BAR0)) {
		printk("vits-race: no ivshmem device\n");
		return 0;
	}
	rd[0] = gic_redist_base();
	proc_num[0] = mmio_read64(rd[0] + 0x8) >> 8 & 0xffff;
	if (psci_call(PSCI_AFFINITY_INFO_64, mpidr2, 0, 0) != PSCI_AFF_OFF ||
	    smp_start_cpu(mpidr2, 1, secondary) != PSCI_SUCCESS) {
		printk("vits-race: no second CPU\n");
		return 0;
	}
	t0 = timer_ticks();
	while (!up[1] && timer_ticks() - t0 < us_to_ticks(WAIT_US))
		;
	if (!up[1]) {
		printk("vits-race: the second CPU did not come up\n");
		return 0;
	}
	lpis_on(0);
	lpis_on(1);
	cur_queue = queue_a;
	mmio_write32(its + GITS_CTLR, 0);
	mmio_write64(its + GITS_CBASER, 1ULL << 63 | (u64)(uintptr_t)queue_a);
	mmio_write32(its + GITS_CTLR, 1);
	/* MSI-X vector 0: the vITS's translater, event 2. */
	cap = pci_find_cap(dev.bdf, 0x11);
	if (cap < 0) {
		printk("vits-race: the ivshmem device has no MSI-X\n");
		return 0;
	}
	pci_cfg_write(dev.bdf, 0x14, BAR1, 4);
	mmio_write32(BAR1 + 0, (u32)(its + GITS_TRANSLATER));
	mmio_write32(BAR1 + 4, (u32)((its + GITS_TRANSLATER) >> 32));
	mmio_write32(BAR1 + 8, DOORBELL_EVENT);
	mmio_write32(BAR1 + 12, 0);
	pci_cfg_write(dev.bdf, cap + 2, 0x8000, 2);
	mmio_write32(dev.regs + WD_IVSHMEM_REG_INT_CTRL, 1);
	ivshmem_set_state(&dev, 1);

	printk("vits-race: racing on 2 CPUs, %llu rounds each\n", rounds);
	go = true;
	race(0, rounds);
	t0 = timer_ticks();
	while (!done[1] && timer_ticks() - t0 < us_to_ticks(60 * WAIT_US))
		;
	irq_disable();
	for (n = 0, taken[0] = stray[0], taken[1] = stray[1]; n < COUNTED; n++) {
		taken[0] += count[0][n];
		taken[1] += count[1][n];
	}
	printk("vits-race: race done: %s, %u+%u operations, %u commands written, %u+%u LPIs taken, %u doorbells rung\n",
	       done[1] ? "both CPUs finished" : "the second CPU is stuck", ops[0], ops[1],
	       cmds_written[0] + cmds_written[1], taken[0], taken[1], rung[0] + rung[1]);
	t0 = timer_ticks();
	while (timer_ticks() - t0 < us_to_ticks(cmdline_get_u64("settle", 3) * 1000000))
		;
	final();
	quit = true;
	printk("vits-race: done\n");
	return 0;
}
