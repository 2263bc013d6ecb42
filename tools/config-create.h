/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden config create: the pieces it is made of.
 *
 *   fdt-scan.c       the device tree -> struct dt_info (what the board has)
 *   config-layout.c  dt_info + /proc/iomem + options -> struct cc_model
 *                    (what the root cell gets: memory split, regions, pins)
 *   config-ivshmem.c --ivshmem links: virtual PCI host, devices, shared memory
 *   config-emit.c    cc_model -> binary .cell and readable C source
 *   config-create.c  the command: options, input, check, output
 *
 *   config-report.c  what the user is told: per-node details (-v) and the
 *                    things to act on, grouped and printed last
 *
 * Everything the scan or the layout cannot use is counted, and with -v
 * reported on stderr, one line per device tree node, starting with
 * "warden: config create: ".
 */
#ifndef WARDEN_CONFIG_CREATE_H
#define WARDEN_CONFIG_CREATE_H

#include <stdio.h>

#include <warden/cell-config.h>

#define CC_PREFIX		"warden: config create: "
#define CC_PAGE_SIZE		0x1000ULL

#define DT_MAX_RANGES		32
#define DT_MAX_CPUS		256
#define DT_MAX_DEVS		512
#define DT_MAX_SIDS		1024
#define DT_MAX_INTID		1020	/* SPIs end at INTID 1019 */
#define DT_PATH_LEN		96

struct dt_range {
	__u64 start;
	__u64 size;
};

/* One reg entry of a device, translated to a CPU physical address. */
struct dt_dev {
	__u64 start;
	__u64 size;
	char label[DT_PATH_LEN + 48];	/* node path, plus what it is */
};

struct dt_gic {
	int version;			/* 0: none found, 2 or 3 */
	int phandle;
	char compatible[32];
	char path[DT_PATH_LEN];
	__u64 gicd, gicr, gicc, gich, gicv;
	__u64 gicd_size, gicr_size;
	unsigned int maintenance_irq;	/* INTID, 0 when not given */
};

struct dt_uart {
	int found;
	__u16 type;			/* WD_CON_TYPE_* */
	__u16 flags;			/* WD_CON_* */
	__u64 base;
	__u64 size;
	char path[DT_PATH_LEN];
	char compatible[32];
};

struct dt_pci {
	int found;
	char path[DT_PATH_LEN];
	__u64 ecam;
	__u64 ecam_size;
	unsigned int bus_start, bus_end;
	unsigned int domain;
};

struct dt_info {
	struct dt_range mem[DT_MAX_RANGES];
	unsigned int n_mem;
	/* /memory nodes the bootloader fills in (reg size 0): their base, for the hint */
	unsigned int n_mem_empty;
	__u64 mem_empty_base;
	/* /reserved-memory children: no-map ones are not Linux's RAM at all */
	struct dt_range reserved[DT_MAX_RANGES];
	int reserved_nomap[DT_MAX_RANGES];
	unsigned int n_reserved;

	__u64 mpidr[DT_MAX_CPUS];
	unsigned int n_cpus;

	struct dt_gic gic;
	struct dt_uart uart;
	struct dt_pci pci;

	struct dt_dev devs[DT_MAX_DEVS];
	unsigned int n_devs;

	__u32 spis[(DT_MAX_INTID + 31) / 32];	/* bit n: INTID n used by a device */

	struct {
		__u64 base;
		__u64 size;
		int phandle;
		char path[DT_PATH_LEN];
	} smmu[WD_IOMMU_MAX_UNITS];
	unsigned int n_smmu;

	__u32 sids[DT_MAX_SIDS];
	unsigned int n_sids;

	unsigned int n_unclassified;	/* lines printed on stderr */
};

/*
 * Scan the flattened device tree @fdt of @len bytes. Returns 0, or -1 after
 * printing why the tree is unusable (corrupt, no GIC, no CPUs, no memory).
 * Nodes it cannot use are reported on stderr and counted.
 */
int dt_scan(const void *fdt, size_t len, struct dt_info *dt);

/* ---- the root cell to generate */

