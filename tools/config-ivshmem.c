// SPDX-License-Identifier: GPL-2.0
/*
 * warden config create --ivshmem: ivshmem-v2 links of the root cell, on
 * request. Each link is a virtual PCI device on the hypervisor's virtual PCI
 * host, with its shared memory as consecutive memory regions (state table,
 * read/write section, one output section per peer; the root is peer 0) and
 * an INTx line at SPI vpci_irq_base + (device number & 3), the layout of
 * configs/arm64/qemu-arm64.c and Jailhouse's QEMU configurations, so that
 * cell configurations written for those find the same memory and device.
 *
 * The root also gets the 32 SPIs around its own INTx lines, for the peer
 * cells to take theirs from (a cell may only be given the root's SPIs).
 *
 * The shared memory is taken from the end of the RAM for cells (the root
 * cell keeps loading cell images below it), or placed at --ivshmem-base. The
 * virtual PCI host needs 1 MiB of configuration space (bus 0) and a small
 * window after it that nothing of the board uses: --vpci-ecam, or the first
 * such hole the device tree leaves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/ivshmem.h>

#include "config-create.h"

#define MEM_SHM_RO	(WD_MEM_READ | WD_MEM_ROOTSHARED)
#define MEM_SHM_RW	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED)

/* Jailhouse's QEMU demo link: 36 KiB read/write, 8 KiB per peer's output. */
#define LINK_STATE_SIZE		0x1000ULL
#define LINK_RW_SIZE		0x9000ULL
#define LINK_OUT_SIZE		0x2000ULL
/* ivshmem-net (VETH): no read/write section, two outputs of 508 KiB (1 MiB in all). */
#define NET_OUT_SIZE		0x7f000ULL
#define NET_LINK_SIZE		0x100000ULL
/* Links start 64 KiB aligned: 64 KiB-page guests map them too. */
#define LINK_ALIGN		0x10000ULL

/* The virtual host's ECAM (bus 0) and its memory window (two pages per device). */
#define VPCI_ECAM_SIZE		0x100000ULL
#define VPCI_WINDOW		0x200000ULL
#define VPCI_SEARCH_START	0x01000000ULL
#define VPCI_SEARCH_END		0x100000000ULL
/* Jailhouse's QEMU root: INTx pin A at SPI 96 (INTID 128). */
#define DEFAULT_VPCI_IRQ_BASE	96

static const unsigned int intx_bars[6] = { 0xfffff000, 0, 0, 0, 0, 0 };

int cc_parse_ivshmem(const char *arg, struct cc_options *opt)
{
	struct cc_ivshmem *l;
	unsigned int bus, dev, fn;
	unsigned long peers = 2, v;
	const char *rest, *proto = "";
	char *end;
	int n = -1;

	if (opt->n_ivshmem >= CC_MAX_IVSHMEM)
		return -1;
	l = &opt->ivshmem[opt->n_ivshmem];
	if (sscanf(arg, "%x:%x.%x%n", &bus, &dev, &fn, &n) != 3 || n < 0)
		return -1;
	rest = arg + n;
	if (*rest == ':') {
		peers = strtoul(rest + 1, &end, 10);
		if (end == rest + 1)
			return -1;
		rest = end;
		if (*rest == ':')
			proto = rest + 1;
		else if (*rest)
			return -1;
	} else if (*rest) {
		return -1;
	}
	if (bus > 0 || dev > 31 || fn > 7 || peers < 2 || peers > WD_IVSHMEM_MAX_PEERS)
		return -1;
	l->bdf = (__u16)(bus << 8 | dev << 3 | fn);
	l->peers = (unsigned int)peers;
	if (!proto[0] || strcmp(proto, "undefined") == 0) {
		l->protocol = WD_SHMEM_PROTO_UNDEFINED;
	} else if (strcmp(proto, "veth") == 0 || strcmp(proto, "net") == 0) {
		l->protocol = WD_SHMEM_PROTO_VETH;
	} else {
		v = strtoul(proto, &end, 0);
		if (*end || v > 0xffff)
			return -1;
		l->protocol = (__u16)v;
	}
	if (l->protocol == WD_SHMEM_PROTO_VETH && peers != 2)
		return -1;	/* ivshmem-net connects two peers */
	opt->n_ivshmem++;
	return 0;
}

static __u64 link_size(const struct cc_ivshmem *l)
{
	__u64 size;

	if (l->protocol == WD_SHMEM_PROTO_VETH)
		return NET_LINK_SIZE;
	size = LINK_STATE_SIZE + LINK_RW_SIZE + l->peers * LINK_OUT_SIZE;
	return (size + LINK_ALIGN - 1) & ~(LINK_ALIGN - 1);
}

