/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The warden tool: declarations shared by its command files.
 *
 * Exit status of every command: 0 success, 1 failure (with a message on
 * stderr), 2 bad usage (Jailhouse's tool: 0 success, anything else failure).
 */
#ifndef WARDEN_TOOL_H
#define WARDEN_TOOL_H

#include <stddef.h>
#include <stdio.h>

#include <warden/cell-config.h>
#include <warden/config-check.h>
#include <warden/ioctl.h>

#define EXIT_USAGE		2

#define WD_MAX_LOAD_ITEMS	16

/* ---- args.c: argument parsing without side effects (unit tested) */

/* Decimal or 0x-prefixed hexadecimal, the whole string, fitting 64 bits. */
int wd_parse_addr(const char *s, __u64 *out);

/*
 * The cell argument at argv[*i]: "--name NAME", a decimal ID, or a NAME.
 * Advances *i past it. On error returns -1 with a message in @err.
 */
int wd_parse_cell_ref(int argc, char **argv, int *i, struct wd_cell_id *id,
		      char *err, size_t errlen);

/* One thing "cell load" puts into the cell: a file, or a string (-s). */
struct wd_load_item {
	const char *path;	/* NULL for a string */
	const char *string;	/* NULL for a file */
	__u64 addr;		/* target in the cell; 0 unless -a given */
	int has_addr;
};

/*
 * "IMAGE [-a ADDR] | -s STRING [-a ADDR] ..." from argv[i] on. Returns the
 * number of items (>= 1), or -1 with a message in @err.
 */
int wd_parse_load_items(int argc, char **argv, int i, struct wd_load_item *items,
			int max, char *err, size_t errlen);

/* Is the tool called as "jailhouse" (argv[0], any directory)? Then it takes
 * Jailhouse's names: /dev/jailhouse, /sys/devices/jailhouse, "jailhouse:". */
int wd_prog_is_jailhouse(const char *argv0);

/*
 * @usage with the command name "warden " replaced by "@prog " where it
 * starts a word, into @out (@len bytes, always terminated). Returns the
 * length written.
 */
size_t wd_usage_text(const char *usage, const char *prog, char *out, size_t len);

/* ---- explain.c: reading the driver's reason out of the kernel log (unit tested) */

/* Where the lines after @last_line (the newest line before the call) begin in @log. */
char *wd_klog_after(char *log, const char *last_line);

/*
 * The driver's explanation in @text (syslog lines "<3>[ 1.23] warden: ...";
 * modified): the newest "warden: " line, preferring warnings and errors,
 * ignoring the replay of the hypervisor's log. Points into @text, or NULL.
 */
const char *wd_klog_pick(char *text);

/* A hint for the failure of @what ("enable", "cell start", ...), or NULL. */
const char *wd_hint(const char *what, int err, const char *line);

/* ---- util.c */

/* The name the tool was called by: "warden" or "jailhouse" (wd_set_prog). */
extern const char *wd_prog;
extern int wd_jailhouse;
void wd_set_prog(const char *argv0);

/* Print a usage text with the tool's name in it (wd_usage_text). */
void wd_put_usage(const char *usage, FILE *f);

/* A warning on stderr: "warden: warning: ..." */
void wd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void wd_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int wd_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int wd_is_help(const char *arg);

/* Whole file into a malloc'ed buffer. 0, or a negative errno. */
int wd_read_file(const char *path, void **buf, size_t *len);

/*
 * Paths: /dev/warden and /sys/devices/warden, or Jailhouse's names when
 * called as "jailhouse"; WARDEN_DEVICE and WARDEN_SYSFS override them.
 */
const char *wd_device_path(void);
const char *wd_sysfs_root(void);

/*
 * sysfs file @rel (relative to the Warden root) into @buf, trailing newline
 * removed. Returns the length, or a negative errno.
 */
int wd_sysfs_read(const char *rel, char *buf, size_t len);

/* Open the device; on failure print why (module not loaded, ...) and return -1. */
int wd_open_device(void);

/* 1 if enabled, 0 if not, -1 (message printed) when the module is missing. */
int wd_enabled(void);

/* For commands that need a running hypervisor: the device fd, or -1 after a message. */
int wd_open_enabled(void);

/*
 * ioctl with the driver's explanation on failure: prints
 * "warden: WHAT failed: <strerror>", the driver's newest "warden: " kernel log
 * line since the call and a hint where one is known. Returns 0, or -1
 * after printing (also when the driver returned anything but 0 or -1).
 */
int wd_ioctl_explained(int fd, unsigned long req, void *arg, const char *what);

/* ---- cell.c: the cells as sysfs shows them */
struct wd_cell_info {
	int id;
	char name[WD_CELL_NAME_LEN + 1];
	char state[32];
	char cpus[128];		/* cpus_assigned_list */
	char failed[128];	/* cpus_failed_list */
	long long dma_faults;	/* DMA faults the IOMMUs recorded, -1 if unknown */
};

/* All cells sorted by ID into a malloc'ed array (free it); count or -1. */
int wd_list_cells(struct wd_cell_info **cells);

/* ---- console.c: where the unseen part of a new console snapshot begins */
size_t console_new_part(const char *old, size_t old_len, const char *cur, size_t cur_len);

/* ---- commands */
int cmd_enable(int argc, char **argv);
int cmd_disable(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_cell(int argc, char **argv);
int cmd_cell_linux(int argc, char **argv);	/* cell-linux.c: "cell linux" */
int cmd_config(int argc, char **argv);
int cmd_ivshmem(int argc, char **argv);
int cmd_config_check(int argc, char **argv);
int cmd_config_create(int argc, char **argv);
int cmd_config_dump(int argc, char **argv);

#endif
