// SPDX-License-Identifier: GPL-2.0
/*
 * The text/JSON emitter of "warden config dump" (dump-out.h). Text puts one
 * field per line, indented by nesting, or all fields of an array entry on one
 * line; JSON is indented two spaces per level. Untrusted strings are escaped
 * in both.
 */
#include <stdio.h>
#include <string.h>

#include "dump-out.h"

static void out_indent(struct out *o, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		fputs("  ", o->f);
}

/* Starts a field: the JSON separator and key, or the text label. */
void out_field(struct out *o, const char *key)
{
	if (o->json) {
		if (o->used[o->depth])
			fputc(',', o->f);
		o->used[o->depth] = 1;
		fputc('\n', o->f);
		out_indent(o, o->depth);
		if (!o->array[o->depth])
			fprintf(o->f, "\"%s\": ", key);
	} else if (o->line) {
		fprintf(o->f, " %s ", key);
	} else {
		out_indent(o, o->depth);
		fprintf(o->f, "%s: ", key);
	}
}

void out_field_end(struct out *o)
{
	if (!o->json && !o->line)
		fputc('\n', o->f);
}

void out_push(struct out *o, int array)
{
	/* The walk below nests at most four levels deep (OUT_MAX_DEPTH is plenty). */
	o->depth++;
	o->used[o->depth] = 0;
	o->array[o->depth] = array;
}

/*
 * An object. In text, @one_line puts all its fields on one line (array
 * entries); otherwise each field gets its own, indented line.
 */
void out_obj_begin(struct out *o, const char *key, int one_line)
{
	if (o->json) {
		out_field(o, key);
		fputc('{', o->f);
		out_push(o, 0);
		return;
	}
	out_indent(o, o->depth);
	fprintf(o->f, "%s:", key);
	if (one_line) {
		o->line = 1;
	} else {
		fputc('\n', o->f);
		o->depth++;
	}
}

void out_obj_end(struct out *o)
{
	if (o->json) {
		int used = o->used[o->depth];

		o->depth--;
		if (used) {
			fputc('\n', o->f);
			out_indent(o, o->depth);
		}
		fputc('}', o->f);
		return;
	}
	if (o->line) {
		fputc('\n', o->f);
		o->line = 0;
	} else {
		o->depth--;
	}
}

/*
 * An array of objects with @count entries announced and @present of them
 * inside the blob.
 */
void out_arr_begin(struct out *o, const char *key, __u64 count, __u64 present)
{
	if (o->json) {
		out_field(o, key);
		fputc('[', o->f);
		out_push(o, 1);
		return;
	}
	out_indent(o, o->depth);
	if (!count)
		fprintf(o->f, "%s: none\n", key);
	else if (present < count)
		fprintf(o->f, "%s: %llu, only %llu inside the file\n", key,
			(unsigned long long)count, (unsigned long long)present);
	else
		fprintf(o->f, "%s: %llu\n", key, (unsigned long long)count);
	o->depth++;
}

void out_arr_end(struct out *o)
{
	if (o->json) {
		int used = o->used[o->depth];

		o->depth--;
		if (used) {
			fputc('\n', o->f);
			out_indent(o, o->depth);
		}
		fputc(']', o->f);
		return;
	}
	o->depth--;
}

void out_put_u(struct out *o, const char *key, __u64 v)
{
	out_field(o, key);
	fprintf(o->f, "%llu", (unsigned long long)v);
	out_field_end(o);
}

/* Addresses and sizes: hex, and a string in JSON (64-bit values lose precision as numbers). */
void out_put_x(struct out *o, const char *key, __u64 v)
{
	out_field(o, key);
	fprintf(o->f, o->json ? "\"0x%llx\"" : "0x%llx", (unsigned long long)v);
	out_field_end(o);
}

void out_put_bool(struct out *o, const char *key, int v)
{
	out_field(o, key);
	fputs(o->json ? (v ? "true" : "false") : (v ? "yes" : "no"), o->f);
	out_field_end(o);
}

