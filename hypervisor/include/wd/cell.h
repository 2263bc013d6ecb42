#ifndef WD_CELL_H
#define WD_CELL_H

#include <wd/types.h>
#include <wd/paging.h>
#include <wd/mmio.h>
#include <wd/spinlock.h>
#include <warden/cell-config.h>
#include <warden/hypercall.h>

struct per_cpu;
struct vpci;

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
	bool loadable;			/* loadable regions mapped into the root */
	/* No CPU of the cell may start (cpu_state_lock): it is being stopped. */
	bool stopping;
	/* Stage-2 root table taken away to force CPUs out (cell-cpus.c). */
	bool stage2_revoked;
	u64 *stage2_saved;		/* one page, allocated at create */
	struct wd_comm_region *comm_page;
	u64 config_pages;		/* pool pages holding the config copy */
	struct vpci *vpci;		/* virtual PCI devices (vpci.c), or NULL */
	u64 vpci_pages;
	struct vits *vits;		/* its virtual GIC ITS (arch/arm64/vits.c), or NULL */
	/* Its devices' stage 2 when it differs from its CPUs' (wd/dma-view.h), or NULL */
	struct dma_view *dma_view;
	bool dma_view_told;		/* a refusal on its own CPU was logged once */
	struct cell *next;
};

extern struct cell root_cell;
extern struct cell *cells;		/* the root cell first */
extern unsigned int num_cells;

/*
 * Always inline, as the walk below tests the bit itself: left to the
 * compiler, this and cell_owns_irq() became calls at some thirty sites, each
 * larger than the test (about 600 bytes in all).
 */
static inline __attribute__((always_inline)) bool
cell_has_cpu(const struct cell *cell, unsigned int cpu)
{
	return cpu < CONFIG_WD_MAX_CPUS &&
	       (cell->cpu_set[cpu / 64] >> (cpu % 64)) & 1;
}

/* @cell is evaluated once per CPU: no side effects. */
#define for_each_cpu_in_cell(cpu, cell)					\
	for ((cpu) = 0; (cpu) < CONFIG_WD_MAX_CPUS; (cpu)++)		\
		if (((cell)->cpu_set[(cpu) / 64] >> ((cpu) % 64)) & 1)

static inline __attribute__((always_inline)) bool
cell_owns_irq(const struct cell *cell, unsigned int irq)
{
	return irq < MAX_IRQS && (cell->irq_owned[irq / 32] >> (irq % 32)) & 1;
}

/* Convert a memory region's flags into PAGE_* rights. */
u32 cell_region_page_flags(const struct wd_mem_region *mem);
/* Or the CPUs @c lists (below CONFIG_WD_MAX_CPUS) into the bitmap @set. */
void cpu_set_add_config(u64 *set, const struct wd_cell_desc *c);
/* Build a cell's stage-2 tables from its memory regions. */
int cell_map_memory(struct cell *cell);

extern const struct paging_format stage2_paging_format;
extern const struct paging_format el2_paging_format;
/* Set up a cell's stage-2 tables for the CPU's physical address size. */
int arch_stage2_init(struct paging *pg);
/* Physical address bits the CPU implements (as used: at most 48). */
unsigned int arch_phys_bits(void);

int root_cell_init(const struct wd_system_config *sys);
struct cell *cell_by_id(unsigned int id);

/* Management (root cell only): return 0 / the new id, or -errno. */
long cell_create(struct per_cpu *pc, u64 config_gpa);
long cell_start(struct per_cpu *pc, unsigned long id);
long cell_set_loadable(struct per_cpu *pc, unsigned long id);
long cell_destroy(struct per_cpu *pc, unsigned long id);
/* Stop the calling CPU's cell after a fault; parks this CPU. */
void cell_fail(struct per_cpu *pc, const char *why);
/* A cell asked to be switched off (PSCI SYSTEM_OFF/RESET). */
void cell_shut_down_self(struct per_cpu *pc);

/*
 * CPU ownership and stopping (cell-cpus.c; see there for the rules).
 * cpu_state_lock guards run_state PARKED <-> RUNNING, per_cpu->cell and
 * cpu_on_pending of parked CPUs, cell->stopping and root_frozen.
 */
#define CPU_PARK_TIMEOUT_MS	1000
extern spinlock_t cpu_state_lock;
extern bool root_frozen;
u64 ms_to_ticks(u64 ms, u64 freq);
u64 deadline_after_ms(u64 ms);
void mgmt_lock(struct per_cpu *pc);
void mgmt_unlock(void);
bool mgmt_locked(void);
void cpu_serve_suspend(struct per_cpu *pc);
unsigned int cell_request_park(struct cell *cell, struct per_cpu *self);
/* Park every CPU of @cell but @self; -ETIMEDOUT (cell failed) if one does not. */
int cell_stop_cpus(struct cell *cell, struct per_cpu *self);
void cell_stage2_restore(struct cell *cell);
/* Hold the root's other CPUs at EL2; -ETIMEDOUT (nothing held) if one does not stop. */
int root_cpus_suspend(struct per_cpu *self);
void root_cpus_resume(struct per_cpu *self);
bool cpu_may_start(struct per_cpu *pc);
/* Move the parked CPUs in @set; -1 when done, else the CPU that is not movable. */
int cpus_hand_over(struct cell *from, struct cell *to, const u64 *set,
		   struct per_cpu *self);

/* Park the calling CPU until it is started again; returns with a fresh vCPU. */
void cpu_park(struct per_cpu *pc);
/* The event SGI arrived: act on park/suspend requests. */
void cpu_handle_event(struct per_cpu *pc);

/* Arch hooks for cells */
/* Checks of a new cell's configuration against the platform (stream ids). */
int arch_cell_check(const struct wd_cell_desc *config);
/* DMA faults recorded for the cell with id @id (WD_INFO_CELL_DMA_FAULTS). */
long arch_cell_dma_faults(unsigned long id);
int arch_cell_create(struct cell *cell);
void arch_cell_destroy(struct cell *cell);
/* Flush the cell's stage-2 translations from every CPU's TLB. */
void arch_cell_tlb_flush(struct cell *cell);
/* Run pc->cell's vCPU from @entry with x0 = @context, EL1, MMU off. */
void arch_vcpu_reset(struct per_cpu *pc, u64 entry, u64 context);
void arch_irq_disable(unsigned int irq);
void arch_irq_route(unsigned int irq, struct cell *owner);
/* An SPI changes owner: disabled, idle, default setup, routed to @owner. */
void arch_irq_reset(unsigned int irq, struct cell *owner);
/* Map @size bytes of physical memory temporarily; unmap with arch_unmap_temp. */
void *arch_map_temp(u64 phys, u64 size);
void arch_unmap_temp(void *virt, u64 size);
/* Zero @size bytes at @virt and clean them to the point of coherency. */
void arch_scrub_memory(void *virt, u64 size);

#endif
