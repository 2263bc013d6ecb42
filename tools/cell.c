// SPDX-License-Identifier: GPL-2.0
/*
 * warden cell create | load | start | shutdown | destroy | list | stats.
 *
 * The state-changing commands are the driver's ioctls (cells looked up by ID
 * or by name); list and stats read /sys/devices/warden/cells/<id>/.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warden.h"

static const char cell_usage[] =
	"usage: warden cell COMMAND ...\n"
	"\n"
	"  create [--no-check] CELL.cell      create a cell (its CPUs leave Linux)\n"
	"  load CELL IMAGE [-a ADDR] [-s STRING -a ADDR]...\n"
	"                                     stop the cell and load images into it\n"
	"  start CELL                         start the cell at its reset address\n"
	"  shutdown CELL                      stop the cell (it may refuse)\n"
	"  destroy CELL                       destroy the cell, its CPUs return to Linux\n"
	"  linux CELL.cell KERNEL [-d DTB] [-i INITRD] [-c CMDLINE] [-w FILE]\n"
	"                                     boot Linux in a cell (create, load, start)\n"
	"  list                               all cells: ID, name, state, CPUs\n"
	"  stats CELL [--once]                exit statistics, refreshed every second\n"
	"\n"
	"CELL is a cell's ID (decimal or 0x hexadecimal), its name, or --name NAME\n"
	"(for names that look like numbers).\n"
	"\"warden cell COMMAND --help\" explains each command.\n";

static const char create_usage[] =
	"usage: warden cell create [--no-check] CELL.cell\n"
	"\n"
	"Create a cell from a cell configuration. Its CPUs are taken offline in\n"
	"Linux and its memory is taken from the root cell. The configuration is\n"
	"validated here first (--no-check: leave all checks to the driver).\n";

static const char load_usage[] =
	"usage: warden cell load CELL IMAGE [-a ADDR] [-s STRING [-a ADDR]]...\n"
	"\n"
	"Stop the cell and copy images into its loadable memory. Each IMAGE file or\n"
	"-s STRING (copied with its terminating NUL) goes to the cell address given\n"
	"by the -a that follows it (default 0). Addresses are decimal or 0x-prefixed\n"
	"hexadecimal. Then start it with \"warden cell start CELL\".\n";

static const char start_usage[] =
	"usage: warden cell start CELL\n"
	"\n"
	"Start (or restart) the cell: its first CPU begins at the configuration's\n"
	"cpu_reset_address.\n";

static const char shutdown_usage[] =
	"usage: warden cell shutdown CELL\n"
	"\n"
	"Ask the cell to stop (a cell that is not passive may deny) and leave it\n"
	"loadable; \"warden cell start\" runs it again.\n";

static const char destroy_usage[] =
	"usage: warden cell destroy CELL\n"
	"\n"
	"Destroy the cell: its CPUs come back online in Linux and its memory returns\n"
	"to the root cell.\n";

static const char list_usage[] =
	"usage: warden cell list\n"
	"\n"
	"Every cell with its ID, name, state, assigned CPUs and failed CPUs.\n";

static const char stats_usage[] =
	"usage: warden cell stats CELL [--once]\n"
	"\n"
	"The cell's exits to the hypervisor by reason, in total and per CPU,\n"
	"refreshed every second with the rate per second (Ctrl-C ends).\n"
	"--once prints the table one time, for scripts.\n";

/* ---- reading sysfs */

static int read_cell_file(int id, const char *file, char *buf, size_t len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "cells/%d/%s", id, file);
	return wd_sysfs_read(rel, buf, len);
}

