/*
 * ivshmem-v2 links between cells: the endpoints of different cells at the
 * same BDF form one link (as Jailhouse matches them) and must name the same
 * shared memory: a state table, a read/write section and one output section
 * per peer, each at the same physical address with the same size. A link
 * may miss peers; one appears when its cell is created.
 *
 * The hypervisor alone writes the state table (every peer maps it read-only,
 * the validator makes sure): a peer's State register write lands in its
 * entry, and a peer that stops (shut down, failed, set loadable, destroyed)
 * reads as 0 there. Each change interrupts the other peers (vector 0).
 *
 * A doorbell raises the target's interrupt when the target's cell runs and
 * its Interrupt Control enables it: INTx is the SPI vpci_irq_base + pin of
 * the target's cell (owned by that cell, so the GIC routes it to its CPUs
 * and the usual injection path hands it in); an MSI-X vector is delivered
 * when its message is a GICv3 message-based SPI (GICD_SETSPI_NSR with the
 * INTID of an SPI the cell owns), or an MSI through the cell's ITS: a
 * cell's virtual ITS, the root's trapped physical one (the arch decides,
 * arch_vpci_send_msi); an MSI nobody translates is dropped.
 */
#include <wd/vpci.h>
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/printk.h>
#include <wd/string.h>

#define MAX_LINKS		32

/* Clean and invalidate by VA to the point of coherency (arch entry code). */
void dcache_clean_inval_range(u64 start, u64 size);
#define LINK_REGIONS		(2 + WD_IVSHMEM_MAX_PEERS)

struct ivshmem_link {
	bool used;
	u16 bdf;
	u8 peers;
	u16 protocol;
	u64 phys[LINK_REGIONS], size[LINK_REGIONS];
	spinlock_t lock;		/* ep[] and the state table */
	volatile u32 *table;		/* the state table, mapped at EL2 */
	struct vpci_dev *ep[WD_IVSHMEM_MAX_PEERS];
};

static struct ivshmem_link links[MAX_LINKS];

static struct ivshmem_link *link_of_bdf(u16 bdf)
{
	unsigned int n;

	for (n = 0; n < MAX_LINKS; n++)
		if (links[n].used && links[n].bdf == bdf)
			return &links[n];
	return NULL;
}

/* An unused link, or NULL (out of line: 80 bytes less than inlined twice). */
static __noinline struct ivshmem_link *free_link(void)
{
	unsigned int n;

	for (n = 0; n < MAX_LINKS; n++)
		if (!links[n].used)
			return &links[n];
	return NULL;
}

static const char *region_role(unsigned int i, char *buf, unsigned int len)
{
	if (i == 0)
		return MSG_TEXT("state table");
	if (i == 1)
		return MSG_TEXT("read/write section");
	snprintf(buf, len, "output section of peer %u", i - 2);
	return buf;
}

/* May @d of the new cell @c join its link? Nothing changes here. */
int ivshmem_link_check(const struct wd_cell_desc *c, const struct wd_pci_device *d)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(c);
	struct ivshmem_link *link = link_of_bdf(d->bdf);
	unsigned int i;
	char role[32];

	if (!link) {
		if (!free_link())
			return refuse(-ENOSPC, WD_REASON_RESOURCES, 0, 0,
				      "cell '%s': ivshmem %02x:%02x.%x: all %u links of the hypervisor are in use",
				      c->name, d->bdf >> 8, (d->bdf >> 3) & 0x1f,
				      d->bdf & 7, MAX_LINKS);
		return 0;
	}
	if (link->peers != d->shmem_peers)
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, 0,
			      "cell '%s': ivshmem %02x:%02x.%x has %u peers, its link has %u",
			      c->name, d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7,
			      d->shmem_peers, link->peers);
	if (link->ep[d->shmem_dev_id])
		return refuse(-EBUSY, WD_REASON_CONFIG, 0, 0,
			      "cell '%s': ivshmem %02x:%02x.%x: peer id %u of the link is cell '%s'",
			      c->name, d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7,
			      d->shmem_dev_id,
			      link->ep[d->shmem_dev_id]->cell->config->name);
	for (i = 0; i < 2U + link->peers; i++) {
		const struct wd_mem_region *r = &mem[d->shmem_regions_start + i];

		if (r->phys_start == link->phys[i] && r->size == link->size[i])
			continue;
		if (!r->size && !link->size[i])
			continue;
		return refuse(-EINVAL, WD_REASON_MEMORY, d->shmem_regions_start + i,
			      r->phys_start,
			      "cell '%s': ivshmem %02x:%02x.%x: memory region #%u (%s) is phys 0x%llx size 0x%llx, the link's other peers have phys 0x%llx size 0x%llx",
			      c->name, d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7,
			      d->shmem_regions_start + i,
			      region_role(i, role, sizeof(role)), r->phys_start,
			      r->size, link->phys[i], link->size[i]);
	}
	return 0;
}

