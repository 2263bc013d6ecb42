/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ivshmem-v2 device as a guest driver sees it (Jailhouse's
 * Documentation/ivshmem-v2-specification.md): PCI identity, the vendor
 * capability that locates the shared memory, the BAR0 register block, and
 * the link states of the ivshmem-net protocol. Shared by the root's drivers
 * (warden.ko's virtual host bridge, uio_ivshmem.ko, ivshmem-net.ko) and the
 * user-space demo, so it has no kernel-only types.
 */
#ifndef WARDEN_IVSHMEM_GUEST_H
#define WARDEN_IVSHMEM_GUEST_H

/* PCI identity; the class code is 0xff, the protocol in subclass/prog-if. */
#define WD_IVSHMEM_VENDOR_ID		0x110a
#define WD_IVSHMEM_DEVICE_ID		0x4106
#define WD_IVSHMEM_CLASS		0xff
#define WD_IVSHMEM_PROTO_UNDEFINED	0x0000	/* generic: uio_ivshmem */
#define WD_IVSHMEM_PROTO_NET		0x0001	/* ivshmem-net (JAILHOUSE_SHMEM_PROTO_VETH) */

/* Vendor-specific capability, offsets from the capability's start. */
#define WD_IVSHMEM_CAP_PRIV_CTRL	0x03	/* u8, bit 0: one-shot interrupts */
#define WD_IVSHMEM_CAP_STATE_SIZE	0x04	/* u32 */
#define WD_IVSHMEM_CAP_RW_SIZE		0x08	/* u64 */
#define WD_IVSHMEM_CAP_OUT_SIZE		0x10	/* u64, one output section */
#define WD_IVSHMEM_CAP_BASE		0x18	/* u64, guest-physical start */
#define WD_IVSHMEM_PRIV_ONESHOT		0x01

/* BAR0 register block (32-bit registers). */
#define WD_IVSHMEM_REG_ID		0x00
#define WD_IVSHMEM_REG_MAX_PEERS	0x04
#define WD_IVSHMEM_REG_INT_CTRL		0x08	/* bit 0: interrupts enabled */
#define WD_IVSHMEM_REG_DOORBELL		0x0c	/* vector | peer id << 16 */
#define WD_IVSHMEM_REG_STATE		0x10
#define WD_IVSHMEM_REGS_SIZE		0x14

#define WD_IVSHMEM_DOORBELL(peer, vector) (((unsigned int)(peer) << 16) | (vector))

/* ivshmem-net link states (State register and state table entries). */
#define WD_IVNET_STATE_RESET		0
#define WD_IVNET_STATE_INIT		1
#define WD_IVNET_STATE_READY		2
#define WD_IVNET_STATE_RUN		3

#endif
