// SPDX-License-Identifier: GPL-2.0
/*
 * The device tree of a Linux cell, generated from its configuration and the
 * root's live tree, so that the two cannot disagree:
 *
 *  - cpus: one node per CPU of the cell, reg = its MPIDR, the root's
 *    "compatible" for it, enable-method psci;
 *  - memory: the cell's RAM regions (wd_linux_is_ram: not the loader's small
 *    region at the reset address, not the comm region, nothing shared);
 *  - the GIC: GICv3 with the distributor and one redistributor region from
 *    the cell's lowest frame to the last frame that exists (a frame per CPU
 *    of the root's tree; Linux walks frames until TYPER.Last and claims the
 *    whole range it is given); GICv2 with the distributor and the CPU
 *    interface at GICC's address, where the hypervisor maps the virtual
 *    CPU interface (GICV) for a cell;
 *  - timer: the root's node (its PPIs); psci: PSCI 0.2 over SMC;
 *  - every device of the root's tree whose registers lie in an I/O region of
 *    the cell (translated through the parents' "ranges"), copied with its
 *    properties, reg rewritten to the cell's addresses, and the clock
 *    providers its "clocks" name; serial aliases with the cell's console
 *    first (so console=ttyAMA0 is the console UART);
 *  - the virtual PCI host when the cell has PCI devices: pci-host-ecam-generic
 *    at the system configuration's ECAM, INTx pins A-D to SPIs vpci_irq_base
 *    and up (edge), a 32-bit memory window right after the ECAM;
 *  - chosen (bootargs, stdout-path, initrd) and hypervisor
 *    { compatible = "jailhouse,cell"; }.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "cell-linux.h"

#define GICR_FRAME_V3		0x20000ULL
#define GIC_SPI			0
#define IRQ_EDGE_RISING		1
#define MAX_CLOCKS		16

struct gen {
	void *fdt;		/* the tree being written (sequential-write mode) */
	const void *root;	/* the root's tree, or NULL */
	const struct wd_linux_dt_input *in;
	void (*warn)(const char *msg);
	uint32_t gic_phandle;
	uint32_t its_phandle;	/* the cell's virtual ITS, 0 if it has none */
	int copied_clocks[MAX_CLOCKS];	/* root node offsets already copied */
	int num_clocks;
	char console_path[128];
	char *err;
	size_t errlen;
};

static void gen_warn(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void gen_warn(struct gen *g, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!g->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	g->warn(msg);
}

static uint64_t read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static int cells_of(const void *fdt, int node, const char *name, int def)
{
	const fdt32_t *p = node >= 0 ? fdt_getprop(fdt, node, name, NULL) : NULL;

	return p ? (int)fdt32_to_cpu(*p) : def;
}

/* Property helpers on the tree being written; any libfdt error sticks in ret. */
static int prop_u32(void *fdt, const char *name, uint32_t v)
{
	return fdt_property_u32(fdt, name, v);
}

static int prop_cells(void *fdt, const char *name, const uint32_t *v, int n)
{
	fdt32_t buf[64];
	int i;

	if (n > 64)
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < n; i++)
		buf[i] = cpu_to_fdt32(v[i]);
	return fdt_property(fdt, name, buf, n * 4);
}

/* reg/ranges pairs as <hi lo hi lo> (the cell tree has 2 address and 2 size cells). */
static int prop_reg64(void *fdt, const char *name, const uint64_t *pairs, int n)
{
	uint32_t c[64];
	int i;

	if (n * 4 > 64)
		return -FDT_ERR_NOSPACE;
	for (i = 0; i < n * 2; i++) {
		c[2 * i] = (uint32_t)(pairs[i] >> 32);
		c[2 * i + 1] = (uint32_t)pairs[i];
	}
	return prop_cells(fdt, name, c, n * 4);
}

/* ---- reading the root's tree */

/*
 * The CPU address of @addr in @node's parent's bus, through every ancestor's
 * "ranges" (missing or empty: identity). Returns 0, or -1 if not translatable.
 */
static int translate(const void *fdt, int node, uint64_t addr, uint64_t *out)
{
	int bus = fdt_parent_offset(fdt, node);

	while (bus > 0) {
		int parent = fdt_parent_offset(fdt, bus);
		int ca = cells_of(fdt, bus, "#address-cells", 2);
		int pa = cells_of(fdt, parent, "#address-cells", 2);
		int cs = cells_of(fdt, bus, "#size-cells", 1);
		const fdt32_t *r;
		int len, n, i, found = 0;

		if (parent < 0)
			break;
		r = fdt_getprop(fdt, bus, "ranges", &len);
		if (!r)
			return -1;	/* no ranges: not memory-mapped */
		if (len == 0) {
			bus = parent;
			continue;
		}
		n = ca + pa + cs;
		if (n <= 0 || ca > 2 || pa > 2 || cs > 2)
			return -1;
		for (i = 0; i + n <= len / 4; i += n) {
			uint64_t child = read_cells(r + i, ca);
			uint64_t par = read_cells(r + i + ca, pa);
			uint64_t size = read_cells(r + i + ca + pa, cs);

			if (addr >= child && addr - child < size) {
				addr = par + (addr - child);
				found = 1;
				break;
			}
		}
		if (!found)
			return -1;
		bus = parent;
	}
	*out = addr;
	return 0;
}

