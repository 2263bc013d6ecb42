/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Formatted output. A message is formatted into a buffer on the stack and
 * handed to the console in one piece.
 */
#include "internal.h"

#define PRINTK_BUF	256

struct out {
	char *buf;
	size_t size;
	size_t len;	/* what the whole output would be, like snprintf */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, u64 v, bool negative, unsigned int base,
		       bool upper, int width, bool left, bool zero, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = prefix ? (int)strlen(prefix) : 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		plen++;
	if (zero && !left) {
		/* sign and prefix go before the zeros */
		if (negative)
			put(o, '-');
		while (prefix && *prefix)
			put(o, *prefix++);
		while (width-- > n + plen)
			put(o, '0');
	} else {
		int fill = width - n - plen;

		if (!left)
			while (fill-- > 0)
				put(o, ' ');
		if (negative)
			put(o, '-');
		while (prefix && *prefix)
			put(o, *prefix++);
		if (left) {
			while (n)
				put(o, tmp[--n]);
			while (fill-- > 0)
				put(o, ' ');
			return;
		}
	}
	while (n)
		put(o, tmp[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		bool left = false, zero = false, alt = false;
		int width = 0, lng = 0;
		const char *s;
		u64 v;
		s64 sv;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = 1;
			else if (*fmt != 'h')
				break;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			sv = lng ? va_arg(ap, s64) : va_arg(ap, int);
			put_number(&o, sv < 0 ? -(u64)sv : (u64)sv, sv < 0, 10,
				   false, width, left, zero, NULL);
			break;
		case 'u':
			v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			put_number(&o, v, false, 10, false, width, left, zero, NULL);
			break;
		case 'x':
		case 'X':
			v = lng ? va_arg(ap, u64) : va_arg(ap, unsigned int);
			put_number(&o, v, false, 16, *fmt == 'X', width, left, zero,
				   alt ? "0x" : NULL);
			break;
		case 'p':
			v = (u64)(uintptr_t)va_arg(ap, void *);
			put_number(&o, v, false, 16, false, width, left, zero, "0x");
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			put_padded(&o, s, strlen(s), width, left, ' ');
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			put_padded(&o, &c, 1, width, left, ' ');
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;	/* a lone '%' at the end */
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int printk(const char *fmt, ...)
{
	char buf[PRINTK_BUF];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, strnlen(buf, sizeof(buf)));
	return n;
}
