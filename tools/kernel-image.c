// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 kernel Image (Linux's Documentation/arch/arm64/booting.rst: a
 * 64-byte little-endian header with text_offset at 8, image_size at 16, flags
 * at 24 and the magic "ARM\x64" at 56), gzip'ed or not, and where it, the
 * device tree and the initramfs go in a cell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell-linux.h"

#define MiB(x)	((unsigned long long)(((x) + (1ULL << 20) - 1) >> 20))

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int wd_kernel_parse(const void *buf, size_t len, struct wd_kernel *k, char *err,
		    size_t errlen)
{
	const uint8_t *p = buf;
	char why[160];
	uint64_t flags;

	memset(k, 0, sizeof(*k));
	if (wd_is_gzip(buf, len)) {
		void *out;
		size_t out_len;

		if (wd_gunzip(buf, len, WD_KERNEL_MAX, &out, &out_len, why, sizeof(why))) {
			snprintf(err, errlen, "not an arm64 Image: gzip, but %s", why);
			return -1;
		}
		k->owned = out;
		k->was_gzip = 1;
		p = out;
		len = out_len;
	}
	if (len < 64 || (uint32_t)get_le64(p + 56) != WD_ARM64_IMAGE_MAGIC) {
		if (len >= 8 && memcmp(p + 4, "zimg", 4) == 0)
			snprintf(err, errlen,
				 "not an arm64 Image: an EFI zboot image (boot its Image, or the Image gzip'ed)");
		else if (len >= 4 && memcmp(p, "\x7f" "ELF", 4) == 0)
			snprintf(err, errlen,
				 "not an arm64 Image: an ELF file (vmlinux; boot arch/arm64/boot/Image)");
		else
			snprintf(err, errlen, "not an arm64 Image (no \"ARM\\x64\" magic at offset 0x38)");
		goto fail;
	}
	flags = get_le64(p + 24);
	k->text_offset = get_le64(p + 8);
	k->image_size = get_le64(p + 16);
	if (flags & 1) {
		snprintf(err, errlen, "not an arm64 Image this cell can run: a big-endian kernel");
		goto fail;
	}
	if (k->image_size == 0) {
		/* Kernels before 3.17: text_offset 0x80000, size unknown. */
		k->text_offset = 0x80000;
		k->image_size = len;
	}
	if (k->text_offset >= WD_LINUX_ALIGN || (k->text_offset & 0xfff)) {
		snprintf(err, errlen, "not an arm64 Image: text_offset 0x%llx",
			 (unsigned long long)k->text_offset);
		goto fail;
	}
	if (k->image_size < len)
		k->image_size = len;
	if (k->image_size > WD_KERNEL_MAX) {
		snprintf(err, errlen, "not an arm64 Image: image_size %llu MiB",
			 MiB(k->image_size));
		goto fail;
	}
	k->data = p;
	k->size = len;
	return 0;
fail:
	wd_kernel_release(k);
	return -1;
}

void wd_kernel_release(struct wd_kernel *k)
{
	free(k->owned);
	memset(k, 0, sizeof(*k));
}

static int contains(const struct wd_mem_region *r, uint64_t addr)
{
	return addr >= r->virt_start && addr - r->virt_start < r->size;
}

/* The loader's region: loadable, holding the reset address and the parameter page. */
static const struct wd_mem_region *loader_region(const struct wd_cell_desc *cell)
{
	const struct wd_mem_region *r = wd_cell_mem_regions(cell);
	uint32_t i;

	for (i = 0; i < cell->num_memory_regions; i++)
		if ((r[i].flags & WD_MEM_LOADABLE) && !(r[i].flags & WD_MEM_IO) &&
		    contains(&r[i], cell->cpu_reset_address) &&
		    contains(&r[i], cell->cpu_reset_address + 0x1fff))
			return &r[i];
	return NULL;
}

/* The loader's own region is small (the loader needs 64 KiB); a bigger one is also Linux's. */
#define LOADER_REGION_MAX	0x100000ULL
#define LOADER_RESERVE		0x10000ULL

int wd_linux_is_ram(const struct wd_cell_desc *cell, const struct wd_mem_region *r)
{
	const uint64_t need = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE;

	if ((r->flags & need) != need || r->size == 0 ||
	    (r->flags & (WD_MEM_IO | WD_MEM_COMM_REGION | WD_MEM_ROOTSHARED)))
		return 0;
	return !(contains(r, cell->cpu_reset_address) && r->size <= LOADER_REGION_MAX);
}

int wd_linux_layout(const struct wd_cell_desc *cell, const struct wd_kernel *k,
		    uint64_t initrd_size, struct wd_linux_layout *lay, char *err,
		    size_t errlen)
{
	const struct wd_mem_region *r = wd_cell_mem_regions(cell), *ram = NULL;
	uint64_t start, base, end, need;
	uint32_t i;

	memset(lay, 0, sizeof(*lay));
	if (!loader_region(cell)) {
		snprintf(err, errlen,
			 "no loadable RAM at the reset address 0x%llx (with room for the parameters at +0x1000) for the loader",
			 (unsigned long long)cell->cpu_reset_address);
		return -1;
	}
	for (i = 0; i < cell->num_memory_regions; i++)
		if (wd_linux_is_ram(cell, &r[i]) && (r[i].flags & WD_MEM_LOADABLE) &&
		    (!ram || r[i].size > ram->size))
			ram = &r[i];
	if (!ram) {
		snprintf(err, errlen, "the cell has no loadable RAM for Linux besides the loader's");
		return -1;
	}
	lay->loader = cell->cpu_reset_address;
	lay->params = cell->cpu_reset_address + 0x1000;
	lay->ram_start = ram->virt_start;
	lay->ram_size = ram->size;

	start = ram->virt_start;
	if (contains(ram, cell->cpu_reset_address))
		start = cell->cpu_reset_address + LOADER_RESERVE;
	base = align_up(start, WD_LINUX_ALIGN);
	lay->kernel = base + k->text_offset;
	lay->dtb = align_up(lay->kernel + k->image_size, 0x1000);
	end = lay->dtb + WD_LINUX_DTB_MAX;
	if (initrd_size) {
		lay->initrd = end;
		lay->initrd_size = initrd_size;
		end = align_up(lay->initrd + initrd_size, 0x1000);
	}
	need = end - ram->virt_start + WD_LINUX_MIN_FREE;
	if (need > ram->size || base < start) {
		snprintf(err, errlen,
			 "kernel needs %llu MiB, the cell has %llu (RAM region at 0x%llx: image %llu MiB, initramfs %llu MiB, %llu MiB to run)",
			 MiB(need), (unsigned long long)(ram->size >> 20),
			 (unsigned long long)ram->virt_start, MiB(k->image_size),
			 MiB(initrd_size), MiB(WD_LINUX_MIN_FREE));
		memset(lay, 0, sizeof(*lay));
		return -1;
	}
	return 0;
}
