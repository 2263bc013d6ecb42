// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the hypervisor's console ring (struct wd_console_ring), which the
 * hypervisor appends to while we read. A copy is consistent when "seq" was even
 * and unchanged around it. After disable or a failed enable the ring's memory
 * goes away, so its last contents are kept for the sysfs "console" file.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/processor.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "warden.h"

#define WD_CONSOLE_TRIES	1000
#define WD_CONSOLE_TAIL_BYTES	3072

static DEFINE_MUTEX(wd_saved_lock);
static char *wd_saved;		/* last contents of a ring that went away */
static size_t wd_saved_len;

static void wd_ring_copy(const struct wd_console_ring *ring, u64 written,
			 char *buf, size_t len)
{
	size_t start = (written - len) % WD_CONSOLE_RING_SIZE;
	size_t first = min_t(size_t, len, WD_CONSOLE_RING_SIZE - start);

	memcpy(buf, ring->buf + start, first);
	memcpy(buf + first, ring->buf, len - first);
}

/*
 * Copy the newest min(size, bytes in the ring) bytes, oldest first. If the
 * hypervisor never stops writing (or died in the middle of a write), the
 * last attempt is returned anyway: a log with a torn line beats no log.
 */
ssize_t wd_console_snapshot(const struct wd_console_ring *ring, char *buf,
			    size_t size)
{
	u32 seq = 0;
	u64 written;
	size_t len = 0;
	int i;

	for (i = 0; i < WD_CONSOLE_TRIES; i++) {
		seq = READ_ONCE(ring->seq);
		smp_rmb();
		written = READ_ONCE(ring->written);
		len = min_t(u64, written, min_t(size_t, size, WD_CONSOLE_RING_SIZE));
		wd_ring_copy(ring, written, buf, len);
		smp_rmb();
		if (!(seq & 1) && READ_ONCE(ring->seq) == seq)
			break;
		cpu_relax();
	}
	return len;
}

/* Print the end of the hypervisor's log to the kernel log, line by line. */
void wd_console_dump_tail(const struct wd_console_ring *ring)
{
	char *buf, *line, *next;
	ssize_t len;

	if (!ring)
		return;
	buf = kvmalloc(WD_CONSOLE_TAIL_BYTES + 1, GFP_KERNEL);
	if (!buf)
		return;
	len = wd_console_snapshot(ring, buf, WD_CONSOLE_TAIL_BYTES);
	buf[len] = '\0';
	if (!len) {
		pr_err("the hypervisor's console is empty\n");
		goto out;
	}
	pr_err("hypervisor console (last %zd bytes):\n", len);
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		pr_err("hv: %s\n", line);
	}
out:
	kvfree(buf);
}

/* Keep the ring's contents for sysfs after the ring's memory is released. */
void wd_console_save(const struct wd_console_ring *ring)
{
	mutex_lock(&wd_saved_lock);
	if (!wd_saved)
		wd_saved = vmalloc(WD_CONSOLE_RING_SIZE);
	if (wd_saved)
		wd_saved_len = wd_console_snapshot(ring, wd_saved, WD_CONSOLE_RING_SIZE);
	mutex_unlock(&wd_saved_lock);
}

ssize_t wd_console_read_saved(char *buf, size_t size)
{
	size_t len;

	mutex_lock(&wd_saved_lock);
	len = min(size, wd_saved ? wd_saved_len : 0);
	if (len)
		memcpy(buf, wd_saved, len);
	mutex_unlock(&wd_saved_lock);
	return len;
}

void wd_console_free_saved(void)
{
	mutex_lock(&wd_saved_lock);
	vfree(wd_saved);
	wd_saved = NULL;
	wd_saved_len = 0;
	mutex_unlock(&wd_saved_lock);
}
