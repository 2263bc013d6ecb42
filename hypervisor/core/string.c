/*
 * The few string functions the hypervisor needs. Byte-wise on purpose: they also
 * run with the EL2 MMU off, where every access is Device memory and unaligned
 * wide accesses would fault.
 */
#include <wd/string.h>
#include <wd/in-slot.h>	/* each function but memset (too large) */

/* Runs with the EL2 MMU off (Device memory): see scripts/mmu-off-check. */
#ifdef __WARDEN_FREESTANDING__
#pragma GCC target("strict-align")
#endif

IN_SLOT("memcpy") void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	/* Word copies when both sides are aligned: the common case for pages. */
	if (((uintptr_t)d | (uintptr_t)s | n) % 8 == 0) {
		u64 *dw = dst;
		const u64 *sw = src;

		for (n /= 8; n; n--)
			*dw++ = *sw++;
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	if (c == 0 && ((uintptr_t)d | n) % 8 == 0) {
		u64 *dw = dst;

		/* Pages (pool allocations): a cache line per iteration. */
		for (; n >= 64; n -= 64, dw += 8) {
			dw[0] = 0; dw[1] = 0; dw[2] = 0; dw[3] = 0;
			dw[4] = 0; dw[5] = 0; dw[6] = 0; dw[7] = 0;
		}
		for (n /= 8; n; n--)
			*dw++ = 0;
		return dst;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

IN_SLOT("memcmp") int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

IN_SLOT("strlen") size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

IN_SLOT("strnlen") size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

IN_SLOT("strncmp") int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}
