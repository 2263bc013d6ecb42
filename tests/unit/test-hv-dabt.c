/*
 * Host unit tests of the data-abort syndrome decoder
 * (hypervisor/arch/arm64/mmio-decode.c): ESR_EL2 values as the CPU reports
 * them for real load/store instructions (worked out by hand from the ISS
 * encoding for data aborts in the ARM ARM: ISV 24, SAS 23:22, SSE 21,
 * SRT 20:16, SF 15, S1PTW 7, WnR 6, DFSC 5:0), the IPA from HPFAR_EL2/FAR_EL2,
 * and the sign/zero extension of loaded values.
 */
#include <stdlib.h>

#include "check.h"
#include "../../hypervisor/core/mmio.c"		/* dabt_emulate dispatches */
#include "../../hypervisor/arch/arm64/mmio-decode.c"
#include <asm/sysregs.h>

static char name[160];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

struct esr_case {
	const char *insn;
	u64 esr;
	bool valid;
	unsigned int size, reg;
	bool is_write, sse, sf, s1ptw;
};

/*
 * EC 0x24 (data abort from a lower EL) = 0x90000000, IL = 0x02000000,
 * ISV = 0x01000000; DFSC 0x07/0x06 = translation fault level 3/2.
 */
static const struct esr_case cases[] = {
	/* ldr w3, [x0]: SAS 10, SRT 3 */
	{ "ldr w3", 0x93830007, true, 4, 3, false, false, false, false },
	/* str x1, [x0]: SAS 11, SRT 1, SF, WnR */
	{ "str x1", 0x93c18047, true, 8, 1, true, false, true, false },
	/* ldrsb x5: SAS 00, SSE, SRT 5, SF */
	{ "ldrsb x5", 0x93258007, true, 1, 5, false, true, true, false },
	/* ldrsh w7: SAS 01, SSE, SRT 7, level-2 fault */
	{ "ldrsh w7", 0x93670006, true, 2, 7, false, true, false, false },
	/* ldrsw x2: SAS 10, SSE, SRT 2, SF */
	{ "ldrsw x2", 0x93a28007, true, 4, 2, false, true, true, false },
	/* strb wzr: SRT 31, WnR */
	{ "strb wzr", 0x931f0047, true, 1, 31, true, false, false, false },
	/* strh w30: SAS 01, SRT 30, WnR */
	{ "strh w30", 0x935e0047, true, 2, 30, true, false, false, false },
	/* ldr x0 (acquire, AR bit 14 set): SAS 11, SRT 0, SF */
	{ "ldar x0", 0x93c0c007, true, 8, 0, false, false, true, false },
	/* ldp x0, x1: no valid syndrome */
	{ "ldp (ISV 0)", 0x92000007, false, 1, 0, false, false, false, false },
	/* stage-1 walk fault: ISV 0, S1PTW */
	{ "s1ptw", 0x92000087, false, 1, 0, false, false, false, true },
};

static void test_esr(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct esr_case *c = &cases[i];
		struct dabt_info d;

		memset(&d, 0xa5, sizeof(d));
		dabt_decode(c->esr, 0, 0, &d);
		CHECK_EQ(NAME("dabt %s (0x%llx): EC is a lower-EL data abort", c->insn, c->esr),
			 ESR_EC(c->esr), 0x24);
		CHECK_EQ(NAME("dabt %s: ISV", c->insn), d.valid, c->valid);
		CHECK_EQ(NAME("dabt %s: S1PTW", c->insn), d.stage1_walk, c->s1ptw);
		if (!c->valid)
			continue;
		CHECK_EQ(NAME("dabt %s: size", c->insn), d.size, c->size);
		CHECK_EQ(NAME("dabt %s: register", c->insn), d.reg, c->reg);
		CHECK_EQ(NAME("dabt %s: write", c->insn), d.is_write, c->is_write);
		CHECK_EQ(NAME("dabt %s: sign extend", c->insn), d.sign_extend, c->sse);
		CHECK_EQ(NAME("dabt %s: 64-bit register", c->insn), d.sixty_four, c->sf);
	}
}

static void test_ipa(void)
{
	struct dabt_info d;

	/* PL011 on QEMU virt, accessed through a kernel VA. */
	dabt_decode(0x93830007, 0x9000ULL << 4, 0xffff800010000abcULL, &d);
	CHECK_EQ("dabt ipa: page from HPFAR, offset from FAR", d.ipa, 0x9000abc);
	/* 48-bit IPA. */
	dabt_decode(0x93830007, 0xfedcba987ULL << 4, 0x654, &d);
	CHECK_EQ("dabt ipa: 48-bit IPA", d.ipa, 0xfedcba987654ULL);
	/* 52-bit IPA (FEAT_LPA: FIPA bits 43:40 hold IPA 51:48). */
	dabt_decode(0x93830007, 0xf000000001ULL << 4, 0xfff, &d);
	CHECK_EQ("dabt ipa: 52-bit IPA", d.ipa, 0xf000000001fffULL);
	/* Bits outside FIPA (NS at 63, RES0 3:0, above 43) are not address. */
	dabt_decode(0x93830007, (1ULL << 63) | (1ULL << 50) | (0x12345ULL << 4) | 0xf,
		    0xffffffffffff0010ULL, &d);
	CHECK_EQ("dabt ipa: HPFAR bits outside FIPA ignored", d.ipa, 0x12345010);
	dabt_decode(0x93830007, 0, 0, &d);
	CHECK_EQ("dabt ipa: zero", d.ipa, 0);
}

