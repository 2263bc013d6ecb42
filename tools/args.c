// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsing with logic in it, kept free of I/O so that the host unit
 * tests (tests/unit/test-tool-args.c) can include this file on its own.
 */
#include <stdio.h>
#include <string.h>

#include "warden.h"

int wd_parse_addr(const char *s, __u64 *out)
{
	unsigned int base = 10;
	__u64 v = 0;

	if (!s || !*s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -1;
	}
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return -1;
		if (v > (~(__u64)0 - d) / base)
			return -1;	/* would not fit 64 bits */
		v = v * base + d;
	}
	*out = v;
	return 0;
}

/* A cell ID as Jailhouse's tool takes it: decimal, or hexadecimal with 0x. */
static int is_cell_number(const char *s)
{
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

	if (hex)
		s += 2;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(*s >= '0' && *s <= '9') &&
		    !(hex && ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))))
			return 0;
	return 1;
}

int wd_prog_is_jailhouse(const char *argv0)
{
	const char *base;

	if (!argv0)
		return 0;
	base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	return strcmp(base, "jailhouse") == 0;
}

size_t wd_usage_text(const char *usage, const char *prog, char *out, size_t len)
{
	static const char word[] = "warden ";
	size_t n = 0, wl = sizeof(word) - 1, pl = strlen(prog);
	const char *p = usage;

	if (!len)
		return 0;
	while (*p && n + 1 < len) {
		/* The command's name at the start of a word: "usage: warden cell ..." */
		if (strncmp(p, word, wl) == 0 && (p == usage || p[-1] == ' ' || p[-1] == '"' ||
						   p[-1] == '\n' || p[-1] == '(' ||
						   p[-1] == '\'')) {
			if (n + pl + 1 >= len)
				break;
			memcpy(out + n, prog, pl);
			n += pl;
			out[n++] = ' ';
			p += wl;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	return n;
}

static int set_name(struct wd_cell_id *id, const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);

	if (len == 0) {
		snprintf(err, errlen, "empty cell name");
		return -1;
	}
	if (len >= WD_CELL_NAME_LEN) {
		snprintf(err, errlen, "cell name '%s' is longer than %d characters", name,
			 WD_CELL_NAME_LEN - 1);
		return -1;
	}
	id->id = WD_CELL_ID_BY_NAME;
	memcpy(id->name, name, len + 1);
	return 0;
}

int wd_parse_cell_ref(int argc, char **argv, int *i, struct wd_cell_id *id,
		      char *err, size_t errlen)
{
	const char *arg;
	__u64 v;

	memset(id, 0, sizeof(*id));
	if (*i >= argc) {
		snprintf(err, errlen, "missing cell (NAME or ID)");
		return -1;
	}
	arg = argv[*i];
	if (strcmp(arg, "--name") == 0 || strcmp(arg, "-n") == 0) {
		if (*i + 1 >= argc) {
			snprintf(err, errlen, "%s needs a cell name", arg);
			return -1;
		}
		if (set_name(id, argv[*i + 1], err, errlen))
			return -1;
		*i += 2;
		return 0;
	}
	if (arg[0] == '-' && arg[1]) {
		snprintf(err, errlen, "unknown option '%s' where the cell (NAME or ID) belongs", arg);
		return -1;
	}
	if (is_cell_number(arg)) {
		if (wd_parse_addr(arg, &v) || v > 0x7fffffff) {
			snprintf(err, errlen, "cell ID %s is out of range", arg);
			return -1;
		}
		id->id = (__s32)v;
		*i += 1;
		return 0;
	}
	if (set_name(id, arg, err, errlen))
		return -1;
	*i += 1;
	return 0;
}

int wd_parse_load_items(int argc, char **argv, int i, struct wd_load_item *items,
			int max, char *err, size_t errlen)
{
	int n = 0;

	for (; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "-a") == 0 || strcmp(arg, "--address") == 0) {
			struct wd_load_item *last = n ? &items[n - 1] : NULL;

			if (!last) {
				snprintf(err, errlen, "%s must follow an image or a -s STRING", arg);
				return -1;
			}
			if (last->has_addr) {
				snprintf(err, errlen, "%s given twice for %s%s%s", arg,
					 last->path ? "'" : "the string", last->path ? last->path : "",
					 last->path ? "'" : "");
				return -1;
			}
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs an address", arg);
				return -1;
			}
			if (wd_parse_addr(argv[i + 1], &last->addr)) {
				snprintf(err, errlen,
					 "invalid address '%s' (decimal, or hexadecimal with 0x)",
					 argv[i + 1]);
				return -1;
			}
			last->has_addr = 1;
			i++;
			continue;
		}
		if (n == max) {
			snprintf(err, errlen, "more than %d images and strings", max);
			return -1;
		}
		if (strcmp(arg, "-s") == 0 || strcmp(arg, "--string") == 0) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a string", arg);
				return -1;
			}
			memset(&items[n], 0, sizeof(items[n]));
			items[n++].string = argv[++i];
			continue;
		}
		if (arg[0] == '-' && arg[1]) {
			snprintf(err, errlen, "unknown option '%s'", arg);
			return -1;
		}
		memset(&items[n], 0, sizeof(items[n]));
		items[n++].path = arg;
	}
	if (n == 0) {
		snprintf(err, errlen, "nothing to load (give an IMAGE or -s STRING)");
		return -1;
	}
	return n;
}
