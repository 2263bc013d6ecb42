// SPDX-License-Identifier: GPL-2.0
/*
 * Enabling and disabling the hypervisor.
 *
 * Enable checks everything it can before it changes anything (EL2 usable,
 * configuration valid, CPUs, hypervisor memory, image), then prepares the
 * hypervisor memory and sends every online CPU into Warden at once through
 * Linux's hyp stub. The hypervisor guarantees all-or-nothing: every CPU comes
 * back as part of the root cell, or every CPU comes back with an error and
 * Linux's stub reinstalled, in which case the driver undoes its own steps.
 *
 * The CPU hotplug lock is held from the CPU checks until the CPUs have
 * entered, so the set of CPUs the image was prepared for is the set that
 * enters.
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/firmware.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cputype.h>
#include <asm/cpufeature.h>
#include <asm/sysreg.h>

#include <warden/config-check.h>

#include "warden.h"
#include "hypercall.h"
#include "vpci-host.h"

DECLARE_RWSEM(wd_hv_sem);
bool wd_hv_active;

/* ID_AA64PFR0_EL1.GIC, bits [27:24]: GICv3 system register interface present */
#define WD_PFR0_GIC_SHIFT	24

/* result[] value of a CPU whose callback did not run (must not happen) */
#define WD_RESULT_NOT_RUN	LONG_MIN

static struct {
	struct wd_hvmem mem;
	struct wd_system_config *config;	/* our copy, for the root cell */
	u64 config_size;
	u64 console_offset;
	u64 reason_offset;		/* 0: the image has no reason record */
	/*
	 * A CPU set came back from Warden in a state that breaks the
	 * all-or-nothing contract: memory that EL2 may still use stays
	 * reserved and mapped, and enable is refused until reboot.
	 */
	bool broken;
} wd;

/* The running hypervisor's system configuration (wd_lock held), or NULL. */
const struct wd_system_config *wd_system_config(void)
{
	return wd.config;
}

bool wd_enabled(void)
{
	return READ_ONCE(wd_hv_active);
}

/* Callers hold wd_hv_sem (shared or exclusive) or wd_lock. */
struct wd_console_ring *wd_console_ring(void)
{
	if (!wd.mem.virt)
		return NULL;
	return wd.mem.virt + wd.console_offset;
}

/* Callers hold wd_lock: the record is only read after management calls. */
struct wd_reason *wd_reason_record(void)
{
	if (!wd.mem.virt || !wd.reason_offset)
		return NULL;
	return wd.mem.virt + wd.reason_offset;
}

long wd_hypercall_if_active(unsigned long code, unsigned long arg1,
			    unsigned long arg2)
{
	long ret = -ENODEV;

	down_read(&wd_hv_sem);
	if (wd_hv_active)
		ret = wd_hypercall(code, arg1, arg2);
	up_read(&wd_hv_sem);
	return ret;
}

/*
 * Copy the system configuration from user space and validate it. Jailhouse's
 * ABI passes only a pointer: the size follows from the root cell's array
 * counts in the header.
 */
static int wd_config_copy(const void __user *arg,
			  struct wd_system_config **config, u64 *size)
{
	struct wd_system_config head;
	struct wd_check_result res;
	void *blob;

	if (copy_from_user(&head, arg, sizeof(head))) {
		pr_err("cannot read the system configuration header (%zu bytes) from user memory\n",
		       sizeof(head));
		return -EFAULT;
	}
	*size = wd_system_config_size(&head);
	if (*size > WD_CHECK_MAX_CONFIG_SIZE) {
		/* A foreign blob has arbitrary counts: name what is wrong first. */
		if (wd_check_system(&head, sizeof(head), &res) &&
		    (res.kind == WD_CHECK_SIGNATURE || res.kind == WD_CHECK_REVISION ||
		     res.kind == WD_CHECK_ARCHITECTURE)) {
			pr_err("%s\n", res.msg);
			return res.error;
		}
		/* The validator's limit and words (it says the same of a whole file). */
		pr_err("configuration of %llu bytes exceeds the limit of %u bytes\n",
		       *size, WD_CHECK_MAX_CONFIG_SIZE);
		return -E2BIG;
	}