/* The @idx-th reg entry of @node, as a CPU address; -1 if none. */
static int node_reg(const void *fdt, int node, int idx, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = cells_of(fdt, parent, "#address-cells", 2);
	int sc = cells_of(fdt, parent, "#size-cells", 1);
	const fdt32_t *reg;
	int len;

	if (parent < 0 || ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return -1;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < (idx + 1) * (ac + sc) * 4)
		return -1;
	reg += idx * (ac + sc);
	*size = sc ? read_cells(reg + ac, sc) : 0;
	return translate(fdt, node, read_cells(reg, ac), addr);
}

static int compatible_with(const void *fdt, int node, const char *c)
{
	return fdt_node_check_compatible(fdt, node, c) == 0;
}

static int find_gic(const void *fdt, int *version)
{
	static const char *const v3[] = { "arm,gic-v3", NULL };
	static const char *const v2[] = { "arm,gic-400", "arm,cortex-a15-gic",
					  "arm,cortex-a9-gic", "arm,gic-v2", NULL };
	int node, i;

	for (i = 0; v3[i]; i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, v3[i]);
		if (node >= 0) {
			*version = 3;
			return node;
		}
	}
	for (i = 0; v2[i]; i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, v2[i]);
		if (node >= 0) {
			*version = 2;
			return node;
		}
	}
	return -1;
}

/* The cpu nodes of the root's /cpus, in tree order: their offsets. */
static int root_cpus(const void *fdt, int *nodes, int max)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, n = 0;

	if (cpus < 0)
		return 0;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		if (type && strcmp(type, "cpu") == 0 && n < max)
			nodes[n++] = node;
	}
	return n;
}

static uint64_t cpu_mpidr(const void *fdt, int node)
{
	int ac = cells_of(fdt, fdt_parent_offset(fdt, node), "#address-cells", 1);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", NULL);

	return reg ? read_cells(reg, ac > 2 ? 2 : ac) : ~0ULL;
}

/* ---- writing nodes */

static int gen_cpus(struct gen *g)
{
	const struct wd_linux_dt_input *in = g->in;
	int rnodes[256], nr = g->root ? root_cpus(g->root, rnodes, 256) : 0;
	int ret, i, j, ac = 1;
	char name[32];

	for (i = 0; i < (int)in->num_cpus; i++)
		if (in->mpidr[i] >> 32)
			ac = 2;
	ret = fdt_begin_node(g->fdt, "cpus");
	ret = ret ?: prop_u32(g->fdt, "#address-cells", (uint32_t)ac);
	ret = ret ?: prop_u32(g->fdt, "#size-cells", 0);
	for (i = 0; !ret && i < (int)in->num_cpus; i++) {
		const char *compat = NULL;
		int clen = 0;

		for (j = 0; j < nr; j++)
			if (cpu_mpidr(g->root, rnodes[j]) == in->mpidr[i])
				compat = fdt_getprop(g->root, rnodes[j], "compatible", &clen);
		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)in->mpidr[i]);
		ret = fdt_begin_node(g->fdt, name);
		ret = ret ?: fdt_property_string(g->fdt, "device_type", "cpu");
		if (compat)
			ret = ret ?: fdt_property(g->fdt, "compatible", compat, clen);
		else
			ret = ret ?: fdt_property_string(g->fdt, "compatible", "arm,armv8");
		if (ac == 2) {
			uint32_t c[2] = { (uint32_t)(in->mpidr[i] >> 32), (uint32_t)in->mpidr[i] };

			ret = ret ?: prop_cells(g->fdt, "reg", c, 2);
		} else {
			ret = ret ?: prop_u32(g->fdt, "reg", (uint32_t)in->mpidr[i]);
		}
		ret = ret ?: fdt_property_string(g->fdt, "enable-method", "psci");
		ret = ret ?: fdt_end_node(g->fdt);
	}
	return ret ?: fdt_end_node(g->fdt);
}

