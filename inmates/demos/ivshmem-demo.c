/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivshmem-demo: one peer of an ivshmem-v2 link (the virtual PCI device the
 * cell configuration declares). It finds the device, puts its registers at
 * bar= (default 0xff000000), reads its peer id, announces itself by writing
 * state id + 1, and then every period= ms rings the doorbell of every other
 * peer (or only of target=), counting the interrupts it receives (doorbells
 * and state changes of the others). Each interrupt and each round print a
 * line with the peers' states as the state table has them.
 *
 * Command line: bar=<addr> period=<ms> (1000) rounds=<n> (0 = forever)
 * target=<peer> (all others) write=<n> (value for the first word of the own
 * output section; default: the round number) quiet (no line per interrupt).
 *
 * Output (the QEMU test reads it from the hypervisor console):
 *   ivshmem-demo: device 00:00.0 id <id> peers <n> protocol 0x0000 irq <intid>
 *   ivshmem-demo: state table 0x.. rw 0x.. (size) in 0x.. out 0x.. (size)
 *   ivshmem-demo: interrupt <count>, states <s0> <s1> ...
 *   ivshmem-demo: round <r> rang <list> received <count> states <...> in <words>
 *   ivshmem-demo: done rounds <r> rang <n> received <count>
 */
#include <inmate.h>
#include <warden/ivshmem.h>

static struct ivshmem dev;
static volatile u64 received;
static bool quiet;

static void print_states(char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int p;

	buf[0] = 0;
	for (p = 0; p < dev.peers && pos + 12 < len; p++)
		pos += snprintf(buf + pos, len - pos, " %u", ivshmem_peer_state(&dev, p));
}

static void irq(unsigned int intid, u64 entry_ticks)
{
	char states[96];

	(void)entry_ticks;
	if (intid != dev.irq)
		return;
	received++;
	if (!quiet) {
		print_states(states, sizeof(states));
		printk("ivshmem-demo: interrupt %llu, states%s\n", received, states);
	}
}

int main(void)
{
	u64 bar = cmdline_get_u64("bar", 0xff000000);
	u64 period = cmdline_get_u64("period", 1000);
	u64 rounds = cmdline_get_u64("rounds", 0), r, rang = 0;
	bool one_target = cmdline_has("target");
	u64 target = cmdline_get_u64("target", 0);
	char states[96], in[96], rung[64];
	unsigned int p;
	size_t pos;
	int err;

	quiet = cmdline_has("quiet");
	err = ivshmem_open(&dev, 0, bar);
	if (err) {
		printk("ivshmem-demo: no ivshmem device (%d), ECAM at 0x%llx\n", err,
		       pci_ecam_base());
		inmate_exit();
	}
	printk("ivshmem-demo: device %02x:%02x.%x id %u peers %u protocol 0x%04x irq %u\n",
	       dev.bdf >> 8, (dev.bdf >> 3) & 0x1f, dev.bdf & 7, dev.id, dev.peers,
	       dev.protocol, dev.irq);
	printk("ivshmem-demo: state table 0x%llx rw 0x%llx (0x%llx) in 0x%llx out 0x%llx (0x%llx)\n",
	       dev.state_table, dev.rw, dev.rw_size, dev.in, dev.out, dev.out_size);
	irq_set_handler(irq);
	ivshmem_enable_irq(&dev, false);
	irq_enable();
	ivshmem_set_state(&dev, dev.id + 1);

	for (r = 1; !rounds || r <= rounds; r++) {
		sleep_us(period * 1000);
		if (dev.out_size)
			mmio_write32(dev.out, (u32)cmdline_get_u64("write", r));
		pos = 0;
		rung[0] = 0;
		for (p = 0; p < dev.peers && pos + 8 < sizeof(rung); p++) {
			if (p == dev.id || (one_target && p != target))
				continue;
			ivshmem_ring(&dev, p, 0);
			rang++;
			pos += snprintf(rung + pos, sizeof(rung) - pos, " %u", p);
		}
		pos = 0;
		in[0] = 0;
		for (p = 0; p < dev.peers && dev.out_size && pos + 12 < sizeof(in); p++)
			pos += snprintf(in + pos, sizeof(in) - pos, " %u",
					mmio_read32(dev.in + p * dev.out_size));
		print_states(states, sizeof(states));
		printk("ivshmem-demo: round %llu rang%s received %llu states%s in%s\n", r,
		       rung, received, states, in);
	}
	printk("ivshmem-demo: done rounds %llu rang %llu received %llu\n", rounds, rang,
	       received);
	inmate_exit();
}
