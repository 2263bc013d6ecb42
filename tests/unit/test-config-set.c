/*
 * Host unit tests of the set check wd_check_set() (common/config-check.c):
 * every finding (errors and warnings) of a system and its cells, and the
 * cells against the root cell and each other, each asserted as the exact
 * list of lines; robustness to broken blobs in a set; the shipped QEMU
 * configurations (out/configs) as a set; and "warden config check" itself
 * (out/host/warden): output lines, summary, exit status, --strict.
 *
 * The out/ directory is found from this program's path
 * (OUT/tests/unit/test-config-set), as tests/unit/Makefile builds it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "../../common/config-check.c"
#include "config-blobs.h"

#define MAX_FINDINGS 64
#define MAX_CELLS 4

struct findings {
	unsigned int n;
	char line[MAX_FINDINGS][WD_CHECK_MSG_LEN + 40];
};

static void collect(void *ctx, enum wd_check_severity sev, enum wd_check_kind kind, int blob,
		    const char *msg)
{
	struct findings *f = ctx;

	if (f->n < MAX_FINDINGS)
		snprintf(f->line[f->n], sizeof(f->line[0]), "%d %s [%s] %s", blob,
			 wd_check_severity_name(sev), wd_check_kind_name(kind), msg);
	f->n++;
}

/* wd_check_set() on exact-size heap copies (a sanitizer sees any read past a blob). */
static unsigned int run_blobs(const void *sys, size_t sys_len, const void *const *cells,
			      const size_t *lens, unsigned int n, struct findings *f)
{
	void *sys_copy = NULL, *copies[MAX_CELLS] = { NULL };
	__u64 sizes[MAX_CELLS] = { 0 };
	unsigned int i, errors;

	memset(f, 0, sizeof(*f));
	if (sys) {
		sys_copy = malloc(sys_len ? sys_len : 1);
		memcpy(sys_copy, sys, sys_len);
	}
	for (i = 0; i < n; i++) {
		copies[i] = malloc(lens[i] ? lens[i] : 1);
		memcpy(copies[i], cells[i], lens[i]);
		sizes[i] = lens[i];
	}
	errors = wd_check_set(sys_copy, sys_len, (const void *const *)copies, sizes, n, collect,
			      f);
	free(sys_copy);
	for (i = 0; i < n; i++)
		free(copies[i]);
	return errors;
}

static unsigned int run_specs(const struct spec *sys, const struct spec *const *cells,
			      unsigned int n, struct findings *f)
{
	static __u8 sys_buf[MAX_BLOB], cell_buf[MAX_CELLS][MAX_BLOB];
	const void *blobs[MAX_CELLS];
	size_t lens[MAX_CELLS], sys_len = 0;
	unsigned int i;

	if (sys)
		sys_len = build(sys, SYS, sys_buf);
	for (i = 0; i < n; i++) {
		lens[i] = build(cells[i], CELL, cell_buf[i]);
		blobs[i] = cell_buf[i];
	}
	return run_blobs(sys ? sys_buf : NULL, sys_len, blobs, lens, n, f);
}

/* The findings must be exactly @want (NULL-terminated), in order; the count of errors returned. */
static void expect_findings(const char *name, const struct findings *f, unsigned int errors,
			    const char *const *want)
{
	char got[8192] = "", exp[8192] = "", label[200];
	unsigned int i, want_errors = 0;

	for (i = 0; i < f->n && i < MAX_FINDINGS; i++) {
		strncat(got, f->line[i], sizeof(got) - strlen(got) - 2);
		strcat(got, "\n");
	}
	for (i = 0; want[i]; i++) {
		strncat(exp, want[i], sizeof(exp) - strlen(exp) - 2);
		strcat(exp, "\n");
		if (strstr(want[i], " error ["))
			want_errors++;
	}
	snprintf(label, sizeof(label), "%s: findings", name);
	CHECK_STR(label, got, exp);
	snprintf(label, sizeof(label), "%s: returns the number of errors", name);
	CHECK_EQ(label, errors, want_errors);
}

#define EXPECT_SET(name, sys, n, cells, ...) do {					\
	const struct spec *const cells_[] = { cells };					\
	const char *const want_[] = { __VA_ARGS__, NULL };				\
	struct findings f_;								\
	unsigned int e_ = run_specs((sys), cells_, (n), &f_);				\
	expect_findings((name), &f_, e_, want_);					\
} while (0)

#define CELLS(...) __VA_ARGS__
#define CLEAN NULL

