/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "warden cell linux": booting Linux in a cell. The parts without side
 * effects (unit tested on the host) are declared here:
 *   inflate.c       gunzip
 *   kernel-image.c  the arm64 Image header, the cell's memory layout
 *   fdt-gen.c       the cell's device tree: generated, or a given one patched
 * and cell-linux.c is the command itself.
 */
#ifndef WARDEN_CELL_LINUX_H
#define WARDEN_CELL_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include <warden/cell-config.h>

/* ---- inflate.c */
int wd_is_gzip(const void *buf, size_t len);
/* Decompress one gzip member into a malloc'ed buffer of at most @max_out bytes. */
int wd_gunzip(const void *buf, size_t len, size_t max_out, void **out, size_t *out_len,
	      char *err, size_t errlen);

/* ---- kernel-image.c */

#define WD_ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64", little-endian, at 0x38 */
#define WD_LINUX_ALIGN		0x200000ULL	/* the kernel's 2 MiB boundary */
/* What Linux needs beyond its image, initramfs and device tree to come up. */
#define WD_LINUX_MIN_FREE	(32ULL << 20)
/* Room for the device tree in the cell (Linux maps at most 2 MiB of it). */
#define WD_LINUX_DTB_MAX	0x10000ULL
#define WD_KERNEL_MAX		(512ULL << 20)

struct wd_kernel {
	const uint8_t *data;	/* the Image (decompressed if it was gzip) */
	size_t size;
	uint64_t text_offset;	/* from the 2 MiB boundary */
	uint64_t image_size;	/* memory the kernel uses from its start, bss included */
	int was_gzip;
	void *owned;		/* free() this (the decompressed copy), or NULL */
};

/*
 * Check @buf (@len bytes of the file) is an arm64 Image, or gzip of one, and
 * fill @k. On error: -1 and the reason in @err ("not an arm64 Image ...").
 */
int wd_kernel_parse(const void *buf, size_t len, struct wd_kernel *k, char *err,
		    size_t errlen);
void wd_kernel_release(struct wd_kernel *k);

/* Where everything goes in the cell (cell addresses). */
struct wd_linux_layout {
	uint64_t loader;	/* cpu_reset_address */
	uint64_t params;	/* loader + 0x1000: "kernel=... dtb=..." */
	uint64_t ram_start, ram_size;	/* the region that holds the rest */
	uint64_t kernel;	/* 2 MiB boundary + text_offset */
	uint64_t dtb;
	uint64_t initrd, initrd_size;	/* initrd 0 when none */
};

/*
 * Linux's RAM: a region of the cell that is RAM (read, write, execute; not
 * I/O, comm region or shared with the root) and is not the loader's small
 * region at the reset address. Returns 1 if @r is one.
 */
int wd_linux_is_ram(const struct wd_cell_desc *cell, const struct wd_mem_region *r);

/*
 * Place kernel, device tree and initramfs in the largest RAM region of the
 * (validated) cell configuration. Refusals, in @err: no loader region at the
 * reset address, no RAM, "kernel needs N MiB, the cell has M".
 */
int wd_linux_layout(const struct wd_cell_desc *cell, const struct wd_kernel *k,
		    uint64_t initrd_size, struct wd_linux_layout *lay, char *err,
		    size_t errlen);

/* ---- fdt-gen.c */

/* What the tree is made of besides the cell configuration. */
struct wd_linux_dt_input {
	const struct wd_cell_desc *cell;	/* validated */
	const void *root_fdt;	/* the root's tree (/sys/firmware/fdt), or NULL */
	const uint64_t *mpidr;	/* MPIDR of each of the cell's CPUs, in CPU order */
	unsigned int num_cpus;
	const struct wd_system_config *sys;	/* for the virtual PCI host; NULL: none */
	const char *cmdline;	/* NULL: none */
	uint64_t initrd_start, initrd_end;	/* 0, 0: none */
};

/*
 * The cell's device tree into @buf (@size bytes). -1 with the reason in @err
 * (e.g. a device of the cell the root's tree does not describe is only
 * warned about through @warn, which may be NULL).
 */
int wd_linux_dt_generate(void *buf, size_t size, const struct wd_linux_dt_input *in,
			 void (*warn)(const char *msg), char *err, size_t errlen);

/* -d: the given tree (@dtb, @len) patched into @buf: memory, chosen. */
int wd_linux_dt_patch(void *buf, size_t size, const void *dtb, size_t len,
		      const struct wd_linux_dt_input *in, char *err, size_t errlen);

#endif
