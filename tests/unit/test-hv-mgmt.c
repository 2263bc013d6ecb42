/*
 * Host unit tests of cell management (hypervisor/core/cell-*.c,
 * cell-cpus.c, cell.c) on a fake machine: four CPUs whose reaction to the
 * hypervisor's event (arch_wake_cpu) each test chooses (park, suspend, never
 * answer, park only once its cell's memory is revoked), a fake clock that
 * advances on every read, page tables from a pool over heap pages, and "RAM"
 * that is a heap buffer addressed 1:1 (a guest-physical address is a host
 * pointer, as under the hypervisor's identity mapping of the root).
 *
 * Checked: a CPU that does not park is never handed on (destroy fails with a
 * reason, the cell and its CPU stay, a retry succeeds once it parks); stage-2
 * revocation forces a CPU that only faults; a CPU_ON request of the old owner
 * never survives a hand-over; create rechecks CPUs after holding the root; a
 * root CPU that does not stop fails the operation with nothing changed;
 * overlaps with another cell's memory are refused for any flags; size-0
 * regions are ignored; the configuration is read only from root RAM (not
 * I/O), checked before mapping; the reply timeout is bounded and its
 * arithmetic does not overflow; returned memory is zeroed and cleaned;
 * break-before-make and deferred table frees in the root's live tables; the
 * locks are free after every call; the pool returns to its figure.
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

static char name[600];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

/* ---- the fake machine ---------------------------------------------------- */

struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct page_pool remap_pool;
const struct wd_system_config *system_config;
struct wd_console_ring console_ring __aligned(4096);
struct wd_reason reason_record;
volatile bool hypervisor_shutting_down;
bool disable_in_progress;

static char last_reason[256], log_text[8192];
static u64 now, map_temp_calls, cleaned_bytes, flushes;

enum wake { WAKE_PARKS, WAKE_NEVER, WAKE_PARKS_IF_REVOKED, WAKE_SUSPENDS };
static enum wake wake_mode[CONFIG_WD_MAX_CPUS];

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
	switch (wake_mode[t->cpu_id]) {
	case WAKE_PARKS:
		if (t->park_requested)
			fake_park(t);
		break;
	case WAKE_PARKS_IF_REVOKED:
		/* Its next fetch faults: cell_fail sees the park request. */
		if (t->park_requested && t->cell->stage2_revoked)
			cell_fail(t, "instruction fetch");
		break;
	case WAKE_SUSPENDS:
		if (t->suspend_requested)
			t->suspended = true;
		break;
	case WAKE_NEVER:
		break;
	}
}

/* The BBM check: at every flush, what the watched entry holds. */
static u64 *watched_pte;
static u64 watched_at_flush[16];
static unsigned int watched_n;
static u64 pool_used_at_flush;

void arch_cell_tlb_flush(struct cell *cell)
{
	flushes++;
	if (watched_pte && watched_n < 16)
		watched_at_flush[watched_n++] = *watched_pte;
	pool_used_at_flush = mem_pool.used;
}

int arch_cell_create(struct cell *cell)
{
	return paging_init(&cell->stage2, &stage2_paging_format, 0, 48);
}
void arch_vpci_raise_spi(unsigned int irq) { }
u64 arch_vpci_msi_doorbell(void) { return 0; }
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data) { }
void arch_cell_destroy(struct cell *cell) { }
void arch_cell_init(struct cell *cell) { }
unsigned int arch_phys_bits(void) { return 48; }
int arch_cell_check(const struct wd_cell_desc *config) { return 0; }
void arch_global_exit(void) { }
int arch_stage2_init(struct paging *pg) { return paging_init(pg, &stage2_paging_format, 0, 48); }
void arch_irq_reset(unsigned int irq, struct cell *owner) { }
static bool remap_full;

void *arch_map_temp(u64 phys, u64 size)
{
	map_temp_calls++;
	return remap_full ? NULL : (void *)(uintptr_t)phys;
}
void arch_unmap_temp(void *virt, u64 size) { }
void dcache_clean_inval_range(u64 start, u64 size) { }
/* The arch scrub (zero, then clean to PoC; its loops: test-hv-scrub.c). */
void arch_scrub_memory(void *va, u64 size)
{
	memset(va, 0, size);
	cleaned_bytes += size;
}