/* A second cell that fits next to good_cell(): CPU 2, its own RAM, SPIs 160-287, no device. */
static void other_cell(struct spec *s)
{
	good_cell(s);
	strcpy(s->sys.root_cell.name, "other");
	s->sys.root_cell.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED;
	memset(&s->sys.root_cell.console, 0, sizeof(s->sys.root_cell.console));
	s->cpus[0] = 0x4;
	s->mem[0] = region(0x7fb00000, 0, 0x10000, RWXD | WD_MEM_LOADABLE);
	s->mem[1] = region(0, 0x80000000, 0x1000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION);
	s->n_mem = 2;
	irqchip(&s->irq[0], 0x08000000, 160);
}

static void test_clean(void)
{
	struct spec sys, a, b;
	struct findings f;

	good_system(&sys);
	good_cell(&a);
	other_cell(&b);
	EXPECT_SET("system alone", &sys, 0, CELLS(NULL), CLEAN);
	EXPECT_SET("cell alone", NULL, 1, CELLS(&a), CLEAN);
	EXPECT_SET("system and two cells", &sys, 2, CELLS(&a, &b), CLEAN);
	EXPECT_SET("two cells without a system", NULL, 2, CELLS(&a, &b), CLEAN);
	CHECK_EQ("nothing at all", wd_check_set(NULL, 0, NULL, NULL, 3, collect, &f), 0);

	/* Shared memory is fine when both share it with the root cell (ivshmem style). */
	a.mem[3] = region(0x7f000000, 0x90000000, 0x1000, WD_MEM_READ | WD_MEM_ROOTSHARED);
	b.mem[2] = region(0x7f000000, 0x90000000, 0x1000, WD_MEM_READ | WD_MEM_ROOTSHARED);
	a.n_mem = 4;
	b.n_mem = 3;
	EXPECT_SET("memory both cells share with the root", &sys, 2, CELLS(&a, &b), CLEAN);
}

static void test_cpus(void)
{
	struct spec sys, a, b;

	good_system(&sys);
	good_cell(&a);
	other_cell(&b);
	b.cpus[0] = 0x6;
	EXPECT_SET("two cells on one CPU", &sys, 2, CELLS(&a, &b),
		   "1 error [cpu-conflict] cells 'demo' and 'other' both use CPU 1");
	b.cpus[0] = 0xe;
	a.cpus[0] = 0x3;
	EXPECT_SET("cells on CPUs 0-1 and 1-3: CPU 1 twice, root left none", &sys, 2, CELLS(&a, &b),
		   "1 error [cpu-conflict] cells 'demo' and 'other' both use CPU 1",
		   "-1 error [root-cpu] the cells take all 4 CPUs of the root cell: it must keep one");
	other_cell(&b);
	a.cpus[0] = 0x3;
	b.cpus[0] = 0xc;
	EXPECT_SET("root left without CPU", &sys, 2, CELLS(&a, &b),
		   "-1 error [root-cpu] the cells take all 4 CPUs of the root cell: it must keep one");

	good_cell(&a);
	a.cpus[0] = 0x22;
	EXPECT_SET("cell CPU not in the root cell", &sys, 1, CELLS(&a),
		   "0 error [cpu-not-in-root] cell 'demo': CPU 5 is not in the root cell");
	a.cpus[0] = 0xf2;
	a.cpus[7] = 0x80;
	EXPECT_SET("cell CPUs not in the root cell, as ranges", &sys, 1, CELLS(&a),
		   "0 error [cpu-not-in-root] cell 'demo': CPUs 4-7 are not in the root cell",
		   "0 error [cpu-not-in-root] cell 'demo': CPU 63 is not in the root cell");
}

