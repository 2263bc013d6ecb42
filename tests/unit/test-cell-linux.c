/*
 * Host unit tests of "cell linux"'s parts without side effects: gunzip
 * (against the system's gzip, and corrupt input), the arm64 Image header
 * (magic, text_offset, image_size, flags, refusals with their reasons) and
 * the placement of loader, parameters, kernel, device tree and initramfs in
 * a cell, with "kernel needs N MiB, the cell has M" when they do not fit.
 */
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

#include "../../tools/inflate.c"
#include "../../tools/kernel-image.c"

/* A 64-byte arm64 Image header followed by @len - 64 bytes of pattern. */
static uint8_t *fake_image(size_t len, uint64_t text_offset, uint64_t image_size,
			   uint64_t flags)
{
	uint8_t *p = calloc(1, len);
	int i;

	for (i = 0; i < 8; i++) {
		p[8 + i] = (uint8_t)(text_offset >> (8 * i));
		p[16 + i] = (uint8_t)(image_size >> (8 * i));
		p[24 + i] = (uint8_t)(flags >> (8 * i));
	}
	memcpy(p + 56, "ARM\x64", 4);
	for (i = 64; (size_t)i < len; i++)
		p[i] = (uint8_t)(i * 7 + (i >> 9));
	return p;
}

/* @data through the system's "gzip -@level" into a malloc'ed buffer. */
static uint8_t *system_gzip(const uint8_t *data, size_t len, int level, size_t *out_len)
{
	char in_path[] = "/tmp/wd-gz-XXXXXX", cmd[128];
	uint8_t *out = NULL;
	size_t cap = 0, n = 0;
	FILE *f;
	int fd = mkstemp(in_path);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		return NULL;
	close(fd);
	snprintf(cmd, sizeof(cmd), "gzip -%d -c %s", level, in_path);
	f = popen(cmd, "r");
	while (f && !feof(f)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			out = realloc(out, cap);
		}
		n += fread(out + n, 1, cap - n, f);
	}
	if (f)
		pclose(f);
	unlink(in_path);
	*out_len = n;
	return out;
}

static void test_gunzip(void)
{
	size_t len = 3 << 20, glen, olen;
	uint8_t *img = fake_image(len, 0, len, 0x0a), *gz;
	char err[200], name[64];
	void *out;
	int level;

	/* Some long runs for back-references, some noise for literals. */
	memset(img + 100000, 0, 500000);
	for (level = 1; level <= 9; level += 4) {
		gz = system_gzip(img, len, level, &glen);
		snprintf(name, sizeof(name), "gunzip of gzip -%d output", level);
		CHECK(name, gz && wd_gunzip(gz, glen, 64 << 20, &out, &olen, err, sizeof(err)) == 0 &&
			    olen == len && memcmp(out, img, len) == 0);
		if (level == 1) {
			free(out);
			CHECK("gunzip refuses more than the limit",
			      wd_gunzip(gz, glen, 1 << 20, &out, &olen, err, sizeof(err)) == -1 &&
			      strstr(err, "larger than the limit"));
			gz[glen - 4] ^= 1;	/* the length in the trailer */
			CHECK("gunzip notices a wrong length",
			      wd_gunzip(gz, glen, 64 << 20, &out, &olen, err, sizeof(err)) == -1 &&
			      strstr(err, "length"));
			gz[glen - 4] ^= 1;
			gz[glen - 8] ^= 1;	/* the CRC */
			CHECK("gunzip notices a wrong CRC-32",
			      wd_gunzip(gz, glen, 64 << 20, &out, &olen, err, sizeof(err)) == -1 &&
			      strstr(err, "CRC"));
			CHECK("gunzip refuses truncated data",
			      wd_gunzip(gz, glen / 2, 64 << 20, &out, &olen, err, sizeof(err)) == -1);
			gz[glen - 8] ^= 1;
		} else {
			free(out);
		}
		free(gz);
	}
	/* Incompressible data: stored blocks. */
	for (size_t i = 0; i < 200000; i++)
		img[i] = (uint8_t)rand();
	gz = system_gzip(img, 200000, 9, &glen);
	CHECK("gunzip of incompressible data (stored blocks)",
	      gz && wd_gunzip(gz, glen, 64 << 20, &out, &olen, err, sizeof(err)) == 0 &&
	      olen == 200000 && memcmp(out, img, olen) == 0);
	free(out);
	free(gz);
	CHECK("gunzip refuses what is not gzip",
	      wd_gunzip(img, 1000, 1 << 20, &out, &olen, err, sizeof(err)) == -1);
	free(img);
}

