// SPDX-License-Identifier: GPL-2.0
/*
 * warden: the command line tool for the Warden hypervisor. This file only
 * dispatches; each command group lives in its own file.
 */
#include <stdio.h>
#include <string.h>

#include "warden.h"

#ifndef WARDEN_VERSION
#define WARDEN_VERSION "unknown"
#endif

static const char main_usage[] =
	"usage: warden [--help | --version] COMMAND [ARGS...]\n"
	"\n"
	"Commands:\n"
	"  enable SYSTEM.cell        start the hypervisor, Linux becomes the root cell\n"
	"  disable                   stop the hypervisor\n"
	"  info                      state, memory pools, cells\n"
	"  console [-f]              the hypervisor's log\n"
	"  cell create|load|start|shutdown|destroy|linux|list|stats ...\n"
	"                            manage cells (warden cell --help)\n"
	"  config check|create|dump ...\n"
	"                            check, generate and show configuration files,\n"
	"                            offline (warden config --help)\n"
	"  ivshmem [list] | demo ... the root's ivshmem devices; a doorbell demo\n"
	"                            (warden ivshmem --help)\n"
	"\n"
	"\"warden COMMAND --help\" explains a command. Called as \"jailhouse\", the\n"
	"tool uses Jailhouse's names (/dev/jailhouse, /sys/devices/jailhouse).\n";

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "enable", cmd_enable },
	{ "disable", cmd_disable },
	{ "info", cmd_info },
	{ "console", cmd_console },
	{ "cell", cmd_cell },
	{ "config", cmd_config },
	{ "ivshmem", cmd_ivshmem },
};

int main(int argc, char **argv)
{
	unsigned int i;

	/*
	 * Called as "jailhouse" (the link "make install" and the guest image
	 * provide), the tool is a drop-in for Jailhouse's: the same commands
	 * and options, /dev/jailhouse and /sys/devices/jailhouse, exit status
	 * 0 on success and non-zero on failure.
	 */
	wd_set_prog(argc ? argv[0] : NULL);
	if (argc < 2)
		return wd_usage_error(main_usage, "missing command");
	if (wd_is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
		wd_put_usage(main_usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("%s%s %s, configuration revision %d\n", wd_prog,
		       wd_jailhouse ? " (Warden)" : "", WARDEN_VERSION, WD_CONFIG_REVISION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return wd_usage_error(main_usage, "unknown command '%s'", argv[1]);
}
