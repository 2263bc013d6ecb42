/*
 * Host unit tests of the hypervisor's vsnprintf (hypervisor/core/printk.c):
 * conversions, flags, widths, length modifiers, truncation, and a randomized
 * comparison with the C library's snprintf for everything both support.
 *
 * The host's <stdio.h> declares its own vsnprintf, so the hypervisor's is
 * compiled as wd_vsnprintf (stdio.h is already in through check.h and is not
 * read again) and called through wd_snprintf below.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

/*
 * Packed texts (scripts/msg-pack): a dictionary of three fragments, and the
 * "image's read-only data" of these tests, where texts are expanded: the
 * struct rodata below and the buffer the random test fills. Everything else
 * (the literals of the older tests, stack buffers) is run-time text.
 */
/*
 * Eleven fragments: 3-8 fill the first index step (msg_dict_index: the
 * offsets of fragments 0 and 8), 9 holds tokens 0 and 2, 10 holds itself
 * (the decoder stops at MSG_DEPTH levels and prints the byte).
 */
const char msg_dict[] = "the \0memory region #\0cell\0f3\0f4\0f5\0f6\0f7\0f8\0"
			"\200\202 \0<\212>\0";
const unsigned short msg_dict_index[] = { 0, 41 };
const unsigned char msg_dict_tokens = 11;
#define T_THE	"\200"
#define T_MEM	"\201"
#define T_CELL	"\202"
#define T_F8	"\210"		/* the first of the index's second step */
#define T_THECELL "\211"	/* "the " "cell" " " */
#define T_SELF	"\212"		/* "<" itself ">" */
#define T_NONE	"\213"		/* beyond the dictionary */

static const struct {
	char fmt_tokens[32];
	char fmt_arg[16];
	char arg_cell[8];
	char arg_mem[8];
	char arg_mixed[16];
	char unterminated[2];
	char after_unterminated[4];
	char fmt_unknown[8];
	char fmt_width[16];
	char fmt_nested[16];
	char arg_nested[8];
	char arg_self[4];
} rodata = {
	.fmt_tokens = T_THE T_MEM "%u of " T_CELL " '%s'",
	.fmt_arg = "<%s>",
	.arg_cell = T_CELL,
	.arg_mem = T_MEM,
	.arg_mixed = "x" T_CELL "y" T_THE "z",
	.unterminated = { '\201', '\200' },
	.after_unterminated = "ZZZ",
	.fmt_unknown = "a" T_NONE "b",
	.fmt_width = "[%8s][%-6s]",
	.fmt_nested = T_THECELL "'%s' " T_F8 "!",
	.arg_nested = "x" T_THECELL "y",
	.arg_self = T_SELF,
};
static char random_packed[64];

static bool msg_packed(const char *s)
{
	return (s >= (const char *)&rodata && s < (const char *)(&rodata + 1)) ||
	       (s >= random_packed && s < random_packed + sizeof(random_packed));
}

#define vsnprintf wd_vsnprintf
#include "../../hypervisor/core/printk.c"
#undef vsnprintf

static char name[200];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

static int __attribute__((format(printf, 3, 4)))
wd_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = wd_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static char out[256];
/* NULL that the compiler cannot see (it warns about literal NULL for %s). */
static const char *volatile null_str;

