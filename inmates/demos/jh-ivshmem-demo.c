/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test fixture: an ivshmem inmate that behaves as Jailhouse's own
 * inmates/demos/ivshmem-demo.c does on arm64, to show that a bare-metal
 * program written for Jailhouse finds and uses Warden's ivshmem device the
 * same way (tests/qemu/86-ivshmem.sh). It deliberately uses none of Warden's
 * PCI or ivshmem helpers: configuration space is read through the ECAM
 * window the comm region names (bus 0, BDF << 12), the first function with
 * IDs 110a:4106 is taken, BAR 0 is written with the fixed address 0xff000000
 * and BAR 1 with the page after it, Command gets MEM and bus master as a
 * 16-bit write, the shared memory is located through the vendor capability
 * (state table size at +4, R/W size at +8, output size at +0x10, address at
 * +0x18), the class must be ff/0000.
 *
 * Then, as Jailhouse's demo: interrupts enabled (INTx: INTID vpci_irq_base
 * + 32, or irq_base= from the command line), State := ID + 1, the own R/W
 * word and output word cleared; every second "sending IRQ 0 to peer T"
 * (T = ID + 1 for IDs 0 and 1, else 0) through the doorbell; each interrupt
 * counted, its count written to rw[ID] and 10x to the own output, and the
 * state table, R/W words and the input sections printed.
 *
 * Lines (prefix "IVSHMEM: " as Jailhouse's):
 *   IVSHMEM: Found device at 00:00.0
 *   IVSHMEM: ID is <id> / max. peers is <n> / state table is at ... etc.
 *   IVSHMEM: got interrupt 0 (#<count>)
 *   IVSHMEM: sending IRQ 0 to peer <t>
 */
#include <inmate.h>
#include <warden/hypercall.h>

#define BAR_BASE	0xff000000ULL
#define CFG_STATE_SZ	0x04
#define CFG_RW_SZ	0x08
#define CFG_OUT_SZ	0x10
#define CFG_ADDR	0x18

#define REG_ID		0x00
#define REG_MAX_PEERS	0x04
#define REG_INT_CTRL	0x08
#define REG_DOORBELL	0x0c
#define REG_STATE	0x10

static u64 mmcfg;
static u16 bdf;
static u32 id, max_peers, irq_base;
static u64 state_table, rw, in, out, out_sz;
static volatile unsigned int irq_count;

static u64 cfg(u16 b, unsigned int reg) { return mmcfg + ((u64)b << 12) + reg; }
static u32 rd32(u16 b, unsigned int reg) { return mmio_read32(cfg(b, reg)); }
static u64 rd64(u16 b, unsigned int reg)
{
	return rd32(b, reg) | ((u64)rd32(b, reg + 4) << 32);
}

static int find_device(void)
{
	unsigned int b;

	for (b = 0; b < 0x100; b++)
		if (rd32(b, 0) == (0x110aU | 0x4106U << 16))
			return (int)b;
	return -1;
}

static int find_vendor_cap(void)
{
	unsigned int pos = mmio_read8(cfg(bdf, 0x34));

	while (pos) {
		if (mmio_read8(cfg(bdf, pos)) == 0x09)
			return (int)pos;
		pos = mmio_read8(cfg(bdf, pos + 1));
	}
	return -1;
}

static void show(void)
{
	printk("IVSHMEM: state[0] = %u state[1] = %u state[2] = %u rw[0] = %u rw[1] = %u rw[2] = %u in@0x0000 = %u in@0x2000 = %u in@0x4000 = %u\n",
	       mmio_read32(state_table), mmio_read32(state_table + 4),
	       mmio_read32(state_table + 8), mmio_read32(rw), mmio_read32(rw + 4),
	       mmio_read32(rw + 8), mmio_read32(in), mmio_read32(in + 0x2000),
	       mmio_read32(in + 0x4000));
}

static void irq(unsigned int intid, u64 entry_ticks)
{
	(void)entry_ticks;
	if (intid != irq_base)
		return;
	irq_count++;
	mmio_write32(rw + 4 * id, irq_count);
	mmio_write32(out, irq_count * 10);
	printk("IVSHMEM: got interrupt 0 (#%u)\n", irq_count);
	show();
}

int main(void)
{
	volatile struct wd_comm_region *c = comm_region();
	u64 icfgr;
	u32 target, class;
	int cap, b;

	mmcfg = c ? c->pci_mmconfig_base : 0;
	irq_base = cmdline_get_u64("irq_base", (c ? c->vpci_irq_base : 0) + 32);
	b = mmcfg ? find_device() : -1;
	if (b < 0) {
		printk("IVSHMEM: No PCI devices found .. nothing to do.\n");
		inmate_exit();
	}
	bdf = (u16)b;
	printk("IVSHMEM: Found device at %02x:%02x.%x\n", bdf >> 8, (bdf >> 3) & 0x1f,
	       bdf & 7);
	class = rd32(bdf, 8);
	if (class != 0xff000000U) {
		printk("IVSHMEM: class/revision %08x, not supported\n", class);
		inmate_exit();
	}
	cap = find_vendor_cap();
	if (cap < 0) {
		printk("IVSHMEM ERROR: missing vendor capability\n");
		inmate_exit();
	}
	mmio_write32(cfg(bdf, 0x10), (u32)BAR_BASE);
	mmio_write32(cfg(bdf, 0x14), (u32)(BAR_BASE + 0x1000));
	asm volatile("strh %w0, [%1]" : : "r" ((u16)0x6), "r" (cfg(bdf, 4)) : "memory");
	id = mmio_read32(BAR_BASE + REG_ID);
	max_peers = mmio_read32(BAR_BASE + REG_MAX_PEERS);
	printk("IVSHMEM: ID is %u\n", id);
	printk("IVSHMEM: max. peers is %u\n", max_peers);
	state_table = rd64(bdf, cap + CFG_ADDR);
	rw = state_table + rd32(bdf, cap + CFG_STATE_SZ);
	in = rw + rd64(bdf, cap + CFG_RW_SZ);
	out_sz = rd64(bdf, cap + CFG_OUT_SZ);
	out = in + id * out_sz;
	printk("IVSHMEM: state table is at 0x%llx\n", state_table);
	printk("IVSHMEM: R/W section is at 0x%llx\n", rw);
	printk("IVSHMEM: input sections start at 0x%llx\n", in);
	printk("IVSHMEM: output section is at 0x%llx\n", out);

	irq_set_handler(irq);
	icfgr = comm_gicd_base() + 0xc00 + 4 * (irq_base / 16);
	mmio_write32(icfgr, mmio_read32(icfgr) | 2U << (2 * (irq_base % 16)));
	gic_enable_spi(irq_base, 0x80);
	printk("IVSHMEM: initialized device\n");
	mmio_write32(BAR_BASE + REG_INT_CTRL, 1);
	mmio_write32(BAR_BASE + REG_STATE, id + 1);
	mmio_write32(rw + 4 * id, 0);
	mmio_write32(out, 0);
	show();
	irq_enable();

	target = id < 2 ? id + 1 : 0;
	for (;;) {
		sleep_us(cmdline_get_u64("period", 1000) * 1000);
		printk("IVSHMEM: sending IRQ 0 to peer %u\n", target);
		mmio_write32(BAR_BASE + REG_DOORBELL, target << 16);
	}
}
