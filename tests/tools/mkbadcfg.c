/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Makes the broken system configurations the integration tests feed to
 * "warden enable", each derived from the good root cell qemu-arm64.cell:
 *
 *   mkbadcfg GOOD.cell OUTDIR
 *
 * For every variant it writes OUTDIR/NAME.cell and OUTDIR/NAME.msg, the
 * validator's message for it (the line the driver logs after "warden: ";
 * empty when the validator accepts the file and only the running system can
 * tell it is wrong). Each variant is run through the validator here, and a
 * variant that does not fail the way it is meant to stops the build: the
 * integration tests then know what every file exercises.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config-check.h>

#define MAX_CFG 65536

struct variant {
	const char *name;
	const char *what;
	enum wd_check_kind kind;	/* WD_CHECK_OK: the validator must accept it */
	/* Edits the copy; returns its new length. */
	size_t (*make)(struct wd_system_config *c, size_t len);
};

static size_t bad_signature(struct wd_system_config *c, size_t len)
{
	memcpy(c->signature, "JHXXX", WD_SIGNATURE_LEN);
	return len;
}

static size_t bad_revision(struct wd_system_config *c, size_t len)
{
	c->revision = WD_CONFIG_REVISION - 1;
	return len;
}

static size_t bad_arch(struct wd_system_config *c, size_t len)
{
	c->architecture = WD_ARCH_X86;
	return len;
}

static size_t truncated(struct wd_system_config *c, size_t len)
{
	(void)c;
	(void)len;
	return 300;	/* inside the 488-byte header */
}

static size_t bad_array_count(struct wd_system_config *c, size_t len)
{
	/* 8 GiB of memory regions: past the file, the hypervisor memory, anything */
	c->root_cell.num_memory_regions = 0x10000000;
	return len;
}

static size_t hv_too_small(struct wd_system_config *c, size_t len)
{
	c->hypervisor_memory.size = 0x10000;
	return len;
}

static size_t hv_in_ram(struct wd_system_config *c, size_t len)
{
	c->hypervisor_memory.phys_start = 0x60000000;
	return len;
}

static struct wd_mem_region *region(struct wd_system_config *c, unsigned int i)
{
	return (struct wd_mem_region *)wd_cell_mem_regions(&c->root_cell) + i;
}

/*
 * Hypervisor memory inside Linux's RAM, with the root cell's RAM region cut
 * short so that no region overlaps it: the validator cannot object, only the
 * driver can see that the range is System RAM in use by Linux.
 */
static size_t hv_not_reserved(struct wd_system_config *c, size_t len)
{
	struct wd_mem_region *ram = region(c, 0);

	c->hypervisor_memory.phys_start = 0x60000000;
	if (ram->phys_start != 0x40000000 || ram->size != 0x30000000) {
		fprintf(stderr, "mkbadcfg: region #0 of the good configuration is not Linux's RAM 0x40000000-0x6fffffff\n");
		exit(1);
	}
	ram->size = 0x20000000;
	return len;
}

/* The RTC (region #3, one page) shrunk to a sub-page region: Warden maps pages only. */
static size_t subpage_region(struct wd_system_config *c, size_t len)
{
	region(c, 3)->size = 0x100;
	return len;
}

/* The RTC region moved over the GIC distributor, which only the hypervisor may touch. */
static size_t gic_mapped(struct wd_system_config *c, size_t len)
{
	struct wd_mem_region *r = region(c, 3);

	r->phys_start = c->platform.arm.gicd_base;
	r->virt_start = c->platform.arm.gicd_base;
	r->size = 0x10000;
	return len;
}

static const struct variant variants[] = {
	{ "bad-signature", "signature JHXXX", WD_CHECK_SIGNATURE, bad_signature },
	{ "bad-revision", "revision 13", WD_CHECK_REVISION, bad_revision },
	{ "bad-arch", "architecture x86", WD_CHECK_ARCHITECTURE, bad_arch },
	{ "truncated", "cut to 300 bytes", WD_CHECK_TRUNCATED, truncated },
	{ "bad-array-count", "2^28 memory regions", WD_CHECK_SIZE_MISMATCH, bad_array_count },
	{ "hv-too-small", "64 KiB of hypervisor memory", WD_CHECK_HV_MEMORY, hv_too_small },
	{ "hv-in-ram", "hypervisor memory inside the RAM region", WD_CHECK_HV_OVERLAP, hv_in_ram },
	{ "hv-not-reserved", "hypervisor memory in Linux RAM, no region over it", WD_CHECK_OK,
	  hv_not_reserved },
	{ "subpage-region", "a 256-byte I/O region", WD_CHECK_MEM_SUBPAGE, subpage_region },
	{ "gic-mapped", "the GIC distributor as a root cell region", WD_CHECK_GIC, gic_mapped },
};

static int write_file(const char *dir, const char *name, const char *ext, const void *data,
		      size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "mkbadcfg: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char good[MAX_CFG], buf[MAX_CFG];
	struct wd_check_result res;
	size_t good_len, len, i;
	int failed = 0;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: mkbadcfg GOOD.cell OUTDIR\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "mkbadcfg: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	good_len = fread(good, 1, sizeof(good), f);
	fclose(f);
	if (wd_check_system(good, good_len, &res)) {
		fprintf(stderr, "mkbadcfg: %s is not a good system configuration: %s\n", argv[1],
			res.msg);
		return 1;
	}

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		const struct variant *v = &variants[i];
		char msg[WD_CHECK_MSG_LEN + 1];

		memcpy(buf, good, good_len);
		len = v->make((struct wd_system_config *)buf, good_len);
		wd_check_system(buf, len, &res);
		if (res.kind != v->kind) {
			fprintf(stderr, "mkbadcfg: %s (%s): validator says %s (\"%s\"), expected %s\n",
				v->name, v->what, wd_check_kind_name(res.kind), res.msg,
				wd_check_kind_name(v->kind));
			failed = 1;
			continue;
		}
		snprintf(msg, sizeof(msg), "%s%s", res.msg, res.msg[0] ? "\n" : "");
		if (write_file(argv[2], v->name, ".cell", buf, len) ||
		    write_file(argv[2], v->name, ".msg", msg, strlen(msg)))
			failed = 1;
	}
	return failed;
}