/* Format into a large buffer; check text and return value. */
#define FMT(want, ...) do {							\
	int n_ = wd_snprintf(out, sizeof(out), __VA_ARGS__);			\
	CHECK_STR(NAME("printk: %s -> \"%s\"", #__VA_ARGS__, want), out, want);	\
	CHECK_EQ(NAME("printk: %s returns %zu", #__VA_ARGS__, strlen(want)),	\
		 n_, strlen(want));						\
} while (0)

static void test_conversions(void)
{
	char ptr[40];
	int x;

	FMT("42", "%d", 42);
	FMT("-42", "%d", -42);
	FMT("0", "%d", 0);
	FMT("-2147483648", "%d", INT_MIN);
	FMT("2147483647", "%i", INT_MAX);
	FMT("4294967295", "%u", UINT_MAX);
	FMT("0", "%u", 0u);
	FMT("deadbeef", "%x", 0xdeadbeefu);
	FMT("DEADBEEF", "%X", 0xdeadbeefu);
	FMT("0", "%x", 0u);
	FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	FMT("ffffffffffffffff", "%llx", ~0ULL);
	FMT("18446744073709551615", "%llu", ~0ULL);
	FMT("-9223372036854775808", "%lld", LLONG_MIN);
	FMT("9223372036854775807", "%lld", LLONG_MAX);
	FMT("18446744073709551615", "%lu", ULONG_MAX);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("ffffffffffffffff", "%lx", ULONG_MAX);
	FMT("18446744073709551615", "%zu", SIZE_MAX);
	FMT("4096", "%zu", (size_t)4096);
	FMT("1000", "%zx", (size_t)4096);
	FMT("hello", "%s", "hello");
	FMT("", "%s", "");
	FMT("(null)", "%s", null_str);
	FMT("x", "%c", 'x');
	FMT("a\xff" "b", "a%cb", 0xff);
	FMT("100%", "%d%%", 100);
	FMT("%", "%%");
	FMT("no conversions", "no conversions");
	FMT("", "%s", "");
	FMT("cpu 3 cell 'linux' at 0x40000000",
	    "cpu %u cell '%s' at 0x%llx", 3u, "linux", 0x40000000ULL);

	/* %p: 0x and lower-case hex of the pointer value */
	snprintf(ptr, sizeof(ptr), "0x%lx", (unsigned long)(uintptr_t)&x);
	FMT(ptr, "%p", (void *)&x);
	FMT("0xffff800010000000", "%p", (void *)0xffff800010000000ULL);
}

/* Precision for %s: the configuration validator prints signatures with %.5s. */
static void test_precision(void)
{
	static const char unterminated[5] = { 'J', 'H', 'C', 'L', 'L' };
	int arg = 3;

	FMT("JHCLL", "%.5s", unterminated);
	FMT("JHC", "%.*s", arg, "JHCLL");
	FMT("ab", "%.5s", "ab");
	FMT("", "%.0s", "abc");
	FMT("  abc", "%5.3s", "abcdef");
	FMT("abc  |7", "%-5.3s|%u", "abcdef", 7u);
	FMT("all", "%.*s", -1, "all");
}

static void test_width(void)
{
	FMT("   42", "%5d", 42);
	FMT("  -42", "%5d", -42);
	FMT("00042", "%05d", 42);
	FMT("-0042", "%05d", -42);
	FMT("42   |", "%-5d|", 42);
	FMT("-42  |", "%-5d|", -42);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	FMT("-42  |", "%-05d|", -42);	/* '-' wins over '0' */
#pragma GCC diagnostic pop
	FMT("123456", "%3d", 123456);
	FMT("-123456", "%03d", -123456);
	FMT("0000beef", "%08x", 0xbeefu);
	FMT("    BEEF", "%8X", 0xbeefu);
	FMT("beef    |", "%-8x|", 0xbeefu);
	FMT("0000000000001000", "%016llx", 0x1000ULL);
	FMT("00000000deadbeef", "%016lx", 0xdeadbeefUL);
	FMT("  abc", "%5s", "abc");
	FMT("abc  |", "%-5s|", "abc");
	FMT("abcdef", "%3s", "abcdef");
	FMT("     (null)", "%11s", null_str);
	FMT("        0", "%9u", 0u);
	FMT("[  7][7  ][007]", "[%3u][%-3u][%03u]", 7u, 7u, 7u);
	FMT("0000000000000000000000000000001", "%031d", 1);
}

static void test_truncation(void)
{
	char buf[16];
	int n;

	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 5, "hello %s", "world");
	CHECK_STR("printk trunc: text cut to size - 1", buf, "hell");
	CHECK_EQ("printk trunc: returns the full length", n, 11);
	CHECK("printk trunc: nothing written past size", buf[5] == '#' && buf[15] == '#');

	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 6, "%05d", -42);
	CHECK_STR("printk trunc: exact fit", buf, "-0042");
	CHECK_EQ("printk trunc: exact fit length", n, 5);
	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 5, "%05d", -42);
	CHECK_STR("printk trunc: one short", buf, "-004");
	CHECK_EQ("printk trunc: one short length", n, 5);

	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 1, "%llx", 0x1234ULL);
	CHECK_STR("printk trunc: size 1 gives an empty string", buf, "");
	CHECK_EQ("printk trunc: size 1 length", n, 4);
	CHECK("printk trunc: size 1 writes one byte", buf[1] == '#');

	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 0, "%s and %d", "text", 12345);
	CHECK_EQ("printk trunc: size 0 returns the length", n, 14);
	CHECK("printk trunc: size 0 writes nothing", buf[0] == '#');
	n = wd_snprintf(NULL, 0, "%-20s|", "x");
	CHECK_EQ("printk trunc: NULL buffer with size 0", n, 21);

	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 8, "%-12s|", "ab");
	CHECK_STR("printk trunc: padding is truncated too", buf, "ab     ");
	CHECK_EQ("printk trunc: padding counts in the length", n, 13);
}

