/*
 * Host unit tests of a cell's DMA at destroy (hypervisor/core/cell-*.c,
 * core/iommu.c) on the fake machine of test-hv-mgmt.c: a fake IOMMU driver
 * behind the IOMMU interface (wd/iommu.h) records what the core asks and
 * what the machine looks like at that moment.
 *
 * Checked: the cell's streams abort before any of its memory is scrubbed,
 * while it is still unmapped from the root (a device still doing DMA writes
 * into nothing that is, or will be, anybody's) and its CPUs are parked; the
 * scrub runs while the root's CPUs run (none is held), and only after it are
 * the root's CPUs held to map the memory back; exactly once per destroy;
 * never when destroy fails (a CPU that does not park: the cell keeps its
 * streams, nothing changed); a failed create gives the streams back through
 * detach, not abort (the cell never ran); no IOMMU: a cell with stream ids
 * is refused naming the count and a stream return gets -ENODEV; the
 * interface's dispatch reaches the driver's ops.
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
#define VPCI_PHYS_MSI_RELEASE_RECORDED
#include "vpci-phys-none.h"
#include "../../hypervisor/core/ivshmem.c"
#include "../../hypervisor/core/ivshmem-fast.c"
#include "../../hypervisor/core/iommu.c"
#include "hv-fake.h"

#define MiB		(1ULL << 20)
#define RAM_PAGES	2048		/* 8 MiB */
#define POOL_PAGES	1024
#define CELL_RAM	(4 * MiB)

/* ---- the fake machine (as test-hv-mgmt.c) --------------------------------- */

struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct page_pool remap_pool;
const struct wd_system_config *system_config;
struct wd_console_ring console_ring __aligned(4096);
struct wd_reason reason_record;
volatile bool hypervisor_shutting_down;
bool disable_in_progress;

static char last_reason[256], log_text[8192];
static u64 now;
static bool never_parks;
static u8 *ram, *io_page;

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

static void note(unsigned int ev);
enum { EV_ATTACH = 1, EV_ABORT, EV_DETACH, EV_SCRUB, EV_RETURN, EV_HOLD,
       EV_MSI_OFF, EV_FN_BACK };
static bool msi_off_parked;

/* The ITS forgets the cell's functions' MSIs (arch/arm64/cell-msi.c behind it). */
void vpci_phys_msi_release(struct cell *cell)
{
	note(EV_MSI_OFF);
	msi_off_parked = per_cpu(2)->run_state == CPU_PARKED;
}
/* The functions' state is freed: from here on they are the root's again. */
void vpci_phys_destroy(struct cell *cell) { note(EV_FN_BACK); }

void arch_wake_cpu(struct per_cpu *t)
{
	if (t->cpu_id < 2) {
		if (t->suspend_requested) {
			t->suspended = true;
			note(EV_HOLD);
		}
	} else if (t->park_requested && !never_parks) {
		fake_park(t);
	}
}

int arch_cell_create(struct cell *cell)
{
	int err = paging_init(&cell->stage2, &stage2_paging_format, 0, 48);

	if (!err)
		iommu_cell_attach(cell);
	return err;
}
void arch_cell_destroy(struct cell *cell) { iommu_cell_detach(cell); }
void arch_cell_tlb_flush(struct cell *cell) { }
void arch_cell_init(struct cell *cell) { }
unsigned int arch_phys_bits(void) { return 48; }
int arch_cell_check(const struct wd_cell_desc *config) { return iommu_cell_check(config); }
void arch_global_exit(void) { }
int arch_stage2_init(struct paging *pg) { return paging_init(pg, &stage2_paging_format, 0, 48); }
void arch_irq_reset(unsigned int irq, struct cell *owner) { }
void arch_unmap_temp(void *virt, u64 size) { }
void dcache_clean_inval_range(u64 start, u64 size) { }
/* The arch scrub zeroes (and cleans to PoC on the machine). */
void arch_scrub_memory(void *va, u64 size) { memset(va, 0, size); }
/* The cells here have no virtual PCI devices: nothing to raise. */
void arch_vpci_raise_spi(unsigned int irq) { }
u64 arch_vpci_msi_doorbell(void) { return 0; }
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data) { }

/* ---- the fake IOMMU: a journal of calls and what the machine was like ----- */

static unsigned int journal[64], njournal;
static struct {
	bool cell_ram_in_root;		/* the root could reach the cell's RAM */
	bool cell_ram_scrubbed;		/* a byte of it was already zero */
	bool cpu_parked;		/* CPU 2 was parked */
	unsigned int cell_state;
} at_abort;
static struct {
	bool root_held;			/* a root CPU was held meanwhile */
	bool cell_ram_in_root;		/* the root could reach the cell's RAM */
} at_scrub;
static u32 returned_sid;

static void note(unsigned int ev)
{
	if (njournal < 64)
		journal[njournal++] = ev;
}

static int index_of(unsigned int ev)
{
	unsigned int i;

	for (i = 0; i < njournal; i++)
		if (journal[i] == ev)
			return (int)i;
	return -1;
}

