/*
 * Host unit tests of the CPU-side rules in hypervisor/core/control.c and
 * cell-cpus.c: the disable rendezvous (one decision for all CPUs; a CPU that
 * does not arrive aborts the disable instead of leaving the others behind)
 * and the parking loop (a CPU_ON request starts a CPU only when its cell
 * allows it: not while the cell is being stopped, not while the root is held
 * for a stage-2 change).
 *
 * The fake machine: CPUs that the test drives by hand; arch_leave_hypervisor
 * (noreturn on the real machine) jumps back into the test; the parked CPU's
 * wait (arch_wait_for_event) runs a script of what "the other CPUs" do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include "check.h"
#include "../../hypervisor/core/pool.c"
#include "../../hypervisor/core/paging.c"
#include "../../hypervisor/arch/arm64/paging-format.c"
#include "../../common/config-check.c"
#include "../../hypervisor/core/cell.c"
#include "../../hypervisor/core/cell-cpus.c"
#include "../../hypervisor/core/dma-view.c"
#include "../../hypervisor/core/control.c"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/core/vpci.c"
#include "vpci-phys-none.h"
#include "../../hypervisor/core/ivshmem.c"
#include "../../hypervisor/core/ivshmem-fast.c"
#include "hv-fake.h"

struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct page_pool remap_pool;
struct wd_console_ring console_ring __aligned(4096);
struct wd_reason reason_record;

static char last_reason[256];
static u64 now;
static jmp_buf left;
static unsigned int leave_calls, wakes, waits_off, flushes_hv, vcpu_resets;
static u64 reset_entry;

struct per_cpu *this_cpu(void) { return &per_cpu_area[0]; }
u64 timer_ticks(void) { return now += 1000; }
u64 timer_ticks_per_sec(void) { return 1000000; }
void printk(const char *fmt, ...) { }
void console_flush_cpu(unsigned int cpu) { }
int refuse(int err, u32 kind, u64 object, u64 addr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_reason, sizeof(last_reason), fmt, ap);
	va_end(ap);
	return err;
}
void reason_call(struct per_cpu *pc, u32 call) { }
void reason_keep_first(bool on) { }
void console_init(void *ring, const struct wd_console *con, void *base) { }
int arch_global_init(void) { return 0; }
int arch_cpu_init(struct per_cpu *pc) { return 0; }
void arch_cpu_deinit(struct per_cpu *pc) { }
void arch_flush_hv_memory(void) { flushes_hv++; }
int arch_map_device(u64 phys, u64 size, void **virt) { return 0; }
void arch_cell_init(struct cell *cell) { }
void arch_vpci_raise_spi(unsigned int irq) { }
void dcache_clean_inval_range(u64 start, u64 size) { }
u64 arch_vpci_msi_doorbell(void) { return 0; }
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data) { }
void *arch_map_temp(u64 phys, u64 size) { return (void *)(uintptr_t)phys; }
void arch_unmap_temp(void *virt, u64 size) { }
unsigned int arch_phys_bits(void) { return 48; }
int arch_cell_check(const struct wd_cell_desc *config) { return 0; }
void arch_global_exit(void) { }
int arch_stage2_init(struct paging *pg) { return paging_init(pg, &stage2_paging_format, 0, 48); }
void arch_cell_tlb_flush(struct cell *cell) { }
/* No cell here gets a DMA view (test-hv-dma-view.c): no streams to re-point. */
void iommu_cell_dma_root(struct cell *cell) { }
void arch_wake_cpu(struct per_cpu *pc) { wakes++; }
void arch_wait_cpu_off(struct per_cpu *pc) { waits_off++; }
void arch_park_prepare(struct per_cpu *pc) { }
void __noreturn arch_park_cpu_off(struct per_cpu *pc) { longjmp(left, 2); }
void __noreturn arch_leave_hypervisor(struct per_cpu *pc, long ret)
{
	leave_calls++;
	longjmp(left, 1);
}
void arch_vcpu_reset(struct per_cpu *pc, u64 entry, u64 context)
{
	vcpu_resets++;
	reset_entry = entry;
}

/* What the other CPUs do while the parked one waits: one step per wait. */
static void (*script[8])(struct per_cpu *pc);
static unsigned int script_step;

void arch_wait_for_event(struct per_cpu *pc)
{
	if (script_step < 8 && script[script_step])
		script[script_step++](pc);
	else
		longjmp(left, 3);	/* would sleep for ever */
}

static void machine_setup(void)
{
	static struct {
		struct wd_system_config sys;
		u64 cpus[1];
	} __attribute__((packed)) sys;
	unsigned int cpu;

	fake_pool_setup(&mem_pool, 64, 4096, 0);
	sys.sys.root_cell.cpu_set_size = 8;
	sys.cpus[0] = 0xf;
	system_config = &sys.sys;
	CHECK_EQ("setup: root cell", root_cell_init(&sys.sys), 0);
	for (cpu = 0; cpu < 4; cpu++) {
		per_cpu(cpu)->cpu_id = cpu;
		per_cpu(cpu)->cell = &root_cell;
		per_cpu(cpu)->initialized = true;
		per_cpu(cpu)->run_state = CPU_RUNNING;
	}
}

static bool locks_free(void)
{
	return cpu_state_lock.owner == cpu_state_lock.next && !mgmt_locked();
}