static void test_odd_formats(void)
{
	char *fmt;
	int n;

	/* A lone '%' at the end: nothing read past the terminator (ASan sees
	 * the exact-size heap copy). */
	fmt = strdup("abc%");
	n = wd_snprintf(out, sizeof(out), fmt, 0);
	CHECK_STR("printk odd: trailing % is dropped", out, "abc");
	CHECK_EQ("printk odd: trailing % length", n, 3);
	free(fmt);
	fmt = strdup("x%05");
	n = wd_snprintf(out, sizeof(out), fmt, 0);
	CHECK_STR("printk odd: trailing flags and width", out, "x");
	free(fmt);
	fmt = strdup("x%ll");
	n = wd_snprintf(out, sizeof(out), fmt, 0);
	CHECK_STR("printk odd: trailing length modifier", out, "x");
	free(fmt);
	/* An unknown conversion is shown, not interpreted (no argument taken). */
	fmt = strdup("%q%d");
	n = wd_snprintf(out, sizeof(out), fmt, 5);
	CHECK_STR("printk odd: unknown conversion printed as is", out, "%q5");
	free(fmt);
}

/* Packed texts: expanded in formats and %s from the read-only data only. */
static void test_packed(void)
{
	char runtime[16], buf[16];
	int n;

	FMT("the memory region #3 of cell 'demo'", rodata.fmt_tokens, 3u, "demo");
	FMT("<cell>", rodata.fmt_arg, rodata.arg_cell);
	FMT("<xcellythe z>", rodata.fmt_arg, rodata.arg_mixed);
	FMT("cell 'cell'", "%s '%s'", rodata.arg_cell, rodata.arg_cell);

	/* Run-time text prints as it is: a cell name in UTF-8, a copied token. */
	snprintf(runtime, sizeof(runtime), "caf\xc3\xa9" T_CELL);
	FMT("the memory region #1 of cell 'caf\xc3\xa9\202'", rodata.fmt_tokens, 1u, runtime);
	FMT("caf\xc3\xa9\202", "%s", runtime);
	FMT("<caf\xc3\xa9\202>", rodata.fmt_arg, runtime);
	/* A format outside the read-only data is not expanded either. */
	snprintf(runtime, sizeof(runtime), "%s", T_THE "%u");
	n = wd_snprintf(out, sizeof(out), runtime, 5u);
	CHECK_STR("printk packed: run-time format printed as it is", out, "\200" "5");
	CHECK_EQ("printk packed: run-time format length", n, 2);

	/* A token the dictionary lacks prints as itself. */
	FMT("a\213b", rodata.fmt_unknown);

	/* Fragments holding tokens, found through the index's second step. */
	FMT("the cell 'demo' f8!", rodata.fmt_nested, "demo");
	FMT("the cell 'xthe cell y' f8!", rodata.fmt_nested, rodata.arg_nested);
	FMT("xthe cell y", "%s", rodata.arg_nested);
	FMT("xthe c", "%.6s", rodata.arg_nested);
	FMT("    xthe cell y|", "%15s|", rodata.arg_nested);
	/* A fragment holding itself: MSG_DEPTH levels, then the byte. */
	FMT("<<<<\212>>>>", "%s", rodata.arg_self);

	/* Width and precision count expanded characters. */
	FMT("[    cell][cell  ]", rodata.fmt_width, rodata.arg_cell, rodata.arg_cell);
	FMT("[memory region #][cell  ]", rodata.fmt_width, rodata.arg_mem, rodata.arg_cell);
	FMT("memory", "%.6s", rodata.arg_mem);
	FMT("  cel|", "%5.3s|", rodata.arg_cell);
	FMT("xcellyt", "%.7s", rodata.arg_mixed);
	FMT("", "%.0s", rodata.arg_mem);
	/* Unterminated: two tokens, 17 characters; nothing after them is read. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-overflow"
	FMT("memory region #th", "%.17s", rodata.unterminated);
	FMT("memory region #the ", "%.19s", rodata.unterminated);
#pragma GCC diagnostic pop

	/* Truncation and the return value are those of the expanded text. */
	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 10, rodata.fmt_tokens, 12u, "x");
	CHECK_STR("printk packed: truncated inside a fragment", buf, "the memor");
	CHECK_EQ("printk packed: truncated returns the expanded length", n,
		 strlen("the memory region #12 of cell 'x'"));
	CHECK("printk packed: nothing written past size", buf[10] == '#');
	n = wd_snprintf(NULL, 0, rodata.fmt_arg, rodata.arg_mixed);
	CHECK_EQ("printk packed: size 0 returns the expanded length", n, 13);
	memset(buf, '#', sizeof(buf));
	n = wd_snprintf(buf, 4, rodata.fmt_arg, rodata.arg_mem);
	CHECK_STR("printk packed: %s truncated inside a fragment", buf, "<me");
	CHECK_EQ("printk packed: %s truncated length", n, 17);
}

