// SPDX-License-Identifier: GPL-2.0
/*
 * warden cell linux CELLCONFIG KERNEL [-d DTB] [-i INITRD] [-c CMDLINE] [-w FILE]
 *
 * Jailhouse's "cell linux" for arm64, in the tool: the cell is created (or
 * taken as it is if it exists), then the linux-loader goes to its reset
 * address with "kernel=0x... dtb=0x..." at +0x1000, the kernel (a gzip'ed
 * Image is decompressed here), the device tree and the initramfs to the
 * largest RAM region, and the cell is started. Without -d the device tree is
 * generated (fdt-gen.c); with -d the given one gets the cell's memory and
 * chosen node. -w writes the device tree to FILE and prints the commands that
 * would boot it, touching nothing.
 *
 * Everything that can be refused (configuration, kernel, sizes, device tree,
 * loader) is checked before the cell is created.
 *
 * Inputs other than the arguments, for tests and other systems (environment):
 *   WARDEN_ROOT_FDT       the root's device tree (default /sys/firmware/fdt)
 *   WARDEN_SYSTEM_CONFIG  the system configuration (default: the driver's
 *                         <sysfs>/system_config; only the PCI host needs it)
 *   WARDEN_LINUX_LOADER   the loader (default
 *                         /usr/share/warden/inmates/linux-loader.bin, then
 *                         ../share/warden/inmates/ next to the tool)
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "cell-linux.h"
#include "warden.h"

static const char linux_usage[] =
	"usage: warden cell linux CELLCONFIG KERNEL [-d DTB] [-i INITRD] [-c \"CMDLINE\"]\n"
	"                         [-w PARAMS_FILE]\n"
	"\n"
	"Boot Linux in a cell: create the cell from CELLCONFIG (an existing cell of\n"
	"that name is reused), load the linux-loader, KERNEL (an arm64 Image, or one\n"
	"compressed with gzip), the device tree and the initramfs, and start it.\n"
	"\n"
	"  -d, --dtb DTB             the cell's device tree; its memory and chosen\n"
	"                            nodes are set from the configuration and options.\n"
	"                            Without -d it is generated from the configuration\n"
	"                            and the root's device tree (CPUs, RAM, GIC, timer,\n"
	"                            PSCI, the cell's devices, its virtual PCI host)\n"
	"  -i, --initrd FILE         initramfs for the kernel\n"
	"  -c, --cmdline \"STRING\"    kernel command line\n"
	"  -w, --write-params FILE   only write the device tree to FILE and print the\n"
	"                            commands that boot Linux with it\n"
	"  -a, --arch ARCH           target architecture (arm64 only)\n";

struct linux_args {
	const char *config, *kernel, *dtb, *initrd, *cmdline, *write_params;
};

static int parse_args(int argc, char **argv, struct linux_args *a)
{
	int i, npos = 0;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL;
		const char **slot = NULL;

		if (wd_is_help(arg)) {
			wd_put_usage(linux_usage, stdout);
			return 1;
		}
		if (!strcmp(arg, "-d") || !strcmp(arg, "--dtb"))
			slot = &a->dtb;
		else if (!strcmp(arg, "-i") || !strcmp(arg, "--initrd"))
			slot = &a->initrd;
		else if (!strcmp(arg, "-c") || !strcmp(arg, "--cmdline"))
			slot = &a->cmdline;
		else if (!strcmp(arg, "-w") || !strcmp(arg, "--write-params"))
			slot = &a->write_params;
		else if (!strcmp(arg, "-a") || !strcmp(arg, "--arch"))
			slot = &val;
		if (slot) {
			if (i + 1 >= argc)
				return -wd_usage_error(linux_usage, "cell linux: %s needs a value", arg);
			*slot = argv[++i];
			if (slot == &val && strcmp(val, "arm64") != 0)
				return -wd_usage_error(linux_usage,
						       "cell linux: architecture '%s' is not supported (arm64 only)",
						       val);
			continue;
		}
		if (arg[0] == '-' && arg[1])
			return -wd_usage_error(linux_usage, "cell linux: unknown option '%s'", arg);
		if (npos == 0)
			a->config = arg;
		else if (npos == 1)
			a->kernel = arg;
		else
			return -wd_usage_error(linux_usage, "cell linux: unexpected argument '%s'", arg);
		npos++;
	}
	if (!a->config || !a->kernel)
		return -wd_usage_error(linux_usage, "cell linux: needs CELLCONFIG and KERNEL");
	return 0;
}

static void warn_line(const char *msg)
{
	wd_warn("%s", msg);
}

/* The system configuration, for the virtual PCI host; NULL when not at hand. */
static void *read_system_config(void)
{
	const char *path = getenv("WARDEN_SYSTEM_CONFIG");
	char def[PATH_MAX];
	size_t len;
	void *buf;

	if (!path) {
		snprintf(def, sizeof(def), "%s/system_config", wd_sysfs_root());
		path = def;
	}
	if (wd_read_file(path, &buf, &len))
		return NULL;
	if (len < sizeof(struct wd_system_config) ||
	    memcmp(buf, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) != 0) {
		wd_warn("%s is no system configuration; no virtual PCI host for the cell", path);
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * The MPIDR of Linux CPU @cpu: its device tree node (sysfs), or else the
 * @cpu-th cpu node of @fdt (the order Linux numbers them in).
 */
static int cpu_mpidr(const void *fdt, unsigned int cpu, uint64_t *mpidr)
{
	char path[96];
	unsigned char reg[8];
	FILE *f;
	int node, n = 0, cpus;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/of_node/reg", cpu);
	f = getenv("WARDEN_ROOT_FDT") ? NULL : fopen(path, "rb");
	if (f) {
		size_t got = fread(reg, 1, sizeof(reg), f);

		fclose(f);
		if (got == 4 || got == 8) {
			uint64_t v = 0;
			size_t i;

			for (i = 0; i < got; i++)
				v = v << 8 | reg[i];
			*mpidr = v;
			return 0;
		}
	}
	cpus = fdt_path_offset(fdt, "/cpus");
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *r;
		int len;

		if (!type || strcmp(type, "cpu"))
			continue;
		if ((unsigned int)n++ != cpu)
			continue;
		r = fdt_getprop(fdt, node, "reg", &len);
		if (!r || (len != 4 && len != 8))
			return -1;
		*mpidr = len == 8 ? (uint64_t)fdt32_to_cpu(r[0]) << 32 | fdt32_to_cpu(r[1]) :
				    fdt32_to_cpu(r[0]);
		return 0;
	}
	return -1;
}

static const char *loader_path(char *buf, size_t len)
{
	const char *env = getenv("WARDEN_LINUX_LOADER");
	char self[PATH_MAX - 64];
	ssize_t n;

	if (env)
		return env;
	if (access("/usr/share/warden/inmates/linux-loader.bin", R_OK) == 0)
		return "/usr/share/warden/inmates/linux-loader.bin";
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(buf, len, "%s/../share/warden/inmates/linux-loader.bin", self);
			if (access(buf, R_OK) == 0)
				return buf;
		}
	}
	return "/usr/share/warden/inmates/linux-loader.bin";
}

