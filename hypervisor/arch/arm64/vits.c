/*
 * A virtual GICv3 ITS per cell and the virtual LPIs it delivers (the rule
 * for who gets one and the contract for MSI sources: asm/vits.h).
 *
 * Everything the cell programs is checked, nothing of it is ever handed to
 * the physical ITS or to a redistributor: the vITS is an interpreter of the
 * cell's command queue over tables in hypervisor memory, and a vLPI reaches
 * the cell only through a list register (vINTID >= 8192, HW = 0, group 1).
 *
 * Registers (control frame at the physical ITS's address; 32-bit accesses,
 * 64-bit too for the 64-bit registers, naturally aligned, else the cell is
 * stopped as for the other GIC frames):
 *  - CTLR: Enabled; Quiescent always set (commands complete synchronously);
 *  - IIDR: Warden's; TYPER: Physical, 8-byte ITT entries, VITS_EVENT_BITS
 *    event id bits, 16 device id bits (a BDF), PTA = 0 (collections target
 *    processor numbers, GICR_TYPER.Processor_Number), HCC = the cell's CPUs,
 *    no collection table; no VLPIs, no SEIs;
 *  - CBASER: writable while disabled; its queue must lie inside one RAM
 *    region of the cell, checked on every use (never a cached translation);
 *  - CWRITER: runs the commands from CREADR on, at most VITS_CMDS_PER_CALL per
 *    access (the rest on the next CWRITER/CREADR access: Linux polls CREADR);
 *  - CREADR: read-only;
 *  - BASER<n>: read as 0 (Type "none": the vITS keeps its tables itself);
 *  - TRANSLATER (second frame): a write by a CPU is no MSI (which device
 *    would it be?): ignored, logged once per cell;
 *  - identification registers: an ITS's; the rest reads 0, writes ignored.
 *
 * Commands: MAPD, MAPC, MAPTI, MAPI, MOVI, DISCARD, INV, INVALL, INT, CLEAR,
 * SYNC, MOVALL. Every field is checked: device ids are the cell's PCI
 * devices, event ids below what MAPD asked for (and VITS_EVENT_BITS), ICIDs
 * below HCC, redistributors only the cell's CPUs', LPI INTIDs in
 * [8192, 1 << VITS_LPI_BITS). A command that fails a check, a GICv4 command
 * and an unknown one are skipped (the ITS architecture lets an ITS ignore a
 * command it cannot execute), with one log line per kind per CWRITER write.
 *
 * Virtual LPIs: a per-vCPU pending bitmap in hypervisor memory (set
 * atomically by any CPU, drained by the vCPU's own CPU into free list
 * registers on a kick, a maintenance interrupt, an INV/INVALL or an enable).
 * A vLPI is delivered while the vCPU's GICR_CTLR.EnableLPIs is set and its
 * property byte (read from the cell's property table at delivery time, the
 * table checked against the cell's RAM each time) says enabled; otherwise it
 * stays pending. More pending vLPIs than list registers wait in the bitmap
 * with the underflow maintenance interrupt armed: none is lost.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/mmio.h>
#include <wd/paging.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/spinlock.h>
#include <wd/string.h>
#include <wd/vpci-phys.h>
#include <asm/gicv3-its.h>
#include <asm/vits.h>
#include "gicv3-regs.h"
#include "gicv3-its-priv.h"
#include "vits-priv.h"

/* gicv3-cpuif.c */
bool gicv3_vlpi_insert(struct per_cpu *pc, unsigned int intid, u8 prio);
void gicv3_vlpi_underflow(struct per_cpu *pc);
void gicv3_send_event(struct per_cpu *target);

bool vits_present(const struct cell *cell)
{
	return cell && cell->vits;
}

u64 vits_base(const struct cell *cell)
{
	return vits_present(cell) ? cell->vits->base : 0;
}

u64 vits_translater(const struct cell *cell)
{
	return vits_present(cell) ? cell->vits->base + VITS_TRANSLATER_OFF : 0;
}

/*
 * [ipa, ipa + size) inside one readable RAM region of @cell (not I/O, not the
 * comm region): its physical address, or ~0 if not.
 */
static u64 cell_ram_phys(const struct cell *cell, u64 ipa, u64 size)
{
	const struct wd_cell_desc *c = cell->config;
	const struct wd_mem_region *m = wd_cell_mem_regions(c);
	unsigned int n;

	if (!size || ipa + size < ipa)
		return ~0ULL;
	for (n = 0; n < c->num_memory_regions; n++, m++) {
		if ((m->flags & (WD_MEM_IO | WD_MEM_COMM_REGION)) ||
		    !(m->flags & WD_MEM_READ))
			continue;
		if (ipa >= m->virt_start && ipa + size <= m->virt_start + m->size)
			return m->phys_start + (ipa - m->virt_start);
	}
	return ~0ULL;
}

