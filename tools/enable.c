// SPDX-License-Identifier: GPL-2.0
/*
 * warden enable / disable / info: the hypervisor as a whole.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "warden.h"

/*
 * A copy of @data whose last byte is followed by a PROT_NONE page; NULL if
 * that cannot be arranged (the caller then passes the plain buffer).
 */
static void *guarded_copy(const void *data, size_t len, void **map, size_t *map_len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (len + page - 1) / page * page;
	char *m;

	m = mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	if (mprotect(m + span, page, PROT_NONE)) {
		munmap(m, span + page);
		return NULL;
	}
	memcpy(m + span - len, data, len);
	*map = m;
	*map_len = span + page;
	return m + span - len;
}

static const char enable_usage[] =
	"usage: warden enable [--no-check] SYSTEM.cell\n"
	"\n"
	"Start the hypervisor under the running Linux, which becomes the root cell\n"
	"described by SYSTEM.cell. The configuration is validated here first; the\n"
	"driver checks it again against the running system.\n"
	"\n"
	"  --no-check   skip the tool's own validation and let the driver judge\n"
	"               (for testing the driver's checks)\n";

int cmd_enable(int argc, char **argv)
{
	struct wd_check_result res;
	const char *path = NULL;
	int i, fd, no_check = 0, ret;
	size_t len, map_len = 0;
	void *buf, *map = NULL, *guarded;

	for (i = 1; i < argc; i++) {
		if (wd_is_help(argv[i])) {
			wd_put_usage(enable_usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--no-check") == 0) {
			no_check = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return wd_usage_error(enable_usage, "enable: unknown option '%s'", argv[i]);
		} else if (path) {
			return wd_usage_error(enable_usage, "enable: one configuration only");
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return wd_usage_error(enable_usage, "enable: missing SYSTEM.cell");

	ret = wd_read_file(path, &buf, &len);
	if (ret) {
		wd_err("cannot read %s: %s", path, strerror(-ret));
		return 1;
	}
	if (!no_check && wd_check_system(buf, len, &res)) {
		wd_err("%s: %s", path, res.msg);
		free(buf);
		return 1;
	}
	fd = wd_open_device();
	if (fd < 0) {
		free(buf);
		return 1;
	}
	/*
	 * Jailhouse's ABI passes the configuration's address but no size: the
	 * driver reads as much as the header's counts announce. Put the file
	 * right before an inaccessible page, so that reading past its end
	 * faults (the driver says so) instead of picking up whatever follows
	 * in this process's memory.
	 */
	guarded = guarded_copy(buf, len, &map, &map_len);
	ret = wd_ioctl_explained(fd, WARDEN_ENABLE, guarded ? guarded : buf, "enable");
	close(fd);
	if (guarded)
		munmap(map, map_len);
	free(buf);
	return ret < 0 ? 1 : 0;
}

static const char disable_usage[] =
	"usage: warden disable\n"
	"\n"
	"Stop the hypervisor and give the whole machine back to Linux. Non-root\n"
	"cells must be destroyed first.\n";

int cmd_disable(int argc, char **argv)
{
	int fd, ret;

	if (argc > 1) {
		if (wd_is_help(argv[1])) {
			wd_put_usage(disable_usage, stdout);
			return 0;
		}
		return wd_usage_error(disable_usage, "disable: unexpected argument '%s'", argv[1]);
	}
	fd = wd_open_enabled();
	if (fd < 0)
		return 1;
	ret = wd_ioctl_explained(fd, WARDEN_DISABLE, NULL, "disable");
	close(fd);
	return ret < 0 ? 1 : 0;
}

static const char info_usage[] =
	"usage: warden info\n"
	"\n"
	"Whether Warden is enabled, the hypervisor's memory pools (pages used of\n"
	"pages available) and the cells.\n";

static void print_pool(const char *label, const char *size_file, const char *used_file)
{
	char size[32], used[32];
	unsigned long long s, u;

	if (wd_sysfs_read(size_file, size, sizeof(size)) < 0 ||
	    wd_sysfs_read(used_file, used, sizeof(used)) < 0) {
		printf("%-14s unknown\n", label);
		return;
	}
	s = strtoull(size, NULL, 10);
	u = strtoull(used, NULL, 10);
	printf("%-14s %llu of %llu pages used", label, u, s);
	if (s)
		printf(" (%llu%%)", u * 100 / s);
	printf("\n");
}

int cmd_info(int argc, char **argv)
{
	struct wd_cell_info *cells;
	int on, n, i;

	if (argc > 1) {
		if (wd_is_help(argv[1])) {
			wd_put_usage(info_usage, stdout);
			return 0;
		}
		return wd_usage_error(info_usage, "info: unexpected argument '%s'", argv[1]);
	}
	on = wd_enabled();
	if (on < 0)
		return 1;
	printf("%-14s %s\n", "enabled:", on ? "yes" : "no");
	if (!on)
		return 0;
	print_pool("memory pool:", "mem_pool_size", "mem_pool_used");
	print_pool("remap pool:", "remap_pool_size", "remap_pool_used");

	n = wd_list_cells(&cells);
	printf("%-14s %d", "cells:", n < 0 ? 0 : n);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : " (", cells[i].name);
	printf("%s\n", n > 0 ? ")" : "");
	free(cells);
	return 0;
}
