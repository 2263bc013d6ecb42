/*
 * The root's virtual ivshmem devices behind the root's ITS (the scheme:
 * asm/gicv3-its-virtdev.h).
 *
 * Commands. After gicv3-its-cmd.c checked a root command (device id below
 * the ITS's, event id, ICID and LPI INTID in range and not kept for cells),
 * gicv3-its.c asks here first. A command naming the DeviceID of one of the
 * root's MSI-X ivshmem devices (MAPD, MAPTI, MAPI, MOVI, DISCARD, INV, INT,
 * CLEAR) is executed on the table below and never reaches the ITS: the ITS
 * has no such device, and Linux's ITT for it stays unused. Each is checked
 * once more against the table (the device must be mapped through this ITS,
 * the event below what MAPD asked for and the device's vectors, the ICID
 * one Warden follows); a refused one is skipped and logged like any refused
 * root command. MAPC, INVALL, MOVALL and SYNC go to the ITS as always; MAPC
 * is also noted (ICID -> CPU), INVALL and MOVALL act on the pending set.
 * Linux maps its collections at boot, before Warden: an ICID with no MAPC
 * seen targets the CPU of that number, Linux's rule (ICID = CPU number).
 *
 * Interrupts. A doorbell on a vector (core/ivshmem.c raise -> vpci-irq.c)
 * sets one bit (device, event) in the target CPU's pending set and kicks
 * that CPU with the event SGI; there its_vdev_flush puts the LPI into a list
 * register as a virtual LPI (HW = 0, the priority of its property byte), if
 * the property byte in the root's table enables it and GICR_CTLR.EnableLPIs
 * is set; otherwise it stays pending until an INV, INVALL, another doorbell
 * or a maintenance interrupt looks again, as an LPI waits in a real
 * redistributor. More than the list registers hold wait with the underflow
 * interrupt armed. DISCARD, CLEAR, MAPD and a remap drop a pending one,
 * MOVI and MOVALL move it.
 *
 * The state lives as long as the hypervisor (one enable): at disable Linux
 * has already removed the devices and unmapped their events.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <warden/ivshmem.h>
#include <asm/gicv3-its.h>
#include <asm/gicv3-its-virtdev.h>
#include "gicv3-regs.h"
#include "gicv3-its-priv.h"

/* gicv3-cpuif.c */
bool gicv3_vlpi_insert(struct per_cpu *pc, unsigned int intid, u8 prio);
void gicv3_vlpi_underflow(struct per_cpu *pc);
void gicv3_send_event(struct per_cpu *target);

#define ICIDS		ITS_VDEV_ICIDS	/* Linux's ICIDs are CPU numbers */
#define COLL_UNMAPPED	0xffff			/* MAPC V=0 seen */
#define PEND_BITS	(ITS_VDEV_MAX * ITS_VDEV_EVENTS)
#define PEND_WORDS	((PEND_BITS + 63) / 64)
#define PROP_ENABLED	0x01
#define PROP_PRIO	0xfc

struct vdev_ite {
	u32 lpi;		/* 0: not mapped */
	u16 icid;
};

struct vdev {
	u32 devid;		/* the ITS DeviceID Linux derives (WD_VPCI_ROOT_ITS_DEVID) */
	u16 bdf;		/* in the root's configuration (window-relative) */
	u8 bit0;		/* its event 0's bit in the pending sets */
	bool msi_logged;
	struct its *its;	/* the ITS whose MAPD mapped it; NULL: unmapped */
	u32 num_events;		/* 2^(MAPD Size + 1) */
	struct vdev_ite ite[ITS_VDEV_EVENTS];
};

static struct {
	spinlock_t lock;	/* everything but the pending sets (atomics) */
	bool built;
	unsigned int num;
	struct vdev dev[ITS_VDEV_MAX];
	u64 pending[CONFIG_WD_MAX_CPUS][PEND_WORDS];
	bool dirty[CONFIG_WD_MAX_CPUS];
} vd;