/* The vCPU state of physical CPU @cpu if it is one of the cell's. */
static struct vits_vcpu *vcpu_of(struct vits *v, unsigned int cpu)
{
	if (cpu >= CONFIG_WD_MAX_CPUS || !v->slot[cpu])
		return NULL;
	return &v->vcpu[v->slot[cpu] - 1];
}

/*
 * A cell writing one bad command per CWRITER write must not flood the
 * hypervisor's console: VITS_LOG_BUDGET lines per vITS life (reset with it).
 */
static bool log_ok(struct vits *v)
{
	return v->log_budget < VITS_LOG_BUDGET && ++v->log_budget;
}

/* GICR_TYPER.Processor_Number of CPU @cpu: what MAPC's RDbase names (PTA = 0). */
static u64 processor_number(unsigned int cpu)
{
	struct per_cpu *pc = per_cpu(cpu);

	return pc->arch.gicr ? mmio_read((u8 *)pc->arch.gicr + 0x8, 8) >> 8 & 0xffff : ~0ULL;
}

/* The cell's CPU whose redistributor is @rdbase, or -1. */
static int rd_cpu(struct vits *v, u64 rdbase)
{
	unsigned int cpu;

	for_each_cpu_in_cell(cpu, v->cell)
		if (processor_number(cpu) == rdbase)
			return (int)cpu;
	return -1;
}

static __noinline struct vits_dev *dev_of(struct vits *v, u32 devid)
{
	unsigned int n;

	for (n = 0; n < v->num_devs; n++)
		if (v->dev[n].devid == devid)
			return &v->dev[n];
	return NULL;
}

/* Ask CPU @cpu to look at its pending set again (its LPI configuration changed). */
static void kick(struct vits *v, unsigned int cpu)
{
	struct vits_vcpu *vc = vcpu_of(v, cpu);
	struct per_cpu *pc = this_cpu();

	if (!vc)
		return;
	__atomic_store_n(&vc->dirty, true, __ATOMIC_RELEASE);
	if (pc->cpu_id == cpu)
		vits_flush(pc);
	else
		gicv3_send_event(per_cpu(cpu));
}

/* Mark @lpi pending for @vc (false: no vCPU, or not an LPI the vITS offers). */
static bool mark_pending(struct vits_vcpu *vc, u32 lpi)
{
	u32 off = lpi - LPI_FIRST;

	if (!vc || off >= VITS_NUM_LPIS)
		return false;
	__atomic_fetch_or(&vc->pending[off / 64], 1ULL << (off % 64), __ATOMIC_RELEASE);
	__atomic_store_n(&vc->dirty, true, __ATOMIC_RELEASE);
	return true;
}

/* Make @lpi pending on CPU @cpu of the cell and see that it is taken. */
static void set_pending(struct vits *v, unsigned int cpu, u32 lpi)
{
	if (mark_pending(vcpu_of(v, cpu), lpi))
		kick(v, cpu);
}

static bool clear_pending(struct vits *v, unsigned int cpu, u32 lpi)
{
	struct vits_vcpu *vc = vcpu_of(v, cpu);
	u32 off = lpi - LPI_FIRST;
	u64 bit = 1ULL << (off % 64);

	if (!vc || off >= VITS_NUM_LPIS)
		return false;
	return __atomic_fetch_and(&vc->pending[off / 64], ~bit, __ATOMIC_ACQ_REL) & bit;
}

