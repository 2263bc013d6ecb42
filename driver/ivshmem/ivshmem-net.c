// SPDX-License-Identifier: GPL-2.0
/*
 * ivshmem-net: an Ethernet link between two peers of an ivshmem-v2 device of
 * protocol 0x0001 (Jailhouse's JAILHOUSE_SHMEM_PROTO_VETH), wire compatible
 * with Jailhouse's ivshmem-net driver.
 *
 * The protocol, as both ends must speak it:
 *
 * - Two peers, IDs 0 and 1. Each one's output section (size S, writable only
 *   by its owner) holds a split virtqueue in the legacy layout (vring_init,
 *   align 64) followed by a data area. The queue length is the largest power
 *   of two from 4096 down to 64 whose ring area (rounded to 64 bytes) stays
 *   below S/8 (32 if none does); the data area is the rest of the section.
 * - A peer's own section holds its transmit queue's descriptors and avail
 *   ring (with used_event after it) and its frames; the used ring of that
 *   queue (with avail_event after it) sits in the OTHER peer's section, since
 *   only the receiver writes it. So each side writes only its own section.
 * - A descriptor's addr is the frame's offset from the start of the sender's
 *   section, len its length, flags 0. The receiver completes descriptors in
 *   the order they were made available, with used.len = 1.
 * - Notifications are suppressed the virtio EVENT_IDX way, always on:
 *   the sender rings the peer's doorbell when vring_need_event(avail_event)
 *   says so, the receiver when vring_need_event(used_event) does. Index
 *   fields are published with release and read with acquire semantics.
 * - Frames are plain Ethernet frames, checksums complete (the receiver
 *   trusts them: the frame only ever was in memory).
 * - Link state handshake through the State register (mirrored in the state
 *   table): RESET -> INIT when the peer is below READY; INIT -> READY (after
 *   clearing one's own section and building the queues) when the peer is
 *   beyond RESET; READY -> RUN when the interface is up and the peer is at
 *   least READY; back to RESET when the peer resets. The carrier is on while
 *   both are in RUN. A state change interrupts the peer (vector 0); with INTx
 *   the same interrupt also signals queue work.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/checksum.h>
#include <linux/pci.h>
#include <linux/skbuff.h>
#include <linux/virtio_ring.h>
#include <linux/workqueue.h>

#include <warden/ivshmem.h>

#include "ivnet-copy-csum.h"

#define DRV_NAME "ivshmem-net"

#define IVNET_VRING_ALIGN	64
#define IVNET_QLEN_MAX		4096
#define IVNET_QLEN_MIN		32
#define IVNET_FRAME_ALIGN	64
/* The largest frame: MTU plus an Ethernet header with a VLAN tag. */
#define IVNET_FRAME_OVERHEAD	(ETH_HLEN + VLAN_HLEN)
#define IVNET_NO_STATE		0xffffffffU
/* Receive: frames up to this size are copied into the skb's linear part ... */
#define IVNET_RX_COPYBREAK	2048
/* ... larger ones keep this much there (the headers) and the rest in pages. */
#define IVNET_RX_HEAD		256
#define IVNET_RX_ORDER		3

struct ivnet_queue {
	struct vring vr;		/* desc/avail of the sender, used of the receiver */
	u16 next_idx;			/* TX: next avail index; RX: next avail to take */
	u16 last_used;			/* TX: next used entry to reclaim; RX: used index */
};

struct ivnet {
	struct net_device *ndev;
	struct pci_dev *pdev;
	void __iomem *regs;
	int irq;			/* MSI-X vector 0 where the cell has MSIs, else INTx */
	u32 *state_table;		/* read-only for us */
	void *own;			/* our output section: our TX queue, our frames */
	void *peer;			/* the peer's: its TX queue, its frames */
	u64 section_size;
	u32 id, peer_id;

	unsigned int qlen;
	u64 vrsize;			/* ring area at the start of each section */
	u64 qsize;			/* data area after it */

	struct ivnet_queue tx, rx;
	/* TX frame allocator: a FIFO in our data area, freed in completion order */
	spinlock_t tx_lock;
	u64 tx_head, tx_tail;		/* offsets in the data area */
	unsigned int tx_inflight;
	u64 *tx_end;			/* per descriptor: tx_tail once it completes */

	struct napi_struct napi;
	bool napi_on;

