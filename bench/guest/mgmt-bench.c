// SPDX-License-Identifier: GPL-2.0
/*
 * mgmt-bench: instructions retired by each management ioctl on /dev/warden,
 * and the hypervisor's memory use after each step. Runs in the QEMU guest
 * (static aarch64 binary; bench/root.sh drives it).
 *
 *   mgmt-bench [-r ROUNDS] [-s IMAGE_SIZE] [-c CPU] [-V] [-n NCPUS [-o FILE]]
 *              ROOT.cell [CELL.cell IMAGE]
 *
 * -n gives the root cell CPUs 0..NCPUS-1 only (the driver refuses a root cell
 * whose CPUs do not match the online ones, and the board's configuration
 * lists four); with -o the changed configuration is written to FILE instead
 * of being measured.
 *
 * -V clears platform.pci_is_virtual in the root's configuration (only the
 * driver reads it): the hypervisor sets up and emulates the root's virtual
 * PCI devices as before, but the driver registers no host bridge, so Linux
 * does not scan and probe them inside ENABLE. The operations' names then end
 * in "_novpci"; the difference from a run without -V is Linux's part.
 *
 * Every round: a no-op ioctl (an unknown command, refused by the driver at
 * once: the cost of the measuring itself), ENABLE, then with a cell
 * CELL_CREATE, CELL_LOAD (IMAGE zero-padded to IMAGE_SIZE bytes, loaded at
 * the cell's address 0), CELL_START, CELL_DESTROY, and DISABLE. Output lines,
 * for the host to parse:
 *
 *   BENCH <round> <op> <all-ELs> <EL0+EL1> <EL0>   instructions per ioctl
 *   POOL <round> <after-op> <mem used> <remap used> <RAM 1G> <RAM 2M> <RAM 4K>
 *
 * The counters are Linux perf events for PERF_COUNT_HW_INSTRUCTIONS on this
 * task, one group of three, read before and after the ioctl (the no-op shows
 * what the reading itself costs), that differ only in their exclusions: exclude_hv=0
 * makes the armv8 PMU driver set PMEVTYPER.NSH, so EL2 (the hypervisor) is
 * counted; the difference between the first two is the EL2 share. The task
 * is pinned to one CPU so that "the calling CPU" stays the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include <warden/ioctl.h>

#define SYSFS "/sys/devices/warden/"
#define NUM_COUNTERS 3

/* An ioctl number the driver does not know: refused with ENOTTY at once. */
#define NOOP_IOCTL _IO(0, 0x7f)

static int counters[NUM_COUNTERS];
static const char *op_suffix = "";

static void die(const char *what)
{
	fprintf(stderr, "mgmt-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int open_counter(int group, int exclude_hv, int exclude_kernel)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.exclude_hv = exclude_hv;
	attr.exclude_kernel = exclude_kernel;
	attr.exclude_user = 0;
	attr.pinned = group < 0;	/* never multiplexed: all or nothing */
	attr.read_format = PERF_FORMAT_GROUP | PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, group, 0);
	if (fd < 0)
		die("perf_event_open(PERF_COUNT_HW_INSTRUCTIONS) (no PMU in the guest?)");
	return fd;
}

/*
 * The group counts from its creation on; a measurement is the difference of
 * two reads of the whole group. Starting and stopping the group instead
 * would not do: the kernel enables the members one after the other, so the
 * first would count some of perf's own EL1 code that the others miss, and
 * that would pass for EL2 work.
 */
static void counters_open(void)
{
	counters[0] = open_counter(-1, 0, 0);		/* EL0, EL1, EL2 */
	counters[1] = open_counter(counters[0], 1, 0);	/* EL0, EL1 */
	counters[2] = open_counter(counters[0], 1, 1);	/* EL0 */
}

static void counters_read(uint64_t out[NUM_COUNTERS])
{
	uint64_t v[3 + NUM_COUNTERS];
	int i;

	if (read(counters[0], v, sizeof(v)) != sizeof(v) || v[0] != NUM_COUNTERS)
		die("reading the perf counter group");
	/* A group that did not run throughout is no measurement. */
	if (v[1] != v[2]) {
		fprintf(stderr, "mgmt-bench: the counters ran %llu of %llu ns\n",
			(unsigned long long)v[2], (unsigned long long)v[1]);
		exit(1);
	}
	for (i = 0; i < NUM_COUNTERS; i++)
		out[i] = v[3 + i];
}

static long sysfs_long(const char *name)
{
	char path[128], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), SYSFS "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

static void report_pool(int round, const char *after)
{
	printf("POOL %d %s%s %ld %ld %ld %ld %ld\n", round, after, op_suffix,
	       sysfs_long("mem_pool_used"), sysfs_long("remap_pool_used"),
	       sysfs_long("root_stage2/ram_1g_bytes"),
	       sysfs_long("root_stage2/ram_2m_bytes"),
	       sysfs_long("root_stage2/ram_4k_bytes"));
}

/* One counted ioctl; a failure ends the program (the numbers would lie). */
static void measure(int round, const char *name, int fd, unsigned long cmd,
		    void *arg, int expect_errno)
{
	uint64_t before[NUM_COUNTERS], c[NUM_COUNTERS];
	int ret, err, i;

	counters_read(before);
	ret = ioctl(fd, cmd, arg);
	err = errno;
	counters_read(c);
	for (i = 0; i < NUM_COUNTERS; i++)
		c[i] -= before[i];
	if (expect_errno ? (ret >= 0 || err != expect_errno) : ret < 0) {
		errno = err;
		die(name);
	}
	printf("BENCH %d %s%s %llu %llu %llu\n", round, name, op_suffix,
	       (unsigned long long)c[0], (unsigned long long)c[1],
	       (unsigned long long)c[2]);
	fflush(stdout);
}

