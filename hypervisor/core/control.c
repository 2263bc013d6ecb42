/*
 * Taking over and giving back the machine: the global set-up done by the boot
 * CPU, the rendezvous of all CPUs at enable, and disable.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/console.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <asm/processor.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>

#define RENDEZVOUS_TIMEOUT_SEC	5

const struct wd_system_config *system_config;
struct wd_fw_header *fw_header;
u64 hv_phys_base, hv_mem_size;

static volatile int global_init_done;
static int global_init_error;
static int enable_error;
static unsigned int cpus_arrived;

volatile bool hypervisor_shutting_down;

extern struct wd_console_ring console_ring;

static bool wait_until(volatile unsigned int *counter, unsigned int value)
{
	u64 deadline = deadline_after_ms(RENDEZVOUS_TIMEOUT_SEC * 1000ULL);

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < value) {
		if (timer_ticks() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

static void record_error(int err)
{
	int none = 0;

	__atomic_compare_exchange_n(&enable_error, &none, err, false,
				    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static int init_console(void)
{
	const struct wd_console *con = &system_config->debug_console;
	void *base = NULL;
	int err;

	if (con->type != WD_CON_TYPE_NONE && (con->flags & WD_CON_ACCESS_MMIO) &&
	    con->address) {
		err = arch_map_device(ALIGN_DOWN(con->address, PAGE_SIZE),
				      PAGE_SIZE, &base);
		if (err)
			return err;
		base = (u8 *)base + (con->address & ~PAGE_MASK);
	}
	console_init(&console_ring, con, base);
	return 0;
}

static int global_init(void)
{
	int err;

	err = init_console();
	if (err)
		return err;
	printk("\nWarden hypervisor: initializing on %u CPUs, memory 0x%llx-0x%llx\n",
	       fw_header->online_cpus, hv_phys_base,
	       hv_phys_base + hv_mem_size - 1);
	err = arch_global_init();
	if (err)
		return err;
	err = root_cell_init(system_config);
	if (err)
		return refuse(err, WD_REASON_MEMORY_OR_NOMEM, 0, 0,
			      "root cell '%s': set-up failed (error %d; page pool %llu/%llu used)",
			      system_config->root_cell.name, err, mem_pool.used,
			      mem_pool.pages);
	printk("Page pool: %llu of %llu pages used after root cell set-up; remap pool: %llu of %llu\n",
	       mem_pool.used, mem_pool.pages, remap_pool.used, remap_pool.pages);
	return 0;
}

static __noinline int cpu_init(struct per_cpu *pc)
{
	int err;

	if (!cell_has_cpu(&root_cell, pc->cpu_id))
		return refuse(-EINVAL, WD_REASON_CPU, pc->cpu_id, 0,
			      "CPU %u is online in Linux but not in root cell '%s'",
			      pc->cpu_id, root_cell.config->name);
	pc->cell = &root_cell;
	err = arch_cpu_init(pc);
	if (err)
		return err;
	pc->initialized = true;
	pc->run_state = CPU_RUNNING;
	return 0;
}

int wd_cpu_entry(unsigned int cpu)
{
	struct per_cpu *pc = per_cpu(cpu);
	int err = 0;

	pc->cpu_id = cpu;
	/* Refusals from here on are the enable's reasons (the first one wins). */
	reason_call(pc, WD_REASON_CALL_ENABLE);
	if (cpu == fw_header->boot_cpu) {
		err = global_init();
		global_init_error = err;
		__atomic_store_n(&global_init_done, 1, __ATOMIC_RELEASE);
	} else if (!wait_until((volatile unsigned int *)&global_init_done, 1)) {
		err = refuse(-ETIMEDOUT, WD_REASON_TIMEOUT, fw_header->boot_cpu, 0,
			     "CPU %u: the boot CPU %u did not finish the global set-up within %u s",
			     cpu, fw_header->boot_cpu, RENDEZVOUS_TIMEOUT_SEC);
	} else {
		err = global_init_error;
	}
	if (!err) {
		err = cpu_init(pc);
		if (err)
			refuse(err, WD_REASON_CPU, cpu, 0,
			       "CPU %u: activation failed (error %d)", cpu, err);
	}
	if (err)
		record_error(err);

	/* Either every CPU becomes part of the root cell, or none does. */
	__atomic_fetch_add(&cpus_arrived, 1, __ATOMIC_ACQ_REL);
	if (!wait_until(&cpus_arrived, fw_header->online_cpus)) {
		record_error(refuse(-ETIMEDOUT, WD_REASON_TIMEOUT, cpu, 0,
				    "CPU %u: only %u of %u CPUs arrived in the hypervisor within %u s",
				    cpu, __atomic_load_n(&cpus_arrived, __ATOMIC_RELAXED),
				    fw_header->online_cpus, RENDEZVOUS_TIMEOUT_SEC));
	}
	err = __atomic_load_n(&enable_error, __ATOMIC_ACQUIRE);
	if (err) {
		/* Every CPU has arrived: no one writes the pool any more. */
		if (cpu == fw_header->boot_cpu) {
			arch_global_exit();
			arch_flush_hv_memory();
		}
		if (pc->initialized)
			arch_cpu_deinit(pc);
		pc->initialized = false;
		return err;
	}
	/* Enabled: from now on every refusal replaces the previous reason. */
	reason_keep_first(false);
	printk("CPU %u activated (MPIDR 0x%llx)\n", cpu, pc->mpidr);
	return 0;
}

