/* SPDX-License-Identifier: GPL-2.0 */
/*
 * smp-demo: the first CPU starts the cell's other CPUs with PSCI CPU_ON; each
 * reports in, then gets an SGI from the first CPU and reports that too. One
 * CPU prints at a time (the first waits for each report before it goes on),
 * so no lock is needed.
 *
 * Which CPUs: cpus=<mpidr>,<mpidr>,... (affinity values as PSCI takes them,
 * e.g. cpus=0x3), else probing: Aff0 = own Aff0 + 1, + 2, ... as long as
 * PSCI AFFINITY_INFO says "off" (a cell's CPUs are consecutive in the QEMU
 * configurations; a CPU outside the cell gives INVALID_PARAMETERS).
 *
 * Command line:
 *   cpus=<list>   as above
 *   sgi=0         skip the SGI round trip (default 1)
 *   rounds=<n>    repeat n times (default 1); between rounds every started
 *                 CPU turns itself off (PSCI CPU_OFF) and the first CPU waits
 *                 until AFFINITY_INFO says so, then starts them again. After
 *                 the last round they stay on, idle.
 *
 * Output (first CPU 0x2, one more CPU 0x3):
 *   smp-demo: start on CPU 0x2, PSCI version 1.0
 *   smp-demo: probe: CPU 0x4: AFFINITY_INFO -2 (INVALID_PARAMETERS): not ours
 *   smp-demo: round 1 of 2                       (only with rounds > 1)
 *   smp-demo: starting CPU 0x3
 *   smp-demo: CPU 0x3 up
 *   smp-demo: CPU 0x3 got SGI 1
 *   smp-demo: all 2 CPUs up
 *   smp-demo: CPU 0x3 off                        (between rounds)
 *   smp-demo: done
 */
#include <inmate.h>

#define DEMO_SGI	1
#define WAIT_US		2000000

static u64 mpidrs[INMATE_MAX_CPUS];
static unsigned int ncpus;		/* including the first */
static volatile bool up[INMATE_MAX_CPUS];
static volatile bool got_sgi[INMATE_MAX_CPUS];
static volatile bool reported[INMATE_MAX_CPUS];
static volatile bool stay_on;
static bool use_sgi;

static void sgi_irq(unsigned int intid, u64 entry_ticks)
{
	(void)entry_ticks;
	if (intid == DEMO_SGI)
		got_sgi[this_cpu_index()] = true;
}

static void secondary(unsigned int index)
{
	u64 t0;

	if (use_sgi)
		gic_enable_ppi(DEMO_SGI, 0x80);
	printk("smp-demo: CPU 0x%llx up\n", this_mpidr());
	up[index] = true;

	if (use_sgi) {
		t0 = timer_ticks();
		irq_enable();
		while (!got_sgi[index] && timer_ticks() - t0 < us_to_ticks(WAIT_US))
			delay_us(1000);
		irq_disable();
		if (got_sgi[index])
			printk("smp-demo: CPU 0x%llx got SGI %u\n", this_mpidr(), DEMO_SGI);
		else
			printk("smp-demo: CPU 0x%llx: no SGI within %u ms\n",
			       this_mpidr(), WAIT_US / 1000);
	}
	reported[index] = true;

	if (stay_on) {
		irq_enable();
		for (;;)
			wfi();
	}
	/* Returning turns this CPU off (PSCI CPU_OFF). */
}

/* Poll @flag for up to WAIT_US, sleeping 1 ms at a time. */
static bool wait_for(volatile bool *flag)
{
	u64 t0 = timer_ticks();

	while (!*flag) {
		if (timer_ticks() - t0 >= us_to_ticks(WAIT_US))
			return false;
		sleep_us(1000);
	}
	return true;
}

