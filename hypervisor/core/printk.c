/*
 * A small vsnprintf: %d %i %u %x %X %p %s %c %%, with the flags '-' and '0',
 * a field width, a precision for %s (".N" or ".*": at most N characters, as
 * the shared configuration validator uses for signatures), and the length
 * modifiers l, ll, z.
 */
#include <wd/printk.h>
#include <wd/string.h>

/*
 * Packed texts: the build (scripts/msg-pack) replaces frequent fragments of
 * the literals that are only ever printed (formats, and literal arguments
 * for %s) by one byte each, MSG_TOKEN_FIRST and up; msg_dict holds the
 * fragments in token order, each NUL-terminated, then an empty one. A
 * fragment may hold earlier tokens, at most MSG_DEPTH levels deep (the
 * packer's MAX_DEPTH); msg_dict_index[] has the offset of every
 * MSG_INDEX_STEP-th fragment (the packer's INDEX_STEP). A format
 * or %s text is expanded only when it lies in the image's read-only data:
 * text made at run time (a cell's name, bytes >= 0x80 of UTF-8 included)
 * prints as it is. Widths, precisions and truncation apply to the expanded
 * text, so the output is what the unpacked sources give.
 */
#define MSG_TOKEN_FIRST	0x80
#define MSG_DEPTH	4
#define MSG_INDEX_STEP	8

extern const char msg_dict[];
extern const unsigned short msg_dict_index[];
extern const unsigned char msg_dict_tokens;

#ifndef __WARDEN_HOST_TEST__
/* The read-only data pages start where the code ends (hypervisor.lds). */
extern const char __text_end[], __rodata_end[];

static bool msg_packed(const char *s)
{
	return s >= __text_end && s < __rodata_end;
}
#endif

/* The fragment of @token, or NULL when the dictionary has none. */
static const char *msg_fragment(unsigned char token)
{
	unsigned int t = token - MSG_TOKEN_FIRST;
	const char *f;

	if (t >= msg_dict_tokens)
		return NULL;
	f = msg_dict + msg_dict_index[t / MSG_INDEX_STEP];
	for (t %= MSG_INDEX_STEP; t; t--)
		while (*f++)
			;
	return f;
}

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

/*
 * At most @max characters (all when negative) of @s, expanded when @packed,
 * into @o, or only counted when @o is NULL. Reads no byte of @s beyond what
 * the characters output need (a %.Ns argument need not be terminated).
 * Returns the number of characters.
 */
static int out_text(struct out *o, const char *s, int max, bool packed)
{
	/* @s, then the fragments being expanded, innermost last. */
	const char *at[MSG_DEPTH + 1];
	unsigned int depth = 0;
	int n = 0;

	at[0] = s;

	while (max < 0 || n < max) {
		char c = *at[depth]++;
		const char *f;

		if (!c) {
			if (!depth)
				break;
			depth--;	/* the fragment is done: back to its holder */
			continue;
		}
		/* A fragment's own tokens are always packed text. */
		if ((packed || depth) && (unsigned char)c >= MSG_TOKEN_FIRST &&
		    depth < MSG_DEPTH && (f = msg_fragment(c))) {
			at[++depth] = f;
			continue;
		}
		if (o)
			out_char(o, c);
		n++;
	}
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	bool packed = msg_packed(fmt);

	for (; *fmt; fmt++) {
		bool zero_pad = false, left = false;
		int width = 0, longs = 0, precision = -1;
		unsigned long long v;
		const char *s;

		if (*fmt != '%') {
			const char *f = packed && (unsigned char)*fmt >= MSG_TOKEN_FIRST ?
					msg_fragment(*fmt) : NULL;

			if (f)
				out_text(&o, f, -1, true);
			else
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
			bool s_packed;
			int len;

			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			s_packed = msg_packed(s);
			len = out_text(NULL, s, precision, s_packed);
			if (!left)
				for (; width > len; width--)
					out_char(&o, ' ');
			out_text(&o, s, len, s_packed);
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