static int meets(__u64 a, __u64 as, __u64 b, __u64 bs)
{
	return as && bs && a < b + bs && b < a + as;
}

/* Does [start, start+size) meet anything the device tree or the model uses? */
static int used(const struct dt_info *dt, const struct cc_model *m, __u64 start, __u64 size)
{
	const struct dt_gic *g = &dt->gic;
	unsigned int i;

	for (i = 0; i < dt->n_mem; i++)
		if (meets(start, size, dt->mem[i].start, dt->mem[i].size))
			return 1;
	for (i = 0; i < dt->n_reserved; i++)
		if (meets(start, size, dt->reserved[i].start, dt->reserved[i].size))
			return 1;
	for (i = 0; i < dt->n_devs; i++)
		if (meets(start, size, dt->devs[i].start, dt->devs[i].size))
			return 1;
	for (i = 0; i < m->n_regions; i++)
		if (meets(start, size, m->regions[i].r.phys_start, m->regions[i].r.size))
			return 1;
	for (i = 0; i < dt->n_smmu; i++)
		if (meets(start, size, dt->smmu[i].base, dt->smmu[i].size))
			return 1;
	/* The GIC's frames are emulated, not regions: 128 KiB each where no size is known. */
	if (meets(start, size, g->gicd, g->gicd_size ? g->gicd_size : 0x20000) ||
	    meets(start, size, g->gicr, g->gicr_size) ||
	    meets(start, size, g->gicc, g->gicc ? 0x20000 : 0) ||
	    meets(start, size, g->gich, g->gich ? 0x20000 : 0) ||
	    meets(start, size, g->gicv, g->gicv ? 0x20000 : 0) ||
	    meets(start, size, dt->pci.ecam, dt->pci.found ? dt->pci.ecam_size : 0) ||
	    meets(start, size, m->sys.hypervisor_memory.phys_start,
		  m->sys.hypervisor_memory.size))
		return 1;
	return 0;
}

static int place_vpci_host(const struct dt_info *dt, const struct cc_options *opt,
			   struct cc_model *m)
{
	struct wd_platform *p = &m->sys.platform;
	__u64 ecam = opt->vpci_ecam;

	if (ecam) {
		if (ecam % VPCI_ECAM_SIZE) {
			fprintf(stderr, CC_PREFIX "--vpci-ecam 0x%llx is not 1 MiB aligned\n",
				(unsigned long long)ecam);
			return -1;
		}
		if (used(dt, m, ecam, VPCI_WINDOW)) {
			fprintf(stderr, CC_PREFIX "--vpci-ecam 0x%llx: 0x%llx-0x%llx (the virtual PCI host's configuration space and window) meets RAM or a device of the board\n",
				(unsigned long long)ecam, (unsigned long long)ecam,
				(unsigned long long)(ecam + VPCI_WINDOW - 1));
			return -1;
		}
	} else {
		for (ecam = VPCI_SEARCH_START; ecam < VPCI_SEARCH_END; ecam += VPCI_WINDOW)
			if (!used(dt, m, ecam, VPCI_WINDOW))
				break;
		if (ecam >= VPCI_SEARCH_END) {
			fprintf(stderr, CC_PREFIX "--ivshmem: no 2 MiB below 4 GiB is free of RAM and devices for the virtual PCI host: give --vpci-ecam ADDR\n");
			return -1;
		}
	}
	/* The board's PCI host (if any) stays Linux's, mapped as a device region. */
	p->pci_mmconfig_base = ecam;
	p->pci_mmconfig_end_bus = 0;
	p->pci_is_virtual = 1;
	p->pci_domain = (__u16)(dt->pci.found ? dt->pci.domain + 1 : 0);
	snprintf(m->pci_comment, sizeof(m->pci_comment),
		 "the hypervisor's virtual PCI host for the ivshmem links: ECAM 0x%llx (bus 0), domain %u%s",
		 (unsigned long long)ecam, p->pci_domain,
		 dt->pci.found ? "; the board's PCI host stays Linux's" : "");
	return 0;
}