int ivshmem_attach(struct vpci_dev *dev)
{
	const struct wd_cell_desc *c = dev->cell->config;
	const struct wd_mem_region *mem = wd_cell_mem_regions(c);
	struct ivshmem_link *link = link_of_bdf(dev->bdf);
	unsigned int i;
	void *table;

	if (!link) {
		link = free_link();
		table = link ? arch_map_temp(mem[dev->cfg->shmem_regions_start].phys_start,
					     PAGE_SIZE) : NULL;
		/* One call for both (the image's code budget). */
		if (!table)
			return refuse(link ? -ENOMEM : -ENOSPC, WD_REASON_RESOURCES, 0, 0,
				      link ? "cell '%s': ivshmem %02x:%02x.%x: no room in the remap pool for the state table" :
				      "cell '%s': ivshmem %02x:%02x.%x: no free link",
				      c->name, dev->bdf >> 8, (dev->bdf >> 3) & 0x1f,
				      dev->bdf & 7);
		memset(link, 0, sizeof(*link));
		link->bdf = dev->bdf;
		link->peers = dev->peers;
		link->protocol = dev->cfg->shmem_protocol;
		for (i = 0; i < 2U + dev->peers; i++) {
			link->phys[i] = mem[dev->cfg->shmem_regions_start + i].phys_start;
			link->size[i] = mem[dev->cfg->shmem_regions_start + i].size;
		}
		link->table = table;
		/* Whatever the memory held before: nobody is up. */
		for (i = 0; i < dev->peers; i++)
			link->table[i] = 0;
		dcache_clean_inval_range((u64)(uintptr_t)table, 4 * dev->peers);
		link->used = true;
	}
	spin_lock(&link->lock);
	link->table[dev->id] = 0;
	dev->state = 0;
	link->ep[dev->id] = dev;
	dev->link = link;
	spin_unlock(&link->lock);
	return 0;
}

/* Hand @dev's interrupt @vector in, if its cell runs and enabled it. */
static void raise(struct vpci_dev *dev, unsigned int vector)
{
	u32 state = dev->cell->state, *e, data;
	u64 addr;

	if (state != WD_CELL_RUNNING && state != WD_CELL_RUNNING_LOCKED)
		return;
	if (!(__atomic_load_n(&dev->int_ctrl, __ATOMIC_RELAXED) & WD_IVSHMEM_INT_ENABLE))
		return;
	if (READ_ONCE(dev->space[VPCI_DW_PRIV]) & ((u32)WD_IVSHMEM_PRIV_ONESHOT << 24))
		__atomic_fetch_and(&dev->int_ctrl, ~(u32)WD_IVSHMEM_INT_ENABLE,
				   __ATOMIC_RELAXED);
	if (dev->intx_irq) {
		if (!(READ_ONCE(dev->space[VPCI_DW_COMMAND]) & WD_PCI_CMD_INTX_OFF) &&
		    cell_owns_irq(dev->cell, dev->intx_irq))
			arch_vpci_raise_spi(dev->intx_irq);
		return;
	}
	if ((READ_ONCE(dev->space[VPCI_DW_MSIX]) & (WD_PCI_MSIX_ENABLE | WD_PCI_MSIX_MASKALL)) !=
	    WD_PCI_MSIX_ENABLE || vector >= dev->num_vectors)
		return;
	e = dev->msix[vector];
	addr = READ_ONCE(e[0]) | ((u64)READ_ONCE(e[1]) << 32);
	/* Read once: the cell may rewrite its entry meanwhile (its vpci lock is not held). */
	data = READ_ONCE(e[2]);
	if (READ_ONCE(e[3]) & 1 || !addr)
		return;
	if (addr == arch_vpci_msi_doorbell()) {
		if (data >= 32 && cell_owns_irq(dev->cell, data))
			arch_vpci_raise_spi(data);
	} else {
		/* Another address: the cell's vITS, if it has one (the arch checks). */
		arch_vpci_send_msi(dev->cell, dev->bdf, addr, data);
	}
}

