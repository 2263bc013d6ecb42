/*
 * SMMUv3 command queue: commands in a page of the pool, the producer index
 * ours, a refused command replaced by a SYNC so the queue goes on, and
 * every wait bounded (100 ms, then logged).
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

bool timed_out(u64 deadline)
{
	return timer_ticks() > deadline;
}

u64 deadline_ms(u64 ms)
{
	return timer_ticks() + ms * timer_ticks_per_sec() / 1000;
}

IN_SLOT("write_cr0") bool write_cr0(struct smmu *u, u32 v)
{
	u64 end = deadline_ms(100);

	wr32(u, CR0, v);
	while (rd32(u, CR0ACK) != v)
		if (timed_out(end))
			return false;
		else
			cpu_relax();
	return true;
}

bool write_gbpa(struct smmu *u, u32 v)
{
	u64 end = deadline_ms(100);

	wr32(u, GBPA, v | GBPA_UPDATE);
	while (rd32(u, GBPA) & GBPA_UPDATE)
		if (timed_out(end))
			return false;
		else
			cpu_relax();
	return true;
}

/* ---- command queue */

static bool cmdq_error(struct smmu *u)
{
	u32 gerr = rd32(u, GERROR) ^ rd32(u, GERRORN);
	u32 cons = rd32(u, CMDQ_CONS);
	u64 *bad;

	if (!(gerr & GERROR_CMDQ_ERR))
		return false;
	/* Replace the refused command by a SYNC (harmless) and let it go on. */
	bad = &u->cmdq[(cons & ((1U << u->cmdq_log2) - 1)) * 2];
	printk("SMMU 0x%llx: command 0x%02llx refused (error %u); skipped\n",
	       u->phys, bad[0] & 0xff, CMDQ_CONS_ERR(cons));
	bad[0] = CMD_SYNC;
	bad[1] = 0;
	dsb(sy);
	wr32(u, GERRORN, rd32(u, GERRORN) ^ GERROR_CMDQ_ERR);
	return true;
}

static bool cmdq_full(struct smmu *u)
{
	u32 cons = q_pos(rd32(u, CMDQ_CONS), u->cmdq_log2);
	u32 size = 1U << u->cmdq_log2;

	return ((u->cmdq_prod ^ cons) & size) &&
	       (u->cmdq_prod & (size - 1)) == (cons & (size - 1));
}

static void cmdq_wait_empty(struct smmu *u)
{
	u64 end = deadline_ms(100);

	while (q_pos(rd32(u, CMDQ_CONS), u->cmdq_log2) != u->cmdq_prod) {
		if (cmdq_error(u))
			continue;
		if (timed_out(end)) {
			printk("SMMU 0x%llx: command queue stuck (prod 0x%x cons 0x%x)\n",
			       u->phys, u->cmdq_prod, rd32(u, CMDQ_CONS));
			return;
		}
		cpu_relax();
	}
}

void cmd(struct smmu *u, u64 dw0, u64 dw1)
{
	u64 *e;

	if (cmdq_full(u))
		cmdq_wait_empty(u);
	e = &u->cmdq[(u->cmdq_prod & ((1U << u->cmdq_log2) - 1)) * 2];
	e[0] = dw0;
	e[1] = dw1;
	u->cmdq_prod = q_pos(u->cmdq_prod + 1, u->cmdq_log2);
	/* The entry (and any table it names) before the unit sees the index. */
	dsb(sy);
	wr32(u, CMDQ_PROD, u->cmdq_prod);
}

/* Everything issued so far has taken effect when this returns. */
IN_SLOT("cmd_sync") void cmd_sync(struct smmu *u)
{
	cmd(u, CMD_SYNC, 0);
	cmdq_wait_empty(u);
}

void tlbi_vmid(u16 vmid)
{
	unsigned int k;

	for (k = 0; k < smmu_num_units; k++) {
		cmd(&smmu_units[k], CMD_TLBI_S12_VMALL | (u64)vmid << 32, 0);
		cmd_sync(&smmu_units[k]);
	}
}
