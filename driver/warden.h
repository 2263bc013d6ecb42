/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the files of warden.ko.
 *
 * Locking: wd_lock serialises every management operation (enable, disable,
 * cell operations, reboot). wd_hv_sem guards "the hypervisor is running":
 * readers (sysfs files that issue hypercalls) hold it shared, and only the
 * enable/disable transitions take it exclusively. sysfs readers never take
 * wd_lock, so removing a sysfs directory under wd_lock cannot deadlock with
 * a reader of that directory.
 */
#ifndef WARDEN_DRIVER_H
#define WARDEN_DRIVER_H

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/types.h>

#include <warden/cell-config.h>
#include <warden/firmware.h>

#undef pr_fmt
#define pr_fmt(fmt) "warden: " fmt

/* The hypervisor's page size: fixed 4 KiB, whatever Linux's page size. */
#define WD_HV_PAGE_SIZE		4096UL
#define WD_HV_PAGE_ALIGN(x)	ALIGN((x), WD_HV_PAGE_SIZE)

/* Pages the hypervisor needs at least for its page pool besides core + config. */
#define WD_MIN_POOL_PAGES	64


/* Size of struct wd_fw_header.cpu_mpidr[]: the highest usable CPU number + 1. */
#define WD_FW_MAX_CPUS		64

extern struct mutex wd_lock;
extern struct rw_semaphore wd_hv_sem;
extern bool wd_hv_active;		/* written under wd_hv_sem held exclusively */
extern struct device *wd_misc_dev;	/* for request_firmware */

/* syms.c: unexported kernel symbols, found at run time */
int wd_syms_lookup(const char *name, unsigned long *addr);

/* el2.c: can Warden use EL2 at all? */
int wd_el2_check(phys_addr_t *stub_phys);
int wd_hyp_stub_phys(phys_addr_t *phys);
unsigned long wd_stub_probe(phys_addr_t stub_phys);

/* firmware.c */
struct firmware;
int wd_firmware_get(const struct firmware **fw);
void wd_firmware_free(void);

/* hvmem.c: the hypervisor memory */
struct wd_hvmem {
	phys_addr_t phys;
	u64 size;
	struct resource *res;
	void *virt;
};

int wd_hvmem_claim(struct wd_hvmem *mem, const struct wd_mem_region *region);
int wd_hvmem_map(struct wd_hvmem *mem);
void wd_hvmem_release(struct wd_hvmem *mem);
void wd_dcache_clean_inval_poc(void *addr, size_t size);

/* enable.c */
/* pci-ecam.c: the physical ECAM for the hypervisor (fills the header). */
void wd_pci_ecam_fill(struct wd_fw_header *h);
/* pci-msi-map.c: the ITS device ids of PCI requester ids (fills the header). */
void wd_pci_msi_map_fill(struct wd_fw_header *h);
int wd_enable(const void __user *arg);
int wd_disable(void);
bool wd_enabled(void);
struct wd_console_ring *wd_console_ring(void);
struct wd_reason *wd_reason_record(void);

/* reason.c: the hypervisor's reason for a refused call, into the kernel log */
u32 wd_reason_mark(void);
/*
 * After the hypervisor refused @call (WD_HC_* or WD_REASON_CALL_ENABLE) with
 * @err: one pr_err line, the hypervisor's reason recorded since @mark (from
 * wd_reason_mark() before the call), or else @fmt (the context, such as
 * "cell 'demo'") with the call and errno.
 */
__printf(4, 5)
void wd_refused(u32 mark, u32 call, long err, const char *fmt, ...);

/* console.c */
ssize_t wd_console_snapshot(const struct wd_console_ring *ring, char *buf, size_t size);
void wd_console_dump_tail(const struct wd_console_ring *ring);
void wd_console_save(const struct wd_console_ring *ring);
ssize_t wd_console_read_saved(char *buf, size_t size);
void wd_console_free_saved(void);