void vits_flush(struct per_cpu *pc)
{
	struct vits *v = pc->cell ? pc->cell->vits : NULL;
	struct vits_vcpu *vc;
	u64 prop_ipa, prop_phys, page = ~0ULL, w;
	u8 *map = NULL;
	unsigned int i, limit;
	bool full = false;

	if (!v || !(vc = vcpu_of(v, pc->cpu_id)))
		return;
	/* A parked vCPU takes nothing: it flushes when it runs again. */
	if (__atomic_load_n(&pc->run_state, __ATOMIC_ACQUIRE) != CPU_RUNNING)
		return;
	if (!__atomic_exchange_n(&vc->dirty, false, __ATOMIC_ACQ_REL))
		return;
	if (!(READ_ONCE(vc->ctlr) & GICR_CTLR_ENABLE_LPIS))
		return;
	prop_ipa = READ_ONCE(vc->propbaser) & GICR_PROPBASER_ADDR;
	limit = (READ_ONCE(vc->propbaser) & 0x1f) + 1;
	limit = limit < VITS_LPI_BITS ? limit : VITS_LPI_BITS;
	if (limit <= 13)
		return;			/* no LPI fits the property table */
	limit = (1U << limit) - LPI_FIRST;
	for (i = 0; i < VITS_PEND_WORDS && !full; i++) {
		w = __atomic_load_n(&vc->pending[i], __ATOMIC_ACQUIRE);
		while (w) {
			u32 off = i * 64 + __builtin_ctzll(w);
			u8 cfg;

			w &= w - 1;
			if (off >= limit)
				break;
			/* The property byte, from the cell's RAM as it is now. */
			prop_phys = cell_ram_phys(pc->cell, prop_ipa + off, 1);
			if (prop_phys == ~0ULL) {
				if (!vc->prop_logged && log_ok(v))
					printk("vITS cell '%s' CPU %u: GICR_PROPBASER 0x%llx: LPI %u's property byte is not in the cell's RAM, vLPIs stay pending\n",
					       pc->cell->config->name, pc->cpu_id,
					       vc->propbaser, off + LPI_FIRST);
				vc->prop_logged = true;
				continue;
			}
			if ((prop_phys & PAGE_MASK) != page) {
				if (map)
					arch_unmap_temp(map, PAGE_SIZE);
				page = prop_phys & PAGE_MASK;
				map = arch_map_temp(page, PAGE_SIZE);
				if (!map) {
					page = ~0ULL;
					__atomic_store_n(&vc->dirty, true, __ATOMIC_RELEASE);
					full = true;
					break;
				}
			}
			cfg = READ_ONCE(map[prop_phys & ~PAGE_MASK]);
			if (!(cfg & LPI_PROP_ENABLED))
				continue;	/* stays pending until enabled and INV'd */
			if (!gicv3_vlpi_insert(pc, off + LPI_FIRST, cfg & LPI_PROP_PRIO)) {
				/* No free list register: the underflow interrupt brings us back. */
				__atomic_store_n(&vc->dirty, true, __ATOMIC_RELEASE);
				gicv3_vlpi_underflow(pc);
				full = true;
				break;
			}
			__atomic_fetch_and(&vc->pending[i], ~(1ULL << (off % 64)),
					   __ATOMIC_RELEASE);
			vc->delivered++;
		}
	}
	if (map)
		arch_unmap_temp(map, PAGE_SIZE);
}

/* ---- translation ---- */

/* The CPU collection @icid targets, or -1 (unmapped). */
static int coll_cpu(struct vits *v, u16 icid)
{
	return icid < v->num_colls && v->coll[icid] ? v->coll[icid] - 1 : -1;
}

int vits_deliver(struct cell *cell, u32 devid, u32 event)
{
	struct vits *v = cell ? cell->vits : NULL;
	struct vits_dev *d;
	int err = -ENOENT, cpu = -1;
	u32 lpi = 0;

	if (!v)
		return -ENODEV;
	spin_lock(&v->lock);
	d = dev_of(v, devid);
	if (!(v->ctlr & GITS_CTLR_ENABLED)) {
		err = -EINVAL;
	} else if (d && d->mapped && event >= d->num_events) {
		err = -ERANGE;
	} else if (d && d->mapped && (lpi = d->ite[event].lpi) &&
		   (cpu = coll_cpu(v, d->ite[event].icid)) >= 0) {
		/* Once per device and vITS life: MSIs work, and where they go. */
		if (!d->msi_logged)
			printk("vITS cell '%s': first MSI of %02x:%02x.%x: event %u -> LPI %u on CPU %d\n",
			       cell->config->name, devid >> 8, devid >> 3 & 0x1f, devid & 7,
			       event, lpi, cpu);
		d->msi_logged = true;
		err = 0;
	}
	spin_unlock(&v->lock);
	if (err)
		return err;
	v->msis++;
	set_pending(v, cpu, lpi);
	return 0;
}

/* ---- commands ---- */

#define CMD(in)		((unsigned int)((in)[0] & 0xff))
#define DEVID(in)	((u32)((in)[0] >> 32))
#define EVENTID(in)	((u32)(in)[1])
#define PINTID(in)	((u32)((in)[1] >> 32))
#define MAPD_SIZE(in)	((unsigned int)((in)[1] & 0x1f))
#define VALID(in)	((in)[2] >> 63)
#define ICID(in)	((u32)((in)[2] & 0xffff))
#define RDBASE(dw)	(((dw) >> 16) & GENMASK_ULL(35, 0))

