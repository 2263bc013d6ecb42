// SPDX-License-Identifier: GPL-2.0
/*
 * What a flattened device tree says about the board, for "config create":
 * RAM, reserved memory, CPUs, the GIC, the console UART, every enabled
 * device's registers (translated to CPU addresses through the parents'
 * "ranges") and GIC interrupts, SMMUv3 units and stream IDs, the PCI host.
 *
 * Nothing here decides what the root cell gets (config-layout.c does); a node
 * that fits none of the shapes above is reported, one line each, so that the
 * user sees what the generated configuration leaves out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "config-create.h"

struct scan {
	const void *fdt;
	struct dt_info *dt;
};

static void unclassified(struct scan *s, int node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * libfdt finds a node's parent, path or phandle target by walking the tree
 * from its start: once per device, that is quadratic, and a SoC's tree has
 * thousands of nodes. One walk at the start records every node's parent and
 * phandle (struct tree_index); the lookups below use it.
 */
#define MAX_DEPTH	64

static struct {
	int *parent;		/* by node offset / 4: the parent's offset, -1 for the root */
	size_t n;
	struct phandle_entry {
		__u32 phandle;
		int node;
	} *ph;
	size_t n_ph;
} idx;

static void index_free(void)
{
	free(idx.parent);
	free(idx.ph);
	memset(&idx, 0, sizeof(idx));
}

static int cmp_phandle(const void *a, const void *b)
{
	const struct phandle_entry *x = a, *y = b;

	return x->phandle < y->phandle ? -1 : x->phandle > y->phandle;
}

/* 0, or -1 when out of memory or the tree is deeper than MAX_DEPTH (then libfdt answers). */
static int index_tree(const void *fdt)
{
	int stack[MAX_DEPTH], node, depth = 0;
	size_t i, cap = 64;

	idx.n = fdt_size_dt_struct(fdt) / 4 + 1;
	idx.parent = malloc(idx.n * sizeof(idx.parent[0]));
	idx.ph = malloc(cap * sizeof(idx.ph[0]));
	if (!idx.parent || !idx.ph)
		goto fail;
	for (i = 0; i < idx.n; i++)
		idx.parent[i] = -2;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		__u32 ph = fdt_get_phandle(fdt, node);

		if (depth < 0 || depth >= MAX_DEPTH || (size_t)node / 4 >= idx.n)
			goto fail;
		stack[depth] = node;
		idx.parent[node / 4] = depth ? stack[depth - 1] : -1;
		if (!ph)
			continue;
		if (idx.n_ph == cap) {
			struct phandle_entry *more = realloc(idx.ph, 2 * cap * sizeof(idx.ph[0]));

			if (!more)
				goto fail;
			idx.ph = more;
			cap *= 2;
		}
		idx.ph[idx.n_ph].phandle = ph;
		idx.ph[idx.n_ph++].node = node;
	}
	qsort(idx.ph, idx.n_ph, sizeof(idx.ph[0]), cmp_phandle);
	return 0;
fail:
	index_free();
	return -1;
}

static int dt_parent(const void *fdt, int node)
{
	if (idx.parent && node >= 0 && (size_t)node / 4 < idx.n && idx.parent[node / 4] != -2)
		return idx.parent[node / 4] == -1 ? -FDT_ERR_NOTFOUND : idx.parent[node / 4];
	return fdt_parent_offset(fdt, node);
}

static int dt_by_phandle(const void *fdt, __u32 phandle)
{
	struct phandle_entry key = { .phandle = phandle }, *e;

	if (!idx.parent)
		return fdt_node_offset_by_phandle(fdt, phandle);
	e = bsearch(&key, idx.ph, idx.n_ph, sizeof(idx.ph[0]), cmp_phandle);
	return e ? e->node : -FDT_ERR_NOTFOUND;
}

static void node_path(const void *fdt, int node, char *buf, size_t len)
{
	int chain[MAX_DEPTH], n = 0, p;
	size_t used = 0;

	if (!idx.parent) {
		if (fdt_get_path(fdt, node, buf, (int)len) < 0)
			snprintf(buf, len, "<node at offset %d>", node);
		return;
	}
	for (p = node; p > 0 && n < MAX_DEPTH; p = dt_parent(fdt, p))
		chain[n++] = p;
	buf[0] = 0;
	if (!n)
		snprintf(buf, len, "/");
	while (n-- > 0 && used < len) {
		const char *name = fdt_get_name(fdt, chain[n], NULL);

		used += (size_t)snprintf(buf + used, len - used, "/%s", name ? name : "?");
	}
}

static void unclassified(struct scan *s, int node, const char *fmt, ...)
{
	char path[DT_PATH_LEN], what[256];
	va_list ap;

	node_path(s->fdt, node, path, sizeof(path));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cc_detail("%s: %s", path, what);
	s->dt->n_unclassified++;
}