static void parse_cpus(void)
{
	char buf[128];
	const char *p = cmdline_get("cpus", NULL, buf, sizeof(buf));

	ncpus = 1;
	mpidrs[0] = this_mpidr();
	while (p && *p && ncpus < INMATE_MAX_CPUS) {
		u64 v;

		if (!parse_u64(p, &p, &v)) {
			printk("smp-demo: bad cpus= list at \"%s\"\n", p);
			break;
		}
		if ((v & MPIDR_AFF_MASK) != mpidrs[0])
			mpidrs[ncpus++] = v & MPIDR_AFF_MASK;
		if (*p == ',')
			p++;
	}
}

/* Start image CPU @i (mpidrs[i]) and wait for its reports. */
static bool start_one(unsigned int i)
{
	long ret;

	up[i] = got_sgi[i] = reported[i] = false;
	printk("smp-demo: starting CPU 0x%llx\n", mpidrs[i]);
	ret = smp_start_cpu(mpidrs[i], i, secondary);
	if (ret != PSCI_SUCCESS) {
		printk("smp-demo: CPU_ON 0x%llx failed: %ld %s\n",
		       mpidrs[i], ret, psci_strerror(ret));
		return false;
	}
	if (!wait_for(&up[i])) {
		printk("smp-demo: CPU 0x%llx did not come up\n", mpidrs[i]);
		return false;
	}
	if (use_sgi)
		gic_send_sgi(mpidrs[i], DEMO_SGI);
	if (!wait_for(&reported[i])) {
		printk("smp-demo: CPU 0x%llx did not report back\n", mpidrs[i]);
		return false;
	}
	return true;
}

/*
 * Probe for the cell's further CPUs: Aff0 + 1, + 2, ... as long as
 * AFFINITY_INFO knows the CPU and says it is off (a CPU outside the cell is
 * INVALID_PARAMETERS), asking before CPU_ON so that nothing is started
 * that is not ours to start.
 */
static void probe_cpus(void)
{
	while (ncpus < INMATE_MAX_CPUS) {
		u64 mpidr = mpidrs[0] + ncpus;
		long st = psci_call(PSCI_AFFINITY_INFO_64, mpidr, 0, 0);

		if (st != PSCI_AFF_OFF) {
			printk("smp-demo: probe: CPU 0x%llx: AFFINITY_INFO %ld (%s): not ours\n",
			       mpidr, st, st < 0 ? psci_strerror(st) :
			       st == PSCI_AFF_ON ? "on" : "on pending");
			break;
		}
		mpidrs[ncpus++] = mpidr;
	}
}

/* Wait until AFFINITY_INFO reports CPU @i off. */
static void wait_off(unsigned int i)
{
	u64 t0 = timer_ticks();
	long st;

	while ((st = psci_call(PSCI_AFFINITY_INFO_64, mpidrs[i], 0, 0)) != PSCI_AFF_OFF) {
		if (timer_ticks() - t0 >= us_to_ticks(WAIT_US)) {
			printk("smp-demo: CPU 0x%llx still not off (AFFINITY_INFO %ld)\n",
			       mpidrs[i], st);
			return;
		}
		sleep_us(1000);
	}
	printk("smp-demo: CPU 0x%llx off\n", mpidrs[i]);
}

int main(void)
{
	u64 rounds = cmdline_get_u64("rounds", 1), r;
	long ver;
	unsigned int i, started;

	use_sgi = cmdline_get_u64("sgi", 1) != 0;
	if (!rounds)
		rounds = 1;
	irq_set_handler(sgi_irq);
	ver = psci_call(PSCI_VERSION, 0, 0, 0);
	printk("smp-demo: start on CPU 0x%llx, PSCI version %ld.%ld\n",
	       this_mpidr(), ver >> 16, ver & 0xffff);

	parse_cpus();
	if (ncpus == 1)
		probe_cpus();

	for (r = 1; r <= rounds; r++) {
		stay_on = r == rounds;
		if (rounds > 1)
			printk("smp-demo: round %llu of %llu\n", r, rounds);
		started = 1;
		for (i = 1; i < ncpus; i++)
			if (start_one(i))
				started++;
		printk("smp-demo: all %u CPUs up\n", started);
		if (!stay_on)
			for (i = 1; i < ncpus; i++)
				wait_off(i);
	}
	printk("smp-demo: done\n");
	return 0;
}
