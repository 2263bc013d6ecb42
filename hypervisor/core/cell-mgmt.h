/*
 * Cell management on behalf of the root cell, private to the core: create,
 * set loadable, start, destroy, and stopping a cell that failed or switched
 * itself off. The public calls are declared in <wd/cell.h>; this header joins
 * the files that implement them, one concern each:
 *
 *   cell-mgmt-caller.c   who may manage which cell (root only, no disable)
 *   cell-config-copy.c   the configuration copied out of the root's memory
 *   cell-check.c         the configuration against the running system
 *   cell-create.c        building a cell and moving resources to it
 *   cell-root-memory.c   memory moving between the root and a cell
 *   cell-comm.c          the comm region and the shutdown request protocol
 *   cell-start-stop.c    set-loadable, start, and a cell's own stops
 *   cell-destroy.c       DMA abort, scrub, and everything back to the root
 *
 * The root's other CPUs are held at EL2 (root_cpus_suspend, cell-cpus.c)
 * while the root's stage-2 tables change, and CPUs change owner only while
 * parked. The management calls run under mgmt_lock (hypercall.c).
 *
 * Every refusal goes through refuse() (reason.c): one line naming the cell
 * and the CPU, interrupt or address at fault, which the driver puts into the
 * kernel log.
 */
#ifndef WD_CORE_CELL_MGMT_H
#define WD_CORE_CELL_MGMT_H

#include <warden/cell-config.h>
#include <wd/cell.h>
#include <wd/percpu.h>

/* The root waits this long at most for a cell's answer (the call blocks it). */
#define MAX_REPLY_TIMEOUT_MS	60000

/* cell-mgmt-caller.c */
int refuse_busy_disable(void);
struct cell *managed_cell(struct per_cpu *pc, unsigned long id, long *err);

/* cell-config-copy.c: a validated copy in pool pages (*pages_out of them). */
int copy_config(u64 gpa, struct wd_cell_desc **out, u64 *pages_out);

/* cell-check.c */
int check_cell_config(struct per_cpu *pc, const struct wd_cell_desc *c);

/* cell-root-memory.c */
const struct wd_mem_region *root_region_containing(u64 phys, u64 size);
int root_map_region(const struct wd_mem_region *mem, bool give);
bool region_moves(const struct wd_mem_region *mem);
void root_give_back(const struct wd_cell_desc *c, unsigned int upto);
long root_map_loadable(struct per_cpu *pc, struct cell *cell, bool give);

/* cell-comm.c */
void comm_region_init(struct cell *cell);
const struct wd_mem_region *cell_comm_region(const struct wd_cell_desc *c);
int map_comm_region(struct cell *cell);
int request_shutdown(struct cell *cell);

/* cell-create.c */
void move_irqs(struct cell *from, struct cell *to, const struct wd_cell_desc *c);

/* cell-destroy.c */
void cell_free(struct cell *cell);

#endif
