/*
 * Who may manage which cell: only the root cell, never while a disable of the
 * hypervisor is in progress, and never the root itself. Shared by every
 * management call so that the refusals read the same.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/percpu.h>
#include <wd/reason.h>
#include "cell-mgmt.h"

int refuse_busy_disable(void)
{
	return refuse(-EBUSY, WD_REASON_CELL, 0, 0,
		      "a disable of the hypervisor is in progress: no cell management");
}

struct cell *managed_cell(struct per_cpu *pc, unsigned long id, long *err)
{
	struct cell *cell;

	*err = 0;
	if (pc->cell != &root_cell) {
		*err = refuse(-EPERM, WD_REASON_CALLER, 0, 0,
			      "only the root cell may manage cells");
		return NULL;
	}
	if (disable_in_progress) {
		*err = refuse_busy_disable();
		return NULL;
	}
	cell = id <= 0xffffffffUL ? cell_by_id((unsigned int)id) : NULL;
	if (!cell || cell == &root_cell) {
		if (id == 0)
			*err = refuse(-EINVAL, WD_REASON_CELL, 0, 0,
				      "the root cell cannot be loaded, started or destroyed");
		else
			*err = refuse(-ENOENT, WD_REASON_CELL, (u32)id, 0,
				      "no cell with id %lu", id);
		return NULL;
	}
	return cell;
}