static int gen_memory(struct gen *g)
{
	const struct wd_cell_desc *cell = g->in->cell;
	const struct wd_mem_region *r = wd_cell_mem_regions(cell);
	uint64_t pairs[32];
	char name[40];
	int n = 0, ret;
	uint32_t i;

	for (i = 0; i < cell->num_memory_regions && n < 16; i++) {
		if (!wd_linux_is_ram(cell, &r[i]))
			continue;
		pairs[2 * n] = r[i].virt_start;
		pairs[2 * n + 1] = r[i].size;
		n++;
	}
	if (!n) {
		snprintf(g->err, g->errlen, "the cell has no RAM for Linux");
		return -FDT_ERR_BADVALUE;
	}
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)pairs[0]);
	ret = fdt_begin_node(g->fdt, name);
	ret = ret ?: fdt_property_string(g->fdt, "device_type", "memory");
	ret = ret ?: prop_reg64(g->fdt, "reg", pairs, n);
	return ret ?: fdt_end_node(g->fdt);
}

/* Which root CPU position (GICR frame index) each of the cell's CPUs has. */
static int lowest_frame(struct gen *g, int *nframes)
{
	int rnodes[256], nr = root_cpus(g->root, rnodes, 256), i, j, low = -1;

	for (i = 0; i < (int)g->in->num_cpus; i++)
		for (j = 0; j < nr; j++)
			if (cpu_mpidr(g->root, rnodes[j]) == g->in->mpidr[i] && (low < 0 || j < low))
				low = j;
	*nframes = nr;
	return low;
}

/*
 * The cell's virtual ITS (hypervisor/arch/arm64/vits.c, asm/vits.h): a GICv3
 * cell with PCI devices gets one at the physical ITS's address when the root
 * configuration has that ITS (an I/O region over its two frames, as the
 * hypervisor finds it at enable). Described as the root's tree describes the
 * ITS, a child of the GIC node (whose "ranges" then maps it 1:1); the PCI
 * host's msi-map sends requester id = BDF = device id to it.
 */
static int gen_its(struct gen *g)
{
	const struct wd_system_config *sys = g->in->sys;
	const struct wd_mem_region *m;
	uint64_t its = 0, its_size = 0, pairs[2];
	int node, ret = 0;
	uint32_t i;
	char name[40];

	if (!g->in->cell->num_pci_devices || !sys || !g->root)
		return 0;
	node = fdt_node_offset_by_compatible(g->root, -1, "arm,gic-v3-its");
	if (node < 0 || node_reg(g->root, node, 0, &its, &its_size))
		return 0;
	m = wd_cell_mem_regions(&sys->root_cell);
	for (i = 0; i < sys->root_cell.num_memory_regions; i++, m++)
		if ((m->flags & WD_MEM_IO) && m->phys_start <= its &&
		    its + 0x20000 <= m->phys_start + m->size)
			break;
	if (i == sys->root_cell.num_memory_regions) {
		gen_warn(g, "the root's ITS at 0x%llx is not in the root configuration: the hypervisor has none, the cell gets no MSIs",
			 (unsigned long long)its);
		return 0;
	}
	g->its_phandle = g->gic_phandle + 1;
	pairs[0] = its;
	pairs[1] = 0x20000;
	snprintf(name, sizeof(name), "msi-controller@%llx", (unsigned long long)its);
	ret = ret ?: fdt_property(g->fdt, "ranges", NULL, 0);
	ret = ret ?: fdt_begin_node(g->fdt, name);
	ret = ret ?: fdt_property_string(g->fdt, "compatible", "arm,gic-v3-its");
	ret = ret ?: prop_reg64(g->fdt, "reg", pairs, 1);
	ret = ret ?: fdt_property(g->fdt, "msi-controller", NULL, 0);
	ret = ret ?: prop_u32(g->fdt, "#msi-cells", 1);
	ret = ret ?: fdt_property_u32(g->fdt, "phandle", g->its_phandle);
	return ret ?: fdt_end_node(g->fdt);
}

