/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between the driver and the hypervisor image (warden.bin).
 *
 * The image starts with struct wd_fw_header. The driver:
 *  1. checks the signature and header_version, and that core_size plus the
 *     system configuration fit into the hypervisor memory;
 *  2. zeroes the hypervisor memory, copies the image to its start and the system
 *     configuration to config_offset (page aligned, after core_size);
 *  3. fills in the "driver" fields below and cleans the whole range to the point
 *     of coherency (the image starts with the EL2 MMU and caches off);
 *  4. on every online CPU, with interrupts off: HVC_SET_VECTORS (hvc #0, x0 = 0,
 *     x1 = hypervisor physical base + entry_vectors), then "hvc #0" with
 *     x0 = WD_FW_ENTRY_MAGIC and x1 = the Linux CPU number. That second call
 *     returns 0 in x0 once the CPU runs as part of the root cell, or a negative
 *     errno, in which case Linux's hyp stub is installed again on that CPU.
 *
 * All CPUs of the root cell rendezvous inside the hypervisor: either every CPU
 * comes back with 0, or every CPU comes back with an error.
 */
#ifndef WARDEN_FIRMWARE_H
#define WARDEN_FIRMWARE_H

#include "types.h"

#define WD_FW_SIGNATURE		"WARDENHV"
#define WD_FW_HEADER_VERSION	1
#define WD_FW_NAME		"warden.bin"
#define WD_FW_ENTRY_MAGIC	0x57415244454e0001ULL	/* "WARDEN" 0001 */

/*
 * One "msi-map" entry of the root's PCI host (Documentation/devicetree/
 * bindings/pci/pci-msi.txt): requester ids rid_base .. rid_base + length - 1
 * (after msi-map-mask) become ITS device ids from devid_base on.
 */
#define WD_FW_MSI_MAP_MAX	4
#define WD_FW_MSI_MAP_VALID	0x1	/* pci_msi_map_flags: the driver filled it */

struct wd_fw_msi_map {
	__u32 rid_base;
	__u32 devid_base;
	__u32 length;
	__u32 reserved;
} __packed;

/* Linux's hyp stub calls (arch/arm64/include/asm/virt.h) */
#define WD_HVC_STUB_SET_VECTORS	0
#define WD_HVC_STUB_ERR		0xbadca11

struct wd_fw_header {
	/* Set when the image is built */
	char signature[8];
	__u32 header_version;
	__u32 max_cpus;		/* per-CPU slots compiled into the image */
	__u64 image_size;	/* bytes of warden.bin */
	__u64 core_size;	/* bytes the core occupies (image + bss), page aligned */
	__u64 entry_vectors;	/* offset of the EL2 entry vectors (2 KiB aligned) */
	__u64 console_offset;	/* offset of struct wd_console_ring */

	/* Set by the driver before entry */
	__u32 online_cpus;	/* CPUs that will enter */
	__u32 boot_cpu;		/* Linux CPU number that does the global set-up */
	__u64 hyp_stub_vectors;	/* physical address of Linux's __hyp_stub_vectors */
	__u64 config_offset;	/* offset of the system configuration copy */
	__u64 config_size;
	__u64 cpu_mpidr[64];	/* MPIDR_EL1 affinity of each Linux CPU number */

	/*
	 * Set when the image is built. Appended so that the fields above keep
	 * their offsets; an image without a reason record has 0 here (the
	 * padding up to the entry vectors is zero).
	 */
	__u64 reason_offset;	/* offset of struct wd_reason, or 0 */

	/*
	 * Set by the driver before entry, from the root's device tree (the
	 * first "pci-host-ecam-generic" node): the physical ECAM through which
	 * the hypervisor reads the configuration space of PCI functions it
	 * gives cells (hypervisor/core/vpci-phys.c). pci_ecam_phys is the
	 * address of bus pci_ecam_start_bus; 0: none (no config space for
	 * cells' physical functions). An older driver leaves zeroes here.
	 */
	__u64 pci_ecam_phys;
	__u8 pci_ecam_start_bus;
	__u8 pci_ecam_end_bus;
	__u16 pci_ecam_domain;
	__u32 pci_ecam_reserved;