static int last_index_of(unsigned int ev)
{
	int i;

	for (i = (int)njournal - 1; i >= 0; i--)
		if (journal[i] == ev)
			return i;
	return -1;
}

static unsigned int count_of(unsigned int ev)
{
	unsigned int i, n = 0;

	for (i = 0; i < njournal; i++)
		n += journal[i] == ev;
	return n;
}

void *arch_map_temp(u64 phys, u64 size)
{
	/* Scrubbing maps the cell's RAM; copying a configuration maps root RAM. */
	if (phys >= (u64)(uintptr_t)ram + CELL_RAM &&
	    phys < (u64)(uintptr_t)ram + CELL_RAM + 0x10000) {
		note(EV_SCRUB);
		at_scrub.root_held |= root_frozen || per_cpu(1)->suspended ||
				      per_cpu(1)->suspend_requested;
		at_scrub.cell_ram_in_root |=
			paging_virt2phys(&root_cell.stage2, phys, NULL) != INVALID_PHYS_ADDR;
	}
	return (void *)(uintptr_t)phys;
}

static void fake_attach(struct cell *cell) { note(EV_ATTACH); }
static void fake_detach(struct cell *cell) { note(EV_DETACH); }

static unsigned int fake_abort(struct cell *cell)
{
	note(EV_ABORT);
	at_abort.cell_ram_in_root =
		paging_virt2phys(&root_cell.stage2, (u64)(uintptr_t)ram + CELL_RAM, NULL) !=
		INVALID_PHYS_ADDR;
	at_abort.cell_ram_scrubbed = ram[CELL_RAM + 0x100] == 0;
	at_abort.cpu_parked = per_cpu(2)->run_state == CPU_PARKED;
	at_abort.cell_state = cell->state;
	return cell->config->num_stream_ids;
}

static int fake_return(u32 sid)
{
	note(EV_RETURN);
	returned_sid = sid;
	return 0;
}

