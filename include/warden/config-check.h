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
	WD_CHECK_IOMMU,			/* bad IOMMU unit */
	WD_CHECK_KIND_COUNT
};

#define WD_CHECK_MSG_LEN 200

struct wd_check_result {
	int error;			/* 0 or negative errno */
	enum wd_check_kind kind;
	char msg[WD_CHECK_MSG_LEN];
};

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

#endif
