// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for everything that reads an untrusted configuration
 * blob: the validator (wd_check_system, wd_check_cell, and wd_check_set on
 * the input split at SET_SEPARATOR into a system and cells) and the decoder
 * of "warden config dump" (text and JSON). Built with ASan and UBSan by
 * tests/fuzz/Makefile; libFuzzer hands over a buffer of exactly the input's
 * size, so any read past the end is caught.
 *
 * Besides memory safety, the harness checks the promises of config-check.h:
 * a failure has a negative errno, a kind other than OK and a non-empty,
 * terminated one-line message; success has none of these; and the decoder's
 * verdict is the validator's; every finding of the set check names a known
 * kind and severity, one of the blobs, and is one line; its return value
 * counts the errors.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config-check.h>

#include "config-decode.h"

/*
 * Splits an input into the blobs of a set: system, then cells. A separator
 * (rather than length fields) keeps the pieces intact under most mutations.
 */
#define SET_SEPARATOR		"\n--8<--\n"
#define SET_SEPARATOR_LEN	(sizeof(SET_SEPARATOR) - 1)
#define SET_MAX_CELLS		8

static FILE *sink;

/* Abort (a crash for libFuzzer) with the reason, when a promise is broken. */
static void require(int cond, const char *what, const struct wd_check_result *res)
{
	if (cond)
		return;
	fprintf(stderr, "fuzz-config: broken promise: %s (error %d, kind %d, msg \"%.*s\")\n",
		what, res->error, (int)res->kind, (int)sizeof(res->msg), res->msg);
	abort();
}

static void check_result(const struct wd_check_result *res, int ret)
{
	size_t len = strnlen(res->msg, sizeof(res->msg));

	require(ret == res->error, "return value is res->error", res);
	require(len < sizeof(res->msg), "message is NUL-terminated", res);
	if (ret == 0) {
		require(res->kind == WD_CHECK_OK, "success has kind OK", res);
		return;
	}
	require(ret < 0 && ret > -4096, "failure is a negative errno", res);
	require(res->kind > WD_CHECK_OK && res->kind < WD_CHECK_KIND_COUNT,
		"failure has a known kind", res);
	require(strcmp(wd_check_kind_name(res->kind), "unknown") != 0, "kind has a name", res);
	require(len > 0, "failure has a message", res);
	require(strchr(res->msg, '\n') == NULL, "message is one line", res);
}

struct set_count {
	unsigned int n;		/* cells in the set */
	unsigned int errors;
};

static void set_report(void *ctx, enum wd_check_severity sev, enum wd_check_kind kind,
		       int blob, const char *msg)
{
	struct set_count *c = ctx;
	struct wd_check_result r = { .error = -1, .kind = kind };

	snprintf(r.msg, sizeof(r.msg), "%s", msg ? msg : "(null)");
	require(msg && *msg && !strchr(msg, '\n'), "set finding is one line", &r);
	require(sev == WD_CHECK_ERROR || sev == WD_CHECK_WARNING, "set finding severity", &r);
	require(kind > WD_CHECK_OK && kind < WD_CHECK_KIND_COUNT, "set finding kind", &r);
	require(blob == WD_CHECK_BLOB_SYSTEM || (blob >= 0 && (unsigned int)blob < c->n),
		"set finding names a blob of the set", &r);
	if (sev == WD_CHECK_ERROR)
		c->errors++;
}

/*
 * The set check on the input's pieces, each copied into a buffer of its own
 * exact size so that ASan sees a read past any one of them. An empty first
 * piece means "no system configuration".
 */
static void fuzz_set(const uint8_t *data, size_t size)
{
	void *blob[1 + SET_MAX_CELLS] = { 0 };
	__u64 sizes[1 + SET_MAX_CELLS];
	struct set_count count = { 0, 0 };
	struct wd_check_result r = { 0 };
	unsigned int pieces = 0, i, errors;
	const uint8_t *p = data, *end = data + size;

	while (pieces < 1 + SET_MAX_CELLS) {
		const uint8_t *sep = memmem(p, (size_t)(end - p), SET_SEPARATOR, SET_SEPARATOR_LEN);
		size_t len = (size_t)((sep ? sep : end) - p);

		/* malloc(0) may return NULL: keep one byte, report a size of 0 */
		blob[pieces] = malloc(len ? len : 1);
		if (!blob[pieces])
			abort();
		memcpy(blob[pieces], p, len);
		sizes[pieces++] = len;
		if (!sep)
			break;
		p = sep + SET_SEPARATOR_LEN;
	}
	count.n = pieces - 1;
	errors = wd_check_set(sizes[0] ? blob[0] : NULL, sizes[0],
			      (const void *const *)(blob + 1), sizes + 1, count.n, set_report, &count);
	r.error = (int)errors;
	require(errors == count.errors, "wd_check_set returns the number of errors reported", &r);
	for (i = 0; i < pieces; i++)
		free(blob[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wd_check_result res, dump_res;
	int ret, cell;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		if (!sink)
			abort();
	}

	ret = wd_check_system(data, size, &res);
	check_result(&res, ret);
	ret = wd_check_cell(data, size, &res);
	check_result(&res, ret);

	/* The dump judges a blob by its signature, as "config check" does. */
	cell = size >= WD_SIGNATURE_LEN && memcmp(data, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) == 0;
	ret = cell ? wd_check_cell(data, size, &res) : wd_check_system(data, size, &res);
	require(wd_config_decode(sink, data, size, "fuzz", 0, &dump_res) == (ret != 0),
		"text dump's verdict is the validator's", &dump_res);
	require(dump_res.error == res.error && dump_res.kind == res.kind,
		"text dump reports the validator's result", &dump_res);
	require(wd_config_decode(sink, data, size, "fuzz", WD_DUMP_JSON, &dump_res) == (ret != 0),
		"JSON dump's verdict is the validator's", &dump_res);

	fuzz_set(data, size);
	return 0;
}