static void test_image(void)
{
	struct wd_kernel k;
	char err[200];
	uint8_t *p = fake_image(1 << 20, 0x80000, 3 << 20, 0x0a), *gz;
	size_t glen;

	CHECK("an arm64 Image is accepted", wd_kernel_parse(p, 1 << 20, &k, err, sizeof(err)) == 0);
	CHECK_EQ("its text_offset", k.text_offset, 0x80000);
	CHECK_EQ("its image_size", k.image_size, 3 << 20);
	CHECK("not gzip", !k.was_gzip && k.data == p);
	wd_kernel_release(&k);

	gz = system_gzip(p, 1 << 20, 6, &glen);
	CHECK("a gzip'ed Image is accepted", gz && wd_kernel_parse(gz, glen, &k, err, sizeof(err)) == 0 &&
	      k.was_gzip && k.size == (1 << 20) && memcmp(k.data, p, k.size) == 0 &&
	      k.image_size == (3 << 20));
	wd_kernel_release(&k);
	gz[glen / 2] ^= 0x55;
	CHECK("a corrupt gzip'ed Image is refused",
	      wd_kernel_parse(gz, glen, &k, err, sizeof(err)) == -1 &&
	      strncmp(err, "not an arm64 Image: gzip, but ", 30) == 0);
	free(gz);

	p[56] = 'X';
	CHECK("no magic: refused", wd_kernel_parse(p, 1 << 20, &k, err, sizeof(err)) == -1);
	CHECK_STR("  with the reason", err, "not an arm64 Image (no \"ARM\\x64\" magic at offset 0x38)");
	memcpy(p, "\x7f" "ELF", 4);
	CHECK("an ELF vmlinux: refused, named",
	      wd_kernel_parse(p, 1 << 20, &k, err, sizeof(err)) == -1 && strstr(err, "ELF"));
	memcpy(p, "MZ\0\0zimg", 8);
	CHECK("an EFI zboot image: refused, named",
	      wd_kernel_parse(p, 1 << 20, &k, err, sizeof(err)) == -1 && strstr(err, "zboot"));
	CHECK("too short: refused", wd_kernel_parse(p, 40, &k, err, sizeof(err)) == -1);
	free(p);

	p = fake_image(4096, 0, 8192, 0x0b);
	CHECK("a big-endian kernel: refused",
	      wd_kernel_parse(p, 4096, &k, err, sizeof(err)) == -1 && strstr(err, "big-endian"));
	free(p);
	p = fake_image(4096, 0x200000, 8192, 0x0a);
	CHECK("text_offset of 2 MiB or more: refused",
	      wd_kernel_parse(p, 4096, &k, err, sizeof(err)) == -1 && strstr(err, "text_offset"));
	free(p);
	p = fake_image(4096, 0, 0, 0);
	CHECK("image_size 0 (before 3.17): text_offset 0x80000, size of the file",
	      wd_kernel_parse(p, 4096, &k, err, sizeof(err)) == 0 && k.text_offset == 0x80000 &&
	      k.image_size == 4096);
	free(p);
	p = fake_image(4096, 0, 600ULL << 20, 0xa);
	CHECK("an image_size of 600 MiB: refused",
	      wd_kernel_parse(p, 4096, &k, err, sizeof(err)) == -1 && strstr(err, "image_size"));
	free(p);
}

/* A cell like qemu-linux-demo: loader at 0, RAM, a shared page, UART, comm region. */
static struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem[5];
} __attribute__((packed)) cfg;

static void make_cell(uint64_t ram_size, uint64_t loader_size)
{
	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.cell.signature, WD_CELL_SIGNATURE, sizeof(cfg.cell.signature));
	cfg.cell.cpu_set_size = 8;
	cfg.cell.num_memory_regions = 5;
	cfg.cpus[0] = 0xc;
	cfg.mem[0] = (struct wd_mem_region){ 0x7c000000, 0, loader_size,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_LOADABLE };
	cfg.mem[1] = (struct wd_mem_region){ 0x70000000, 0x70000000, ram_size,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA | WD_MEM_LOADABLE };
	cfg.mem[2] = (struct wd_mem_region){ 0x7c010000, 0x7c010000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_ROOTSHARED };
	cfg.mem[3] = (struct wd_mem_region){ 0x09040000, 0x09040000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	cfg.mem[4] = (struct wd_mem_region){ 0, 0x80000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION };
}

