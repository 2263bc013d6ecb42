/*
 * Host tests of the distributor read fast path on a GICv2
 * (hypervisor/arch/arm64/gicv3-fast.c, set up by gicv2-fast.c) against the general path it
 * shortcuts: the syndrome decoded by mmio-decode.c, the cell's MMIO regions
 * (mmio.c) and the GICv2 distributor emulation (gicv2-dist.c) over the fake
 * GICv2 of hv-fake-gicv2.h (register files of zeros and of ones), for the
 * root (CPU 0) and for a cell (CPU 2), which the general path refuses the
 * reserved word at 0xc.
 *
 * For every offset of the distributor frame (and just outside it), every
 * load and store form (widths 1, 2, 4, 8; zero- and sign-extending loads
 * into Wn and Xn), several target registers (x0, x7, x18, x30, xzr), with
 * and without ISV, as a stage-1 walk and as cache maintenance: when the fast
 * path takes the access, the general path emulates it too and leaves every
 * register exactly as the fast path did; when it declines, it changed
 * nothing. It takes exactly the 32-bit loads of GICD_CTLR, TYPER and IIDR,
 * and nothing before gicv2_fast_init(). Also: the IRQ exit's fallback
 * (gicv2_handle_irq_acked) counts the exit and hands the general path the
 * interrupt that gicv2-fast-irq.S acknowledged.
 */
#include <stdlib.h>

#include "check.h"
#include <wd/mmio.h>
#include "hv-fake-gicv2.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/arch/arm64/mmio-decode.c"
#include "../../hypervisor/arch/arm64/gic-dist.c"
#include "../../hypervisor/arch/arm64/gicv2-dist.c"
#include "../../hypervisor/arch/arm64/gicv3-fast.c"
#include "../../hypervisor/arch/arm64/gicv2-fast.c"
#include "hv-fake-gicv2.h"

/* The GICv3 mapping gicv3_fast_init would pass: never used on a GICv2. */
u8 *gicd;

/* What the IRQ exit's fallback hands the general path (gicv2-cpuif.c). */
static unsigned long handed_calls;
static u32 handed_iar;
static unsigned int handed_cpu;

void gicv2_handle_iar(struct per_cpu *pc, u32 iar)
{
	handed_calls++;
	handed_iar = iar;
	handed_cpu = pc->cpu_id;
}

static char name[200];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

#define ESR_DABT_LOW	(0x24ULL << 26)
#define ESR_IL_BIT	(1ULL << 25)
#define ISV		(1ULL << 24)
#define SSE		(1ULL << 21)
#define SF		(1ULL << 15)
#define CM		(1ULL << 8)
#define S1PTW		(1ULL << 7)
#define WNR		(1ULL << 6)

struct form {
	const char *insn;
	unsigned int sas;	/* log2 of the width */
	u64 flags;		/* SSE, SF, WnR */
};

static const struct form forms[] = {
	{ "ldrb w", 0, 0 }, { "ldrh w", 1, 0 }, { "ldr w", 2, 0 }, { "ldr x", 3, SF },
	{ "ldrsb w", 0, SSE }, { "ldrsb x", 0, SSE | SF }, { "ldrsh w", 1, SSE },
	{ "ldrsh x", 1, SSE | SF }, { "ldrsw x", 2, SSE | SF },
	{ "strb", 0, WNR }, { "strh", 1, WNR }, { "str w", 2, WNR }, { "str x", 3, WNR | SF },
};

static const unsigned int regs_tried[] = { 0, 7, 18, 30, 31 };

static u64 esr_for(const struct form *f, unsigned int rt, u64 extra)
{
	return ESR_DABT_LOW | ESR_IL_BIT | ISV | ((u64)f->sas << 22) | f->flags |
	       ((u64)rt << 16) | 0x07 /* translation fault, level 3 */ | extra;
}

