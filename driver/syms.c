// SPDX-License-Identifier: GPL-2.0
/*
 * Run-time lookup of kernel symbols that are not exported to modules (such as
 * __hyp_stub_vectors), without patching the kernel.
 *
 * kallsyms_lookup_name() itself is not exported since Linux 5.7, but a kprobe
 * placed on it reports its address. Debian's 6.1 kernels have text symbols
 * only in kallsyms (no CONFIG_KALLSYMS_ALL), so only functions and other text
 * symbols can be relied upon; data symbols resolve on 6.12.
 */
#include <linux/kprobes.h>
#include <linux/mutex.h>

#include "warden.h"

typedef unsigned long (*wd_kallsyms_lookup_name_t)(const char *name);

static wd_kallsyms_lookup_name_t wd_kallsyms_lookup_name;
static DEFINE_MUTEX(wd_syms_lock);

static int wd_syms_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_err("cannot locate kallsyms_lookup_name through a kprobe (error %d); the kernel needs CONFIG_KPROBES\n",
		       err);
		return err;
	}
	wd_kallsyms_lookup_name = (wd_kallsyms_lookup_name_t)kp.addr;
	unregister_kprobe(&kp);
	return 0;
}

/*
 * Look up @name; 0 with *addr set, or -ENOENT (no message: callers decide
 * whether a missing symbol is an error), or the kprobe failure.
 */
int wd_syms_lookup(const char *name, unsigned long *addr)
{
	int err = 0;

	mutex_lock(&wd_syms_lock);
	if (!wd_kallsyms_lookup_name)
		err = wd_syms_init();
	mutex_unlock(&wd_syms_lock);
	if (err)
		return err;

	*addr = wd_kallsyms_lookup_name(name);
	return *addr ? 0 : -ENOENT;
}
