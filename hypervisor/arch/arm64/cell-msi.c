/*
 * The MSI-X messages of a cell's physical PCI function, through the physical
 * GICv3 ITS, to the cell's virtual ITS.
 *
 * The device sends its MSIs to the physical ITS under its device id
 * (fn->devid, from the root's msi-map); the root may not name that device id
 * while the cell has the function (gicv3-its-cell.c). The hypervisor maps it
 * for the cell, with its own commands (gicv3-its-hvcmd.c):
 *  - at create: an ITT in hypervisor memory, MAPD + SYNC;
 *  - when the cell unmasks an entry whose address is its vITS doorbell
 *    (core/vpci-msix.c asks arch_vpci_msix_route): one of the pLPIs kept for
 *    cells (the top ITS_CELL_LPIS INTIDs, gicv3-its.c's set_limits) is
 *    taken for the entry, its property byte written in the root's LPI
 *    property table (priority 0xa0, Group 1, enabled: the GIC reads it from
 *    there for every CPU whose PROPBASER points there, which Linux's do),
 *    the collection kept for the target CPU mapped (MAPC, once per CPU), and
 *    MAPTI(device, event = entry index, pLPI) + INV + SYNC. The device's
 *    entry gets the address at which the cell's DMA view reaches the
 *    physical GITS_TRANSLATER and the entry index as data; the slot remembers
 *    the cell's own data (its event id for its vITS). A re-write only updates
 *    that; masking masks the device's entry (the mapping stays: a message
 *    already on its way still reaches the cell); an address other than the
 *    doorbell tears the slot down (DISCARD + SYNC);
 *  - a pLPI taken at EL2 (gicv3-cpuif.c) is looked up by its index, without
 *    a lock, and given to vits_deliver() as (the function's virtual BDF, the
 *    cell's event); one without an owner is dropped and counted
 *    (cell-msi-deliver.c);
 *  - at destroy, after the cell's streams abort and before the function goes
 *    back to the root (core/cell-destroy.c): every slot loses its owner
 *    (waiting for an IRQ path that read it), DISCARD + SYNC for its event,
 *    property byte cleared, MAPD V=0 + SYNC, the ITT zeroed and freed.
 * A command the ITS does not complete in time leaves what it touched in an
 * unknown state: that slot, or that ITT, is never reused nor freed.
 *
 * Locks: msi_lock (short, global) serialises routes and tear-downs; it is
 * taken under the cell's vpci lock, and takes the ITS lock inside.
 */
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <wd/paging.h>
#include <wd/vpci-phys.h>
#include <asm/vits.h>
#include <wd/dma-view.h>
#include <asm/cell-msi.h>
#include "gicv3-its-priv.h"
#include "gicv3-its-hvcmd.h"
#include "cell-msi-priv.h"

#define MSI_DEVS		32	/* functions with a device id mapped */
#define NO_SLOT			0xffff
#define LPI_PROP		(0xa0 | 0x2 | 0x1)	/* priority, Group 1, Enable */
#define GICR_CTLR_ENABLE_LPIS	0x1
/* What the cell can make happen again and again is logged once per function. */
#define LOG_ROUTED		0x1
#define LOG_NO_VIEW		0x2
#define LOG_NO_CPU		0x4
#define LOG_NO_PROP		0x8
#define LOG_FULL		0x10

struct msi_dev {
	struct vpci_phys_fn *fn;	/* NULL: free */
	bool kept;			/* the ITS may still use the ITT: never reused */
	u8 logged;			/* LOG_*: lines printed once per function */
	unsigned int bits;		/* event id bits mapped */
	u64 *itt;
	u64 itt_size;
	u64 delivered, dropped;		/* of slots released so far */
	u16 slot[VPCI_PHYS_MAX_MSIX];
};


static struct msi_dev devs[MSI_DEVS];
static bool mapc_done[CONFIG_WD_MAX_CPUS];
static spinlock_t msi_lock;

static bool first(struct msi_dev *d, u8 what)
{
	bool yes = !(d->logged & what);

	d->logged |= what;
	return yes;
}

/* A CPU of the cell (each has one): its redistributor is SYNC's target. */
static unsigned int any_cpu(const struct cell *cell)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, cell)
		return cpu;
	return 0;
}

static u32 icid_of(const struct its *its, unsigned int cpu)
{
	return its->lim.num_collections - its->lim.cell_icids + cpu;
}

