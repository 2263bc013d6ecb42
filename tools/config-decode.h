/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding a system or cell configuration blob for people (text) and scripts
 * (JSON). Implementation: config-decode.c. It needs only stdio and the
 * validator, so the fuzzer (tests/fuzz/) links it without the rest of the tool.
 */
#ifndef WARDEN_CONFIG_DECODE_H
#define WARDEN_CONFIG_DECODE_H

#include <stddef.h>
#include <stdio.h>

#include <warden/config-check.h>

#define WD_DUMP_JSON	0x1

/*
 * Write every field of the configuration in @blob (@len bytes, any content)
 * to @out: everything that lies inside the blob, nothing beyond it. @label
 * names the input (a file name). The blob is also run through the validator,
 * whose verdict is part of the output and left in @res.
 * Returns 0 when the configuration is valid, 1 when not.
 */
int wd_config_decode(FILE *out, const void *blob, size_t len, const char *label,
		     unsigned int flags, struct wd_check_result *res);

#endif
