/* The hypercall interface (Jailhouse-compatible codes, see warden/hypercall.h). */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/vpci.h>
#include <wd/console.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/iommu.h>

extern unsigned int num_cells;

/*
 * The root's stage-2 only changes in management hypercalls, while every
 * other root CPU is held at EL2 (root_cpus_suspend): a root CPU in this call
 * is waited for, so it never walks tables being changed. A non-root cell
 * could walk tables while they are freed, so it is refused.
 */
static long root_stage2_ram(struct per_cpu *pc, unsigned int level)
{
	struct paging_shape shape;

	if (pc->cell != &root_cell)
		return -EPERM;
	paging_get_shape(&root_cell.stage2, &shape);
	return (long)shape.ram_bytes[level];
}

/*
 * The root's questions (100 and up): out of line, so that the counters below
 * are answered without a stack frame or a longer chain of compares (the
 * hypercall round trip in "make bench" is GET_INFO NUM_CELLS).
 */
static __attribute__((noinline)) long get_info_root(struct per_cpu *pc,
						    unsigned long type,
						    unsigned long arg)
{
	switch (type) {
	case WD_INFO_ROOT_STAGE2_RAM_1G:
		return root_stage2_ram(pc, 1);
	case WD_INFO_ROOT_STAGE2_RAM_2M:
		return root_stage2_ram(pc, 2);
	case WD_INFO_ROOT_STAGE2_RAM_4K:
		return root_stage2_ram(pc, 3);
	case WD_INFO_CELL_DMA_FAULTS:
		return pc->cell == &root_cell ? arch_cell_dma_faults(arg) : -EPERM;
	case WD_INFO_CELL_IVSHMEM:
		return pc->cell == &root_cell ? vpci_info(arg) : -EPERM;
	default:
		return -EINVAL;
	}
}

static long get_info(struct per_cpu *pc, unsigned long type, unsigned long arg)
{
	switch (type) {
	case WD_INFO_MEM_POOL_SIZE:
		return (long)mem_pool.pages;
	case WD_INFO_MEM_POOL_USED:
		return (long)mem_pool.used;
	case WD_INFO_REMAP_POOL_SIZE:
		return (long)remap_pool.pages;
	case WD_INFO_REMAP_POOL_USED:
		return (long)remap_pool.used;
	case WD_INFO_NUM_CELLS:
		return (long)num_cells;
	default:
		return get_info_root(pc, type, arg);
	}
}

static long cpu_get_info(struct per_cpu *caller, unsigned long cpu,
			 unsigned long type)
{
	struct per_cpu *pc;

	if (cpu >= CONFIG_WD_MAX_CPUS || !per_cpu(cpu)->cell)
		return -EINVAL;
	pc = per_cpu(cpu);
	/* A non-root cell may only look at its own CPUs. */
	if (caller->cell != &root_cell && pc->cell != caller->cell)
		return -EPERM;
	if (type == WD_CPU_INFO_STATE)
		return pc->failed ? WD_CPU_FAILED : WD_CPU_RUNNING;
	if (type >= WD_CPU_INFO_STAT_BASE &&
	    type < WD_CPU_INFO_STAT_BASE + WD_CPU_NUM_STATS) {
		/* Statistics are 64-bit; x0 is too, but keep them non-negative. */
		return (long)(pc->stats[type - WD_CPU_INFO_STAT_BASE] &
			      0x7fffffffffffffffULL);
	}
	return -EINVAL;
}

static long cell_get_state(struct per_cpu *pc, unsigned long id)
{
	struct cell *cell;

	if (pc->cell != &root_cell)
		return -EPERM;
	cell = id > 0xffffffffUL ? NULL : cell_by_id((unsigned int)id);
	if (!cell)
		return -ENOENT;
	/* A running cell may report itself locked through its comm region. */
	if (cell->state == WD_CELL_RUNNING && cell->comm_page &&
	    cell->comm_page->cell_state == WD_CELL_RUNNING_LOCKED)
		return WD_CELL_RUNNING_LOCKED;
	return cell->state;
}