static const struct iommu_ops fake_iommu = {
	.name = "fake",
	.cell_attach = fake_attach,
	.cell_detach = fake_detach,
	.cell_abort = fake_abort,
	.stream_return = fake_return,
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
	struct wd_mem_region mem[2];
	struct wd_stream_id sids[2];
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
	sys.sys.root_cell.num_stream_ids = 2;
	sys.sys.hypervisor_memory.phys_start = 0x1000;
	sys.sys.hypervisor_memory.size = 0x1000;
	sys.cpus[0] = 0xf;
	sys.mem[0] = (struct wd_mem_region){ phys_of(ram), phys_of(ram),
		RAM_PAGES * 4096ULL, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE };
	sys.mem[1] = (struct wd_mem_region){ phys_of(io_page), phys_of(io_page),
		4096, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	sys.sys.platform.iommu_units[0].type = WD_IOMMU_SMMUV3;
	sys.sys.platform.iommu_units[0].base = 0x1000000;
	sys.sys.platform.iommu_units[0].size = 0x20000;
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

/* A cell on CPU 2 with 64 KiB at RAM + 4 MiB and stream id 0x8. */
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
	c->desc.num_stream_ids = 1;
	c->cpus[0] = 0x4;
	c->mem[0] = (struct wd_mem_region){ phys_of(ram) + CELL_RAM, 0, 0x10000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_LOADABLE };
	c->mem[1] = (struct wd_mem_region){ 0, 0x80000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION };
	c->sids[0].id = 0x8;
	return c;
}

static void start(long id)
{
	CHECK_EQ("start", cell_start(per_cpu(0), id), 0);
	spin_lock(&cpu_state_lock);
	if (cpu_may_start(per_cpu(2))) {
		per_cpu(2)->run_state = CPU_RUNNING;
		per_cpu(2)->cpu_on_pending = false;
	}
	spin_unlock(&cpu_state_lock);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_abort_before_scrub(void)
{
	struct test_cell *c = put_cell(0x100, "dma");
	u64 used = mem_pool.used;
	long id;

	njournal = 0;
	id = cell_create(per_cpu(0), phys_of(c));
	CHECK("order: created", id > 0);
	if (id <= 0)
		printf("# %s\n", last_reason);
	CHECK_EQ("order: the streams went to the cell at create", count_of(EV_ATTACH), 1);
	start(id);
	memset(ram + CELL_RAM, 0x5a, 0x10000);	/* what the cell (and its device) wrote */
	njournal = 0;
	memset(&at_scrub, 0, sizeof(at_scrub));
	per_cpu(1)->suspended = false;
	CHECK_EQ("order: destroy", cell_destroy(per_cpu(0), id), 0);
	CHECK_EQ("order: the streams were aborted once", count_of(EV_ABORT), 1);
	CHECK("order: ... before the first byte of its RAM was scrubbed",
	      index_of(EV_ABORT) >= 0 && index_of(EV_SCRUB) > index_of(EV_ABORT));
	CHECK("order: ... while the root could not reach its RAM yet", !at_abort.cell_ram_in_root);
	CHECK("order: ... and its RAM still held the cell's data", !at_abort.cell_ram_scrubbed);
	CHECK("order: ... once its CPUs were parked", at_abort.cpu_parked);
	CHECK_EQ("order: the ITS forgot the functions' MSIs once", count_of(EV_MSI_OFF), 1);
	CHECK("order: ... after the streams aborted (the device can send none any more)",
	      index_of(EV_MSI_OFF) > index_of(EV_ABORT));
	CHECK("order: ... before any RAM was scrubbed", index_of(EV_SCRUB) > index_of(EV_MSI_OFF));
	CHECK("order: ... with the cell's CPUs parked", msi_off_parked);
	/* cell_free: vpci_cell_destroy (the functions go back), then arch_cell_destroy (detach). */
	CHECK("order: ... before the cell's state was freed and its functions went back",
	      index_of(EV_DETACH) > index_of(EV_MSI_OFF) &&
	      index_of(EV_DETACH) > index_of(EV_HOLD));
	CHECK("order: the scrub ran with no root CPU held", !at_scrub.root_held);
	CHECK("order: ... and with the RAM out of the root's reach", !at_scrub.cell_ram_in_root);
	CHECK("order: the root was held once, after the whole scrub",
	      count_of(EV_HOLD) == 1 && index_of(EV_SCRUB) >= 0 &&
	      index_of(EV_HOLD) > last_index_of(EV_SCRUB));
	CHECK("order: detach came after (a no-op for held streams)",
	      index_of(EV_DETACH) > index_of(EV_ABORT));
	CHECK_EQ("order: the core never returned the stream to the root itself",
		 count_of(EV_RETURN), 0);
	CHECK("order: afterwards the RAM is the root's and zero",
	      paging_virt2phys(&root_cell.stage2, phys_of(ram) + CELL_RAM, NULL) ==
	      phys_of(ram) + CELL_RAM && ram[CELL_RAM + 0x100] == 0);
	CHECK_EQ("order: pool back", mem_pool.used, used);
}

static void test_no_abort_when_destroy_fails(void)
{
	struct test_cell *c = put_cell(0x100, "stuck");
	long id;

	id = cell_create(per_cpu(0), phys_of(c));
	start(id);
	never_parks = true;
	njournal = 0;
	CHECK_EQ("stuck: destroy fails", cell_destroy(per_cpu(0), id), -ETIMEDOUT);
	CHECK_EQ("stuck: the streams were not touched (the cell keeps them)",
		 count_of(EV_ABORT) + count_of(EV_DETACH), 0);
	CHECK_EQ("stuck: ... nor its functions' MSIs", count_of(EV_MSI_OFF) + count_of(EV_FN_BACK), 0);
	never_parks = false;
	njournal = 0;
	CHECK_EQ("stuck: destroy retried", cell_destroy(per_cpu(0), id), 0);
	CHECK("stuck: now aborted before scrubbed",
	      count_of(EV_ABORT) == 1 && index_of(EV_SCRUB) > index_of(EV_ABORT));
}

static void test_never_started(void)
{
	struct test_cell *c = put_cell(0x100, "idle");
	long id;

	id = cell_create(per_cpu(0), phys_of(c));
	njournal = 0;
	CHECK_EQ("idle: destroy of a cell that never ran", cell_destroy(per_cpu(0), id), 0);
	CHECK_EQ("idle: its streams abort too (the device was the cell's)",
		 count_of(EV_ABORT), 1);
}

static void test_dispatch_and_no_iommu(void)
{
	struct test_cell *c = put_cell(0x100, "nosmmu");

	CHECK_EQ("dispatch: a stream return reaches the driver", iommu_stream_return(0x10), 0);
	CHECK_EQ("dispatch: ... with its stream id", returned_sid, 0x10);
	iommu_shutdown();
	CHECK_EQ("no IOMMU: a cell with a stream id is refused", cell_create(per_cpu(0), phys_of(c)),
		 -ENODEV);
	CHECK("no IOMMU: ... saying why",
	      strstr(last_reason, "cell 'nosmmu': 1 stream id(s), but the system configuration has no IOMMU") != NULL);
	CHECK_EQ("no IOMMU: a stream return is refused", iommu_stream_return(0x8), -ENODEV);
	CHECK_EQ("no IOMMU: nothing to abort", iommu_cell_abort(&root_cell), 0);
	c->desc.num_stream_ids = 0;
	CHECK("no IOMMU: a cell without stream ids is fine", cell_create(per_cpu(0), phys_of(c)) > 0);
}

int main(void)
{
	machine_setup();
	CHECK_EQ("setup: the fake IOMMU driver", iommu_init(&fake_iommu), 0);
	test_abort_before_scrub();
	test_no_abort_when_destroy_fails();
	test_never_started();
	test_dispatch_and_no_iommu();
	fake_pool_teardown(&mem_pool, 0);
	return CHECK_DONE();
}