static void test_memory(void)
{
	struct spec sys, a, b;

	good_system(&sys);
	good_cell(&a);
	other_cell(&b);
	b.mem[0].phys_start = 0x7fa08000;
	EXPECT_SET("memory of two cells overlaps", &sys, 2, CELLS(&a, &b),
		   "1 error [mem-conflict] cell 'other': memory region #0 (phys 0x7fa08000-0x7fa17fff) overlaps memory region #0 (phys 0x7fa00000-0x7fa0ffff) of cell 'demo'");
	b.mem[0].flags |= WD_MEM_ROOTSHARED;
	EXPECT_SET("memory one cell shares with the root, the other takes", &sys, 2, CELLS(&a, &b),
		   "1 error [mem-conflict] cell 'other': memory region #0 (phys 0x7fa08000-0x7fa17fff) overlaps memory region #0 (phys 0x7fa00000-0x7fa0ffff) of cell 'demo'");

	good_cell(&a);
	a.mem[0].phys_start = 0x90000000;
	EXPECT_SET("cell memory outside the root cell", &sys, 1, CELLS(&a),
		   "0 error [mem-not-in-root] cell 'demo': memory region #0 (phys 0x90000000-0x9000ffff) is not inside one memory region of the root cell");
	a.mem[0] = region(0x6fff0000, 0, 0x20000, RWXD | WD_MEM_LOADABLE);
	EXPECT_SET("cell memory across two root regions", &sys, 1, CELLS(&a),
		   "0 error [mem-not-in-root] cell 'demo': memory region #0 (phys 0x6fff0000-0x7000ffff) is not inside one memory region of the root cell");
	good_cell(&a);
	a.mem[0].phys_start = 0x7fbf8000;
	EXPECT_SET("cell memory over hypervisor memory", &sys, 1, CELLS(&a),
		   "0 error [hv-overlap] cell 'demo': memory region #0 (phys 0x7fbf8000-0x7fc07fff) overlaps hypervisor memory 0x7fc00000-0x7fffffff",
		   "0 error [mem-not-in-root] cell 'demo': memory region #0 (phys 0x7fbf8000-0x7fc07fff) is not inside one memory region of the root cell");
	good_cell(&a);
	a.mem[3] = region(0x09000000, 0x09000000, 0x1000, RWIO);
	a.n_mem = 4;
	EXPECT_SET("cell takes the debug console", &sys, 1, CELLS(&a),
		   "0 warning [console] cell 'demo': memory region #3 (phys 0x9000000-0x9000fff) takes the hypervisor's debug console PL011 0x9000000 away from the root cell");
	good_cell(&a);
	a.mem[3] = region(0x08000000, 0x08000000, 0x10000, RWIO);
	a.n_mem = 4;
	EXPECT_SET("cell maps the GIC distributor", &sys, 1, CELLS(&a),
		   "0 error [gic] cell 'demo': memory region #3 (phys 0x8000000-0x800ffff) maps the GIC distributor 0x8000000-0x800ffff, which only the hypervisor may access",
		   "0 error [mem-not-in-root] cell 'demo': memory region #3 (phys 0x8000000-0x800ffff) is not inside one memory region of the root cell");
}

static void test_interrupts(void)
{
	struct spec sys, a, b;

	good_system(&sys);
	good_cell(&a);
	other_cell(&b);
	irqchip(&b.irq[0], 0x08000000, 128);
	EXPECT_SET("SPIs claimed by two cells", &sys, 2, CELLS(&a, &b),
		   "1 error [irq-conflict] cells 'demo' and 'other' both claim SPIs 128-159");
	memset(b.irq[0].pin_bitmap, 0, sizeof(b.irq[0].pin_bitmap));
	b.irq[0].pin_bitmap[0] = 1U << (144 - 128);
	EXPECT_SET("one SPI claimed by two cells", &sys, 2, CELLS(&a, &b),
		   "1 error [irq-conflict] cells 'demo' and 'other' both claim SPI 144");

	good_cell(&a);
	irqchip(&a.irq[0], 0x08000000, 288);
	EXPECT_SET("SPIs the root cell does not own", &sys, 1, CELLS(&a),
		   "0 error [irq-not-in-root] cell 'demo': SPIs 288-415 are not owned by the root cell");
	good_cell(&a);
	sys.irq[0].pin_bitmap[3] = ~(1U << (144 - 128));
	EXPECT_SET("one SPI the root cell does not own", &sys, 1, CELLS(&a),
		   "0 error [irq-not-in-root] cell 'demo': SPI 144 is not owned by the root cell");
	good_system(&sys);
	good_cell(&a);
	a.irq[0].address = 0x08010000;
	EXPECT_SET("cell irqchip not at the distributor", &sys, 1, CELLS(&a),
		   "0 error [irqchip] cell 'demo': irqchip #0 address 0x8010000 is not the GIC distributor 0x8000000");
}

