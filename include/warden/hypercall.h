/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercall interface (Jailhouse arm64 compatible): "hvc #0x4a48", code in x0,
 * arguments in x1 and x2, result in x0 (negative errno on failure).
 * Also the per-cell communication region (ABI revision 2).
 */
#ifndef WARDEN_HYPERCALL_H
#define WARDEN_HYPERCALL_H

#include "types.h"
#include "cell-config.h"

#define WD_HVC_IMM			0x4a48

#define WD_HC_DISABLE			0
#define WD_HC_CELL_CREATE		1
#define WD_HC_CELL_START		2
#define WD_HC_CELL_SET_LOADABLE		3
#define WD_HC_CELL_DESTROY		4
#define WD_HC_HYPERVISOR_GET_INFO	5
#define WD_HC_CELL_GET_STATE		6
#define WD_HC_CPU_GET_INFO		7
#define WD_HC_DEBUG_CONSOLE_PUTC	8

/* HYPERVISOR_GET_INFO types */
#define WD_INFO_MEM_POOL_SIZE		0
#define WD_INFO_MEM_POOL_USED		1
#define WD_INFO_REMAP_POOL_SIZE		2
#define WD_INFO_REMAP_POOL_USED		3
#define WD_INFO_NUM_CELLS		4
/*
 * Warden's own types (not in Jailhouse): bytes of the root cell's RAM (Normal
 * memory) its stage-2 maps with 1 GiB blocks, 2 MiB blocks and 4 KiB pages.
 * Root cell only.
 */
#define WD_INFO_ROOT_STAGE2_RAM_1G	100
#define WD_INFO_ROOT_STAGE2_RAM_2M	101
#define WD_INFO_ROOT_STAGE2_RAM_4K	102
/*
 * Warden's own: DMA faults the IOMMUs recorded for the streams of the cell
 * whose id is in x2, since it was created (polls the event queues first).
 * Root cell only; -ENOENT for no such cell.
 */
#define WD_INFO_CELL_DMA_FAULTS		103
/*
 * Warden's own: the ivshmem devices of a cell, for sysfs and the tool. x2 =
 * WD_INFO_IVSHMEM_ARG(cell id, device index, what): what 0 returns the
 * device, packed as WD_INFO_IVSHMEM_* below; what 1 + p returns the state
 * table entry of peer p, or -ENOENT when no cell is peer p now. -ENODEV past
 * the cell's last device, -ENOENT for no such cell. Root cell only.
 */
#define WD_INFO_CELL_IVSHMEM		104
#define WD_INFO_IVSHMEM_ARG(cell, index, what) \
	((__u64)(__u32)(cell) | (__u64)(__u8)(index) << 32 | (__u64)(__u8)(what) << 40)
#define WD_INFO_IVSHMEM_BDF(v)		((unsigned int)((v) & 0xffff))
#define WD_INFO_IVSHMEM_ID(v)		((unsigned int)(((v) >> 16) & 0xff))
#define WD_INFO_IVSHMEM_PEERS(v)	((unsigned int)(((v) >> 24) & 0xff))
#define WD_INFO_IVSHMEM_PROTO(v)	((unsigned int)(((v) >> 32) & 0xffff))
#define WD_INFO_IVSHMEM_DOMAIN(v)	((unsigned int)(((v) >> 48) & 0x7fff))

/* CPU_GET_INFO types */
#define WD_CPU_INFO_STATE		0
#define WD_CPU_INFO_STAT_BASE		1000

#define WD_CPU_RUNNING			0
#define WD_CPU_FAILED			2

/* Per-CPU exit statistics, CPU_GET_INFO type WD_CPU_INFO_STAT_BASE + n */
#define WD_CPU_STAT_VMEXITS_TOTAL	0
#define WD_CPU_STAT_VMEXITS_MMIO	1
#define WD_CPU_STAT_VMEXITS_MANAGEMENT	2
#define WD_CPU_STAT_VMEXITS_HYPERCALL	3
#define WD_CPU_STAT_VMEXITS_MAINTENANCE	4
#define WD_CPU_STAT_VMEXITS_VIRQ	5
#define WD_CPU_STAT_VMEXITS_VSGI	6
#define WD_CPU_STAT_VMEXITS_PSCI	7
#define WD_CPU_STAT_VMEXITS_SMCCC	8
#define WD_CPU_NUM_STATS		9

/* Cell states, as in the communication region and CELL_GET_STATE */
#define WD_CELL_RUNNING			0
#define WD_CELL_RUNNING_LOCKED		1
#define WD_CELL_SHUT_DOWN		2
#define WD_CELL_FAILED			3
#define WD_CELL_FAILED_COMM_REV		4

/* Communication region */
#define WD_COMM_SIGNATURE		"JHCOMM"
#define WD_COMM_REVISION		2

#define WD_MSG_NONE			0
#define WD_MSG_SHUTDOWN_REQUEST		1
#define WD_MSG_RECONFIG_COMPLETED	2

#define WD_MSG_UNKNOWN			1
#define WD_MSG_REQUEST_DENIED		2
#define WD_MSG_REQUEST_APPROVED		3
#define WD_MSG_RECEIVED			4

#define WD_COMM_FLAG_DBG_PUTC_PERMITTED	0x0001
#define WD_COMM_FLAG_DBG_PUTC_ACTIVE	0x0002

struct wd_comm_region {
	char signature[6];
	__u16 revision;
	volatile __u32 cell_state;
	volatile __u32 msg_to_cell;
	volatile __u32 reply_from_cell;
	__u32 flags;
	struct wd_console console;
	__u64 pci_mmconfig_base;
	__u8 gic_version;
	__u8 padding[7];
	__u64 gicd_base;
	__u64 gicc_base;
	__u64 gicr_base;
	__u32 vpci_irq_base;
} __packed;

WD_ASSERT_OFFSET(struct wd_comm_region, cell_state, 8);
WD_ASSERT_OFFSET(struct wd_comm_region, flags, 20);
WD_ASSERT_OFFSET(struct wd_comm_region, console, 24);
WD_ASSERT_OFFSET(struct wd_comm_region, pci_mmconfig_base, 56);
WD_ASSERT_OFFSET(struct wd_comm_region, gic_version, 64);
WD_ASSERT_OFFSET(struct wd_comm_region, gicd_base, 72);
WD_ASSERT_OFFSET(struct wd_comm_region, gicr_base, 88);
WD_ASSERT_OFFSET(struct wd_comm_region, vpci_irq_base, 96);

#endif