/* Four free SPIs for pins A-D: the default's, else the first free group. */
static int choose_irq_base(const struct dt_info *dt, const struct cc_options *opt,
			   unsigned int *base)
{
	unsigned int b, pin;

	for (b = opt->vpci_irq_base_given ? opt->vpci_irq_base : DEFAULT_VPCI_IRQ_BASE;
	     b + 32 + 4 <= DT_MAX_INTID; b += 4) {
		for (pin = 0; pin < 4; pin++) {
			unsigned int intid = b + 32 + pin;

			if (dt->spis[intid / 32] & (1U << (intid % 32)))
				break;
		}
		if (pin == 4) {
			*base = b;
			return 0;
		}
		if (opt->vpci_irq_base_given) {
			fprintf(stderr, CC_PREFIX "--vpci-irq-base %u: SPI %u (INTID %u) is a device's\n",
				b, b + pin, b + 32 + pin);
			return -1;
		}
	}
	fprintf(stderr, CC_PREFIX "--ivshmem: no four free SPIs for the links' INTx lines\n");
	return -1;
}

/* Where the links' memory goes: the end of the RAM for cells, or --ivshmem-base. */
static int place_links(const struct dt_info *dt, const struct cc_options *opt,
		       struct cc_model *m, __u64 total, __u64 *base)
{
	struct cc_region *cells = NULL;
	unsigned int i;

	for (i = 0; i < m->n_regions; i++)
		if (strncmp(m->regions[i].comment, "RAM for cells", 13) == 0)
			cells = &m->regions[i];
	if (opt->ivshmem_base) {
		*base = opt->ivshmem_base;
		if (*base % LINK_ALIGN) {
			fprintf(stderr, CC_PREFIX "--ivshmem-base 0x%llx is not 64 KiB aligned\n",
				(unsigned long long)*base);
			return -1;
		}
		for (i = 0; i < m->n_regions; i++) {
			struct wd_mem_region *r = &m->regions[i].r;

			if (!meets(*base, total, r->phys_start, r->size))
				continue;
			/* Inside the RAM for cells: cut out of it (it may split in two). */
			if (&m->regions[i] == cells && *base >= r->phys_start &&
			    *base + total <= r->phys_start + r->size) {
				__u64 end = r->phys_start + r->size;

				if (*base == r->phys_start && *base + total == end)
					goto meet;	/* nothing would be left for cells */
				if (*base == r->phys_start) {
					r->phys_start = r->virt_start = *base + total;
					r->size = end - *base - total;
					continue;
				}
				if (*base + total < end) {
					if (m->n_regions >= CC_MAX_REGIONS)
						goto meet;
					m->regions[m->n_regions] = *cells;
					m->regions[m->n_regions].r.phys_start = *base + total;
					m->regions[m->n_regions].r.virt_start = *base + total;
					m->regions[m->n_regions++].r.size = end - *base - total;
				}
				r->size = *base - r->phys_start;
				continue;
			}
meet:
			fprintf(stderr, CC_PREFIX "--ivshmem-base 0x%llx: the links' 0x%llx-0x%llx meet memory region #%u (%s, 0x%llx-0x%llx); give memory inside the RAM for cells or outside every region\n",
				(unsigned long long)*base, (unsigned long long)*base,
				(unsigned long long)(*base + total - 1), i, m->regions[i].comment,
				(unsigned long long)r->phys_start,
				(unsigned long long)(r->phys_start + r->size - 1));
			return -1;
		}
		for (i = 0; i < dt->n_devs; i++)
			if (meets(*base, total, dt->devs[i].start, dt->devs[i].size)) {
				fprintf(stderr, CC_PREFIX "--ivshmem-base 0x%llx: the links' 0x%llx-0x%llx meet %s\n",
					(unsigned long long)*base, (unsigned long long)*base,
					(unsigned long long)(*base + total - 1), dt->devs[i].label);
				return -1;
			}
		if (meets(*base, total, m->sys.hypervisor_memory.phys_start,
			  m->sys.hypervisor_memory.size)) {
			fprintf(stderr, CC_PREFIX "--ivshmem-base 0x%llx: the links' 0x%llx-0x%llx meet the hypervisor memory\n",
				(unsigned long long)*base, (unsigned long long)*base,
				(unsigned long long)(*base + total - 1));
			return -1;
		}
		return 0;
	}
	if (!cells || cells->r.size < total + LINK_ALIGN) {
		fprintf(stderr, CC_PREFIX "--ivshmem: the links need 0x%llx bytes at the end of the RAM for cells, which has 0x%llx: give more (--mem-inmates) or --ivshmem-base\n",
			(unsigned long long)total,
			(unsigned long long)(cells ? cells->r.size : 0));
		return -1;
	}
	cells->r.size -= total;
	*base = cells->r.phys_start + cells->r.size;
	return 0;
}

