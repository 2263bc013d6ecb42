/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one validator for system and cell configurations, shared by the driver,
 * the tool (host and guest) and the host unit tests. Implementation:
 * common/config-check.c. It needs only snprintf/memcmp/memset/strnlen from its
 * environment.
 *
 * Every failure sets res->error (a negative errno), res->kind (a stable
 * enum wd_check_kind) and res->msg: one line naming the object, e.g.
 * "memory region #2 (phys 0x7fa00000-0x7fa0ffff) overlaps hypervisor memory
 * 0x7fc00000-0x7fffffff".
 */
#ifndef WARDEN_CONFIG_CHECK_H
#define WARDEN_CONFIG_CHECK_H

#include "types.h"
#include "cell-config.h"

enum wd_check_kind {
	WD_CHECK_OK = 0,
	WD_CHECK_TRUNCATED,		/* blob shorter than its header */
	WD_CHECK_SIGNATURE,		/* not "JHSYS" / "JHCLL" */
	WD_CHECK_REVISION,		/* revision != 14 */
	WD_CHECK_ARCHITECTURE,		/* not arm64 */
	WD_CHECK_SIZE_MISMATCH,		/* arrays end past the blob / blob longer than config */
	WD_CHECK_CPU_SET,		/* empty / oversized CPU set */
	WD_CHECK_MEM_ALIGNMENT,		/* region not page aligned where it must be */
	WD_CHECK_MEM_SIZE,		/* zero-sized or wrapping region */
	WD_CHECK_MEM_OVERLAP,		/* two regions of a cell overlap (guest or host side) */
	WD_CHECK_MEM_FLAGS,		/* unknown / contradictory flags */
	WD_CHECK_HV_MEMORY,		/* hypervisor memory missing / misaligned / too small */
	WD_CHECK_HV_OVERLAP,		/* a region overlaps hypervisor memory */
	WD_CHECK_IRQCHIP,		/* pin_base not multiple of 32, bad address */
	WD_CHECK_GIC,			/* unsupported GIC version / missing bases */
	WD_CHECK_CONSOLE,		/* unsupported debug console type */
	WD_CHECK_NAME,			/* cell name empty / not terminated */
	WD_CHECK_PCI,			/* PCI device/capability references out of range */
	WD_CHECK_IOMMU,			/* bad IOMMU unit, two units at one address */
	/* Appended: the values above never change. */
	WD_CHECK_MEM_SUBPAGE,		/* sub-page region: Warden maps whole pages only */
	WD_CHECK_COMM_REGION,		/* two comm regions, none in a non-passive cell, size */
	WD_CHECK_LOADABLE,		/* LOADABLE region not writable / on I/O / none at all */
	WD_CHECK_ENTRY,			/* cpu_reset_address outside executable memory */
	WD_CHECK_CELL_FLAGS,		/* unknown or unsupported cell flags (AArch32) */
	WD_CHECK_STREAM_ID,		/* stream id twice in a cell or in two cells */
	WD_CHECK_UNUSED,		/* arrays arm64 ignores (PIO, cache regions) */
	/* Between configurations (wd_check_set) */
	WD_CHECK_CPU_NOT_IN_ROOT,	/* a cell's CPU is not one of the root cell's */
	WD_CHECK_CPU_CONFLICT,		/* two cells use one CPU */
	WD_CHECK_ROOT_CPU,		/* the cells leave the root cell no CPU */
	WD_CHECK_MEM_NOT_IN_ROOT,	/* cell memory not inside one root cell region */
	WD_CHECK_MEM_CONFLICT,		/* two cells take the same physical memory */
	WD_CHECK_IRQ_NOT_IN_ROOT,	/* a cell claims an SPI the root cell does not own */
	WD_CHECK_IRQ_CONFLICT,		/* two cells claim one SPI */
	/* Appended */
	WD_CHECK_IVSHMEM,		/* ivshmem link memory rules (was: no-vpci) */
	WD_CHECK_KIND_COUNT
};

enum wd_check_severity {
	WD_CHECK_ERROR = 0,		/* the configuration (set) cannot work as written */
	WD_CHECK_WARNING = 1,		/* works, but probably not as meant */
};

#define WD_CHECK_MSG_LEN 200

/*
 * The largest configuration (system or cell) accepted, in bytes: the
 * hypervisor copies a cell configuration into 64 pages of its pool
 * (hypervisor/core/cell-config-copy.c), and the driver and tool use the same limit
 * so that all of them judge alike.
 */
#define WD_CHECK_MAX_CONFIG_SIZE	0x40000U

struct wd_check_result {
	int error;			/* 0 or negative errno */
	enum wd_check_kind kind;
	char msg[WD_CHECK_MSG_LEN];
};

/* Names for messages and dumps: "arm64", "PL011"; "unknown" otherwise. */
const char *wd_arch_name(unsigned int arch);
const char *wd_console_type_name(unsigned int type);

/* Stable short name of a kind, e.g. "signature", "mem-overlap". */
const char *wd_check_kind_name(enum wd_check_kind kind);

/*
 * Validate a whole system configuration blob of @size bytes (as read from a
 * .cell file): header, revision, architecture, every array inside the blob,
 * hypervisor memory, root cell regions. Returns res->error.
 */
int wd_check_system(const void *blob, __u64 size, struct wd_check_result *res);

/* Validate a cell configuration blob on its own (no system context). */
int wd_check_cell(const void *blob, __u64 size, struct wd_check_result *res);

/* "error" or "warning". */
const char *wd_check_severity_name(enum wd_check_severity sev);

/* @blob of a finding about the system configuration (or the set as a whole). */
#define WD_CHECK_BLOB_SYSTEM	(-1)

/*
 * Called once per finding. @blob: index into the @cells array of
 * wd_check_set() of the configuration the finding is about (for a finding
 * between two cells: the later one), or WD_CHECK_BLOB_SYSTEM. @msg is one
 * line without newline, valid only during the call; it names the object
 * ("cell 'demo': memory region #2 ...").
 */
typedef void (*wd_check_report_fn)(void *ctx, enum wd_check_severity sev,
				   enum wd_check_kind kind, int blob, const char *msg);

/*
 * Validate a set of configurations that are meant to run together, and
 * report ALL findings (errors and warnings), not just the first:
 *  - @sys (@sys_size bytes) is the system configuration, or NULL;
 *  - @cells[i] (@sizes[i] bytes) are @n cell configurations (@cells and
 *    @sizes may be NULL when @n is 0).
 * Each blob gets every check of wd_check_system()/wd_check_cell() first (the
 * cells with the system's context when it is valid: hypervisor memory,
 * GIC); a blob whose header or size is wrong is reported and left out of the
 * rest. Then the valid ones are checked against each other: a cell's CPUs,
 * memory and SPIs must belong to the root cell, no two cells may share a CPU,
 * exclusive memory (anything but ROOTSHARED and comm regions), an SPI, a
 * stream id or a PCI device, and the root cell must keep a CPU.
 * Robust to arbitrary bytes: nothing is read outside a blob.
 * Returns the number of errors reported (0: the set is valid; warnings are
 * not counted).
 */
unsigned int wd_check_set(const void *sys, __u64 sys_size, const void *const *cells,
			  const __u64 *sizes, unsigned int n, wd_check_report_fn report,
			  void *ctx);

#endif