static int gen_gic(struct gen *g)
{
	const void *root = g->root;
	const struct wd_system_config *sys = g->in->sys;
	int version = 0, node = root ? find_gic(root, &version) : -1, ret;
	uint64_t gicd = 0, gicd_size = 0x10000, pairs[4];
	char name[40];

	if (node >= 0) {
		if (node_reg(root, node, 0, &gicd, &gicd_size)) {
			snprintf(g->err, g->errlen, "the root's GIC node has no usable reg");
			return -FDT_ERR_BADVALUE;
		}
	} else if (sys && sys->platform.arm.gicd_base) {
		version = sys->platform.arm.gic_version;
		gicd = sys->platform.arm.gicd_base;
	} else {
		snprintf(g->err, g->errlen, "no GIC in the root's device tree");
		return -FDT_ERR_NOTFOUND;
	}
	pairs[0] = gicd;
	pairs[1] = gicd_size;
	snprintf(name, sizeof(name), "interrupt-controller@%llx", (unsigned long long)gicd);
	ret = fdt_begin_node(g->fdt, name);
	if (version == 3) {
		uint64_t gicr = 0, gicr_size = 0, stride = GICR_FRAME_V3;
		int low, nframes;

		if (node < 0 || node_reg(root, node, 1, &gicr, &gicr_size)) {
			snprintf(g->err, g->errlen, "the root's GICv3 node has no redistributor region");
			return -FDT_ERR_BADVALUE;
		}
		if (fdt_getprop(root, node, "redistributor-stride", NULL))
			stride = (uint64_t)cells_of(root, node, "redistributor-stride", 0);
		low = lowest_frame(g, &nframes);
		if (low < 0 || (uint64_t)nframes * stride > gicr_size) {
			snprintf(g->err, g->errlen,
				 "cannot tell the cell's redistributor frames (%d CPUs in the root's tree, region of 0x%llx bytes)",
				 nframes, (unsigned long long)gicr_size);
			return -FDT_ERR_BADVALUE;
		}
		pairs[2] = gicr + (uint64_t)low * stride;
		pairs[3] = (uint64_t)(nframes - low) * stride;
		ret = ret ?: fdt_property_string(g->fdt, "compatible", "arm,gic-v3");
		ret = ret ?: prop_u32(g->fdt, "#redistributor-regions", 1);
	} else {
		uint64_t gicc = 0, gicv = 0, size;

		/*
		 * The hypervisor maps the virtual CPU interface (GICV) at the
		 * CPU interface's address (GICC) in a cell: the cell's tree
		 * names GICC, which needs GICV to exist.
		 */
		if (node >= 0) {
			node_reg(root, node, 1, &gicc, &size);
			node_reg(root, node, 3, &gicv, &size);
		}
		if (!gicc && sys)
			gicc = sys->platform.arm.gicc_base;
		if (!gicv && sys)
			gicv = sys->platform.arm.gicv_base;
		if (!gicc || !gicv) {
			snprintf(g->err, g->errlen,
				 "GICv2 without a CPU interface (GICC 0x%llx) or its virtual one (GICV 0x%llx) in the root's tree or the system configuration",
				 (unsigned long long)gicc, (unsigned long long)gicv);
			return -FDT_ERR_BADVALUE;
		}
		pairs[2] = gicc;
		pairs[3] = 0x2000;
		ret = ret ?: fdt_property_string(g->fdt, "compatible", "arm,cortex-a15-gic");
	}
	ret = ret ?: prop_reg64(g->fdt, "reg", pairs, 2);
	ret = ret ?: fdt_property(g->fdt, "interrupt-controller", NULL, 0);
	ret = ret ?: prop_u32(g->fdt, "#interrupt-cells", 3);
	ret = ret ?: prop_u32(g->fdt, "#address-cells", 2);
	ret = ret ?: prop_u32(g->fdt, "#size-cells", 2);
	ret = ret ?: fdt_property_u32(g->fdt, "phandle", g->gic_phandle);
	/* Its child last: no property may follow a subnode. */
	if (version == 3)
		ret = ret ?: gen_its(g);
	return ret ?: fdt_end_node(g->fdt);
}

static int gen_timer(struct gen *g)
{
	static const char *const compat[] = { "arm,armv8-timer", "arm,armv7-timer", NULL };
	int node = -1, ret, len, i;
	const void *p;

	for (i = 0; g->root && compat[i] && node < 0; i++)
		node = fdt_node_offset_by_compatible(g->root, -1, compat[i]);
	if (node < 0) {
		snprintf(g->err, g->errlen, "no arm,armv8-timer node in the root's device tree");
		return -FDT_ERR_NOTFOUND;
	}
	ret = fdt_begin_node(g->fdt, "timer");
	p = fdt_getprop(g->root, node, "compatible", &len);
	ret = ret ?: fdt_property(g->fdt, "compatible", p, len);
	p = fdt_getprop(g->root, node, "interrupts", &len);
	if (!p) {
		snprintf(g->err, g->errlen, "the root's timer node has no interrupts");
		return -FDT_ERR_NOTFOUND;
	}
	ret = ret ?: fdt_property(g->fdt, "interrupts", p, len);
	if (fdt_getprop(g->root, node, "always-on", NULL))
		ret = ret ?: fdt_property(g->fdt, "always-on", NULL, 0);
	return ret ?: fdt_end_node(g->fdt);
}

static int gen_psci(struct gen *g)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int ret = fdt_begin_node(g->fdt, "psci");

	ret = ret ?: fdt_property(g->fdt, "compatible", compat, sizeof(compat));
	ret = ret ?: fdt_property_string(g->fdt, "method", "smc");
	return ret ?: fdt_end_node(g->fdt);
}