/*
 * The initialized root CPUs in run state @state: how many, and @fn (if any)
 * called on each. One walk for the counts and the wake-ups of disable.
 */
static __noinline unsigned int root_cpus_in(unsigned int state,
					    void (*fn)(struct per_cpu *))
{
	unsigned int cpu, n = 0;

	for_each_cpu_in_cell(cpu, &root_cell)
		if (per_cpu(cpu)->initialized && per_cpu(cpu)->run_state == state) {
			if (fn)
				fn(per_cpu(cpu));
			n++;
		}
	return n;
}

/* Root CPUs that run Linux (not parked by PSCI CPU_OFF). */
static unsigned int running_root_cpus(void)
{
	return root_cpus_in(CPU_RUNNING, NULL);
}

/*
 * Disable is a rendezvous of every running root CPU. One decision is taken
 * for all of them, once: GO when every running root CPU has arrived (under
 * cpu_state_lock, so that no parked CPU starts in between), ABORT when the
 * time is up first. Nobody leaves EL2 unless everyone does.
 */
enum { DISABLE_WAIT, DISABLE_GO, DISABLE_ABORT };
static unsigned int disable_arrived, disable_left;
static int disable_decision = DISABLE_WAIT;
bool disable_in_progress;

static int disable_decide(unsigned int arrived, u64 deadline)
{
	int want = DISABLE_WAIT, d;

	spin_lock(&cpu_state_lock);
	d = __atomic_load_n(&disable_decision, __ATOMIC_ACQUIRE);
	if (d == DISABLE_WAIT) {
		if (arrived >= running_root_cpus())
			want = DISABLE_GO;
		else if (timer_ticks() > deadline)
			want = DISABLE_ABORT;
		if (want != DISABLE_WAIT) {
			d = want;
			__atomic_store_n(&disable_decision, d, __ATOMIC_RELEASE);
			if (d == DISABLE_GO)
				__atomic_store_n(&hypervisor_shutting_down, true,
						 __ATOMIC_RELEASE);
		}
	}
	spin_unlock(&cpu_state_lock);
	return d;
}

