// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's reason for refusing a call (struct wd_reason in
 * warden/firmware.h): after a failed hypercall or enable, its one line goes
 * into the kernel log, where the tool finds it. The record is written by the
 * hypervisor while we may read it, so a copy counts only if "seq" was even
 * and unchanged around it, and only if it is new (seq moved since the mark
 * taken before the call) and about this call (same code and errno).
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/processor.h>
#include <linux/string.h>

#include <warden/hypercall.h>

#include "warden.h"

#define WD_REASON_TRIES		1000

static const char *wd_call_name(u32 call)
{
	switch (call) {
	case WD_HC_DISABLE:
		return "DISABLE";
	case WD_HC_CELL_CREATE:
		return "CELL_CREATE";
	case WD_HC_CELL_START:
		return "CELL_START";
	case WD_HC_CELL_SET_LOADABLE:
		return "CELL_SET_LOADABLE";
	case WD_HC_CELL_DESTROY:
		return "CELL_DESTROY";
	case WD_REASON_CALL_ENABLE:
		return "ENABLE";
	default:
		return "the hypercall";
	}
}

u32 wd_reason_mark(void)
{
	const struct wd_reason *r = wd_reason_record();

	return r ? READ_ONCE(r->seq) : 0;
}

/* A consistent copy of a record newer than @mark; false if there is none. */
static bool wd_reason_copy(const struct wd_reason *r, u32 mark,
			   struct wd_reason *copy)
{
	u32 seq;
	int i;

	for (i = 0; i < WD_REASON_TRIES; i++) {
		seq = READ_ONCE(r->seq);
		smp_rmb();
		memcpy(copy, (const void *)r, sizeof(*copy));
		smp_rmb();
		if (!(seq & 1) && READ_ONCE(r->seq) == seq)
			return seq != mark;
		cpu_relax();
	}
	return false;
}

void wd_refused(u32 mark, u32 call, long err, const char *fmt, ...)
{
	const struct wd_reason *r = wd_reason_record();
	struct wd_reason copy;
	struct va_format vaf;
	va_list args;

	if (r && wd_reason_copy(r, mark, &copy) && copy.call == call &&
	    copy.error == err && copy.msg[0]) {
		copy.msg[sizeof(copy.msg) - 1] = '\0';
		pr_err("%s (hypervisor refused %s: %pe)\n", copy.msg,
		       wd_call_name(call), ERR_PTR(err));
		return;
	}
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("%pV: hypervisor refused %s: %pe (no reason recorded; see the hypervisor console)\n",
	       &vaf, wd_call_name(call), ERR_PTR(err));
	va_end(args);
}