static __u64 read_cells(const fdt32_t *p, int n)
{
	__u64 v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static int node_enabled(const void *fdt, int node)
{
	const char *st = fdt_getprop(fdt, node, "status", NULL);

	return !st || strcmp(st, "okay") == 0 || strcmp(st, "ok") == 0;
}

static const char *first_compatible(const void *fdt, int node)
{
	const char *c = fdt_getprop(fdt, node, "compatible", NULL);

	return c ? c : "";
}

static int compatible(const void *fdt, int node, const char *what)
{
	return fdt_node_check_compatible(fdt, node, what) == 0;
}

/* A u32 property, or @def when absent or malformed. */
static __u32 prop_u32(const void *fdt, int node, const char *name, __u32 def)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len >= 4 ? fdt32_to_cpu(*p) : def;
}

/*
 * Bus address @addr of a child of @bus to a CPU physical address, through
 * every ancestor's "ranges" (absent: not translatable, empty: 1:1).
 */
static int translate(const void *fdt, int bus, __u64 *addr)
{
	while (bus > 0) {
		int parent = dt_parent(fdt, bus), len, ac, pac, sc, stride, i;
		const fdt32_t *r;

		if (parent < 0)
			return -1;
		r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r)
			return -1;
		if (len == 0) {
			bus = parent;
			continue;
		}
		ac = fdt_address_cells(fdt, bus);
		sc = fdt_size_cells(fdt, bus);
		pac = fdt_address_cells(fdt, parent);
		if (ac < 1 || ac > 2 || pac < 1 || pac > 2 || sc < 0 || sc > 2)
			return -1;
		stride = ac + pac + sc;
		for (i = 0; (i + stride) * 4 <= len; i += stride) {
			__u64 child = read_cells(r + i, ac);
			__u64 cpu = read_cells(r + i + ac, pac);
			__u64 size = read_cells(r + i + ac + pac, sc);

			if (*addr >= child && *addr - child < size) {
				*addr = cpu + (*addr - child);
				break;
			}
		}
		if ((i + stride) * 4 > len)
			return -1;	/* no window covers it */
		bus = parent;
	}
	return 0;
}

/*
 * reg entry @idx of @node as a CPU physical range. Returns 1 when found, 0
 * when there is no such entry, -1 when it cannot be translated.
 */
static int reg_entry(const void *fdt, int node, int idx, __u64 *start, __u64 *size)
{
	int parent = dt_parent(fdt, node), len, ac, sc;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg || parent < 0)
		return 0;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -1;
	if ((idx + 1) * (ac + sc) * 4 > len)
		return 0;
	*start = read_cells(reg + idx * (ac + sc), ac);
	*size = read_cells(reg + idx * (ac + sc) + ac, sc);
	return translate(fdt, parent, start) ? -1 : 1;
}

static void add_dev(struct scan *s, int node, __u64 start, __u64 size, const char *what)
{
	struct dt_info *dt = s->dt;
	struct dt_dev *d;
	char path[DT_PATH_LEN];

	if (size == 0)
		return;
	if (dt->n_devs == DT_MAX_DEVS) {
		unclassified(s, node, "more than %u register ranges: left out", DT_MAX_DEVS);
		return;
	}
	d = &dt->devs[dt->n_devs++];
	d->start = start;
	d->size = size;
	node_path(s->fdt, node, path, sizeof(path));
	snprintf(d->label, sizeof(d->label), "%s (%.40s)", path, what);
}

/* ---- interrupts */

static int interrupt_parent(const void *fdt, int node)
{
	while (node >= 0) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (p && len == 4)
			return dt_by_phandle(fdt, fdt32_to_cpu(*p));
		node = dt_parent(fdt, node);
	}
	return -1;
}

static int is_gic(struct scan *s, int ctrl)
{
	return s->dt->gic.version && ctrl >= 0 &&
	       (int)fdt_get_phandle(s->fdt, ctrl) == s->dt->gic.phandle;
}

/* One GIC interrupt specifier: SPIs are marked as used, PPIs need nothing. */
static void gic_irq(struct scan *s, int node, const fdt32_t *spec, int cells)
{
	__u32 type, num, intid;

	if (cells < 2)
		return;
	type = fdt32_to_cpu(spec[0]);
	num = fdt32_to_cpu(spec[1]);
	if (type == 1)
		return;		/* PPI: banked per CPU, always the root's */
	if (type != 0) {
		unclassified(s, node, "GIC interrupt type %u (extended range) is not supported", type);
		return;
	}
	intid = num + 32;
	if (intid >= DT_MAX_INTID) {
		unclassified(s, node, "SPI %u is beyond INTID 1019", num);
		return;
	}
	s->dt->spis[intid / 32] |= 1U << (intid % 32);
}

