/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivshmem-bench: doorbell-to-interrupt latency between two cells on an
 * ivshmem link (bench/ivshmem.sh, under QEMU's -icount shift=0,sleep=off:
 * one nanosecond of virtual time per guest instruction, so the figures are
 * instruction counts of the whole machine).
 *
 * role=send: count=<n> times: wait gap=<us> (default 2000; the receiver is
 * idle in WFI meanwhile, as a real peer would be), write the counter value
 * into the first 8 bytes of the own output section, ring the doorbell of
 * peer=<id> (default: the other one of a 2-peer link, else 1) and wait for
 * the receiver's acknowledgement (its output section's word 2 = sequence).
 * role=recv: on each interrupt, latency = the counter read on entry to the
 * IRQ vector minus the sender's value (the sender is peer=<id>, default the
 * lower of the other peers); then acknowledge. After count=<n> samples:
 *   ivshmem-bench: latency n=<n> min=<ns> avg=<ns> max=<ns> freq=<Hz>
 *   ivshmem-bench: samples <v> <v> ...
 * The counter ticks every 1e9/freq ns (16 on QEMU): each value is exact to
 * one tick.
 */
#include <inmate.h>
#include <warden/ivshmem.h>

#define MAX_SAMPLES	1000
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

static struct ivshmem dev;
static unsigned int peer;
static volatile u64 n, samples[MAX_SAMPLES];
static u64 count;

static void recv_irq(unsigned int intid, u64 entry_ticks)
{
	u64 sent;

	if (intid != dev.irq)
		return;
	sent = mmio_read64(dev.in + peer * dev.out_size);
	if (!sent || n >= count)
		return;
	samples[n] = entry_ticks - sent;
	n++;
	mmio_write32(dev.out + 8, (u32)n);
}

int main(void)
{
	bool send = !strcmp(cmdline_get("role", "recv", (char[8]){ 0 }, 8), "send");
	u64 gap = cmdline_get_u64("gap", 2000), i, seq, sum = 0, min = ~0ULL, max = 0;
	char line[128];
	size_t pos;

	count = MIN(cmdline_get_u64("count", 200), (u64)MAX_SAMPLES);
	if (ivshmem_open(&dev, 0, cmdline_get_u64("bar", 0xff000000)) || !dev.out_size) {
		printk("ivshmem-bench: no usable ivshmem device\n");
		inmate_exit();
	}
	peer = cmdline_get_u64("peer", dev.id == 1 ? 2 : 1);
	if (dev.peers == 2)
		peer = cmdline_get_u64("peer", 1 - dev.id);
	mmio_write64(dev.out, 0);
	mmio_write32(dev.out + 8, 0);
	if (!send) {
		irq_set_handler(recv_irq);
		ivshmem_enable_irq(&dev, false);
		irq_enable();
		ivshmem_set_state(&dev, 1);
		printk("ivshmem-bench: receiver id %u, sender %u, irq %u\n", dev.id, peer, dev.irq);
		while (n < count)
			sleep_us(10000);
		for (i = 0; i < n; i++) {
			u64 ns = ticks_to_ns(samples[i]);

			sum += ns;
			min = MIN(min, ns);
			max = MAX(max, ns);
		}
		printk("ivshmem-bench: latency n=%llu min=%llu avg=%llu max=%llu freq=%llu\n",
		       (u64)n, min, sum / n, max, timer_freq());
		for (i = 0; i < n; i += 16) {
			u64 j;

			pos = 0;
			for (j = i; j < n && j < i + 16; j++)
				pos += snprintf(line + pos, sizeof(line) - pos, " %llu",
						ticks_to_ns(samples[j]));
			printk("ivshmem-bench: samples%s\n", line);
		}
		inmate_exit();
	}
	printk("ivshmem-bench: sender id %u, receiver %u\n", dev.id, peer);
	/* Until the receiver is up. */
	while (ivshmem_peer_state(&dev, peer) != 1)
		sleep_us(1000);
	for (seq = 1; seq <= count; seq++) {
		sleep_us(gap);
		/*
		 * Ring, then idle at once (WFI, interrupts masked, the timer as
		 * the wake-up): under QEMU's round-robin vCPUs the receiver runs
		 * when this one idles, so nothing the sender would do after the
		 * doorbell is counted as latency.
		 */
		irq_disable();
		timer_arm_at(timer_ticks() + us_to_ticks(200));
		mmio_write64(dev.out, timer_ticks());
		dsb(sy);
		ivshmem_ring(&dev, peer, 0);
		wfi();
		for (i = 0; mmio_read32(dev.in + peer * dev.out_size + 8) != seq; i++) {
			if (i > 1000) {
				printk("ivshmem-bench: no acknowledgement of %llu\n", seq);
				inmate_exit();
			}
			timer_arm_at(timer_ticks() + us_to_ticks(100));
			wfi();
		}
		timer_stop();
		irq_enable();
	}
	printk("ivshmem-bench: sent %llu\n", count);
	inmate_exit();
}
