/* Cells: the root cell's set-up from the system configuration. */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/console.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <wd/vpci.h>

struct cell root_cell;
struct cell *cells = &root_cell;
unsigned int num_cells = 1;

extern struct wd_console_ring console_ring;

static struct paging_live root_live;

static void root_tlb_flush(void *cell)
{
	arch_cell_tlb_flush(cell);
}

_Static_assert(WD_MEM_READ == PAGE_READ && WD_MEM_WRITE == PAGE_WRITE &&
	       WD_MEM_EXECUTE == PAGE_EXEC && WD_MEM_IO >> 1 == PAGE_DEVICE,
	       "cell_region_page_flags: READ, WRITE, EXECUTE as they are, IO one bit down");

u32 cell_region_page_flags(const struct wd_mem_region *mem)
{
	u32 flags = (u32)mem->flags;

	return (flags & (PAGE_READ | PAGE_WRITE | PAGE_EXEC)) | ((flags >> 1) & PAGE_DEVICE);
}

/* One copy for the root cell's set-up and cell_create. */
__noinline void cpu_set_add_config(u64 *set, const struct wd_cell_desc *c)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
		if (wd_cell_has_cpu(c, cpu))
			set[cpu / 64] |= 1ULL << (cpu % 64);
}

/*
 * Whether [start, start+size) fits in an address space of @bits bits. The
 * CPU's physical size bounds both sides of stage 2: the IPA space is made as
 * large as the physical one, and an output address beyond it would fault.
 */
static bool fits_bits(u64 start, u64 size, unsigned int bits)
{
	u64 limit = 1ULL << bits;

	return start < limit && size <= limit - start;
}

int cell_map_memory(struct cell *cell)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell->config);
	unsigned int n, bits = arch_phys_bits();
	int err;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		/* Comm: a page of its own; size 0: a placeholder (e.g. ivshmem). */
		if ((mem->flags & WD_MEM_COMM_REGION) || !mem->size)
			continue;
		if (!fits_bits(mem->phys_start, mem->size, bits) ||
		    !fits_bits(mem->virt_start, mem->size, bits)) {
			bool phys = !fits_bits(mem->phys_start, mem->size, bits);
			u64 start = phys ? mem->phys_start : mem->virt_start;

			return refuse(-ERANGE, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (%s 0x%llx-0x%llx) is beyond the CPU's %u-bit physical address space (max 0x%llx)",
				      cell->config->name, n, phys ? "phys" : "virt",
				      start, start + mem->size - 1, bits,
				      (1ULL << bits) - 1);
		}
		if (!IS_ALIGNED(mem->virt_start | mem->size | mem->phys_start,
				PAGE_SIZE))
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (phys 0x%llx, size 0x%llx) is not page aligned; sub-page regions are not supported yet",
				      cell->config->name, n, mem->phys_start, mem->size);
		err = paging_map(&cell->stage2, mem->virt_start, mem->phys_start,
				 mem->size, cell_region_page_flags(mem),
				 !(mem->flags & WD_MEM_NO_HUGEPAGES));
		if (err == -ERANGE)
			return refuse(err, WD_REASON_MEMORY, n, mem->virt_start,
				      "cell '%s': memory region #%u (virt 0x%llx-0x%llx) is beyond the stage-2 tables' reach",
				      cell->config->name, n, mem->virt_start,
				      mem->virt_start + mem->size - 1);
		if (err)
			return refuse(err, WD_REASON_MEMORY_OR_NOMEM, n, mem->phys_start,
				      "cell '%s': cannot map memory region #%u (phys 0x%llx-0x%llx, virt 0x%llx): error %d; page pool %llu/%llu used",
				      cell->config->name, n, mem->phys_start,
				      mem->phys_start + mem->size - 1, mem->virt_start,
				      err, mem_pool.used, mem_pool.pages);
	}
	return 0;
}

static void cell_take_irqs(struct cell *cell, u64 gicd_base)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell->config);
	unsigned int n, word;

	for (n = 0; n < cell->config->num_irqchips; n++, chip++) {
		if (chip->address != gicd_base)
			continue;
		for (word = 0; word < 4; word++) {
			unsigned int first = chip->pin_base + word * 32;

			if (first >= MAX_IRQS)
				break;
			cell->irq_owned[first / 32] |= chip->pin_bitmap[word];
		}
	}
}

int root_cell_init(const struct wd_system_config *sys)
{
	struct cell *cell = &root_cell;
	const struct wd_cell_desc *desc = &sys->root_cell;
	u64 ring = (u64)(uintptr_t)&console_ring;
	/* The linker puts the reason record right after the ring (hypervisor.lds). */
	u64 end = (u64)(uintptr_t)&reason_record + sizeof(reason_record);
	int err;

	cell->id = 0;
	cell->vmid = 0;
	cell->config = desc;
	cpu_set_add_config(cell->cpu_set, desc);
	cell_take_irqs(cell, sys->platform.arm.gicd_base);

	err = arch_stage2_init(&cell->stage2);
	if (err)
		return err;
	err = cell_map_memory(cell);
	if (err)
		return err;
	/*
	 * The driver shows the hypervisor's log and the reasons of refusals:
	 * let the root read the ring and the reason record.
	 */
	err = paging_map(&cell->stage2, ALIGN_DOWN(ring, PAGE_SIZE),
			 ALIGN_DOWN(ring, PAGE_SIZE),
			 ALIGN_UP(end, PAGE_SIZE) - ALIGN_DOWN(ring, PAGE_SIZE),
			 PAGE_READ, false);
	if (err)
		return err;
	arch_cell_init(cell);
	cell->state = WD_CELL_RUNNING;
	err = vpci_cell_check(desc);
	if (!err)
		err = vpci_cell_create(cell);
	if (err)
		return err;
	/* From now on CPUs walk these tables while management changes them. */
	root_live.flush = root_tlb_flush;
	root_live.ctx = cell;
	root_live.deferred = 0;
	cell->stage2.live = &root_live;
	return 0;
}

struct cell *cell_by_id(unsigned int id)
{
	struct cell *cell;

	for (cell = cells; cell; cell = cell->next)
		if (cell->id == id)
			return cell;
	return NULL;
}