/* Properties of a device node that point at what the cell does not get. */
static int dropped_prop(const char *name)
{
	static const char *const drop[] = {
		"interrupt-parent", "iommus", "iommu-map", "msi-parent", "msi-map",
		"dmas", "dma-names", "resets", "reset-names", "power-domains",
		"phandle", "linux,phandle", NULL };
	int i;

	if (strncmp(name, "pinctrl-", 8) == 0)
		return 1;
	for (i = 0; drop[i]; i++)
		if (strcmp(name, drop[i]) == 0)
			return 1;
	return 0;
}

enum copy_mode {
	COPY_PROVIDER,	/* a clock provider: everything, phandle included; ended */
	COPY_DEVICE,	/* a device: reg left to the caller, node left open */
	COPY_CHILD,	/* a device's subnode: as it is, without dropped_prop()s; ended */
};

static int copy_node(struct gen *g, int node, const char *name, enum copy_mode mode);

/* The clock providers @node's "clocks" names, each copied once. */
static int copy_clocks(struct gen *g, int node)
{
	const fdt32_t *c;
	int len, i, k, ret = 0;

	c = fdt_getprop(g->root, node, "clocks", &len);
	for (i = 0; c && i < len / 4;) {
		int prov = fdt_node_offset_by_phandle(g->root, fdt32_to_cpu(c[i]));
		int seen = 0;

		if (prov < 0)
			break;
		for (k = 0; k < g->num_clocks; k++)
			seen |= g->copied_clocks[k] == prov;
		if (!seen && g->num_clocks < MAX_CLOCKS) {
			g->copied_clocks[g->num_clocks++] = prov;
			ret = copy_clocks(g, prov);	/* its parents first */
			ret = ret ?: copy_node(g, prov, fdt_get_name(g->root, prov, NULL),
					       COPY_PROVIDER);
			if (ret)
				return ret;
		}
		i += 1 + cells_of(g->root, prov, "#clock-cells", 0);
	}
	return ret;
}

/* @node of the root's tree with its properties and subnodes, at the current position. */
static int copy_node(struct gen *g, int node, const char *name, enum copy_mode mode)
{
	int prop, sub, ret = fdt_begin_node(g->fdt, name);

	fdt_for_each_property_offset(prop, g->root, node) {
		const char *pname;
		const void *val;
		int len;

		val = fdt_getprop_by_offset(g->root, prop, &pname, &len);
		if (!val || ret)
			break;
		if (mode != COPY_PROVIDER && dropped_prop(pname))
			continue;
		if (mode == COPY_DEVICE && strcmp(pname, "reg") == 0)
			continue;
		ret = fdt_property(g->fdt, pname, val, len);
	}
	if (ret)
		return ret;
	fdt_for_each_subnode(sub, g->root, node) {
		ret = copy_node(g, sub, fdt_get_name(g->root, sub, NULL),
				mode == COPY_PROVIDER ? COPY_PROVIDER : COPY_CHILD);
		if (ret)
			return ret;
	}
	return mode == COPY_DEVICE ? 0 : fdt_end_node(g->fdt);
}

/* The cell region holding [addr, addr + size) of the root's bus, or NULL. */
static const struct wd_mem_region *io_region(const struct wd_cell_desc *cell, uint64_t addr,
					     uint64_t size)
{
	const struct wd_mem_region *r = wd_cell_mem_regions(cell);
	uint32_t i;

	for (i = 0; i < cell->num_memory_regions; i++)
		if ((r[i].flags & WD_MEM_IO) && !(r[i].flags & WD_MEM_COMM_REGION) &&
		    addr >= r[i].phys_start && addr - r[i].phys_start < r[i].size &&
		    size <= r[i].size - (addr - r[i].phys_start))
			return &r[i];
	return NULL;
}

static int spi_owned(const struct wd_cell_desc *cell, uint32_t intid)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell);
	uint32_t i;

	for (i = 0; i < cell->num_irqchips; i++)
		if (intid >= chip[i].pin_base && intid - chip[i].pin_base < WD_IRQCHIP_PINS &&
		    (chip[i].pin_bitmap[(intid - chip[i].pin_base) / 32] >>
		     ((intid - chip[i].pin_base) % 32) & 1))
			return 1;
	return 0;
}