/* The system: root with CPUs 0-3, 8 MiB of RAM, one I/O page. */
static u8 *ram, *io_page;

static struct {
	struct wd_system_config sys;
	u64 cpus[1];
	struct wd_mem_region mem[2];
} __attribute__((packed)) sys;

struct test_cell {
	struct wd_cell_desc desc;
	u64 cpus[1];
	struct wd_mem_region mem[4];
} __attribute__((packed));

static u64 phys_of(const void *p) { return (u64)(uintptr_t)p; }

static void machine_setup(void)
{
	unsigned int cpu;

	fake_pool_setup(&mem_pool, POOL_PAGES, 4096, 0);
	ram = fake_pages(RAM_PAGES, 2 * MiB, 0);
	io_page = fake_pages(1, 4096, 0);
	memset(ram, 0, RAM_PAGES * 4096ULL);

	memcpy(sys.sys.root_cell.signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	sys.sys.root_cell.revision = WD_CONFIG_REVISION;
	sys.sys.root_cell.architecture = WD_ARCH_ARM64;
	strcpy(sys.sys.root_cell.name, "root");
	sys.sys.root_cell.cpu_set_size = 8;
	sys.sys.root_cell.num_memory_regions = 2;
	sys.sys.hypervisor_memory.phys_start = 0x1000;	/* nowhere near */
	sys.sys.hypervisor_memory.size = 0x1000;
	sys.cpus[0] = 0xf;
	sys.mem[0] = (struct wd_mem_region){ phys_of(ram), phys_of(ram),
		RAM_PAGES * 4096ULL, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE };
	sys.mem[1] = (struct wd_mem_region){ phys_of(io_page), phys_of(io_page),
		4096, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	system_config = &sys.sys;
	CHECK_EQ("setup: root cell", root_cell_init(&sys.sys), 0);

	for (cpu = 0; cpu < 4; cpu++) {
		struct per_cpu *t = per_cpu(cpu);

		t->cpu_id = cpu;
		t->mpidr = cpu;
		t->cell = &root_cell;
		t->initialized = true;
		t->run_state = cpu < 2 ? CPU_RUNNING : CPU_PARKED;
		wake_mode[cpu] = cpu < 2 ? WAKE_SUSPENDS : WAKE_PARKS;
	}
}

/* A cell on CPU 2 with 64 KiB at RAM + 4 MiB, written into root RAM at @off. */
static struct test_cell *put_cell(u64 off, const char *cname)
{
	struct test_cell *c = (struct test_cell *)(ram + off);

	memset(c, 0, sizeof(*c));
	memcpy(c->desc.signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	c->desc.revision = WD_CONFIG_REVISION;
	c->desc.architecture = WD_ARCH_ARM64;
	strncpy(c->desc.name, cname, sizeof(c->desc.name) - 1);
	c->desc.cpu_set_size = 8;
	c->desc.num_memory_regions = 2;
	c->cpus[0] = 0x4;
	c->mem[0] = (struct wd_mem_region){ phys_of(ram) + 4 * MiB, 0, 0x10000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_LOADABLE };
	c->mem[1] = (struct wd_mem_region){ 0, 0x80000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION };
	return c;
}

static bool locks_free(void)
{
	return cpu_state_lock.owner == cpu_state_lock.next && !mgmt_locked() &&
	       !root_frozen && mem_pool.lock.owner == mem_pool.lock.next;
}

static long create(struct test_cell *c)
{
	long id = cell_create(per_cpu(0), phys_of(c));

	CHECK(NAME("create '%s': no lock held afterwards", c->desc.name), locks_free());
	return id;
}

/* Start a created cell: CPU 2 runs its code. */
static void start(long id)
{
	CHECK_EQ("start", cell_start(per_cpu(0), id), 0);
	/* What cpu_park does when its CPU_ON arrives. */
	spin_lock(&cpu_state_lock);
	if (cpu_may_start(per_cpu(2))) {
		per_cpu(2)->run_state = CPU_RUNNING;
		per_cpu(2)->cpu_on_pending = false;
	}
	spin_unlock(&cpu_state_lock);
	CHECK_EQ("start: CPU 2 runs the cell", per_cpu(2)->run_state, CPU_RUNNING);
}

/* ---- tests --------------------------------------------------------------- */

static void test_timeout_arithmetic(void)
{
	CHECK_EQ("ms_to_ticks 1000 ms at 62.5 MHz", ms_to_ticks(1000, 62500000), 62500000);
	CHECK_EQ("ms_to_ticks 60 s at 62.5 MHz", ms_to_ticks(60000, 62500000), 3750000000ULL);
	CHECK_EQ("ms_to_ticks 1 ms at 1 GHz", ms_to_ticks(1, 1000000000), 1000000);
	/* ms * freq overflows 64 bits here; the result must not wrap small. */
	CHECK_EQ("ms_to_ticks 2^44 ms at 2^21 Hz (product overflows)",
		 ms_to_ticks(1ULL << 44, 1ULL << 21), ((1ULL << 44) / 1000) * (1ULL << 21) +
		 ((1ULL << 44) % 1000) * (1ULL << 21) / 1000);
	CHECK_EQ("ms_to_ticks saturates", ms_to_ticks(~0ULL, 1000000000), ~0ULL);
	now = ~0ULL - 1000;
	CHECK_EQ("deadline saturates instead of wrapping", deadline_after_ms(1000), ~0ULL);
	now = 0;
}

static void test_reply_timeout_bound(void)
{
	struct test_cell *c = put_cell(0x100, "slow");
	u64 used = mem_pool.used;

	c->desc.msg_reply_timeout = 60001;
	CHECK_EQ("reply timeout 60001 ms refused", create(c), -EINVAL);
	CHECK("... with a reason",
	      strstr(last_reason, "message reply timeout 60001 ms exceeds") != NULL);
	CHECK_EQ("... nothing allocated", mem_pool.used, used);
	c->desc.msg_reply_timeout = 60000;
	CHECK("reply timeout 60000 ms accepted", create(c) > 0);
	CHECK_EQ("... destroy", cell_destroy(per_cpu(0), cell_by_id(1)->id), 0);
	CHECK_EQ("... pool back", mem_pool.used, used);
}

static void test_never_parks(void)
{
	struct test_cell *c = put_cell(0x100, "stuck");
	u64 used = mem_pool.used;
	struct cell *cell;
	long id;

	id = create(c);
	CHECK("stuck: created", id > 0);
	cell = cell_by_id(id);
	start(id);
	wake_mode[2] = WAKE_NEVER;
	CHECK_EQ("stuck: destroy fails with -ETIMEDOUT", cell_destroy(per_cpu(0), id), -ETIMEDOUT);
	CHECK("stuck: reason names cell and CPU",
	      strstr(last_reason, "cell 'stuck': CPU 2 did not park") != NULL);
	CHECK("stuck: no lock held", locks_free());
	CHECK("stuck: the cell still exists", cell_by_id(id) == cell);
	CHECK("stuck: CPU 2 still belongs to it", per_cpu(2)->cell == cell &&
	      cell_has_cpu(cell, 2) && !cell_has_cpu(&root_cell, 2));
	CHECK_EQ("stuck: the cell is failed", cell->state, WD_CELL_FAILED);
	CHECK("stuck: CPU 2 is reported failed", per_cpu(2)->failed);
	CHECK("stuck: its memory was revoked to force it", cell->stage2_revoked);
	CHECK("stuck: the root still has no access to the cell's memory",
	      paging_virt2phys(&root_cell.stage2, phys_of(ram) + 4 * MiB, NULL) ==
	      INVALID_PHYS_ADDR);
	CHECK_EQ("stuck: start refused too (cannot stop it)", cell_start(per_cpu(0), id),
		 -ETIMEDOUT);
	CHECK_EQ("stuck: set-loadable refused too", cell_set_loadable(per_cpu(0), id),
		 -ETIMEDOUT);
	CHECK("stuck: still not handed on", per_cpu(2)->cell == cell);

	/* It parks at last: a retry succeeds and gives everything back. */
	wake_mode[2] = WAKE_PARKS;
	CHECK_EQ("stuck: destroy retried", cell_destroy(per_cpu(0), id), 0);
	CHECK("stuck: CPU 2 back with the root", per_cpu(2)->cell == &root_cell &&
	      cell_has_cpu(&root_cell, 2) && !per_cpu(2)->failed);
	CHECK("stuck: memory back with the root",
	      paging_virt2phys(&root_cell.stage2, phys_of(ram) + 4 * MiB, NULL) ==
	      phys_of(ram) + 4 * MiB);
	CHECK_EQ("stuck: pool back to its figure", mem_pool.used, used);
}

static void test_forced_by_revocation(void)
{
	struct test_cell *c = put_cell(0x100, "masked");
	u64 used = mem_pool.used;
	long id;

	id = create(c);
	start(id);
	wake_mode[2] = WAKE_PARKS_IF_REVOKED;
	log_text[0] = 0;
	CHECK_EQ("masked: destroy succeeds", cell_destroy(per_cpu(0), id), 0);
	CHECK("masked: through revocation",
	      strstr(log_text, "CPU 2 did not answer the park request: revoking") != NULL);
	CHECK("masked: not reported as a cell fault", strstr(log_text, "cell stopped (failed)") == NULL);
	CHECK("masked: CPU 2 parked and with the root",
	      per_cpu(2)->run_state == CPU_PARKED && per_cpu(2)->cell == &root_cell);
	CHECK_EQ("masked: pool back", mem_pool.used, used);
	wake_mode[2] = WAKE_PARKS;
}

static void test_cpu_on_race(void)
{
	struct test_cell *c = put_cell(0x100, "race");
	struct per_cpu *t = per_cpu(2);
	struct cell *cell;
	long id;

	id = create(c);
	cell = cell_by_id(id);
	start(id);
	/* The cell's CPU 2 parks (CPU_OFF), a sibling asks CPU_ON for it again. */
	fake_park(t);
	t->cpu_on_entry = 0x666;
	t->cpu_on_pending = true;
	CHECK_EQ("race: destroy", cell_destroy(per_cpu(0), id), 0);
	CHECK("race: the cell's CPU_ON request did not survive the hand-over",
	      !t->cpu_on_pending && t->cell == &root_cell);
	spin_lock(&cpu_state_lock);
	CHECK("race: CPU 2 does not start for the root with the cell's entry", !cpu_may_start(t));
	spin_unlock(&cpu_state_lock);

	/* While a cell is stopping, a CPU_ON of a sibling is void. */
	id = create(c);
	cell = cell_by_id(id);
	start(id);
	cell_request_park(cell, per_cpu(0));
	fake_park(t);
	t->cpu_on_pending = true;
	spin_lock(&cpu_state_lock);
	CHECK("race: no start while the cell is being stopped", !cpu_may_start(t));
	spin_unlock(&cpu_state_lock);
	CHECK("race: ... and the request is dropped", !t->cpu_on_pending);
	CHECK_EQ("race: destroy", cell_destroy(per_cpu(0), id), 0);
}

static void test_online_recheck(void)
{
	struct test_cell *c = put_cell(0x100, "online");
	u64 used = mem_pool.used;
	u64 *root_before = malloc(4096);

	memcpy(root_before, root_cell.stage2.root, 4096);
	/* Linux brings CPU 2 online (CPU_ON pending) after the driver's check. */
	per_cpu(2)->cpu_on_pending = true;
	CHECK_EQ("online: create refused", create(c), -EBUSY);
	CHECK("online: reason names the CPU",
	      strstr(last_reason, "CPU 2 came online in the root cell") != NULL);
	CHECK("online: CPU 2 stays the root's, request intact",
	      per_cpu(2)->cell == &root_cell && per_cpu(2)->cpu_on_pending);
	CHECK_EQ("online: pool back", mem_pool.used, used);
	CHECK("online: root tables unchanged", !memcmp(root_before, root_cell.stage2.root, 4096));
	per_cpu(2)->cpu_on_pending = false;

	/* Running outright (onlined before the hold). */
	per_cpu(2)->run_state = CPU_RUNNING;
	CHECK_EQ("online: a running root CPU is refused", create(c), -EBUSY);
	per_cpu(2)->run_state = CPU_PARKED;
	free(root_before);
}

static void test_root_cpu_stuck(void)
{
	struct test_cell *c = put_cell(0x100, "hold");
	u64 used = mem_pool.used;
	u64 *root_before = malloc(4096);
	long id;

	memcpy(root_before, root_cell.stage2.root, 4096);
	wake_mode[1] = WAKE_NEVER;
	per_cpu(1)->suspended = false;
	CHECK_EQ("hold: create fails when root CPU 1 does not stop", create(c), -ETIMEDOUT);
	CHECK("hold: reason names root CPU 1",
	      strstr(last_reason, "root cell CPU 1 did not stop") != NULL);
	CHECK("hold: CPU 2 still the root's", per_cpu(2)->cell == &root_cell);
	CHECK("hold: root tables unchanged", !memcmp(root_before, root_cell.stage2.root, 4096));
	CHECK("hold: root CPU 1 released", !per_cpu(1)->suspend_requested);
	CHECK_EQ("hold: pool back", mem_pool.used, used);
	wake_mode[1] = WAKE_SUSPENDS;

	id = create(c);
	start(id);
	wake_mode[1] = WAKE_NEVER;
	per_cpu(1)->suspended = false;
	memset(ram + 4 * MiB, 0x5a, 0x10000);
	CHECK_EQ("hold: destroy fails too", cell_destroy(per_cpu(0), id), -ETIMEDOUT);
	CHECK("hold: the cell keeps its (parked) CPU", per_cpu(2)->cell == cell_by_id(id));
	CHECK("hold: ... and its memory, scrubbed before the hold, away from the root",
	      ram[4 * MiB + 0x100] == 0 &&
	      paging_virt2phys(&root_cell.stage2, phys_of(ram) + 4 * MiB, NULL) ==
	      INVALID_PHYS_ADDR);
	CHECK_EQ("hold: ... stays, failed (it cannot run on)", cell_by_id(id)->state,
		 WD_CELL_FAILED);
	CHECK("hold: no lock held", locks_free());
	wake_mode[1] = WAKE_SUSPENDS;
	CHECK_EQ("hold: destroy retried", cell_destroy(per_cpu(0), id), 0);
	CHECK_EQ("hold: pool back", mem_pool.used, used);
	free(root_before);
}

static void test_overlap(void)
{
	struct test_cell *a = put_cell(0x100, "owner"), *b = put_cell(0x800, "sharer");
	long ida, idb;

	ida = create(a);
	CHECK("overlap: first cell created", ida > 0);
	b->cpus[0] = 0x8;	/* CPU 3 */
	b->mem[0].phys_start = phys_of(ram) + 5 * MiB;
	b->mem[2] = (struct wd_mem_region){ phys_of(ram) + 4 * MiB + 0x8000, 0x100000,
		0x1000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED };
	b->desc.num_memory_regions = 3;
	CHECK_EQ("overlap: ROOTSHARED region over another cell's RAM refused", create(b), -EBUSY);
	CHECK("overlap: reason names region and cell",
	      strstr(last_reason, "memory region #2") && strstr(last_reason, "overlaps cell 'owner' (its region #0"));
	b->mem[2].flags = WD_MEM_READ;
	CHECK_EQ("overlap: plain region too", create(b), -EBUSY);
	/* Both share it with the root (ivshmem): allowed. */
	a->mem[2] = (struct wd_mem_region){ phys_of(ram) + 6 * MiB, 0x100000, 0x1000,
		WD_MEM_READ | WD_MEM_ROOTSHARED };
	a->desc.num_memory_regions = 3;
	CHECK_EQ("overlap: destroy the first", cell_destroy(per_cpu(0), ida), 0);
	ida = create(a);
	b->mem[2] = (struct wd_mem_region){ phys_of(ram) + 6 * MiB, 0x100000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED };
	idb = create(b);
	CHECK("overlap: memory both share with the root is fine", idb > 0);
	if (idb > 0)
		cell_destroy(per_cpu(0), idb);
	cell_destroy(per_cpu(0), ida);
}

static void test_size0(void)
{
	struct test_cell *c = put_cell(0x100, "empty");
	u64 used = mem_pool.used;
	long id;

	/* An ivshmem layout with Jailhouse's size-0 placeholders is the
	 * validator's business; the hypervisor must take size 0 as "nothing". */
	c->mem[2] = (struct wd_mem_region){ phys_of(ram) + 7 * MiB, 0x200000, 0,
		WD_MEM_READ | WD_MEM_ROOTSHARED };
	c->mem[3] = c->mem[1];
	c->mem[1] = (struct wd_mem_region){ 0, 0x300000, 0, WD_MEM_READ };
	c->desc.num_memory_regions = 4;
	/* check_memory and cell_map_memory directly (the validator wants an
	 * ivshmem device for the placeholders). */
	CHECK_EQ("size-0: check_memory accepts", check_memory(&c->desc), 0);
	{
		struct cell tmp = { .config = &c->desc };

		CHECK_EQ("size-0: cell_map_memory maps only the rest",
			 paging_init(&tmp.stage2, &stage2_paging_format, 0, 48) ||
			 cell_map_memory(&tmp), 0);
		CHECK("size-0: nothing at the placeholder",
		      paging_virt2phys(&tmp.stage2, 0x300000, NULL) == INVALID_PHYS_ADDR &&
		      paging_virt2phys(&tmp.stage2, 0x200000, NULL) == INVALID_PHYS_ADDR);
		paging_destroy(&tmp.stage2);
	}
	CHECK_EQ("size-0: root_map_region ignores it", root_map_region(&c->mem[1], false), 0);
	CHECK_EQ("size-0: pool back", mem_pool.used, used);
	(void)id;
}

static void test_config_source(void)
{
	struct test_cell *c;
	u64 used = mem_pool.used;

	/* In an I/O region of the root: refused before anything is mapped. */
	map_temp_calls = 0;
	c = (struct test_cell *)io_page;
	CHECK_EQ("config: in a root I/O region refused", cell_create(per_cpu(0), phys_of(c)),
		 -EFAULT);
	CHECK("config: reason says not root RAM", strstr(last_reason, "is not RAM of the root cell"));
	CHECK_EQ("config: nothing was mapped", map_temp_calls, 0);

	/* The header runs past the end of root RAM: refused unmapped. */
	map_temp_calls = 0;
	CHECK_EQ("config: header straddling out of root RAM refused",
		 cell_create(per_cpu(0), phys_of(ram) + RAM_PAGES * 4096ULL - 16), -EFAULT);
	CHECK_EQ("config: nothing was mapped", map_temp_calls, 0);

	/* The header is fine, the arrays run out of root RAM. */
	c = put_cell(RAM_PAGES * 4096ULL - 4096, "edge");
	c->desc.num_memory_regions = 200;
	map_temp_calls = 0;
	CHECK_EQ("config: arrays past root RAM refused", create(c), -EFAULT);
	CHECK_EQ("config: only the checked header page was mapped", map_temp_calls, 1);
	CHECK_EQ("config: pool back", mem_pool.used, used);
}

static void test_scrub(void)
{
	struct test_cell *c = put_cell(0x100, "dirty");
	u8 *mem = ram + 4 * MiB;
	unsigned int i, dirty = 0;
	long id;

	/* A device of its own too: registers must not be "scrubbed". */
	c->mem[2] = (struct wd_mem_region){ phys_of(io_page), 0x09000000, 4096,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	c->desc.num_memory_regions = 3;
	id = create(c);
	CHECK("scrub: created", id > 0);
	start(id);
	memset(mem, 0x5a, 0x10000);
	memset(io_page, 0x77, 4096);
	cleaned_bytes = 0;
	CHECK_EQ("scrub: destroy", cell_destroy(per_cpu(0), id), 0);
	for (i = 0; i < 0x10000; i++)
		dirty += mem[i] != 0;
	CHECK_EQ("scrub: returned memory is zero", dirty, 0);
	CHECK_EQ("scrub: and cleaned to PoC", cleaned_bytes, 0x10000);
	CHECK_EQ("scrub: device registers left alone", io_page[8], 0x77);
	c->desc.num_memory_regions = 2;

	/* Memory that cannot be scrubbed is not handed back. */
	id = create(c);
	start(id);
	memset(mem, 0x5a, 0x10000);
	remap_full = true;
	log_text[0] = 0;
	CHECK_EQ("scrub: destroy with no room to map", cell_destroy(per_cpu(0), id), 0);
	remap_full = false;
	CHECK("scrub: ... says so", strstr(log_text, "could not be scrubbed") != NULL);
	CHECK("scrub: ... and keeps it from the root",
	      paging_virt2phys(&root_cell.stage2, phys_of(mem), NULL) == INVALID_PHYS_ADDR);
	/* Put it back for the tests that follow (what a later enable would do). */
	paging_map(&root_cell.stage2, phys_of(mem), phys_of(mem), 0x10000,
		   PAGE_READ | PAGE_WRITE | PAGE_EXEC, true);
	paging_flush(&root_cell.stage2);

	/* A create that fails does not wipe the root's memory. */
	memset(mem, 0x33, 0x10000);
	wake_mode[1] = WAKE_NEVER;
	per_cpu(1)->suspended = false;
	create(c);
	wake_mode[1] = WAKE_SUSPENDS;
	CHECK_EQ("scrub: not on a failed create", mem[0x8000], 0x33);
}

static void test_bbm(void)
{
	u64 base = phys_of(ram) + 2 * MiB, used;
	u64 *l2;

	/* The root maps its RAM with 2 MiB blocks: find the one at base. */
	used = mem_pool.used;
	l2 = (u64 *)(uintptr_t)(root_cell.stage2.root[(base >> 39) & 511] & PTE_ADDR_MASK);
	l2 = (u64 *)(uintptr_t)(l2[(base >> 30) & 511] & PTE_ADDR_MASK);
	watched_pte = &l2[(base >> 21) & 511];
	CHECK("bbm: a 2 MiB block to start with", (*watched_pte & 3) == 1);
	watched_n = 0;
	flushes = 0;
	/* Split it (valid block -> valid table): a flush with the entry invalid first. */
	CHECK_EQ("bbm: unmap a page inside the block", paging_unmap(&root_cell.stage2, base + 0x1000, 0x1000), 0);
	CHECK("bbm: split happened", (*watched_pte & 3) == 3);
	CHECK("bbm: flushed while the entry was invalid",
	      watched_n >= 1 && watched_at_flush[0] == 0);
	paging_flush(&root_cell.stage2);
	/* Merge it back (valid table -> valid block): same, and the table is freed after. */
	watched_n = 0;
	CHECK_EQ("bbm: map the page back", paging_map(&root_cell.stage2, base + 0x1000, base + 0x1000, 0x1000,
						    PAGE_READ | PAGE_WRITE | PAGE_EXEC, true), 0);
	CHECK("bbm: merged into a block", (*watched_pte & 3) == 1);
	CHECK("bbm: the merge broke the entry before making it",
	      watched_n >= 1 && watched_at_flush[0] == 0);
	CHECK("bbm: the old table is not freed before the flush",
	      mem_pool.used == used + 1 && root_cell.stage2.live->deferred == 1);
	paging_flush(&root_cell.stage2);
	CHECK_EQ("bbm: ... and freed after it", mem_pool.used, used);
	watched_pte = NULL;
}

int main(void)
{
	machine_setup();
	test_timeout_arithmetic();
	test_reply_timeout_bound();
	test_never_parks();
	test_forced_by_revocation();
	test_cpu_on_race();
	test_online_recheck();
	test_root_cpu_stuck();
	test_overlap();
	test_size0();
	test_config_source();
	test_scrub();
	test_bbm();
	CHECK("all: no lock left held", locks_free());
	fake_pool_teardown(&mem_pool, 0);
	return CHECK_DONE();
}
