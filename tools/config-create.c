// SPDX-License-Identifier: GPL-2.0
/*
 * warden config create: a root-cell configuration from a device tree, the
 * running system's (/sys/firmware/fdt, with /proc/iomem for the RAM Linux
 * really uses) or a .dtb. Writes the binary .cell and/or readable C source;
 * never writes a configuration that the validator refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "warden.h"
#include <warden/ivshmem.h>

#include "config-create.h"

#define LIVE_FDT		"/sys/firmware/fdt"
#define LIVE_IOMEM		"/proc/iomem"
#define DEFAULT_MEM_HV		(4ULL << 20)
/* With the 4 MiB above: the top 256 MiB, what mem=768M leaves free of 1 GiB. */
#define DEFAULT_MEM_INMATES	(252ULL << 20)

static const char config_create_usage[] =
	"usage: warden config create [--dtb FILE] [--iomem FILE|none] [--name NAME]\n"
	"                            [--ram BASE:SIZE[,BASE:SIZE...]] [-v]\n"
	"                            [--mem-hv SIZE] [--mem-inmates SIZE]\n"
	"                            [--ivshmem BDF[:PEERS[:PROTOCOL]]...] [--ivshmem-base ADDR]\n"
	"                            [--vpci-ecam ADDR] [--vpci-irq-base SPI]\n"
	"                            (-o OUT.c|OUT.cell | OUT.c|OUT.cell | --c FILE --cell FILE)\n"
	"\n"
	"Generate a root-cell configuration from a flattened device tree: RAM,\n"
	"CPUs, GIC, debug UART (stdout-path), every enabled device's registers and\n"
	"SPIs, SMMUv3 units and stream IDs, the ECAM PCI host. What it cannot\n"
	"classify is counted (-v lists it, one line per node); what you must act on\n"
	"(no debug console, CPUs not started through PSCI, ...) is printed last.\n"
	"The result is checked as \"warden config check\" would; a failing one is\n"
	"not written.\n"
	"\n"
	"  --dtb FILE         read FILE instead of the running system's " LIVE_FDT "\n"
	"  --iomem FILE|none  where Linux's RAM is (\"System RAM\" lines); default\n"
	"                     " LIVE_IOMEM " without --dtb, none with it\n"
	"  --name NAME        root cell name (default: the output's base name,\n"
	"                     shortened to 31 characters)\n"
	"  --ram BASE:SIZE[,BASE:SIZE...]\n"
	"                     the board's RAM, when the device tree's /memory is\n"
	"                     empty (the bootloader fills it in) or wrong; replaces\n"
	"                     /memory, e.g. --ram 0x80000000:2G\n"
	"  --mem-hv SIZE      hypervisor memory, at the top of the RAM Linux does not\n"
	"                     use (default 4M)\n"
	"  --mem-inmates SIZE RAM for cells, right below it (default: all RAM Linux\n"
	"                     does not use when Linux's RAM is known, else 252M;\n"
	"                     half the RAM below the hypervisor when 252M does not\n"
	"                     fit there or would leave Linux less than that)\n"
	"  --ivshmem BDF[:PEERS[:PROTOCOL]]\n"
	"                     add an ivshmem link (up to 4), the root as peer 0:\n"
	"                     device 00:DD.F on the hypervisor's virtual PCI host,\n"
	"                     PEERS 2-12 (default 2), PROTOCOL undefined (default,\n"
	"                     uio_ivshmem), veth (ivshmem-net, 2 peers) or a number;\n"
	"                     its shared memory (state table, read/write section,\n"
	"                     an output section per peer) at the end of the RAM\n"
	"                     for cells; INTx at SPI vpci_irq_base + (DD & 3)\n"
	"  --ivshmem-base ADDR  the links' shared memory there instead\n"
	"  --vpci-ecam ADDR   the virtual PCI host's ECAM (1 MiB, and a window\n"
	"                     after it; default: the first 2 MiB hole in the tree)\n"
	"  --vpci-irq-base SPI  INTx pin A's SPI (default 96 if free, as Jailhouse's)\n"
	"  -v                 every node left out or unusable, one line each\n"
	"  -o FILE            output; FILE.c is C source, FILE.cell binary\n"
	"  --c FILE, --cell FILE  write both forms\n"
	"\n"
	"SIZE: bytes, or with a K, M or G suffix. Linux must not use the hypervisor's\n"
	"and the cells' RAM: boot it with mem= (or a device tree) that leaves it out.\n";