	struct mutex state_lock;	/* state, up, napi_on, queue (re)build */
	struct work_struct state_work;
	u32 state;			/* ours */
	u32 peer_state_seen;		/* last peer state the work looked at */
	bool up;			/* interface administratively up */
};

static u32 ivnet_peer_state(struct ivnet *iv)
{
	return READ_ONCE(iv->state_table[iv->peer_id]);
}

static void ivnet_set_state(struct ivnet *iv, u32 state)
{
	/* Our earlier writes to shared memory come before the peer hears. */
	wmb();
	WRITE_ONCE(iv->state, state);
	writel(state, iv->regs + WD_IVSHMEM_REG_STATE);
}

static void ivnet_kick(struct ivnet *iv)
{
	/* writel orders our shared-memory stores before the doorbell. */
	writel(WD_IVSHMEM_DOORBELL(iv->peer_id, 0), iv->regs + WD_IVSHMEM_REG_DOORBELL);
}

static u64 ivnet_ring_bytes(unsigned int qlen)
{
	return ALIGN((u64)vring_size(qlen, IVNET_VRING_ALIGN), IVNET_VRING_ALIGN);
}

/* Queue length and ring area for sections of @size bytes (both ends agree). */
static void ivnet_size_queues(struct ivnet *iv)
{
	unsigned int qlen;
	u64 vrsize = 0;

	for (qlen = IVNET_QLEN_MAX; qlen > IVNET_QLEN_MIN; qlen >>= 1) {
		vrsize = ivnet_ring_bytes(qlen);
		if (vrsize < iv->section_size / 8)
			break;
	}
	iv->qlen = qlen;
	iv->vrsize = vrsize;
	iv->qsize = iv->section_size - vrsize;
}

/* INIT -> READY: a clean own section and fresh queue state. */
static void ivnet_queues_init(struct ivnet *iv)
{
	struct vring peer_vr, own_vr;

	memset(iv->own, 0, iv->section_size);
	vring_init(&own_vr, iv->qlen, iv->own, IVNET_VRING_ALIGN);
	vring_init(&peer_vr, iv->qlen, iv->peer, IVNET_VRING_ALIGN);

	/* TX: our descriptors and avail ring, the peer's used ring. */
	iv->tx.vr = own_vr;
	iv->tx.vr.used = peer_vr.used;
	/* RX: the peer's descriptors and avail ring, our used ring. */
	iv->rx.vr = peer_vr;
	iv->rx.vr.used = own_vr.used;

	iv->tx.next_idx = iv->tx.last_used = 0;
	iv->rx.next_idx = iv->rx.last_used = 0;
	iv->tx_head = iv->tx_tail = 0;
	iv->tx_inflight = 0;
}

/* ---- transmit ---- */

/* Offset in the data area for a frame of @len bytes, or -1 if it does not fit. */
static s64 ivnet_tx_place(struct ivnet *iv, unsigned int len)
{
	u64 sz = ALIGN((u64)len, IVNET_FRAME_ALIGN);

	if (iv->tx_inflight >= iv->qlen)
		return -1;
	if (!iv->tx_inflight)
		return sz <= iv->qsize ? 0 : -1;
	if (iv->tx_head > iv->tx_tail) {
		if (iv->tx_head + sz <= iv->qsize)
			return iv->tx_head;
		return sz < iv->tx_tail ? 0 : -1;	/* wrap */
	}
	if (iv->tx_head < iv->tx_tail && iv->tx_head + sz <= iv->tx_tail)
		return iv->tx_head;
	return -1;				/* head == tail: full */
}

static bool ivnet_tx_room(struct ivnet *iv)
{
	return ivnet_tx_place(iv, iv->ndev->mtu + IVNET_FRAME_OVERHEAD) >= 0 &&
	       iv->qlen - iv->tx_inflight >= 2;
}

/* Reclaim what the peer completed; tx_lock held. False if the peer broke the rules. */
static bool ivnet_tx_reclaim(struct ivnet *iv)
{
	struct vring *vr = &iv->tx.vr;
	u16 used = smp_load_acquire(&vr->used->idx);
	u16 mask = iv->qlen - 1;

	if ((u16)(used - iv->tx.last_used) > iv->tx_inflight) {
		netdev_err_once(iv->ndev, "peer reports %u completions for %u frames in flight\n",
				(u16)(used - iv->tx.last_used), iv->tx_inflight);
		return false;
	}
	while (iv->tx.last_used != used) {
		struct vring_used_elem *e = &vr->used->ring[iv->tx.last_used & mask];
		u32 id = READ_ONCE(e->id), len = READ_ONCE(e->len);

		if (id != (iv->tx.last_used & mask) || len != 1) {
			netdev_err_once(iv->ndev, "peer completed descriptor %u (len %u), expected %u\n",
					id, len, iv->tx.last_used & mask);
			return false;
		}
		iv->tx_tail = iv->tx_end[id];
		iv->tx_inflight--;
		iv->tx.last_used++;
	}
	if (!iv->tx_inflight)
		iv->tx_head = iv->tx_tail = 0;
	return true;
}

