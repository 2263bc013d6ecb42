// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for everything that reads an untrusted configuration
 * blob: the validator (wd_check_system, wd_check_cell) and the decoder of
 * "warden config dump" (text and JSON). Built with ASan and UBSan by
 * tests/fuzz/Makefile; libFuzzer hands over a buffer of exactly the input's
 * size, so any read past the end is caught.
 *
 * Besides memory safety, the harness checks the promises of config-check.h:
 * a failure has a negative errno, a kind other than OK and a non-empty,
 * terminated one-line message; success has none of these; and the decoder's
 * verdict is the validator's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config-check.h>

#include "config-decode.h"

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
	return 0;
}
