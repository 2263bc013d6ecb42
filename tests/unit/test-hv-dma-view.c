/*
 * Host unit tests of a cell's DMA view (hypervisor/core/dma-view.c, the
 * paging mirror in core/paging.c, the hooks in cell-cpus.c and
 * cell-destroy.c) on the fake machine of test-hv-mgmt-dma.c, with a fake
 * IOMMU driver that records which tables the cell's streams are given.
 *
 * Checked, on a 48-bit (one root table, start level 0) and a 40-bit (two
 * concatenated roots, start level 1) stage 2: the CPUs' stage 2 never maps
 * the doorbell page, not even after it was mapped for the devices (their
 * root and shape unchanged, no shared table written); the view maps it,
 * device read/write, at the start of the highest root slot, plus exactly
 * what the CPUs map; the same page again is the same IPA at no cost; a
 * later change of the CPUs' root reaches the view; revoking and restoring
 * the CPUs' root reach it, the private page included; the streams are
 * re-pointed once, to the finished view; at destroy the streams abort while
 * the view still exists and the pool gets back exactly what the view took;
 * refusals (slot used by a region or by the CPUs' tables, bad addresses,
 * the root cell) name the cell and the cause and cost nothing.
 */
#include <stdarg.h>
#include "check.h"
#include "../../hypervisor/core/pool.c"
#include "../../hypervisor/core/paging.c"
#include "../../hypervisor/arch/arm64/paging-format.c"
#include "../../common/config-check.c"
#include "../../hypervisor/core/cell.c"
#include "../../hypervisor/core/cell-cpus.c"
#include "../../hypervisor/core/dma-view.c"
#include "../../hypervisor/core/cell-mgmt-caller.c"
#include "../../hypervisor/core/cell-config-copy.c"
#include "../../hypervisor/core/cell-check.c"
#include "../../hypervisor/core/cell-create.c"
#include "../../hypervisor/core/cell-root-memory.c"
#include "../../hypervisor/core/cell-comm.c"
#include "../../hypervisor/core/cell-start-stop.c"
#include "../../hypervisor/core/cell-destroy.c"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/core/vpci.c"
#include "vpci-phys-none.h"
#include "../../hypervisor/core/ivshmem.c"
#include "../../hypervisor/core/ivshmem-fast.c"
#include "../../hypervisor/core/iommu.c"
#include "hv-fake.h"

#define MiB		(1ULL << 20)
#define RAM_PAGES	2048		/* 8 MiB */
#define POOL_PAGES	1024
#define CELL_RAM	(4 * MiB)
#define TOP_SLOT_IPA	(511ULL << 39)	/* 48 bits, start level 0 */
#define TOP_SLOT_IPA40	(511ULL << 30)	/* 40 bits, start level 1, 2 roots: the first root table's last slot */

/* ---- the fake machine (as test-hv-mgmt-dma.c) ----------------------------- */

struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct page_pool remap_pool;
const struct wd_system_config *system_config;
struct wd_console_ring console_ring __aligned(4096);
struct wd_reason reason_record;
volatile bool hypervisor_shutting_down;
bool disable_in_progress;

static char last_reason[256], log_text[8192];
static u64 now;
static u8 *ram, *io_page, *its_page;
static unsigned int cell_ipa_bits = 48;	/* the cells' stage-2 geometry */

struct per_cpu *this_cpu(void) { return &per_cpu_area[0]; }
u64 timer_ticks(void) { return now += 100; }
u64 timer_ticks_per_sec(void) { return 1000000; }

#include "log-fake.h"

static void fake_park(struct per_cpu *t)
{
	t->run_state = CPU_PARKED;
	t->park_requested = false;
}

void cpu_park(struct per_cpu *pc) { fake_park(pc); }

void arch_wake_cpu(struct per_cpu *t)
{
	if (t->cpu_id < 2) {
		if (t->suspend_requested)
			t->suspended = true;
	} else if (t->park_requested) {
		fake_park(t);
	}
}

int arch_stage2_init(struct paging *pg)
{
	struct stage2_geometry geo;

	paging_stage2_geometry(cell_ipa_bits, &geo);
	return paging_init(pg, &stage2_paging_format, geo.start_level, geo.ia_bits);
}