/* Ask the peer for a doorbell on its next completion; tx_lock held. */
static void ivnet_tx_want_completion(struct ivnet *iv)
{
	WRITE_ONCE(vring_used_event(&iv->tx.vr), iv->tx.last_used);
	smp_mb();
}

static netdev_tx_t ivnet_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct ivnet *iv = netdev_priv(ndev);
	struct vring *vr = &iv->tx.vr;
	u16 mask = iv->qlen - 1, idx, old;
	unsigned int len = skb->len;
	bool kick = false;
	void *frame;
	s64 off;

	spin_lock(&iv->tx_lock);
	if (READ_ONCE(iv->state) != WD_IVSHMEM_NET_RUN || !ivnet_tx_reclaim(iv))
		goto drop;

	off = ivnet_tx_place(iv, len);
	if (off < 0) {
		netif_stop_queue(ndev);
		ivnet_tx_want_completion(iv);
		if (!ivnet_tx_reclaim(iv))
			goto drop;
		off = ivnet_tx_place(iv, len);
		if (off < 0) {
			spin_unlock(&iv->tx_lock);
			return NETDEV_TX_BUSY;
		}
		netif_wake_queue(ndev);
	}

	idx = iv->tx.next_idx;
	frame = iv->own + iv->vrsize + off;
	/*
	 * The peer gets complete checksums: summed while copying where the
	 * skb allows it, else computed on the copy.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL || ivnet_copy_skb_csum(skb, frame)) {
		if (skb_copy_bits(skb, 0, frame, len))
			goto drop;
		if (skb->ip_summed == CHECKSUM_PARTIAL) {
			unsigned int start = skb_checksum_start_offset(skb);

			if (start + skb->csum_offset + sizeof(__sum16) > len)
				goto drop;
			*(__sum16 *)(frame + start + skb->csum_offset) =
				csum_fold(csum_partial(frame + start, len - start, 0)) ?:
				CSUM_MANGLED_0;
		}
	}
	vr->desc[idx & mask].addr = iv->vrsize + off;
	vr->desc[idx & mask].len = len;
	vr->desc[idx & mask].flags = 0;
	vr->desc[idx & mask].next = 0;
	iv->tx_end[idx & mask] = off + ALIGN((u64)len, IVNET_FRAME_ALIGN);
	iv->tx_head = iv->tx_end[idx & mask];
	iv->tx_inflight++;
	vr->avail->ring[idx & mask] = idx & mask;
	old = idx;
	iv->tx.next_idx = ++idx;
	smp_store_release(&vr->avail->idx, idx);
	/* The peer's avail_event only after our index is visible. */
	smp_mb();
	kick = vring_need_event(READ_ONCE(vring_avail_event(vr)), idx, old);

	ndev->stats.tx_packets++;
	ndev->stats.tx_bytes += len;

	if (!ivnet_tx_room(iv)) {
		netif_stop_queue(ndev);
		ivnet_tx_want_completion(iv);
		if (ivnet_tx_reclaim(iv) && ivnet_tx_room(iv))
			netif_wake_queue(ndev);
	}
	spin_unlock(&iv->tx_lock);
	if (kick)
		ivnet_kick(iv);
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;

drop:
	spin_unlock(&iv->tx_lock);
	ndev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* ---- receive ---- */

/*
 * An skb holding a copy of the frame at @data. Small frames go to the linear
 * part; a large one (up to 64 KiB with the default MTU) keeps only its
 * headers there and the rest in pages of order <= IVNET_RX_ORDER, so that
 * receiving never needs a 128 KiB physically contiguous buffer.
 */
static struct sk_buff *ivnet_rx_skb(struct ivnet *iv, const void *data, unsigned int len)
{
	unsigned int head = len <= IVNET_RX_COPYBREAK ? len : IVNET_RX_HEAD, off;
	struct sk_buff *skb = napi_alloc_skb(&iv->napi, head);
	int i = 0;