	/*
	 * Set by the driver before entry, from the same host node's "msi-map"
	 * and "msi-map-mask": the GICv3 ITS device id of each requester id, for
	 * the MSIs of the physical functions cells own (hypervisor/core/
	 * vpci-devid.c). With WD_FW_MSI_MAP_VALID and no entries the host has
	 * no msi-map, and its MSIs carry the requester id as device id. Only
	 * entries whose controller is a GICv3 ITS are copied; a map with more
	 * than WD_FW_MSI_MAP_MAX of them is not passed (flags 0). An older
	 * driver leaves zeroes: no device id is known, so no MSI route.
	 */
	__u32 pci_msi_map_flags;
	__u32 pci_msi_map_num;
	__u32 pci_msi_map_mask;
	__u32 pci_msi_map_reserved;
	struct wd_fw_msi_map pci_msi_map[WD_FW_MSI_MAP_MAX];
} __packed;

WD_ASSERT_OFFSET(struct wd_fw_header, online_cpus, 48);
WD_ASSERT_OFFSET(struct wd_fw_header, cpu_mpidr, 80);
WD_ASSERT_OFFSET(struct wd_fw_header, reason_offset, 592);
WD_ASSERT_OFFSET(struct wd_fw_header, pci_ecam_phys, 600);
WD_ASSERT_OFFSET(struct wd_fw_header, pci_ecam_domain, 610);
WD_ASSERT_OFFSET(struct wd_fw_header, pci_msi_map_flags, 616);
WD_ASSERT_OFFSET(struct wd_fw_header, pci_msi_map, 632);
WD_ASSERT_SIZE(struct wd_fw_msi_map, 16);
WD_ASSERT_SIZE(struct wd_fw_header, 696);

/*
 * The hypervisor's log: a ring the hypervisor appends to and the driver reads
 * (sysfs "console"). "seq" is odd while a write is in progress; readers retry
 * when it is odd or changed during their copy. "written" counts every byte ever
 * written, so a reader knows where the ring's oldest byte is.
 */
#define WD_CONSOLE_RING_SIZE	16384

struct wd_console_ring {
	volatile __u32 seq;
	__u32 padding;
	volatile __u64 written;
	char buf[WD_CONSOLE_RING_SIZE];
} __packed;

/*
 * Why the hypervisor refused the root cell's last management call (a
 * hypercall, or the enable entry of a CPU): one line, the same the
 * hypervisor prints to its console, plus what it is about in numbers. Only
 * calls of the root cell are recorded: a cell cannot overwrite the root's
 * reason. The record lives next to the console ring, in memory the root cell
 * may read but not write.
 *
 * "seq" is odd while the hypervisor writes the record and grows by 2 with
 * every record. A reader takes seq before its call; afterwards a consistent
 * copy is one with an even seq that differs from that value and is the same
 * before and after the copy. A seq that did not move means the call was
 * refused without a recorded reason.
 */
#define WD_REASON_MSG_LEN	224

/* What "object" (and "addr") of struct wd_reason name. */
#define WD_REASON_NONE		0
#define WD_REASON_CONFIG	1	/* the configuration: object = enum wd_check_kind */
#define WD_REASON_CPU		2	/* object = CPU number */
#define WD_REASON_IRQ		3	/* object = interrupt number */
#define WD_REASON_MEMORY	4	/* object = memory region #, addr = physical address */
#define WD_REASON_CELL		5	/* object = cell id: its state forbids the call */
#define WD_REASON_CALLER	6	/* the calling cell may not do this */
#define WD_REASON_RESOURCES	7	/* out of hypervisor memory */
#define WD_REASON_PLATFORM	8	/* the hardware (GIC, CPU features) */
#define WD_REASON_TIMEOUT	9	/* object = CPU number that did not answer */

/* struct wd_reason.call of a refused enable (not a hypercall code) */
#define WD_REASON_CALL_ENABLE	0xffffffffU

struct wd_reason {
	volatile __u32 seq;
	__s32 error;		/* the negative errno the call returned */
	__u32 call;		/* WD_HC_* code, or WD_REASON_CALL_ENABLE */
	__u32 kind;		/* WD_REASON_* */
	__u32 cpu;		/* the CPU that refused */
	__u32 object;		/* see WD_REASON_* */
	__u64 addr;		/* address concerned, or 0 */
	char msg[WD_REASON_MSG_LEN];	/* NUL-terminated, no newline */
} __packed;

WD_ASSERT_OFFSET(struct wd_reason, addr, 24);
WD_ASSERT_SIZE(struct wd_reason, 256);

#endif
