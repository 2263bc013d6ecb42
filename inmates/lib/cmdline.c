/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: a NUL-terminated string of blank-separated "key=value"
 * or "key" words at +0x1000 of the image, placed there by the root with
 * "warden cell load NAME IMAGE -s 'key=value ...' -a 0x1000". The page is
 * zeros in the image itself, so no string means an empty command line.
 * Later words win over earlier ones with the same key.
 *
 * Bare variant: QEMU passes "-append" as /chosen/bootargs of the device tree
 * whose address its boot stub leaves in x0; it is copied into the page.
 */
#include "internal.h"

/* Placed at +0x1000 by the linker script; must stay exactly one page. */
static char cmdline_page[INMATE_CMDLINE_SIZE]
	__attribute__((section(".cmdline"), used, aligned(INMATE_CMDLINE_SIZE)));

void cmdline_init(u64 boot_x0)
{
	if (inmate_is_bare() && !cmdline_page[0] && boot_x0) {
		size_t len = 0;
		const char *args = fdt_bootargs(boot_x0, &len);

		if (args) {
			if (len > sizeof(cmdline_page) - 1)
				len = sizeof(cmdline_page) - 1;
			memcpy(cmdline_page, args, len);
			cmdline_page[len] = '\0';
		}
	}
	/* A string of 4 KiB or more is cut, never read past the page. */
	cmdline_page[sizeof(cmdline_page) - 1] = '\0';
}

const char *cmdline(void)
{
	return cmdline_page;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The value of the last word with this key: start and length, or NULL. */
static const char *find(const char *key, size_t *vlen)
{
	const char *p = cmdline_page, *found = NULL;
	size_t klen = strlen(key);

	while (*p) {
		const char *w = p;
		size_t wlen = 0;

		while (*p && is_blank(*p))
			p++;
		w = p;
		while (*p && !is_blank(*p))
			p++;
		wlen = p - w;
		if (wlen >= klen && !strncmp(w, key, klen)) {
			if (wlen == klen) {
				found = w + wlen;
				*vlen = 0;
			} else if (w[klen] == '=') {
				found = w + klen + 1;
				*vlen = wlen - klen - 1;
			}
		}
	}
	return found;
}

const char *cmdline_get(const char *key, const char *def, char *buf, size_t size)
{
	size_t vlen;
	const char *v = find(key, &vlen);

	if (!v || !size)
		return def;
	if (vlen > size - 1)
		vlen = size - 1;
	memcpy(buf, v, vlen);
	buf[vlen] = '\0';
	return buf;
}

bool cmdline_has(const char *key)
{
	size_t vlen;

	return find(key, &vlen) != NULL;
}

bool parse_u64(const char *s, const char **end, u64 *out)
{
	unsigned int base = 10;
	u64 v = 0;
	bool any = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		v = v * base + d;
		any = true;
	}
	if (!any)
		return false;
	switch (*s) {
	case 'k': case 'K': v <<= 10; s++; break;
	case 'm': case 'M': v <<= 20; s++; break;
	case 'g': case 'G': v <<= 30; s++; break;
	}
	if (end)
		*end = s;
	*out = v;
	return true;
}

u64 cmdline_get_u64(const char *key, u64 def)
{
	char buf[24];
	const char *v = cmdline_get(key, NULL, buf, sizeof(buf)), *end;
	u64 n;

	if (!v || !parse_u64(v, &end, &n) || *end)
		return def;
	return n;
}
