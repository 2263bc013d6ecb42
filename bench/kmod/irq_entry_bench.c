// SPDX-License-Identifier: GPL-2.0
/*
 * irq_entry_bench: Linux's own share of the cell -> root doorbell latency
 * (bench/ivshmem.sh), measured without the hypervisor on the same board and
 * kernel. The doorbell's last step in the root is Linux's: a shared
 * peripheral interrupt becomes pending for an idle CPU, which wakes from its
 * idle loop, takes the IRQ exception and runs the GIC driver and the generic
 * IRQ layer up to the device's handler, whose first act is to read the
 * virtual counter (as uio_ivshmem's handler does). This module builds the
 * same situation bare:
 *
 *   insmod irq_entry_bench.ko [spi=168] [count=100] [from=1] [to=0] [gap=2000]
 *
 * maps SPI @spi of the board's GIC (an unused one: on QEMU virt, INTIDs
 * 128 and up have no device), routes it to CPU @to (idle), and on CPU @from,
 * count times, @gap microseconds apart (sleeping: the doorbell benchmark's
 * pace, so that the idle CPU is in the same idle state), with interrupts
 * masked: reads CNTVCT, makes the SPI pending
 * with one store to GICD_ISPENDR (the same register the hypervisor's
 * doorbell writes), and waits in WFI, as the doorbell benchmark's sender does
 * (under -icount QEMU then runs the other CPUs round robin). The handler on
 * CPU @to reads CNTVCT first. Each sample is the difference: the store, the
 * target CPU's way out of its idle loop, the exception entry, the GIC
 * driver's acknowledge and the generic layer, in counter ticks (16
 * instructions under -icount shift=0 at 62.5 MHz). Prints
 * "irq-entry-bench: latency n=.. min=.. median=.. avg=.. max=.. freq=.."
 * in nanoseconds (instructions under -icount shift=0) and the samples; the
 * module keeps nothing (the SPI is freed) and is removed with rmmod. A
 * failed measurement fails the load. Benchmark only, never
 * shipped; for a board with Warden enabled it measures something else (the
 * root's distributor writes are trapped), so bench/ivshmem-guest.sh runs it
 * before "warden enable".
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/workqueue.h>
#include <asm/arch_timer.h>

#define MAX_COUNT	1000
#define GICD_ISPENDR	0x200

static int spi = 168;
module_param(spi, int, 0444);
static int count = 100;
module_param(count, int, 0444);
static int from = 1;
module_param(from, int, 0444);
static int to;
module_param(to, int, 0444);
static int gap = 2000;
module_param(gap, int, 0444);

static void __iomem *gicd;
static u64 *samples;
static u64 stamp;		/* CNTVCT on entry to the handler */
static unsigned int handled;

static irqreturn_t entry_handler(int irq, void *arg)
{
	WRITE_ONCE(stamp, __arch_counter_get_cntvct());
	WRITE_ONCE(handled, handled + 1);
	return IRQ_HANDLED;
}

static long run(void *arg)
{
	u32 intid = spi + 32;
	void __iomem *reg = gicd + GICD_ISPENDR + (intid / 32) * 4;
	u64 t0, limit = arch_timer_get_cntfrq() / 10;
	int i;

	for (i = 0; i < count; i++) {
		unsigned int before = READ_ONCE(handled);

		usleep_range(gap, gap);
		local_irq_disable();
		t0 = __arch_counter_get_cntvct();
		writel_relaxed(BIT(intid % 32), reg);
		/* Give the CPU up as the doorbell's sender does. */
		asm volatile("wfi" ::: "memory");
		local_irq_enable();
		while (READ_ONCE(handled) == before) {
			if (__arch_counter_get_cntvct() - t0 > limit)
				return -ETIMEDOUT;	/* 100 ms: it never came */
			cpu_relax();
		}
		samples[i] = READ_ONCE(stamp) - t0;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static struct device_node *find_gic(void)
{
	static const char *const compat[] = { "arm,gic-v3", "arm,cortex-a15-gic", "arm,gic-400" };
	struct device_node *np;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(compat); i++) {
		np = of_find_compatible_node(NULL, NULL, compat[i]);
		if (np)
			return np;
	}
	return NULL;
}

static void report(void)
{
	u64 freq = arch_timer_get_cntfrq(), sum = 0;
	int i, j;
	char line[160];

	for (i = 0; i < count; i++) {
		samples[i] = samples[i] * 1000000000ULL / freq;
		sum += samples[i];
	}
	pr_info("irq-entry-bench: spi %d from CPU %d to CPU %d\n", spi, from, to);
	for (i = 0; i < count; i += 16) {
		int len = 0;

		for (j = i; j < count && j < i + 16; j++)
			len += scnprintf(line + len, sizeof(line) - len, " %llu", samples[j]);
		pr_info("irq-entry-bench: samples%s\n", line);
	}
	sort(samples, count, sizeof(*samples), cmp_u64, NULL);
	pr_info("irq-entry-bench: latency n=%d min=%llu median=%llu avg=%llu max=%llu freq=%llu\n",
		count, samples[0], samples[count / 2], sum / count, samples[count - 1], freq);
}

static int __init irq_entry_bench_init(void)
{
	struct of_phandle_args args = { .args_count = 3 };
	unsigned int irq;
	long err;

	if (count < 1 || count > MAX_COUNT || spi < 0 || spi > 987 || from == to || gap < 1 ||
	    from < 0 || to < 0 || from >= nr_cpu_ids || to >= nr_cpu_ids ||
	    !cpu_online(from) || !cpu_online(to)) {
		pr_err("irq-entry-bench: count 1..%d, spi 0..987, gap >= 1, two different online CPUs wanted\n",
		       MAX_COUNT);
		return -EINVAL;
	}
	args.np = find_gic();
	if (!args.np) {
		pr_err("irq-entry-bench: no GIC in the device tree\n");
		return -ENODEV;
	}
	gicd = of_iomap(args.np, 0);
	args.args[0] = 0;			/* GIC_SPI */
	args.args[1] = spi;
	args.args[2] = IRQ_TYPE_EDGE_RISING;
	irq = gicd ? irq_create_of_mapping(&args) : 0;
	of_node_put(args.np);
	if (!irq) {
		pr_err("irq-entry-bench: cannot map the distributor or SPI %d\n", spi);
		err = -ENODEV;
		goto out_unmap;
	}
	samples = kcalloc(count, sizeof(*samples), GFP_KERNEL);
	err = samples ? request_irq(irq, entry_handler, 0, "irq-entry-bench", NULL) : -ENOMEM;
	if (err)
		goto out_dispose;
	err = irq_set_affinity(irq, cpumask_of(to));
	if (!err)
		err = work_on_cpu(from, run, NULL);
	free_irq(irq, NULL);
	if (err)
		pr_err("irq-entry-bench: SPI %d to CPU %d: error %ld\n", spi, to, err);
	else
		report();
out_dispose:
	kfree(samples);
	irq_dispose_mapping(irq);
out_unmap:
	if (gicd)
		iounmap(gicd);
	return err;
}

static void __exit irq_entry_bench_exit(void)
{
}

module_init(irq_entry_bench_init);
module_exit(irq_entry_bench_exit);
MODULE_DESCRIPTION("Benchmark: Linux's IRQ entry from a pending SPI to the handler, bare");
MODULE_LICENSE("GPL");