/* Untrusted bytes as a quoted string, up to a NUL or @max bytes. */
static void out_put_quoted(struct out *o, const char *s, size_t max)
{
	size_t i;

	fputc('"', o->f);
	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(o->f, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, o->f);
		else if (o->json)
			fprintf(o->f, "\\u%04x", c);
		else
			fprintf(o->f, "\\x%02x", c);
	}
	fputc('"', o->f);
}

void out_put_str(struct out *o, const char *key, const char *s, size_t max)
{
	out_field(o, key);
	out_put_quoted(o, s, max);
	out_field_end(o);
}

/* A number with its symbolic name: "type": 3, "type_name": "PL011" / "type 3 (PL011)". */
void out_put_enum(struct out *o, const char *key, __u64 v, const char *name)
{
	char name_key[64];

	out_field(o, key);
	fprintf(o->f, "%llu", (unsigned long long)v);
	if (o->json) {
		snprintf(name_key, sizeof(name_key), "%s_name", key);
		out_field(o, name_key);
		out_put_quoted(o, name, strlen(name));
	} else {
		fprintf(o->f, " (%s)", name);
		out_field_end(o);
	}
}

/*
 * Flags in hex plus their names; bits without a name are listed in hex.
 * JSON: "flags": "0x7", "flags_names": ["READ", "WRITE", "EXECUTE"];
 * text: "flags 0x7 (READ|WRITE|EXECUTE)".
 */
void out_put_flags(struct out *o, const char *key, __u64 v, const struct flag_name *names)
{
	const char *sep = o->json ? ", " : "|";
	char names_key[64];
	__u64 rest = v;
	int first = 1;

	out_field(o, key);
	if (o->json) {
		fprintf(o->f, "\"0x%llx\"", (unsigned long long)v);
		snprintf(names_key, sizeof(names_key), "%s_names", key);
		out_field(o, names_key);
		fputc('[', o->f);
	} else {
		fprintf(o->f, "0x%llx", (unsigned long long)v);
		if (v)
			fputs(" (", o->f);
	}
	for (; names->name; names++) {
		if (!(v & names->bit))
			continue;
		rest &= ~names->bit;
		fprintf(o->f, o->json ? "%s\"%s\"" : "%s%s", first ? "" : sep, names->name);
		first = 0;
	}
	if (rest)
		fprintf(o->f, o->json ? "%s\"0x%llx\"" : "%s0x%llx", first ? "" : sep,
			(unsigned long long)rest);
	if (o->json)
		fputc(']', o->f);
	else if (v)
		fputc(')', o->f);
	out_field_end(o);
}

/*
 * The set bits of a little-endian bitmap of @nbytes bytes, numbered from
 * @base: a JSON array of numbers, or ranges in text ("0-3,6").
 */
void out_put_bits(struct out *o, const char *key, const __u8 *bytes, __u64 nbytes, __u64 base)
{
	__u64 i, run_start = 0, n = nbytes * 8;
	int in_run = 0, first = 1;

	out_field(o, key);
	if (o->json)
		fputc('[', o->f);
	for (i = 0; i <= n; i++) {
		int set = i < n && ((bytes[i / 8] >> (i % 8)) & 1);

		if (o->json) {
			if (set) {
				fprintf(o->f, "%s%llu", first ? "" : ", ",
					(unsigned long long)(base + i));
				first = 0;
			}
			continue;
		}
		if (set && !in_run) {
			run_start = i;
			in_run = 1;
		} else if (!set && in_run) {
			fprintf(o->f, "%s%llu", first ? "" : ",",
				(unsigned long long)(base + run_start));
			if (i - 1 > run_start)
				fprintf(o->f, "-%llu", (unsigned long long)(base + i - 1));
			in_run = 0;
			first = 0;
		}
	}
	if (o->json)
		fputc(']', o->f);
	else if (first)
		fputs("none", o->f);
	out_field_end(o);
}