static int bad(struct its_verdict *r, const char *field, u64 value, const char *why)
{
	r->field = field;
	r->value = value;
	r->why = why;
	return -EINVAL;
}

/* The vLPI of an ITE leaves its CPU (DISCARD, MAPD V=0, remap): not pending any more. */
static void ite_drop(struct vits *v, struct vits_ite *ite)
{
	int cpu = coll_cpu(v, ite->icid);

	if (ite->lpi && cpu >= 0)
		clear_pending(v, cpu, ite->lpi);
	ite->lpi = 0;
	ite->icid = 0;
}

/*
 * What the vITS checks of each command it offers (number 0..15), in this
 * order; 0: not offered.
 */
#define V_DEV		0x01	/* DeviceID: a PCI device of the cell */
#define V_ITE		0x02	/* ... mapped (MAPD), EventID below what MAPD asked for */
#define V_MAPPED	0x04	/* ... and the event mapped */
#define V_LPI		0x08	/* pINTID (MAPI: the EventID) an LPI the vITS offers */
#define V_ICID		0x10	/* ICID below HCC */
#define V_COLL		0x20	/* the collection (the event's, else ICID) mapped */
#define V_RD		0x40	/* DW2 RDbase: one of the cell's CPUs (MAPC: with V only) */
#define V_RD3		0x80	/* DW3 RDbase too (MOVALL) */

static const u8 vcmd_checks[16] = {
	[ITS_CMD_MOVI] = V_DEV | V_ITE | V_MAPPED | V_ICID,
	[ITS_CMD_INT] = V_DEV | V_ITE | V_MAPPED | V_COLL,
	[ITS_CMD_CLEAR] = V_DEV | V_ITE | V_MAPPED | V_COLL,
	/* Every command has taken effect when it is read: SYNC waits for nothing. */
	[ITS_CMD_SYNC] = V_RD,
	[ITS_CMD_MAPD] = V_DEV,
	[ITS_CMD_MAPC] = V_ICID | V_RD,
	[ITS_CMD_MAPTI] = V_DEV | V_ITE | V_LPI | V_ICID,
	[ITS_CMD_MAPI] = V_DEV | V_ITE | V_LPI | V_ICID,
	[ITS_CMD_INV] = V_DEV | V_ITE | V_MAPPED | V_COLL,
	[ITS_CMD_INVALL] = V_ICID | V_COLL,
	[ITS_CMD_MOVALL] = V_RD | V_RD3,
	[ITS_CMD_DISCARD] = V_DEV | V_ITE,
};