int arch_cell_create(struct cell *cell)
{
	int err = arch_stage2_init(&cell->stage2);

	if (!err)
		iommu_cell_attach(cell);
	return err;
}
void arch_cell_destroy(struct cell *cell) { iommu_cell_detach(cell); }
void arch_cell_tlb_flush(struct cell *cell) { iommu_tlb_flush(cell); }
void arch_cell_init(struct cell *cell) { }
unsigned int arch_phys_bits(void) { return 48; }
int arch_cell_check(const struct wd_cell_desc *config) { return iommu_cell_check(config); }
void arch_global_exit(void) { }
void arch_irq_reset(unsigned int irq, struct cell *owner) { }
void *arch_map_temp(u64 phys, u64 size) { return (void *)(uintptr_t)phys; }
void arch_unmap_temp(void *virt, u64 size) { }
void dcache_clean_inval_range(u64 start, u64 size) { }
void arch_scrub_memory(void *va, u64 size) { memset(va, 0, size); }
void arch_vpci_raise_spi(unsigned int irq) { }
u64 arch_vpci_msi_doorbell(void) { return 0; }
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data) { }

/* ---- the fake IOMMU: which tables the streams got, and when --------------- */

static struct {
	unsigned int dma_root_calls, aborts, flushes;
	u64 *stream_root;		/* what the cell's streams translate with */
	bool view_complete;		/* the doorbell was mapped when they got it */
	bool view_alive_at_abort;	/* the view's tables still there at abort */
	bool view_alive_at_detach;
} io;
static u64 doorbell_phys;

static void fake_attach(struct cell *cell) { io.stream_root = dma_view_root(cell); }
static void fake_detach(struct cell *cell)
{
	io.view_alive_at_detach = cell->dma_view != NULL;
	io.stream_root = NULL;
}

static unsigned int fake_abort(struct cell *cell)
{
	io.aborts++;
	io.view_alive_at_abort = cell->dma_view != NULL &&
		paging_virt2phys(&cell->dma_view->tables, cell_ipa_bits == 48 ?
				 TOP_SLOT_IPA : TOP_SLOT_IPA40, NULL) == doorbell_phys;
	io.stream_root = NULL;
	return cell->config->num_stream_ids;
}

static void fake_dma_root(struct cell *cell)
{
	io.dma_root_calls++;
	io.stream_root = dma_view_root(cell);
	io.view_complete = cell->dma_view &&
		paging_virt2phys(&cell->dma_view->tables,
				 cell->dma_view->tables.ia_bits == 48 ? TOP_SLOT_IPA : TOP_SLOT_IPA40,
				 NULL) == doorbell_phys;
}

static void fake_tlb_flush(const struct cell *cell) { io.flushes++; }

static const struct iommu_ops fake_iommu = {
	.name = "fake",
	.cell_attach = fake_attach,
	.cell_detach = fake_detach,
	.cell_abort = fake_abort,
	.cell_dma_root = fake_dma_root,
	.tlb_flush = fake_tlb_flush,
};

/* ---- configurations ------------------------------------------------------- */

static struct {
	struct wd_system_config sys;
	u64 cpus[1];
	struct wd_mem_region mem[2];
	struct wd_stream_id sids[2];
} __attribute__((packed)) sys;

struct test_cell {
	struct wd_cell_desc desc;
	u64 cpus[1];
	struct wd_mem_region mem[3];
	struct wd_stream_id sids[1];
} __attribute__((packed));

static u64 phys_of(const void *p) { return (u64)(uintptr_t)p; }

