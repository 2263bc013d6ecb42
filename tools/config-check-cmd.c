// SPDX-License-Identifier: GPL-2.0
/*
 * warden config check FILE...: the validator on configuration files, offline.
 * Works the same on the host and in the guest; no driver needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden.h"

static const char config_check_usage[] =
	"usage: warden config check FILE...\n"
	"\n"
	"Validate system (JHSYS) and cell (JHCLL) configurations, revision 14, as\n"
	"the driver will. Prints \"FILE: ok\" or \"FILE: error: REASON\" for each;\n"
	"the exit status is 0 only if every file is clean.\n";

/* 0 when clean, 1 when not (after printing the finding). */
static int check_file(const char *path)
{
	struct wd_check_result res;
	size_t len;
	void *buf;
	int ret;

	ret = wd_read_file(path, &buf, &len);
	if (ret) {
		printf("%s: error: cannot read: %s\n", path, strerror(-ret));
		return 1;
	}
	/* A cell configuration is recognised by its signature; all else is judged as a system. */
	if (len >= WD_SIGNATURE_LEN && memcmp(buf, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) == 0)
		ret = wd_check_cell(buf, len, &res);
	else
		ret = wd_check_system(buf, len, &res);
	free(buf);
	if (ret) {
		printf("%s: error: %s\n", path, res.msg);
		return 1;
	}
	printf("%s: ok\n", path);
	return 0;
}

int cmd_config_check(int argc, char **argv)
{
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		if (wd_is_help(argv[i])) {
			fputs(config_check_usage, stdout);
			return 0;
		}
	}
	if (argc < 2)
		return wd_usage_error(config_check_usage, "config check: missing FILE");
	for (i = 1; i < argc; i++)
		bad |= check_file(argv[i]);
	fflush(stdout);
	return bad;
}