struct create_args {
	const char *dtb;
	const char *iomem;
	const char *name;
	const char *out_c;
	const char *out_cell;
	struct dt_range ram[DT_MAX_RANGES];
	unsigned int n_ram;
	struct cc_options opt;
};

static int parse_size(const char *s, __u64 *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (end == s || errno || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end || (shift && v > (~0ULL >> shift)))
		return -1;
	*out = v << shift;
	return 0;
}

/* "BASE:SIZE[,BASE:SIZE...]", each a number with an optional K/M/G suffix. */
static int parse_ram(const char *arg, struct create_args *a)
{
	char buf[512], *tok, *save = NULL;

	if (strlen(arg) >= sizeof(buf) || !arg[0] || arg[0] == ',' ||
	    arg[strlen(arg) - 1] == ',' || strstr(arg, ",,"))
		return -1;	/* strtok would skip an empty entry */
	strcpy(buf, arg);
	a->n_ram = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');
		__u64 base, size;

		if (!colon || a->n_ram == DT_MAX_RANGES)
			return -1;
		*colon = 0;
		if (parse_size(tok, &base) || parse_size(colon + 1, &size) || !size ||
		    base + size < base)
			return -1;
		a->ram[a->n_ram].start = base;
		a->ram[a->n_ram++].size = size;
	}
	return a->n_ram ? 0 : -1;
}

static int has_ext(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);

	return n > e && strcmp(path + n - e, ext) == 0;
}

static int set_output(struct create_args *a, const char *path)
{
	if (has_ext(path, ".c"))
		a->out_c = path;
	else if (has_ext(path, ".cell"))
		a->out_cell = path;
	else
		return -1;
	return 0;
}

static int parse_args(int argc, char **argv, struct create_args *a)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = strcmp(o, "--dtb") == 0 || strcmp(o, "--iomem") == 0 ||
			    strcmp(o, "--name") == 0 || strcmp(o, "--mem-hv") == 0 ||
			    strcmp(o, "--mem-inmates") == 0 || strcmp(o, "-o") == 0 ||
			    strcmp(o, "--c") == 0 || strcmp(o, "--cell") == 0 ||
			    strcmp(o, "--ram") == 0 || strcmp(o, "--ivshmem") == 0 ||
			    strcmp(o, "--ivshmem-base") == 0 || strcmp(o, "--vpci-ecam") == 0 ||
			    strcmp(o, "--vpci-irq-base") == 0;

		if (takes && !v)
			return wd_usage_error(config_create_usage, "config create: %s wants a value", o);
		if (strcmp(o, "-v") == 0 || strcmp(o, "--verbose") == 0) {
			cc_verbose = 1;
			continue;
		} else if (strcmp(o, "--dtb") == 0) {
			a->dtb = v;
		} else if (strcmp(o, "--ram") == 0) {
			if (parse_ram(v, a))
				return wd_usage_error(config_create_usage,
						      "config create: bad --ram '%s' (BASE:SIZE[,BASE:SIZE...], e.g. 0x80000000:2G)",
						      v);
		} else if (strcmp(o, "--ivshmem") == 0) {
			if (cc_parse_ivshmem(v, &a->opt))
				return wd_usage_error(config_create_usage,
						      "config create: bad --ivshmem '%s' (00:DD.F[:PEERS[:PROTOCOL]], PEERS 2-%u, veth with 2 peers, at most %u links)",
						      v, WD_IVSHMEM_MAX_PEERS, CC_MAX_IVSHMEM);
		} else if (strcmp(o, "--ivshmem-base") == 0 || strcmp(o, "--vpci-ecam") == 0) {
			if (parse_size(v, o[2] == 'i' ? &a->opt.ivshmem_base : &a->opt.vpci_ecam))
				return wd_usage_error(config_create_usage,
						      "config create: bad %s '%s'", o, v);
		} else if (strcmp(o, "--vpci-irq-base") == 0) {
			char *end;
			unsigned long b = strtoul(v, &end, 0);

			if (*end || end == v || b + 32 + 4 > DT_MAX_INTID)
				return wd_usage_error(config_create_usage,
						      "config create: bad --vpci-irq-base '%s' (an SPI number, 0-%u)",
						      v, DT_MAX_INTID - 36);
			a->opt.vpci_irq_base = (unsigned int)b;
			a->opt.vpci_irq_base_given = 1;
		} else if (strcmp(o, "--iomem") == 0) {
			a->iomem = v;
		} else if (strcmp(o, "--name") == 0) {
			a->name = v;
			a->opt.name_given = 1;
		} else if (strcmp(o, "--mem-hv") == 0) {
			if (parse_size(v, &a->opt.mem_hv))
				return wd_usage_error(config_create_usage,
						      "config create: bad --mem-hv '%s'", v);
		} else if (strcmp(o, "--mem-inmates") == 0) {
			if (parse_size(v, &a->opt.mem_inmates))
				return wd_usage_error(config_create_usage,
						      "config create: bad --mem-inmates '%s'", v);
			a->opt.mem_inmates_given = 1;
		} else if (strcmp(o, "--c") == 0) {
			a->out_c = v;
		} else if (strcmp(o, "--cell") == 0) {
			a->out_cell = v;
		} else if (strcmp(o, "-o") == 0 || o[0] != '-') {
			if (set_output(a, o[0] == '-' ? v : o))
				return wd_usage_error(config_create_usage,
						      "config create: output '%s' is neither .c nor .cell (or use --c / --cell)",
						      o[0] == '-' ? v : o);
			if (o[0] != '-')
				continue;
		} else {
			return wd_usage_error(config_create_usage,
					      "config create: unknown option '%s'", o);
		}
		i++;
	}
	if (!a->out_c && !a->out_cell)
		return wd_usage_error(config_create_usage, "config create: no output (-o FILE)");
	return 0;
}

