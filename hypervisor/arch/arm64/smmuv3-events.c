/*
 * SMMUv3 fault reporting: the event queue is polled (management calls,
 * reads of dma_faults and of the console), each fault logged with stream
 * id, address and owning cell (a burst folded into one line) and counted
 * per cell; global errors acknowledged and logged.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/iommu.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/spinlock.h>
#include <wd/string.h>
#include <asm/smmuv3.h>
#include <asm/sysregs.h>
#include "smmuv3-hw.h"
#include <wd/in-slot.h>

/* ---- events */

/* The event types the SMMUv3 architecture names, and their names in order. */
static const u8 event_types[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
	0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x24, 0x25,
};
static const char event_names[] =
	"F_UUT\0C_BAD_STREAMID\0F_STE_FETCH\0C_BAD_STE\0F_BAD_ATS_TREQ\0"
	"F_STREAM_DISABLED\0F_TRANSL_FORBIDDEN\0C_BAD_SUBSTREAMID\0F_CD_FETCH\0"
	"C_BAD_CD\0F_WALK_EABT\0F_TRANSLATION\0F_ADDR_SIZE\0F_ACCESS\0"
	"F_PERMISSION\0F_TLB_CONFLICT\0F_CFG_CONFLICT\0E_PAGE_REQUEST\0"
	"F_VMS_FETCH";

static IN_SLOT("event_name") const char *event_name(unsigned int type)
{
	const char *name = event_names;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(event_types); i++) {
		if (event_types[i] == type)
			return name;
		while (*name++)
			;
	}
	return "unknown event";
}

/* Events whose second and third words say what the device accessed. */
static bool event_has_address(unsigned int type)
{
	return type == 0x01 || type == 0x07 || (type >= 0x0b && type <= 0x13);
}

/*
 * A device's faulting transfer is often a burst of small accesses: one line
 * for the first, and the rest of the same kind on the same stream (address
 * going up) folded into a summary line.
 */
struct fault_run {
	unsigned int type, count;
	u32 sid;
	u64 last, flags;
	struct cell *owner;
};

static void run_flush(struct smmu *u, struct fault_run *run)
{
	if (run->count > 1)
		printk("SMMU 0x%llx: ... and %u more %s faults of stream id 0x%x up to 0x%llx\n",
		       u->phys, run->count - 1, event_name(run->type), run->sid,
		       run->last);
	run->count = 0;
}

static void log_event(struct smmu *u, const u64 *ev, struct fault_run *run,
		      unsigned int *lines)
{
	unsigned int type = ev[0] & 0xff;
	u32 sid = (u32)(ev[0] >> 32);
	int idx = root_sid_index(sid);
	struct cell *owner = idx >= 0 ? smmu_sid_owner[idx] : NULL;
	u64 flags = ev[1] & (1ULL << 35 | 1ULL << 39);

	if (owner && owner->id < MAX_FAULT_IDS)
		smmu_dma_faults[owner->id]++;
	if (run->count && run->type == type && run->sid == sid &&
	    run->flags == flags && run->owner == owner &&
	    ev[2] >= run->last && ev[2] - run->last <= PAGE_SIZE) {
		run->count++;
		run->last = ev[2];
		return;
	}
	run_flush(u, run);
	if (++*lines > MAX_LOGGED_EVENTS)
		return;
	run->type = type;
	run->sid = sid;
	run->flags = flags;
	run->owner = owner;
	run->last = ev[2];
	run->count = event_has_address(type) ? 1 : 0;
	if (event_has_address(type))
		printk("SMMU 0x%llx: DMA fault %s: stream id 0x%x (cell '%s') %s at 0x%llx%s\n",
		       u->phys, event_name(type), sid,
		       owner ? owner->config->name : "none",
		       ev[1] & (1ULL << 35) ? "read" : "write", ev[2],
		       ev[1] & (1ULL << 39) ? " (stage 2)" : "");
	else
		printk("SMMU 0x%llx: DMA fault %s: stream id 0x%x (%s%s%s)\n",
		       u->phys, event_name(type), sid,
		       owner ? "cell '" : "owned by no cell",
		       owner ? owner->config->name : "", owner ? "'" : "");
}

static void poll_unit(struct smmu *u)
{
	u32 size = 1U << u->evtq_log2, prod, cons, gerr;
	struct fault_run run = { .count = 0 };
	unsigned int lines = 0;

	gerr = (rd32(u, GERROR) ^ rd32(u, GERRORN)) & ~GERROR_CMDQ_ERR;
	if (gerr) {
		printk("SMMU 0x%llx: global error 0x%x acknowledged\n", u->phys, gerr);
		wr32(u, GERRORN, rd32(u, GERRORN) ^ gerr);
	}
	prod = rd32(u, EVENTQ_PROD);
	cons = rd32(u, EVENTQ_CONS);
	dsb(sy);	/* the records before the index that announced them */
	while (q_pos(cons, u->evtq_log2) != q_pos(prod, u->evtq_log2)) {
		log_event(u, &u->evtq[(cons & (size - 1)) * 4], &run, &lines);
		cons = (cons & Q_OVF) | q_pos(cons + 1, u->evtq_log2);
		wr32(u, EVENTQ_CONS, cons);
	}
	run_flush(u, &run);
	if (lines > MAX_LOGGED_EVENTS)
		printk("SMMU 0x%llx: %u more DMA fault(s) not shown\n", u->phys,
		       lines - MAX_LOGGED_EVENTS);
	if ((prod ^ cons) & Q_OVF) {
		printk("SMMU 0x%llx: event queue overflowed, DMA faults were lost\n",
		       u->phys);
		wr32(u, EVENTQ_CONS, (cons & ~Q_OVF) | (prod & Q_OVF));
	}
}

void poll_locked(void)
{
	unsigned int k;

	for (k = 0; k < smmu_num_units; k++)
		if (smmu_units[k].enabled)
			poll_unit(&smmu_units[k]);
}

IN_SLOT("smmu_poll") void smmu_poll(void)
{
	if (!smmu_num_units)
		return;
	spin_lock(&smmu_lock);
	poll_locked();
	spin_unlock(&smmu_lock);
}

long smmu_cell_faults(unsigned long id)
{
	if (id >= MAX_FAULT_IDS || !cell_by_id((unsigned int)id))
		return -ENOENT;
	smmu_poll();
	return smmu_dma_faults[id];
}