static void test_disable_abort(void)
{
	long ret = 0;

	/* CPUs 0 and 1 run Linux; only CPU 0 asks to disable. */
	per_cpu(2)->run_state = per_cpu(3)->run_state = CPU_PARKED;
	leave_calls = 0;
	if (setjmp(left) == 0)
		ret = hypervisor_disable(per_cpu(0));
	CHECK_EQ("disable: a CPU that did not arrive: nobody leaves", leave_calls, 0);
	CHECK_EQ("disable: aborted with -ETIMEDOUT", ret, -ETIMEDOUT);
	CHECK("disable: the reason says how many arrived",
	      strstr(last_reason, "only 1 of 2 running root cell CPUs") != NULL);
	CHECK("disable: the hypervisor stays (parked CPUs not released)",
	      !hypervisor_shutting_down);
	CHECK("disable: management works again", !disable_in_progress);
	CHECK_EQ("disable: the rendezvous is reset", disable_arrived, 0);
	CHECK("disable: no lock held", locks_free());
}

static void test_disable_refused_with_cells(void)
{
	long ret = 0;

	num_cells = 2;
	leave_calls = 0;
	if (setjmp(left) == 0)
		ret = hypervisor_disable(per_cpu(0));
	CHECK_EQ("disable: refused while cells exist", ret, -EBUSY);
	CHECK("disable: nothing started", !disable_in_progress && !leave_calls);
	CHECK("disable: no lock held", locks_free());
	num_cells = 1;
}

static void test_disable_go(void)
{
	int how;

	/* Only CPU 0 runs Linux: it alone decides, and releases the parked ones. */
	per_cpu(1)->run_state = CPU_PARKED;
	leave_calls = wakes = waits_off = flushes_hv = 0;
	how = setjmp(left);
	if (how == 0)
		hypervisor_disable(per_cpu(0));
	CHECK_EQ("disable: everyone arrived: CPU 0 leaves", leave_calls, 1);
	CHECK("disable: parked CPUs are told to go", hypervisor_shutting_down);
	CHECK_EQ("disable: the three parked CPUs are woken", wakes, 3);
	CHECK_EQ("disable: ... and waited for", waits_off, 3);
	CHECK_EQ("disable: hypervisor memory flushed once", flushes_hv, 1);
	hypervisor_shutting_down = false;
	disable_in_progress = false;
	disable_arrived = disable_left = 0;
	disable_decision = DISABLE_WAIT;
	per_cpu(0)->initialized = true;
}

static void resume_root(struct per_cpu *pc)
{
	CHECK("park: no start while the root is held", pc->run_state == CPU_PARKED &&
	      pc->cpu_on_pending);
	root_cpus_resume(per_cpu(0));
}

static void test_park_root_frozen(void)
{
	struct per_cpu *t = per_cpu(1);

	memset(script, 0, sizeof(script));
	script_step = vcpu_resets = 0;
	script[0] = resume_root;
	root_frozen = true;
	t->cpu_on_entry = 0x4000;
	t->cpu_on_pending = true;
	if (setjmp(left) == 0)
		cpu_park(t);
	CHECK_EQ("park: started once the root is released", vcpu_resets, 1);
	CHECK_EQ("park: at the requested entry", reset_entry, 0x4000);
	CHECK("park: running, request consumed", t->run_state == CPU_RUNNING &&
	      !t->cpu_on_pending);
	CHECK("park: no lock held", locks_free());
}

static struct cell stopping_cell;

static void sibling_start(struct per_cpu *pc)
{
	CHECK("park: the stopped cell's CPU_ON was dropped", !pc->cpu_on_pending &&
	      pc->run_state == CPU_PARKED);
	/* The root starts the cell anew: cell_start's order. */
	spin_lock(&cpu_state_lock);
	pc->cpu_on_entry = 0x2000;
	stopping_cell.stopping = false;
	pc->cpu_on_pending = true;
	spin_unlock(&cpu_state_lock);
}

static void test_park_cell_stopping(void)
{
	struct per_cpu *t = per_cpu(2);

	stopping_cell.config = &system_config->root_cell;
	stopping_cell.stopping = true;
	t->cell = &stopping_cell;
	memset(script, 0, sizeof(script));
	script_step = vcpu_resets = 0;
	script[0] = sibling_start;
	/* A sibling's CPU_ON that raced with the stop. */
	t->cpu_on_entry = 0x666;
	t->cpu_on_pending = true;
	if (setjmp(left) == 0)
		cpu_park(t);
	CHECK_EQ("park: started only by the new start", vcpu_resets, 1);
	CHECK_EQ("park: at the new start's entry, not the stale one", reset_entry, 0x2000);
	t->cell = &root_cell;
}

static void test_park_then_shutdown(void)
{
	struct per_cpu *t = per_cpu(3);
	int how;

	memset(script, 0, sizeof(script));
	script_step = 0;
	hypervisor_shutting_down = true;
	t->cpu_on_pending = true;	/* too late: the hypervisor goes */
	how = setjmp(left);
	if (how == 0)
		cpu_park(t);
	CHECK_EQ("park: a parked CPU turns off when the hypervisor goes", how, 2);
	hypervisor_shutting_down = false;
	t->cpu_on_pending = false;
}

int main(void)
{
	machine_setup();
	test_disable_abort();
	test_disable_refused_with_cells();
	test_disable_go();
	test_park_root_frozen();
	test_park_cell_stopping();
	test_park_then_shutdown();
	fake_pool_teardown(&mem_pool, 0);
	return CHECK_DONE();
}