	if (!skb)
		return NULL;
	skb_put_data(skb, data, head);
	for (off = head; off < len; i++) {
		unsigned int order = min_t(unsigned int, IVNET_RX_ORDER,
					   get_order(len - off)), n;
		struct page *page = NULL;

		if (order)
			page = alloc_pages(GFP_ATOMIC | __GFP_COMP | __GFP_NOWARN |
					   __GFP_NORETRY, order);
		if (!page) {
			order = 0;
			page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		}
		if (!page || i >= MAX_SKB_FRAGS) {
			if (page)
				__free_pages(page, order);
			kfree_skb(skb);
			return NULL;
		}
		n = min_t(unsigned int, len - off, PAGE_SIZE << order);
		memcpy(page_address(page), data + off, n);
		skb_add_rx_frag(skb, i, page, 0, n, PAGE_SIZE << order);
		off += n;
	}
	return skb;
}

static int ivnet_rx(struct ivnet *iv, int budget)
{
	struct vring *vr = &iv->rx.vr;
	struct net_device *ndev = iv->ndev;
	u16 mask = iv->qlen - 1, avail, old_used = iv->rx.last_used;
	int done = 0;

	avail = smp_load_acquire(&vr->avail->idx);
	if ((u16)(avail - iv->rx.next_idx) > iv->qlen) {
		netdev_err_once(ndev, "peer published %u frames on a queue of %u\n",
				(u16)(avail - iv->rx.next_idx), iv->qlen);
		return 0;
	}
	while (done < budget && iv->rx.next_idx != avail) {
		u16 id = READ_ONCE(vr->avail->ring[iv->rx.next_idx & mask]);
		struct vring_desc d;
		struct sk_buff *skb;

		if (id >= iv->qlen) {
			netdev_err_once(ndev, "peer's avail ring names descriptor %u of %u\n",
					id, iv->qlen);
			break;
		}
		d.addr = READ_ONCE(vr->desc[id].addr);
		d.len = READ_ONCE(vr->desc[id].len);
		d.flags = READ_ONCE(vr->desc[id].flags);
		if (d.flags || d.addr < iv->vrsize || d.addr >= iv->section_size ||
		    d.len > iv->section_size - d.addr || d.len < ETH_HLEN) {
			ndev->stats.rx_errors++;
			netdev_err_once(ndev, "peer's descriptor %u is invalid (offset 0x%llx, %u bytes, flags 0x%x)\n",
					id, (u64)d.addr, d.len, d.flags);
		} else {
			skb = ivnet_rx_skb(iv, iv->peer + d.addr, d.len);
			if (skb) {
				skb->protocol = eth_type_trans(skb, ndev);
				/*
				 * Both protocol ends send complete checksums,
				 * and the frame never left memory. With
				 * rx-checksumming off the stack verifies
				 * them, as Jailhouse's receiver has it do.
				 */
				if (ndev->features & NETIF_F_RXCSUM)
					skb->ip_summed = CHECKSUM_UNNECESSARY;
				ndev->stats.rx_packets++;
				ndev->stats.rx_bytes += d.len;
				napi_gro_receive(&iv->napi, skb);
			} else {
				ndev->stats.rx_dropped++;
			}
		}
		vr->used->ring[iv->rx.last_used & mask].id = id;
		vr->used->ring[iv->rx.last_used & mask].len = 1;
		iv->rx.last_used++;
		iv->rx.next_idx++;
		done++;
	}
	if (iv->rx.last_used != old_used) {
		smp_store_release(&vr->used->idx, iv->rx.last_used);
		smp_mb();
		if (vring_need_event(READ_ONCE(vring_used_event(vr)), iv->rx.last_used, old_used))
			ivnet_kick(iv);
	}
	return done;
}

