// SPDX-License-Identifier: GPL-2.0
/*
 * What the commands share: messages, files, sysfs, the device, and turning a
 * failed ioctl into the driver's own explanation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <unistd.h>

#include "warden.h"

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

const char *wd_prog = "warden";
int wd_jailhouse;

void wd_set_prog(const char *argv0)
{
	wd_jailhouse = wd_prog_is_jailhouse(argv0);
	wd_prog = wd_jailhouse ? "jailhouse" : "warden";
}

void wd_put_usage(const char *usage, FILE *f)
{
	size_t len = strlen(usage) * 2 + 1;
	char *text = malloc(len);

	if (!text) {
		fputs(usage, f);
		return;
	}
	wd_usage_text(usage, wd_prog, text, len);
	fputs(text, f);
	free(text);
}

void wd_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: warning: ", wd_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void wd_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", wd_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int wd_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", wd_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	wd_put_usage(usage, stderr);
	return EXIT_USAGE;
}

int wd_is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

int wd_read_file(const char *path, void **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *data = NULL, *p;
	int fd, err = 0;
	ssize_t r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (!data || n == cap) {
			if (data)
				cap *= 2;
			p = realloc(data, cap);
			if (!p) {
				err = -ENOMEM;
				break;
			}
			data = p;
		}
		r = read(fd, data + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (err) {
		free(data);
		return err;
	}
	*buf = data;
	*len = n;
	return 0;
}

const char *wd_device_path(void)
{
	const char *p = getenv("WARDEN_DEVICE");

	if (p && *p)
		return p;
	return wd_jailhouse ? "/dev/jailhouse" : "/dev/warden";
}

const char *wd_sysfs_root(void)
{
	const char *p = getenv("WARDEN_SYSFS");

	if (p && *p)
		return p;
	return wd_jailhouse ? "/sys/devices/jailhouse" : "/sys/devices/warden";
}

int wd_sysfs_read(const char *rel, char *buf, size_t len)
{
	char path[4096];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", wd_sysfs_root(), rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, len - 1);
	if (r < 0) {
		r = -errno;
		close(fd);
		return (int)r;
	}
	close(fd);
	while (r > 0 && (buf[r - 1] == '\n' || buf[r - 1] == ' '))
		r--;
	buf[r] = '\0';
	return (int)r;
}

/* @path (the device or the sysfs root) is missing. */
static void module_missing(const char *path)
{
	wd_err("the warden module is not loaded (modprobe warden): no %s", path);
}

int wd_open_device(void)
{
	int fd = open(wd_device_path(), O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		module_missing(wd_device_path());
	else if (errno == EACCES || errno == EPERM)
		wd_err("cannot open %s: %s (run as root)", wd_device_path(), strerror(errno));
	else
		wd_err("cannot open %s: %s", wd_device_path(), strerror(errno));
	return -1;
}

int wd_enabled(void)
{
	char buf[16];
	int r = wd_sysfs_read("enabled", buf, sizeof(buf));

	if (r == -ENOENT) {
		module_missing(wd_sysfs_root());
		return -1;
	}
	if (r < 0) {
		wd_err("cannot read %s/enabled: %s", wd_sysfs_root(), strerror(-r));
		return -1;
	}
	return strcmp(buf, "0") != 0;
}

int wd_open_enabled(void)
{
	int fd = wd_open_device();
	int on;

	if (fd < 0)
		return -1;
	on = wd_enabled();
	if (on <= 0) {
		if (on == 0)
			wd_err("Warden is not enabled (%s enable SYSTEM.cell)", wd_prog);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The kernel log, to find the line in which the driver explains a failure.
 * Lines of SYSLOG_ACTION_READ_ALL look like "<3>[   12.345678] warden: ...".
 * Before the ioctl the last line is remembered; afterwards the lines after
 * its last occurrence are the new ones. If it is gone (the buffer wrapped),
 * everything is new.
 */
struct klog_mark {
	char *last_line;
	int valid;
};

static char *klog_read(int *len)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf;

	if (size <= 0)
		size = 1 << 20;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return NULL;
	*len = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (*len < 0) {
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

static void klog_mark(struct klog_mark *m)
{
	char *buf, *end, *start;
	int len;

	m->last_line = NULL;
	m->valid = 0;
	buf = klog_read(&len);
	if (!buf)
		return;	/* no access to the log: explain with the errno only */
	m->valid = 1;
	end = buf + len;
	while (end > buf && end[-1] == '\n')
		end--;
	*end = '\0';
	start = strrchr(buf, '\n');
	start = start ? start + 1 : buf;
	if (*start)
		m->last_line = strdup(start);
	free(buf);
}

/*
 * The driver's explanation among the kernel log lines since the mark (see
 * explain.c for how it is chosen).
 */
static char *klog_explanation(const struct klog_mark *m)
{
	char *buf, *found = NULL;
	const char *line;
	int len;

	if (!m->valid)
		return NULL;
	buf = klog_read(&len);
	if (!buf)
		return NULL;
	line = wd_klog_pick(wd_klog_after(buf, m->last_line));
	if (line)
		found = strdup(line);
	free(buf);
	return found;
}

int wd_ioctl_explained(int fd, unsigned long req, void *arg, const char *what)
{
	struct klog_mark mark;
	const char *hint;
	char *line;
	int ret, err;

	klog_mark(&mark);
	ret = ioctl(fd, req, arg);
	if (ret == 0) {
		free(mark.last_line);
		return 0;
	}
	/*
	 * The ABI: 0 on success, -1 with errno on failure. Jailhouse's tool
	 * takes anything else for a failure; so does this one.
	 */
	if (ret > 0) {
		free(mark.last_line);
		wd_err("%s: the driver returned %d instead of 0 (not Jailhouse's ABI)", what, ret);
		return -1;
	}
	err = errno;
	wd_err("%s failed: %s", what, strerror(err));
	line = klog_explanation(&mark);
	free(mark.last_line);
	if (line)
		fprintf(stderr, "%s\n", line);
	hint = wd_hint(what, err, line);
	if (hint) {
		char text[512];

		wd_usage_text(hint, wd_prog, text, sizeof(text));
		fprintf(stderr, "hint: %s\n", text);
	}
	free(line);
	return -1;
}
