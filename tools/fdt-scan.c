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
#include <string.h>

#include <libfdt.h>

#include "config-create.h"

struct scan {
	const void *fdt;
	struct dt_info *dt;
};

static void unclassified(struct scan *s, int node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void node_path(const void *fdt, int node, char *buf, size_t len)
{
	if (fdt_get_path(fdt, node, buf, (int)len) < 0)
		snprintf(buf, len, "<node at offset %d>", node);
}

static void unclassified(struct scan *s, int node, const char *fmt, ...)
{
	char path[DT_PATH_LEN];
	va_list ap;

	node_path(s->fdt, node, path, sizeof(path));
	fprintf(stderr, CC_PREFIX "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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
		int parent = fdt_parent_offset(fdt, bus), len, ac, pac, sc, stride, i;
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
	int parent = fdt_parent_offset(fdt, node), len, ac, sc;
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
			return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*p));
		node = fdt_parent_offset(fdt, node);
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

			ctrl = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(p[i]));
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
		if (!size)
			continue;
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
		if (!method || strcmp(method, "psci") != 0)
			unclassified(s, node, "enable-method %s, not psci: the hypervisor hands CPUs over through PSCI",
				     method ? method : "missing");
		dt->mpidr[dt->n_cpus++] = read_cells(reg, ac);
	}
}

static const char *const gic_compat[][2] = {
	{ "arm,gic-v3", "3" },
	{ "arm,cortex-a15-gic", "2" },
	{ "arm,gic-400", "2" },
	{ "arm,cortex-a7-gic", "2" },
};

/* The first enabled GIC of a known kind. 0 when found. */
static int scan_gic(struct scan *s)
{
	struct dt_gic *g = &s->dt->gic;
	const void *fdt = s->fdt;
	unsigned int k;
	int node, len;

	for (k = 0; k < sizeof(gic_compat) / sizeof(gic_compat[0]); k++) {
		for (node = fdt_node_offset_by_compatible(fdt, -1, gic_compat[k][0]); node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, gic_compat[k][0]))
			if (node_enabled(fdt, node) &&
			    fdt_getprop(fdt, node, "interrupt-controller", NULL))
				goto found;
	}
	return -1;
found:
	g->version = gic_compat[k][1][0] - '0';
	g->phandle = (int)fdt_get_phandle(fdt, node);
	snprintf(g->compatible, sizeof(g->compatible), "%s", gic_compat[k][0]);
	node_path(fdt, node, g->path, sizeof(g->path));
	if (reg_entry(fdt, node, 0, &g->gicd, &g->gicd_size) != 1)
		return -1;
	if (g->version == 3) {
		__u32 nredist = prop_u32(fdt, node, "#redistributor-regions", 1);
		__u64 sz;

		if (reg_entry(fdt, node, 1, &g->gicr, &g->gicr_size) != 1)
			return -1;
		if (nredist > 1)
			unclassified(s, node, "%u redistributor regions: only the first (0x%llx) is described",
				     nredist, (unsigned long long)g->gicr);
		/* The optional GICv2-compatible interfaces follow the redistributors. */
		reg_entry(fdt, node, 1 + (int)nredist, &g->gicc, &sz);
		reg_entry(fdt, node, 2 + (int)nredist, &g->gich, &sz);
		reg_entry(fdt, node, 3 + (int)nredist, &g->gicv, &sz);
	} else {
		__u64 sz;

		reg_entry(fdt, node, 1, &g->gicc, &sz);
		reg_entry(fdt, node, 2, &g->gich, &sz);
		reg_entry(fdt, node, 3, &g->gicv, &sz);
	}
	{
		const fdt32_t *p = fdt_getprop(fdt, node, "interrupts", &len);

		/* A PPI (type 1) numbered from 16; anything else is left for the check to refuse. */
		if (p && len >= 8)
			g->maintenance_irq = fdt32_to_cpu(p[1]) + (fdt32_to_cpu(p[0]) == 1 ? 16 : 32);
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

static void scan_uart(struct scan *s)
{
	static const char *const c8250[] = { "ns16550a", "ns16550", "ns8250", "snps,dw-apb-uart" };
	struct dt_uart *u = &s->dt->uart;
	const void *fdt = s->fdt;
	int node = stdout_node(fdt);
	unsigned int i;

	if (node < 0)
		return;
	node_path(fdt, node, u->path, sizeof(u->path));
	if (reg_entry(fdt, node, 0, &u->base, &u->size) != 1) {
		unclassified(s, node, "console UART without a usable reg: no debug console");
		return;
	}
	if (compatible(fdt, node, "arm,pl011") || compatible(fdt, node, "arm,sbsa-uart")) {
		u->type = WD_CON_TYPE_PL011;
		u->flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4;
	} else {
		for (i = 0; i < sizeof(c8250) / sizeof(c8250[0]); i++)
			if (compatible(fdt, node, c8250[i]))
				break;
		if (i == sizeof(c8250) / sizeof(c8250[0])) {
			unclassified(s, node, "console UART %s is neither PL011 nor 8250: no debug console",
				     first_compatible(fdt, node));
			return;
		}
		u->type = WD_CON_TYPE_8250;
		u->flags = WD_CON_ACCESS_MMIO |
			   (prop_u32(fdt, node, "reg-shift", 0) == 2 ? WD_CON_REGDIST_4 : 0);
	}
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
	int len, i, pac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
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

		if (translate(fdt, fdt_parent_offset(fdt, node), &cpu)) {
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
		ctrl = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(p[i + child]));
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

int dt_scan(const void *fdt, size_t len, struct dt_info *dt)
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
	if (scan_gic(&s)) {
		fprintf(stderr, CC_PREFIX "no GIC (arm,gic-v3, arm,cortex-a15-gic, arm,gic-400) with usable registers\n");
		return -1;
	}
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
	if (!dt->n_mem) {
		fprintf(stderr, CC_PREFIX "no RAM (/memory nodes)\n");
		return -1;
	}
	return 0;
}