static u64 load(unsigned int size, bool sse, bool sf, u64 raw)
{
	struct dabt_info d = { .size = size, .sign_extend = sse, .sixty_four = sf,
			       .valid = true };

	return dabt_load_value(&d, raw);
}

static void test_load_value(void)
{
	/* ldrb / ldrh / ldr w / ldr x: zero extension, garbage above dropped */
	CHECK_EQ("dabt load: ldrb w", load(1, false, false, 0xffffffffffffff80ULL), 0x80);
	CHECK_EQ("dabt load: ldrh w", load(2, false, false, 0x123456789abc8001ULL), 0x8001);
	CHECK_EQ("dabt load: ldr w", load(4, false, false, 0xdeadbeef80000001ULL), 0x80000001);
	CHECK_EQ("dabt load: ldr x", load(8, false, true, 0xdeadbeef80000001ULL),
		 0xdeadbeef80000001ULL);
	/* ldrsb/ldrsh into W: sign extended to 32 bits, upper half zero */
	CHECK_EQ("dabt load: ldrsb w negative", load(1, true, false, 0x80), 0xffffff80);
	CHECK_EQ("dabt load: ldrsb w positive", load(1, true, false, 0x7f), 0x7f);
	CHECK_EQ("dabt load: ldrsb w ignores garbage", load(1, true, false, 0xabcdef00ULL | 0xfe),
		 0xfffffffe);
	CHECK_EQ("dabt load: ldrsh w negative", load(2, true, false, 0x8000), 0xffff8000);
	CHECK_EQ("dabt load: ldrsh w positive", load(2, true, false, 0xffff7fffULL), 0x7fff);
	/* ldrsb/ldrsh/ldrsw into X: sign extended to 64 bits */
	CHECK_EQ("dabt load: ldrsb x negative", load(1, true, true, 0xff), 0xffffffffffffffffULL);
	CHECK_EQ("dabt load: ldrsb x positive", load(1, true, true, 0xff01), 0x01);
	CHECK_EQ("dabt load: ldrsh x negative", load(2, true, true, 0x8765), 0xffffffffffff8765ULL);
	CHECK_EQ("dabt load: ldrsw x negative", load(4, true, true, 0x80000000),
		 0xffffffff80000000ULL);
	CHECK_EQ("dabt load: ldrsw x positive", load(4, true, true, 0xffffffff7fffffffULL),
		 0x7fffffff);
	/* zero-extending loads into X (ldrb w is architecturally what ldrb does;
	 * SF=1 with SSE=0 does not occur for sizes < 8, but must not sign extend) */
	CHECK_EQ("dabt load: byte, SF without SSE", load(1, false, true, 0x80), 0x80);
	CHECK_EQ("dabt load: 64-bit with SSE is unchanged", load(8, true, true, 0x8000000000000000ULL),
		 0x8000000000000000ULL);
	CHECK_EQ("dabt load: 32-bit SSE into W keeps 32 bits",
		 load(4, true, false, 0x80000000), 0x80000000);
}

/* Against casts done by the C compiler, over random raw values. */
static void test_load_random(void)
{
	static const unsigned int sizes[] = { 1, 2, 4 };
	unsigned int i, s, bad = 0;

	srand(99);
	for (i = 0; i < 20000; i++) {
		u64 raw = ((u64)rand() << 62) ^ ((u64)rand() << 31) ^ (u64)rand();

		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			unsigned int size = sizes[s];
			s64 sv = size == 1 ? (s8)raw : size == 2 ? (s16)raw : (s32)raw;
			u64 zv = size == 1 ? (u8)raw : size == 2 ? (u16)raw : (u32)raw;

			if (load(size, false, false, raw) != zv ||
			    load(size, false, true, raw) != zv ||
			    load(size, true, true, raw) != (u64)sv ||
			    load(size, true, false, raw) != (u32)sv)
				bad++;
		}
		if (load(8, false, true, raw) != raw)
			bad++;
	}
	CHECK_EQ("dabt load random: agrees with C integer conversions", bad, 0);
}

int main(void)
{
	test_esr();
	test_ipa();
	test_load_value();
	test_load_random();
	return CHECK_DONE();
}