/*
 * Linux's RAM: the top-level "System RAM" lines of /proc/iomem. Addresses
 * read as zero when not root: refuse rather than guess.
 */
static int read_iomem(const char *path, struct cc_options *opt)
{
	char line[256];
	FILE *f = fopen(path, "r");
	int nonzero = 0;

	if (!f) {
		fprintf(stderr, CC_PREFIX "cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, end;
		int pos = 0;

		if (line[0] == ' ')
			continue;	/* inside a top-level range */
		if (sscanf(line, "%llx-%llx : %n", &start, &end, &pos) != 2 || !pos ||
		    strncmp(line + pos, "System RAM", 10) != 0)
			continue;
		if (end)
			nonzero = 1;
		if (opt->n_linux_ram == DT_MAX_RANGES) {
			fprintf(stderr, CC_PREFIX "%s: more than %u System RAM ranges\n", path,
				DT_MAX_RANGES);
			fclose(f);
			return -1;
		}
		opt->linux_ram[opt->n_linux_ram].start = start;
		opt->linux_ram[opt->n_linux_ram++].size = end - start + 1;
	}
	fclose(f);
	if (!opt->n_linux_ram) {
		fprintf(stderr, CC_PREFIX "%s has no System RAM lines\n", path);
		return -1;
	}
	if (!nonzero) {
		fprintf(stderr, CC_PREFIX "%s shows no addresses (not root?); run as root or give --iomem none\n",
			path);
		return -1;
	}
	return 0;
}

/*
 * The output's base name without its extension, for the default cell name:
 * at most @len - 1 characters (a board's file name is often longer than a
 * cell name may be), printable ones only.
 */
static void default_name(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t n, i;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	if (n > len - 1)
		n = len - 1;
	for (i = 0; i < n; i++)
		buf[i] = base[i] > ' ' && base[i] < 0x7f ? base[i] : '_';
	/* A shortened name ends on a word, not on a separator. */
	while (n > 1 && (buf[n - 1] == '-' || buf[n - 1] == '_' || buf[n - 1] == '.'))
		n--;
	buf[n] = 0;
}

/* The refusal when the device tree has no RAM and --ram was not given. */
static void no_ram(const struct dt_info *dt)
{
	if (dt->n_mem_empty)
		fprintf(stderr, CC_PREFIX "no RAM in the device tree: its /memory is empty (the bootloader fills it in at boot); give the board's RAM with --ram BASE:SIZE[,BASE:SIZE...], e.g. --ram 0x%llx:1G\n",
			(unsigned long long)dt->mem_empty_base);
	else
		fprintf(stderr, CC_PREFIX "no RAM in the device tree (no /memory node: the bootloader adds it at boot); give the board's RAM with --ram BASE:SIZE[,BASE:SIZE...], e.g. --ram 0x80000000:1G\n");
}

static int write_file(const char *path, const void *data, size_t len, const struct cc_model *m)
{
	FILE *f = fopen(path, "w");
	int bad;

	if (!f) {
		fprintf(stderr, CC_PREFIX "cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	bad = data ? fwrite(data, 1, len, f) != len : cc_emit_c(m, f) != 0;
	bad |= fclose(f) != 0;
	if (bad) {
		fprintf(stderr, CC_PREFIX "writing %s failed: %s\n", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

static void summary(const char *path, const struct cc_model *m, size_t len)
{
	unsigned int i, j, spis = 0;

	for (i = 0; i < m->n_irqchips; i++)
		for (j = 0; j < 4; j++)
			spis += (unsigned int)__builtin_popcount(m->irqchips[i].pin_bitmap[j]);
	printf("%s: root cell '%s', %u CPUs, GICv%u, %u memory regions, %u SPIs, %u stream IDs, hypervisor memory 0x%llx (%llu KiB), %zu bytes\n",
	       path, m->sys.root_cell.name, m->n_cpus, m->sys.platform.arm.gic_version,
	       m->n_regions, spis, m->n_sids,
	       (unsigned long long)m->sys.hypervisor_memory.phys_start,
	       (unsigned long long)(m->sys.hypervisor_memory.size >> 10), len);
}

int cmd_config_create(int argc, char **argv)
{
	static struct create_args a;
	static struct dt_info dt;
	static struct cc_model m;
	struct wd_check_result res;
	char name[WD_CELL_NAME_LEN + 1];
	const char *fdt_path;
	void *fdt = NULL, *blob = NULL;
	size_t fdt_len, blob_len;
	int i, ret = 1, err;

	for (i = 1; i < argc; i++) {
		if (wd_is_help(argv[i])) {
			fputs(config_create_usage, stdout);
			return 0;
		}
	}
	memset(&a, 0, sizeof(a));
	memset(&m, 0, sizeof(m));
	cc_verbose = 0;
	cc_reset_report();
	a.opt.mem_hv = DEFAULT_MEM_HV;
	a.opt.mem_inmates = DEFAULT_MEM_INMATES;
	err = parse_args(argc, argv, &a);
	if (err)
		return err;

	fdt_path = a.dtb ? a.dtb : LIVE_FDT;
	if (!a.iomem)
		a.iomem = a.dtb ? "none" : LIVE_IOMEM;
	default_name(a.out_cell ? a.out_cell : a.out_c, name, WD_CELL_NAME_LEN);
	a.opt.name = a.name ? a.name : name[0] ? name : "root";

	err = wd_read_file(fdt_path, &fdt, &fdt_len);
	if (err) {
		fprintf(stderr, CC_PREFIX "cannot read %s: %s\n", fdt_path, strerror(-err));
		return 1;
	}
	if (strcmp(a.iomem, "none") != 0 && read_iomem(a.iomem, &a.opt))
		goto out;
	if (dt_scan(fdt, fdt_len, &dt))
		goto out;
	if (!a.dtb)
		cc_live_pci_sids(fdt, &dt);	/* devices behind ports and switches */
	if (a.n_ram) {
		if (dt.n_mem)
			cc_detail("--ram replaces the device tree's %u RAM range(s)", dt.n_mem);
		memcpy(dt.mem, a.ram, a.n_ram * sizeof(a.ram[0]));
		dt.n_mem = a.n_ram;
	} else if (!dt.n_mem) {
		no_ram(&dt);
		goto out;
	}
	snprintf(m.source, sizeof(m.source), "%s%s%s", fdt_path,
		 a.opt.n_linux_ram ? " and " : "", a.opt.n_linux_ram ? a.iomem : "");
	if (cc_layout(&dt, &a.opt, &m))
		goto out;
	blob = cc_emit_binary(&m, &blob_len);
	if (!blob) {
		fprintf(stderr, CC_PREFIX "out of memory\n");
		goto out;
	}
	if (wd_check_system(blob, blob_len, &res)) {
		fprintf(stderr, CC_PREFIX "the generated configuration fails the check, not written: %s\n",
			res.msg);
		goto out;
	}
	if (a.out_cell && write_file(a.out_cell, blob, blob_len, &m))
		goto out;
	if (a.out_c && write_file(a.out_c, NULL, 0, &m))
		goto out;
	if (a.out_cell)
		summary(a.out_cell, &m, blob_len);
	if (a.out_c)
		summary(a.out_c, &m, blob_len);
	fflush(stdout);
	cc_report_actions();
	ret = 0;
out:
	free(blob);
	free(fdt);
	return ret;
}