static int command(struct vits *v, const u64 in[4], struct its_verdict *r)
{
	unsigned int cmd = CMD(in), f = cmd < 16 ? vcmd_checks[cmd] : 0, n;
	u32 devid = DEVID(in), event = EVENTID(in), icid = ICID(in), coll = icid;
	u32 lpi = cmd == ITS_CMD_MAPI ? event : PINTID(in);
	struct vits_dev *d = NULL;
	struct vits_ite *ite = NULL;
	int cpu = -1, cpu2 = -1;

	if (!f)
		return -EPERM;
	if (cmd == ITS_CMD_MAPC && !VALID(in))
		f &= ~V_RD;		/* unmapped: no target */
	if (f & V_DEV) {
		d = dev_of(v, devid);
		if (!d)
			return bad(r, MSG_TEXT("DeviceID"), devid, MSG_TEXT("not a PCI device of the cell"));
	}
	if (cmd == ITS_CMD_MAPD && VALID(in) && MAPD_SIZE(in) + 1 > VITS_EVENT_BITS)
		return bad(r, MSG_TEXT("Size"), MAPD_SIZE(in), MSG_TEXT("more event id bits than GITS_TYPER.ID_bits"));
	if (f & V_ITE) {
		if (!d->mapped)
			return bad(r, MSG_TEXT("DeviceID"), devid, MSG_TEXT("device not mapped (MAPD)"));
		if (event >= d->num_events)
			return bad(r, MSG_TEXT("EventID"), event, MSG_TEXT("beyond the ITT size MAPD asked for"));
		ite = &d->ite[event];
		coll = ite->icid;
	}
	if ((f & V_MAPPED) && !ite->lpi)
		return bad(r, MSG_TEXT("EventID"), event, MSG_TEXT("not mapped"));
	if ((f & V_LPI) && (lpi < LPI_FIRST || lpi >= LPI_FIRST + VITS_NUM_LPIS))
		return bad(r, MSG_TEXT("pINTID"), lpi, MSG_TEXT("not an LPI the vITS offers (GICD_TYPER.IDbits)"));
	if ((f & V_ICID) && icid >= v->num_colls)
		return bad(r, MSG_TEXT("ICID"), icid, MSG_TEXT("beyond GITS_TYPER.HCC (the cell's CPUs)"));
	if (f & V_COLL) {
		cpu = coll_cpu(v, (u16)coll);
		if (cpu < 0)
			return bad(r, MSG_TEXT("ICID"), coll, MSG_TEXT("collection not mapped (MAPC)"));
	}
	if (f & V_RD) {
		cpu = rd_cpu(v, RDBASE(in[2]));
		if (cpu < 0)
			return bad(r, MSG_TEXT("RDbase"), RDBASE(in[2]), MSG_TEXT("not a redistributor of the cell's CPUs"));
	}
	if (f & V_RD3) {
		cpu2 = rd_cpu(v, RDBASE(in[3]));
		if (cpu2 < 0)
			return bad(r, MSG_TEXT("RDbase"), RDBASE(in[3]), MSG_TEXT("not a redistributor of the cell's CPUs"));
	}

	switch (cmd) {
	case ITS_CMD_MAPD:
		for (n = 0; n < VITS_MAX_EVENTS; n++)
			ite_drop(v, &d->ite[n]);
		d->mapped = VALID(in);
		d->num_events = d->mapped ? 1U << (MAPD_SIZE(in) + 1) : 0;
		break;
	case ITS_CMD_MAPC:
		v->coll[icid] = (u16)(cpu + 1);		/* V=0: 0, unmapped */
		break;
	case ITS_CMD_MAPTI:
	case ITS_CMD_MAPI:
		ite_drop(v, ite);
		ite->lpi = lpi;
		ite->icid = (u16)icid;
		break;
	case ITS_CMD_MOVI:
		/* A pending vLPI moves with its collection. */
		cpu = coll_cpu(v, ite->icid);
		cpu2 = coll_cpu(v, (u16)icid);
		ite->icid = (u16)icid;
		if (cpu >= 0 && cpu2 >= 0 && cpu != cpu2 && clear_pending(v, cpu, ite->lpi))
			set_pending(v, cpu2, ite->lpi);
		break;
	case ITS_CMD_DISCARD:
		ite_drop(v, ite);
		break;
	case ITS_CMD_INT:
		set_pending(v, cpu, ite->lpi);
		break;
	case ITS_CMD_CLEAR:
		clear_pending(v, cpu, ite->lpi);
		break;
	case ITS_CMD_INV:
	case ITS_CMD_INVALL:
		kick(v, cpu);
		break;
	case ITS_CMD_MOVALL: {
		struct vits_vcpu *from = vcpu_of(v, cpu), *to = vcpu_of(v, cpu2);

		if (cpu == cpu2)
			break;
		for (n = 0; n < VITS_PEND_WORDS; n++) {
			u64 w = __atomic_exchange_n(&from->pending[n], 0, __ATOMIC_ACQ_REL);

			if (w)
				__atomic_fetch_or(&to->pending[n], w, __ATOMIC_RELEASE);
		}
		kick(v, cpu2);
		break;
	}
	}
	return 0;
}