static int ivnet_poll(struct napi_struct *napi, int budget)
{
	struct ivnet *iv = container_of(napi, struct ivnet, napi);
	int done;

	spin_lock(&iv->tx_lock);
	if (ivnet_tx_reclaim(iv) && netif_queue_stopped(iv->ndev) &&
	    READ_ONCE(iv->state) == WD_IVSHMEM_NET_RUN && ivnet_tx_room(iv))
		netif_wake_queue(iv->ndev);
	spin_unlock(&iv->tx_lock);

	done = ivnet_rx(iv, budget);
	if (done < budget && napi_complete_done(napi, done)) {
		/* Ask for a doorbell on the next frame, then look once more. */
		WRITE_ONCE(vring_avail_event(&iv->rx.vr), iv->rx.next_idx);
		smp_mb();
		if (smp_load_acquire(&iv->rx.vr.avail->idx) != iv->rx.next_idx ||
		    (netif_queue_stopped(iv->ndev) &&
		     smp_load_acquire(&iv->tx.vr.used->idx) != iv->tx.last_used))
			napi_schedule(napi);
	}
	return done;
}

/* ---- link state ---- */

static void ivnet_run_start(struct ivnet *iv)
{
	if (!iv->napi_on) {
		napi_enable(&iv->napi);
		iv->napi_on = true;
	}
	ivnet_set_state(iv, WD_IVSHMEM_NET_RUN);
	netif_wake_queue(iv->ndev);
	napi_schedule(&iv->napi);
}

/* Back to RESET: stop the queues; state_lock held. */
static void ivnet_reset(struct ivnet *iv)
{
	netif_carrier_off(iv->ndev);
	netif_stop_queue(iv->ndev);
	if (iv->napi_on) {
		napi_disable(&iv->napi);
		iv->napi_on = false;
	}
	spin_lock_bh(&iv->tx_lock);
	ivnet_set_state(iv, WD_IVSHMEM_NET_RESET);
	spin_unlock_bh(&iv->tx_lock);
}

/* One step of the handshake; returns true if it changed our state. state_lock held. */
static bool ivnet_step(struct ivnet *iv, u32 peer)
{
	switch (iv->state) {
	case WD_IVSHMEM_NET_RESET:
		if (peer < WD_IVSHMEM_NET_READY) {
			ivnet_set_state(iv, WD_IVSHMEM_NET_INIT);
			return true;
		}
		break;
	case WD_IVSHMEM_NET_INIT:
		if (peer > WD_IVSHMEM_NET_RESET) {
			ivnet_queues_init(iv);
			ivnet_set_state(iv, WD_IVSHMEM_NET_READY);
			return true;
		}
		break;
	case WD_IVSHMEM_NET_READY:
	case WD_IVSHMEM_NET_RUN:
		if (peer == WD_IVSHMEM_NET_RESET) {
			ivnet_reset(iv);
			return true;
		}
		if (peer >= WD_IVSHMEM_NET_READY && iv->up &&
		    iv->state == WD_IVSHMEM_NET_READY) {
			ivnet_run_start(iv);
			return true;
		}
		break;
	}
	return false;
}

static void ivnet_evaluate(struct ivnet *iv)
{
	u32 peer;

	lockdep_assert_held(&iv->state_lock);
	do {
		peer = ivnet_peer_state(iv);
		iv->peer_state_seen = peer;
	} while (ivnet_step(iv, peer));

	if (iv->state == WD_IVSHMEM_NET_RUN && peer == WD_IVSHMEM_NET_RUN) {
		if (!netif_carrier_ok(iv->ndev)) {
			netif_carrier_on(iv->ndev);
			netdev_info(iv->ndev, "link up (peer %u)\n", iv->peer_id);
		}
	} else if (netif_carrier_ok(iv->ndev)) {
		netif_carrier_off(iv->ndev);
	}
}

static void ivnet_state_work(struct work_struct *work)
{
	struct ivnet *iv = container_of(work, struct ivnet, state_work);

	mutex_lock(&iv->state_lock);
	ivnet_evaluate(iv);
	mutex_unlock(&iv->state_lock);
}

static irqreturn_t ivnet_irq(int irq, void *data)
{
	struct ivnet *iv = data;

	/* INTx carries both: a state change and queue work. */
	if (ivnet_peer_state(iv) != READ_ONCE(iv->peer_state_seen))
		schedule_work(&iv->state_work);
	if (READ_ONCE(iv->state) == WD_IVSHMEM_NET_RUN)
		napi_schedule(&iv->napi);
	return IRQ_HANDLED;
}

static int ivnet_open(struct net_device *ndev)
{
	struct ivnet *iv = netdev_priv(ndev);

	mutex_lock(&iv->state_lock);
	iv->up = true;
	netif_carrier_off(ndev);
	ivnet_evaluate(iv);
	mutex_unlock(&iv->state_lock);
	return 0;
}