static void test_devices_and_names(void)
{
	struct spec sys, a, b;

	good_system(&sys);
	sys.sids[0].id = 0x10;	/* the root's, so that only the conflict is reported */
	sys.sids[1].id = 0x20;
	sys.n_sids = 2;
	good_cell(&a);
	other_cell(&b);
	a.sids[0].id = 0x10;
	a.n_sids = 1;
	b.sids[0].id = 0x20;
	b.sids[1].id = 0x10;
	b.n_sids = 2;
	EXPECT_SET("stream id claimed by two cells", &sys, 2, CELLS(&a, &b),
		   "1 error [stream-id] cells 'demo' and 'other' both claim stream id 0x10");
	sys.sys.platform.iommu_units[0].type = 0;
	sys.n_sids = 0;
	a.n_sids = 0;
	b.n_sids = 1;
	EXPECT_SET("stream ids without an IOMMU", &sys, 2, CELLS(&a, &b),
		   "1 warning [stream-id] cell 'other': 1 stream ids, but the system has no IOMMU unit to use them");

	good_system(&sys);
	good_cell(&a);
	other_cell(&b);
	a.pci[0].type = WD_PCI_TYPE_DEVICE;
	a.pci[0].bdf = 0x28;
	a.n_pci = 1;
	b.pci[0] = a.pci[0];
	b.n_pci = 1;
	EXPECT_SET("PCI device in two cells", &sys, 2, CELLS(&a, &b),
		   "1 error [pci] cells 'demo' and 'other' both claim PCI device 0000:00:05.0");
	/* state table, common region, one output region: shared with the root by both */
	a.pci[0].type = b.pci[0].type = WD_PCI_TYPE_IVSHMEM;
	a.pci[0].shmem_peers = b.pci[0].shmem_peers = 1;
	a.pci[0].bar_mask[0] = b.pci[0].bar_mask[0] = 0xfffff000;
	a.pci[0].shmem_regions_start = 3;
	b.pci[0].shmem_regions_start = 2;
	a.mem[3] = b.mem[2] = region(0x7f000000, 0x90000000, 0x1000,
				     WD_MEM_READ | WD_MEM_ROOTSHARED);
	a.mem[4] = b.mem[3] = region(0x7f001000, 0x90001000, 0x1000,
				     WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED);
	a.mem[5] = b.mem[4] = region(0x7f002000, 0x90002000, 0x1000,
				     WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED);
	a.n_mem = 6;
	b.n_mem = 5;
	/* No conflict: each peer has the device. */
	/* Both say they are peer 0 of the link */
	EXPECT_SET("two cells with one peer id", &sys, 2, CELLS(&a, &b),
		   "1 error [ivshmem] cell 'other': ivshmem 00:05.0: peer id 0 is cell 'demo' too");
	/* Two peers: state table, common region, the outputs of peers 0 and 1 */
	a.pci[0].shmem_peers = b.pci[0].shmem_peers = 2;
	b.pci[0].shmem_dev_id = 1;
	a.mem[5].flags = WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED;
	a.mem[6] = b.mem[5] = region(0x7f003000, 0x90003000, 0x1000,
				     WD_MEM_READ | WD_MEM_ROOTSHARED);
	b.mem[4].flags = WD_MEM_READ | WD_MEM_ROOTSHARED;
	b.mem[5].flags |= WD_MEM_WRITE;
	a.n_mem = 7;
	b.n_mem = 6;
	EXPECT_SET("an ivshmem device is in every peer", &sys, 2, CELLS(&a, &b), CLEAN);
	b.mem[5].phys_start = 0x7f004000;
	EXPECT_SET("peers naming different memory", &sys, 2, CELLS(&a, &b),
		   "1 error [ivshmem] cell 'other': ivshmem 00:05.0: memory region #5 is phys 0x7f004000 size 0x1000, cell 'demo' has phys 0x7f003000 size 0x1000 there");

	good_cell(&a);
	good_cell(&b);
	other_cell(&b);
	strcpy(b.sys.root_cell.name, "demo");
	EXPECT_SET("two cells with one name", &sys, 2, CELLS(&a, &b),
		   "1 error [name] two cells are named 'demo'");
	strcpy(b.sys.root_cell.name, "test-root");
	EXPECT_SET("cell with the root cell's name", &sys, 2, CELLS(&a, &b),
		   "1 error [name] cell 'test-root': the root cell has the same name");
}