/* The cell moved CWRITER (or polls CREADR): run what it queued, bounded. */
static void process(struct vits *v)
{
	u64 qsize, qipa, phys, in[4];
	unsigned int done, refused = 0, skipped = 0;
	struct its_verdict r;
	const char *name = v->cell->config->name;
	void *src;

	if (!(v->ctlr & GITS_CTLR_ENABLED) || !(v->cbaser & GITS_CBASER_VALID))
		return;
	qipa = v->cbaser & GITS_CBASER_ADDR;
	qsize = ((v->cbaser & 0xff) + 1) * PAGE_SIZE;
	/* Checked now: the cell's memory may have changed since CBASER was written. */
	phys = cell_ram_phys(v->cell, qipa, qsize);
	if (phys == ~0ULL) {
		if (!v->queue_logged && log_ok(v))
			printk("vITS cell '%s': command queue 0x%llx-0x%llx (GITS_CBASER 0x%llx) is not in the cell's RAM: commands not read\n",
			       name, qipa, qipa + qsize - 1, v->cbaser);
		v->queue_logged = true;
		v->stalled = true;
		return;
	}
	v->stalled = false;
	for (done = 0; v->creadr != v->cwriter && done < VITS_CMDS_PER_CALL; done++) {
		int err;

		src = arch_map_temp(phys + v->creadr, ITS_CMD_BYTES);
		if (!src) {
			printk("vITS cell '%s': cannot map its command queue\n", name);
			break;
		}
		memcpy(in, src, sizeof(in));
		arch_unmap_temp(src, ITS_CMD_BYTES);
		r.field = NULL;
		err = command(v, in, &r);
		/* The first of each kind per call, while the cell's budget lasts. */
		if (err == -EPERM) {
			if (!skipped && log_ok(v))
				printk("vITS cell '%s': command 0x%02x (%s) at 0x%llx skipped: not a command the vITS offers\n",
				       name, CMD(in), its_cmd_name(CMD(in)), v->creadr);
			skipped++;
		} else if (err) {
			if (!refused && log_ok(v))
				printk("vITS cell '%s': %s at 0x%llx skipped: %s 0x%llx: %s\n",
				       name, its_cmd_name(CMD(in)), v->creadr, r.field,
				       r.value, r.why);
			refused++;
		}
		v->cmds++;
		v->creadr = (v->creadr + ITS_CMD_BYTES) % qsize;
	}
	if ((refused > 1 || skipped > 1) && log_ok(v))
		printk("vITS cell '%s': %u commands refused, %u skipped in this batch\n",
		       name, refused, skipped);
	/* Past the budget: a count now and then, so a flood is still seen. */
	if (v->log_budget >= VITS_LOG_BUDGET &&
	    (v->refused + refused + skipped) / VITS_LOG_EVERY != v->refused / VITS_LOG_EVERY)
		printk("vITS cell '%s': %llu commands refused or skipped so far\n",
		       name, v->refused + refused + skipped);
	v->refused += refused + skipped;
}

/* ---- registers ---- */

static u64 typer(const struct vits *v)
{
	return GITS_TYPER_PHYSICAL | (7ULL << 4) | ((u64)(VITS_EVENT_BITS - 1) << 8) |
	       ((u64)(VITS_DEVBITS - 1) << 13) | ((u64)v->num_colls << 24);
}

/* ITS identification: CoreLink component, ArchRev 3. */
static const u8 id_regs[12] = {
	0x04, 0, 0, 0,			/* PIDR4..7 (0xffd0) */
	0x94, 0xb4, 0x3b, 0x00,		/* PIDR0..3 (0xffe0) */
	0x0d, 0xf0, 0x05, 0xb1,		/* CIDR0..3 (0xfff0) */
};

/*
 * ProductID 0x57 ('W'), no implementer code: not Arm's (0x43b), so that no
 * guest applies an Arm ITS erratum workaround to the vITS.
 */
#define VITS_IIDR	0x57000000U

static enum mmio_result vits_access(void *arg, struct mmio_access *acc)
{
	struct vits *v = arg;
	u64 off = acc->address, base = off & ~7ULL;

	if (off >= GITS_CTRL_FRAME) {
		/* The translation frame: GITS_TRANSLATER (16/32-bit). */
		if (off == VITS_TRANSLATER_OFF && (acc->size == 2 || acc->size == 4)) {
			if (acc->is_write && !v->translater_logged) {
				printk("vITS cell '%s': CPU write to GITS_TRANSLATER (0x%llx) ignored: only devices send MSIs\n",
				       v->cell->config->name, acc->value);
				v->translater_logged = true;
			}
			if (!acc->is_write)
				acc->value = 0;
			return MMIO_HANDLED;
		}
		if (!IS_ALIGNED(off, acc->size) || acc->size == 8)
			return MMIO_ERROR;
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}
	if (off < 0x10 || (off >= GITS_CBASER && off < GITS_CREADR + 8) ||
	    (off >= GITS_BASER(0) && off < GITS_BASER(GITS_BASER_NR))) {
		if (!gic_width_ok(acc, off < 0x8 ? W32 : W32_64))
			return MMIO_ERROR;
	} else {
		if (!gic_width_ok(acc, W32))
			return MMIO_ERROR;
		if (!acc->is_write)
			acc->value = off >= 0xffd0 ? id_regs[(off - 0xffd0) / 4] : 0;
		return MMIO_HANDLED;
	}