/* "interrupts" (through the interrupt parent) and "interrupts-extended". */
static void scan_interrupts(struct scan *s, int node)
{
	const void *fdt = s->fdt;
	const fdt32_t *p;
	int len, i, ctrl, cells;

	p = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (p) {
		for (i = 0; i < len / 4;) {
			char cpath[DT_PATH_LEN];

			ctrl = dt_by_phandle(fdt, fdt32_to_cpu(p[i]));
			if (ctrl < 0) {
				unclassified(s, node, "interrupts-extended names an unknown phandle");
				return;
			}
			cells = (int)prop_u32(fdt, ctrl, "#interrupt-cells", 0);
			if (cells <= 0 || (i + 1 + cells) * 4 > len)
				return;
			if (is_gic(s, ctrl)) {
				gic_irq(s, node, p + i + 1, cells);
			} else {
				node_path(fdt, ctrl, cpath, sizeof(cpath));
				unclassified(s, node, "interrupt through %s (not the GIC): not assigned",
					     cpath);
			}
			i += 1 + cells;
		}
		return;
	}
	p = fdt_getprop(fdt, node, "interrupts", &len);
	if (!p)
		return;
	ctrl = interrupt_parent(fdt, node);
	if (!is_gic(s, ctrl)) {
		char cpath[DT_PATH_LEN] = "no interrupt parent";

		if (ctrl >= 0)
			node_path(fdt, ctrl, cpath, sizeof(cpath));
		unclassified(s, node, "interrupts through %s (not the GIC): not assigned", cpath);
		return;
	}
	cells = (int)prop_u32(fdt, ctrl, "#interrupt-cells", 3);
	for (i = 0; cells > 0 && (i + cells) * 4 <= len; i += cells)
		gic_irq(s, node, p + i, cells);
}

/* ---- stream IDs */

static int smmu_index(struct scan *s, __u32 phandle)
{
	unsigned int i;

	for (i = 0; i < s->dt->n_smmu; i++)
		if (s->dt->smmu[i].phandle == (int)phandle)
			return (int)i;
	return -1;
}

static void add_sid(struct scan *s, int node, __u32 sid)
{
	struct dt_info *dt = s->dt;
	unsigned int i;

	for (i = 0; i < dt->n_sids; i++)
		if (dt->sids[i] == sid)
			return;
	if (dt->n_sids == DT_MAX_SIDS) {
		unclassified(s, node, "stream ID 0x%x: more than %u stream IDs, left out",
			     sid, DT_MAX_SIDS);
		return;
	}
	dt->sids[dt->n_sids++] = sid;
}

/* "iommus = <&smmu SID>...": the stream IDs of a platform device. */
static void scan_iommus(struct scan *s, int node)
{
	int len, i;
	const fdt32_t *p = fdt_getprop(s->fdt, node, "iommus", &len);

	for (i = 0; p && (i + 2) * 4 <= len; i += 2) {
		if (smmu_index(s, fdt32_to_cpu(p[i])) < 0) {
			unclassified(s, node, "iommus names an IOMMU that is not an SMMUv3");
			return;
		}
		add_sid(s, node, fdt32_to_cpu(p[i + 1]));
	}
}

/*
 * "iommu-map = <rid-base &smmu sid-base length>...": requester ID to stream
 * ID. Kept for the host's first bus: that is where the devices of a simple
 * board sit, and a full 16-bit map would be 65536 entries in the root cell.
 */
static void scan_iommu_map(struct scan *s, int node, unsigned int bus)
{
	int len, i;
	const fdt32_t *p = fdt_getprop(s->fdt, node, "iommu-map", &len);
	__u32 lo = bus << 8, hi = lo + 256;

	for (i = 0; p && (i + 4) * 4 <= len; i += 4) {
		__u32 rid = fdt32_to_cpu(p[i]), sid = fdt32_to_cpu(p[i + 2]);
		__u32 n = fdt32_to_cpu(p[i + 3]), r, kept = 0;

		if (smmu_index(s, fdt32_to_cpu(p[i + 1])) < 0) {
			unclassified(s, node, "iommu-map names an IOMMU that is not an SMMUv3");
			return;
		}
		for (r = rid; r - rid < n; r++) {
			if (r >= lo && r < hi) {
				add_sid(s, node, sid + (r - rid));
				kept++;
			}
		}
		if (kept < n)
			unclassified(s, node,
				     "iommu-map entry RID 0x%x..0x%x: kept the %u stream IDs of bus %u, left out %u",
				     rid, rid + n - 1, kept, bus, n - kept);
	}
}

/* ---- the fixed parts: memory, reserved memory, CPUs, GIC, UART */

static void scan_memory(struct scan *s, int node)
{
	__u64 start, size;
	int i, r;

	for (i = 0; (r = reg_entry(s->fdt, node, i, &start, &size)) == 1; i++) {
		if (!size) {
			/* Left for the bootloader to fill in: its base is still a hint. */
			if (!s->dt->n_mem_empty++)
				s->dt->mem_empty_base = start;
			continue;
		}
		if (s->dt->n_mem == DT_MAX_RANGES) {
			unclassified(s, node, "more than %u RAM banks: left out", DT_MAX_RANGES);
			return;
		}
		s->dt->mem[s->dt->n_mem].start = start;
		s->dt->mem[s->dt->n_mem++].size = size;
	}
	if (r < 0)
		unclassified(s, node, "memory reg cannot be translated");
}

