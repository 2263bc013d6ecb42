/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few string functions the library uses, and that GCC may call on its
 * own for structure copies and clears. Byte loops: the MMU is off, all memory
 * is Device memory, and these must never make an unaligned access.
 */
#include "internal.h"

void *memset(void *s, int c, size_t n)
{
	volatile u8 *p = s;

	while (n--)
		*p++ = (u8)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile u8 *d = dst;
	const volatile u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			break;
	}
	return 0;
}
