/*
 * A small vsnprintf: %d %i %u %x %X %p %s %c %%, with the flags '-' and '0',
 * a field width, a precision for %s (".N" or ".*": at most N characters, as
 * the shared configuration validator uses for signatures), and the length
 * modifiers l, ll, z.
 */
#include <wd/printk.h>
#include <wd/string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_number(struct out *o, unsigned long long v, unsigned int base,
		       bool upper, bool negative, int width, bool zero_pad,
		       bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + (negative ? 1 : 0);

	if (negative && zero_pad)
		out_char(o, '-');
	if (!left)
		for (; width > len; width--)
			out_char(o, zero_pad ? '0' : ' ');
	if (negative && !zero_pad)
		out_char(o, '-');
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		for (; width > len; width--)
			out_char(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };

	for (; *fmt; fmt++) {
		bool zero_pad = false, left = false;
		int width = 0, longs = 0, precision = -1;
		unsigned long long v;
		const char *s;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				zero_pad = true;
			else if (*fmt == '-')
				left = true;
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			precision = 0;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				precision = precision * 10 + (*fmt++ - '0');
		}
		while (*fmt == 'l' || *fmt == 'z') {
			longs += (*fmt == 'z') ? 2 : 1;
			fmt++;
		}
		if (left)
			zero_pad = false;

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long sv;

			if (longs >= 2)
				sv = va_arg(ap, long long);
			else if (longs == 1)
				sv = va_arg(ap, long);
			else
				sv = va_arg(ap, int);
			v = sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv;
			out_number(&o, v, 10, false, sv < 0, width, zero_pad, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			if (longs >= 2)
				v = va_arg(ap, unsigned long long);
			else if (longs == 1)
				v = va_arg(ap, unsigned long);
			else
				v = va_arg(ap, unsigned int);
			out_number(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				   false, width, zero_pad, left);
			break;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, v, 16, false, false, width, zero_pad, left);
			break;
		case 's': {
			int len;

			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			/* Not strlen: with a precision, s need not be terminated. */
			for (len = 0; s[len] && (precision < 0 || len < precision); len++)
				;
			if (!left)
				for (; width > len; width--)
					out_char(&o, ' ');
			for (int i = 0; i < len; i++)
				out_char(&o, s[i]);
			if (left)
				for (; width > len; width--)
					out_char(&o, ' ');
			break;
		}
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

#ifndef __WARDEN_HOST_TEST__
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
#endif