static void scan_reserved(struct scan *s, int rsv)
{
	struct dt_info *dt = s->dt;
	int node;

	fdt_for_each_subnode(node, s->fdt, rsv) {
		__u64 start, size;
		int i, r;

		if (!node_enabled(s->fdt, node))
			continue;
		if (!fdt_getprop(s->fdt, node, "reg", NULL)) {
			unclassified(s, node, "reserved memory placed by Linux at boot (no reg): not excluded");
			continue;
		}
		for (i = 0; (r = reg_entry(s->fdt, node, i, &start, &size)) == 1; i++) {
			if (dt->n_reserved == DT_MAX_RANGES) {
				unclassified(s, node, "more than %u reserved ranges: left out",
					     DT_MAX_RANGES);
				return;
			}
			dt->reserved[dt->n_reserved].start = start;
			dt->reserved[dt->n_reserved].size = size;
			dt->reserved_nomap[dt->n_reserved++] =
				fdt_getprop(s->fdt, node, "no-map", NULL) != NULL;
		}
		if (r < 0)
			unclassified(s, node, "reserved memory reg cannot be translated");
	}
}

static void scan_cpus(struct scan *s, int cpus)
{
	struct dt_info *dt = s->dt;
	int node, ac = fdt_address_cells(s->fdt, cpus);

	fdt_for_each_subnode(node, s->fdt, cpus) {
		const char *type = fdt_getprop(s->fdt, node, "device_type", NULL);
		const char *method = fdt_getprop(s->fdt, node, "enable-method", NULL);
		const fdt32_t *reg;
		int len;

		if (!type || strcmp(type, "cpu") != 0 || !node_enabled(s->fdt, node))
			continue;	/* cpu-map, idle-states, l2-cache, ... */
		reg = fdt_getprop(s->fdt, node, "reg", &len);
		if (!reg || ac < 1 || ac > 2 || len < ac * 4) {
			unclassified(s, node, "CPU without a usable reg (MPIDR): left out");
			continue;
		}
		if (dt->n_cpus == DT_MAX_CPUS) {
			unclassified(s, node, "more than %u CPUs: left out", DT_MAX_CPUS);
			continue;
		}
		if (!method || strcmp(method, "psci") != 0) {
			char path[DT_PATH_LEN];

			node_path(s->fdt, node, path, sizeof(path));
			cc_action(path, "enable-method %s, not psci: the hypervisor hands CPUs to cells and back through PSCI; boot with firmware that offers it (e.g. Trusted Firmware-A)",
				  method ? method : "missing");
		}
		dt->mpidr[dt->n_cpus++] = read_cells(reg, ac);
	}
}

/*
 * The interrupt controllers Linux drives as a GICv3 or a GICv2 (its GIC
 * drivers' device tree matches); a GICv2 is usable only with the
 * virtualization extensions, which the device tree shows as the third and
 * fourth reg entries (GICH, GICV).
 */
static const struct {
	const char *compatible;
	int version;
} gic_kinds[] = {
	{ "arm,gic-v3", 3 },
	{ "arm,gic-400", 2 },
	{ "arm,cortex-a15-gic", 2 },
	{ "arm,cortex-a7-gic", 2 },
	{ "qcom,msm-qgic2", 2 },
	{ "qcom,msm-8660-qgic", 2 },
	{ "arm,cortex-a9-gic", 2 },
	{ "arm,pl390", 2 },
	{ "arm,arm11mp-gic", 2 },
	{ "arm,arm1176jzf-devchip-gic", 2 },
};

#define GICV2_CPUIF_SIZE	0x2000ULL
#define GICV2_ALIAS_STRIDE	0x10000ULL

/*
 * A GIC-400 wired with its 4 KiB pages 64 KiB apart (ZynqMP, some Tegra and
 * Amlogic parts) has its CPU interface and virtual CPU interface described
 * as 128 KiB regions: each 4 KiB page shows at every 4 KiB of its 64 KiB.
 * The 8 KiB interface is contiguous only across the 64 KiB boundary: the
 * last alias of its first page, then the first of its second page. Linux's
 * GIC driver moves its CPU interface base there for such a region; so do
 * the hypervisor's GICC and GICV.
 */
static __u64 gicv2_frame(__u64 base, __u64 size)
{
	if (size == 2 * GICV2_ALIAS_STRIDE)
		return base + GICV2_ALIAS_STRIDE - GICV2_CPUIF_SIZE / 2;
	return base;
}

/*
 * What the board's interrupt controller is when it is none of ours, for the
 * refusal: the root's interrupt parent and the chain of parents above it.
 */
static void no_gic(const void *fdt)
{
	char found[160] = "";
	size_t used = 0;
	int node = 0, hops;

	for (hops = 0; hops < 4 && used < sizeof(found) - 40; hops++) {
		int len, next;
		const fdt32_t *p = fdt_getprop(fdt, node, "interrupt-parent", &len);

		if (!p || len != 4)
			break;
		next = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p));
		if (next < 0 || next == node)
			break;
		node = next;
		used += (size_t)snprintf(found + used, sizeof(found) - used, "%s%s",
					 used ? " under " : "", first_compatible(fdt, node));
	}
	fprintf(stderr, CC_PREFIX "no GIC: the hypervisor needs a GICv3 or a GICv2 with virtualization extensions (arm,gic-v3, arm,gic-400, arm,cortex-a15-gic, qcom,msm-qgic2, ...)%s%s\n",
		used ? "; this board's interrupt controller is " : "", found);
}