static void fill_regs(u64 *x)
{
	unsigned int n;

	for (n = 0; n < 31; n++)
		x[n] = 0xa5a5a5a5a5a5a5a5ULL ^ ((u64)n << 40);
}

static unsigned long compared, taken, mismatches, declined_changed, taken_not_emulated;
static unsigned long taken_at[0x10][4];
static char first_problem[200];

static void problem(unsigned long *counter, const char *what, u64 off, const struct form *f,
		    unsigned int rt, u64 extra)
{
	if (!*counter && !first_problem[0])
		snprintf(first_problem, sizeof(first_problem),
			 "%s: %s x%u at +0x%llx (extra 0x%llx)", what, f->insn, rt,
			 (unsigned long long)off, (unsigned long long)extra);
	(*counter)++;
}

/* The caller of the sweep: 0 the root (CPU 0), 1 the cell "attack" (CPU 2). */
static int caller;

static void compare(u64 off, const struct form *f, unsigned int rt, u64 extra)
{
	u64 esr = esr_for(f, rt, extra);
	u64 ipa = FAKE2_GICD_PHYS + off;
	u64 fast[31], full[31], before[31];
	struct dabt_info info;
	enum mmio_result res;
	bool took;

	fill_regs(fast);
	fill_regs(full);
	fill_regs(before);
	compared++;
	took = gicd_fast_read(esr, ipa, fast);
	if (!took) {
		if (memcmp(fast, before, sizeof(fast)))
			problem(&declined_changed, "declined but changed a register", off, f, rt, extra);
		return;
	}
	taken++;
	if (off < 0x10 && f->sas < 4)
		taken_at[off][f->sas]++;
	/* The general path, as handle_dabt runs it for the caller's cell. */
	dabt_decode(esr, (ipa >> 12) << 4, ipa & 0xfff, &info);
	if (!info.valid || info.stage1_walk) {
		problem(&taken_not_emulated, "taken, but the general path refuses it", off, f, rt, extra);
		return;
	}
	res = dabt_emulate(&fake2_cell_of(caller)->mmio, &info, full);
	if (res != MMIO_HANDLED) {
		problem(&taken_not_emulated, "taken, but the general path does not emulate it",
			off, f, rt, extra);
		return;
	}
	if (memcmp(fast, full, sizeof(fast)))
		problem(&mismatches, "registers differ from the general path", off, f, rt, extra);
}

static const char *fill2name(int who)
{
	return who ? "cell" : "root";
}