/* Random packed %s with widths and precisions: as libc on the expanded text. */
static void test_packed_random(void)
{
	static const char *const frags[] = { "the ", "memory region #", "cell", "the cell " };
	static const unsigned char tokens[] = { 0x80, 0x81, 0x82, 0x89 };
	unsigned int i, bad = 0;
	char want[1100], got[1100], expanded[64 * 16], fmt[32];

	srand(19);
	for (i = 0; i < 20000; i++) {
		size_t plen = rand() % (sizeof(random_packed) - 1), k, elen = 0;
		int width = rand() % 40 - 5, prec = rand() % 3 ? rand() % 60 : -1;
		size_t size = rand() % 2 ? sizeof(got) : (size_t)(rand() % 30);
		int nw, ng;

		for (k = 0; k < plen; k++) {
			int t = rand() % 7;

			if (t < 4) {
				random_packed[k] = (char)tokens[t];
				strcpy(expanded + elen, frags[t]);
				elen += strlen(frags[t]);
			} else {
				random_packed[k] = (char)('a' + rand() % 26);
				expanded[elen++] = random_packed[k];
			}
		}
		random_packed[plen] = '\0';
		expanded[elen] = '\0';
		memset(want, 0, sizeof(want));
		memset(got, 0, sizeof(got));
		/* The hypervisor's printf has no '*' width: a width in the format. */
		snprintf(fmt, sizeof(fmt), "<%%%s%d.*s>", width < 0 ? "-" : "", abs(width));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		nw = snprintf(want, size, fmt, prec, expanded);
		ng = wd_snprintf(got, size, fmt, prec, random_packed);
#pragma GCC diagnostic pop
		if (nw != ng || memcmp(want, got, sizeof(got))) {
			if (bad++ < 3)
				printf("# %s precision %d size %zu: libc \"%s\" (%d), "
				       "hypervisor \"%s\" (%d)\n", fmt, prec, size, want, nw, got, ng);
		}
	}
	CHECK_EQ("printk packed random: text and length equal libc's on the expanded text",
		 bad, 0);
}

/* Random numbers and flags: same text and length as the C library. */
static void test_random(void)
{
	static const char *const convs[] = { "d", "i", "u", "x", "X", "ld", "lu",
					     "lx", "lld", "llu", "llx", "llX", "zu", "zx" };
	unsigned int i, bad_text = 0, bad_len = 0;
	char fmt[32], want[128], got[128];

	srand(2024);
	for (i = 0; i < 200000; i++) {
		const char *c = convs[rand() % ARRAY_SIZE(convs)];
		int flag = rand() % 3, width = rand() % 4 ? rand() % 25 : 0;
		unsigned long long v = ((unsigned long long)rand() << 33) ^
				       ((unsigned long long)rand() << 11) ^ rand();
		size_t size = rand() % 3 ? sizeof(got) : (size_t)(rand() % 12);
		int nw, ng;

		if (rand() % 4 == 0)
			v >>= rand() % 64;	/* small numbers too */
		if (width)
			snprintf(fmt, sizeof(fmt), "<%s%d%s>", flag == 1 ? "0" :
				 flag == 2 ? "-" : "", width, c);
		else
			snprintf(fmt, sizeof(fmt), "<%s%s>", flag == 2 ? "-" : "", c);
		memset(want, 0, sizeof(want));
		memset(got, 0, sizeof(got));
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		if (c[0] == 'd' || c[0] == 'i') {
			nw = snprintf(want, size, fmt, (int)v);
			ng = wd_snprintf(got, size, fmt, (int)v);
		} else if (c[0] == 'u' || c[0] == 'x' || c[0] == 'X') {
			nw = snprintf(want, size, fmt, (unsigned int)v);
			ng = wd_snprintf(got, size, fmt, (unsigned int)v);
		} else if (c[0] == 'z') {
			nw = snprintf(want, size, fmt, (size_t)v);
			ng = wd_snprintf(got, size, fmt, (size_t)v);
		} else if (c[1] == 'l') {
			nw = snprintf(want, size, fmt, v);
			ng = wd_snprintf(got, size, fmt, v);
		} else {
			nw = snprintf(want, size, fmt, (unsigned long)v);
			ng = wd_snprintf(got, size, fmt, (unsigned long)v);
		}
#pragma GCC diagnostic pop
		if (memcmp(want, got, sizeof(got))) {
			if (bad_text++ < 3)
				printf("# %s size %zu: libc \"%s\", hypervisor \"%s\"\n",
				       fmt, size, want, got);
		}
		if (nw != ng)
			bad_len++;
	}
	CHECK_EQ("printk random: text equals the C library's", bad_text, 0);
	CHECK_EQ("printk random: length equals the C library's", bad_len, 0);
}

int main(void)
{
	test_conversions();
	test_precision();
	test_width();
	test_truncation();
	test_odd_formats();
	test_packed();
	test_packed_random();
	test_random();
	return CHECK_DONE();
}
