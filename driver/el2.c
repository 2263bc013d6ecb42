// SPDX-License-Identifier: GPL-2.0
/*
 * Can Warden take EL2? It enters through Linux's own hyp stub, which exists
 * only when every CPU booted at EL2, Linux itself runs at EL1 (no VHE) and KVM
 * has not replaced the stub with its own EL2 code. Each case is refused with
 * one line saying what to change; none of the checks touches EL2 state.
 */
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <asm/cpufeature.h>
#include <asm/kvm_host.h>
#include <asm/memory.h>
#include <asm/sysreg.h>
#include <asm/virt.h>

#include "warden.h"
#include "hypercall.h"

/* ID_AA64PFR0_EL1.EL2, bits [11:8]: 0 = EL2 not implemented (or not usable). */
#define WD_PFR0_EL2_SHIFT	8

/* Physical address of Linux's hyp stub vectors (kernel image symbol). */
int wd_hyp_stub_phys(phys_addr_t *phys)
{
	unsigned long addr;
	int err;

	err = wd_syms_lookup("__hyp_stub_vectors", &addr);
	if (err) {
		pr_err("cannot find Linux's hyp stub (__hyp_stub_vectors) in kallsyms (error %d)\n",
		       err);
		/* not -ENOENT: that one means "no firmware file" to the tool */
		return -ENXIO;
	}
	/* A kernel image address: linear-map conversions do not apply. */
	*phys = __pa_symbol(addr);
	/* VBAR_EL2 needs 2 KiB alignment; a misfit means a wrong symbol. */
	if ((*phys & 0x7ff) || !pfn_is_map_memory(__phys_to_pfn(*phys))) {
		pr_err("__hyp_stub_vectors at 0x%lx (phys %pa) does not look like vectors\n",
		       addr, phys);
		return -EFAULT;
	}
	return 0;
}

/*
 * Did the CPUs boot at EL2? ID_AA64PFR0_EL1.EL2 says whether EL2 exists at
 * all, which is what a machine without virtualization extensions (QEMU
 * virtualization=off) reports. Where kallsyms has data symbols (Debian's
 * 6.12), the kernel's own record __boot_cpu_mode adds the case of firmware
 * that implements EL2 but entered Linux at EL1: no CPU booted at EL2.
 * Its "some CPU booted at EL1" half cannot be used: every CPU that Linux
 * brings online while Warden runs starts at EL1 (Warden keeps EL2) and is
 * recorded so, although Warden gives each CPU Linux's hyp stub back when it
 * is disabled.
 */
static int wd_check_booted_at_el2(void)
{
	unsigned long addr;
	u64 pfr0;

	pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	if (((pfr0 >> WD_PFR0_EL2_SHIFT) & 0xf) &&
	    (wd_syms_lookup("__boot_cpu_mode", &addr) ||
	     ((const u32 *)addr)[1] == BOOT_CPU_MODE_EL2))
		return 0;
	pr_err("CPUs did not boot at EL2 (no virtualization extensions, e.g. QEMU without virtualization=on); Warden needs EL2\n");
	return -ENODEV;
}

typedef bool (*wd_bool_fn_t)(void);
typedef enum kvm_mode (*wd_kvm_get_mode_t)(void);

/*
 * Does KVM own EL2? 1 yes, 0 no, -1 unknown.
 * Linux >= 6.6 records whether KVM initialised (is_kvm_arm_initialised); from
 * then on KVM's code stays at EL2. Older kernels (6.1) put Linux's stub back
 * after initialising KVM while no VM runs, but take EL2 again from whoever has
 * it as soon as a VM starts: there, KVM being enabled at all (kvm_get_mode()
 * other than "none") is the conflict.
 */
static int wd_kvm_owns_el2(void)
{
	unsigned long addr;

	if (!wd_syms_lookup("is_kvm_arm_initialised", &addr))
		return ((wd_bool_fn_t)addr)() ? 1 : 0;
	if (!wd_syms_lookup("kvm_get_mode", &addr))
		return ((wd_kvm_get_mode_t)addr)() != KVM_MODE_NONE ? 1 : 0;
	return -1;
}

/*
 * Ask the hyp stub to install the vectors it already has: a no-op for Linux's
 * stub, refused by KVM's (it answers HVC_STUB_ERR) or by anything else that
 * replaced it. Runs on the calling CPU.
 */
unsigned long wd_stub_probe(phys_addr_t stub_phys)
{
	unsigned long flags, ret;

	local_irq_save(flags);
	ret = wd_stub_hvc(WD_HVC_STUB_SET_VECTORS, stub_phys);
	local_irq_restore(flags);
	return ret;
}

/* On success, *stub_phys is the physical address of Linux's hyp stub vectors. */
int wd_el2_check(phys_addr_t *stub_phys)
{
	unsigned long ret;
	int kvm, err;

	if (is_kernel_in_hyp_mode()) {
		pr_err("Linux runs at EL2 (VHE); boot it at EL1 (id_aa64mmfr1.vh=0 kvm-arm.mode=none, or a CPU without VHE) to use Warden\n");
		return -EOPNOTSUPP;
	}

	err = wd_check_booted_at_el2();
	if (err)
		return err;

	kvm = wd_kvm_owns_el2();
	if (kvm == 1) {
		pr_err("KVM owns EL2; boot with kvm-arm.mode=none\n");
		return -EBUSY;
	}

	err = wd_hyp_stub_phys(stub_phys);
	if (err)
		return err;

	/* The decisive test, whatever kallsyms said. */
	ret = wd_stub_probe(*stub_phys);
	if (ret == 0)
		return 0;
	if (kvm == -1)
		pr_err("KVM owns EL2 (hyp stub call returned 0x%lx); boot with kvm-arm.mode=none\n",
		       ret);
	else
		pr_err("Linux's hyp stub is gone from EL2 (hyp stub call returned 0x%lx) though KVM is off; something else owns EL2\n",
		       ret);
	return -EBUSY;
}