long hypervisor_disable(struct per_cpu *pc)
{
	unsigned int arrived, expected;
	u64 deadline;
	int d;

	if (pc->cell != &root_cell)
		return refuse(-EPERM, WD_REASON_CALLER, 0, 0,
			      "only the root cell may disable the hypervisor");
	mgmt_lock(pc);
	if (num_cells > 1) {
		mgmt_unlock();
		return refuse(-EBUSY, WD_REASON_CELL, num_cells - 1, 0,
			      "disable refused: %u non-root cell(s) still exist; destroy them first",
			      num_cells - 1);
	}
	/* From here on no management call starts (they check this flag). */
	disable_in_progress = true;
	arrived = ++disable_arrived;
	mgmt_unlock();
	if (arrived == 1)
		printk("Shutting down the hypervisor\n");

	deadline = deadline_after_ms(RENDEZVOUS_TIMEOUT_SEC * 1000ULL);
	while ((d = disable_decide(__atomic_load_n(&disable_arrived,
						   __ATOMIC_ACQUIRE),
				   deadline)) == DISABLE_WAIT) {
		cpu_serve_suspend(pc);
		cpu_relax();
	}
	if (d == DISABLE_ABORT) {
		mgmt_lock(pc);
		expected = running_root_cpus();
		arrived = disable_arrived;
		/* The last one back resets the rendezvous for the next try. */
		if (++disable_left == disable_arrived) {
			disable_arrived = disable_left = 0;
			disable_in_progress = false;
			__atomic_store_n(&disable_decision, DISABLE_WAIT,
					 __ATOMIC_RELEASE);
		}
		mgmt_unlock();
		return refuse(-ETIMEDOUT, WD_REASON_TIMEOUT, pc->cpu_id, 0,
			      "disable aborted: only %u of %u running root cell CPUs asked to disable within %u s; the hypervisor stays enabled",
			      arrived, expected, RENDEZVOUS_TIMEOUT_SEC);
	}
	if (__atomic_add_fetch(&disable_left, 1, __ATOMIC_ACQ_REL) ==
	    __atomic_load_n(&disable_arrived, __ATOMIC_ACQUIRE)) {
		/* The last one out releases the CPUs Linux has offlined. */
		root_cpus_in(CPU_PARKED, arch_wake_cpu);
		root_cpus_in(CPU_PARKED, arch_wait_cpu_off);
		arch_global_exit();
		arch_flush_hv_memory();
	}
	printk("CPU %u: leaving the hypervisor\n", pc->cpu_id);
	arch_cpu_deinit(pc);
	pc->initialized = false;
	arch_leave_hypervisor(pc, 0);
}

void cpu_park(struct per_cpu *pc)
{
	u64 entry = 0, context = 0;
	bool start = false;

	console_flush_cpu(pc->cpu_id);
	arch_park_prepare(pc);
	spin_lock(&cpu_state_lock);
	__atomic_store_n(&pc->run_state, CPU_PARKED, __ATOMIC_RELEASE);
	pc->park_requested = false;
	spin_unlock(&cpu_state_lock);
	for (;;) {
		if (__atomic_load_n(&hypervisor_shutting_down, __ATOMIC_ACQUIRE))
			arch_park_cpu_off(pc);
		if (__atomic_load_n(&pc->cpu_on_pending, __ATOMIC_ACQUIRE)) {
			/* Owner, request and the stop flags are read together. */
			spin_lock(&cpu_state_lock);
			start = cpu_may_start(pc);
			if (start) {
				entry = pc->cpu_on_entry;
				context = pc->cpu_on_context;
				__atomic_store_n(&pc->run_state, CPU_RUNNING,
						 __ATOMIC_RELEASE);
				__atomic_store_n(&pc->cpu_on_pending, false,
						 __ATOMIC_RELEASE);
			}
			spin_unlock(&cpu_state_lock);
			if (start)
				break;
		}
		arch_wait_for_event(pc);
	}
	arch_vcpu_reset(pc, entry, context);
}

void cpu_handle_event(struct per_cpu *pc)
{
	cpu_serve_suspend(pc);
	if (__atomic_load_n(&pc->park_requested, __ATOMIC_ACQUIRE) &&
	    pc->run_state == CPU_RUNNING)
		cpu_park(pc);
}
