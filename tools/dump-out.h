/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small emitter for "warden config dump": the same calls write either an
 * indented text view or a JSON document (dump-out.c). Keys are plain ASCII
 * identifiers chosen by the caller; values may be untrusted bytes.
 */
#ifndef WARDEN_DUMP_OUT_H
#define WARDEN_DUMP_OUT_H

#include <stdio.h>

#include <warden/types.h>

#define OUT_MAX_DEPTH	8

struct out {
	FILE *f;
	int json;
	int depth;
	/* JSON: something was written at this level already (a comma is due) */
	int used[OUT_MAX_DEPTH];
	/* JSON: this level is an array, its members have no keys */
	int array[OUT_MAX_DEPTH];
	/* text: fields go onto the current line ("#0: phys_start 0x0 size ...") */
	int line;
};

struct flag_name {
	__u64 bit;
	const char *name;
};

/* Starts a field (JSON separator and key, or the text label); out_field_end ends it. */
void out_field(struct out *o, const char *key);
void out_field_end(struct out *o);
/* @one_line: in text, all fields of the object on one line (array entries). */
void out_obj_begin(struct out *o, const char *key, int one_line);
void out_obj_end(struct out *o);
/* @count entries announced, @present of them inside the input. */
void out_arr_begin(struct out *o, const char *key, __u64 count, __u64 present);
void out_arr_end(struct out *o);
void out_put_u(struct out *o, const char *key, __u64 v);
/* Hex; a string in JSON (64-bit values lose precision as JSON numbers). */
void out_put_x(struct out *o, const char *key, __u64 v);
void out_put_bool(struct out *o, const char *key, int v);
/* Untrusted bytes up to a NUL or @max, quoted and escaped. */
void out_put_str(struct out *o, const char *key, const char *s, size_t max);
/* "type": 3, "type_name": "PL011" / "type 3 (PL011)" */
void out_put_enum(struct out *o, const char *key, __u64 v, const char *name);
/* "flags": "0x7", "flags_names": [...] / "flags 0x7 (READ|WRITE|EXECUTE)"; unnamed bits in hex */
void out_put_flags(struct out *o, const char *key, __u64 v, const struct flag_name *names);
/* Set bits of a little-endian bitmap numbered from @base: JSON array / "0-3,6" */
void out_put_bits(struct out *o, const char *key, const __u8 *bytes, __u64 nbytes, __u64 base);
/* One level deeper (@array: members have no keys); for the document itself. */
void out_push(struct out *o, int array);

#endif