/* The cell's first CPU whose redistributor has LPIs on (Linux switched them on). */
static int target_cpu(const struct cell *cell, unsigned int *out)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, cell) {
		struct per_cpu *pc = per_cpu(cpu);

		if (pc->initialized && pc->arch.gicr &&
		    (mmio_read(pc->arch.gicr, 4) & GICR_CTLR_ENABLE_LPIS)) {
			*out = cpu;
			return 0;
		}
	}
	return -ENODEV;
}

/* Byte @addr of a property table (RAM the root alone has) := @val, cleaned to the PoC. */
static int prop_poke(struct its *its, u64 addr, u8 val)
{
	u8 *va;

	if (!root_ram(its, addr, 1))
		return -EFAULT;
	va = arch_map_temp(addr & PAGE_MASK, PAGE_SIZE);
	if (!va)
		return -ENOMEM;
	va[addr & ~PAGE_MASK] = val;
	dcache_clean_inval_range((u64)(uintptr_t)&va[addr & ~PAGE_MASK], 1);
	arch_unmap_temp(va, PAGE_SIZE);
	return 0;
}

/*
 * Write @val into pLPI @intid's byte of the property table CPU @cpu's
 * redistributor reads (cleaned to the PoC: the GIC may read it uncached).
 * -ERANGE: beyond its PROPBASER.IDbits; -EFAULT: not RAM the root alone has.
 */
static int prop_write(struct its *its, unsigned int cpu, u32 intid, u8 val, u64 *where)
{
	u64 pb = mmio_read((u8 *)per_cpu(cpu)->arch.gicr + GICR_PROPBASER, 8);
	u64 start, size, addr;
	int err;

	if (!gicr_propbaser_range(pb, its->lim.lpi_bits, &start, &size) ||
	    intid - LPI_FIRST >= size)
		return -ERANGE;
	addr = start + (intid - LPI_FIRST);
	err = prop_poke(its, addr, val);
	if (!err)
		*where = addr;
	return err;
}

static void prop_clear(struct its *its, struct msi_slot *s)
{
	if (s->prop)
		prop_poke(its, s->prop, 0);
}

/* The slot's owner gone, and no IRQ path still using it: later pLPIs are dropped. */
static void unpublish(struct msi_slot *s)
{
	__atomic_store_n(&s->owner, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&s->inflight, __ATOMIC_SEQ_CST))
		cpu_relax();
}

static void slot_free(struct its *its, struct msi_slot *s)
{
	struct msi_dev *d = s->dev;

	prop_clear(its, s);
	d->delivered += s->delivered;
	d->dropped += s->dropped;
	d->slot[s->entry] = NO_SLOT;
	memset(s, 0, sizeof(*s));
}

/* Unmap entry @e of @d's function (msi_lock held). */
static int slot_release(struct its *its, struct msi_dev *d, unsigned int e)
{
	struct msi_slot *s;
	u64 cmd[1][4];
	int err;

	if (d->slot[e] == NO_SLOT)
		return 0;
	s = &slots[d->slot[e]];
	unpublish(s);
	its_enc_event(cmd[0], ITS_CMD_DISCARD, d->fn->devid, e);
	err = its_hv_send_sync(its, (const u64 (*)[4])cmd, 1, s->cpu, "DISCARD");
	if (err == -ETIMEDOUT) {
		d->kept = true;		/* the slot stays taken, without an owner */
		return err;
	}
	slot_free(its, s);
	return 0;
}