static void set_image(struct wd_preload_image *img, const void *src, size_t len, uint64_t to)
{
	img->source_address = (__u64)(uintptr_t)src;
	img->size = len;
	img->target_address = to;
}

static int cell_exists(const char *name)
{
	struct wd_cell_info *cells;
	int n, i, found = 0;

	n = wd_list_cells(&cells);
	for (i = 0; i < n; i++)
		found |= strncmp(cells[i].name, name, WD_CELL_NAME_LEN) == 0;
	free(cells);
	return found;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len) {
		if (f)
			fclose(f);
		return -1;
	}
	return fclose(f) ? -1 : 0;
}

static void print_commands(const struct linux_args *a, const struct wd_cell_desc *cell,
			   const struct wd_linux_layout *lay, const char *params,
			   const struct wd_kernel *k)
{
	printf("Device tree written to %s. Boot Linux with (paths as needed):\n\n", a->write_params);
	printf("%s cell create %s\n", wd_prog, a->config);
	printf("%s cell load %.32s linux-loader.bin -a 0x%llx -s \"%s\" -a 0x%llx %s -a 0x%llx ",
	       wd_prog, cell->name, (unsigned long long)lay->loader, params,
	       (unsigned long long)lay->params, k->was_gzip ? "Image" : a->kernel,
	       (unsigned long long)lay->kernel);
	if (a->initrd)
		printf("%s -a 0x%llx ", a->initrd, (unsigned long long)lay->initrd);
	printf("%s -a 0x%llx\n", a->write_params, (unsigned long long)lay->dtb);
	printf("%s cell start %.32s\n", wd_prog, cell->name);
	if (k->was_gzip)
		printf("\n%s is gzip-compressed: \"Image\" above is its content (gunzip -c %s > Image).\n",
		       a->kernel, a->kernel);
}