/* Warnings of single configurations, which only the set check reports. */
static void test_warnings(void)
{
	struct spec sys, a;

	good_system(&sys);
	good_cell(&a);
	a.n_mem = 2;	/* no comm region */
	EXPECT_SET("no comm region, not passive", &sys, 1, CELLS(&a),
		   "0 warning [comm-region] cell 'demo': no comm region, and the cell is not passive (PASSIVE_COMMREG): it cannot be asked before a shutdown, it is stopped without asking");
	a.sys.root_cell.flags = WD_CELL_PASSIVE_COMMREG;
	EXPECT_SET("no comm region, passive", &sys, 1, CELLS(&a), CLEAN);
	good_cell(&a);
	a.mem[2].size = 0x2000;
	EXPECT_SET("comm region of two pages", &sys, 1, CELLS(&a),
		   "0 warning [comm-region] cell 'demo': comm region #2 is 0x2000 bytes, but the hypervisor maps one page (0x1000) there");
	good_cell(&a);
	a.mem[0].flags &= ~(__u64)WD_MEM_LOADABLE;
	EXPECT_SET("nothing loadable", &sys, 1, CELLS(&a),
		   "0 warning [loadable] cell 'demo': no memory region is LOADABLE: no image can be loaded into the cell");
	good_cell(&a);
	a.sys.root_cell.cpu_reset_address = 0x10000;
	EXPECT_SET("entry outside the cell's memory", &sys, 1, CELLS(&a),
		   "0 warning [entry] cell 'demo': cpu_reset_address 0x10000 is not in executable memory of the cell: its first instruction faults");
	a.sys.root_cell.cpu_reset_address = 0x09040000;
	EXPECT_SET("entry in an I/O region", &sys, 1, CELLS(&a),
		   "0 warning [entry] cell 'demo': cpu_reset_address 0x9040000 is not in executable memory of the cell: its first instruction faults");
	good_cell(&a);
	a.sys.root_cell.console.type = WD_CON_TYPE_NONE;
	EXPECT_SET("no console at all", &sys, 1, CELLS(&a),
		   "0 warning [console] cell 'demo': no console (type NONE) and no VIRTUAL_CONSOLE_PERMITTED: the cell cannot print");
	a.sys.root_cell.flags = WD_CELL_VIRTUAL_CONSOLE_PERMITTED;
	EXPECT_SET("only the hypervisor's console", &sys, 1, CELLS(&a), CLEAN);
	good_cell(&a);
	a.sys.root_cell.console.address = 0x09050000;
	EXPECT_SET("console not mapped", &sys, 1, CELLS(&a),
		   "0 warning [console] cell 'demo': console PL011 at 0x9050000 (size 0x1000) is not in a memory region of the cell: it cannot reach it");
	good_cell(&a);
	a.sys.root_cell.flags = WD_CELL_VIRTUAL_CONSOLE_ACTIVE;
	EXPECT_SET("virtual console active, not permitted", &sys, 1, CELLS(&a),
		   "0 warning [cell-flags] cell 'demo': VIRTUAL_CONSOLE_ACTIVE without VIRTUAL_CONSOLE_PERMITTED: its console hypercalls are refused");
	good_cell(&a);
	a.pio[0].base = 0x3f8;
	a.pio[0].length = 8;
	a.n_pio = 1;
	a.n_cache = 2;
	EXPECT_SET("x86-only arrays", &sys, 1, CELLS(&a),
		   "0 warning [unused] cell 'demo': 1 PIO regions: arm64 has no port I/O, they are ignored",
		   "0 warning [unused] cell 'demo': 2 cache regions: cache partitioning is not supported, they are ignored");
	good_cell(&a);
	a.mem[1].flags |= WD_MEM_EXECUTE;
	EXPECT_SET("executable I/O", &sys, 1, CELLS(&a),
		   "0 warning [mem-flags] cell 'demo': memory region #1 (phys 0x9040000-0x9040fff) is both IO and EXECUTE");

	good_system(&sys);
	sys.mem[2].flags |= WD_MEM_LOADABLE;
	sys.mem[3] = region(0x40000000, 0x90000000, 0x1000, RWXD);
	EXPECT_SET("root cell warnings", &sys, 0, CELLS(NULL),
		   "-1 warning [loadable] memory region #2 (phys 0x70000000-0x7fbfffff) is LOADABLE, but the root cell is never loaded",
		   "-1 warning [mem-overlap] memory regions #0 (phys 0x40000000-0x6fffffff) and #3 (phys 0x40000000-0x40000fff) overlap in host-physical space: the same memory appears twice");
	good_system(&sys);
	sys.mem[3] = region(0, 0x80000000, 0x1000, WD_MEM_READ | WD_MEM_COMM_REGION);
	EXPECT_SET("root cell comm region", &sys, 0, CELLS(NULL),
		   "-1 warning [comm-region] memory region #3 is a comm region: the root cell has none, it is ignored");
	good_system(&sys);
	sys.sys.platform.arm.gic_version = 2;
	sys.sys.platform.arm.gicr_base = 0;
	sys.sys.platform.arm.gicc_base = 0x08010000;
	sys.sys.platform.arm.gich_base = 0x08030000;
	sys.sys.platform.arm.gicv_base = 0x08040000;
	EXPECT_SET("GICv2 system", &sys, 0, CELLS(NULL),
		   "-1 warning [gic] GICv2 (distributor at 0x8000000): Warden's hypervisor supports GICv3 only, 'warden enable' will refuse this configuration");
}

