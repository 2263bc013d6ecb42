// SPDX-License-Identifier: GPL-2.0
/*
 * warden console [-f]: the hypervisor's log as the driver shows it in sysfs.
 *
 * The sysfs file holds the newest part of a ring (at most its size), with no
 * position attached. To follow it, each new snapshot is matched against the
 * previous one: the longest end of the old text that the new one starts
 * with is what was already printed (console_new_part, unit tested).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warden.h"

static const char console_usage[] =
	"usage: warden console [-f]\n"
	"\n"
	"Print the hypervisor's log. -f keeps following it (Ctrl-C ends).\n";

/*
 * Offset in @cur where the text not yet seen starts, given the previous
 * snapshot @old. The snapshots are windows onto one growing stream: @cur
 * begins somewhere inside (or after) @old. The largest overlap wins, since
 * that is the smallest advance of the stream; with no overlap at all
 * everything in @cur is new.
 */
size_t console_new_part(const char *old, size_t old_len, const char *cur, size_t cur_len)
{
	size_t skip;

	for (skip = 0; skip < old_len; skip++) {
		size_t overlap = old_len - skip;

		if (overlap <= cur_len && memcmp(old + skip, cur, overlap) == 0)
			return overlap;
	}
	return 0;
}

static int read_console(void **buf, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/console", wd_sysfs_root());
	return wd_read_file(path, buf, len);
}

int cmd_console(int argc, char **argv)
{
	void *old = NULL, *cur;
	size_t old_len = 0, cur_len, from;
	int i, follow = 0, ret;

	for (i = 1; i < argc; i++) {
		if (wd_is_help(argv[i])) {
			wd_put_usage(console_usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--follow") == 0) {
			follow = 1;
		} else {
			return wd_usage_error(console_usage, "console: unexpected argument '%s'",
					      argv[i]);
		}
	}

	for (;;) {
		ret = read_console(&cur, &cur_len);
		if (ret == -ENOENT) {
			/* No console file: say whether the module is there at all. */
			if (wd_enabled() >= 0)
				wd_err("%s/console is missing", wd_sysfs_root());
			free(old);
			return 1;
		}
		if (ret) {
			wd_err("cannot read %s/console: %s", wd_sysfs_root(), strerror(-ret));
			free(old);
			return 1;
		}
		from = old ? console_new_part(old, old_len, cur, cur_len) : 0;
		if (cur_len > from && fwrite((char *)cur + from, 1, cur_len - from, stdout) !=
		    cur_len - from) {
			free(cur);
			free(old);
			return 1;
		}
		fflush(stdout);
		free(old);
		old = cur;
		old_len = cur_len;
		if (!follow)
			break;
		usleep(500 * 1000);
	}
	free(old);
	return 0;
}