static void *read_file(const char *path, size_t *len, size_t min_len)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		die(path);
	*len = (size_t)st.st_size > min_len ? (size_t)st.st_size : min_len;
	buf = calloc(1, *len);
	if (!buf)
		die("calloc");
	if (read(fd, buf, st.st_size) != st.st_size)
		die(path);
	close(fd);
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: mgmt-bench [-r ROUNDS] [-s IMAGE_SIZE] [-c CPU] "
		"[-V] [-n NCPUS [-o FILE]] ROOT.cell [CELL.cell IMAGE]\n");
	exit(2);
}

static void root_cpus(void *config, size_t len, unsigned int ncpus)
{
	struct wd_system_config *sys = config;
	__u8 *set;
	unsigned int cpu;

	if (len < sizeof(*sys) || len < wd_system_config_size(sys) ||
	    ncpus > sys->root_cell.cpu_set_size * 8) {
		fprintf(stderr, "mgmt-bench: cannot give the root cell %u CPUs\n", ncpus);
		exit(1);
	}
	set = (__u8 *)wd_cell_cpu_set(&sys->root_cell);
	memset(set, 0, sys->root_cell.cpu_set_size);
	for (cpu = 0; cpu < ncpus; cpu++)
		set[cpu / 8] |= 1u << (cpu % 8);
}

static void write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd))
		die(path);
}

int main(int argc, char **argv)
{
	size_t root_len, cell_len = 0, image_len = 0, image_size = 65536;
	void *root, *cell_cfg = NULL, *image = NULL;
	struct wd_cell_create create;
	struct wd_cell_load *load;
	struct wd_cell_id id;
	int rounds = 3, cpu = 0, ncpus = 0, no_vpci = 0, opt, fd, round;
	const char *output = NULL;
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "r:s:c:n:o:V")) != -1) {
		switch (opt) {
		case 'r': rounds = atoi(optarg); break;
		case 's': image_size = strtoul(optarg, NULL, 0); break;
		case 'c': cpu = atoi(optarg); break;
		case 'n': ncpus = atoi(optarg); break;
		case 'o': output = optarg; break;
		case 'V': no_vpci = 1; break;
		default: usage();
		}
	}
	if (argc - optind != 1 && argc - optind != 3)
		usage();
	root = read_file(argv[optind], &root_len, 0);
	if (ncpus > 0)
		root_cpus(root, root_len, (unsigned int)ncpus);
	if (no_vpci) {
		if (root_len < sizeof(struct wd_system_config)) {
			fprintf(stderr, "mgmt-bench: %s is too short\n", argv[optind]);
			return 1;
		}
		((struct wd_system_config *)root)->platform.pci_is_virtual = 0;
		op_suffix = "_novpci";
	}
	if (output) {
		write_file(output, root, root_len);
		free(root);
		return 0;
	}
	if (argc - optind == 3) {
		cell_cfg = read_file(argv[optind + 1], &cell_len, 0);
		image = read_file(argv[optind + 2], &image_len, image_size);
		if (image_len != image_size) {
			fprintf(stderr, "mgmt-bench: %s is larger than %zu bytes\n",
				argv[optind + 2], image_size);
			return 1;
		}
	}

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
	fd = open("/dev/warden", O_RDWR);
	if (fd < 0)
		die("/dev/warden");
	counters_open();

	memset(&create, 0, sizeof(create));
	create.config_address = (uintptr_t)cell_cfg;
	create.config_size = (__u32)cell_len;
	memset(&id, 0, sizeof(id));
	id.id = WD_CELL_ID_BY_NAME;
	if (cell_cfg)
		memcpy(id.name, ((struct wd_cell_desc *)cell_cfg)->name,
		       sizeof(id.name));
	load = calloc(1, sizeof(*load) + sizeof(load->image[0]));
	if (!load)
		die("calloc");
	load->cell_id = id;
	load->num_preload_images = 1;
	load->image[0].source_address = (uintptr_t)image;
	load->image[0].size = image_len;
	load->image[0].target_address = 0;

	for (round = 0; round < rounds; round++) {
		measure(round, "noop", fd, NOOP_IOCTL, NULL, ENOTTY);
		measure(round, "enable", fd, WARDEN_ENABLE, root, 0);
		report_pool(round, "enable");
		if (cell_cfg) {
			measure(round, "cell_create", fd, WARDEN_CELL_CREATE, &create, 0);
			report_pool(round, "cell_create");
			measure(round, "cell_load", fd, WARDEN_CELL_LOAD, load, 0);
			report_pool(round, "cell_load");
			measure(round, "cell_start", fd, WARDEN_CELL_START, &id, 0);
			measure(round, "cell_destroy", fd, WARDEN_CELL_DESTROY, &id, 0);
			report_pool(round, "cell_destroy");
		}
		measure(round, "disable", fd, WARDEN_DISABLE, NULL, 0);
	}
	close(fd);
	free(load);
	free(root);
	free(cell_cfg);
	free(image);
	return 0;
}