/* The root's ivshmem devices with an MSI-X table; vd.lock held. */
static void build(void)
{
	const struct wd_platform *plat = &system_config->platform;
	const struct wd_cell_desc *rc = &system_config->root_cell;
	const struct wd_pci_device *d = wd_cell_pci_devices(rc);
	unsigned int n;

	vd.built = true;
	if (!plat->pci_mmconfig_base || !plat->pci_is_virtual)
		return;
	for (n = 0; n < rc->num_pci_devices; n++) {
		if (d[n].type != WD_PCI_TYPE_IVSHMEM || !d[n].bar_mask[1])
			continue;
		if (vd.num == ITS_VDEV_MAX) {
			printk("ITS: root ivshmem %02x:%02x.%x: no MSIs (more than %u with MSI-X)\n",
			       d[n].bdf >> 8, (d[n].bdf >> 3) & 0x1f, d[n].bdf & 7,
			       ITS_VDEV_MAX);
			break;
		}
		vd.dev[vd.num].bdf = d[n].bdf;
		vd.dev[vd.num].bit0 = (u8)(vd.num * ITS_VDEV_EVENTS);
		vd.dev[vd.num].devid = WD_VPCI_ROOT_ITS_DEVID(plat->pci_mmconfig_end_bus,
							      d[n].bdf);
		vd.num++;
	}
}

static struct vdev *dev_of(u32 devid)
{
	unsigned int n;

	if (!vd.built)
		build();
	for (n = 0; n < vd.num; n++)
		if (vd.dev[n].devid == devid)
			return &vd.dev[n];
	return NULL;
}

static unsigned int bit_of(const struct vdev *d, u32 event)
{
	return d->bit0 + event;
}

/* The CPU collection @icid of @its targets, or -1. */
static int coll_cpu(const struct its *its, u16 icid)
{
	u16 c;

	if (icid >= ICIDS)
		return -1;
	c = its->vdev_coll[icid];
	if (c == COLL_UNMAPPED)
		return -1;
	return c ? c - 1 : icid;
}

/* Have root CPU @cpu look at its pending set (at once if it is this one). */
static void kick(int cpu)
{
	struct per_cpu *pc = this_cpu();

	if (cpu < 0 || cpu >= CONFIG_WD_MAX_CPUS || !cell_has_cpu(&root_cell, cpu))
		return;
	__atomic_store_n(&vd.dirty[cpu], true, __ATOMIC_RELEASE);
	if (pc->cpu_id == (unsigned int)cpu)
		its_vdev_flush(pc);
	else
		gicv3_send_event(per_cpu(cpu));
}

static void set_pending(int cpu, unsigned int bit)
{
	if (cpu < 0 || cpu >= CONFIG_WD_MAX_CPUS)
		return;
	__atomic_fetch_or(&vd.pending[cpu][bit / 64], 1ULL << (bit % 64), __ATOMIC_RELEASE);
}

/* Not pending anywhere any more; true if it was somewhere. */
static bool clear_pending(unsigned int bit)
{
	unsigned int cpu;
	bool was = false;

	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
		if (__atomic_fetch_and(&vd.pending[cpu][bit / 64], ~(1ULL << (bit % 64)),
				       __ATOMIC_ACQ_REL) & (1ULL << (bit % 64)))
			was = true;
	return was;
}

static void drop_device(struct vdev *d)
{
	unsigned int e;

	for (e = 0; e < ITS_VDEV_EVENTS; e++)
		clear_pending(bit_of(d, e));
	memset(d->ite, 0, sizeof(d->ite));
	d->num_events = 0;
	d->msi_logged = false;
}

static int vrefused(struct its_verdict *v, const char *field, u64 value, const char *why)
{
	v->field = field;
	v->value = value;
	v->why = why;
	return -EINVAL;
}

