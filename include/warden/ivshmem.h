/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivshmem-v2 as Warden's virtual PCI host presents it: the configuration
 * space layout, the register block in BAR 0 and the link states. One source
 * of truth for the hypervisor's emulation (hypervisor/core/vpci.c,
 * ivshmem.c), the inmate library and the root's drivers. Values are those of
 * the ivshmem-v2 specification and of Jailhouse's device model (binary
 * compatibility with its drivers and inmates).
 */
#ifndef WARDEN_IVSHMEM_H
#define WARDEN_IVSHMEM_H

#include <warden/types.h>

#define WD_IVSHMEM_VENDOR_ID		0x110a
#define WD_IVSHMEM_DEVICE_ID		0x4106
#define WD_IVSHMEM_CLASS		0xff	/* "other": subclass/prog-if = protocol */

/* shmem_protocol values (the class code's low 16 bits) */
#define WD_SHMEM_PROTO_UNDEFINED	0x0000
#define WD_SHMEM_PROTO_VETH		0x0001

/* At most this many peers on one link (the state table's entries). */
#define WD_IVSHMEM_MAX_PEERS		12
/* MSI-X vectors a device may have (BAR 1: table, then PBA at 0x100). */
#define WD_IVSHMEM_MAX_MSIX		16

/* ECAM: one 4 KiB function per BDF, 256 functions per bus. */
#define WD_ECAM_FN_SHIFT		12
#define WD_ECAM_BUS_SIZE		(256ULL << WD_ECAM_FN_SHIFT)

/* Standard header registers the emulation knows (byte offsets). */
#define WD_PCI_VENDOR_ID		0x00
#define WD_PCI_COMMAND			0x04
#define WD_PCI_STATUS			0x06
#define WD_PCI_CLASS_REV		0x08
#define WD_PCI_HEADER			0x0c
#define WD_PCI_BAR0			0x10
#define WD_PCI_BAR1			0x14
#define WD_PCI_SUBSYSTEM		0x2c
#define WD_PCI_ROM			0x30
#define WD_PCI_CAP_PTR			0x34
#define WD_PCI_INT			0x3c	/* line (byte 0), pin (byte 1) */

#define WD_PCI_CMD_MEM			0x0002
#define WD_PCI_CMD_MASTER		0x0004
#define WD_PCI_CMD_INTX_OFF		0x0400
#define WD_PCI_STS_CAPS			0x0010

#define WD_PCI_CAP_VENDOR		0x09
#define WD_PCI_CAP_MSIX			0x11

/* The vendor capability locating the shared memory. */
#define WD_IVSHMEM_CAP			0x40
#define WD_IVSHMEM_CAP_LEN		0x20
#define WD_IVSHMEM_CAP_PRIV		0x03	/* byte: bit 0 one-shot interrupts */
#define WD_IVSHMEM_CAP_STATE_SIZE	0x04	/* u32 */
#define WD_IVSHMEM_CAP_RW_SIZE		0x08	/* u64 */
#define WD_IVSHMEM_CAP_OUT_SIZE		0x10	/* u64 */
#define WD_IVSHMEM_CAP_ADDRESS		0x18	/* u64: guest address of the state table */
#define WD_IVSHMEM_PRIV_ONESHOT		0x01

/* The MSI-X capability, present when bar_mask asks for BAR 1. */
#define WD_IVSHMEM_MSIX_CAP		0x60
#define WD_PCI_MSIX_ENABLE		(1U << 31)	/* in the capability's first dword */
#define WD_PCI_MSIX_MASKALL		(1U << 30)
#define WD_IVSHMEM_MSIX_PBA		0x100	/* in BAR 1 */

/*
 * The root's virtual PCI host on a board whose root has an ITS, when its
 * ivshmem devices have MSI-X (bar_mask[1]): Linux numbers the window's buses
 * from this bus on (the ECAM offset stays relative to the window), so that
 * the ITS DeviceID Linux derives from the requester id, (bus << 8) | devfn
 * with no msi-map on the host, is one no physical function on the usual
 * low buses has. The hypervisor interprets the root's ITS commands for these
 * ids itself (arch/arm64/gicv3-its-virtdev.c); warden.ko registers the host
 * there (driver/vpci-host.c). Without MSI-X the host stays at bus 0.
 */
#define WD_VPCI_ROOT_ITS_BUS(end_bus)	(0xff - (end_bus))
#define WD_VPCI_ROOT_ITS_DEVID(end_bus, bdf) \
	((((__u32)WD_VPCI_ROOT_ITS_BUS(end_bus) << 8) + (__u32)(bdf)) & 0xffff)

/* Bytes of emulated configuration space; above: all ones. */
#define WD_IVSHMEM_CFG_SIZE		0x80

/* BAR 0: the register block. */
#define WD_IVSHMEM_REG_ID		0x00
#define WD_IVSHMEM_REG_MAX_PEERS	0x04
#define WD_IVSHMEM_REG_INT_CTRL		0x08	/* bit 0: interrupts enabled */
#define WD_IVSHMEM_REG_DOORBELL		0x0c	/* vector (15:0) | peer id << 16 */
#define WD_IVSHMEM_REG_STATE		0x10
#define WD_IVSHMEM_INT_ENABLE		0x01
#define WD_IVSHMEM_DOORBELL(peer, vector) (((__u32)(peer) << 16) | ((vector) & 0xffff))

/* The network protocol's link states (values of the State register). */
#define WD_IVSHMEM_NET_RESET		0
#define WD_IVSHMEM_NET_INIT		1
#define WD_IVSHMEM_NET_READY		2
#define WD_IVSHMEM_NET_RUN		3

#endif
