// SPDX-License-Identifier: GPL-2.0
/*
 * warden config dump [--json] FILE: every field of a system or cell
 * configuration, for people or (with --json) for scripts. The decoding is in
 * config-decode.c; this file is only the command around it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden.h"
#include "config-decode.h"

static const char config_dump_usage[] =
	"usage: warden config dump [--json] FILE.cell\n"
	"\n"
	"Show every field of a system (JHSYS) or cell (JHCLL) configuration,\n"
	"revision 14: header, memory regions, irqchips and their interrupts, PCI\n"
	"devices and capabilities, stream IDs, and for a system the hypervisor\n"
	"memory, debug console, platform (GIC, IOMMU units) and root cell. Flags are\n"
	"shown by name, CPU sets and interrupt bitmaps as lists.\n"
	"\n"
	"  --json   one JSON document instead of text (64-bit values as \"0x...\")\n"
	"\n"
	"A configuration the validator rejects is still shown as far as the file\n"
	"holds it; then the validator's finding goes to stderr and the exit status\n"
	"is 1.\n";

int cmd_config_dump(int argc, char **argv)
{
	struct wd_check_result res;
	const char *path = NULL;
	unsigned int flags = 0;
	size_t len;
	void *buf;
	int i, ret;

	for (i = 1; i < argc; i++) {
		if (wd_is_help(argv[i])) {
			wd_put_usage(config_dump_usage, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--json") == 0)
			flags |= WD_DUMP_JSON;
		else if (argv[i][0] == '-' && argv[i][1])
			return wd_usage_error(config_dump_usage,
					      "config dump: unknown option '%s'", argv[i]);
		else if (path)
			return wd_usage_error(config_dump_usage,
					      "config dump: one FILE only ('%s' is a second)",
					      argv[i]);
		else
			path = argv[i];
	}
	if (!path)
		return wd_usage_error(config_dump_usage, "config dump: missing FILE");

	ret = wd_read_file(path, &buf, &len);
	if (ret) {
		wd_err("config dump: cannot read %s: %s", path, strerror(-ret));
		return 1;
	}
	ret = wd_config_decode(stdout, buf, len, path, flags, &res);
	free(buf);
	fflush(stdout);
	if (ret)
		wd_err("config dump: %s: %s", path, res.msg);
	return ret;
}
