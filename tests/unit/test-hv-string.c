/*
 * Host unit tests of the hypervisor's string functions
 * (hypervisor/core/string.c), compiled under wd_* names (the host build maps
 * <wd/string.h> onto the C library, whose functions serve as the reference)
 * and compared with the C library on random data: aligned and unaligned
 * pointers, all small lengths, guard bytes around every destination, bytes
 * above 0x7f for the comparisons, and exact-size heap buffers so that
 * AddressSanitizer catches reads past the end.
 */
#include <stdlib.h>

#include "check.h"

#define memcpy wd_memcpy
#define memset wd_memset
#define memcmp wd_memcmp
#define strlen wd_strlen
#define strnlen wd_strnlen
#define strncmp wd_strncmp
#include "../../hypervisor/core/string.c"
#undef memcpy
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strncmp

#define BUF 600

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static unsigned char rnd_byte(void)
{
	return (unsigned char)rand();
}

static void fill(unsigned char *p, size_t n)
{
	while (n--)
		*p++ = rnd_byte();
}

static void test_memcpy(void)
{
	static unsigned char src[BUF] __aligned(16), a[BUF] __aligned(16),
			     b[BUF] __aligned(16);
	unsigned int i, bad = 0, bad_ret = 0, words = 0;

	for (i = 0; i < 8000; i++) {
		size_t so = rand() % 17, d = rand() % 17;
		size_t n = rand() % 4 ? rand() % 70 : rand() % 520;
		void *r;

		if (rand() % 3 == 0) {		/* the word-copy path */
			so &= ~7UL;
			d &= ~7UL;
			n &= ~7UL;
			words++;
		}
		fill(src, BUF);
		fill(a, BUF);
		memcpy(b, a, BUF);
		r = wd_memcpy(a + d, src + so, n);
		memcpy(b + d, src + so, n);
		if (memcmp(a, b, BUF))
			bad++;
		if (r != a + d)
			bad_ret++;
	}
	CHECK("string: memcpy word path exercised", words > 1000);
	CHECK_EQ("string: memcpy equals libc (aligned and unaligned)", bad, 0);
	CHECK_EQ("string: memcpy returns dst", bad_ret, 0);
}

static void test_memset(void)
{
	static unsigned char a[BUF] __aligned(16), b[BUF] __aligned(16);
	static const int values[] = { 0, 0xff, 0x5a, -1, 0x100, 0x1a5, -256 };
	unsigned int i, bad = 0, bad_ret = 0;

	for (i = 0; i < 8000; i++) {
		size_t d = rand() % 17, n = rand() % 4 ? rand() % 70 : rand() % 520;
		int c = values[rand() % ARRAY_SIZE(values)];
		void *r;

		if (rand() % 3 == 0) {		/* the word-zeroing path */
			d &= ~7UL;
			n &= ~7UL;
		}
		fill(a, BUF);
		memcpy(b, a, BUF);
		r = wd_memset(a + d, c, n);
		memset(b + d, c, n);
		if (memcmp(a, b, BUF))
			bad++;
		if (r != a + d)
			bad_ret++;
	}
	CHECK_EQ("string: memset equals libc (values, offsets, lengths)", bad, 0);
	CHECK_EQ("string: memset returns dst", bad_ret, 0);
}

static void test_memcmp(void)
{
	static unsigned char a[BUF], b[BUF];
	unsigned int i, bad = 0, high = 0;

	for (i = 0; i < 8000; i++) {
		size_t oa = rand() % 9, ob = rand() % 9, n = rand() % 100;

		fill(a, BUF);
		memcpy(b + ob, a + oa, n);
		if (n && rand() % 4) {		/* one differing byte */
			size_t at = rand() % n;

			b[ob + at] = rnd_byte();
			if (a[oa + at] >= 0x80 || b[ob + at] >= 0x80)
				high++;
		}
		if (sign(wd_memcmp(a + oa, b + ob, n)) != sign(memcmp(a + oa, b + ob, n)))
			bad++;
	}
	CHECK("string: memcmp saw bytes above 0x7f", high > 1000);
	CHECK_EQ("string: memcmp sign equals libc", bad, 0);
	CHECK_EQ("string: memcmp of 0 bytes", wd_memcmp("a", "b", 0), 0);
	CHECK("string: memcmp compares unsigned bytes", wd_memcmp("\x80", "\x01", 1) > 0);
}

/* An exact-size heap copy: a read past it is an ASan error. */
static char *heap_str(const char *s, size_t bytes)
{
	char *p = malloc(bytes);

	memcpy(p, s, bytes);
	return p;
}

static void test_strings(void)
{
	unsigned int i, bad_len = 0, bad_nlen = 0, bad_ncmp = 0;
	char *p, *q;

	for (i = 0; i < 20000; i++) {
		char sa[64], sb[64];
		size_t la = rand() % 40, lb, k, max = rand() % 50;

		for (k = 0; k < la; k++)
			sa[k] = (char)(1 + rand() % 255);
		sa[la] = '\0';
		/* b: a copy of a, cut or changed somewhere (or equal) */
		memcpy(sb, sa, la + 1);
		lb = la;
		switch (rand() % 4) {
		case 0:
			lb = la ? rand() % la : 0;
			sb[lb] = '\0';
			break;
		case 1:
			if (la)
				sb[rand() % la] = (char)(1 + rand() % 255);
			break;
		case 2:
			for (; lb < 40 && rand() % 3; lb++)
				sb[lb] = (char)(1 + rand() % 255);
			sb[lb] = '\0';
			break;
		}
		p = heap_str(sa, la + 1);
		q = heap_str(sb, lb + 1);
		if (wd_strlen(p) != strlen(p))
			bad_len++;
		if (wd_strnlen(p, max) != strnlen(p, max))
			bad_nlen++;
		if (sign(wd_strncmp(p, q, max)) != sign(strncmp(p, q, max)))
			bad_ncmp++;
		free(p);
		free(q);
	}
	CHECK_EQ("string: strlen equals libc", bad_len, 0);
	CHECK_EQ("string: strnlen equals libc", bad_nlen, 0);
	CHECK_EQ("string: strncmp sign equals libc", bad_ncmp, 0);

	CHECK_EQ("string: strlen of empty", wd_strlen(""), 0);
	/* strnlen must stop at max: an unterminated exact-size buffer */
	p = heap_str("abcdefgh", 8);
	CHECK_EQ("string: strnlen of unterminated buffer stops at max", wd_strnlen(p, 8), 8);
	CHECK_EQ("string: strnlen with max 0", wd_strnlen(p, 0), 0);
	free(p);
	/* strncmp must stop at n and at the terminator */
	p = heap_str("abcX", 4);
	q = heap_str("abcY", 4);
	CHECK_EQ("string: strncmp stops at n", wd_strncmp(p, q, 3), 0);
	CHECK("string: strncmp sees the difference at n-1", wd_strncmp(p, q, 4) < 0);
	free(p);
	free(q);
	p = heap_str("ab", 3);
	q = heap_str("ab", 3);
	CHECK_EQ("string: strncmp stops at the terminator", wd_strncmp(p, q, 100), 0);
	free(p);
	free(q);
	CHECK("string: strncmp compares unsigned chars", wd_strncmp("\xff", "a", 1) > 0);
	CHECK("string: strncmp shorter is less", wd_strncmp("ab", "abc", 5) < 0);
	CHECK_EQ("string: strncmp with n 0", wd_strncmp("a", "b", 0), 0);
}

int main(void)
{
	srand(4242);
	test_memcpy();
	test_memset();
	test_memcmp();
	test_strings();
	return CHECK_DONE();
}
