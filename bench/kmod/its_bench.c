// SPDX-License-Identifier: GPL-2.0
/*
 * its_bench: what one GICv3 ITS command and one MSI-style LPI cost the root,
 * in counter ticks (CNTVCT; under -icount shift=0 at 62.5 MHz one tick is 16
 * instructions). Benchmark only (bench/its.sh), loaded with the Linux IRQ
 * number of an LPI the ITS delivers (a virtio-pci device's MSI-X vector):
 *
 *   insmod its_bench.ko irq=N [count=100]
 *
 * On the CPU the LPI is routed to, count times:
 *  - command: irq_set_irqchip_state(PENDING, false) with interrupts masked,
 *    which the ITS driver issues as CLEAR + SYNC on its command queue and
 *    waits for (CWRITER written, CREADR polled): under Warden each command
 *    goes through the hypervisor's shadow queue (copied, checked, re-encoded);
 *  - round trip: irq_set_irqchip_state(PENDING, true) (INT + SYNC), then
 *    wait with interrupts on until the LPI's handler has run on this CPU (its
 *    count moved): command, delivery (under Warden: the exit to EL2 and the
 *    injection as a virtual interrupt) and the handler, back here.
 * Prints "its-bench: command ..." and "its-bench: roundtrip ..." lines (n,
 * min, median, max in ticks) and the module stays loaded (rmmod it).
 */
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/module.h>
#include <linux/sort.h>
#include <linux/version.h>
#include <linux/workqueue.h>
#include <linux/delay.h>
#include <asm/arch_timer.h>

#define MAX_COUNT 1000

static int irq = -1;
module_param(irq, int, 0444);
static int count = 100;
module_param(count, int, 0444);

static u64 *cmd_ticks, *rt_ticks;

static unsigned int lpi_count(struct irq_desc *desc, int cpu)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	return READ_ONCE(per_cpu_ptr(desc->kstat_irqs, cpu)->cnt);
#else
	return READ_ONCE(*per_cpu_ptr(desc->kstat_irqs, cpu));
#endif
}

static long its_bench_run(void *arg)
{
	struct irq_desc *desc = arg;
	int cpu = smp_processor_id(), i, err;
	unsigned long flags;

	for (i = 0; i < count; i++) {
		unsigned int before;
		u64 t0, t1;

		local_irq_save(flags);
		t0 = __arch_counter_get_cntvct();
		err = irq_set_irqchip_state(irq, IRQCHIP_STATE_PENDING, false);
		t1 = __arch_counter_get_cntvct();
		local_irq_restore(flags);
		if (err)
			return err;
		cmd_ticks[i] = t1 - t0;

		before = lpi_count(desc, cpu);
		t0 = __arch_counter_get_cntvct();
		err = irq_set_irqchip_state(irq, IRQCHIP_STATE_PENDING, true);
		if (err)
			return err;
		while (lpi_count(desc, cpu) == before) {
			if (__arch_counter_get_cntvct() - t0 > arch_timer_get_cntfrq() / 10)
				return -ETIMEDOUT;	/* 100 ms: never came here */
			cpu_relax();
		}
		t1 = __arch_counter_get_cntvct();
		rt_ticks[i] = t1 - t0;
		udelay(50);
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, u64 *v)
{
	sort(v, count, sizeof(*v), cmp_u64, NULL);
	pr_info("its-bench: %s n=%d min=%llu median=%llu max=%llu freq=%u\n", what, count,
		v[0], v[count / 2], v[count - 1], arch_timer_get_cntfrq());
}

static int __init its_bench_init(void)
{
	struct irq_data *d = irq_get_irq_data(irq);
	struct irq_desc *desc;
	long err;
	int cpu;

	if (!d || count < 1 || count > MAX_COUNT) {
		pr_err("its-bench: irq=%d is no interrupt, or count=%d is not 1..%d\n",
		       irq, count, MAX_COUNT);
		return -EINVAL;
	}
	desc = container_of(d, struct irq_desc, irq_data);
	cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));
	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		cpu = cpumask_first(irq_data_get_affinity_mask(d));
	if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
		pr_err("its-bench: irq %d is routed to no online CPU\n", irq);
		return -EINVAL;
	}
	cmd_ticks = kcalloc(count, sizeof(u64), GFP_KERNEL);
	rt_ticks = kcalloc(count, sizeof(u64), GFP_KERNEL);
	if (!cmd_ticks || !rt_ticks) {
		kfree(cmd_ticks);
		kfree(rt_ticks);
		return -ENOMEM;
	}
	err = work_on_cpu(cpu, its_bench_run, desc);
	if (err) {
		pr_err("its-bench: irq %d on CPU %d: error %ld\n", irq, cpu, err);
	} else {
		pr_info("its-bench: irq %d (hwirq %lu) on CPU %d\n", irq, d->hwirq, cpu);
		report("command", cmd_ticks);
		report("roundtrip", rt_ticks);
	}
	kfree(cmd_ticks);
	kfree(rt_ticks);
	return err;
}

static void __exit its_bench_exit(void)
{
}

module_init(its_bench_init);
module_exit(its_bench_exit);
MODULE_DESCRIPTION("Benchmark: GICv3 ITS command and LPI round trip in counter ticks");
MODULE_LICENSE("GPL");