/* Out of line: its buffer would give every query a stack frame. */
static __attribute__((noinline)) long debug_putc(struct per_cpu *pc, unsigned long c)
{
	char ch = (char)c;

	if (!(pc->cell->config->flags & WD_CELL_VIRTUAL_CONSOLE_PERMITTED) &&
	    pc->cell != &root_cell)
		return -EPERM;
	console_putc_cpu(pc->cpu_id, ch);
	return 0;
}

/*
 * One management call at a time, whatever the driver does: two root CPUs
 * must not edit cells or the root's stage-2 together. A cell is refused
 * before the lock, so that it cannot contend for it (a cell CPU spinning on
 * the lock would not answer a park request of the lock's holder).
 */
static long cell_management(struct per_cpu *pc, unsigned long code,
			    unsigned long arg)
{
	long ret;

	if (pc->cell != &root_cell)
		return refuse(-EPERM, WD_REASON_CALLER, 0, 0,
			      code == WD_HC_CELL_CREATE ?
			      "only the root cell may create cells" :
			      code == WD_HC_STREAM_RETURN ?
			      "only the root cell may take back a stream id" :
			      "only the root cell may manage cells");
	mgmt_lock(pc);
	switch (code) {
	case WD_HC_CELL_CREATE:
		ret = cell_create(pc, arg);
		break;
	case WD_HC_CELL_START:
		ret = cell_start(pc, arg);
		break;
	case WD_HC_CELL_SET_LOADABLE:
		ret = cell_set_loadable(pc, arg);
		break;
	case WD_HC_STREAM_RETURN:
		ret = arg > 0xffffffffUL ?
		      refuse(-EINVAL, WD_REASON_CONFIG, 0, arg,
			     "stream id 0x%lx is out of range", arg) :
		      iommu_stream_return((u32)arg);
		break;
	default:
		ret = cell_destroy(pc, arg);
		break;
	}
	mgmt_unlock();
	return ret;
}

_Static_assert(HYPERCALL_FIRST_QUERY == WD_HC_HYPERVISOR_GET_INFO &&
	       HYPERCALL_LAST_QUERY == WD_HC_DEBUG_CONSOLE_PUTC &&
	       WD_HC_CELL_GET_STATE > HYPERCALL_FIRST_QUERY &&
	       WD_HC_CPU_GET_INFO < HYPERCALL_LAST_QUERY,
	       "the query hypercalls are one range");

/* Codes HYPERCALL_FIRST_QUERY..LAST_QUERY only (light-exit-entry.S calls it too). */
long hypercall_query(struct per_cpu *pc, unsigned long code, unsigned long arg1,
		     unsigned long arg2)
{
	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_HYPERCALL);
	switch (code) {
	case WD_HC_HYPERVISOR_GET_INFO:
		return get_info(pc, arg1, arg2);
	case WD_HC_CELL_GET_STATE:
		return cell_get_state(pc, arg1);
	case WD_HC_CPU_GET_INFO:
		return cpu_get_info(pc, arg1, arg2);
	default:
		return debug_putc(pc, arg1);
	}
}

long hypercall(struct per_cpu *pc, unsigned long code, unsigned long arg1,
	       unsigned long arg2)
{
	/*
	 * Queries get no reason when refused: sysfs readers issue them
	 * concurrently with the management calls, and their errno says
	 * everything. Management calls (and unknown codes) do.
	 */
	if (code >= HYPERCALL_FIRST_QUERY && code <= HYPERCALL_LAST_QUERY)
		return hypercall_query(pc, code, arg1, arg2);
	cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_HYPERCALL);
	reason_call(pc, (u32)code);
	switch (code) {
	case WD_HC_DISABLE:
		cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_MANAGEMENT);
		return hypervisor_disable(pc);
	case WD_HC_CELL_CREATE:
	case WD_HC_CELL_START:
	case WD_HC_CELL_SET_LOADABLE:
	case WD_HC_CELL_DESTROY:
	case WD_HC_STREAM_RETURN:
		cpu_stat_inc(pc, WD_CPU_STAT_VMEXITS_MANAGEMENT);
		return cell_management(pc, code, arg1);
	default:
		return refuse(-ENOSYS, WD_REASON_NONE, 0, code,
			      "unknown hypercall code %lu", code);
	}
}