	blob = kvmalloc(*size, GFP_KERNEL);
	if (!blob)
		return -ENOMEM;
	if (copy_from_user(blob, arg, *size)) {
		pr_err("cannot read the %llu bytes of system configuration its array counts announce\n",
		       *size);
		kvfree(blob);
		return -EFAULT;
	}
	/* The validator also catches counts changed between the two copies. */
	if (wd_check_system(blob, *size, &res)) {
		pr_err("%s\n", res.msg);
		kvfree(blob);
		return res.error;
	}
	*config = blob;
	return 0;
}

/* The configuration against the running system; CPU hotplug lock held. */
static int wd_check_system_fit(const struct wd_system_config *config,
			       const struct wd_fw_header *img)
{
	const struct wd_cell_desc *root = &config->root_cell;
	unsigned int cpu, last;
	u64 pfr0;
	int err;

	for_each_online_cpu(cpu) {
		if (!wd_cell_has_cpu(root, cpu)) {
			pr_err("CPU %u is online but not in the root cell's CPU set\n", cpu);
			return -EINVAL;
		}
	}
	for (cpu = 0; cpu < root->cpu_set_size * 8; cpu++) {
		if (!wd_cell_has_cpu(root, cpu))
			continue;
		if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
			pr_err("root cell CPU %u does not exist on this system (CPUs 0-%u)\n",
			       cpu, nr_cpu_ids - 1);
			return -EINVAL;
		}
		if (!cpu_online(cpu)) {
			pr_err("root cell CPU %u is offline; bring it online first\n", cpu);
			return -EBUSY;
		}
	}

	/* The image has per-CPU slots indexed by Linux CPU number. */
	last = cpumask_last(cpu_online_mask);
	if (last >= img->max_cpus || last >= WD_FW_MAX_CPUS) {
		pr_err("CPU %u is beyond the %u CPUs the hypervisor image supports (CONFIG_WD_MAX_CPUS)\n",
		       last, min_t(unsigned int, img->max_cpus, WD_FW_MAX_CPUS));
		return -E2BIG;
	}

	pfr0 = read_sanitised_ftr_reg(SYS_ID_AA64PFR0_EL1);
	if (config->platform.arm.gic_version == 3 &&
	    !((pfr0 >> WD_PFR0_GIC_SHIFT) & 0xf)) {
		pr_err("the configuration says GICv3, but the CPUs have no GICv3 system register interface\n");
		return -EINVAL;
	}
	err = wd_check_iommu_units(config);
	return err ? err : wd_check_platform(config);	/* platform-check.c */
}

static int wd_check_hvmem_size(const struct wd_fw_header *img, u64 config_size,
			       u64 hv_size)
{
	u64 need = WD_HV_PAGE_ALIGN(img->core_size) + WD_HV_PAGE_ALIGN(config_size) +
		   WD_MIN_POOL_PAGES * WD_HV_PAGE_SIZE;

	if (need > hv_size) {
		pr_err("hypervisor memory too small: 0x%llx bytes, need at least 0x%llx (core 0x%llx + configuration 0x%llx + %u pool pages)\n",
		       hv_size, need, img->core_size, config_size, WD_MIN_POOL_PAGES);
		return -ENOMEM;
	}
	return 0;
}

static void wd_store_mpidr(void *info)
{
	struct wd_fw_header *h = info;

	h->cpu_mpidr[smp_processor_id()] = read_cpuid_mpidr() & MPIDR_HWID_BITMASK;
}