/* Map entry @e of @d's function to a free pLPI (msi_lock held). */
static int slot_create(struct its *its, struct msi_dev *d, unsigned int e)
{
	struct vpci_phys_fn *fn = d->fn;
	const char *name = fn->cell->config->name;
	struct msi_slot *s = NULL;
	unsigned int cpu, i;
	u64 cmd[2][4];
	u32 intid;
	int err;

	if (target_cpu(fn->cell, &cpu)) {
		if (first(d, LOG_NO_CPU))
			printk("cell '%s': PCI device %s: no CPU of the cell has LPIs enabled: no MSI route\n",
		       name, fn->name);
		return -ENODEV;
	}
	for (i = 0; i < ITS_CELL_LPIS && !s; i++)
		if (!slots[i].used)
			s = &slots[i];
	if (!s) {
		if (first(d, LOG_FULL))
			printk("cell '%s': PCI device %s MSI-X entry %u: all %u pLPIs kept for cells are in use: no route\n",
		       name, fn->name, e, ITS_CELL_LPIS);
		return -ENOSPC;
	}
	intid = lpi_base(its) + (u32)(s - slots);
	if (!mapc_done[cpu]) {
		spin_lock(&its->lock);
		err = its_table_room(its, GITS_BASER_TYPE_COLL, icid_of(its, cpu));
		spin_unlock(&its->lock);
		if (err)
			return err;
		its_enc_mapc(cmd[0], icid_of(its, cpu), its_rdbase(its, per_cpu(cpu)), true);
		err = its_hv_send_sync(its, (const u64 (*)[4])cmd, 1, cpu, "MAPC");
		if (err)
			return err;
		mapc_done[cpu] = true;
	}
	err = prop_write(its, cpu, intid, LPI_PROP, &s->prop);
	if (err) {
		if (first(d, LOG_NO_PROP))
			printk("cell '%s': PCI device %s MSI-X entry %u: pLPI %u has no byte in the root's LPI property table (error %d): no route\n",
		       name, fn->name, e, intid, err);
		return err;
	}
	s->used = true;
	s->dev = d;
	s->entry = (u16)e;
	s->vbdf = fn->vbdf;
	s->cpu = cpu;
	s->event = fn->msix[e][2];
	d->slot[e] = (u16)(s - slots);
	__atomic_store_n(&s->owner, fn->cell, __ATOMIC_SEQ_CST);
	its_enc_mapti(cmd[0], fn->devid, e, intid, icid_of(its, cpu));
	its_enc_event(cmd[1], ITS_CMD_INV, fn->devid, e);
	err = its_hv_send_sync(its, (const u64 (*)[4])cmd, 2, cpu, "MAPTI");
	if (err) {
		unpublish(s);
		if (err == -ETIMEDOUT)
			d->kept = true;
		else
			slot_free(its, s);
		return err;
	}
	if (first(d, LOG_ROUTED))
		printk("cell '%s': PCI device %s MSI-X entry %u routed: ITS device id 0x%x event %u is pLPI %u on CPU %u\n",
	       name, fn->name, e, fn->devid, e, intid, cpu);
	return 0;
}

int arch_vpci_msix_route(struct vpci_phys_fn *fn, unsigned int entry,
			 u64 *addr, u32 *data)
{
	struct msi_dev *d = fn->arch_msi;
	struct its *its = cell_its();
	u64 want = fn->msix[entry][0] | (u64)fn->msix[entry][1] << 32, ipa = 0;
	int err;

	if (!d || !its || entry >= VPCI_PHYS_MAX_MSIX || d->kept)
		return -ENODEV;
	spin_lock(&msi_lock);
	if (want != vits_translater(fn->cell)) {
		/* Not the cell's doorbell: nothing of the ITS's stays for it. */
		slot_release(its, d, entry);
		err = -ENODEV;
		goto out;
	}
	err = dma_view_map_page(fn->cell, its->phys + GITS_CTRL_FRAME, &ipa);
	if (err) {
		if (first(d, LOG_NO_VIEW))
			printk("cell '%s': PCI device %s: its DMA view does not reach the ITS doorbell (error %d): no MSI route\n",
			       fn->cell->config->name, fn->name, err);
		goto out;
	}
	if (d->slot[entry] == NO_SLOT)
		err = slot_create(its, d, entry);
	if (!err) {
		/* A re-write of the cell's data: only which event the cell sees. */
		__atomic_store_n(&slots[d->slot[entry]].event, fn->msix[entry][2],
				 __ATOMIC_RELEASE);
		*addr = ipa + (VITS_TRANSLATER_OFF - GITS_CTRL_FRAME);
		*data = entry;
	}
out:
	spin_unlock(&msi_lock);
	return err;
}

