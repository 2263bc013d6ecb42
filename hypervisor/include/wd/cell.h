#ifndef WD_CELL_H
#define WD_CELL_H

#include <wd/types.h>
#include <wd/paging.h>
#include <wd/mmio.h>
#include <wd/spinlock.h>
#include <warden/cell-config.h>
#include <warden/hypercall.h>

#define MAX_IRQS		1024
#define CPU_SET_WORDS		DIV_ROUND_UP(CONFIG_WD_MAX_CPUS, 64)

struct cell {
	unsigned int id;
	const struct wd_cell_desc *config;
	u16 vmid;
	struct paging stage2;
	u64 cpu_set[CPU_SET_WORDS];
	/* Shared peripheral interrupts the cell owns (bit n = INTID n) */
	u32 irq_owned[MAX_IRQS / 32];
	struct mmio_regions mmio;
	volatile u32 state;		/* WD_CELL_* */
	struct cell *next;
};

extern struct cell root_cell;
extern struct cell *cells;		/* the root cell first */
extern unsigned int num_cells;

static inline bool cell_has_cpu(const struct cell *cell, unsigned int cpu)
{
	return cpu < CONFIG_WD_MAX_CPUS &&
	       (cell->cpu_set[cpu / 64] >> (cpu % 64)) & 1;
}

#define for_each_cpu_in_cell(cpu, cell)					\
	for ((cpu) = 0; (cpu) < CONFIG_WD_MAX_CPUS; (cpu)++)		\
		if (cell_has_cpu(cell, cpu))

static inline bool cell_owns_irq(const struct cell *cell, unsigned int irq)
{
	return irq < MAX_IRQS && (cell->irq_owned[irq / 32] >> (irq % 32)) & 1;
}

/* Convert a memory region's flags into PAGE_* rights. */
u32 cell_region_page_flags(const struct wd_mem_region *mem);
/* Build a cell's stage-2 tables from its memory regions. */
int cell_map_memory(struct cell *cell);

extern const struct paging_format stage2_paging_format;
extern const struct paging_format el2_paging_format;
unsigned int arch_stage2_start_level(void);

int root_cell_init(const struct wd_system_config *sys);
struct cell *cell_by_id(unsigned int id);

#endif
