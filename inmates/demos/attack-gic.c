/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Attacks on the GICv3 emulation (issue 9), for the attack cell
 * (configs/arm64/qemu-attack.c, CPU 2, no device, hypervisor console):
 *
 *   warden cell load attack attack-gic.bin -s "mode=MODE" -a 0x1000
 *
 * Modes (each prints "attack-gic: MODE ..." lines; "survived" when it got
 * through without being stopped):
 *   sgi15-active    set SGI 15 (the hypervisor's event SGI) active on our own
 *                   redistributor (32-bit write of 0x8000 to GICR_ISACTIVER0)
 *                   and read it back; then loop=hvc (default): spin issuing a
 *                   root-only hypercall, or loop=spin: spin without any exit.
 *                   Destroying the cell must still work (the park request
 *                   travels as SGI 15).
 *   sgi15-config    byte writes of SGI 15's and PPI 25's priority, a word
 *                   write of IPRIORITYR3/6 and ICFGR1 all ones, ICENABLER0 and
 *                   ICPENDR0 all ones: prints the registers before/after (the
 *                   hypervisor's two must not change), survives
 *   lpi             GICR_PROPBASER/PENDBASER (64-bit) and GICR_CTLR.EnableLPIs
 *                   of our own frame, WAKER sleep: prints what reads back (0)
 *   width:REG:BITS  an access of BITS (8, 16, 64) to our frame's register REG
 *                   (isenabler, ipriority, ctlr, typer, waker; read unless
 *                   write=1): 8/16-bit to 32-bit registers and 64-bit to
 *                   32-bit registers must stop the cell; ipriority:8 and
 *                   typer:64 are allowed (survived)
 *   unaligned-gicd  MMU on with the GIC mapped as Normal memory, then a 32-bit
 *                   store to GICD+0x421: must stop the cell (not fault EL2)
 *   unaligned-gicr  the same with a 32-bit load from our frame + 0x10102
 *   irouter-half    32-bit halves of IROUTER of SPI 33 (the root's): low
 *                   half with 1-of-N, then high half 0: ignored, reads 0
 */
#include <inmate.h>
#include <warden/hypercall.h>

#define GICR_CTLR		0x0000
#define GICR_WAKER		0x0014
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_ICENABLER0		(GICR_SGI_BASE + 0x0180)
#define GICR_ICPENDR0		(GICR_SGI_BASE + 0x0280)
#define GICR_ISACTIVER0		(GICR_SGI_BASE + 0x0300)
#define GICR_ICFGR1		(GICR_SGI_BASE + 0x0c04)
#define SGI_EVENT		15
#define MAINT_PPI		25

static char mode[40];

static void on_fault(u64 esr, u64 elr, u64 far)
{
	printk("attack-gic: %s fault ESR 0x%llx (EC 0x%02llx) ELR 0x%llx FAR 0x%llx\n",
	       mode, esr, (esr >> 26) & 0x3f, elr, far);
}

static u64 own_frame(void)
{
	u64 rd = gic_redist_base();

	if (!rd)
		printk("attack-gic: %s: no redistributor found\n", mode);
	return rd;
}

static void __noreturn sgi15_active(void)
{
	u64 rd = own_frame();
	char loop[8];

	if (rd) {
		mmio_write32(rd + GICR_ISACTIVER0, 1U << SGI_EVENT);
		dsb(sy);
		printk("attack-gic: %s ISACTIVER0 after=0x%x\n", mode,
		       mmio_read32(rd + GICR_ISACTIVER0));
	}
	cmdline_get("loop", "hvc", loop, sizeof(loop));
	printk("attack-gic: %s looping (%s)\n", mode, loop);
	irq_disable();
	if (!strcmp(loop, "spin"))
		for (;;)
			cpu_relax();
	for (;;)
		hypercall(WD_HC_CELL_DESTROY, 1, 0);
}

static void sgi15_config(void)
{
	u64 rd = own_frame();
	u32 prio3, prio6, cfg1, en;

	if (!rd)
		return;
	prio3 = mmio_read32(rd + GICR_IPRIORITYR + 12);
	prio6 = mmio_read32(rd + GICR_IPRIORITYR + 24);
	cfg1 = mmio_read32(rd + GICR_ICFGR1);
	en = mmio_read32(rd + GICR_ISENABLER0);
	printk("attack-gic: %s before IPRIORITYR3=0x%08x IPRIORITYR6=0x%08x ICFGR1=0x%08x ISENABLER0=0x%08x\n",
	       mode, prio3, prio6, cfg1, en);
	mmio_write8(rd + GICR_IPRIORITYR + SGI_EVENT, 0xf0);
	mmio_write8(rd + GICR_IPRIORITYR + MAINT_PPI, 0xf0);
	mmio_write32(rd + GICR_IPRIORITYR + 12, 0xf0f0f0f0);
	mmio_write32(rd + GICR_IPRIORITYR + 24, 0xf0f0f0f0);
	mmio_write32(rd + GICR_ICFGR1, 0xffffffff);
	mmio_write32(rd + GICR_ICENABLER0, 0xffffffff);
	mmio_write32(rd + GICR_ICPENDR0, 0xffffffff);
	dsb(sy);
	/* The hypervisor's masked view: the reads show 0 for SGI 15 and PPI 25. */
	printk("attack-gic: %s after IPRIORITYR3=0x%08x IPRIORITYR6=0x%08x ICFGR1=0x%08x ISENABLER0=0x%08x\n",
	       mode, mmio_read32(rd + GICR_IPRIORITYR + 12),
	       mmio_read32(rd + GICR_IPRIORITYR + 24), mmio_read32(rd + GICR_ICFGR1),
	       mmio_read32(rd + GICR_ISENABLER0));
	printk("attack-gic: %s SGI15 prio byte=0x%x PPI25 prio byte=0x%x\n", mode,
	       mmio_read8(rd + GICR_IPRIORITYR + SGI_EVENT),
	       mmio_read8(rd + GICR_IPRIORITYR + MAINT_PPI));
}

static void lpi(void)
{
	u64 rd = own_frame();

	if (!rd)
		return;
	mmio_write64(rd + GICR_PROPBASER, 0x7f800000ULL | 0xf);
	mmio_write64(rd + GICR_PENDBASER, 0x7f810000ULL);
	mmio_write32(rd + GICR_CTLR, 1);
	mmio_write32(rd + GICR_WAKER, 2);
	dsb(sy);
	printk("attack-gic: %s PROPBASER=0x%llx PENDBASER=0x%llx CTLR=0x%x WAKER=0x%x\n",
	       mode, mmio_read64(rd + GICR_PROPBASER), mmio_read64(rd + GICR_PENDBASER),
	       mmio_read32(rd + GICR_CTLR), mmio_read32(rd + GICR_WAKER));
}

static void width(const char *spec)
{
	static const struct { const char *name; u64 off; } regs[] = {
		{ "isenabler", GICR_ISENABLER0 }, { "ipriority", GICR_IPRIORITYR },
		{ "ctlr", GICR_CTLR }, { "typer", GICR_TYPER }, { "waker", GICR_WAKER },
	};
	u64 rd = own_frame(), addr = 0, v = 0;
	bool write = cmdline_get_u64("write", 0);
	const char *bits_s = NULL;
	unsigned int i, bits;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		size_t n = strlen(regs[i].name);

		if (!strncmp(spec, regs[i].name, n) && spec[n] == ':') {
			addr = rd + regs[i].off;
			bits_s = spec + n + 1;
		}
	}
	if (!rd || !bits_s) {
		printk("attack-gic: %s: bad width spec\n", mode);
		return;
	}
	bits = strcmp(bits_s, "8") == 0 ? 8 : strcmp(bits_s, "16") == 0 ? 16 : 64;
	printk("attack-gic: %s %u-bit %s at 0x%llx\n", mode, bits,
	       write ? "write" : "read", addr);
	if (bits == 8) {
		if (write)
			mmio_write8(addr, 0);
		else
			v = mmio_read8(addr);
	} else if (bits == 16) {
		if (write)
			asm volatile("strh wzr, [%0]" : : "r" (addr) : "memory");
		else
			asm volatile("ldrh %w0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	} else {
		if (write)
			mmio_write64(addr, 0);
		else
			v = mmio_read64(addr);
	}
	printk("attack-gic: %s value 0x%llx\n", mode, v);
}

/*
 * Identity map of the low 4 GiB with 1 GiB blocks, the first (RAM, GIC) and
 * third (comm region) Normal non-cacheable, so that an unaligned access to
 * the GIC is what the CPU emits (with the MMU off, all memory is Device and
 * the CPU itself would take the alignment fault).
 */
static u64 l1_table[512] __attribute__((aligned(4096)));

#define PTE_BLOCK	0x1ULL
#define PTE_ATTR(n)	((u64)(n) << 2)
#define PTE_SH_INNER	(3ULL << 8)
#define PTE_AF		(1ULL << 10)
#define MAIR_DEVICE	0x00ULL
#define MAIR_NORMAL_NC	0x44ULL

static void mmu_on_gic_normal(void)
{
	unsigned int i;
	u64 tcr;

	for (i = 0; i < 4; i++) {
		bool normal = i == 0 || i == 2;

		l1_table[i] = ((u64)i << 30) | PTE_BLOCK | PTE_AF |
			      (normal ? PTE_ATTR(1) | PTE_SH_INNER : PTE_ATTR(0));
	}
	write_sysreg(mair_el1, MAIR_DEVICE | MAIR_NORMAL_NC << 8);
	/* T0SZ 32 (4 GiB, walks start at level 1), 4 KiB granule, no TTBR1 walks, 32-bit PA */
	tcr = 32 | (1ULL << 23);
	write_sysreg(tcr_el1, tcr);
	write_sysreg(ttbr0_el1, (u64)(uintptr_t)l1_table);
	dsb(sy);
	asm volatile("tlbi vmalle1" : : : "memory");
	dsb(sy);
	isb();
	/* M on, A (alignment checking) off, caches stay off */
	write_sysreg(sctlr_el1, (read_sysreg(sctlr_el1) | 1) & ~2ULL);
	isb();
}

static void unaligned(bool gicd)
{
	u64 addr = gicd ? comm_gicd_base() + 0x421 : own_frame() + GICR_SGI_BASE + 0x102;
	u32 v = 0;

	mmu_on_gic_normal();
	printk("attack-gic: %s MMU on; 32-bit %s at 0x%llx\n", mode,
	       gicd ? "store" : "load", addr);
	if (gicd)
		mmio_write32(addr, 0xa0a0a0a0);
	else
		v = mmio_read32(addr);
	printk("attack-gic: %s value 0x%x\n", mode, v);
}

static void irouter_half(void)
{
	u64 reg = comm_gicd_base() + GICD_IROUTER + 8 * 33;

	mmio_write32(reg, (1U << 31) | 2);
	mmio_write32(reg + 4, 0);
	printk("attack-gic: %s IROUTER33 reads 0x%llx\n", mode, mmio_read64(reg));
}

int main(void)
{
	if (!cmdline_get("mode", NULL, mode, sizeof(mode))) {
		printk("attack-gic: no mode= (sgi15-active, sgi15-config, lpi, width:REG:BITS, unaligned-gicd, unaligned-gicr, irouter-half)\n");
		return 0;
	}
	fault_set_hook(on_fault);
	gic_init_cpu();
	/*
	 * Let the hypervisor finish its own lines about starting this cell:
	 * the debug console takes our output character by character, and the
	 * test matches whole lines.
	 */
	delay_us(200000);
	printk("attack-gic: %s start\n", mode);
	if (!strcmp(mode, "sgi15-active"))
		sgi15_active();
	else if (!strcmp(mode, "sgi15-config"))
		sgi15_config();
	else if (!strcmp(mode, "lpi"))
		lpi();
	else if (!strncmp(mode, "width:", 6))
		width(mode + 6);
	else if (!strcmp(mode, "unaligned-gicd"))
		unaligned(true);
	else if (!strcmp(mode, "unaligned-gicr"))
		unaligned(false);
	else if (!strcmp(mode, "irouter-half"))
		irouter_half();
	else
		printk("attack-gic: unknown mode '%s'\n", mode);
	printk("attack-gic: %s survived\n", mode);
	return 0;
}