/* A command for virtual device @d (fields checked by its_cmd_check); vd.lock held. */
static int device_command(struct its *its, struct vdev *d, const u64 c[4],
			  struct its_verdict *v)
{
	unsigned int cmd = c[0] & 0xff;
	u32 event = (u32)c[1];
	u16 icid = (u16)(c[2] & 0xffff);
	struct vdev_ite *ite;
	unsigned int bit;
	bool maps;
	int cpu;

	if (cmd == ITS_CMD_MAPD) {
		/* A new ITT (or none): whatever the old one said is gone. */
		drop_device(d);
		d->its = (c[2] >> 63) ? its : NULL;
		/* 2^(Size + 1), capped (events from 16 on are refused anyway). */
		if (d->its)
			d->num_events = 1U << MIN((unsigned int)(c[1] & 0x1f) + 1, 16U);
		return ITS_VDEV_DONE;
	}
	if (d->its != its)
		return vrefused(v, MSG_TEXT("DeviceID"), d->devid,
			       MSG_TEXT("virtual device not mapped here"));
	if (event >= d->num_events || event >= ITS_VDEV_EVENTS)
		return vrefused(v, MSG_TEXT("EventID"), event,
			       MSG_TEXT("beyond the virtual device's events"));
	ite = &d->ite[event];
	bit = bit_of(d, event);
	maps = cmd == ITS_CMD_MAPTI || cmd == ITS_CMD_MAPI;
	if (!maps && !ite->lpi)
		return vrefused(v, MSG_TEXT("EventID"), event, MSG_TEXT("not mapped on the virtual device"));
	if ((maps || cmd == ITS_CMD_MOVI) && icid >= ICIDS)
		return vrefused(v, MSG_TEXT("ICID"), icid, MSG_TEXT("too high for a virtual device"));
	cpu = coll_cpu(its, ite->icid);
	switch (cmd) {
	case ITS_CMD_MAPTI:
	case ITS_CMD_MAPI:
		clear_pending(bit);
		ite->lpi = cmd == ITS_CMD_MAPTI ? (u32)(c[1] >> 32) : event;
		ite->icid = icid;
		break;
	case ITS_CMD_MOVI:
		ite->icid = icid;
		if (clear_pending(bit)) {
			cpu = coll_cpu(its, icid);
			set_pending(cpu, bit);
			kick(cpu);
		}
		break;
	case ITS_CMD_DISCARD:
		clear_pending(bit);
		ite->lpi = 0;
		ite->icid = 0;
		break;
	case ITS_CMD_INT:
		set_pending(cpu, bit);
		__attribute__((fallthrough));	/* and its CPU looks */
	case ITS_CMD_INV:
		kick(cpu);
		break;
	case ITS_CMD_CLEAR:
		clear_pending(bit);
		break;
	}
	return ITS_VDEV_DONE;
}

int its_vdev_command(struct its *its, const u64 c[4], struct its_verdict *v)
{
	unsigned int cmd = c[0] & 0xff, w;
	u64 rdbase = (c[2] >> 16) & GENMASK_ULL(35, 0);
	u16 icid = (u16)(c[2] & 0xffff);
	struct vdev *d;
	int ret = 0, cpu, to;

	spin_lock(&vd.lock);
	switch (cmd) {
	case ITS_CMD_MAPC:
		cpu = its_rd_cpu(its, rdbase);
		if (icid < ICIDS)
			its->vdev_coll[icid] = (c[2] >> 63) && cpu >= 0 ? (u16)(cpu + 1) :
					   COLL_UNMAPPED;
		break;
	case ITS_CMD_INVALL:
		kick(coll_cpu(its, icid));
		break;
	case ITS_CMD_MOVALL:
		cpu = its_rd_cpu(its, rdbase);
		to = its_rd_cpu(its, (c[3] >> 16) & GENMASK_ULL(35, 0));
		if (cpu < 0 || to < 0 || cpu == to)
			break;
		for (w = 0; w < PEND_WORDS; w++)
			__atomic_fetch_or(&vd.pending[to][w],
					  __atomic_exchange_n(&vd.pending[cpu][w], 0,
							      __ATOMIC_ACQ_REL),
					  __ATOMIC_RELEASE);
		kick(to);
		break;
	case ITS_CMD_MAPD:
	case ITS_CMD_MAPTI:
	case ITS_CMD_MAPI:
	case ITS_CMD_MOVI:
	case ITS_CMD_DISCARD:
	case ITS_CMD_INV:
	case ITS_CMD_INT:
	case ITS_CMD_CLEAR:
		d = dev_of((u32)(c[0] >> 32));
		if (d)
			ret = device_command(its, d, c, v);
		break;
	}
	spin_unlock(&vd.lock);
	return ret;
}