/* @node as a device of the cell; its node path in the cell's tree into @path ("" if left out). */
static int copy_device(struct gen *g, int node, char *out_path, size_t out_len)
{
	const struct wd_cell_desc *cell = g->in->cell;
	uint64_t pairs[16], addr, size;
	const fdt32_t *irq;
	char name[120], path[128];
	const char *rname = fdt_get_name(g->root, node, NULL);
	int n, len, ret, i;

	out_path[0] = 0;
	fdt_get_path(g->root, node, path, sizeof(path));
	for (n = 0; n < 8 && node_reg(g->root, node, n, &addr, &size) == 0; n++) {
		const struct wd_mem_region *r = io_region(cell, addr, size);

		if (!r) {
			gen_warn(g, "%s: register range 0x%llx+0x%llx is not the cell's, left out of its tree",
				 path, (unsigned long long)addr, (unsigned long long)size);
			return 0;
		}
		pairs[2 * n] = r->virt_start + (addr - r->phys_start);
		pairs[2 * n + 1] = size;
	}
	irq = fdt_getprop(g->root, node, "interrupts", &len);
	for (i = 0; irq && i + 3 <= len / 4; i += 3)
		if (fdt32_to_cpu(irq[i]) == GIC_SPI &&
		    !spi_owned(cell, fdt32_to_cpu(irq[i + 1]) + 32))
			gen_warn(g, "%s: its interrupt SPI %u (INTID %u) is not the cell's",
				 path, fdt32_to_cpu(irq[i + 1]), fdt32_to_cpu(irq[i + 1]) + 32);
	ret = copy_clocks(g, node);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%.*s@%llx", (int)strcspn(rname, "@"), rname,
		 (unsigned long long)pairs[0]);
	ret = copy_node(g, node, name, COPY_DEVICE);
	ret = ret ?: prop_reg64(g->fdt, "reg", pairs, n);
	ret = ret ?: fdt_end_node(g->fdt);
	if (!ret)
		snprintf(out_path, out_len, "/%s", name);
	return ret;
}

static int is_uart(const void *fdt, int node)
{
	static const char *const uarts[] = { "arm,pl011", "ns16550a", "ns16550", "snps,dw-apb-uart",
					     "arm,sbsa-uart", NULL };
	int i;

	for (i = 0; uarts[i]; i++)
		if (compatible_with(fdt, node, uarts[i]))
			return 1;
	return 0;
}

/*
 * Every node of the root's tree whose first register range lies in an I/O
 * region of the cell, the console's first: its path becomes stdout-path and
 * the UARTs' paths the serial aliases, in this order.
 */
static int gen_devices(struct gen *g, char uarts[][128], int *nuarts)
{
	const struct wd_cell_desc *cell = g->in->cell;
	int node, depth = 0, pass, ret;
	char path[128];

	*nuarts = 0;
	for (pass = 0; pass < 2; pass++) {
		for (node = fdt_next_node(g->root, -1, &depth); node >= 0;
		     node = fdt_next_node(g->root, node, &depth)) {
			const char *type = fdt_getprop(g->root, node, "device_type", NULL);
			uint64_t addr, size;
			int is_console;

			if (type && (strcmp(type, "cpu") == 0 || strcmp(type, "memory") == 0))
				continue;
			if (node_reg(g->root, node, 0, &addr, &size) || !io_region(cell, addr, size))
				continue;
			is_console = cell->console.address && cell->console.address >= addr &&
				     cell->console.address - addr < (size ? size : 1);
			if (is_console != (pass == 0))
				continue;
			ret = copy_device(g, node, path, sizeof(path));
			if (ret)
				return ret;
			if (!path[0])
				continue;
			if (is_console && !g->console_path[0])
				snprintf(g->console_path, sizeof(g->console_path), "%s", path);
			if (is_uart(g->root, node) && *nuarts < 8)
				snprintf(uarts[(*nuarts)++], 128, "%s", path);
		}
	}
	return 0;
}

/* Sizes of the BARs of the cell's PCI devices, each aligned to itself. */
static uint64_t pci_window_size(const struct wd_cell_desc *cell)
{
	const struct wd_pci_device *d = wd_cell_pci_devices(cell);
	uint64_t total = 0;
	uint32_t i;
	int b;

	for (i = 0; i < cell->num_pci_devices; i++)
		for (b = 0; b < 6; b++) {
			uint32_t mask = d[i].bar_mask[b] & ~0xfU;
			uint64_t sz;

			if (!mask)
				continue;
			sz = (uint64_t)(~mask) + 1;
			if ((d[i].bar_mask[b] & 0x6) == 0x4 && b < 5)
				b++;	/* 64-bit BAR: the next mask is its upper half */
			total = ((total + sz - 1) & ~(sz - 1)) + sz;
		}
	if (total < 0x2000ULL * cell->num_pci_devices)
		total = 0x2000ULL * cell->num_pci_devices;
	return (total + 0xffff) & ~0xffffULL;
}

