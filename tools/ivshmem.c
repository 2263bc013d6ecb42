// SPDX-License-Identifier: GPL-2.0
/*
 * warden ivshmem list | demo: the root cell's ivshmem-v2 devices.
 *
 * list: every ivshmem device Linux enumerated on the virtual PCI host
 * (warden.ko registers it after enable), its protocol, and what it is to
 * the user: a /dev/uioN (uio_ivshmem.ko) or a network interface
 * (ivshmem-net.ko).
 *
 * demo: the doorbell demo over a /dev/uioN of uio_ivshmem, the root's
 * counterpart of the demo inmates: it announces itself in the state table,
 * rings a peer's doorbell at an interval, and on each interrupt records the
 * count in the shared memory (rw[ID] and the first word of its output
 * section, as Jailhouse's demos do) and shows the peers' states and values.
 * Unlike Jailhouse's demo it finds the maps by name, so a link without a
 * read/write section works too, and it can stop after a number of
 * interrupts (for scripts).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <warden/ivshmem.h>

#include "warden.h"

static const char ivshmem_usage[] =
	"usage: warden ivshmem [list]\n"
	"       warden ivshmem demo [-d /dev/uioN] [-t TARGET] [-n COUNT] [-i MS] [-w SECONDS]\n"
	"\n"
	"list: the root's ivshmem devices (after \"warden enable\"): PCI address,\n"
	"protocol, driver and its /dev/uioN or network interface.\n"
	"\n"
	"demo: doorbells over a uio_ivshmem device (default /dev/uio0). Sets this\n"
	"peer's state to ID + 1, rings peer TARGET (default: the next ID) every MS\n"
	"milliseconds (default 1000), and on each interrupt stores the count in\n"
	"rw[ID] and count * 10 in its output section, then prints the peers'\n"
	"states and values. -n stops after COUNT interrupts received and COUNT\n"
	"doorbells sent (exit 0); -w gives up after SECONDS (exit 1). Ctrl-C ends\n"
	"it otherwise. On exit the state goes back to 0.\n";

#define PCI_DEVICES "/sys/bus/pci/devices"

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)len, f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static unsigned long read_hex(const char *path)
{
	char buf[64];

	if (read_line(path, buf, sizeof(buf)))
		return ~0UL;
	return strtoul(buf, NULL, 16);
}

/* The single entry of @dir (e.g. a device's uio/ or net/ directory), or "". */
static void first_entry(const char *dir, char *out, size_t len)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	*out = 0;
	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(out, len, "%s", e->d_name);
			break;
		}
	closedir(d);
}

static const char *proto_name(unsigned int proto)
{
	if (proto == WD_SHMEM_PROTO_UNDEFINED)
		return "undefined (uio_ivshmem)";
	if (proto == WD_SHMEM_PROTO_VETH)
		return "network (ivshmem-net)";
	if (proto >= 0x4000 && proto < 0x8000)
		return "custom";
	if (proto >= 0x8000 && proto < 0xc000)
		return "virtio front-end";
	if (proto >= 0xc000)
		return "virtio back-end";
	return "reserved";
}

