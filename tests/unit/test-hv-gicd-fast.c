/*
 * Host tests of the distributor read fast path
 * (hypervisor/arch/arm64/gicv3-fast.c) against the general path it
 * shortcuts: the syndrome decoded by mmio-decode.c, the cell's MMIO regions
 * (mmio.c) and the distributor emulation (gicv3-dist.c) over the fake GIC of
 * hv-fake-gic.h (register files of zeros and of ones).
 *
 * For every offset of the distributor frame (and just outside it), every
 * load and store form (widths 1, 2, 4, 8; zero- and sign-extending loads
 * into Wn and Xn), several target registers (x0, x7, x18, x30, xzr), with
 * and without ISV, as a stage-1 walk and as cache maintenance: when the fast
 * path takes the access, the general path emulates it too and leaves every
 * register exactly as the fast path did; when it declines, it changed
 * nothing. It takes exactly the 32-bit loads of GICD_CTLR, TYPER, IIDR and
 * TYPER2, and nothing before gicv3_fast_init(). All of it from the root's
 * CPU, a CPU of a cell without a virtual ITS and one of a cell with one:
 * GICD_TYPER is each owner's view (LPIS and IDbits; gicv3_dist_vcpu_owner),
 * checked against the physical word, also after the CPU went back to the root.
 */
#include <stdlib.h>

#include "check.h"
#include <wd/mmio.h>
#include "hv-fake-gic.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/arch/arm64/mmio-decode.c"
#include "../../hypervisor/arch/arm64/gic-dist.c"
#include "../../hypervisor/arch/arm64/gicv3-dist.c"
#include "../../hypervisor/arch/arm64/gicv3-redist.c"
#include "../../hypervisor/arch/arm64/gicv3-fast.c"
#include "hv-fake-gic.h"

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

static void compare(u64 off, const struct form *f, unsigned int rt, u64 extra)
{
	u64 esr = esr_for(f, rt, extra);
	u64 ipa = FAKE_GICD_PHYS + off;
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
	/* The general path, as handle_dabt runs it for the CPU's owner. */
	dabt_decode(esr, (ipa >> 12) << 4, ipa & 0xfff, &info);
	if (!info.valid || info.stage1_walk) {
		problem(&taken_not_emulated, "taken, but the general path refuses it", off, f, rt, extra);
		return;
	}
	res = dabt_emulate(&this_cpu()->cell->mmio, &info, full);
	if (res != MMIO_HANDLED) {
		problem(&taken_not_emulated, "taken, but the general path does not emulate it",
			off, f, rt, extra);
		return;
	}
	if (memcmp(fast, full, sizeof(fast)))
		problem(&mismatches, "registers differ from the general path", off, f, rt, extra);
}

/*
 * The physical GICD_TYPER of the sweeps: 256 INTIDs, num_LPIs 3, MBIS, LPIS,
 * IDbits 15 (16 bits), A3V; and what a cell reads of it without and with a
 * vITS (LPIS, IDbits and num_LPIs replaced, every other bit as it is).
 */
#define PHYS_TYPER		(0x7U | 3U << 11 | 1U << 16 | 1U << 17 | 15U << 19 | 1U << 24)
#define TYPER_NO_VITS		(0x7U | 1U << 16 | 9U << 19 | 1U << 24)
#define TYPER_VITS		(0x7U | 1U << 16 | 1U << 17 | 15U << 19 | 1U << 24)

enum view { VIEW_ROOT, VIEW_CELL, VIEW_CELL_VITS };
static const char *const view_name[] = { "root", "cell without vITS", "cell with vITS" };
static char fake_vits_object;

/* Run on CPU 0 (the root's) or CPU 2 (the cell "attack"'s), as @v says. */
static void enter_view(enum view v)
{
	fake_attack.vits = v == VIEW_CELL_VITS ? (struct vits *)&fake_vits_object : NULL;
	fake_this_cpu = v == VIEW_ROOT ? 0 : 2;
	/* A vCPU reset for the owner: what arch_vcpu_reset does through irqchip. */
	gicv3_dist_vcpu_owner(this_cpu());
}

static u64 fast_typer(void)
{
	struct form ldrw = { "ldr w", 2, 0 };
	u64 x[31];

	fill_regs(x);
	if (!gicd_fast_read(esr_for(&ldrw, 3, 0), FAKE_GICD_PHYS + 4, x))
		return ~0ULL;
	return x[3];
}