/* Image at 0, configuration after the core, driver fields of the header. */
static void wd_layout(struct wd_hvmem *mem, const struct firmware *fw,
		      const struct wd_system_config *config, u64 config_size,
		      phys_addr_t stub_phys)
{
	const struct wd_fw_header *img = (const void *)fw->data;
	u64 config_offset = WD_HV_PAGE_ALIGN(img->core_size);
	struct wd_fw_header *h = mem->virt;

	/*
	 * Only the image's bss needs zeroes: the hypervisor zeroes every pool
	 * page it hands out, and it cleaned its caches when it last left.
	 */
	memcpy(mem->virt, fw->data, img->image_size);
	memset(mem->virt + img->image_size, 0, config_offset - img->image_size);
	memcpy(mem->virt + config_offset, config, config_size);

	h->online_cpus = num_online_cpus();
	h->boot_cpu = cpumask_first(cpu_online_mask);
	h->hyp_stub_vectors = stub_phys;
	h->config_offset = config_offset;
	h->config_size = config_size;
	wd_pci_ecam_fill(h);
	wd_pci_msi_map_fill(h);
	on_each_cpu(wd_store_mpidr, h, 1);

	/* The hypervisor starts with its MMU off: what we wrote must be in memory. */
	wd_dcache_clean_inval_poc(mem->virt, config_offset + config_size);
}

struct wd_cpu_call {
	unsigned long arg;
	long *result;			/* per Linux CPU number */
};

static void wd_probe_cpu(void *info)
{
	struct wd_cpu_call *call = info;

	call->result[smp_processor_id()] =
		wd_stub_hvc(WD_HVC_STUB_SET_VECTORS, call->arg);
}

static void wd_enter_cpu(void *info)
{
	struct wd_cpu_call *call = info;
	unsigned int cpu = smp_processor_id();
	unsigned long ret;

	ret = wd_stub_hvc(WD_HVC_STUB_SET_VECTORS, call->arg);
	if (ret) {
		/* Probed a moment ago; the others now wait for this CPU. */
		call->result[cpu] = -EBUSY;
		return;
	}
	/*
	 * The image's entry returns a C int: only w0 is defined, so the
	 * errno is sign-extended from the low 32 bits.
	 */
	call->result[cpu] = (int)wd_stub_hvc(WD_FW_ENTRY_MAGIC, cpu);
}

static void wd_disable_cpu(void *info)
{
	struct wd_cpu_call *call = info;

	call->result[smp_processor_id()] = wd_hypercall(WD_HC_DISABLE, 0, 0);
}

/* Run @fn on all online CPUs at once; counts CPUs that returned 0 and not. */
static void wd_call_all(smp_call_func_t fn, struct wd_cpu_call *call,
			unsigned int *ok, unsigned int *failed)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		call->result[cpu] = WD_RESULT_NOT_RUN;
	on_each_cpu(fn, call, 1);
	*ok = *failed = 0;
	for_each_online_cpu(cpu) {
		if (call->result[cpu] == 0)
			(*ok)++;
		else
			(*failed)++;
	}
}

static long wd_first_error(struct wd_cpu_call *call)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		if (call->result[cpu] < 0 && call->result[cpu] > -MAX_ERRNO)
			return call->result[cpu];
	return -EIO;
}

static void wd_report_cpus(struct wd_cpu_call *call, const char *what)
{
	unsigned int cpu;
	long r;

	for_each_online_cpu(cpu) {
		r = call->result[cpu];
		if (r == 0)
			continue;
		if (r == WD_RESULT_NOT_RUN)
			pr_err("CPU %u: %s: the CPU did not run the call\n", cpu, what);
		else if (r < 0 && r > -MAX_ERRNO)
			pr_err("CPU %u: %s failed with error %ld\n", cpu, what, r);
		else
			pr_err("CPU %u: %s returned unexpected 0x%lx\n", cpu, what,
			       (unsigned long)r);
	}
}

static long *wd_alloc_results(void)
{
	return kcalloc(nr_cpu_ids, sizeof(long), GFP_KERNEL);
}

/* The hypervisor's last words after a failed enable: invalidate, then read. */
static void wd_console_after_exit(void)
{
	struct wd_console_ring *ring = wd.mem.virt + wd.console_offset;
	struct wd_reason *reason = wd_reason_record();

	wd_dcache_clean_inval_poc(ring, sizeof(*ring));
	if (reason)
		wd_dcache_clean_inval_poc(reason, sizeof(*reason));
	wd_console_save(ring);
}