/* Tell every peer of @dev's link but @dev (vector 0); link->lock held. */
static void notify_others(struct ivshmem_link *link, const struct vpci_dev *dev)
{
	unsigned int i;

	for (i = 0; i < link->peers; i++)
		if (link->ep[i] && link->ep[i] != dev)
			raise(link->ep[i], 0);
}

static void set_state(struct ivshmem_link *link, struct vpci_dev *dev, u32 value)
{
	u32 old = dev->state;

	dev->state = value;
	link->table[dev->id] = value;
	/*
	 * The entry is visible before any peer takes the interrupt, also to a
	 * peer that reads it uncached (a bare-metal cell with its MMU off).
	 */
	dcache_clean_inval_range((u64)(uintptr_t)&link->table[dev->id], sizeof(u32));
	if (old != value)
		notify_others(link, dev);
}

void ivshmem_peer_down(struct vpci_dev *dev)
{
	struct ivshmem_link *link = dev->link;

	if (!link)
		return;
	spin_lock(&link->lock);
	if (dev->state || link->table[dev->id])
		set_state(link, dev, 0);
	spin_unlock(&link->lock);
}

void ivshmem_detach(struct vpci_dev *dev)
{
	struct ivshmem_link *link = dev->link;
	unsigned int i;
	bool last = true;

	ivshmem_peer_down(dev);
	spin_lock(&link->lock);
	link->ep[dev->id] = NULL;
	dev->link = NULL;
	for (i = 0; i < link->peers; i++)
		if (link->ep[i])
			last = false;
	spin_unlock(&link->lock);
	if (last) {
		arch_unmap_temp((void *)link->table, PAGE_SIZE);
		link->table = NULL;
		link->used = false;
	}
}

void ivshmem_doorbell(struct vpci_dev *dev, u32 value)
{
	struct ivshmem_link *link = dev->link;
	unsigned int target = value >> 16, vector = value & 0xffff;
	struct vpci_dev *peer;

	if (!link || target >= link->peers)
		return;
	spin_lock(&link->lock);
	peer = link->ep[target];
	if (peer && vector < peer->num_vectors)
		raise(peer, vector);
	spin_unlock(&link->lock);
}

enum mmio_result ivshmem_reg_access(struct vpci_dev *dev, u64 off,
				    struct mmio_access *acc)
{
	/* 32-bit registers, 32-bit accesses only. */
	if (acc->size != 4)
		return MMIO_ERROR;
	if (!acc->is_write) {
		switch (off) {
		case WD_IVSHMEM_REG_ID:
			acc->value = dev->id;
			break;
		case WD_IVSHMEM_REG_MAX_PEERS:
			acc->value = dev->peers;
			break;
		case WD_IVSHMEM_REG_INT_CTRL:
			acc->value = __atomic_load_n(&dev->int_ctrl, __ATOMIC_RELAXED);
			break;
		case WD_IVSHMEM_REG_STATE:
			acc->value = READ_ONCE(dev->state);
			break;
		default:	/* the doorbell and everything else */
			acc->value = 0;
		}
		return MMIO_HANDLED;
	}
	switch (off) {
	case WD_IVSHMEM_REG_INT_CTRL:
		__atomic_store_n(&dev->int_ctrl, (u32)acc->value & WD_IVSHMEM_INT_ENABLE,
				 __ATOMIC_RELAXED);
		break;
	case WD_IVSHMEM_REG_DOORBELL:
		ivshmem_doorbell(dev, (u32)acc->value);
		break;
	case WD_IVSHMEM_REG_STATE:
		if (dev->link) {
			spin_lock(&dev->link->lock);
			set_state(dev->link, dev, (u32)acc->value);
			spin_unlock(&dev->link->lock);
		}
		break;
	}
	return MMIO_HANDLED;
}

long ivshmem_peer_state(const struct vpci_dev *dev, unsigned int peer)
{
	struct ivshmem_link *link = dev->link;

	if (!link || peer >= link->peers || peer >= WD_IVSHMEM_MAX_PEERS || !link->ep[peer])
		return -ENOENT;
	return link->table[peer];
}