/* The first enabled GIC of a known kind. 0 when found and usable. */
static int scan_gic(struct scan *s)
{
	struct dt_gic *g = &s->dt->gic;
	const void *fdt = s->fdt;
	unsigned int k;
	int node, len;

	for (k = 0; k < sizeof(gic_kinds) / sizeof(gic_kinds[0]); k++) {
		for (node = fdt_node_offset_by_compatible(fdt, -1, gic_kinds[k].compatible);
		     node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, gic_kinds[k].compatible))
			if (node_enabled(fdt, node) &&
			    fdt_getprop(fdt, node, "interrupt-controller", NULL))
				goto found;
	}
	no_gic(fdt);
	return -1;
found:
	g->version = gic_kinds[k].version;
	g->phandle = (int)fdt_get_phandle(fdt, node);
	snprintf(g->compatible, sizeof(g->compatible), "%s", first_compatible(fdt, node));
	node_path(fdt, node, g->path, sizeof(g->path));
	if (reg_entry(fdt, node, 0, &g->gicd, &g->gicd_size) != 1) {
		fprintf(stderr, CC_PREFIX "%s: the GIC's distributor reg cannot be read or translated\n",
			g->path);
		return -1;
	}
	if (g->version == 3) {
		__u32 nredist = prop_u32(fdt, node, "#redistributor-regions", 1);
		__u64 sz;

		if (reg_entry(fdt, node, 1, &g->gicr, &g->gicr_size) != 1) {
			fprintf(stderr, CC_PREFIX "%s: the GICv3 has no usable redistributor reg\n",
				g->path);
			return -1;
		}
		if (nredist > 1)
			unclassified(s, node, "%u redistributor regions: only the first (0x%llx) is described",
				     nredist, (unsigned long long)g->gicr);
		/* The optional GICv2-compatible interfaces follow the redistributors. */
		reg_entry(fdt, node, 1 + (int)nredist, &g->gicc, &sz);
		reg_entry(fdt, node, 2 + (int)nredist, &g->gich, &sz);
		reg_entry(fdt, node, 3 + (int)nredist, &g->gicv, &sz);
	} else {
		__u64 csz = 0, hsz = 0, vsz = 0;

		if (reg_entry(fdt, node, 1, &g->gicc, &csz) != 1) {
			fprintf(stderr, CC_PREFIX "%s: the GICv2 (%s) has no usable CPU interface reg\n",
				g->path, g->compatible);
			return -1;
		}
		if (reg_entry(fdt, node, 2, &g->gich, &hsz) != 1 ||
		    reg_entry(fdt, node, 3, &g->gicv, &vsz) != 1 || !g->gich || !g->gicv) {
			fprintf(stderr, CC_PREFIX "%s: the GICv2 (%s) describes no virtualization extensions (no GICH and GICV reg entries): the hypervisor cannot virtualize this interrupt controller\n",
				g->path, g->compatible);
			return -1;
		}
		g->gicc = gicv2_frame(g->gicc, csz);
		g->gicv = gicv2_frame(g->gicv, vsz);
		if (csz == 2 * GICV2_ALIAS_STRIDE)
			unclassified(s, node, "GICC and GICV are 64 KiB-aliased: using 0x%llx and 0x%llx",
				     (unsigned long long)g->gicc, (unsigned long long)g->gicv);
	}
	{
		const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);

		/* A PPI (type 1) numbered from 16; anything else is left for the check to refuse. */
		if (p && len >= 8)
			g->maintenance_irq = fdt32_to_cpu(p[1]) + (fdt32_to_cpu(p[0]) == 1 ? 16 : 32);
		/* Arm's Base System Architecture gives the maintenance interrupt PPI 25. */
		if (!p) {
			g->maintenance_irq = 25;
			cc_action(g->path, "the GIC names no maintenance interrupt: INTID 25 assumed (Arm BSA's choice), check the SoC manual");
		}
	}
	return 0;
}

/* The node stdout-path names ("serial0:115200n8", "/pl011@9000000"). */
static int stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *p, *colon;
	char name[DT_PATH_LEN];

	if (chosen < 0)
		return -1;
	p = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!p)
		p = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	if (!p || len < 2)
		return -1;
	colon = strchr(p, ':');
	len = colon ? (int)(colon - p) : (int)strlen(p);
	if (len >= (int)sizeof(name))
		return -1;
	memcpy(name, p, (size_t)len);
	name[len] = 0;
	if (name[0] != '/') {
		const char *alias = fdt_get_alias(fdt, name);

		if (!alias)
			return -1;
		return fdt_path_offset(fdt, alias);
	}
	return fdt_path_offset(fdt, name);
}

/*
 * The console UARTs the hypervisor has a driver for, with Jailhouse's
 * console types. Flags: how the registers are reached. REGDIST_4 for an
 * 8250 comes from the node's reg-shift, except where the kind fixes it.
 */