static int ivshmem_list(void)
{
	char path[512], drv[256], what[300], node[256];
	struct dirent *e;
	unsigned long cls;
	int n = 0;
	DIR *d;

	d = opendir(PCI_DEVICES);
	if (!d) {
		wd_err("cannot read %s: %s", PCI_DEVICES, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/vendor", e->d_name);
		if (read_hex(path) != WD_IVSHMEM_VENDOR_ID)
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/device", e->d_name);
		if (read_hex(path) != WD_IVSHMEM_DEVICE_ID)
			continue;
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/class", e->d_name);
		cls = read_hex(path);

		snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", e->d_name);
		drv[0] = 0;
		{
			char link[256];
			ssize_t l = readlink(path, link, sizeof(link) - 1);

			if (l > 0) {
				link[l] = 0;
				snprintf(drv, sizeof(drv), "%s", strrchr(link, '/') + 1);
			}
		}
		snprintf(what, sizeof(what), "-");
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/uio", e->d_name);
		first_entry(path, node, sizeof(node));
		if (*node) {
			snprintf(what, sizeof(what), "/dev/%s", node);
		} else {
			snprintf(path, sizeof(path), PCI_DEVICES "/%s/net", e->d_name);
			first_entry(path, node, sizeof(node));
			if (*node)
				snprintf(what, sizeof(what), "interface %s", node);
		}
		if (!n++)
			printf("%-14s %-6s %-26s %-13s %s\n", "DEVICE", "PROTO", "", "DRIVER", "USE");
		printf("%-14s 0x%04lx %-26s %-13s %s\n", e->d_name, cls & 0xffff,
		       proto_name(cls & 0xffff), *drv ? drv : "(none)", what);
	}
	closedir(d);
	if (!n)
		printf("no ivshmem devices (is Warden enabled with a configuration that has some?)\n");
	return 0;
}

/* ---- demo */

struct uio_map {
	volatile uint32_t *p;
	size_t size;
};

static const char *uio_base(const char *dev)
{
	const char *s = strrchr(dev, '/');

	return s ? s + 1 : dev;
}

/* The map called @name of @dev, mmap()ed; size 0 when the device has none. */
static int uio_map_named(int fd, const char *dev, const char *name, int prot,
			 struct uio_map *m)
{
	char path[256], buf[64];
	int k;

	m->p = NULL;
	m->size = 0;
	for (k = 0; k < 5; k++) {
		snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map%d/name",
			 uio_base(dev), k);
		if (read_line(path, buf, sizeof(buf)) || strcmp(buf, name))
			continue;
		snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map%d/size",
			 uio_base(dev), k);
		m->size = read_hex(path);
		if (m->size == ~0UL || !m->size)
			return -EINVAL;
		m->p = mmap(NULL, m->size, prot, MAP_SHARED, fd, (off_t)k * getpagesize());
		if (m->p == MAP_FAILED) {
			m->p = NULL;
			return -errno;
		}
		return 0;
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void demo_show(struct uio_map *state, struct uio_map *rw, struct uio_map *in,
		      uint32_t peers, size_t out_size)
{
	uint32_t i;

	printf("  state:");
	for (i = 0; i < peers && (i + 1) * 4 <= state->size; i++)
		printf(" %u=%u", i, state->p[i]);
	if (rw->p) {
		printf("  rw:");
		for (i = 0; i < peers && (i + 1) * 4 <= rw->size; i++)
			printf(" %u", rw->p[i]);
	}
	if (in->p && out_size) {
		printf("  outputs:");
		for (i = 0; i < peers; i++)
			printf(" %u", in->p[i * out_size / 4]);
	}
	printf("\n");
	fflush(stdout);
}

static int ivshmem_demo(int argc, char **argv)
{
	const char *dev = "/dev/uio0";
	long target = -1, count = 0, interval = 1000, wait_s = 0;
	struct uio_map regs, state, rw, in, out;
	uint32_t id, peers, events = 0, got = 0, sent = 0;
	double next, deadline = 0;
	struct pollfd pfd;
	int i, fd, err;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (wd_is_help(a)) {
			wd_put_usage(ivshmem_usage, stdout);
			return 0;
		}
		if (i + 1 >= argc)
			return wd_usage_error(ivshmem_usage, "ivshmem demo: '%s' needs a value", a);
		if (!strcmp(a, "-d"))
			dev = argv[++i];
		else if (!strcmp(a, "-t"))
			target = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "-n"))
			count = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "-i"))
			interval = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "-w"))
			wait_s = strtol(argv[++i], NULL, 0);
		else
			return wd_usage_error(ivshmem_usage, "ivshmem demo: unexpected argument '%s'", a);
	}
	if (interval <= 0 || count < 0 || wait_s < 0)
		return wd_usage_error(ivshmem_usage, "ivshmem demo: -i, -n and -w take positive numbers");

	fd = open(dev, O_RDWR);
	if (fd < 0) {
		wd_err("cannot open %s: %s (is uio_ivshmem loaded? see \"warden ivshmem list\")",
		       dev, strerror(errno));
		return 1;
	}
	err = uio_map_named(fd, dev, "registers", PROT_READ | PROT_WRITE, &regs);
	if (!err && !regs.p)
		err = -ENODEV;
	if (!err)
		err = uio_map_named(fd, dev, "state_table", PROT_READ, &state);
	if (!err)
		err = uio_map_named(fd, dev, "rw_section", PROT_READ | PROT_WRITE, &rw);
	if (!err)
		err = uio_map_named(fd, dev, "input_sections", PROT_READ, &in);
	if (!err)
		err = uio_map_named(fd, dev, "output_section", PROT_READ | PROT_WRITE, &out);
	if (err || !state.p) {
		wd_err("%s is not a uio_ivshmem device with the expected maps (%s)", dev,
		       strerror(err ? -err : ENODEV));
		close(fd);
		return 1;
	}

	id = regs.p[WD_IVSHMEM_REG_ID / 4];
	peers = regs.p[WD_IVSHMEM_REG_MAX_PEERS / 4];
	if (target < 0)
		target = (id + 1) % peers;
	if (target >= peers) {
		wd_err("peer %ld does not exist: the link has peers 0-%u", target, peers - 1);
		close(fd);
		return 2;
	}
	printf("%s: this is peer %u of %u, ringing peer %ld%s every %ld ms\n", dev, id, peers,
	       target, target == id ? " (itself)" : "", interval);

	regs.p[WD_IVSHMEM_REG_STATE / 4] = id + 1;
	if (rw.p && (id + 1) * 4 <= rw.size)
		rw.p[id] = 0;
	if (out.p)
		out.p[0] = 0;
	regs.p[WD_IVSHMEM_REG_INT_CTRL / 4] = WD_IVSHMEM_INT_ENABLE;
	demo_show(&state, &rw, &in, peers, out.size);

	pfd.fd = fd;
	pfd.events = POLLIN;
	next = now_ms() + interval;
	if (wait_s)
		deadline = now_ms() + wait_s * 1e3;
	for (;;) {
		double t = now_ms();
		int timeout = next > t ? (int)(next - t) + 1 : 0;

		if (count && got >= count && sent >= count)
			break;
		if (deadline && t >= deadline) {
			wd_err("gave up after %ld s: %u of %ld interrupts received, %u doorbells sent",
			       wait_s, got, count, sent);
			err = 1;
			goto out;
		}
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR) {
			wd_err("poll on %s: %s", dev, strerror(errno));
			err = 1;
			goto out;
		}
		if (pfd.revents & POLLIN) {
			if (read(fd, &events, sizeof(events)) != sizeof(events)) {
				wd_err("read on %s: %s", dev, strerror(errno));
				err = 1;
				goto out;
			}
			got++;
			if (rw.p && (id + 1) * 4 <= rw.size)
				rw.p[id] = events;
			if (out.p)
				out.p[0] = events * 10;
			printf("interrupt #%u (event count %u)\n", got, events);
			demo_show(&state, &rw, &in, peers, out.size);
			/* One-shot mode: re-arm. */
			regs.p[WD_IVSHMEM_REG_INT_CTRL / 4] = WD_IVSHMEM_INT_ENABLE;
		}
		if (now_ms() >= next && (!count || sent < count)) {
			regs.p[WD_IVSHMEM_REG_DOORBELL / 4] = WD_IVSHMEM_DOORBELL(target, 0);
			sent++;
			printf("doorbell #%u to peer %ld\n", sent, target);
			fflush(stdout);
			next = now_ms() + interval;
		}
	}
	printf("done: %u interrupts received, %u doorbells sent\n", got, sent);
	err = 0;
out:
	regs.p[WD_IVSHMEM_REG_INT_CTRL / 4] = 0;
	close(fd);		/* the driver sets the state back to 0 */
	return err;
}

int cmd_ivshmem(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "list"))
		return argc > 2 ? wd_usage_error(ivshmem_usage, "ivshmem list: unexpected argument '%s'",
						 argv[2])
				: ivshmem_list();
	if (wd_is_help(argv[1])) {
		wd_put_usage(ivshmem_usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "demo"))
		return ivshmem_demo(argc - 1, argv + 1);
	return wd_usage_error(ivshmem_usage, "ivshmem: unknown command '%s'", argv[1]);
}