int cmd_cell_linux(int argc, char **argv)
{
	struct wd_check_result res;
	struct wd_linux_dt_input in;
	struct wd_linux_layout lay;
	struct linux_args a;
	struct wd_kernel k;
	const struct wd_cell_desc *cell;
	void *cfg = NULL, *kbuf = NULL, *initrd = NULL, *root_fdt = NULL, *sys = NULL;
	void *given_dtb = NULL, *loader = NULL;
	uint64_t mpidr[64];
	size_t cfg_len, klen, initrd_len = 0, fdt_len, dtb_len = 0, loader_len = 0;
	char err[320], params[96], lpath_buf[PATH_MAX];
	const char *lpath = NULL;
	unsigned char dtb[WD_LINUX_DTB_MAX];
	struct wd_cell_load *load = NULL;
	struct wd_cell_create create;
	unsigned int cpu, ncpus = 0;
	int ret, status = 1, fd = -1, n;

	memset(&k, 0, sizeof(k));
	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret > 0 ? 0 : -ret;

	ret = wd_read_file(a.config, &cfg, &cfg_len);
	if (ret) {
		wd_err("cannot read %s: %s", a.config, strerror(-ret));
		goto out;
	}
	if (wd_check_cell(cfg, cfg_len, &res)) {
		wd_err("%s: %s", a.config, res.msg);
		goto out;
	}
	cell = cfg;
	ret = wd_read_file(a.kernel, &kbuf, &klen);
	if (ret) {
		wd_err("cannot read %s: %s", a.kernel, strerror(-ret));
		goto out;
	}
	if (wd_kernel_parse(kbuf, klen, &k, err, sizeof(err))) {
		wd_err("%s: %s", a.kernel, err);
		goto out;
	}
	if (a.initrd) {
		ret = wd_read_file(a.initrd, &initrd, &initrd_len);
		if (ret) {
			wd_err("cannot read %s: %s", a.initrd, strerror(-ret));
			goto out;
		}
	}
	if (wd_linux_layout(cell, &k, initrd_len, &lay, err, sizeof(err))) {
		wd_err("%s: %s", a.config, err);
		goto out;
	}

	memset(&in, 0, sizeof(in));
	in.cell = cell;
	in.cmdline = a.cmdline;
	if (initrd_len) {
		in.initrd_start = lay.initrd;
		in.initrd_end = lay.initrd + initrd_len;
	}
	if (a.dtb) {
		ret = wd_read_file(a.dtb, &given_dtb, &dtb_len);
		if (ret) {
			wd_err("cannot read %s: %s", a.dtb, strerror(-ret));
			goto out;
		}
		if (wd_linux_dt_patch(dtb, sizeof(dtb), given_dtb, dtb_len, &in, err, sizeof(err))) {
			wd_err("%s: %s", a.dtb, err);
			goto out;
		}
	} else {
		const char *rpath = getenv("WARDEN_ROOT_FDT");

		if (!rpath)
			rpath = "/sys/firmware/fdt";
		ret = wd_read_file(rpath, &root_fdt, &fdt_len);
		if (ret || fdt_len < 40 || fdt_check_header(root_fdt) ||
		    fdt_totalsize(root_fdt) > fdt_len) {
			wd_err("cannot read the root's device tree %s (%s); give the cell's with -d",
			       rpath, ret ? strerror(-ret) : "not a device tree");
			goto out;
		}
		for (cpu = 0; cpu < cell->cpu_set_size * 8; cpu++) {
			if (!wd_cell_has_cpu(cell, cpu))
				continue;
			if (ncpus == sizeof(mpidr) / sizeof(mpidr[0]) ||
			    cpu_mpidr(root_fdt, cpu, &mpidr[ncpus])) {
				wd_err("%s: cannot tell the MPIDR of CPU %u from the root's device tree",
				       a.config, cpu);
				goto out;
			}
			ncpus++;
		}
		sys = read_system_config();
		in.root_fdt = root_fdt;
		in.mpidr = mpidr;
		in.num_cpus = ncpus;
		in.sys = sys;
		if (wd_linux_dt_generate(dtb, sizeof(dtb), &in, warn_line, err, sizeof(err))) {
			wd_err("%s: the cell's device tree: %s", a.config, err);
			goto out;
		}
	}
	snprintf(params, sizeof(params), "kernel=0x%llx dtb=0x%llx",
		 (unsigned long long)lay.kernel, (unsigned long long)lay.dtb);

	if (a.write_params) {
		if (write_file(a.write_params, dtb, fdt_totalsize(dtb))) {
			wd_err("cannot write %s: %s", a.write_params, strerror(errno));
			goto out;
		}
		print_commands(&a, cell, &lay, params, &k);
		status = 0;
		goto out;
	}

	lpath = loader_path(lpath_buf, sizeof(lpath_buf));
	ret = wd_read_file(lpath, &loader, &loader_len);
	if (ret) {
		wd_err("cannot read the linux-loader %s: %s (WARDEN_LINUX_LOADER names another)",
		       lpath, strerror(-ret));
		goto out;
	}

	fd = wd_open_enabled();
	if (fd < 0)
		goto out;
	memset(&create, 0, sizeof(create));
	create.config_address = (__u64)(uintptr_t)cfg;
	create.config_size = (__u32)cfg_len;
	/* An existing cell of this name is reused, as Jailhouse's tool does. */
	if (cell_exists(cell->name))
		printf("Cell \"%.32s\" exists: loading it again.\n", cell->name);
	else if (wd_ioctl_explained(fd, WARDEN_CELL_CREATE, &create, "cell create") < 0)
		goto out;

	n = initrd_len ? 5 : 4;
	load = calloc(1, sizeof(*load) + (size_t)n * sizeof(load->image[0]));
	if (!load) {
		wd_err("out of memory");
		goto out;
	}
	load->cell_id.id = WD_CELL_ID_BY_NAME;
	memcpy(load->cell_id.name, cell->name, sizeof(cell->name));
	load->cell_id.name[WD_CELL_NAME_LEN - 1] = 0;
	load->num_preload_images = (__u32)n;
	set_image(&load->image[0], loader, loader_len, lay.loader);
	set_image(&load->image[1], params, strlen(params) + 1, lay.params);
	set_image(&load->image[2], k.data, k.size, lay.kernel);
	set_image(&load->image[3], dtb, fdt_totalsize(dtb), lay.dtb);
	if (initrd_len)
		set_image(&load->image[4], initrd, initrd_len, lay.initrd);
	if (wd_ioctl_explained(fd, WARDEN_CELL_LOAD, load, "cell load") < 0)
		goto out;
	if (wd_ioctl_explained(fd, WARDEN_CELL_START, &load->cell_id, "cell start") < 0)
		goto out;
	status = 0;
out:
	if (fd >= 0)
		close(fd);
	wd_kernel_release(&k);
	free(load);
	free(loader);
	free(given_dtb);
	free(sys);
	free(root_fdt);
	free(initrd);
	free(kbuf);
	free(cfg);
	return status;
}
