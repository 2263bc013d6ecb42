/*
 * The hypervisor's own ITS commands (see gicv3-its-hvcmd.h). They go into the
 * same hypervisor-owned queue as the root's checked commands, under the same
 * lock, so neither ever sees the other's half-written batch; each batch ends
 * with a SYNC (the caller's, or appended by its_hv_send_sync) and is waited
 * for here (the root's process() waits for its own).
 */
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/errno.h>
#include "gicv3-its-priv.h"
#include "gicv3-its-hvcmd.h"

int its_hv_send_sync(struct its *its, const u64 (*cmds)[4], unsigned int n, int sync_cpu,
		     const char *what)
{
	unsigned int i;
	u64 sync[4];
	int err = 0;

	spin_lock(&its->lock);
	if (!its->taken || !its->hw_enabled || !its->queue) {
		err = -ENODEV;
	} else {
		for (i = 0; i < n; i++)
			queue_put(its, cmds[i]);
		if (sync_cpu >= 0) {
			its_enc_sync(sync, its_rdbase(its, per_cpu(sync_cpu)));
			queue_put(its, sync);
		}
		if (!queue_flush(its)) {
			printk("ITS 0x%llx: the hypervisor's %s timed out\n", its->phys, what);
			err = -ETIMEDOUT;
		}
	}
	spin_unlock(&its->lock);
	return err;
}

int its_hv_send(struct its *its, const u64 (*cmds)[4], unsigned int n, const char *what)
{
	return its_hv_send_sync(its, cmds, n, -1, what);
}