#define UART_REGSHIFT	0xffff		/* 8250: REGDIST_4 when reg-shift = <2> */

static const struct {
	const char *compatible;
	__u16 type;
	__u16 flags;
} uart_kinds[] = {
	{ "arm,pl011", WD_CON_TYPE_PL011, WD_CON_REGDIST_4 },
	{ "arm,sbsa-uart", WD_CON_TYPE_PL011, WD_CON_REGDIST_4 },
	/* The Raspberry Pi's mini UART: 8250 registers, 32 bits each. */
	{ "brcm,bcm2835-aux-uart", WD_CON_TYPE_8250, WD_CON_REGDIST_4 },
	{ "xlnx,xuartps", WD_CON_TYPE_XUARTPS, 0 },
	{ "xlnx,zynqmp-uart", WD_CON_TYPE_XUARTPS, 0 },
	{ "cdns,uart-r1p12", WD_CON_TYPE_XUARTPS, 0 },
	{ "cdns,uart-r1p8", WD_CON_TYPE_XUARTPS, 0 },
	{ "fsl,imx6q-uart", WD_CON_TYPE_IMX, 0 },
	{ "fsl,imx21-uart", WD_CON_TYPE_IMX, 0 },
	/* The i.MX 7ULP/8/9 LPUART layout (registers from 0x10); not Layerscape's. */
	{ "fsl,imx7ulp-lpuart", WD_CON_TYPE_IMX_LPUART, 0 },
	{ "fsl,imx8qxp-lpuart", WD_CON_TYPE_IMX_LPUART, 0 },
	{ "fsl,imx8ulp-lpuart", WD_CON_TYPE_IMX_LPUART, 0 },
	{ "fsl,imx93-lpuart", WD_CON_TYPE_IMX_LPUART, 0 },
	{ "renesas,rcar-gen3-hscif", WD_CON_TYPE_HSCIF, 0 },
	{ "renesas,rcar-gen4-hscif", WD_CON_TYPE_HSCIF, 0 },
	{ "renesas,hscif", WD_CON_TYPE_HSCIF, 0 },
	{ "renesas,rcar-gen3-scif", WD_CON_TYPE_SCIF, 0 },
	{ "renesas,rcar-gen4-scif", WD_CON_TYPE_SCIF, 0 },
	{ "renesas,scif", WD_CON_TYPE_SCIF, 0 },
	{ "marvell,armada-3700-uart", WD_CON_TYPE_MVEBU, 0 },
	/* 16550-compatible: registers 4 bytes apart on these whatever reg-shift says. */
	{ "nvidia,tegra20-uart", WD_CON_TYPE_8250, WD_CON_REGDIST_4 },
	{ "ti,am654-uart", WD_CON_TYPE_8250, WD_CON_REGDIST_4 },
	{ "mediatek,mt6577-uart", WD_CON_TYPE_8250, WD_CON_REGDIST_4 },
	{ "snps,dw-apb-uart", WD_CON_TYPE_8250, UART_REGSHIFT },
	{ "ns16550a", WD_CON_TYPE_8250, UART_REGSHIFT },
	{ "ns16550", WD_CON_TYPE_8250, UART_REGSHIFT },
	{ "ns8250", WD_CON_TYPE_8250, UART_REGSHIFT },
};

static void scan_uart(struct scan *s)
{
	struct dt_uart *u = &s->dt->uart;
	const void *fdt = s->fdt;
	int node = stdout_node(fdt);
	unsigned int i;

	if (node < 0) {
		cc_action(NULL, "no console UART (stdout-path in /chosen): the hypervisor's messages go only to its console ring (\"warden console\")");
		return;
	}
	node_path(fdt, node, u->path, sizeof(u->path));
	if (reg_entry(fdt, node, 0, &u->base, &u->size) != 1) {
		cc_action(u->path, "console UART without a usable reg: no debug console");
		return;
	}
	for (i = 0; i < sizeof(uart_kinds) / sizeof(uart_kinds[0]); i++)
		if (compatible(fdt, node, uart_kinds[i].compatible))
			break;
	if (i == sizeof(uart_kinds) / sizeof(uart_kinds[0])) {
		cc_action(u->path, "console UART %s has no hypervisor driver (PL011, 8250, xuartps, i.MX, LPUART, SCIF, HSCIF, MVEBU): no debug console, the hypervisor's messages go only to its console ring",
			  first_compatible(fdt, node));
		return;
	}
	u->type = uart_kinds[i].type;
	u->flags = WD_CON_ACCESS_MMIO | uart_kinds[i].flags;
	if (uart_kinds[i].flags == UART_REGSHIFT)
		u->flags = WD_CON_ACCESS_MMIO |
			   (prop_u32(fdt, node, "reg-shift", 0) == 2 ? WD_CON_REGDIST_4 : 0);
	snprintf(u->compatible, sizeof(u->compatible), "%s", first_compatible(fdt, node));
	u->found = 1;
}