/* All findings, not the first only; broken blobs are reported and left out. */
static void test_all_findings(void)
{
	static __u8 sys_buf[MAX_BLOB], a_buf[MAX_BLOB], b_buf[MAX_BLOB];
	struct spec sys, a, b;
	struct findings f;
	const void *blobs[2];
	size_t lens[2], sys_len;
	unsigned int errors;

	good_system(&sys);
	sys.sys.hypervisor_memory.size = 0x10000;
	sys.sys.platform.arm.maintenance_irq = 40;
	good_cell(&a);
	a.mem[0].virt_start = 0x800;
	a.mem[1].flags |= WD_MEM_LOADABLE;
	a.cpus[0] = 0x12;
	EXPECT_SET("every error of every blob", &sys, 1, CELLS(&a),
		   "-1 error [hv-memory] hypervisor memory 0x7fc00000-0x7fc0ffff is 64 KiB, less than the 1024 KiB minimum",
		   "-1 error [gic] GIC maintenance interrupt 40 is not a PPI (16-31)",
		   "0 error [mem-alignment] cell 'demo': memory region #0 virt_start 0x800 is not page aligned",
		   "0 error [loadable] cell 'demo': memory region #1 (phys 0x9040000-0x9040fff) is LOADABLE and IO: images are loaded into RAM only",
		   "0 warning [entry] cell 'demo': cpu_reset_address 0x0 is not in executable memory of the cell: its first instruction faults",
		   "0 error [cpu-not-in-root] cell 'demo': CPU 4 is not in the root cell");

	good_system(&sys);
	good_cell(&a);
	other_cell(&b);
	b.cpus[0] = 0x2;
	sys_len = build(&sys, SYS, sys_buf);
	lens[0] = build(&a, CELL, a_buf);
	lens[1] = build(&b, CELL, b_buf);
	blobs[0] = a_buf;
	blobs[1] = b_buf;
	errors = run_blobs(sys_buf, sys_len, blobs, lens, 2, &f);
	{
		const char *const want[] = {
			"1 error [cpu-conflict] cells 'demo' and 'other' both use CPU 1", NULL };

		expect_findings("conflict found before a blob breaks", &f, errors, want);
	}
	lens[0] -= 4;
	errors = run_blobs(sys_buf, sys_len, blobs, lens, 2, &f);
	{
		const char *const want[] = {
			"0 error [size-mismatch] cell arrays need 268 bytes but the file has 264",
			NULL };

		expect_findings("a truncated cell is reported and left out", &f, errors, want);
	}
	errors = run_blobs(sys_buf, 300, blobs + 1, lens + 1, 1, &f);
	{
		const char *const want[] = {
			"-1 error [truncated] system configuration is 300 bytes, shorter than its 488-byte header",
			NULL };

		expect_findings("a truncated system: the cell is checked alone", &f, errors, want);
	}
	errors = run_blobs(b_buf, lens[1], blobs, lens, 1, &f);
	{
		const char *const want[] = {
			"-1 error [signature] signature \"JHCLL\" is not \"JHSYS\" (this is a cell configuration, not a system configuration)",
			"0 error [size-mismatch] cell arrays need 268 bytes but the file has 264",
			NULL };

		expect_findings("a cell given as the system", &f, errors, want);
	}
}

/*
 * Random corruption of a whole set (seeded): never a read outside a blob
 * (run with a sanitizer), every finding a line, errors counted right.
 */