#define CC_MAX_REGIONS		(DT_MAX_DEVS + 2 * DT_MAX_RANGES)
#define CC_MAX_IRQCHIPS		((DT_MAX_INTID + 127) / 128)
/* ivshmem links on request (--ivshmem): one per INTx pin at most. */
#define CC_MAX_IVSHMEM		4

struct cc_region {
	struct wd_mem_region r;
	char comment[DT_PATH_LEN + 80];
};

struct cc_model {
	struct wd_system_config sys;	/* header; counts filled in by cc_layout */
	char hv_comment[80];
	char console_comment[DT_PATH_LEN + 64];
	char gic_comment[DT_PATH_LEN + 64];
	char pci_comment[DT_PATH_LEN + 128];
	char iommu_comment[WD_IOMMU_MAX_UNITS][DT_PATH_LEN];

	unsigned int n_cpus;
	__u64 mpidr[DT_MAX_CPUS];

	struct cc_region regions[CC_MAX_REGIONS];
	unsigned int n_regions;

	struct wd_irqchip irqchips[CC_MAX_IRQCHIPS];
	unsigned int n_irqchips;

	__u32 sids[DT_MAX_SIDS];
	unsigned int n_sids;

	/* --ivshmem: the links' devices, and their INTx SPIs for the irqchips */
	struct wd_pci_device pci[CC_MAX_IVSHMEM];
	char pci_dev_comment[CC_MAX_IVSHMEM][200];
	unsigned int n_pci;
	__u32 spis_extra[(DT_MAX_INTID + 31) / 32];

	char source[128];		/* where the description came from */
};

struct cc_ivshmem {
	__u16 bdf;			/* bus 0 of the virtual PCI host */
	unsigned int peers;		/* the root is peer 0 */
	__u16 protocol;			/* WD_SHMEM_PROTO_* */
};

struct cc_options {
	const char *name;
	int name_given;			/* --name: refused when invalid, not shortened */
	__u64 mem_hv;
	__u64 mem_inmates;
	int mem_inmates_given;
	/* Linux's RAM from /proc/iomem; n_linux_ram == 0: not known */
	struct dt_range linux_ram[DT_MAX_RANGES];
	unsigned int n_linux_ram;
	/* --ivshmem, --ivshmem-base, --vpci-ecam, --vpci-irq-base (0: choose) */
	struct cc_ivshmem ivshmem[CC_MAX_IVSHMEM];
	unsigned int n_ivshmem;
	__u64 ivshmem_base;
	__u64 vpci_ecam;
	unsigned int vpci_irq_base;
	int vpci_irq_base_given;
};

/*
 * The running system only (config-pci-live.c): add the stream IDs of the PCI
 * functions Linux has past the host's first bus, through its iommu-map.
 */
void cc_live_pci_sids(const void *fdt, struct dt_info *dt);

/* ---- reporting (config-report.c) */

extern int cc_verbose;		/* -v: every detail line */

/* A per-node detail: printed only with -v, counted always. */
void cc_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Something the user must act on: grouped by the formatted topic, @item (a
 * node path, or NULL) added to the topic's list. Printed by cc_report_actions.
 */
void cc_action(const char *item, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The count of details (unless -v) and every action topic, last. */
void cc_report_actions(void);
void cc_reset_report(void);
unsigned int cc_details(void);

/* Decide the root cell from the scan. 0, or -1 after printing why not. */
int cc_layout(const struct dt_info *dt, const struct cc_options *opt, struct cc_model *m);

/* --ivshmem BDF[:PEERS[:PROTOCOL]] into @opt; -1 when malformed or too many. */
int cc_parse_ivshmem(const char *arg, struct cc_options *opt);
/* The requested links into the model (after the devices). 0, or -1 after printing why. */
int cc_add_ivshmem(const struct dt_info *dt, const struct cc_options *opt, struct cc_model *m);

/* The binary configuration in a malloc'ed buffer (free it); NULL on ENOMEM. */
void *cc_emit_binary(const struct cc_model *m, size_t *len);

/* The C source of the same configuration. 0, or -1 on a write error. */
int cc_emit_c(const struct cc_model *m, FILE *f);

/* Size of the CPU set in bytes (whole __u64 words, as the C source declares it). */
unsigned int cc_cpu_set_size(unsigned int n_cpus);

#endif