static void scan_smmus(struct scan *s)
{
	struct dt_info *dt = s->dt;
	int node;

	for (node = fdt_node_offset_by_compatible(s->fdt, -1, "arm,smmu-v3"); node >= 0;
	     node = fdt_node_offset_by_compatible(s->fdt, node, "arm,smmu-v3")) {
		if (!node_enabled(s->fdt, node))
			continue;
		if (dt->n_smmu == WD_IOMMU_MAX_UNITS) {
			unclassified(s, node, "more than %u IOMMU units: left out",
				     WD_IOMMU_MAX_UNITS);
			continue;
		}
		if (reg_entry(s->fdt, node, 0, &dt->smmu[dt->n_smmu].base,
			      &dt->smmu[dt->n_smmu].size) != 1) {
			unclassified(s, node, "SMMUv3 without a usable reg: left out");
			continue;
		}
		dt->smmu[dt->n_smmu].phandle = (int)fdt_get_phandle(s->fdt, node);
		node_path(s->fdt, node, dt->smmu[dt->n_smmu].path, DT_PATH_LEN);
		dt->n_smmu++;
	}
}

/* ---- PCI host bridges */

static void scan_pci_host(struct scan *s, int node)
{
	static const char *const space[4] = { "config", "I/O window", "32-bit MMIO window",
					      "64-bit MMIO window" };
	const void *fdt = s->fdt;
	struct dt_pci *pci = &s->dt->pci;
	__u64 ecam, size;
	const fdt32_t *p;
	int len, i, pac = fdt_address_cells(fdt, dt_parent(fdt, node));
	int sc = fdt_size_cells(fdt, node), stride = 3 + pac + sc;
	unsigned int bus_start = 0, bus_end;

	if (!compatible(fdt, node, "pci-host-ecam-generic")) {
		unclassified(s, node, "PCI host %s is not pci-host-ecam-generic: not described",
			     first_compatible(fdt, node));
		return;
	}
	if (reg_entry(fdt, node, 0, &ecam, &size) != 1) {
		unclassified(s, node, "ECAM reg cannot be translated");
		return;
	}
	add_dev(s, node, ecam, size, "PCI ECAM");
	bus_end = size >= (1ULL << 20) ? (unsigned int)(size >> 20) - 1 : 0;
	p = fdt_getprop(fdt, node, "bus-range", &len);
	if (p && len >= 8) {
		bus_start = fdt32_to_cpu(p[0]);
		bus_end = fdt32_to_cpu(p[1]);
	}
	if (!pci->found) {
		pci->found = 1;
		node_path(fdt, node, pci->path, sizeof(pci->path));
		pci->ecam = ecam;
		pci->ecam_size = size;
		pci->bus_start = bus_start;
		pci->bus_end = bus_end > 255 ? 255 : bus_end;
		pci->domain = prop_u32(fdt, node, "linux,pci-domain", 0);
	} else {
		unclassified(s, node, "a second PCI host: its windows are mapped, the platform describes only %s",
			     pci->path);
	}

	/* The windows: PCI address (3 cells: space in bits 24-25), CPU address, size. */
	p = fdt_getprop(fdt, node, "ranges", &len);
	for (i = 0; p && pac >= 1 && pac <= 2 && sc >= 1 && sc <= 2 && (i + stride) * 4 <= len;
	     i += stride) {
		__u64 cpu = read_cells(p + i + 3, pac), wsize = read_cells(p + i + 3 + pac, sc);

		if (translate(fdt, dt_parent(fdt, node), &cpu)) {
			unclassified(s, node, "PCI window at 0x%llx cannot be translated",
				     (unsigned long long)cpu);
			continue;
		}
		add_dev(s, node, cpu, wsize, space[(fdt32_to_cpu(p[i]) >> 24) & 3]);
	}

	/* Legacy INTx: the GIC specifiers at the end of each interrupt-map entry. */
	p = fdt_getprop(fdt, node, "interrupt-map", &len);
	for (i = 0; p && i < len / 4;) {
		int child = 3 + (int)prop_u32(fdt, node, "#interrupt-cells", 1);
		int ctrl, pa, pi;

		if (i + child >= len / 4)
			break;
		ctrl = dt_by_phandle(fdt, fdt32_to_cpu(p[i + child]));
		if (ctrl < 0)
			break;
		pa = (int)prop_u32(fdt, ctrl, "#address-cells", 0);
		pi = (int)prop_u32(fdt, ctrl, "#interrupt-cells", 0);
		if (pi <= 0 || (i + child + 1 + pa + pi) * 4 > len)
			break;
		if (is_gic(s, ctrl))
			gic_irq(s, node, p + i + child + 1 + pa, pi);
		else
			unclassified(s, node, "INTx through a controller that is not the GIC: not assigned");
		i += child + 1 + pa + pi;
	}
	scan_iommu_map(s, node, bus_start);
}

/* ---- everything else */

/* Known nodes that need nothing in the configuration. */
static int nothing_to_map(const void *fdt, int node)
{
	static const char *const quiet[] = {
		"arm,armv8-timer", "arm,armv7-timer", "arm,armv8-pmuv3", "arm,psci",
		"arm,psci-0.2", "arm,psci-1.0", "fixed-clock", "fixed-factor-clock",
		"simple-bus", "regulator-fixed",
	};
	unsigned int i;

	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		if (compatible(fdt, node, quiet[i]))
			return 1;
	return 0;
}