static int gen_pci(struct gen *g)
{
	const struct wd_cell_desc *cell = g->in->cell;
	const struct wd_system_config *sys = g->in->sys;
	uint64_t ecam, ecam_size, win, win_size, reg[2];
	uint32_t map[4 * 10], ranges[7], bus_range[2];
	char name[40];
	int ret, pin, k = 0;

	if (!cell->num_pci_devices)
		return 0;
	if (!sys || !sys->platform.pci_mmconfig_base) {
		gen_warn(g, "the cell has %u PCI devices but the system configuration (no virtual PCI host known) is not at hand: no PCI host in its tree",
			 cell->num_pci_devices);
		return 0;
	}
	ecam = sys->platform.pci_mmconfig_base;
	ecam_size = ((uint64_t)sys->platform.pci_mmconfig_end_bus + 1) << 20;
	win = ecam + ecam_size;
	win_size = pci_window_size(cell);
	for (pin = 1; pin <= 4; pin++) {
		map[k++] = 0; map[k++] = 0; map[k++] = 0; map[k++] = (uint32_t)pin;
		map[k++] = g->gic_phandle;
		map[k++] = 0; map[k++] = 0;	/* the GIC's #address-cells = 2 */
		map[k++] = GIC_SPI;
		map[k++] = cell->vpci_irq_base + (uint32_t)pin - 1;
		map[k++] = IRQ_EDGE_RISING;
	}
	ranges[0] = 0x02000000;		/* 32-bit memory, non-prefetchable */
	ranges[1] = (uint32_t)(win >> 32);
	ranges[2] = (uint32_t)win;
	ranges[3] = (uint32_t)(win >> 32);
	ranges[4] = (uint32_t)win;
	ranges[5] = (uint32_t)(win_size >> 32);
	ranges[6] = (uint32_t)win_size;
	bus_range[0] = 0;
	bus_range[1] = sys->platform.pci_mmconfig_end_bus;
	reg[0] = ecam;
	reg[1] = ecam_size;
	snprintf(name, sizeof(name), "pci@%llx", (unsigned long long)ecam);
	ret = fdt_begin_node(g->fdt, name);
	ret = ret ?: fdt_property_string(g->fdt, "compatible", "pci-host-ecam-generic");
	ret = ret ?: fdt_property_string(g->fdt, "device_type", "pci");
	ret = ret ?: prop_reg64(g->fdt, "reg", reg, 1);
	ret = ret ?: prop_cells(g->fdt, "bus-range", bus_range, 2);
	ret = ret ?: prop_u32(g->fdt, "#address-cells", 3);
	ret = ret ?: prop_u32(g->fdt, "#size-cells", 2);
	ret = ret ?: prop_u32(g->fdt, "#interrupt-cells", 1);
	ret = ret ?: prop_cells(g->fdt, "ranges", ranges, 7);
	{
		uint32_t mask[4] = { 0, 0, 0, 7 };

		ret = ret ?: prop_cells(g->fdt, "interrupt-map-mask", mask, 4);
	}
	ret = ret ?: prop_cells(g->fdt, "interrupt-map", map, k);
	if (sys->platform.pci_domain != 0xffff)
		ret = ret ?: prop_u32(g->fdt, "linux,pci-domain", sys->platform.pci_domain);
	ret = ret ?: fdt_property(g->fdt, "dma-coherent", NULL, 0);
	if (g->its_phandle) {
		/* Requester id (the BDF) 0-0xffff = device id 0-0xffff of the vITS. */
		uint32_t msi_map[4] = { 0, g->its_phandle, 0, 0x10000 };

		ret = ret ?: prop_cells(g->fdt, "msi-map", msi_map, 4);
	}
	return ret ?: fdt_end_node(g->fdt);
}

static int gen_chosen(void *fdt, const struct wd_linux_dt_input *in, const char *stdout_path)
{
	int ret = fdt_begin_node(fdt, "chosen");

	if (in->cmdline)
		ret = ret ?: fdt_property_string(fdt, "bootargs", in->cmdline);
	if (stdout_path && stdout_path[0])
		ret = ret ?: fdt_property_string(fdt, "stdout-path", stdout_path);
	if (in->initrd_end > in->initrd_start) {
		ret = ret ?: fdt_property_u64(fdt, "linux,initrd-start", in->initrd_start);
		ret = ret ?: fdt_property_u64(fdt, "linux,initrd-end", in->initrd_end);
	}
	return ret ?: fdt_end_node(fdt);
}