static int cmp_cell(const void *a, const void *b)
{
	const struct wd_cell_info *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* cells/<id>/dma_faults (Warden only; a Jailhouse driver has no such file). */
static long long read_dma_faults(int id)
{
	char buf[32];

	if (read_cell_file(id, "dma_faults", buf, sizeof(buf)) < 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

/*
 * cells/<id>/ivshmem (Warden only): one line per ivshmem device with the
 * states of its link's peers, printed with @prefix in front of each.
 */
static void print_ivshmem(int id, const char *prefix)
{
	char buf[4096], *line, *save = NULL;

	if (read_cell_file(id, "ivshmem", buf, sizeof(buf)) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("%sivshmem %s\n", prefix, line);
}

int wd_list_cells(struct wd_cell_info **cells)
{
	struct wd_cell_info *list = NULL, *p;
	char path[4096];
	struct dirent *de;
	int n = 0, cap = 0;
	DIR *d;

	*cells = NULL;
	snprintf(path, sizeof(path), "%s/cells", wd_sysfs_root());
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *end;
		long id = strtol(de->d_name, &end, 10);
		struct wd_cell_info *c;

		if (de->d_name[0] < '0' || de->d_name[0] > '9' || *end || id > 0x7fffffff)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			p = realloc(list, (size_t)cap * sizeof(*list));
			if (!p)
				break;
			list = p;
		}
		c = &list[n];
		memset(c, 0, sizeof(*c));
		c->id = (int)id;
		/* A cell destroyed meanwhile vanishes; skip it. */
		if (read_cell_file(c->id, "name", c->name, sizeof(c->name)) < 0)
			continue;
		if (read_cell_file(c->id, "state", c->state, sizeof(c->state)) < 0)
			strcpy(c->state, "?");
		if (read_cell_file(c->id, "cpus_assigned_list", c->cpus, sizeof(c->cpus)) < 0)
			strcpy(c->cpus, "?");
		if (read_cell_file(c->id, "cpus_failed_list", c->failed, sizeof(c->failed)) < 0)
			strcpy(c->failed, "?");
		c->dma_faults = read_dma_faults(c->id);
		n++;
	}
	closedir(d);
	if (n)
		qsort(list, (size_t)n, sizeof(*list), cmp_cell);
	*cells = list;
	return n;
}

/* The cell named by @ref as sysfs shows it, or -1 with a message. */
static int find_cell(const struct wd_cell_id *ref, struct wd_cell_info *out)
{
	struct wd_cell_info *cells;
	int n, i, found = -1;

	n = wd_list_cells(&cells);
	for (i = 0; i < n; i++) {
		if (ref->id == WD_CELL_ID_BY_NAME ? strcmp(cells[i].name, ref->name) == 0 :
						      cells[i].id == ref->id) {
			*out = cells[i];
			found = 0;
			break;
		}
	}
	free(cells);
	if (found) {
		if (ref->id == WD_CELL_ID_BY_NAME)
			wd_err("no cell named '%s' ('%s cell list' shows the cells)", ref->name,
			       wd_prog);
		else
			wd_err("no cell with ID %d ('%s cell list' shows the cells)", ref->id,
			       wd_prog);
	}
	return found;
}

/* ---- commands changing state */

static int parse_one_cell(int argc, char **argv, const char *usage, struct wd_cell_id *id)
{
	char err[128];
	int i = 1;

	if (argc > 1 && wd_is_help(argv[1])) {
		wd_put_usage(usage, stdout);
		return 0;
	}
	if (wd_parse_cell_ref(argc, argv, &i, id, err, sizeof(err)))
		return -wd_usage_error(usage, "cell %s: %s", argv[0], err);
	if (i < argc)
		return -wd_usage_error(usage, "cell %s: unexpected argument '%s'", argv[0], argv[i]);
	return 1;
}

static int simple_cell_ioctl(int argc, char **argv, const char *usage, unsigned long req)
{
	struct wd_cell_id id;
	char what[32];
	int fd, ret;

	ret = parse_one_cell(argc, argv, usage, &id);
	if (ret <= 0)
		return -ret;
	fd = wd_open_enabled();
	if (fd < 0)
		return 1;
	snprintf(what, sizeof(what), "cell %s", argv[0]);
	ret = wd_ioctl_explained(fd, req, &id, what);
	close(fd);
	return ret < 0 ? 1 : 0;
}

static int cell_create(int argc, char **argv)
{
	struct wd_cell_create arg;
	struct wd_check_result res;
	const char *path = NULL;
	int i, fd, ret, no_check = 0;
	size_t len;
	void *buf;

	for (i = 1; i < argc; i++) {
		if (wd_is_help(argv[i])) {
			wd_put_usage(create_usage, stdout);
			return 0;
		} else if (strcmp(argv[i], "--no-check") == 0) {
			no_check = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return wd_usage_error(create_usage, "cell create: unknown option '%s'",
					      argv[i]);
		} else if (path) {
			return wd_usage_error(create_usage, "cell create: one configuration only");
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return wd_usage_error(create_usage, "cell create: missing CELL.cell");

	ret = wd_read_file(path, &buf, &len);
	if (ret) {
		wd_err("cannot read %s: %s", path, strerror(-ret));
		return 1;
	}
	if (!no_check && wd_check_cell(buf, len, &res)) {
		wd_err("%s: %s", path, res.msg);
		free(buf);
		return 1;
	}
	if (len > UINT32_MAX) {
		wd_err("%s: %zu bytes is too large for a cell configuration", path, len);
		free(buf);
		return 1;
	}
	fd = wd_open_enabled();
	if (fd < 0) {
		free(buf);
		return 1;
	}
	memset(&arg, 0, sizeof(arg));
	arg.config_address = (__u64)(uintptr_t)buf;
	arg.config_size = (__u32)len;
	ret = wd_ioctl_explained(fd, WARDEN_CELL_CREATE, &arg, "cell create");
	close(fd);
	free(buf);
	return ret < 0 ? 1 : 0;
}

static int cell_load(int argc, char **argv)
{
	struct wd_load_item items[WD_MAX_LOAD_ITEMS];
	void *data[WD_MAX_LOAD_ITEMS] = { NULL };
	struct wd_cell_load *arg = NULL;
	struct wd_cell_id id;
	char err[160];
	int i = 1, n, k, fd, ret, status = 1;

	if (argc > 1 && wd_is_help(argv[1])) {
		wd_put_usage(load_usage, stdout);
		return 0;
	}
	if (wd_parse_cell_ref(argc, argv, &i, &id, err, sizeof(err)))
		return wd_usage_error(load_usage, "cell load: %s", err);
	n = wd_parse_load_items(argc, argv, i, items, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	if (n < 0)
		return wd_usage_error(load_usage, "cell load: %s", err);

	arg = calloc(1, sizeof(*arg) + (size_t)n * sizeof(arg->image[0]));
	if (!arg) {
		wd_err("out of memory");
		return 1;
	}
	arg->cell_id = id;
	arg->num_preload_images = (__u32)n;
	for (k = 0; k < n; k++) {
		struct wd_preload_image *img = &arg->image[k];
		size_t len;

		if (items[k].path) {
			ret = wd_read_file(items[k].path, &data[k], &len);
			if (ret) {
				wd_err("cannot read %s: %s", items[k].path, strerror(-ret));
				goto out;
			}
			img->source_address = (__u64)(uintptr_t)data[k];
			img->size = len;
		} else {
			img->source_address = (__u64)(uintptr_t)items[k].string;
			img->size = strlen(items[k].string) + 1;
		}
		img->target_address = items[k].addr;
	}
	fd = wd_open_enabled();
	if (fd < 0)
		goto out;
	ret = wd_ioctl_explained(fd, WARDEN_CELL_LOAD, arg, "cell load");
	close(fd);
	status = ret < 0 ? 1 : 0;
out:
	for (k = 0; k < n; k++)
		free(data[k]);
	free(arg);
	return status;
}

/* A load without images puts the cell into the stopped, loadable state. */
static int cell_shutdown(int argc, char **argv)
{
	struct wd_cell_load arg;
	int fd, ret;

	memset(&arg, 0, sizeof(arg));
	ret = parse_one_cell(argc, argv, shutdown_usage, &arg.cell_id);
	if (ret <= 0)
		return -ret;
	arg.num_preload_images = 0;
	fd = wd_open_enabled();
	if (fd < 0)
		return 1;
	ret = wd_ioctl_explained(fd, WARDEN_CELL_LOAD, &arg, "cell shutdown");
	close(fd);
	return ret < 0 ? 1 : 0;
}

/* ---- list and stats */

static int cell_list(int argc, char **argv)
{
	struct wd_cell_info *cells;
	int n, i;

	if (argc > 1) {
		if (wd_is_help(argv[1])) {
			wd_put_usage(list_usage, stdout);
			return 0;
		}
		return wd_usage_error(list_usage, "cell list: unexpected argument '%s'", argv[1]);
	}
	i = wd_enabled();
	if (i <= 0) {
		if (i == 0)
			wd_err("Warden is not enabled (%s enable SYSTEM.cell)", wd_prog);
		return 1;
	}
	n = wd_list_cells(&cells);
	if (n < 0) {
		wd_err("cannot read %s/cells: %s", wd_sysfs_root(), strerror(errno));
		return 1;
	}
	printf("%-4s %-31s %-17s %-16s %s\n", "ID", "Name", "State", "Assigned CPUs",
	       "Failed CPUs");
	for (i = 0; i < n; i++) {
		char line[300];
		size_t len;

		snprintf(line, sizeof(line), "%-4d %-31s %-17s %-16s %s", cells[i].id,
			 cells[i].name, cells[i].state, cells[i].cpus, cells[i].failed);
		len = strlen(line);
		while (len && line[len - 1] == ' ')
			line[--len] = '\0';	/* no failed CPUs: no trailing blanks */
		/* A cell whose devices faulted says so (the log has the details). */
		if (cells[i].dma_faults > 0)
			snprintf(line + len, sizeof(line) - len, "  (%lld DMA faults)",
				 cells[i].dma_faults);
		printf("%s\n", line);
		print_ivshmem(cells[i].id, "     ");
	}
	free(cells);
	return 0;
}

/* Counters in the order the hypervisor defines them; others follow by name. */
static const char *const known_stats[] = {
	"vmexits_total", "vmexits_mmio", "vmexits_management", "vmexits_hypercall",
	"vmexits_maintenance", "vmexits_virt_irq", "vmexits_virt_sgi", "vmexits_psci",
	"vmexits_smccc",
};

#define MAX_STATS	32
#define MAX_STAT_CPUS	64

struct stats {
	int nstats, ncpus;
	char names[MAX_STATS][48];
	int cpus[MAX_STAT_CPUS];
	unsigned long long total[MAX_STATS];
	unsigned long long per_cpu[MAX_STAT_CPUS][MAX_STATS];
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int stat_rank(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(known_stats) / sizeof(known_stats[0]); i++)
		if (strcmp(name, known_stats[i]) == 0)
			return (int)i;
	return (int)(sizeof(known_stats) / sizeof(known_stats[0]));
}

static int cmp_stat(const void *a, const void *b)
{
	const char *x = a, *y = b;
	int rx = stat_rank(x), ry = stat_rank(y);

	return rx != ry ? rx - ry : strcmp(x, y);
}

static unsigned long long read_counter(int id, const char *dir, const char *name)
{
	char file[160], buf[32];

	snprintf(file, sizeof(file), "statistics/%s%s%s", dir, *dir ? "/" : "", name);
	if (read_cell_file(id, file, buf, sizeof(buf)) < 0)
		return 0;
	return strtoull(buf, NULL, 10);
}

/* 0, or -1 when the cell (or its statistics) is gone. */
static int read_stats(int id, struct stats *st)
{
	char path[4096];
	struct dirent *de;
	int i, c;
	DIR *d;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/cells/%d/statistics", wd_sysfs_root(), id);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (strncmp(de->d_name, "cpu", 3) == 0 && de->d_name[3] >= '0' &&
		    de->d_name[3] <= '9') {
			if (st->ncpus < MAX_STAT_CPUS)
				st->cpus[st->ncpus++] = atoi(de->d_name + 3);
		} else if (st->nstats < MAX_STATS && strlen(de->d_name) < sizeof(st->names[0])) {
			strcpy(st->names[st->nstats++], de->d_name);
		}
	}
	closedir(d);
	qsort(st->names, (size_t)st->nstats, sizeof(st->names[0]), cmp_stat);
	qsort(st->cpus, (size_t)st->ncpus, sizeof(st->cpus[0]), cmp_int);
	for (i = 0; i < st->nstats; i++) {
		st->total[i] = read_counter(id, "", st->names[i]);
		for (c = 0; c < st->ncpus; c++) {
			char dir[16];

			snprintf(dir, sizeof(dir), "cpu%d", st->cpus[c]);
			st->per_cpu[c][i] = read_counter(id, dir, st->names[i]);
		}
	}
	return 0;
}

static void print_stats(const struct wd_cell_info *cell, const struct stats *st,
			const struct stats *prev, double seconds)
{
	int i, c;

	printf("Cell '%s' (ID %d), %s, CPUs %s", cell->name, cell->id, cell->state,
	       cell->cpus);
	if (cell->dma_faults >= 0)
		printf(", DMA faults %lld", cell->dma_faults);
	printf("\n");
	print_ivshmem(cell->id, "");
	printf("\n");
	printf("%-22s %14s", "statistic", "total");
	if (prev)
		printf(" %10s", "per s");
	for (c = 0; c < st->ncpus; c++) {
		char h[16];

		snprintf(h, sizeof(h), "cpu%d", st->cpus[c]);
		printf(" %12s", h);
	}
	printf("\n");
	for (i = 0; i < st->nstats; i++) {
		printf("%-22s %14llu", st->names[i], st->total[i]);
		if (prev) {
			unsigned long long before = 0;
			int j;

			for (j = 0; j < prev->nstats; j++)
				if (strcmp(prev->names[j], st->names[i]) == 0)
					before = prev->total[j];
			printf(" %10.0f", st->total[i] >= before && seconds > 0 ?
			       (double)(st->total[i] - before) / seconds : 0.0);
		}
		for (c = 0; c < st->ncpus; c++)
			printf(" %12llu", st->per_cpu[c][i]);
		printf("\n");
	}
}

static int cell_stats(int argc, char **argv)
{
	static struct stats st, prev;
	struct wd_cell_info cell;
	struct wd_cell_id id;
	int i = 1, once = 0, on, have_prev = 0;
	char err[128];

	for (i = 1; i < argc; i++)
		if (wd_is_help(argv[i])) {
			wd_put_usage(stats_usage, stdout);
			return 0;
		}
	i = 1;
	memset(&id, 0, sizeof(id));
	id.id = -2;
	while (i < argc) {
		if (strcmp(argv[i], "--once") == 0) {
			once = 1;
			i++;
		} else if (id.id == -2) {
			if (wd_parse_cell_ref(argc, argv, &i, &id, err, sizeof(err)))
				return wd_usage_error(stats_usage, "cell stats: %s", err);
		} else {
			return wd_usage_error(stats_usage, "cell stats: unexpected argument '%s'",
					      argv[i]);
		}
	}
	if (id.id == -2)
		return wd_usage_error(stats_usage, "cell stats: missing cell (NAME or ID)");

	on = wd_enabled();
	if (on <= 0) {
		if (on == 0)
			wd_err("Warden is not enabled (%s enable SYSTEM.cell)", wd_prog);
		return 1;
	}
	if (find_cell(&id, &cell))
		return 1;
	if (read_stats(cell.id, &st)) {
		wd_err("cell '%s' has no statistics (hypervisor built without CONFIG_WD_STATISTICS?)",
		       cell.name);
		return 1;
	}
	if (once) {
		print_stats(&cell, &st, NULL, 0);
		return 0;
	}
	for (;;) {
		struct wd_cell_info now;
		struct wd_cell_id by_id = { .id = cell.id };

		printf("\033[H\033[2J");
		print_stats(&cell, &st, have_prev ? &prev : NULL, 1.0);
		printf("\n(refreshed every second; Ctrl-C ends)\n");
		fflush(stdout);
		prev = st;
		have_prev = 1;
		sleep(1);
		/* Only continue while the same cell (ID and name) exists. */
		if (find_cell(&by_id, &now) || strcmp(now.name, cell.name) != 0 ||
		    read_stats(cell.id, &st))
			return 1;
		cell = now;
	}
}

int cmd_cell(int argc, char **argv)
{
	const char *sub;

	if (argc < 2)
		return wd_usage_error(cell_usage, "cell: missing command");
	sub = argv[1];
	argc--;
	argv++;
	if (wd_is_help(sub) || strcmp(sub, "help") == 0) {
		wd_put_usage(cell_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "create") == 0)
		return cell_create(argc, argv);
	if (strcmp(sub, "load") == 0)
		return cell_load(argc, argv);
	if (strcmp(sub, "start") == 0)
		return simple_cell_ioctl(argc, argv, start_usage, WARDEN_CELL_START);
	if (strcmp(sub, "shutdown") == 0)
		return cell_shutdown(argc, argv);
	if (strcmp(sub, "destroy") == 0)
		return simple_cell_ioctl(argc, argv, destroy_usage, WARDEN_CELL_DESTROY);
	if (strcmp(sub, "list") == 0)
		return cell_list(argc, argv);
	if (strcmp(sub, "linux") == 0)
		return cmd_cell_linux(argc, argv);
	if (strcmp(sub, "stats") == 0)
		return cell_stats(argc, argv);
	return wd_usage_error(cell_usage, "cell: unknown command '%s'", sub);
}