static void machine_setup(void)
{
	unsigned int cpu;

	fake_pool_setup(&mem_pool, POOL_PAGES, 4096, 0);
	ram = fake_pages(RAM_PAGES, 2 * MiB, 0);
	io_page = fake_pages(1, 4096, 0);
	its_page = fake_pages(2, 4096, 0);	/* two doorbells: two ITS units */
	memset(ram, 0, RAM_PAGES * 4096ULL);
	doorbell_phys = phys_of(its_page);

	memcpy(sys.sys.root_cell.signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	sys.sys.root_cell.revision = WD_CONFIG_REVISION;
	sys.sys.root_cell.architecture = WD_ARCH_ARM64;
	strcpy(sys.sys.root_cell.name, "root");
	sys.sys.root_cell.cpu_set_size = 8;
	sys.sys.root_cell.num_memory_regions = 2;
	sys.sys.root_cell.num_stream_ids = 2;
	sys.sys.hypervisor_memory.phys_start = 0x1000;
	sys.sys.hypervisor_memory.size = 0x1000;
	sys.cpus[0] = 0xf;
	sys.mem[0] = (struct wd_mem_region){ phys_of(ram), phys_of(ram),
		RAM_PAGES * 4096ULL, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE };
	sys.mem[1] = (struct wd_mem_region){ phys_of(io_page), phys_of(io_page),
		4096, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	sys.sids[0].id = 0x8;
	sys.sids[1].id = 0x10;
	system_config = &sys.sys;
	CHECK_EQ("setup: root cell", root_cell_init(&sys.sys), 0);

	for (cpu = 0; cpu < 4; cpu++) {
		struct per_cpu *t = per_cpu(cpu);

		t->cpu_id = cpu;
		t->mpidr = cpu;
		t->cell = &root_cell;
		t->initialized = true;
		t->run_state = cpu < 2 ? CPU_RUNNING : CPU_PARKED;
	}
}

/*
 * A cell on CPU 2: 64 KiB of RAM at IPA 0, the comm page at 0x80000000, a
 * device page at @io_ipa (the root's io page) and stream id 0x8.
 */
static struct test_cell *put_cell(const char *cname, u64 io_ipa)
{
	struct test_cell *c = (struct test_cell *)(ram + 0x100);

	memset(c, 0, sizeof(*c));
	memcpy(c->desc.signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	c->desc.revision = WD_CONFIG_REVISION;
	c->desc.architecture = WD_ARCH_ARM64;
	strncpy(c->desc.name, cname, sizeof(c->desc.name) - 1);
	c->desc.cpu_set_size = 8;
	c->desc.num_memory_regions = 3;
	c->desc.num_stream_ids = 1;
	c->cpus[0] = 0x4;
	c->mem[0] = (struct wd_mem_region){ phys_of(ram) + CELL_RAM, 0, 0x10000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_LOADABLE };
	c->mem[1] = (struct wd_mem_region){ 0, 0x80000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION };
	c->mem[2] = (struct wd_mem_region){ phys_of(io_page), io_ipa, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	c->sids[0].id = 0x8;
	return c;
}

static struct cell *create(const char *name, u64 io_ipa)
{
	long id = cell_create(per_cpu(0), phys_of(put_cell(name, io_ipa)));

	if (id <= 0) {
		printf("# create '%s': %ld: %s\n", name, id, last_reason);
		return NULL;
	}
	return cell_by_id((unsigned int)id);
}

static bool same_translation(const struct paging *a, const struct paging *b, u64 ipa)
{
	u32 fa = 0, fb = 0;
	u64 pa = paging_virt2phys(a, ipa, &fa), pb = paging_virt2phys(b, ipa, &fb);

	return pa == pb && fa == fb;
}

/* Every root entry but the private slot's is the CPUs' one. */
static bool roots_agree(const struct cell *cell)
{
	const struct dma_view *v = cell->dma_view;
	unsigned int n;

	for (n = 0; n < cell->stage2.root_pages * PAGING_ENTRIES; n++)
		if (n != v->slot && v->tables.root[n] != cell->stage2.root[n])
			return false;
	return true;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_view(unsigned int bits, u64 slot_ipa, unsigned int private_pages)
{
	char name[32], what[160];
	struct paging_shape before, after;
	u64 root_copy[2 * PAGING_ENTRIES], used0 = mem_pool.used, used1, ipa = 0, ipa2 = 0;
	u64 spare = phys_of(ram) + 6 * MiB;	/* a root page the CPUs map later */
	unsigned int root_bytes;
	struct cell *cell;
	struct paging *view;
	u32 flags = 0;
	int err;

#define T(s) (snprintf(what, sizeof(what), "%u bits: %s", bits, s), what)
	cell_ipa_bits = bits;
	snprintf(name, sizeof(name), "msi%u", bits);
	memset(&io, 0, sizeof(io));
	cell = create(name, 0x90000000);
	CHECK(T("created"), cell != NULL);
	if (!cell)
		return;
	root_bytes = cell->stage2.root_pages * PAGE_SIZE;
	CHECK(T("without a view the streams use the CPUs' tables"),
	      io.stream_root == cell->stage2.root && dma_view_root(cell) == cell->stage2.root);
	paging_get_shape(&cell->stage2, &before);
	memcpy(root_copy, cell->stage2.root, root_bytes);
	used1 = mem_pool.used;
	log_text[0] = 0;

	err = dma_view_map_page(cell, doorbell_phys, &ipa);
	CHECK_EQ(T("the doorbell is mapped for the devices"), err, 0);
	if (err) {
		printf("# %s\n", last_reason);
		return;
	}
	view = &cell->dma_view->tables;
	CHECK_EQ(T("... at the start of the highest root slot"), ipa, slot_ipa);
	CHECK(T("... the view has the CPUs' geometry"),
	      view->start_level == cell->stage2.start_level &&
	      view->ia_bits == cell->stage2.ia_bits &&
	      view->root_pages == cell->stage2.root_pages &&
	      IS_ALIGNED((u64)(uintptr_t)view->root, root_bytes));
	CHECK(T("the view maps it, device read/write"),
	      paging_virt2phys(view, ipa + 0x40, &flags) == doorbell_phys + 0x40 &&
	      flags == (PAGE_RW | PAGE_DEVICE));
	CHECK_EQ(T("the CPUs' stage 2 does not"),
		 paging_virt2phys(&cell->stage2, ipa, NULL), INVALID_PHYS_ADDR);
	paging_get_shape(&cell->stage2, &after);
	CHECK(T("... its root and shape are unchanged (no shared table written)"),
	      !memcmp(root_copy, cell->stage2.root, root_bytes) &&
	      !memcmp(&before, &after, sizeof(before)));
	CHECK(T("the view maps what the CPUs map (RAM, comm page, device page)"),
	      paging_virt2phys(view, 0x8000, NULL) == phys_of(ram) + CELL_RAM + 0x8000 &&
	      same_translation(view, &cell->stage2, 0) &&
	      same_translation(view, &cell->stage2, 0xf000) &&
	      same_translation(view, &cell->stage2, 0x80000000) &&
	      same_translation(view, &cell->stage2, 0x90000000) &&
	      same_translation(view, &cell->stage2, 0x10000) && roots_agree(cell));
	CHECK_EQ(T("the view took its root, its state and its private tables only"),
		 mem_pool.used - used1, cell->stage2.root_pages + 1 + private_pages);
	CHECK(T("the streams were re-pointed once, to the finished view"),
	      io.dma_root_calls == 1 && io.stream_root == view->root && io.view_complete);
	snprintf(what, sizeof(what), "cell '%s': page 0x%llx reachable by its devices only, at IPA 0x%llx",
		 name, (unsigned long long)doorbell_phys, (unsigned long long)slot_ipa);
	CHECK(T("one log line names the cell, the page and the IPA"), strstr(log_text, what) != NULL);

	used1 = mem_pool.used;
	log_text[0] = 0;
	CHECK(T("the same page again: the same IPA"),
	      dma_view_map_page(cell, doorbell_phys, &ipa2) == 0 && ipa2 == ipa);
	CHECK(T("... nothing allocated, nothing logged, the streams left alone"),
	      mem_pool.used == used1 && !log_text[0] && io.dma_root_calls == 1);
	CHECK(T("a second ITS's page: the next IPA, no new table"),
	      dma_view_map_page(cell, doorbell_phys + PAGE_SIZE, &ipa2) == 0 &&
	      ipa2 == ipa + PAGE_SIZE && mem_pool.used == used1 &&
	      paging_virt2phys(view, ipa2, NULL) == doorbell_phys + PAGE_SIZE &&
	      paging_virt2phys(&cell->stage2, ipa2, NULL) == INVALID_PHYS_ADDR);

	/* A later change of the CPUs' root: a new root entry and its removal. */
	CHECK_EQ(T("the CPUs' stage 2 gets a page in an empty root slot"),
		 paging_map(&cell->stage2, 5ULL << paging_level_shift(cell->stage2.start_level),
			    spare, PAGE_SIZE, PAGE_RW, false), 0);
	CHECK(T("... the view maps it too"),
	      paging_virt2phys(view, 5ULL << paging_level_shift(view->start_level), NULL) == spare &&
	      roots_agree(cell));
	CHECK_EQ(T("... unmapped again"),
		 paging_unmap(&cell->stage2, 5ULL << paging_level_shift(cell->stage2.start_level),
			      PAGE_SIZE), 0);
	CHECK(T("... gone from the view, its table freed once"),
	      paging_virt2phys(view, 5ULL << paging_level_shift(view->start_level), NULL) ==
	      INVALID_PHYS_ADDR && roots_agree(cell) && mem_pool.used == used1);

	/* Revoke (a CPU that does not park) and restore reach the view. */
	io.flushes = 0;
	stage2_revoke(cell);
	CHECK(T("revoked: the devices lose the RAM"),
	      paging_virt2phys(view, 0x8000, NULL) == INVALID_PHYS_ADDR && roots_agree(cell));
	CHECK_EQ(T("... and the doorbell"), paging_virt2phys(view, ipa, NULL), INVALID_PHYS_ADDR);
	CHECK(T("... the units' TLBs flushed after"), io.flushes >= 1);
	CHECK_EQ(T("... no page can be added meanwhile"),
		 dma_view_map_page(cell, doorbell_phys + 2 * PAGE_SIZE, &ipa2), -EBUSY);
	CHECK(T("... saying why"), strstr(last_reason, "revoked") && strstr(last_reason, name));
	cell_stage2_restore(cell);
	CHECK(T("restored: the devices have the RAM and the doorbell again"),
	      same_translation(view, &cell->stage2, 0x8000) && roots_agree(cell) &&
	      paging_virt2phys(view, ipa, NULL) == doorbell_phys &&
	      paging_virt2phys(&cell->stage2, ipa, NULL) == INVALID_PHYS_ADDR);

	/* Destroy: streams abort first, the view goes after; the pool is whole. */
	CHECK_EQ(T("destroy"), cell_destroy(per_cpu(0), cell->id), 0);
	CHECK(T("the streams aborted while the view still existed"),
	      io.aborts == 1 && io.view_alive_at_abort && io.view_alive_at_detach);
	CHECK_EQ(T("the pool got back everything"), mem_pool.used, used0);
#undef T
}

static void test_refusals(void)
{
	u64 used0 = mem_pool.used, used1, ipa = 0;
	struct cell *cell;

	cell_ipa_bits = 48;
	memset(&io, 0, sizeof(io));
	/* A configuration that puts a device page in the private slot. */
	cell = create("high", TOP_SLOT_IPA + 0x7f00000000ULL);
	CHECK("slot: a cell with a region in the highest slot is created", cell != NULL);
	if (cell) {
		used1 = mem_pool.used;
		CHECK_EQ("slot: a region there: no view",
			 dma_view_map_page(cell, doorbell_phys, &ipa), -EBUSY);
		CHECK("slot: ... naming the cell, the region and the range",
		      strstr(last_reason, "cell 'high': IPA 0xff8000000000-0xffffffffffff, which its devices' private pages need, is used by its memory region #2: no DMA view"));
		CHECK("slot: ... nothing allocated, the streams untouched",
		      mem_pool.used == used1 && !cell->dma_view && io.dma_root_calls == 0 &&
		      dma_view_root(cell) == cell->stage2.root && !cell->stage2.mirror);
		CHECK_EQ("slot: destroyed", cell_destroy(per_cpu(0), cell->id), 0);
	}

	/* The CPUs' tables use the slot (outside the configuration). */
	cell = create("cpus", 0x90000000);
	if (!cell)
		return;
	CHECK_EQ("slot: the CPUs' tables map a page there",
		 paging_map(&cell->stage2, TOP_SLOT_IPA + 0x1000, phys_of(ram) + 6 * MiB,
			    PAGE_SIZE, PAGE_RW, false), 0);
	used1 = mem_pool.used;
	CHECK_EQ("slot: a used root slot: no view", dma_view_map_page(cell, doorbell_phys, &ipa),
		 -EBUSY);
	CHECK("slot: ... naming the cell and the slot",
	      strstr(last_reason, "cell 'cpus': IPA 0xff8000000000-0xffffffffffff, which its devices' private pages need, is used by its stage 2, root slot 511: no DMA view"));
	CHECK("slot: ... nothing allocated", mem_pool.used == used1 && !cell->dma_view);
	paging_unmap(&cell->stage2, TOP_SLOT_IPA + 0x1000, PAGE_SIZE);

	used1 = mem_pool.used;
	CHECK_EQ("bad: an unaligned page", dma_view_map_page(cell, doorbell_phys + 0x40, &ipa),
		 -EINVAL);
	CHECK("bad: ... named", strstr(last_reason, "cell 'cpus'") && strstr(last_reason, "not page aligned"));
	CHECK_EQ("bad: hypervisor memory", dma_view_map_page(cell, 0x1000, &ipa), -EPERM);
	CHECK("bad: ... named", strstr(last_reason, "cell 'cpus': page 0x1000 cannot be mapped for its devices only (hypervisor memory)"));
	CHECK_EQ("bad: beyond the physical address size",
		 dma_view_map_page(cell, 1ULL << 48, &ipa), -ERANGE);
	CHECK_EQ("bad: the root cell", dma_view_map_page(&root_cell, doorbell_phys, &ipa), -EINVAL);
	CHECK("bad: ... named", strstr(last_reason, "cell 'root'"));
	CHECK("bad: nothing allocated, no view",
	      mem_pool.used == used1 && !cell->dma_view && !root_cell.dma_view &&
	      io.dma_root_calls == 0);

	/* Asked on a CPU of the cell (its trapped MSI-X write): told once, not the root's reason. */
	per_cpu(0)->cell = cell;
	last_reason[0] = 0;
	log_text[0] = 0;
	CHECK_EQ("cell CPU: refused", dma_view_map_page(cell, doorbell_phys + 0x40, &ipa), -EINVAL);
	CHECK("cell CPU: ... one line naming the cell",
	      strstr(log_text, "cell 'cpus': page") && strstr(log_text, "(not page aligned)\n") &&
	      strchr(log_text, '\n') == log_text + strlen(log_text) - 1);
	CHECK("cell CPU: ... not the root's reason", !last_reason[0]);
	log_text[0] = 0;
	CHECK_EQ("cell CPU: asked again", dma_view_map_page(cell, 0x1000, &ipa), -EPERM);
	CHECK("cell CPU: ... not told again (no flood)", !log_text[0] && !last_reason[0]);
	per_cpu(0)->cell = &root_cell;
	CHECK_EQ("bad: destroyed", cell_destroy(per_cpu(0), cell->id), 0);
	CHECK_EQ("bad: pool back", mem_pool.used, used0);
}

/* A view made during create (before the RAM is mapped) follows what comes. */
static void test_view_then_regions(void)
{
	struct paging pg;
	u64 ipa = 0, used0 = mem_pool.used;
	struct cell *cell;

	cell_ipa_bits = 48;
	cell = create("early", 0x90000000);
	if (!cell)
		return;
	/* Take the CPUs' tables back to empty, make the view, map the regions again. */
	pg = cell->stage2;
	paging_unmap(&cell->stage2, 0, 1ULL << 47);
	CHECK("early: the CPUs' tables are empty", paging_virt2phys(&pg, 0, NULL) == INVALID_PHYS_ADDR);
	CHECK_EQ("early: a view of empty tables", dma_view_map_page(cell, doorbell_phys, &ipa), 0);
	CHECK_EQ("early: the regions mapped after it", cell_map_memory(cell), 0);
	CHECK(cell->dma_view ? "early: the view has them all" : "early: no view",
	      cell->dma_view && roots_agree(cell) &&
	      same_translation(&cell->dma_view->tables, &cell->stage2, 0x8000) &&
	      same_translation(&cell->dma_view->tables, &cell->stage2, 0x90000000));
	CHECK_EQ("early: destroyed", cell_destroy(per_cpu(0), cell->id), 0);
	CHECK_EQ("early: pool back", mem_pool.used, used0);
}

int main(void)
{
	machine_setup();
	CHECK_EQ("setup: the fake IOMMU driver", iommu_init(&fake_iommu), 0);
	/* 48 bits: one root, start level 0: private tables at levels 1, 2, 3. */
	test_view(48, TOP_SLOT_IPA, 3);
	/* 40 bits: two concatenated roots, start level 1: levels 2, 3. */
	test_view(40, TOP_SLOT_IPA40, 2);
	test_refusals();
	test_view_then_regions();
	fake_pool_teardown(&mem_pool, 0);
	return CHECK_DONE();
}