int wd_linux_dt_generate(void *buf, size_t size, const struct wd_linux_dt_input *in,
			 void (*warn)(const char *msg), char *err, size_t errlen)
{
	struct gen g = { .fdt = buf, .root = in->root_fdt, .in = in, .warn = warn,
			 .err = err, .errlen = errlen };
	char uarts[8][128], model[80];
	int ret, nuarts = 0, i;

	err[0] = 0;
	if (!g.root || fdt_check_header(g.root)) {
		snprintf(err, errlen, "the root's device tree is needed to generate the cell's");
		return -1;
	}
	g.gic_phandle = fdt_get_max_phandle(g.root) + 1;
	snprintf(model, sizeof(model), "Warden cell %.32s", in->cell->name);

	ret = fdt_create(buf, (int)size);
	ret = ret ?: fdt_finish_reservemap(buf);
	ret = ret ?: fdt_begin_node(buf, "");
	ret = ret ?: fdt_property_string(buf, "model", model);
	ret = ret ?: fdt_property_string(buf, "compatible", "warden,cell");
	ret = ret ?: prop_u32(buf, "#address-cells", 2);
	ret = ret ?: prop_u32(buf, "#size-cells", 2);
	ret = ret ?: prop_u32(buf, "interrupt-parent", g.gic_phandle);
	ret = ret ?: fdt_begin_node(buf, "hypervisor");
	ret = ret ?: fdt_property_string(buf, "compatible", "jailhouse,cell");
	ret = ret ?: fdt_end_node(buf);
	ret = ret ?: gen_cpus(&g);
	ret = ret ?: gen_memory(&g);
	ret = ret ?: gen_gic(&g);
	ret = ret ?: gen_timer(&g);
	ret = ret ?: gen_psci(&g);
	ret = ret ?: gen_devices(&g, uarts, &nuarts);
	ret = ret ?: gen_pci(&g);
	if (!ret && nuarts) {
		ret = fdt_begin_node(buf, "aliases");
		for (i = 0; !ret && i < nuarts; i++) {
			char alias[24];

			snprintf(alias, sizeof(alias), "serial%d", i);
			ret = fdt_property_string(buf, alias, uarts[i]);
		}
		ret = ret ?: fdt_end_node(buf);
	}
	ret = ret ?: gen_chosen(buf, in, g.console_path);
	ret = ret ?: fdt_end_node(buf);
	ret = ret ?: fdt_finish(buf);
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "writing the device tree: %s", fdt_strerror(ret));
		return -1;
	}
	return 0;
}

/* ---- -d: a given tree, patched as Jailhouse's tool does */

static int set_cells(void *fdt, int node, const char *name, const uint64_t *v, int n,
		     const int *ncells)
{
	fdt32_t buf[64];
	int i, k = 0;

	for (i = 0; i < n; i++) {
		int c = ncells[i % 2];

		if (k + c > 64)
			return -FDT_ERR_NOSPACE;
		if (c == 2)
			buf[k++] = cpu_to_fdt32((uint32_t)(v[i] >> 32));
		buf[k++] = cpu_to_fdt32((uint32_t)v[i]);
	}
	return fdt_setprop(fdt, node, name, buf, k * 4);
}

static int subnode(void *fdt, const char *name)
{
	int node = fdt_subnode_offset(fdt, 0, name);

	return node >= 0 ? node : fdt_add_subnode(fdt, 0, name);
}

int wd_linux_dt_patch(void *buf, size_t size, const void *dtb, size_t len,
		      const struct wd_linux_dt_input *in, char *err, size_t errlen)
{
	const struct wd_cell_desc *cell = in->cell;
	const struct wd_mem_region *r = wd_cell_mem_regions(cell);
	int ac, sc, node, ret, n = 0, cells[2];
	uint64_t pairs[32];
	uint32_t i;

	if (len < 40 || fdt_check_header(dtb) || fdt_totalsize(dtb) > len) {
		snprintf(err, errlen, "not a flattened device tree");
		return -1;
	}
	ret = fdt_open_into(dtb, buf, (int)size);
	if (ret) {
		snprintf(err, errlen, "device tree: %s", fdt_strerror(ret));
		return -1;
	}
	ac = cells_of(buf, 0, "#address-cells", -1);
	sc = cells_of(buf, 0, "#size-cells", -1);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		snprintf(err, errlen, "device tree: no #address-cells/#size-cells of 1 or 2 at its root");
		return -1;
	}
	cells[0] = ac;
	cells[1] = sc;
	for (i = 0; i < cell->num_memory_regions && n < 16; i++)
		if (wd_linux_is_ram(cell, &r[i])) {
			pairs[2 * n] = r[i].virt_start;
			pairs[2 * n + 1] = r[i].size;
			n++;
		}
	node = subnode(buf, "memory");
	ret = node < 0 ? node : fdt_setprop_string(buf, node, "device_type", "memory");
	ret = ret ?: set_cells(buf, node, "reg", pairs, 2 * n, cells);
	node = ret ? ret : subnode(buf, "chosen");
	ret = node < 0 ? node : 0;
	if (!ret && in->cmdline)
		ret = fdt_setprop_string(buf, node, "bootargs", in->cmdline);
	if (!ret && in->initrd_end > in->initrd_start) {
		uint64_t v[2] = { in->initrd_start, in->initrd_end };
		int c[2] = { ac, ac };

		ret = set_cells(buf, node, "linux,initrd-start", &v[0], 1, c);
		ret = ret ?: set_cells(buf, node, "linux,initrd-end", &v[1], 1, c);
	}
	ret = ret ?: fdt_pack(buf);
	if (ret) {
		snprintf(err, errlen, "patching the device tree: %s", fdt_strerror(ret));
		return -1;
	}
	return 0;
}
