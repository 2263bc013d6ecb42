// SPDX-License-Identifier: GPL-2.0
/*
 * warden config check [--strict] [ROOT.cell] [CELL.cell...]: the validator on
 * configuration files, offline, as a set (wd_check_set): every finding of
 * every file, then the cells against the root cell and against each other.
 * Works the same on the host and in the guest; no driver needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warden.h"

static const char config_check_usage[] =
	"usage: warden config check [--strict] [--] [ROOT.cell] [CELL.cell...]\n"
	"\n"
	"Validate a system configuration (JHSYS) and the cell configurations (JHCLL)\n"
	"meant to run next to it, revision 14 (Jailhouse's format), as the driver and\n"
	"the hypervisor will: each file on its own, then each cell against the root\n"
	"cell (its CPUs, memory and SPIs must be the root cell's) and the cells\n"
	"against each other (no shared CPU, SPI, stream id, PCI device or exclusive\n"
	"memory; the root cell keeps a CPU). Files are told apart by their\n"
	"signature, in any order; the first system configuration is the root, any\n"
	"other is checked on its own. Only cell files, or only a system file, work\n"
	"too.\n"
	"\n"
	"Every finding is one line, \"FILE: error: [KIND] MESSAGE\" or\n"
	"\"FILE: warning: [KIND] MESSAGE\" (a finding between two cells names the\n"
	"later file), a clean file gives \"FILE: ok\", and a summary line ends the\n"
	"output.\n"
	"\n"
	"  --strict   warnings fail too\n"
	"\n"
	"Exit status: 0 without errors (with --strict: without warnings either),\n"
	"1 otherwise, 2 for bad usage.\n";

struct input {
	const char *path;
	void *buf;
	size_t len;
	unsigned int errors, warnings;
};

struct report_ctx {
	struct input *sys;		/* the root, or NULL */
	struct input **cells;		/* the cells, in the order given */
};

static void print_finding(struct input *in, enum wd_check_severity sev,
			  enum wd_check_kind kind, const char *msg)
{
	printf("%s: %s: [%s] %s\n", in->path, wd_check_severity_name(sev),
	       wd_check_kind_name(kind), msg);
	if (sev == WD_CHECK_ERROR)
		in->errors++;
	else
		in->warnings++;
}

static void report(void *opaque, enum wd_check_severity sev, enum wd_check_kind kind,
		   int blob, const char *msg)
{
	struct report_ctx *rc = opaque;
	struct input *in = blob == WD_CHECK_BLOB_SYSTEM ? rc->sys : rc->cells[blob];

	print_finding(in, sev, kind, msg);
}

/* A file with neither signature, or a second system: checked on its own, as a system. */
static void check_alone(struct input *in)
{
	struct report_ctx rc = { in, NULL };

	wd_check_set(in->buf, in->len, NULL, NULL, 0, report, &rc);
}

static int is_signed(const struct input *in, const char *sig)
{
	return in->len >= WD_SIGNATURE_LEN && memcmp(in->buf, sig, WD_SIGNATURE_LEN) == 0;
}

int cmd_config_check(int argc, char **argv)
{
	struct input *in, *root = NULL, **cells;
	const void **blobs;
	__u64 *sizes;
	struct report_ctx rc;
	unsigned int errors = 0, warnings = 0, ncells = 0, nfiles = 0;
	int i, strict = 0, first, ret;

	for (i = 1; i < argc; i++) {
		if (wd_is_help(argv[i])) {
			wd_put_usage(config_check_usage, stdout);
			return 0;
		}
	}
	/* Options first; "--" ends them (for a file whose name starts with '-'). */
	for (first = 1; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
		if (strcmp(argv[first], "--") == 0) {
			first++;
			break;
		}
		if (strcmp(argv[first], "--strict") != 0)
			return wd_usage_error(config_check_usage, "config check: unknown option %s",
					      argv[first]);
		strict = 1;
	}
	if (first >= argc)
		return wd_usage_error(config_check_usage, "config check: missing FILE");

	nfiles = (unsigned int)(argc - first);
	in = calloc(nfiles, sizeof(*in));
	cells = calloc(nfiles, sizeof(*cells));
	blobs = calloc(nfiles, sizeof(*blobs));
	sizes = calloc(nfiles, sizeof(*sizes));
	if (!in || !cells || !blobs || !sizes) {
		wd_err("config check: out of memory");
		free(in);
		free(cells);
		free(blobs);
		free(sizes);
		return 1;
	}

	for (i = 0; i < (int)nfiles; i++) {
		in[i].path = argv[first + i];
		ret = wd_read_file(in[i].path, &in[i].buf, &in[i].len);
		if (ret) {
			printf("%s: error: cannot read: %s\n", in[i].path, strerror(-ret));
			in[i].errors++;
			continue;
		}
		if (is_signed(&in[i], WD_CELL_SIGNATURE)) {
			cells[ncells] = &in[i];
			blobs[ncells] = in[i].buf;
			sizes[ncells++] = in[i].len;
		} else if (is_signed(&in[i], WD_SYSTEM_SIGNATURE) && !root) {
			root = &in[i];
		}
	}

	for (i = 0; i < (int)nfiles; i++)
		if (in[i].buf && &in[i] != root && !is_signed(&in[i], WD_CELL_SIGNATURE))
			check_alone(&in[i]);
	rc.sys = root;
	rc.cells = cells;
	wd_check_set(root ? root->buf : NULL, root ? root->len : 0, blobs, sizes, ncells,
		     report, &rc);

	for (i = 0; i < (int)nfiles; i++) {
		if (!in[i].errors && !in[i].warnings)
			printf("%s: ok\n", in[i].path);
		errors += in[i].errors;
		warnings += in[i].warnings;
		free(in[i].buf);
	}
	printf("config check: %u file%s, %u error%s, %u warning%s%s\n", nfiles,
	       nfiles == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
	       warnings == 1 ? "" : "s", strict && warnings ? " (--strict: warnings fail)" : "");
	fflush(stdout);
	free(in);
	free(cells);
	free(blobs);
	free(sizes);
	return errors || (strict && warnings) ? 1 : 0;
}