/* wd_lock held. */
int wd_enable(const void __user *arg)
{
	const struct firmware *fw = NULL;
	struct wd_system_config *config = NULL;
	const struct wd_fw_header *img;
	struct wd_cpu_call call = {};
	unsigned int ok, failed, cpu;
	phys_addr_t stub_phys;
	u64 config_size;
	int err;

	if (wd_hv_active) {
		pr_err("already enabled; disable it first\n");
		return -EEXIST;
	}
	if (wd.broken) {
		pr_err("an earlier enable or disable left the hypervisor in an inconsistent state; reboot\n");
		return -EIO;
	}

	err = wd_el2_check(&stub_phys);
	if (err)
		return err;

	err = wd_config_copy(arg, &config, &config_size);
	if (err)
		return err;
	/* The driver fills in cell ids; the root cell is 0. */
	config->root_cell.id = 0;

	call.result = wd_alloc_results();
	if (!call.result) {
		err = -ENOMEM;
		goto out_free_config;
	}

	err = wd_hvmem_claim(&wd.mem, &config->hypervisor_memory);
	if (err)
		goto out_free_results;

	err = wd_firmware_get(&fw);
	if (err)
		goto out_release_mem;
	img = (const void *)fw->data;
	err = wd_check_hvmem_size(img, config_size, wd.mem.size);
	if (err)
		goto out_release_mem;

	cpus_read_lock();

	err = wd_check_system_fit(config, img);
	if (err)
		goto out_unlock;

	/*
	 * Every CPU's stub must accept HVC_SET_VECTORS before any CPU enters:
	 * the first CPUs inside would wait for one that can never come.
	 */
	call.arg = stub_phys;
	wd_call_all(wd_probe_cpu, &call, &ok, &failed);
	if (failed) {
		for_each_online_cpu(cpu)
			if (call.result[cpu])
				pr_err("CPU %u: hyp stub refused HVC_SET_VECTORS (0x%lx); KVM or another hypervisor owns EL2 there\n",
				       cpu, (unsigned long)call.result[cpu]);
		err = -EBUSY;
		goto out_unlock;
	}

	err = wd_hvmem_map(&wd.mem);
	if (err)
		goto out_unlock;
	wd_layout(&wd.mem, fw, config, config_size, stub_phys);
	wd.console_offset = img->console_offset;
	wd.reason_offset = img->reason_offset;
	call.arg = wd.mem.phys + img->entry_vectors;

	down_write(&wd_hv_sem);
	wd_call_all(wd_enter_cpu, &call, &ok, &failed);
	if (!failed)
		WRITE_ONCE(wd_hv_active, true);
	up_write(&wd_hv_sem);

	if (failed) {
		wd_report_cpus(&call, "entering the hypervisor");
		if (ok) {
			/* Some CPUs run under Warden: its memory must stay. */
			pr_crit("%u CPUs entered the hypervisor but %u failed; leaving the hypervisor memory reserved, reboot\n",
				ok, failed);
			wd.broken = true;
			/* The memory's resource must not outlive the module. */
			__module_get(THIS_MODULE);
			err = -EIO;
			goto out_unlock;
		}
		err = wd_first_error(&call);
		wd_console_after_exit();
		wd_console_dump_tail(wd_console_ring());
		/* Last: the line the tool shows. The record was zeroed (seq 0). */
		wd_refused(0, WD_REASON_CALL_ENABLE, err, "enable");
		goto out_unlock;
	}
	cpus_read_unlock();

	wd.config = config;
	wd.config_size = config_size;
	kfree(call.result);

	/* From here on, failures only cost sysfs entries: Warden runs. */
	__module_get(THIS_MODULE);
	err = wd_cell_create_root(config);
	if (err)
		pr_warn("enabled, but the root cell's sysfs entries are missing (error %d)\n",
			err);
	pr_info("enabled, %u CPUs\n", ok);
	/* The root's ivshmem devices; Warden runs whether they appear or not. */
	err = wd_vpci_host_add(config);
	if (err)
		pr_warn("enabled, but the root's virtual PCI devices are missing (error %d)\n",
			err);
	return 0;

out_unlock:
	cpus_read_unlock();
out_release_mem:
	if (!wd.broken)
		wd_hvmem_release(&wd.mem);
out_free_results:
	kfree(call.result);
out_free_config:
	kvfree(config);
	return err;
}