static void sweep(u8 fill, enum view view)
{
	static const u64 extras[] = { 0, S1PTW, CM };
	static const u32 want_typer[] = { PHYS_TYPER, TYPER_NO_VITS, TYPER_VITS };
	unsigned int fi, ri, ei;
	u64 off;

	CHECK_EQ(NAME("fill 0x%02x, %s: fake GIC set up", fill, view_name[view]), fake_gic_setup(fill, false), 0);
	fake_put(fake_gicd + 4, 4, PHYS_TYPER);
	gicv3_fast_init(FAKE_GICD_PHYS);
	enter_view(view);
	CHECK_EQ(NAME("fill 0x%02x, %s: GICD_TYPER reads 0x%08x", fill, view_name[view],
		      want_typer[view]), fast_typer(), want_typer[view]);
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
			CHECK(NAME("fill 0x%02x, %s: +0x%llx without ISV declined", fill, view_name[view],
				   (unsigned long long)off),
			      !gicd_fast_read(esr_for(&noisv, 0, 0) & ~ISV,
						    FAKE_GICD_PHYS + off, x) &&
			      !memcmp(x, before, sizeof(x)));
	}

	printf("# fill 0x%02x, %s: %lu accesses compared, %lu taken by the fast path%s%s\n", fill,
	       view_name[view], compared, taken, first_problem[0] ? "; first problem: " : "", first_problem);
	CHECK_EQ(NAME("fill 0x%02x, %s: registers as the general path leaves them", fill, view_name[view]), mismatches, 0);
	CHECK_EQ(NAME("fill 0x%02x, %s: only what the general path emulates is taken", fill, view_name[view]),
		 taken_not_emulated, 0);
	CHECK_EQ(NAME("fill 0x%02x, %s: a declined access changes nothing", fill, view_name[view]), declined_changed, 0);
	for (off = 0; off < 0x10; off++) {
		unsigned int sas;

		for (sas = 0; sas < 4; sas++) {
			/* ldr w and ldrsw x, to x0 x7 x18 x30 xzr, neither S1PTW nor CM */
			unsigned long want = (off % 4 == 0 && sas == 2) ? 2 * 5 : 0;

			CHECK_EQ(NAME("fill 0x%02x, %s: fast path takes %u-byte loads at +0x%llx %s", fill, view_name[view],
				      1U << sas, (unsigned long long)off, want ? "(both forms, every register)" : "never"),
				 taken_at[off][sas], want);
		}
	}
	CHECK_EQ(NAME("fill 0x%02x, %s: nothing else taken", fill, view_name[view]), taken, 0x10 / 4 * 2 * 5);
	CHECK_EQ(NAME("fill 0x%02x, %s: the hypervisor made no access a GIC would fault", fill, view_name[view]),
		 fake_el2_faults, 0);
	CHECK(NAME("fill 0x%02x, %s: dist_lock free", fill, view_name[view]), fake_lock_free());
	if (view != VIEW_ROOT) {
		/* Destroy: the CPU goes back to the root, reset for it there. */
		per_cpu(2)->cell = &root_cell;
		gicv3_dist_vcpu_owner(per_cpu(2));
		CHECK_EQ(NAME("fill 0x%02x, %s: back in the root, the CPU reads the physical GICD_TYPER",
			      fill, view_name[view]), fast_typer(), PHYS_TYPER);
		per_cpu(2)->cell = &fake_attack;
	}
	fake_this_cpu = 0;
	fake_attack.vits = NULL;
}

int main(void)
{
	u64 x[31], before[31];
	struct form ldrw = { "ldr w", 2, 0 };
	u64 off;
	bool any = false;

	/* Before gicv3_fast_init: no address matches, not even 0x0-0xf. */
	fill_regs(x);
	fill_regs(before);
	for (off = 0; off < 0x20; off += 4)
		any |= gicd_fast_read(esr_for(&ldrw, 0, 0), off, x);
	any |= gicd_fast_read(esr_for(&ldrw, 0, 0), FAKE_GICD_PHYS + 4, x);
	CHECK("before gicv3_fast_init nothing is taken", !any && !memcmp(x, before, sizeof(x)));

	sweep(0x00, VIEW_ROOT);
	sweep(0xff, VIEW_ROOT);
	sweep(0x00, VIEW_CELL);
	sweep(0xff, VIEW_CELL);
	sweep(0x00, VIEW_CELL_VITS);
	sweep(0xff, VIEW_CELL_VITS);
	return CHECK_DONE();
}
