// SPDX-License-Identifier: GPL-2.0
/*
 * warden config COMMAND: the configuration tools. Each sub-command lives in
 * its own file (config-check-cmd.c, config-create.c, config-dump.c) and gets
 * argv starting at its own name.
 */
#include <stdio.h>
#include <string.h>

#include "warden.h"

static const char config_usage[] =
	"usage: warden config COMMAND [ARGS...]\n"
	"\n"
	"  check [--strict] [ROOT.cell] [CELL.cell...]\n"
	"                                  validate configurations, alone and together\n"
	"  create [--dtb FILE] [OPTIONS] OUT.c|OUT.cell\n"
	"                                  generate a root-cell configuration from a\n"
	"                                  device tree\n"
	"  dump [--json] FILE.cell         show every field of a configuration\n"
	"\n"
	"\"warden config COMMAND --help\" explains a command.\n";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} config_cmds[] = {
	{ "check", cmd_config_check },
	{ "create", cmd_config_create },
	{ "dump", cmd_config_dump },
};

int cmd_config(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2)
		return wd_usage_error(config_usage, "config: missing command");
	if (wd_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		wd_put_usage(config_usage, stdout);
		return 0;
	}
	for (i = 0; i < sizeof(config_cmds) / sizeof(config_cmds[0]); i++)
		if (strcmp(argv[1], config_cmds[i].name) == 0)
			return config_cmds[i].run(argc - 1, argv + 1);
	return wd_usage_error(config_usage, "config: unknown command '%s'", argv[1]);
}