/*
 * Bring root cell CPUs that Linux took offline back online: the disable
 * rendezvous needs every root CPU, and the ones Linux turned off sit parked
 * inside the hypervisor. Those brought up are recorded in @restore.
 */
static int wd_online_root_cpus(const struct cpumask *cpus, struct cpumask *restore)
{
	unsigned int cpu;
	int err;

	cpumask_clear(restore);
	for_each_cpu(cpu, cpus) {
		if (cpu_online(cpu))
			continue;
		err = add_cpu(cpu);
		if (err) {
			pr_err("cannot disable: root cell CPU %u is offline and cannot be brought back online (error %d)\n",
			       cpu, err);
			return err;
		}
		cpumask_set_cpu(cpu, restore);
	}
	return 0;
}

/* wd_lock held. */
int wd_disable(void)
{
	struct wd_cpu_call call = {};
	struct wd_cell *root = wd_cell_root();
	unsigned int ok, failed, cpu, n;
	cpumask_var_t restore;
	u32 mark;
	int err;

	if (!wd_hv_active) {
		pr_err("not enabled\n");
		return -ENODEV;
	}
	n = wd_cell_count_nonroot();
	if (n) {
		pr_err("cannot disable while %u non-root cell(s) exist; destroy them first\n", n);
		return -EBUSY;
	}
	if (!zalloc_cpumask_var(&restore, GFP_KERNEL))
		return -ENOMEM;
	call.result = wd_alloc_results();
	if (!call.result) {
		err = -ENOMEM;
		goto out_free;
	}

	if (root) {
		err = wd_online_root_cpus(&root->cpus, restore);
		if (err)
			goto out_restore;
	}

	/*
	 * The root's virtual PCI devices go first, outside the CPU hotplug
	 * lock: their drivers still talk to the emulated devices while they
	 * let go. A disable that fails below brings them back.
	 */
	wd_vpci_host_remove();

	cpus_read_lock();
	if (root && !cpumask_subset(&root->cpus, cpu_online_mask)) {
		pr_err("cannot disable: a root cell CPU went offline again\n");
		err = -EBUSY;
		cpus_read_unlock();
		goto out_restore;
	}

	mark = wd_reason_mark();
	down_write(&wd_hv_sem);
	wd_call_all(wd_disable_cpu, &call, &ok, &failed);
	/* Once any CPU has left, no more hypercalls: Linux's stub may answer. */
	if (ok)
		WRITE_ONCE(wd_hv_active, false);
	up_write(&wd_hv_sem);
	cpus_read_unlock();

	if (failed) {
		wd_report_cpus(&call, "disable hypercall");
		if (ok) {
			pr_crit("%u CPUs left the hypervisor but %u did not; leaving its memory reserved, reboot\n",
				ok, failed);
			/* The module keeps its enable-time reference. */
			wd.broken = true;
			wd_cell_delete_all();
			err = -EIO;
			goto out_restore;
		}
		/* Every CPU is still under Warden: nothing changed. */
		err = wd_first_error(&call);
		wd_refused(mark, WD_HC_DISABLE, err, "disable");
		goto out_restore;
	}

	wd_console_after_exit();
	wd_cell_delete_all();
	wd_hvmem_release(&wd.mem);
	kvfree(wd.config);
	wd.config = NULL;
	module_put(THIS_MODULE);
	pr_info("disabled\n");
	err = 0;

out_restore:
	if (err && wd_hv_active && !wd.broken && wd_vpci_host_add(wd.config))
		pr_warn("the root's virtual PCI devices stay removed\n");
	/* Leave CPUs offline that the user had taken offline. */
	for_each_cpu(cpu, restore) {
		int e = remove_cpu(cpu);

		if (e)
			pr_warn("CPU %u was offline before disable; taking it offline again failed (error %d)\n",
				cpu, e);
	}
out_free:
	kfree(call.result);
	free_cpumask_var(restore);
	return err;
}