int its_vdev_deliver(u16 bdf, u64 addr, u32 data)
{
	struct vdev *d = NULL;
	unsigned int n;
	int cpu = -1, err = 0;

	spin_lock(&vd.lock);
	if (!vd.built)
		build();
	for (n = 0; n < vd.num && !d; n++)
		if (vd.dev[n].bdf == bdf)
			d = &vd.dev[n];
	if (!d || !d->its)
		err = -ENOENT;
	else if (addr != d->its->phys + GITS_TRANSLATER_OFF)
		err = -EINVAL;
	else if (data >= d->num_events || data >= ITS_VDEV_EVENTS || !d->ite[data].lpi)
		err = -ENOENT;
	else if ((cpu = coll_cpu(d->its, d->ite[data].icid)) < 0)
		err = -ENOENT;
	if (!err) {
		if (!d->msi_logged)
			printk("ITS: root ivshmem %02x:%02x.%x (device id 0x%x): first MSI, event %u -> LPI %u on CPU %d\n",
			       bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7, d->devid, data,
			       d->ite[data].lpi, cpu);
		d->msi_logged = true;
		set_pending(cpu, bit_of(d, data));
	}
	spin_unlock(&vd.lock);
	if (!err)
		kick(cpu);
	return err;
}

bool its_vdev_requeue(struct per_cpu *pc, u32 intid)
{
	unsigned int n, e, cpu;
	int to = -1;
	struct vdev *d;

	spin_lock(&vd.lock);
	for (n = 0; n < vd.num; n++) {
		d = &vd.dev[n];
		for (e = 0; e < ITS_VDEV_EVENTS && d->its; e++) {
			if (d->ite[e].lpi != intid)
				continue;
			/* Its collection's CPU if that one runs the root, else any that does. */
			to = coll_cpu(d->its, d->ite[e].icid);
			if (to < 0 || (unsigned int)to == pc->cpu_id ||
			    !cell_has_cpu(&root_cell, to) ||
			    per_cpu(to)->run_state != CPU_RUNNING) {
				to = -1;
				for_each_cpu_in_cell(cpu, &root_cell)
					if (cpu != pc->cpu_id && to < 0 &&
					    per_cpu(cpu)->run_state == CPU_RUNNING)
						to = (int)cpu;
			}
			if (to >= 0)
				set_pending(to, bit_of(d, e));
			goto out;
		}
	}
out:
	spin_unlock(&vd.lock);
	if (to < 0)
		return false;
	kick(to);
	return true;
}

/*
 * Pages of the root's LPI property table stay mapped at EL2 once used (a
 * map and unmap per interrupt, with the TLB invalidation, cost more than
 * the rest of the delivery). Only pages of the table a CPU's PROPBASER names
 * now are ever looked up: that table is RAM the root alone owns (PROPBASER
 * writes are checked, a cell over it is refused, gicv3-its.c), checked once
 * more when the page is mapped. Filled once, never changed: read lock-free.
 */
#define PROP_PAGES	4
static struct {
	u64 phys;		/* 0: free (written last, read first) */
	u8 *virt;
} prop_map[PROP_PAGES];
static spinlock_t prop_lock;