static void test_set_mutations(void)
{
	static __u8 good[3][MAX_BLOB], buf[3][MAX_BLOB];
	struct spec s;
	struct findings f;
	size_t n[3], len[3];
	const void *blobs[2] = { buf[1], buf[2] };
	__u32 rng = 4242;
	unsigned int i, k, j, bad = 0, flagged = 0;

	good_system(&s);
	n[0] = build(&s, SYS, good[0]);
	good_cell(&s);
	n[1] = build(&s, CELL, good[1]);
	other_cell(&s);
	n[2] = build(&s, CELL, good[2]);

	for (i = 0; i < 5000; i++) {
		unsigned int errors, lines = 0;

		for (j = 0; j < 3; j++) {
			memcpy(buf[j], good[j], n[j]);
			len[j] = n[j];
		}
		for (k = 0; k < 1 + i % 6; k++) {
			rng = rng * 1103515245 + 12345;
			j = (rng >> 24) % 3;
			rng = rng * 1103515245 + 12345;
			buf[j][(rng >> 8) % len[j]] ^= (__u8)(1u << ((rng >> 4) & 7));
		}
		rng = rng * 1103515245 + 12345;
		if ((rng >> 16) % 8 == 0)
			len[(rng >> 3) % 3] = (rng >> 5) % 600;
		errors = run_blobs(buf[0], len[0], blobs, len + 1, 2, &f);
		for (j = 0; j < f.n && j < MAX_FINDINGS; j++)
			if (strstr(f.line[j], " error ["))
				lines++;
		if (f.n <= MAX_FINDINGS && errors != lines)
			bad++;
		if (errors)
			flagged++;
	}
	CHECK("mutated sets: the errors returned are the errors reported", bad == 0);
	CHECK("mutated sets: most are flagged", flagged > 5000 / 2);
}

/* ---- The shipped configurations and the tool, from the build in out/ */

static char out_dir[4096];

static int read_blob(const char *name, __u8 *buf, size_t *len)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/configs/%s", out_dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	*len = fread(buf, 1, MAX_BLOB * 4, f);
	fclose(f);
	return 0;
}

static void test_shipped(void)
{
	static __u8 root[MAX_BLOB * 4], cell[4][MAX_BLOB * 4];
	static const char *const demos[] = {
		"qemu-uart-demo.cell", "qemu-gic-demo.cell", "qemu-smp-demo.cell",
		"qemu-attack.cell",
	};
	struct findings f;
	const void *blobs[2];
	size_t root_len, lens[4];
	unsigned int i, errors;
	char label[400];
	int missing = read_blob("qemu-arm64.cell", root, &root_len);

	for (i = 0; i < 4; i++)
		missing |= read_blob(demos[i], cell[i], &lens[i]);
	CHECK("the shipped configurations are built (out/configs)", !missing);
	if (missing)
		return;

	for (i = 0; i < 4; i++) {
		blobs[0] = cell[i];
		errors = run_blobs(root, root_len, blobs, &lens[i], 1, &f);
		snprintf(label, sizeof(label), "qemu-arm64 + %s: no finding (%s)", demos[i],
			 f.n ? f.line[0] : "");
		CHECK(label, errors == 0 && f.n == 0);
	}
	/* The cells tests/qemu/60-isolation.sh runs together */
	blobs[0] = cell[0];
	blobs[1] = cell[3];
	lens[1] = lens[3];
	errors = run_blobs(root, root_len, blobs, lens, 2, &f);
	snprintf(label, sizeof(label), "qemu-arm64 + uart-demo + attack: no finding (%s)",
		 f.n ? f.line[0] : "");
	CHECK(label, errors == 0 && f.n == 0);
	/* uart-demo and gic-demo are alternatives: same CPU, memory, UART and SPI */
	read_blob(demos[1], cell[1], &lens[1]);
	blobs[1] = cell[1];
	errors = run_blobs(root, root_len, blobs, lens, 2, &f);
	{
		const char *const want[] = {
			"1 error [cpu-conflict] cells 'uart-demo' and 'gic-demo' both use CPU 3",
			"1 error [mem-conflict] cell 'gic-demo': memory region #0 (phys 0x7fa00000-0x7fa0ffff) overlaps memory region #0 (phys 0x7fa00000-0x7fa0ffff) of cell 'uart-demo'",
			"1 error [mem-conflict] cell 'gic-demo': memory region #1 (phys 0x9040000-0x9040fff) overlaps memory region #1 (phys 0x9040000-0x9040fff) of cell 'uart-demo'",
			"1 error [irq-conflict] cells 'uart-demo' and 'gic-demo' both claim SPI 40",
			NULL };

		expect_findings("qemu-arm64 + uart-demo + gic-demo conflict", &f, errors, want);
	}
}