	spin_lock(&v->lock);
	if (off == GITS_CTLR) {
		if (!acc->is_write)
			acc->value = v->ctlr | GITS_CTLR_QUIESCENT;
		else
			v->ctlr = acc->value & GITS_CTLR_ENABLED;
		if (acc->is_write)
			process(v);
	} else if (off == GITS_IIDR) {
		if (!acc->is_write)
			acc->value = VITS_IIDR;
	} else if (base == GITS_TYPER) {
		its_reg64(typer(v), acc, off & 7);
	} else if (base == GITS_CBASER) {
		u64 val = its_reg64(v->cbaser, acc, off & 7);

		if (!acc->is_write) {
			;
		} else if (v->ctlr & GITS_CTLR_ENABLED) {
			if (!v->cbaser_logged)
				printk("vITS cell '%s': GITS_CBASER write ignored: the ITS is enabled\n",
				       v->cell->config->name);
			v->cbaser_logged = true;
		} else {
			/* Size, address, Valid; cacheability and shareability as written. */
			v->cbaser = val & (GITS_CBASER_VALID | GENMASK_ULL(61, 59) |
				     GENMASK_ULL(55, 53) | GITS_CBASER_ADDR |
				     GENMASK_ULL(11, 10) | 0xff);
			v->creadr = v->cwriter = 0;
			v->queue_logged = false;
		}
	} else if (base == GITS_CWRITER) {
		u64 qsize = ((v->cbaser & 0xff) + 1) * PAGE_SIZE;
		u64 w = its_reg64(v->cwriter, acc, off & 7) & GITS_QUEUE_OFFSET;

		if (acc->is_write) {
			if (w < qsize)
				v->cwriter = w;
			process(v);
		}
	} else if (base == GITS_CREADR) {
		if (!acc->is_write) {
			/* Polling makes progress on a long batch. */
			process(v);
			its_reg64(v->creadr | (v->stalled ? GITS_CREADR_STALLED : 0), acc, off & 7);
		}
	} else if (!acc->is_write) {
		acc->value = 0;		/* BASER<n>: no tables */
	}
	spin_unlock(&v->lock);
	return MMIO_HANDLED;
}

/* ---- the cell's redistributors' LPI registers ---- */

enum mmio_result vits_gicr_access(struct cell *cell, unsigned int cpu, u64 off,
				  struct mmio_access *acc)
{
	struct vits *v = cell->vits;
	struct vits_vcpu *vc = v ? vcpu_of(v, cpu) : NULL;
	u64 base = off & ~7ULL, val;

	if (!vc) {
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}
	switch (base) {
	case 0x0:
		if (off != 0)		/* GICR_IIDR is not ours */
			break;
		if (!acc->is_write) {
			acc->value = READ_ONCE(vc->ctlr);
		} else {
			WRITE_ONCE(vc->ctlr, acc->value & GICR_CTLR_ENABLE_LPIS);
			if (acc->value & GICR_CTLR_ENABLE_LPIS)
				kick(v, cpu);
		}
		return MMIO_HANDLED;
	case GICR_PROPBASER:
	case GICR_PENDBASER: {
		u64 *reg = base == GICR_PROPBASER ? &vc->propbaser : &vc->pendbaser;
		u64 mask = base == GICR_PROPBASER ?
			   (GICR_PROPBASER_ADDR | GENMASK_ULL(58, 56) | GENMASK_ULL(11, 7) | 0x1f) :
			   (GICR_PENDBASER_ADDR | GENMASK_ULL(58, 56) | GENMASK_ULL(11, 7));

		/* acc->address is the offset into the whole region: the frame's @off counts. */
		val = its_reg64(READ_ONCE(*reg), acc, off & 7) & mask;
		/* Fixed while LPIs are on (the architecture makes it UNPREDICTABLE). */
		if (!acc->is_write || (READ_ONCE(vc->ctlr) & GICR_CTLR_ENABLE_LPIS))
			return MMIO_HANDLED;
		WRITE_ONCE(*reg, val);
		vc->prop_logged = false;
		return MMIO_HANDLED;
	}
	case 0x40:	/* SETLPIR */
	case 0x48:	/* CLRLPIR */
	case 0xa0:	/* INVLPIR */
		if (!acc->is_write) {
			acc->value = 0;
			return MMIO_HANDLED;
		}
		val = acc->value & 0xffffffff;
		if (val < LPI_FIRST || val >= LPI_FIRST + VITS_NUM_LPIS)
			return MMIO_HANDLED;
		if (base == 0x40)
			set_pending(v, cpu, (u32)val);
		else if (base == 0x48)
			clear_pending(v, cpu, (u32)val);
		else
			kick(v, cpu);
		return MMIO_HANDLED;
	case 0xb0:	/* INVALLR */
		if (acc->is_write)
			kick(v, cpu);
		else
			acc->value = 0;
		return MMIO_HANDLED;
	default:
		break;
	}
	if (!acc->is_write)
		acc->value = 0;		/* SYNCR: never busy */
	return MMIO_HANDLED;
}