static int ivnet_stop(struct net_device *ndev)
{
	struct ivnet *iv = netdev_priv(ndev);

	mutex_lock(&iv->state_lock);
	iv->up = false;
	ivnet_reset(iv);
	/* The peer resets too; the handshake brings us back to READY. */
	ivnet_evaluate(iv);
	mutex_unlock(&iv->state_lock);
	return 0;
}

static int ivnet_change_mtu(struct net_device *ndev, int mtu)
{
	if (netif_running(ndev))
		return -EBUSY;
	ndev->mtu = mtu;
	return 0;
}

static const struct net_device_ops ivnet_ops = {
	.ndo_open = ivnet_open,
	.ndo_stop = ivnet_stop,
	.ndo_start_xmit = ivnet_xmit,
	.ndo_change_mtu = ivnet_change_mtu,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/* ---- PCI ---- */

static u64 ivnet_cap_read64(struct pci_dev *pdev, int cap, int off)
{
	u32 lo, hi;

	pci_read_config_dword(pdev, cap + off, &lo);
	pci_read_config_dword(pdev, cap + off + 4, &hi);
	return (u64)hi << 32 | lo;
}

static int ivnet_probe(struct pci_dev *pdev, const struct pci_device_id *pid)
{
	struct device *dev = &pdev->dev;
	u64 rw_size, out_size;
	phys_addr_t base, out_base;
	struct net_device *ndev;
	u32 state_size, max_peers;
	struct ivnet *iv;
	int cap, err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
	if (!cap || !pci_resource_len(pdev, 0)) {
		dev_err(dev, "no register BAR or vendor capability\n");
		return -ENODEV;
	}

	ndev = devm_alloc_etherdev(dev, sizeof(*iv));
	if (!ndev)
		return -ENOMEM;
	iv = netdev_priv(ndev);
	iv->ndev = ndev;
	iv->pdev = pdev;
	spin_lock_init(&iv->tx_lock);
	mutex_init(&iv->state_lock);
	INIT_WORK(&iv->state_work, ivnet_state_work);
	iv->peer_state_seen = IVNET_NO_STATE;

	iv->regs = devm_ioremap(dev, pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	if (!iv->regs)
		return -ENOMEM;
	iv->id = readl(iv->regs + WD_IVSHMEM_REG_ID);
	max_peers = readl(iv->regs + WD_IVSHMEM_REG_MAX_PEERS);
	pci_read_config_dword(pdev, cap + WD_IVSHMEM_CAP_STATE_SIZE, &state_size);
	rw_size = ivnet_cap_read64(pdev, cap, WD_IVSHMEM_CAP_RW_SIZE);
	out_size = ivnet_cap_read64(pdev, cap, WD_IVSHMEM_CAP_OUT_SIZE);
	if (pci_resource_len(pdev, 2))
		base = pci_resource_start(pdev, 2);
	else
		base = ivnet_cap_read64(pdev, cap, WD_IVSHMEM_CAP_ADDRESS);

	if (iv->id > 1 || max_peers > 2) {
		dev_err(dev, "a network link has 2 peers: this is peer %u of %u\n",
			iv->id, max_peers);
		return -EINVAL;
	}
	if (state_size < 2 * sizeof(u32) || !out_size) {
		dev_err(dev, "state table (0x%x bytes) or output sections (0x%llx bytes) too small\n",
			state_size, out_size);
		return -EINVAL;
	}
	iv->peer_id = !iv->id;
	iv->section_size = out_size;
	ivnet_size_queues(iv);
	if (iv->qsize < 4 * ETH_MIN_MTU) {
		dev_err(dev, "output sections of 0x%llx bytes leave no room for frames\n", out_size);
		return -EINVAL;
	}

	/* The R/W section, if any, is not used by this protocol. */
	out_base = base + state_size + rw_size;
	iv->state_table = devm_memremap(dev, base, state_size, MEMREMAP_WB);
	iv->own = devm_memremap(dev, out_base + iv->id * out_size, out_size, MEMREMAP_WB);
	iv->peer = devm_memremap(dev, out_base + iv->peer_id * out_size, out_size, MEMREMAP_WB);
	if (IS_ERR(iv->state_table) || IS_ERR(iv->own) || IS_ERR(iv->peer)) {
		dev_err(dev, "cannot map the shared memory at %pa\n", &base);
		return -ENOMEM;
	}
	iv->tx_end = devm_kcalloc(dev, iv->qlen, sizeof(*iv->tx_end), GFP_KERNEL);
	if (!iv->tx_end)
		return -ENOMEM;

	SET_NETDEV_DEV(ndev, dev);
	ndev->netdev_ops = &ivnet_ops;
	ndev->min_mtu = ETH_MIN_MTU;
	ndev->max_mtu = min_t(u64, 65535, iv->qsize / 4);
	/*
	 * The largest MTU by default (Jailhouse's driver starts at 16384):
	 * the link has no wire, so a frame costs the same per packet whatever
	 * its size, and a 64 KiB frame is one trip through both stacks where
	 * 16 KiB frames are four. MTUs are not negotiated and a receiver of
	 * either implementation takes any frame that fits the data area, so a
	 * peer with a smaller MTU still interoperates (TCP's MSS follows the
	 * smaller one).
	 */
	ndev->mtu = ndev->max_mtu;
	ndev->hw_features = NETIF_F_HW_CSUM | NETIF_F_SG | NETIF_F_RXCSUM;
	ndev->features = ndev->hw_features;
	eth_hw_addr_random(ndev);
	netif_napi_add(ndev, &iv->napi, ivnet_poll);
	netif_carrier_off(ndev);

	err = register_netdev(ndev);
	if (err)
		goto out_napi;

	/* No one-shot: the interrupt stays enabled. */
	pci_write_config_byte(pdev, cap + WD_IVSHMEM_CAP_PRIV, 0);
	/*
	 * One vector: the peer rings vector 0 for everything. MSI-X where the
	 * device has the table (a cell with a virtual ITS), else INTx.
	 */
	err = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_ALL_TYPES);
	if (err < 0) {
		dev_err(dev, "no interrupt (neither MSI-X nor INTx): %d\n", err);
		goto out_unregister;
	}
	iv->irq = pci_irq_vector(pdev, 0);
	err = request_irq(iv->irq, ivnet_irq, IRQF_SHARED, DRV_NAME, iv);
	if (err) {
		pci_free_irq_vectors(pdev);
		goto out_unregister;
	}
	if (pdev->msix_enabled)
		dev_info(dev, "MSI-X: IRQ %d\n", iv->irq);
	pci_set_master(pdev);
	pci_set_drvdata(pdev, iv);
	writel(1, iv->regs + WD_IVSHMEM_REG_INT_CTRL);

	mutex_lock(&iv->state_lock);
	ivnet_set_state(iv, WD_IVSHMEM_NET_RESET);
	ivnet_evaluate(iv);
	mutex_unlock(&iv->state_lock);
	netdev_info(ndev, "peer %u of a link to peer %u: queues of %u, %llu-byte data areas, MTU %u\n",
		    iv->id, iv->peer_id, iv->qlen, iv->qsize, ndev->mtu);
	return 0;

out_unregister:
	unregister_netdev(ndev);
out_napi:
	netif_napi_del(&iv->napi);
	return err;
}

static void ivnet_remove(struct pci_dev *pdev)
{
	struct ivnet *iv = pci_get_drvdata(pdev);

	unregister_netdev(iv->ndev);		/* stop: RESET */
	writel(WD_IVSHMEM_NET_RESET, iv->regs + WD_IVSHMEM_REG_STATE);
	writel(0, iv->regs + WD_IVSHMEM_REG_INT_CTRL);
	free_irq(iv->irq, iv);
	pci_free_irq_vectors(pdev);
	cancel_work_sync(&iv->state_work);
	netif_napi_del(&iv->napi);
	pci_clear_master(pdev);
}

static const struct pci_device_id ivnet_ids[] = {
	{ PCI_DEVICE(WD_IVSHMEM_VENDOR_ID, WD_IVSHMEM_DEVICE_ID),
	  .class = (WD_IVSHMEM_CLASS << 16) | WD_SHMEM_PROTO_VETH,
	  .class_mask = 0xffffff },
	{ }
};
MODULE_DEVICE_TABLE(pci, ivnet_ids);

static struct pci_driver ivnet_driver = {
	.name = DRV_NAME,
	.id_table = ivnet_ids,
	.probe = ivnet_probe,
	.remove = ivnet_remove,
};
module_pci_driver(ivnet_driver);

MODULE_DESCRIPTION("Ethernet over ivshmem-v2 shared memory (Jailhouse ivshmem-net protocol)");
MODULE_LICENSE("GPL");