static void scan_device(struct scan *s, int node)
{
	const void *fdt = s->fdt;
	const char *what = first_compatible(fdt, node);
	__u64 start, size;
	int i, r, has_reg = fdt_getprop(fdt, node, "reg", NULL) != NULL;
	int has_irq = fdt_getprop(fdt, node, "interrupts", NULL) ||
		      fdt_getprop(fdt, node, "interrupts-extended", NULL);

	if (compatible(fdt, node, "arm,smmu-v3"))
		return;		/* the hypervisor's, not the root cell's */
	/*
	 * The ITS is the root's: Linux sends its PCI devices' MSIs through it
	 * (LPIs, which the hypervisor hands to the root only). Its registers
	 * only, no interrupts of its own.
	 */
	if (compatible(fdt, node, "arm,gic-v3-its")) {
		for (i = 0; has_reg && (r = reg_entry(fdt, node, i, &start, &size)) == 1; i++)
			add_dev(s, node, start, size, "GICv3 ITS, the root's MSIs");
		return;
	}
	for (i = 0; has_reg && (r = reg_entry(fdt, node, i, &start, &size)) == 1; i++)
		add_dev(s, node, start, size, *what ? what : "no compatible");
	if (has_reg && r < 0)
		unclassified(s, node, "reg cannot be translated to a CPU address: not mapped");
	if (has_irq)
		scan_interrupts(s, node);
	scan_iommus(s, node);
	if (!has_reg && !has_irq && !nothing_to_map(fdt, node) &&
	    !fdt_getprop(fdt, node, "ranges", NULL))
		unclassified(s, node, "no registers and no interrupts (%s): nothing to assign",
			     *what ? what : "no compatible");
}

static int is_gic_node(struct scan *s, int node)
{
	return s->dt->gic.version && (int)fdt_get_phandle(s->fdt, node) == s->dt->gic.phandle &&
	       s->dt->gic.phandle;
}

static int scan_tree(const void *fdt, size_t len, struct dt_info *dt)
{
	struct scan s = { .fdt = fdt, .dt = dt };
	int node, depth = 0, skip = -1, err;

	memset(dt, 0, sizeof(*dt));
	if (len < sizeof(struct fdt_header) || fdt_totalsize(fdt) > len) {
		fprintf(stderr, CC_PREFIX "not a flattened device tree (%zu bytes)\n", len);
		return -1;
	}
	err = fdt_check_full(fdt, len);
	if (err) {
		fprintf(stderr, CC_PREFIX "corrupt device tree: %s\n", fdt_strerror(err));
		return -1;
	}
	if (index_tree(fdt))
		cc_detail("device tree index: out of memory or deeper than %d levels; scanning slowly",
			  MAX_DEPTH);
	if (scan_gic(&s))
		return -1;
	scan_smmus(&s);
	scan_uart(&s);

	/* libfdt counts the root as depth 1 (and ends when it drops below 0). */
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		const char *name = fdt_get_name(fdt, node, NULL);
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		int top = depth == 2;	/* a child of the root */

		if (skip >= 0 && depth > skip)
			continue;
		skip = -1;
		if (depth == 1)
			continue;
		if (!node_enabled(fdt, node)) {
			skip = depth;
			continue;
		}
		if (top && ((type && strcmp(type, "memory") == 0) ||
			    strncmp(name, "memory@", 7) == 0 || strcmp(name, "memory") == 0)) {
			scan_memory(&s, node);
		} else if (top && strcmp(name, "cpus") == 0) {
			scan_cpus(&s, node);
		} else if (top && strcmp(name, "reserved-memory") == 0) {
			scan_reserved(&s, node);
		} else if (top && (strcmp(name, "chosen") == 0 || strcmp(name, "aliases") == 0 ||
				   strcmp(name, "__symbols__") == 0 || strcmp(name, "__fixups__") == 0 ||
				   strcmp(name, "__local_fixups__") == 0)) {
			/* nothing to assign */
		} else if (is_gic_node(&s, node)) {
			/* The hypervisor emulates the GIC for the root: no region. */
			int child;

			fdt_for_each_subnode(child, fdt, node)
				if (node_enabled(fdt, child))
					scan_device(&s, child);
		} else if (type && strcmp(type, "pci") == 0) {
			scan_pci_host(&s, node);
		} else {
			scan_device(&s, node);
			continue;	/* its children are devices too */
		}
		skip = depth;	/* handled together with its children */
	}

	if (!dt->n_cpus) {
		fprintf(stderr, CC_PREFIX "no CPUs under /cpus\n");
		return -1;
	}
	return 0;	/* no RAM is refused after --ram (config-create.c) */
}

int dt_scan(const void *fdt, size_t len, struct dt_info *dt)
{
	int ret = scan_tree(fdt, len, dt);

	index_free();
	return ret;
}