/* ---- life cycle ---- */

static bool wants_vits(const struct cell *cell)
{
	return num_its && cell != &root_cell && cell->config->num_pci_devices;
}

int vits_cell_init(struct cell *cell)
{
	const struct wd_pci_device *pd = wd_cell_pci_devices(cell->config);
	unsigned int n, cpu, ncpus = 0;
	struct vits *v;
	u16 vbdf;
	u64 pages;
	int err;

	if (!wants_vits(cell))
		return 0;
	/* The cell's CPUs are not yet its own (create gives them last): its config's. */
	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
		if (wd_cell_has_cpu(cell->config, cpu))
			ncpus++;
	pages = PAGES(sizeof(*v) + ncpus * sizeof(struct vits_vcpu));
	v = page_alloc(pages);
	if (!v) {
		printk("vITS cell '%s': no memory for it (%llu pages)\n",
		       cell->config->name, pages);
		return -ENOMEM;
	}
	v->pages = pages;
	v->cell = cell;
	v->base = its_units[0].phys;
	v->num_colls = ncpus;
	n = 0;
	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
		if (wd_cell_has_cpu(cell->config, cpu))
			v->slot[cpu] = (u16)++n;
	for (n = 0; n < cell->config->num_pci_devices; n++, pd++) {
		if (v->num_devs == VITS_MAX_DEVS) {
			printk("vITS cell '%s': more than %u PCI devices, BDF 0x%04x and later get no MSIs\n",
			       cell->config->name, VITS_MAX_DEVS, pd->bdf);
			break;
		}
		/* A physical function's id is where the cell sees it (vpci-phys.c). */
		if (pd->type != WD_PCI_TYPE_DEVICE || !vpci_phys_vbdf(pd->bdf, &vbdf))
			vbdf = pd->bdf;
		v->dev[v->num_devs++].devid = vbdf;
	}
	err = mmio_region_register(&cell->mmio, v->base, GITS_MIN_SIZE, vits_access, v);
	if (err) {
		printk("vITS cell '%s': its frames at 0x%llx cannot be trapped (error %d)\n",
		       cell->config->name, v->base, err);
		page_free(v, pages);
		return err;
	}
	cell->vits = v;
	printk("vITS cell '%s': at 0x%llx, %u devices, %u collections\n",
	       cell->config->name, v->base, v->num_devs, v->num_colls);
	return 0;
}

void vits_cell_exit(struct cell *cell)
{
	struct vits *v = cell->vits;
	u64 pages;

	if (!v)
		return;
	mmio_region_unregister(&cell->mmio, v->base);
	cell->vits = NULL;
	/*
	 * No list register holds one of its vLPIs: the cell's CPUs were parked
	 * (their list registers drained, the last one reset every pending
	 * set). Zeroed, so that the pool's next user finds nothing of it.
	 */
	pages = v->pages;
	memset(v, 0, pages * PAGE_SIZE);
	page_free(v, pages);
}

void vits_cpu_parked(struct per_cpu *pc)
{
	struct vits *v = pc->cell ? pc->cell->vits : NULL;
	unsigned int cpu;

	if (!v || !vcpu_of(v, pc->cpu_id))
		return;
	/*
	 * One CPU off (PSCI CPU_OFF) while others run: its redistributor keeps
	 * its LPI registers and pending vLPIs, as a real one does (Linux
	 * brings a CPU back online without programming LPIs again). The last
	 * CPU of the cell going (stop, destroy, or all off): everything is
	 * reset, the cell's next start finds a fresh vITS.
	 */
	for_each_cpu_in_cell(cpu, v->cell)
		if (cpu != pc->cpu_id &&
		    __atomic_load_n(&per_cpu(cpu)->run_state, __ATOMIC_ACQUIRE) == CPU_RUNNING)
			return;
	spin_lock(&v->lock);
	memset(&v->ctlr, 0, sizeof(v->coll) + offsetof(struct vits, coll) -
			    offsetof(struct vits, ctlr));
	for (cpu = 0; cpu < v->num_devs; cpu++)
		memset(&v->dev[cpu].mapped, 0,
		       sizeof(struct vits_dev) - offsetof(struct vits_dev, mapped));
	memset(v->vcpu, 0, v->num_colls * sizeof(struct vits_vcpu));
	spin_unlock(&v->lock);
}

void vits_requeue(struct per_cpu *pc, u32 intid)
{
	struct vits *v = pc->cell ? pc->cell->vits : NULL;

	mark_pending(v ? vcpu_of(v, pc->cpu_id) : NULL, intid);
}
