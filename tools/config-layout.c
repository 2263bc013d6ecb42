// SPDX-License-Identifier: GPL-2.0
/*
 * From what the board has (struct dt_info) to what the root cell gets
 * (struct cc_model): the memory split between Linux, the hypervisor and the
 * cells, the device regions, the interrupt pins and the platform fields.
 *
 * The memory split, as configs/arm64/qemu-arm64.c does it by hand:
 *   - Linux keeps the RAM it runs in. With /proc/iomem that is its
 *     "System RAM" (mem= shows there, not in the device tree); from a .dtb
 *     alone it is all RAM but the hypervisor's and the cells' part.
 *   - The hypervisor takes --mem-hv at the top of the highest RAM block that
 *     Linux does not use, the cells --mem-inmates right below it (with
 *     /proc/iomem and no --mem-inmates: every block Linux does not use).
 *     The root cell keeps the cells' RAM mapped so that it can load images.
 *   - /reserved-memory is never handed out; its no-map part is not Linux's
 *     either (Linux never maps it), the rest (CMA, DMA pools) is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-create.h"

#define MEM_RAM (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA)
#define MEM_DEV (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO)

struct rset {
	struct dt_range r[2 * DT_MAX_RANGES + 8];
	unsigned int n;
};

static __u64 page_down(__u64 a)
{
	return a & ~(CC_PAGE_SIZE - 1);
}

static __u64 page_up(__u64 a)
{
	return (a + CC_PAGE_SIZE - 1) & ~(CC_PAGE_SIZE - 1);
}

static int rset_add(struct rset *s, __u64 start, __u64 end)
{
	if (end <= start)
		return 0;
	if (s->n == sizeof(s->r) / sizeof(s->r[0])) {
		fprintf(stderr, CC_PREFIX "RAM too fragmented (more than %u blocks)\n", s->n);
		return -1;
	}
	s->r[s->n].start = start;
	s->r[s->n++].size = end - start;
	return 0;
}

static int cmp_range(const void *a, const void *b);

/*
 * Whole pages of each range (RAM is never rounded outwards), in address
 * order, overlapping or adjacent ranges merged: a device tree may list a
 * bank twice or overlapping (Exynos Auto v920), a region must not.
 */
static int rset_from(struct rset *s, const struct dt_range *r, unsigned int n)
{
	unsigned int i, out = 0;

	s->n = 0;
	for (i = 0; i < n; i++)
		if (rset_add(s, page_up(r[i].start), page_down(r[i].start + r[i].size)))
			return -1;
	qsort(s->r, s->n, sizeof(s->r[0]), cmp_range);
	for (i = 0; i < s->n; i++) {
		if (out && s->r[i].start <= s->r[out - 1].start + s->r[out - 1].size) {
			__u64 end = s->r[i].start + s->r[i].size;

			if (end > s->r[out - 1].start + s->r[out - 1].size)
				s->r[out - 1].size = end - s->r[out - 1].start;
			continue;
		}
		s->r[out++] = s->r[i];
	}
	s->n = out;
	return 0;
}

/* @s minus [start, end). */
static int rset_sub(struct rset *s, __u64 start, __u64 end)
{
	struct rset out = { .n = 0 };
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		__u64 a = s->r[i].start, b = a + s->r[i].size;

		if (end <= a || start >= b) {
			if (rset_add(&out, a, b))
				return -1;
			continue;
		}
		if (rset_add(&out, a, start > a ? start : a) ||
		    rset_add(&out, end < b ? end : b, b))
			return -1;
	}
	*s = out;
	return 0;
}