int arch_vpci_msi_create(struct vpci_phys_fn *fn)
{
	struct its *its = cell_its();
	const char *name = fn->cell->config->name;
	struct msi_dev *d = NULL;
	unsigned int i, bits = 1, cpu;
	u64 cmd[1][4];
	int err;

	if (!its || !fn->has_devid || !fn->msix_cap || !vits_present(fn->cell))
		return 0;
	while ((1U << bits) < fn->num_vectors)
		bits++;
	if (fn->devid >= its->lim.num_devices || bits > its->lim.event_bits)
		return refuse(-EINVAL, WD_REASON_PLATFORM, 0, its->phys,
			      "cell '%s': PCI device %s: ITS device id 0x%x or %u event bits beyond the ITS's %u device ids and %u event bits",
			      name, fn->name, fn->devid, bits, its->lim.num_devices,
			      its->lim.event_bits);
	cpu = any_cpu(fn->cell);
	spin_lock(&msi_lock);
	for (i = 0; i < MSI_DEVS && !d; i++)
		if (!devs[i].fn && !devs[i].kept)
			d = &devs[i];
	if (d) {
		memset(d, 0, sizeof(*d));
		memset(d->slot, 0xff, sizeof(d->slot));
		d->fn = fn;
	}
	spin_unlock(&msi_lock);
	if (!d)
		return refuse(-ENOSPC, WD_REASON_RESOURCES, 0, 0,
			      "cell '%s': PCI device %s: the hypervisor maps at most %u functions' MSIs",
			      name, fn->name, MSI_DEVS);
	d->bits = bits;
	d->itt_size = (u64)its->lim.ite_size << bits;
	d->itt = hv_alloc(d->itt_size, ITS_ITT_ALIGN);
	if (!d->itt) {
		d->fn = NULL;
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, 0,
			      "cell '%s': PCI device %s: no memory for its ITT (page pool %llu/%llu used)",
			      name, fn->name, mem_pool.used, mem_pool.pages);
	}
	dcache_clean_inval_range((u64)(uintptr_t)d->itt, PAGES(d->itt_size) * PAGE_SIZE);
	spin_lock(&its->lock);
	err = its_table_room(its, GITS_BASER_TYPE_DEVICE, fn->devid);
	spin_unlock(&its->lock);
	its_enc_mapd(cmd[0], fn->devid, (u64)(uintptr_t)d->itt, bits, true);
	if (!err)
		err = its_hv_send_sync(its, (const u64 (*)[4])cmd, 1, cpu, "MAPD");
	if (err == -ETIMEDOUT) {
		d->kept = true;
		d->fn = NULL;
	} else if (err) {
		page_free(d->itt, PAGES(d->itt_size));
		d->fn = NULL;
	}
	if (err)
		return refuse(err, WD_REASON_PLATFORM, 0, its->phys,
			      "cell '%s': PCI device %s: mapping ITS device id 0x%x for the cell failed (error %d)",
			      name, fn->name, fn->devid, err);
	fn->arch_msi = d;
	return 0;
}

void arch_vpci_msi_release(struct vpci_phys_fn *fn)
{
	struct msi_dev *d = fn->arch_msi;
	struct its *its = cell_its();
	unsigned int e, cpu = any_cpu(fn->cell);
	u64 cmd[1][4];
	int err = 0;

	if (!d || !its)
		return;
	spin_lock(&msi_lock);
	/* First no slot of the function delivers any more, then the ITS forgets them. */
	for (e = 0; e < VPCI_PHYS_MAX_MSIX; e++)
		if (d->slot[e] != NO_SLOT)
			unpublish(&slots[d->slot[e]]);
	for (e = 0; e < VPCI_PHYS_MAX_MSIX && !err; e++)
		err = slot_release(its, d, e);
	its_enc_mapd(cmd[0], fn->devid, 0, 1, false);
	if (!err)
		err = its_hv_send_sync(its, (const u64 (*)[4])cmd, 1, cpu, "MAPD V=0");
	fn->arch_msi = NULL;
	d->fn = NULL;
	if (err == -ETIMEDOUT) {
		d->kept = true;
		printk("cell '%s': PCI device %s: the ITS did not confirm unmapping device id 0x%x: its ITT and pLPIs are never reused\n",
		       fn->cell->config->name, fn->name, fn->devid);
	} else {
		memset(d->itt, 0, d->itt_size);
		dcache_clean_inval_range((u64)(uintptr_t)d->itt, d->itt_size);
		page_free(d->itt, PAGES(d->itt_size));
		d->itt = NULL;
		printk("cell '%s': PCI device %s: ITS device id 0x%x unmapped (%llu MSIs delivered, %llu dropped)\n",
		       fn->cell->config->name, fn->name, fn->devid, d->delivered, d->dropped);
	}
	spin_unlock(&msi_lock);
}