static int add_shm(struct cc_model *m, __u64 start, __u64 size, __u64 flags,
		   const struct cc_ivshmem *l, const char *what)
{
	struct cc_region *r;

	if (m->n_regions >= CC_MAX_REGIONS) {
		fprintf(stderr, CC_PREFIX "too many memory regions\n");
		return -1;
	}
	r = &m->regions[m->n_regions++];
	r->r.phys_start = start;
	r->r.virt_start = start;
	r->r.size = size;
	r->r.flags = size ? flags : 0;
	if (!size)
		r->r.phys_start = r->r.virt_start = 0;
	snprintf(r->comment, sizeof(r->comment), "ivshmem %02x:%02x.%x: %s",
		 l->bdf >> 8, (l->bdf >> 3) & 31, l->bdf & 7, what);
	return 0;
}

int cc_add_ivshmem(const struct dt_info *dt, const struct cc_options *opt, struct cc_model *m)
{
	__u64 total = 0, base, at;
	unsigned int i, j, peer, irq_base;

	if (!opt->n_ivshmem)
		return 0;
	for (i = 0; i < opt->n_ivshmem; i++)
		for (j = 0; j < i; j++)
			if (opt->ivshmem[i].bdf == opt->ivshmem[j].bdf) {
				fprintf(stderr, CC_PREFIX "--ivshmem: two links at 00:%02x.%x\n",
					(opt->ivshmem[i].bdf >> 3) & 31, opt->ivshmem[i].bdf & 7);
				return -1;
			}
	for (i = 0; i < opt->n_ivshmem; i++)
		total += link_size(&opt->ivshmem[i]);
	if (place_links(dt, opt, m, total, &base) || place_vpci_host(dt, opt, m) ||
	    choose_irq_base(dt, opt, &irq_base))
		return -1;
	m->sys.root_cell.vpci_irq_base = irq_base;
	/*
	 * The peers' INTx lines are SPIs the other cells take from the root:
	 * the root gets the 32 around its own (INTIDs 128-159 by default,
	 * where Jailhouse's QEMU cells have theirs) so that they can.
	 */
	m->spis_extra[(irq_base + 32) / 32] = ~0U;
	for (at = base, i = 0; i < opt->n_ivshmem; i++) {
		const struct cc_ivshmem *l = &opt->ivshmem[i];
		struct wd_pci_device *d = &m->pci[i];
		unsigned int first = m->n_regions, intid = irq_base + 32 + ((l->bdf >> 3) & 3);
		__u64 out = l->protocol == WD_SHMEM_PROTO_VETH ? NET_OUT_SIZE : LINK_OUT_SIZE;
		__u64 rw = l->protocol == WD_SHMEM_PROTO_VETH ? 0 : LINK_RW_SIZE, p = at;
		char what[48];

		if (add_shm(m, p, LINK_STATE_SIZE, MEM_SHM_RO, l, "state table") ||
		    add_shm(m, p + LINK_STATE_SIZE, rw, MEM_SHM_RW, l, "read/write section"))
			return -1;
		p += LINK_STATE_SIZE + rw;
		if (l->protocol == WD_SHMEM_PROTO_VETH)
			p = at + LINK_STATE_SIZE;
		for (peer = 0; peer < l->peers; peer++, p += out) {
			/* ivshmem-net's second output starts at 512 KiB, as Jailhouse's. */
			if (l->protocol == WD_SHMEM_PROTO_VETH && peer == 1)
				p = at + NET_LINK_SIZE / 2;
			snprintf(what, sizeof(what), "output of peer %u%s", peer,
				 peer ? "" : " (the root)");
			if (add_shm(m, p, out, peer ? MEM_SHM_RO : MEM_SHM_RW, l, what))
				return -1;
		}
		memset(d, 0, sizeof(*d));
		d->type = WD_PCI_TYPE_IVSHMEM;
		d->domain = m->sys.platform.pci_domain;
		d->bdf = l->bdf;
		memcpy(d->bar_mask, intx_bars, sizeof(intx_bars));
		d->shmem_regions_start = first;
		d->shmem_dev_id = 0;
		d->shmem_peers = (__u8)l->peers;
		d->shmem_protocol = l->protocol;
		snprintf(m->pci_dev_comment[i], sizeof(m->pci_dev_comment[i]),
			 "%04x:%02x:%02x.%x: ivshmem link, %u peers (the root is 0), protocol 0x%04x, regions #%u-#%u at 0x%llx, INTx SPI %u (INTID %u)",
			 d->domain, l->bdf >> 8, (l->bdf >> 3) & 31, l->bdf & 7, l->peers,
			 l->protocol, first, m->n_regions - 1, (unsigned long long)at,
			 intid - 32, intid);
		m->spis_extra[intid / 32] |= 1U << (intid % 32);
		at += link_size(l);
	}
	m->n_pci = opt->n_ivshmem;
	m->sys.root_cell.num_pci_devices = m->n_pci;
	return 0;
}