/* Runs @cmd with a shell; its stdout into @buf, its exit status returned. */
static int run_cmd(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n;
	int st;

	if (!p)
		return -1;
	n = fread(buf, 1, len - 1, p);
	buf[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_tool(void)
{
	static __u8 blob[MAX_BLOB];
	char cmd[9000], out[8192], tool[4200], tmp[] = "/tmp/wd-config-set-XXXXXX";
	struct spec s;
	size_t n;
	FILE *f;
	int fd, st;

	snprintf(tool, sizeof(tool), "%s/host/warden", out_dir);
	CHECK("the host tool is built (out/host/warden)", access(tool, X_OK) == 0);
	if (access(tool, X_OK) != 0)
		return;

	snprintf(cmd, sizeof(cmd),
		 "cd %s/configs && %s config check qemu-arm64.cell qemu-uart-demo.cell qemu-attack.cell",
		 out_dir, tool);
	st = run_cmd(cmd, out, sizeof(out));
	CHECK_EQ("tool: a clean set exits 0", st, 0);
	CHECK_STR("tool: a clean set", out,
		  "qemu-arm64.cell: ok\nqemu-uart-demo.cell: ok\nqemu-attack.cell: ok\n"
		  "config check: 3 files, 0 errors, 0 warnings\n");

	snprintf(cmd, sizeof(cmd),
		 "cd %s/configs && %s config check qemu-gic-demo.cell qemu-arm64.cell qemu-smp-demo.cell",
		 out_dir, tool);
	st = run_cmd(cmd, out, sizeof(out));
	CHECK_EQ("tool: a conflicting set exits 1", st, 1);
	CHECK_STR("tool: a conflicting set, any file order", out,
		  "qemu-smp-demo.cell: error: [cpu-conflict] cells 'gic-demo' and 'smp-demo' both use CPU 3\n"
		  "qemu-smp-demo.cell: error: [mem-conflict] cell 'smp-demo': memory region #1 (phys 0x9040000-0x9040fff) overlaps memory region #1 (phys 0x9040000-0x9040fff) of cell 'gic-demo'\n"
		  "qemu-gic-demo.cell: ok\nqemu-arm64.cell: ok\n"
		  "config check: 3 files, 2 errors, 0 warnings\n");

	/* A cell with only a warning: passes, unless --strict */
	good_cell(&s);
	s.sys.root_cell.console.type = WD_CON_TYPE_NONE;
	n = build(&s, CELL, blob);
	fd = mkstemp(tmp);
	f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	CHECK("tool: temporary cell file", f && fwrite(blob, 1, n, f) == n);
	if (f)
		fclose(f);
	snprintf(cmd, sizeof(cmd), "%s config check %s", tool, tmp);
	st = run_cmd(cmd, out, sizeof(out));
	CHECK_EQ("tool: a warning alone exits 0", st, 0);
	snprintf(cmd, sizeof(cmd), "%s config check --strict %s", tool, tmp);
	st = run_cmd(cmd, out, sizeof(out));
	CHECK_EQ("tool: a warning with --strict exits 1", st, 1);
	snprintf(cmd, sizeof(cmd),
		 "%s: warning: [console] cell 'demo': no console (type NONE) and no VIRTUAL_CONSOLE_PERMITTED: the cell cannot print\n"
		 "config check: 1 file, 0 errors, 1 warning (--strict: warnings fail)\n", tmp);
	CHECK_STR("tool: the warning line and summary", out, cmd);
	unlink(tmp);

	snprintf(cmd, sizeof(cmd), "%s config check --bogus 2>/dev/null", tool);
	CHECK_EQ("tool: unknown option exits 2", run_cmd(cmd, out, sizeof(out)), 2);
	snprintf(cmd, sizeof(cmd), "%s config check --help", tool);
	st = run_cmd(cmd, out, sizeof(out));
	CHECK("tool: --help describes the command",
	      st == 0 && strstr(out, "usage: warden config check [--strict]"));
}

int main(int argc, char **argv)
{
	char *slash;

	/* argv[0] is OUT/tests/unit/test-config-set; without that, ./out */
	(void)argc;
	if (!realpath(argv[0], out_dir) || !(slash = strstr(out_dir, "/tests/unit/")) ||
	    strchr(slash + strlen("/tests/unit/"), '/')) {
		if (!realpath("out", out_dir))
			snprintf(out_dir, sizeof(out_dir), "out");
	} else {
		*slash = 0;
	}

	test_clean();
	test_cpus();
	test_memory();
	test_interrupts();
	test_devices_and_names();
	test_warnings();
	test_all_findings();
	test_set_mutations();
	test_shipped();
	test_tool();
	return CHECK_DONE();
}
