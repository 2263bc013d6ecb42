/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jh-inmate: a bare-metal program that relies on what Jailhouse inmates rely
 * on, and checks that Warden provides it (tests/qemu/85-jailhouse.sh, cell
 * configs/arm64/jh-inmate-demo.c):
 *
 *  - its command line is the string loaded at 0x1000 of the image
 *    ("cell load NAME IMAGE -s STRING -a 0x1000"), read there directly;
 *  - the communication region at 0x80000000 holds what Jailhouse's inmates
 *    read: signature, revision, cell state, flags, the cell's console, the
 *    GIC version and addresses, the PCI configuration base and vpci_irq_base;
 *  - RAM past the end of the loaded image is its own: a zeroed .bss, a heap
 *    that starts where the image ends, page tables built in that heap (the
 *    MMU and caches are turned on with them) and a 256 KiB stack at the top
 *    of the heap that a deep recursion uses.
 *
 * Prints one "jh-inmate: FAIL ..." line per failed check and then
 * "jh-inmate: all N checks passed" or "jh-inmate: M of N checks failed", on
 * the cell's console (with console=both, also the hypervisor's), then idles
 * answering the comm region.
 *
 * Command line (expected values; defaults are jh-inmate-demo's): ram=SIZE
 * (1m: the RAM region's size), flags= (3: debug output permitted and active),
 * console= (0x09040000), vpci= (108), pci= (0x08e00000: the virtual PCI
 * host's ECAM window, as in the system configuration), heap= (512k).
 */
#include <inmate.h>
#include <warden/hypercall.h>

/* Offsets in the communication region (Jailhouse ABI revision 2). */
#define COMM_SIGNATURE		0
#define COMM_REVISION		6
#define COMM_CELL_STATE		8
#define COMM_FLAGS		20
#define COMM_CONSOLE_ADDR	24
#define COMM_CONSOLE_SIZE	32
#define COMM_CONSOLE_TYPE	36
#define COMM_PCI_MMCONFIG	56
#define COMM_GIC_VERSION	64
#define COMM_GICD		72
#define COMM_GICC		80
#define COMM_GICR		88
#define COMM_VPCI_IRQ_BASE	96

#define PAGE_SIZE		0x1000UL
#define BIG_STACK_SIZE		0x40000UL
#define FRAME_BYTES		512

extern char __image_end[];

static unsigned int checks, failures;
static u8 big_bss[4 * 1024];	/* all images must fit 64 KiB (inmate.lds.S) */

static void check(const char *what, bool ok, u64 got, u64 want)
{
	checks++;
	if (ok)
		return;
	failures++;
	printk("jh-inmate: FAIL %s: 0x%llx, expected 0x%llx\n", what, got, want);
}

#define CHECK_EQ(what, got, want) do {					\
	u64 g_ = (got), w_ = (want);					\
	check(what, g_ == w_, g_, w_);					\
} while (0)

/* ---- the command line, read where Jailhouse's inmates find it */

static void check_cmdline(void)
{
	const char *raw = (const char *)(uintptr_t)(INMATE_LOAD_ADDR + INMATE_CMDLINE_OFFSET);

	if (inmate_is_bare())
		return;	/* the bare board passes it in the device tree */
	CHECK_EQ("command line at 0x1000 is the library's", raw == cmdline() ||
		 !strcmp(raw, cmdline()), 1);
	CHECK_EQ("command line at 0x1000 holds the loaded string", cmdline_has("jh-test"), 1);
}

/* ---- the communication region, field by field */

static u8 comm_byte(unsigned int off)
{
	return mmio_read32(INMATE_COMM_REGION + (off & ~3U)) >> ((off & 3) * 8);
}

static void check_comm_region(void)
{
	static const char sig[] = "JHCOMM";
	u64 c = INMATE_COMM_REGION;
	unsigned int i;
	bool sig_ok = true;

	if (inmate_is_bare())
		return;
	for (i = 0; i < 6; i++)
		sig_ok = sig_ok && comm_byte(COMM_SIGNATURE + i) == (u8)sig[i];
	CHECK_EQ("comm signature JHCOMM", sig_ok, 1);
	CHECK_EQ("comm revision", mmio_read32(c + 4) >> 16, WD_COMM_REVISION);
	CHECK_EQ("comm cell_state (running)", mmio_read32(c + COMM_CELL_STATE),
		 WD_CELL_RUNNING);
	CHECK_EQ("comm flags", mmio_read32(c + COMM_FLAGS), cmdline_get_u64("flags", 3));
	CHECK_EQ("comm console address", mmio_read64(c + COMM_CONSOLE_ADDR),
		 cmdline_get_u64("console", QEMU_UART1_BASE));
	CHECK_EQ("comm console size", mmio_read32(c + COMM_CONSOLE_SIZE), 0x1000);
	CHECK_EQ("comm console type (PL011)", mmio_read32(c + COMM_CONSOLE_TYPE) & 0xffff, 3);
	CHECK_EQ("comm console flags (MMIO, 4-byte registers)",
		 mmio_read32(c + COMM_CONSOLE_TYPE) >> 16, 3);
	CHECK_EQ("comm pci_mmconfig_base", mmio_read64(c + COMM_PCI_MMCONFIG),
		 cmdline_get_u64("pci", 0x08e00000));
	CHECK_EQ("comm gic_version", comm_byte(COMM_GIC_VERSION), 3);
	CHECK_EQ("comm gicd_base", mmio_read64(c + COMM_GICD), QEMU_GICD_BASE);
	CHECK_EQ("comm gicc_base (none on GICv3)", mmio_read64(c + COMM_GICC), 0);
	CHECK_EQ("comm gicr_base", mmio_read64(c + COMM_GICR), QEMU_GICR_BASE);
	CHECK_EQ("comm vpci_irq_base", mmio_read32(c + COMM_VPCI_IRQ_BASE),
		 cmdline_get_u64("vpci", 108));
}

/* ---- RAM past the image: heap, page tables, stack */

static uintptr_t heap_next, heap_end;

static void *heap_alloc(u64 size, u64 align)
{
	uintptr_t p = (heap_next + align - 1) & ~(uintptr_t)(align - 1);

	if (p + size > heap_end || p + size < p)
		return NULL;
	heap_next = p + size;
	return (void *)p;
}

static u64 pattern(uintptr_t addr, u64 seed)
{
	return (addr * 0x9e3779b97f4a7c15ULL) ^ seed;
}

/* Aligned 8-byte stores: with the MMU off, memory is Device memory. */
static void fill(u64 *p, u64 words, u64 seed)
{
	for (u64 i = 0; i < words; i++)
		p[i] = pattern((uintptr_t)&p[i], seed);
}

static u64 count_bad(const u64 *p, u64 words, u64 seed)
{
	u64 bad = 0;

	for (u64 i = 0; i < words; i++)
		bad += p[i] != pattern((uintptr_t)&p[i], seed);
	return bad;
}

/* Descriptor bits (VMSAv8-64, 4 KiB granule) */
#define DESC_TABLE		0x3ULL
#define DESC_BLOCK		0x1ULL
#define DESC_AF			(1ULL << 10)
#define DESC_SH_INNER		(3ULL << 8)
#define DESC_ATTR(n)		((u64)(n) << 2)
#define DESC_XN			((1ULL << 53) | (1ULL << 54))
#define ATTR_DEVICE		0	/* MAIR attr 0: Device-nGnRnE */
#define ATTR_NORMAL		1	/* MAIR attr 1: Normal, write-back */
#define MAIR_VALUE		(0x00ULL | (0xffULL << 8))
/* T0SZ 32 (4 GiB, walks start at level 1), inner/outer write-back, inner shareable, 4 KiB, no TTBR1 */
#define TCR_VALUE		(32ULL | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (1ULL << 23))
#define SCTLR_M			(1ULL << 0)
#define SCTLR_C			(1ULL << 2)
#define SCTLR_I			(1ULL << 12)

static u64 normal_block(u64 addr)
{
	return addr | DESC_BLOCK | DESC_AF | DESC_SH_INNER | DESC_ATTR(ATTR_NORMAL);
}

static u64 device_block(u64 addr)
{
	return addr | DESC_BLOCK | DESC_AF | DESC_ATTR(ATTR_DEVICE) | DESC_XN;
}

/*
 * Identity map of the low 4 GiB: the first 2 MiB (a cell's RAM) as normal
 * memory, 0x08000000-0x09ffffff (GIC, UARTs) as device memory, 1-2 GiB
 * (the bare board's RAM) normal, 2-3 GiB (the comm region) device.
 */
static bool mmu_enable(void)
{
	u64 *l1 = heap_alloc(PAGE_SIZE, PAGE_SIZE), *l2 = heap_alloc(PAGE_SIZE, PAGE_SIZE);
	u64 sctlr;
	unsigned int i;

	if (!l1 || !l2)
		return false;
	for (i = 0; i < 512; i++) {
		l1[i] = 0;
		l2[i] = 0;
	}
	l2[0] = normal_block(0);
	for (i = 0x08000000 >> 21; i < 0x0a000000 >> 21; i++)
		l2[i] = device_block((u64)i << 21);
	l1[0] = (uintptr_t)l2 | DESC_TABLE;
	l1[1] = normal_block(1ULL << 30);
	l1[2] = device_block(2ULL << 30);

	/*
	 * Nothing of this memory may be in the caches yet (the root cell could
	 * have left lines there): invalidate the heap by address first.
	 */
	for (uintptr_t a = (uintptr_t)__image_end & ~63UL; a < heap_end; a += 64)
		asm volatile("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_VALUE);
	write_sysreg(ttbr0_el1, (uintptr_t)l1);
	isb();
	asm volatile("tlbi vmalle1" : : : "memory");
	dsb(nsh);
	isb();
	sctlr = read_sysreg(sctlr_el1);
	write_sysreg(sctlr_el1, sctlr | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
	return (read_sysreg(sctlr_el1) & SCTLR_M) != 0;
}

/* Each level keeps FRAME_BYTES of its own on the stack, used after the call. */
static u64 __attribute__((noinline)) deep(u64 n)
{
	volatile u8 frame[FRAME_BYTES];
	u64 below;

	for (unsigned int i = 0; i < FRAME_BYTES; i += 64)
		frame[i] = (u8)(n + i);
	if (!n)
		return 0;
	below = deep(n - 1);
	return below + frame[(n * 64) % FRAME_BYTES] + 1;
}

static u64 expected_deep(u64 n)
{
	u64 sum = 0;

	for (u64 k = 1; k <= n; k++)
		sum += (u8)(k + (k * 64) % FRAME_BYTES) + 1;
	return sum;
}

/* @fn(@arg) with the stack pointer at @top; back on the old stack after. */
static u64 call_on_stack(u64 (*fn)(u64), u64 arg, void *top)
{
	register u64 x0 asm("x0") = arg;
	register u64 x1 asm("x1") = (uintptr_t)fn;
	register u64 x2 asm("x2") = (uintptr_t)top;

	asm volatile("mov x19, sp\n\t"
		     "mov sp, x2\n\t"
		     "blr x1\n\t"
		     "mov sp, x19"
		     : "+r"(x0), "+r"(x1), "+r"(x2)
		     :
		     : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
		       "x14", "x15", "x16", "x17", "x18", "x19", "x30", "memory", "cc");
	return x0;
}

static void check_memory(void)
{
	u64 ram = cmdline_get_u64("ram", 0x100000);
	u64 heap_size = cmdline_get_u64("heap", 0x80000), words, depth;
	u64 *buf;
	u8 *stack;
	unsigned int i;
	bool zero = true;

	for (i = 0; i < sizeof(big_bss); i++)
		zero = zero && !big_bss[i];
	CHECK_EQ(".bss is zero at start", zero, 1);
	for (i = 0; i < sizeof(big_bss); i++)
		big_bss[i] = (u8)i;

	heap_next = (uintptr_t)__image_end;
	heap_end = INMATE_LOAD_ADDR + ram;
	printk("jh-inmate: image ends at 0x%llx, heap up to 0x%llx\n",
	       (u64)heap_next, (u64)heap_end);

	buf = heap_alloc(heap_size, PAGE_SIZE);
	stack = heap_alloc(BIG_STACK_SIZE, PAGE_SIZE);
	CHECK_EQ("heap and stack fit in the RAM region", buf && stack, 1);
	if (!buf || !stack)
		return;
	words = heap_size / 8;
	fill(buf, words, 0x4a48);

	CHECK_EQ("MMU on with page tables in the heap", mmu_enable(), 1);
	CHECK_EQ("heap kept its contents across MMU on", count_bad(buf, words, 0x4a48), 0);
	fill(buf, words, 0x1234);
	CHECK_EQ("heap written and read with caches on", count_bad(buf, words, 0x1234), 0);

	depth = BIG_STACK_SIZE / (FRAME_BYTES + 128) - 16;
	CHECK_EQ("deep recursion on the big stack", call_on_stack(deep, depth, stack + BIG_STACK_SIZE),
		 expected_deep(depth));
	for (i = 0; i < sizeof(big_bss); i++)
		if (big_bss[i] != (u8)i)
			break;
	CHECK_EQ(".bss intact", i, sizeof(big_bss));
}

int main(void)
{
	printk("jh-inmate: start, command line \"%s\"\n", cmdline());
	check_cmdline();
	check_comm_region();
	check_memory();
	if (failures)
		printk("jh-inmate: %u of %u checks failed\n", failures, checks);
	else
		printk("jh-inmate: all %u checks passed\n", checks);
	return 0;
}