/* sysfs.c */
int wd_sysfs_init(void);
void wd_sysfs_exit(void);
extern struct kobject *wd_cells_kobj;

/* Run a hypercall only if the hypervisor is running; -ENODEV otherwise. */
long wd_hypercall_if_active(unsigned long code, unsigned long arg1, unsigned long arg2);
/* DMA isolation (iommu.c): cells/<id>/dma_faults; every SMMU unit exists. */
extern struct kobj_attribute wd_cell_attr_dma_faults;
extern struct kobj_attribute wd_cell_attr_ivshmem;
int wd_check_iommu_units(const struct wd_system_config *config);
/* platform-check.c: what the machine has and Linux uses, the configuration has */
int wd_check_platform(const struct wd_system_config *config);
int wd_check_cell_stream_ids(const struct wd_cell_desc *desc);
const struct wd_system_config *wd_system_config(void);
/* sysfs-config.c: /sys/devices/warden/system_config */
extern struct bin_attribute bin_attr_system_config;
/* Have the hypervisor log pending IOMMU faults (before the console is read). */
void wd_dma_faults_poll(void);

/* pci.c: the PCI devices of a cell, away from Linux while the cell exists */
struct wd_pci_owned;
int wd_pci_take(const struct wd_cell_desc *desc, struct wd_pci_owned **owned,
		unsigned int *count);
void wd_pci_dma(struct wd_pci_owned *owned, unsigned int count, bool on);
void wd_pci_give_back(const struct wd_cell_desc *desc, struct wd_pci_owned *owned,
		      unsigned int count, bool streams_held);
struct pci_dev;
struct wd_cell *wd_pci_owner(struct pci_dev *dev);
/* pci-streams.c: the devices' stream ids are the cell's; each is isolated */
int wd_pci_check_streams(const struct wd_cell_desc *desc, struct pci_dev **devs,
			 unsigned int count);
/* pci-reset.c: reset before hand-back; the stream ids of devices */
struct pci_dev;
int wd_pci_check_reset(const char *cell, struct pci_dev *dev);
bool wd_pci_reset(const char *cell, struct pci_dev *dev);
void wd_pci_settle(void);
int wd_pci_stream_id(struct pci_dev *dev, u32 *sid);
void wd_pci_return_streams(const struct wd_cell_desc *desc, struct pci_dev **devs,
			   const bool *reset_ok, unsigned int count);

/* cell.c */
struct wd_cell {
	struct kobject kobj;		/* cells/<id>/ */
	struct list_head entry;
	unsigned int id;
	char name[WD_CELL_NAME_LEN];
	cpumask_t cpus;			/* CPUs assigned to the cell */
	struct kobject *stats;		/* cells/<id>/statistics/ */
	struct kobject *cpu_stats[WD_FW_MAX_CPUS];	/* statistics/cpu<n>/ */
	void *config;			/* copy of the cell configuration */
	size_t config_size;
	cpumask_t offlined;		/* CPUs Linux gave up for this cell */
	struct wd_pci_owned *pci;	/* PCI devices Linux gave up (pci.c) */
	unsigned int num_pci;
};

int wd_cell_create_root(const struct wd_system_config *config);
void wd_cell_delete_all(void);
int wd_cell_count_nonroot(void);
int wd_cell_add(unsigned int id, const char *name, const struct cpumask *cpus);
void wd_cell_remove(struct wd_cell *cell);
struct wd_cell *wd_cell_find(int id, const char *name);
/* cell-ioctl.c: destroy every non-root cell (reboot, forced teardown) */
void wd_cell_destroy_all(void);
struct wd_cell *wd_cell_root(void);

int wd_cmd_cell_create(const void __user *arg);
int wd_cmd_cell_load(const void __user *arg);
int wd_cmd_cell_start(const void __user *arg);
int wd_cmd_cell_destroy(const void __user *arg);

#endif