static void test_layout(void)
{
	struct wd_kernel k = { .text_offset = 0, .image_size = 33 << 20 };
	struct wd_linux_layout lay;
	char err[300];

	make_cell(128 << 20, 0x10000);
	CHECK("the loader's 64 KiB region is not Linux's RAM", !wd_linux_is_ram(&cfg.cell, &cfg.mem[0]));
	CHECK("the RAM region is", wd_linux_is_ram(&cfg.cell, &cfg.mem[1]));
	CHECK("a page shared with the root is not", !wd_linux_is_ram(&cfg.cell, &cfg.mem[2]));
	CHECK("I/O is not", !wd_linux_is_ram(&cfg.cell, &cfg.mem[3]));
	CHECK("the comm region is not", !wd_linux_is_ram(&cfg.cell, &cfg.mem[4]));

	CHECK("33 MiB kernel, 1 MiB initramfs in 128 MiB: placed",
	      wd_linux_layout(&cfg.cell, &k, 1 << 20, &lay, err, sizeof(err)) == 0);
	CHECK_EQ("loader at the reset address", lay.loader, 0);
	CHECK_EQ("parameters at +0x1000", lay.params, 0x1000);
	CHECK_EQ("kernel at the RAM's first 2 MiB boundary + text_offset", lay.kernel, 0x70000000);
	CHECK_EQ("device tree after the kernel's image_size", lay.dtb, 0x72100000);
	CHECK_EQ("initramfs after the device tree's room", lay.initrd, 0x72100000 + WD_LINUX_DTB_MAX);
	CHECK("all inside the RAM region",
	      lay.initrd + lay.initrd_size <= 0x78000000 && lay.dtb % 8 == 0 && lay.initrd % 4096 == 0);

	k.text_offset = 0x80000;
	CHECK("text_offset 0x80000: kernel at 2 MiB + 0x80000",
	      wd_linux_layout(&cfg.cell, &k, 0, &lay, err, sizeof(err)) == 0 &&
	      lay.kernel == 0x70080000 && lay.initrd == 0 && lay.initrd_size == 0);
	k.text_offset = 0;

	CHECK("90 MiB initramfs: refused",
	      wd_linux_layout(&cfg.cell, &k, 90 << 20, &lay, err, sizeof(err)) == -1);
	CHECK("  \"kernel needs 156 MiB, the cell has 128\"",
	      strncmp(err, "kernel needs 156 MiB, the cell has 128 ", 39) == 0);

	make_cell(64 << 20, 0x10000);
	k.image_size = 43 << 20;
	CHECK("a 43 MiB kernel in 64 MiB: refused",
	      wd_linux_layout(&cfg.cell, &k, 0, &lay, err, sizeof(err)) == -1 &&
	      strncmp(err, "kernel needs 76 MiB, the cell has 64 ", 37) == 0);

	/* RAM at 0 holding the loader: Linux's too, the kernel above the loader. */
	make_cell(128 << 20, 0x10000);
	cfg.mem[0].size = 0;
	cfg.mem[1].virt_start = 0;
	k.image_size = 20 << 20;
	CHECK("one RAM region at 0: the kernel at 2 MiB, past the loader",
	      wd_linux_layout(&cfg.cell, &k, 0, &lay, err, sizeof(err)) == 0 &&
	      lay.loader == 0 && lay.kernel == 0x200000);

	make_cell(128 << 20, 0x10000);
	cfg.mem[0].flags &= ~WD_MEM_LOADABLE;
	CHECK("no loadable region at the reset address: refused",
	      wd_linux_layout(&cfg.cell, &k, 0, &lay, err, sizeof(err)) == -1 &&
	      strstr(err, "reset address"));
	make_cell(128 << 20, 0x1000);
	CHECK("a loader region without room for the parameter page: refused",
	      wd_linux_layout(&cfg.cell, &k, 0, &lay, err, sizeof(err)) == -1);
	make_cell(128 << 20, 0x10000);
	cfg.mem[1].flags &= ~WD_MEM_LOADABLE;
	CHECK("RAM that is not loadable: refused",
	      wd_linux_layout(&cfg.cell, &k, 0, &lay, err, sizeof(err)) == -1 &&
	      strstr(err, "no loadable RAM"));
}

int main(void)
{
	test_gunzip();
	test_image();
	test_layout();
	return CHECK_DONE();
}
