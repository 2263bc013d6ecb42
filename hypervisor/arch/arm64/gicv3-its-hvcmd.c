/*
 * The hypervisor's own ITS commands (see gicv3-its-hvcmd.h). They go into the
 * same hypervisor-owned queue as the root's checked commands, under the same
 * lock, so neither ever sees the other's half-written batch; each batch ends
 * with the caller's SYNC and is waited for here (the root's process() waits
 * for its own).
 */
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/errno.h>
#include "gicv3-its-priv.h"
#include "gicv3-its-hvcmd.h"

u64 its_rdbase(const struct its *its, const struct per_cpu *pc)
{
	if (its->typer & GITS_TYPER_PTA)
		return pc->arch.gicr_phys >> 16;
	/* GICR_TYPER.Processor_Number */
	return mmio_read((u8 *)pc->arch.gicr + 0x8, 8) >> 8 & 0xffff;
}

int its_hv_send(struct its *its, const u64 (*cmds)[4], unsigned int n, const char *what)
{
	unsigned int i;
	int err = 0;

	spin_lock(&its->lock);
	if (!its->taken || !its->hw_enabled || !its->queue) {
		err = -ENODEV;
	} else {
		for (i = 0; i < n; i++)
			queue_put(its, cmds[i]);
		if (!queue_flush(its)) {
			printk("ITS 0x%llx: the hypervisor's %s timed out\n", its->phys, what);
			err = -ETIMEDOUT;
		}
	}
	spin_unlock(&its->lock);
	return err;
}