/* @s intersected with @with. */
static int rset_and(struct rset *s, const struct rset *with)
{
	struct rset out = { .n = 0 };
	unsigned int i, j;

	for (i = 0; i < s->n; i++) {
		for (j = 0; j < with->n; j++) {
			__u64 a = s->r[i].start, b = a + s->r[i].size;
			__u64 c = with->r[j].start, d = c + with->r[j].size;

			if (rset_add(&out, a > c ? a : c, b < d ? b : d))
				return -1;
		}
	}
	*s = out;
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct dt_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void rset_sort(struct rset *s)
{
	qsort(s->r, s->n, sizeof(s->r[0]), cmp_range);
}

static int add_region(struct cc_model *m, __u64 start, __u64 size, __u64 flags,
		      const char *comment)
{
	struct cc_region *r;

	if (m->n_regions == CC_MAX_REGIONS) {
		fprintf(stderr, CC_PREFIX "more than %u memory regions\n", CC_MAX_REGIONS);
		return -1;
	}
	r = &m->regions[m->n_regions++];
	r->r.phys_start = start;
	r->r.virt_start = start;
	r->r.size = size;
	r->r.flags = flags;
	snprintf(r->comment, sizeof(r->comment), "%s", comment);
	return 0;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct dt_dev *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int overlaps(__u64 a, __u64 as, __u64 b, __u64 bs)
{
	return a < b + bs && b < a + as;
}

/* Same compatible (the label's "(...)" part): e.g. a row of virtio-mmio transports. */
static int same_kind(const struct dt_dev *a, const struct dt_dev *b)
{
	const char *x = strchr(a->label, '('), *y = strchr(b->label, '(');

	return x && y && strcmp(x, y) == 0;
}

/*
 * The devices, page granular, in address order. Registers sharing a page
 * become one region (the check refuses overlapping regions), and so do
 * adjacent ones of the same kind; RAM-overlapping
 * registers are left out with a note.
 */
static int add_devices(const struct dt_info *dt, struct cc_model *m, unsigned int n_ram)
{
	static struct dt_dev devs[DT_MAX_DEVS];
	unsigned int i, j, merged;

	memcpy(devs, dt->devs, dt->n_devs * sizeof(devs[0]));
	qsort(devs, dt->n_devs, sizeof(devs[0]), cmp_dev);
	for (i = 0; i < dt->n_devs; i = j) {
		__u64 start = page_down(devs[i].start);
		__u64 end = page_up(devs[i].start + devs[i].size);
		const struct wd_mem_region *hv = &m->sys.hypervisor_memory;
		char comment[sizeof(m->regions[0].comment)];
		unsigned int k;

		for (j = i + 1, merged = 0; j < dt->n_devs && (page_down(devs[j].start) < end ||
							       (page_down(devs[j].start) == end &&
								same_kind(&devs[i], &devs[j]))); j++) {
			__u64 e = page_up(devs[j].start + devs[j].size);

			if (e > end)
				end = e;
			merged++;
		}
		if (merged)
			snprintf(comment, sizeof(comment), "%.*s and %u more", DT_PATH_LEN + 40,
				 devs[i].label, merged);
		else
			snprintf(comment, sizeof(comment), "%s", devs[i].label);
		for (k = 0; k < n_ram; k++)
			if (overlaps(start, end - start, m->regions[k].r.phys_start,
				     m->regions[k].r.size))
				break;
		if (k < n_ram || overlaps(start, end - start, hv->phys_start, hv->size)) {
			char item[sizeof(comment) + 48];

			snprintf(item, sizeof(item), "%s at 0x%llx-0x%llx", comment,
				 (unsigned long long)start, (unsigned long long)end - 1);
			cc_action(item, "registers overlap the RAM given: not mapped (check --ram / /memory)");
			continue;
		}
		if (add_region(m, start, end - start, MEM_DEV, comment))
			return -1;
	}
	return 0;
}

static void add_irqchips(const struct dt_info *dt, struct cc_model *m)
{
	unsigned int base, j;

	/* 128 pins per entry, the first at INTID 32 (SGIs and PPIs are per CPU). */
	for (base = 32; base < DT_MAX_INTID; base += 128) {
		struct wd_irqchip chip = { .address = dt->gic.gicd, .pin_base = base };
		__u32 any = 0;

		for (j = 0; j < 4; j++) {
			unsigned int w = base / 32 + j;

			chip.pin_bitmap[j] = w < sizeof(dt->spis) / sizeof(dt->spis[0]) ?
					     dt->spis[w] | m->spis_extra[w] : 0;
			any |= chip.pin_bitmap[j];
		}
		if (any)
			m->irqchips[m->n_irqchips++] = chip;
	}
}

static void fmt_size(char *buf, size_t len, __u64 size)
{
	if (size % (1ULL << 20) == 0)
		snprintf(buf, len, "%llu MiB", (unsigned long long)(size >> 20));
	else
		snprintf(buf, len, "%llu KiB", (unsigned long long)(size >> 10));
}

/*
 * Where the hypervisor and the cells go: the top of the highest block of
 * @free that holds the hypervisor. @cells gets the cells' RAM.
 */
static int place(const struct cc_options *opt, struct rset *free, int live, __u64 *hv,
		 struct rset *cells)
{
	__u64 inmates = opt->mem_inmates;
	int i, best = -1;

	rset_sort(free);
	for (i = (int)free->n - 1; i >= 0; i--)
		if (free->r[i].size >= opt->mem_hv) {
			best = i;
			break;
		}
	if (best < 0) {
		char sz[32];

		fmt_size(sz, sizeof(sz), opt->mem_hv);
		if (live)
			fprintf(stderr, CC_PREFIX "no %s of RAM outside Linux's for the hypervisor: boot Linux with mem= so that it leaves RAM free\n",
				sz);
		else
			fprintf(stderr, CC_PREFIX "no RAM block of %s for the hypervisor\n", sz);
		return -1;
	}
	*hv = free->r[best].start + free->r[best].size - opt->mem_hv;
	cells->n = 0;
	if (live && !opt->mem_inmates_given) {
		/* Everything Linux leaves alone is for the cells. */
		*cells = *free;
		return rset_sub(cells, *hv, *hv + opt->mem_hv);
	}
	{
		__u64 room = *hv - free->r[best].start, total = 0;
		/* What leaves Linux as much of the block: half the room, whole MiB. */
		__u64 half = (room / 2) & ~((1ULL << 20) - 1);
		char want[32], have[32], fits[32];

		fmt_size(want, sizeof(want), inmates);
		fmt_size(have, sizeof(have), room);
		fmt_size(fits, sizeof(fits), half);
		for (i = 0; i < (int)free->n; i++)
			total += free->r[i].size;
		if (opt->mem_inmates_given && inmates > room) {
			fprintf(stderr, CC_PREFIX "--mem-inmates %s does not fit below the hypervisor memory at 0x%llx (%s free there): give --mem-inmates %s or less (%s leaves Linux half)\n",
				want, (unsigned long long)*hv, have, have, fits);
			return -1;
		}
		/*
		 * The default must fit and leave Linux at least as much RAM as
		 * the cells get; else half the room (Linux keeps the rest).
		 */
		if (!opt->mem_inmates_given &&
		    (inmates > room || total - opt->mem_hv - inmates < inmates)) {
			cc_action(NULL, "the default RAM for cells (%s) would leave Linux less than the cells get (%s free below the hypervisor memory at 0x%llx): the cells get %s, half of that (--mem-inmates chooses)",
				  want, have, (unsigned long long)*hv, fits);
			inmates = half;
		}
	}
	return rset_add(cells, *hv - inmates, *hv);
}

int cc_layout(const struct dt_info *dt, const struct cc_options *opt, struct cc_model *m)
{
	static struct rset ram, linux_ram, free_ram, cells, iomem;
	struct wd_system_config *sys = &m->sys;
	struct wd_cell_desc *root = &sys->root_cell;
	int live = opt->n_linux_ram > 0;
	unsigned int i, n_ram;
	__u64 hv;
	char sz[32];

	if (opt->mem_hv % CC_PAGE_SIZE || opt->mem_inmates % CC_PAGE_SIZE) {
		fprintf(stderr, CC_PREFIX "--mem-hv and --mem-inmates must be multiples of 4 KiB\n");
		return -1;
	}
	if (rset_from(&ram, dt->mem, dt->n_mem))
		return -1;

	/* RAM nobody may take: every reserved range. */
	free_ram = ram;
	for (i = 0; i < dt->n_reserved; i++)
		if (rset_sub(&free_ram, page_down(dt->reserved[i].start),
			     page_up(dt->reserved[i].start + dt->reserved[i].size)))
			return -1;
	if (live) {
		if (rset_from(&iomem, opt->linux_ram, opt->n_linux_ram))
			return -1;
		linux_ram = ram;
		if (rset_and(&linux_ram, &iomem))
			return -1;
		for (i = 0; i < iomem.n; i++)
			if (rset_sub(&free_ram, iomem.r[i].start,
				     iomem.r[i].start + iomem.r[i].size))
				return -1;
	}
	if (place(opt, &free_ram, live, &hv, &cells))
		return -1;
	if (!live) {
		linux_ram = ram;
		if (rset_sub(&linux_ram, hv, hv + opt->mem_hv))
			return -1;
		for (i = 0; i < cells.n; i++)
			if (rset_sub(&linux_ram, cells.r[i].start,
				     cells.r[i].start + cells.r[i].size))
				return -1;
	}
	for (i = 0; i < dt->n_reserved; i++)
		if (dt->reserved_nomap[i] &&
		    rset_sub(&linux_ram, page_down(dt->reserved[i].start),
			     page_up(dt->reserved[i].start + dt->reserved[i].size)))
			return -1;
	if (!linux_ram.n) {
		fprintf(stderr, CC_PREFIX "no RAM left for Linux\n");
		return -1;
	}

	/* Header */
	memcpy(sys->signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN);
	sys->architecture = WD_ARCH_ARM64;
	sys->revision = WD_CONFIG_REVISION;
	sys->hypervisor_memory.phys_start = hv;
	sys->hypervisor_memory.size = opt->mem_hv;
	fmt_size(sz, sizeof(sz), opt->mem_hv);
	snprintf(m->hv_comment, sizeof(m->hv_comment), "%s at the top of the RAM Linux does not use",
		 sz);

	if (dt->uart.found) {
		sys->debug_console.address = dt->uart.base;
		sys->debug_console.size = (__u32)page_up(dt->uart.size);
		sys->debug_console.type = dt->uart.type;
		sys->debug_console.flags = dt->uart.flags;
		snprintf(m->console_comment, sizeof(m->console_comment), "%s (%s, stdout-path)",
			 dt->uart.path, dt->uart.compatible);
	}

	sys->platform.arm.gic_version = (__u8)dt->gic.version;
	sys->platform.arm.gicd_base = dt->gic.gicd;
	sys->platform.arm.gicr_base = dt->gic.version == 3 ? dt->gic.gicr : 0;
	sys->platform.arm.gicc_base = dt->gic.gicc;
	sys->platform.arm.gich_base = dt->gic.gich;
	sys->platform.arm.gicv_base = dt->gic.gicv;
	sys->platform.arm.maintenance_irq = (__u8)(dt->gic.maintenance_irq > 255 ? 0 :
						   dt->gic.maintenance_irq);
	snprintf(m->gic_comment, sizeof(m->gic_comment), "%s (%s)", dt->gic.path,
		 dt->gic.compatible);

	if (dt->pci.found) {
		sys->platform.pci_mmconfig_base = dt->pci.ecam;
		sys->platform.pci_mmconfig_end_bus = (__u8)dt->pci.bus_end;
		sys->platform.pci_domain = (__u16)dt->pci.domain;
		snprintf(m->pci_comment, sizeof(m->pci_comment),
			 "%s: ECAM 0x%llx, %llu MiB, buses %u-%u, domain %u", dt->pci.path,
			 (unsigned long long)dt->pci.ecam,
			 (unsigned long long)(dt->pci.ecam_size >> 20), dt->pci.bus_start,
			 dt->pci.bus_end, dt->pci.domain);
	}
	for (i = 0; i < dt->n_smmu; i++) {
		sys->platform.iommu_units[i].type = WD_IOMMU_SMMUV3;
		sys->platform.iommu_units[i].base = dt->smmu[i].base;
		sys->platform.iommu_units[i].size = (__u32)dt->smmu[i].size;
		snprintf(m->iommu_comment[i], sizeof(m->iommu_comment[i]), "%s", dt->smmu[i].path);
		cc_detail("%s: SMMUv3 unit #%u belongs to the hypervisor: not mapped into the root cell (Linux must not drive it)",
			  dt->smmu[i].path, i);
	}

	/* Root cell */
	memcpy(root->signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	root->architecture = WD_ARCH_ARM64;
	root->revision = WD_CONFIG_REVISION;
	if (strlen(opt->name) >= WD_CELL_NAME_LEN || !opt->name[0]) {
		fprintf(stderr, CC_PREFIX "cell name '%s' (--name) must have 1 to %u characters\n",
			opt->name, WD_CELL_NAME_LEN - 1);
		return -1;
	}
	memcpy(root->name, opt->name, strlen(opt->name));
	m->n_cpus = dt->n_cpus;
	memcpy(m->mpidr, dt->mpidr, dt->n_cpus * sizeof(m->mpidr[0]));
	root->cpu_set_size = cc_cpu_set_size(m->n_cpus);

	rset_sort(&linux_ram);
	for (i = 0; i < linux_ram.n; i++)
		if (add_region(m, linux_ram.r[i].start, linux_ram.r[i].size, MEM_RAM,
			       "RAM for Linux"))
			return -1;
	rset_sort(&cells);
	for (i = 0; i < cells.n; i++)
		if (add_region(m, cells.r[i].start, cells.r[i].size, MEM_RAM,
			       "RAM for cells (the root loads their images)"))
			return -1;
	n_ram = m->n_regions;
	if (add_devices(dt, m, n_ram) || cc_add_ivshmem(dt, opt, m))
		return -1;
	add_irqchips(dt, m);
	memcpy(m->sids, dt->sids, dt->n_sids * sizeof(m->sids[0]));
	m->n_sids = dt->n_sids;

	root->num_memory_regions = m->n_regions;
	root->num_irqchips = m->n_irqchips;
	root->num_stream_ids = m->n_sids;
	return 0;
}