static void sweep(u8 fill, int who)
{
	static const u64 extras[] = { 0, S1PTW, CM };
	unsigned int fi, ri, ei;
	u64 off;

	CHECK_EQ(NAME("%s, fill 0x%02x: fake GICv2 set up", fill2name(who), fill), fake2_gic_setup(fill), 0);
	gicv2_fast_init(FAKE2_GICD_PHYS, NULL, NULL);
	caller = who;
	fake2_cpu = fake2_cpu_of(who);
	compared = taken = mismatches = declined_changed = taken_not_emulated = 0;
	memset(taken_at, 0, sizeof(taken_at));
	first_problem[0] = 0;
	/* The frame, 16 bytes before it and 16 after it. */
	for (off = (u64)-16; off != 0x10010; off++)
		for (fi = 0; fi < sizeof(forms) / sizeof(forms[0]); fi++)
			for (ri = 0; ri < sizeof(regs_tried) / sizeof(regs_tried[0]); ri++)
				for (ei = 0; ei < sizeof(extras) / sizeof(extras[0]); ei++) {
					if ((off & ((1ULL << forms[fi].sas) - 1)) &&
					    (off & 0xf000) && off < 0xfff0 && ei == 0 &&
					    ri != 0)
						continue;	/* misaligned: x0 is enough */
					compare(off, &forms[fi], regs_tried[ri], extras[ei]);
				}
	/* No ISV: the syndrome says nothing of the access. */
	{
		struct form noisv = { "ldr w (no ISV)", 2, 0 };
		u64 x[31], before[31];

		fill_regs(x);
		fill_regs(before);
		for (off = 0; off < 0x10; off += 4)
			CHECK(NAME("%s, fill 0x%02x: +0x%llx without ISV declined", fill2name(who), fill,
				   (unsigned long long)off),
			      !gicd_fast_read(esr_for(&noisv, 0, 0) & ~ISV,
						    FAKE2_GICD_PHYS + off, x) &&
			      !memcmp(x, before, sizeof(x)));
	}

	printf("# %s, fill 0x%02x: %lu accesses compared, %lu taken by the fast path%s%s\n", fill2name(who), fill,
	       compared, taken, first_problem[0] ? "; first problem: " : "", first_problem);
	CHECK_EQ(NAME("%s, fill 0x%02x: registers as the general path leaves them", fill2name(who), fill), mismatches, 0);
	CHECK_EQ(NAME("%s, fill 0x%02x: only what the general path emulates is taken", fill2name(who), fill),
		 taken_not_emulated, 0);
	CHECK_EQ(NAME("%s, fill 0x%02x: a declined access changes nothing", fill2name(who), fill), declined_changed, 0);
	for (off = 0; off < 0x10; off++) {
		unsigned int sas;

		for (sas = 0; sas < 4; sas++) {
			/* ldr w and ldrsw x, to x0 x7 x18 x30 xzr, neither S1PTW nor CM */
			unsigned long want = (off < 0xc && off % 4 == 0 && sas == 2) ? 2 * 5 : 0;

			CHECK_EQ(NAME("%s, fill 0x%02x: fast path takes %u-byte loads at +0x%llx %s", fill2name(who), fill,
				      1U << sas, (unsigned long long)off, want ? "(both forms, every register)" : "never"),
				 taken_at[off][sas], want);
		}
	}
	CHECK_EQ(NAME("%s, fill 0x%02x: nothing else taken", fill2name(who), fill), taken, 0xc / 4 * 2 * 5);
	CHECK_EQ(NAME("%s, fill 0x%02x: the hypervisor made no access a GIC would fault", fill2name(who), fill),
		 fake2_el2_faults, 0);
	CHECK(NAME("%s, fill 0x%02x: dist_lock free", fill2name(who), fill), fake2_lock_free());
}

int main(void)
{
	u64 x[31], before[31];
	struct form ldrw = { "ldr w", 2, 0 };
	u64 off;
	bool any = false;

	/* Before gicv2_fast_init: no address matches, not even 0x0-0xf. */
	fill_regs(x);
	fill_regs(before);
	for (off = 0; off < 0x20; off += 4)
		any |= gicd_fast_read(esr_for(&ldrw, 0, 0), off, x);
	any |= gicd_fast_read(esr_for(&ldrw, 0, 0), FAKE2_GICD_PHYS + 4, x);
	CHECK("before gicv2_fast_init nothing is taken", !any && !memcmp(x, before, sizeof(x)));

	sweep(0x00, 0);
	sweep(0xff, 0);
	sweep(0x00, 1);
	sweep(0xff, 1);

	/* The IRQ exit's fallback: one exit counted, the IAR handed on as it is. */
	{
		struct per_cpu *pc = this_cpu();
		u64 total = pc->stats[WD_CPU_STAT_VMEXITS_TOTAL];

		gicv2_handle_irq_acked(0x1c1b, NULL);	/* CPU ID 7, INTID 27: whatever it is */
		CHECK("fallback: the general path gets the acknowledged IAR unchanged",
		      handed_calls == 1 && handed_iar == 0x1c1b && handed_cpu == pc->cpu_id);
		CHECK_EQ("fallback: the exit is counted once",
			 pc->stats[WD_CPU_STAT_VMEXITS_TOTAL] - total, 1);
	}
	return CHECK_DONE();
}