static u8 *prop_page(u64 page)
{
	unsigned int n;
	u8 *virt = NULL;

	for (n = 0; n < PROP_PAGES; n++)
		if (__atomic_load_n(&prop_map[n].phys, __ATOMIC_ACQUIRE) == page)
			return prop_map[n].virt;
	spin_lock(&prop_lock);
	for (n = 0; n < PROP_PAGES && prop_map[n].phys; n++)
		if (prop_map[n].phys == page)
			virt = prop_map[n].virt;
	if (!virt && n < PROP_PAGES && root_ram(NULL, page, PAGE_SIZE)) {
		virt = arch_map_temp(page, PAGE_SIZE);
		if (virt) {
			prop_map[n].virt = virt;
			__atomic_store_n(&prop_map[n].phys, page, __ATOMIC_RELEASE);
		}
	}
	spin_unlock(&prop_lock);
	return virt;
}

/* The property byte of @lpi in the root's table, or -1 (not there). */
static int prop_byte(u64 propbaser, unsigned int lpi)
{
	unsigned int bits = (propbaser & 0x1f) + 1;
	u64 phys;
	u8 *page;

	if (bits < 14 || lpi < LPI_FIRST || ((u64)lpi >> bits))
		return -1;
	phys = (propbaser & GICR_PROPBASER_ADDR) + lpi - LPI_FIRST;
	page = prop_page(phys & PAGE_MASK);
	if (page)
		return READ_ONCE(page[phys & ~PAGE_MASK]);
	/* More pages than kept mapped: this once. */
	if (!root_ram(NULL, phys, 1) || !(page = arch_map_temp(phys & PAGE_MASK, PAGE_SIZE)))
		return -1;
	phys = READ_ONCE(page[phys & ~PAGE_MASK]);
	arch_unmap_temp(page, PAGE_SIZE);
	return (int)phys;
}

void its_vdev_flush(struct per_cpu *pc)
{
	unsigned int cpu = pc->cpu_id, w;
	u64 propbaser, word;

	if (cpu >= CONFIG_WD_MAX_CPUS || pc->cell != &root_cell || !pc->arch.gicr ||
	    __atomic_load_n(&pc->run_state, __ATOMIC_ACQUIRE) != CPU_RUNNING)
		return;
	if (!__atomic_exchange_n(&vd.dirty[cpu], false, __ATOMIC_ACQ_REL))
		return;
	if (!(mmio_read((u8 *)pc->arch.gicr + GICR_CTLR, 4) & 1))
		return;		/* LPIs off: they wait (the next kick looks again) */
	propbaser = mmio_read((u8 *)pc->arch.gicr + GICR_PROPBASER, 8);
	for (w = 0; w < PEND_WORDS; w++) {
		word = __atomic_load_n(&vd.pending[cpu][w], __ATOMIC_ACQUIRE);
		while (word) {
			unsigned int bit = w * 64 + __builtin_ctzll(word);
			const struct vdev *d = &vd.dev[bit / ITS_VDEV_EVENTS];
			u32 lpi = READ_ONCE(d->ite[bit % ITS_VDEV_EVENTS].lpi);
			int cfg;

			word &= word - 1;
			if (!lpi) {
				__atomic_fetch_and(&vd.pending[cpu][w], ~(1ULL << (bit % 64)),
						   __ATOMIC_RELEASE);
				continue;
			}
			cfg = prop_byte(propbaser, lpi);
			if (cfg < 0 || !(cfg & PROP_ENABLED))
				continue;	/* stays pending until enabled and INV'd */
			if (!gicv3_vlpi_insert(pc, lpi, cfg & PROP_PRIO)) {
				/* All list registers busy: the underflow interrupt brings us back. */
				__atomic_store_n(&vd.dirty[cpu], true, __ATOMIC_RELEASE);
				gicv3_vlpi_underflow(pc);
				return;
			}
			__atomic_fetch_and(&vd.pending[cpu][w], ~(1ULL << (bit % 64)),
					   __ATOMIC_RELEASE);
		}
	}
}
