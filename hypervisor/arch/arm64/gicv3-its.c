/*
 * The GICv3 ITS behind the hypervisor (see asm/gicv3-its.h for why).
 *
 * Finding it: the root configuration maps the ITS as a device region (that is
 * what "warden config create" and Jailhouse configurations do); at enable,
 * every device region of at least 128 KiB, 64 KiB aligned, whose ID registers
 * read as a GICv3/v4 ITS's (CoreLink component id, ArchRev 3 or 4, and
 * GITS_TYPER.Physical) is taken for one. Reads go through probe_read32: an
 * empty address aborts the probe, not the hypervisor.
 *
 * Taking it over at enable and giving it back at disable: gicv3-its-handover.c.
 *
 * The root's registers are emulated:
 *  - CTLR: Enabled is the emulated ITS's; disabling it stops command
 *    processing (the real ITS stays on: the root's other MSIs keep flowing);
 *  - TYPER: the hardware's physical part (no Virtual, VMOVP, VSGI, SEIS...);
 *  - CBASER, BASER<n>: writable only while the emulated ITS is disabled (an
 *    ITS may make them read-only once enabled, QEMU's does); a value whose
 *    memory is not RAM the root alone owns is refused and logged. BASER's
 *    Type, Entry_Size, Page_Size and Indirect are read-only. The ITS never
 *    uses the root's tables: they get the hypervisor's copy at disable;
 *  - CWRITER: each new command is read from the root's queue, checked
 *    (gicv3-its-cmd.c), re-encoded into the hypervisor's queue; the call
 *    returns when the ITS has executed them, with CREADR at CWRITER. A
 *    refused command is skipped (one log line: command, field, value,
 *    reason) and CREADR moves past it, as the ITS itself does with a command
 *    whose parameters are wrong (Linux then times out waiting for that
 *    command's effect at worst, never hangs);
 *  - CREADR: writable while disabled, so that a root that moved its queue
 *    can go back to where it was (an ITS with GICD_CTLR.DS allows the same);
 *  - identification registers: the hardware's; everything else of the frame
 *    reads as zero, writes are ignored.
 * Widths and alignment are checked first, as for the other GIC frames.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/paging.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <asm/gicv3-its.h>
#include <asm/smmuv3.h>		/* probe_read32 */
#include "gicv3-regs.h"
#include "gicv3-its-priv.h"

struct its its_units[MAX_ITS];
unsigned int num_its;
static unsigned int cpus_entered;
static spinlock_t release_lock;
static bool released;
static int attach_err;		/* the root's stage 2 could not trap a frame */

static enum mmio_result its_access(void *arg, struct mmio_access *acc);

/* [start, start + size) is inside one RAM region of the root, and no cell or the hypervisor has any of it. */
bool root_ram(void *ctx, u64 start, u64 size)
{
	const struct cell *cell;

	if (!its_inside_ram(&system_config->root_cell, start, size) ||
	    overlaps(start, size, hv_phys_base, hv_mem_size))
		return false;
	for (cell = root_cell.next; cell; cell = cell->next)
		if (its_touches_cell(cell->config, start, size))
			return false;
	return true;
}

int its_rd_cpu(const struct its *its, u64 rdbase)
{
	unsigned int cpu;

	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++) {
		struct per_cpu *pc = per_cpu(cpu);

		if (pc->initialized && pc->arch.gicr && its_rdbase(its, pc) == rdbase)
			return (int)cpu;
	}
	return -1;
}

static enum its_rd_owner rd_owner(void *ctx, u64 rdbase)
{
	int cpu = its_rd_cpu(ctx, rdbase);

	if (cpu < 0)
		return ITS_RD_NONE;
	return cell_has_cpu(&root_cell, cpu) ? ITS_RD_ROOT : ITS_RD_OTHER;
}

/*
 * The device @devid as MAPD made it known, or NULL. Every command that names
 * a device looks it up (twice for the ones that write the ITT): the used
 * entries are kept at the front, and a root that talks to one device at a
 * time (Linux's CLEAR, INT, MOVI ... then SYNC) finds it at the hint.
 */
static struct its_dev *tracked(struct its *its, u32 devid)
{
	unsigned int n = its->dev_hint;

	if (n < its->ndev && its->dev[n].devid == devid)
		return &its->dev[n];
	for (n = 0; n < its->ndev; n++)
		if (its->dev[n].devid == devid) {
			its->dev_hint = n;
			return &its->dev[n];
		}
	return NULL;
}

/* MAPD with V=0: the last used entry fills the hole. */
static void untrack(struct its *its, struct its_dev *d)
{
	*d = its->dev[--its->ndev];
}

static unsigned int device_event_bits(void *ctx, u32 devid)
{
	struct its_dev *d = tracked(ctx, devid);

	return d ? d->event_bits : 0;
}

struct its_table *table_of_type(struct its *its, unsigned int type)
{
	unsigned int n;

	for (n = 0; n < GITS_BASER_NR; n++)
		if (its->t[n].hv && GITS_BASER_TYPE(its->t[n].hw) == type)
			return &its->t[n];
	return NULL;
}

/* Entries a table of the hypervisor's can hold (two-level: with every L2 page). */
static u64 table_entries(const struct its_table *t)
{
	u64 esz = GITS_BASER_ESZ(t->hw), psz = GITS_BASER_PSZ(t->hw);

	if (!t->hv)
		return 0;
	if (t->hw & GITS_BASER_INDIRECT)
		return t->hv_size / 8 * (psz / esz);
	return t->hv_size / esz;
}

void set_limits(struct its *its)
{
	struct its_limits *l = &its->lim;
	struct its_table *dt = table_of_type(its, GITS_BASER_TYPE_DEVICE);
	struct its_table *ct = table_of_type(its, GITS_BASER_TYPE_COLL);
	u64 typer = its->typer, devs, colls;
	unsigned int devbits = (typer >> 13 & 0x1f) + 1;
	unsigned int cidbits = (typer & GITS_TYPER_CIL) ? (typer >> 32 & 0xf) + 1 : 16;

	devs = dt ? table_entries(dt) : 0;
	if (devs > (1ULL << devbits))
		devs = 1ULL << devbits;
	colls = (typer >> 24 & 0xff) + (ct ? table_entries(ct) : 0);
	if (colls > (1ULL << cidbits))
		colls = 1ULL << cidbits;
	l->num_devices = (u32)(devs > 0xffffffffULL ? 0xffffffffULL : devs);
	l->num_collections = (u32)colls;
	l->event_bits = (typer >> 8 & 0x1f) + 1;
	l->ite_size = (typer >> 4 & 0xf) + 1;
	l->lpi_bits = (mmio_read(gicd + GICD_TYPER, 4) >> 19 & 0x1f) + 1;
	l->ctx = its;
	l->root_ram = root_ram;
	l->rd_owner = rd_owner;
	l->device_event_bits = device_event_bits;
	l->cell_device = its_cell_device;
	l->cell_lpis = l->lpi_bits >= ITS_CELL_LPI_MIN_BITS ? ITS_CELL_LPIS : 0;
	/* The root keeps an ICID for each CPU slot below the reserved ones. */
	l->cell_icids = l->num_collections >= 2 * CONFIG_WD_MAX_CPUS ?
			CONFIG_WD_MAX_CPUS : 0;
}

const char *table_name(u64 baser)
{
	switch (GITS_BASER_TYPE(baser)) {
	case GITS_BASER_TYPE_DEVICE: return MSG_TEXT("device table");
	case GITS_BASER_TYPE_COLL: return MSG_TEXT("collection table");
	default: return MSG_TEXT("table");
	}
}

int its_init(void)
{
	const struct wd_cell_desc *rc = &system_config->root_cell;
	const struct wd_mem_region *m = wd_cell_mem_regions(rc);
	const struct wd_arm_platform *arm = &system_config->platform.arm;
	unsigned int n;

	for (n = 0; n < rc->num_memory_regions; n++, m++) {
		u32 cid[4], pidr2, i;
		void *page;
		struct its *its;

		if (!(m->flags & WD_MEM_IO) || m->size < GITS_MIN_SIZE ||
		    !IS_ALIGNED(m->phys_start, GITS_CTRL_FRAME) ||
		    m->phys_start == arm->gicd_base || m->phys_start == arm->gicr_base)
			continue;
		if (arch_map_device(m->phys_start + GITS_CTRL_FRAME - PAGE_SIZE,
				    PAGE_SIZE, &page))
			return -ENOMEM;
		for (i = 0; i < 4; i++)
			if (probe_read32((u32 *)((u8 *)page + 0xff0 + 4 * i), &cid[i]))
				break;
		if (i < 4 || cid[0] != 0x0d || cid[1] != 0xf0 || cid[2] != 0x05 ||
		    cid[3] != 0xb1 || probe_read32((u32 *)((u8 *)page + 0xfe8), &pidr2) ||
		    ((pidr2 >> 4 & 0xf) != 3 && (pidr2 >> 4 & 0xf) != 4))
			continue;
		if (num_its == MAX_ITS)
			return refuse(-EOPNOTSUPP, WD_REASON_PLATFORM, n, m->phys_start,
				      "ITS at 0x%llx: Warden handles at most %u ITSes",
				      m->phys_start, MAX_ITS);
		its = &its_units[num_its];
		its->phys = m->phys_start;
		if (arch_map_device(its->phys, GITS_CTRL_FRAME, (void **)&its->regs))
			return -ENOMEM;
		if (!(rd(its, GITS_TYPER, 8) & GITS_TYPER_PHYSICAL))
			continue;
		num_its++;
		printk("ITS 0x%llx: found (root region #%u); its control frame is the hypervisor's\n",
		       its->phys, n);
	}
	return 0;
}

int its_cpu_entered(void)
{
	unsigned int n;
	int err = 0;

	if (__atomic_add_fetch(&cpus_entered, 1, __ATOMIC_ACQ_REL) != fw_header->online_cpus)
		return 0;
	if (attach_err)
		return refuse(attach_err, WD_REASON_PLATFORM, 0, its_units[0].phys,
			      "ITS: trapping its control frame in the root cell failed (error %d)",
			      attach_err);
	for (n = 0; n < num_its && !err; n++) {
		spin_lock(&its_units[n].lock);
		err = its_take(&its_units[n]);
		spin_unlock(&its_units[n].lock);
	}
	return err;
}


int its_root_attach(struct cell *root)
{
	unsigned int n;
	int err;

	for (n = 0; n < num_its; n++) {
		err = paging_unmap(&root->stage2, its_units[n].phys, GITS_CTRL_FRAME);
		if (!err)
			err = mmio_region_register(&root->mmio, its_units[n].phys,
						   GITS_CTRL_FRAME, its_access,
						   &its_units[n]);
		if (err) {
			/* Mapped, not trapped: enable must not succeed. */
			attach_err = err;
			return err;
		}
	}
	return 0;
}

/* Make sure the L2 page for entry @id of a two-level table exists. */
static int table_l2(struct its *its, struct its_table *t, u64 id, struct its_verdict *v)
{
	u64 psz = GITS_BASER_PSZ(t->hw), per = psz / GITS_BASER_ESZ(t->hw);
	u64 i = id / per;
	u64 *l2;

	if (!(t->hw & GITS_BASER_INDIRECT) || (t->hv[i] & GITS_L1_VALID))
		return 0;
	if (t->l2_bytes + psz > MAX_L2_BYTES || !(l2 = hv_alloc(psz, psz))) {
		v->field = MSG_TEXT("DeviceID");
		v->value = id;
		v->why = MSG_TEXT("no more second-level table pages (hypervisor memory)");
		return -ENOMEM;
	}
	t->l2_bytes += psz;
	dcache_clean_inval_range((u64)(uintptr_t)l2, psz);
	t->hv[i] = GITS_L1_VALID | (u64)(uintptr_t)l2;
	dcache_clean_inval_range((u64)(uintptr_t)&t->hv[i], 8);
	return 0;
}

/*
 * The device or collection table (@type) has room for @id: the hypervisor's
 * own MAPD and MAPC for cells (cell-msi.c; its->lock held).
 */
static int table_room(struct its *its, unsigned int type, u32 id, struct its_verdict *v)
{
	struct its_table *t = table_of_type(its, type);
	/* HCC: the first collections are held in the ITS, not in the table. */
	u32 hcc = type == GITS_BASER_TYPE_COLL ? (its->typer >> 24) & 0xff : 0;

	return t && id >= hcc ? table_l2(its, t, id - hcc, v) : 0;
}

int its_table_room(struct its *its, unsigned int type, u32 id)
{
	struct its_verdict v;

	return table_room(its, type, id, &v);
}

/* What the hypervisor does besides checking: tables, device tracking. */
static int cmd_prepare(struct its *its, const u64 in[4], const u64 out[4],
		       struct its_verdict *v)
{
	unsigned int cmd = out[0] & 0xff;
	u32 devid = (u32)(out[0] >> 32);
	struct its_dev *d;
	int err;

	switch (cmd) {
	case ITS_CMD_MAPD:
		d = tracked(its, devid);
		if (!(out[2] >> 63)) {
			if (d)
				untrack(its, d);
			return 0;
		}
		err = table_room(its, GITS_BASER_TYPE_DEVICE, devid, v);
		if (err)
			return err;
		if (!d && its->ndev == MAX_TRACKED) {
			v->field = MSG_TEXT("DeviceID");
			v->value = devid;
			v->why = MSG_TEXT("Warden tracks no more devices");
			return -ENOSPC;
		}
		if (!d)
			d = &its->dev[its->ndev++];
		d->devid = devid;
		d->event_bits = (u8)((out[1] & 0x1f) + 1);
		d->itt = out[2] & GENMASK_ULL(51, 8);
		return 0;
	case ITS_CMD_MAPC:
		return table_room(its, GITS_BASER_TYPE_COLL, out[2] & 0xffff, v);
	case ITS_CMD_MAPTI:
	case ITS_CMD_MAPI:
	case ITS_CMD_MOVI:
	case ITS_CMD_DISCARD:
		/* These write the ITT: it must still be the root's alone. */
		d = tracked(its, devid);
		if (d && !root_ram(its, d->itt, its_itt_size(its, d))) {
			v->field = MSG_TEXT("ITT_addr");
			v->value = d->itt;
			v->why = MSG_TEXT("the device's ITT is no longer RAM the root alone owns");
			return -EINVAL;
		}
		return 0;
	default:
		return 0;
	}
}

bool queue_flush(struct its *its)
{
	u64 end;

	if (rd(its, GITS_CWRITER, 8) == its->q_wr)
		return true;
	/* queue_put cleaned each command to the PoC, with a DSB: visible now. */
	wr(its, GITS_CWRITER, 8, its->q_wr);
	end = timer_ticks() + timer_ticks_per_sec() * ITS_TIMEOUT_MS / 1000;
	for (;;) {
		u64 r = rd(its, GITS_CREADR, 8);

		if ((r & GITS_QUEUE_OFFSET) == its->q_wr)
			return true;
		if ((r & GITS_CREADR_STALLED) || timer_ticks() > end) {
			printk("ITS 0x%llx: the ITS did not complete the commands queued (CREADR 0x%llx, CWRITER 0x%llx)\n",
			       its->phys, r, its->q_wr);
			return false;
		}
	}
}

void queue_put(struct its *its, const u64 out[4])
{
	u64 *slot = its->queue + its->q_wr / 8;
	unsigned int i;

	for (i = 0; i < 4; i++)
		slot[i] = out[i];
	dcache_clean_inval_range((u64)(uintptr_t)slot, ITS_CMD_BYTES);
	its->q_wr = (its->q_wr + ITS_CMD_BYTES) % PAGE_SIZE;
	/* Full when the next slot would be the ITS's read position. */
	if ((its->q_wr + ITS_CMD_BYTES) % PAGE_SIZE ==
	    (rd(its, GITS_CREADR, 8) & GITS_QUEUE_OFFSET))
		queue_flush(its);
}

/* The root moved CWRITER: forward what it queued, checked. */
static void process(struct its *its)
{
	u64 qstart, qsize;
	unsigned int quiet = 0, logged = 0;
	u64 pos = its->creadr;

	if (!its->hw_enabled || !(its->ctlr & GITS_CTLR_ENABLED) ||
	    !its_cbaser_range(its->cbaser, &qstart, &qsize))
		return;
	if (!its->rq || its->rq_size != qsize) {
		printk("ITS 0x%llx: the root's command queue at 0x%llx is not mapped\n",
		       its->phys, qstart);
		return;
	}
	while (pos != its->cwriter) {
		u64 in[4], out[4];
		struct its_verdict v;
		int err;

		memcpy(in, its->rq + pos / 8, sizeof(in));
		err = its_cmd_check(&its->lim, in, out, &v);
		if (!err)
			err = its_vdev_command(its, out, &v);
		if (!err)
			err = cmd_prepare(its, in, out, &v);
		/* A queue full of garbage must not flood the log: the first ones. */
		if (err < 0 && logged < MAX_LOGGED)
			printk("ITS 0x%llx: root command %s at queue offset 0x%llx refused: %s 0x%llx: %s\n",
			       its->phys, v.cmd, pos, v.field, v.value, v.why);
		if (!err)
			queue_put(its, out);
		else if (err == ITS_VDEV_DONE)
			;	/* a virtual device's, executed (gicv3-its-virtdev.c) */
		else if (logged < MAX_LOGGED)
			logged++;
		else
			quiet++;
		pos = (pos + ITS_CMD_BYTES) % qsize;
	}
	if (quiet)
		printk("ITS 0x%llx: %u more root commands refused\n", its->phys, quiet);
	queue_flush(its);
	/* Executed: now CREADR may say so (its_creadr_fast reads it without the lock). */
	__atomic_store_n(&its->creadr, pos, __ATOMIC_RELEASE);
}

static void write_cbaser(struct its *its, u64 v)
{
	u64 start, size;

	if (its->ctlr & GITS_CTLR_ENABLED) {
		printk("ITS 0x%llx: root GITS_CBASER write 0x%llx ignored: the ITS is enabled\n",
		       its->phys, v);
		return;
	}
	if (its_cbaser_range(v, &start, &size) && !root_ram(its, start, size)) {
		printk("ITS 0x%llx: root GITS_CBASER 0x%llx refused: command queue 0x%llx-0x%llx is not RAM the root alone owns\n",
		       its->phys, v, start, start + size - 1);
		return;
	}
	its->cbaser = v & (GITS_CBASER_VALID | GENMASK_ULL(61, 59) | GENMASK_ULL(55, 53) |
			   GITS_CBASER_ADDR | GENMASK_ULL(11, 10) | 0xff);
	its->creadr = its->cwriter = 0;
	root_queue_map(its);
}

/*
 * The root's command queue stays mapped at EL2 while CBASER holds it: a map
 * and unmap per command, with the TLB invalidation, cost more than the
 * check. It is RAM the root alone owns (checked here, for the takeover's
 * CBASER too, and at every accepted CBASER write), and no cell may take it
 * while CBASER holds it (check_tables). Every accepted CBASER write replaces
 * the mapping, the give-back drops it.
 */
void root_queue_map(struct its *its)
{
	u64 start, size;

	root_queue_unmap(its);
	if (!its_cbaser_range(its->cbaser, &start, &size))
		return;
	if (!root_ram(its, start, size)) {
		printk("ITS 0x%llx: the root's command queue 0x%llx-0x%llx is not RAM the root alone owns: its commands are not forwarded\n",
		       its->phys, start, start + size - 1);
		return;
	}
	its->rq = arch_map_temp(start, size);
	if (!its->rq)
		printk("ITS 0x%llx: cannot map the root's command queue 0x%llx-0x%llx\n",
		       its->phys, start, start + size - 1);
	else
		its->rq_size = size;
}

void root_queue_unmap(struct its *its)
{
	if (its->rq)
		arch_unmap_temp(its->rq, its->rq_size);
	its->rq = NULL;
	its->rq_size = 0;
}

static void write_baser(struct its *its, unsigned int n, u64 v)
{
	/* Type, Entry_Size, Page_Size, Indirect: as at takeover. */
	const u64 ro = GENMASK_ULL(58, 56) | GENMASK_ULL(52, 48) | GENMASK_ULL(9, 8) |
		       GITS_BASER_INDIRECT;
	struct its_table *t = &its->t[n];
	u64 start, size;

	if ((its->ctlr & GITS_CTLR_ENABLED) || !GITS_BASER_TYPE(t->root)) {
		printk("ITS 0x%llx: root GITS_BASER%u write 0x%llx ignored: %s\n", its->phys,
		       n, v, GITS_BASER_TYPE(t->root) ? "the ITS is enabled" : "no table");
		return;
	}
	v = (v & ~ro) | (t->root & ro);
	if (its_baser_range(v, &start, &size) && !root_ram(its, start, size)) {
		printk("ITS 0x%llx: root GITS_BASER%u 0x%llx refused: %s 0x%llx-0x%llx is not RAM the root alone owns\n",
		       its->phys, n, v, table_name(v), start, start + size - 1);
		return;
	}
	t->root = v;
}

static enum mmio_result its_access(void *arg, struct mmio_access *acc)
{
	struct its *its = arg;
	u64 off = acc->address, base;

	if (off < 0x10 || (off >= GITS_CBASER && off < GITS_CREADR + 8) ||
	    (off >= GITS_BASER(0) && off < GITS_BASER(GITS_BASER_NR))) {
		if (!gic_width_ok(acc, off < 0x8 ? W32 : W32_64))
			return MMIO_ERROR;
	} else if (off >= 0xffd0) {
		if (!gic_width_ok(acc, W32))
			return MMIO_ERROR;
		if (!acc->is_write)
			acc->value = rd(its, off, 4);
		return MMIO_HANDLED;
	} else {
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}

	spin_lock(&its->lock);
	if (!its->taken) {
		/* Not yet ours (enable in progress) or given back: nothing. */
		if (!acc->is_write)
			acc->value = 0;
		spin_unlock(&its->lock);
		return MMIO_HANDLED;
	}
	base = off & ~7ULL;
	if (off == GITS_CTLR) {
		if (!acc->is_write)
			acc->value = its->ctlr | GITS_CTLR_QUIESCENT;
		else
			its->ctlr = acc->value & GITS_CTLR_ENABLED;
	} else if (off == GITS_IIDR) {
		if (!acc->is_write)
			acc->value = rd(its, GITS_IIDR, 4);
	} else {
		/* The 64-bit registers: TYPER (read-only), CBASER, CWRITER, CREADR, BASER<n>. */
		unsigned int n = (base - GITS_BASER(0)) / 8;
		u64 typer = its->typer & GITS_TYPER_ROOT_MASK;
		u64 *reg = base == GITS_TYPER ? &typer : base == GITS_CBASER ? &its->cbaser :
			   base == GITS_CWRITER ? &its->cwriter :
			   base == GITS_CREADR ? &its->creadr : &its->t[n].root;
		u64 qstart, qsize, v = its_reg64(*reg, acc, off & 7);

		if (!acc->is_write || base == GITS_TYPER) {
			;
		} else if (base == GITS_CBASER) {
			write_cbaser(its, v);
		} else if (base >= GITS_BASER(0)) {
			write_baser(its, n, v);
		} else {
			its_cbaser_range(its->cbaser, &qstart, &qsize);
			v &= GITS_QUEUE_OFFSET;
			if (v >= qsize)
				printk("ITS 0x%llx: root %s 0x%llx ignored: beyond the 0x%llx-byte queue\n",
				       its->phys, reg == &its->cwriter ? "GITS_CWRITER" : "GITS_CREADR",
				       v, qsize);
			else if (reg == &its->cwriter)
				its->cwriter = v;
			else if (!(its->ctlr & GITS_CTLR_ENABLED))
				its->creadr = v;
			if (reg == &its->cwriter)
				process(its);
		}
	}
	spin_unlock(&its->lock);
	return MMIO_HANDLED;
}

static int refuse_overlap(const struct wd_cell_desc *c, unsigned int n,
			  const struct wd_mem_region *m, const char *what, u64 id,
			  u64 start, u64 size)
{
	bool no_id = id == ~0ULL;
	u64 end = start + size - 1;

	/* One call: without an id, the address range moves up one argument. */
	return refuse(-EBUSY, WD_REASON_MEMORY, n, start,
		      no_id ? "cell '%s': memory region #%u (phys 0x%llx-0x%llx) holds the root's %s at 0x%llx-0x%llx, which the GIC uses" :
			      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) holds the root's %s 0x%llx at 0x%llx-0x%llx, which the GIC writes",
		      c->name, n, m->phys_start, m->phys_start + m->size - 1,
		      what, no_id ? start : id, no_id ? end : start, end);
}

/* Is [start, size) one of the root's ITS or LPI tables? Refuse with a reason if so. */
static int check_tables(const struct wd_cell_desc *c, unsigned int n,
			const struct wd_mem_region *m)
{
	unsigned int i, k, cpu;
	u64 start, size;

	for (i = 0; i < num_its; i++) {
		struct its *its = &its_units[i];
		int err = 0;

		if (overlaps(m->phys_start, m->size, its->phys, GITS_MIN_SIZE))
			return refuse(-EBUSY, WD_REASON_MEMORY, n, its->phys,
				      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) maps the GIC ITS at 0x%llx, which is the hypervisor's",
				      c->name, n, m->phys_start, m->phys_start + m->size - 1,
				      its->phys);
		spin_lock(&its->lock);
		/* The command queue, the tables, then each tracked device's ITT. */
		for (k = 0; !err && k < 1 + GITS_BASER_NR + its->ndev; k++) {
			const char *what = MSG_TEXT("ITS command queue");
			u64 id = ~0ULL;
			bool valid;

			if (!k) {
				valid = its_cbaser_range(its->cbaser, &start, &size);
			} else if (k <= GITS_BASER_NR) {
				valid = its_baser_range(its->t[k - 1].root, &start, &size);
				what = table_name(its->t[k - 1].root);
			} else {
				const struct its_dev *d = &its->dev[k - 1 - GITS_BASER_NR];

				valid = true;
				start = d->itt;
				size = its_itt_size(its, d);
				what = MSG_TEXT("ITT of device");
				id = d->devid;
			}
			if (valid && overlaps(m->phys_start, m->size, start, size))
				err = refuse_overlap(c, n, m, what, id, start, size);
		}
		spin_unlock(&its->lock);
		if (err)
			return err;
	}
	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++) {
		struct per_cpu *pc = per_cpu(cpu);
		unsigned int bits = (mmio_read(gicd + GICD_TYPER, 4) >> 19 & 0x1f) + 1;
		u64 prop, pend;

		if (!pc->initialized || !pc->arch.gicr)
			continue;
		prop = mmio_read((u8 *)pc->arch.gicr + GICR_PROPBASER, 8);
		pend = mmio_read((u8 *)pc->arch.gicr + GICR_PENDBASER, 8);
		for (k = 0; k < 2; k++)
			if ((k ? gicr_pendbaser_range(pend, prop, bits, &start, &size) :
				 gicr_propbaser_range(prop, bits, &start, &size)) && start &&
			    overlaps(m->phys_start, m->size, start, size))
				return refuse_overlap(c, n, m, k ? MSG_TEXT("LPI pending table of CPU") :
							    MSG_TEXT("LPI property table of CPU"),
						      cpu, start, size);
	}
	return 0;
}

int its_cell_check(const struct wd_cell_desc *c)
{
	const struct wd_mem_region *m = wd_cell_mem_regions(c);
	unsigned int n;
	int err;

	for (n = 0; n < c->num_memory_regions; n++, m++) {
		if ((m->flags & WD_MEM_COMM_REGION) || !m->size)
			continue;
		err = check_tables(c, n, m);
		if (err)
			return err;
	}
	return 0;
}

/*
 * A redistributor's LPI tables (@prop; @pend too if @with_pend) in RAM the
 * root alone owns? Logs the refusal of @what = @v if not.
 */
static bool lpi_tables_ok(u64 prop, u64 pend, bool with_pend, unsigned int bits,
			  const char *what, u64 v)
{
	u64 start, len;

	if (gicr_propbaser_range(prop, bits, &start, &len) && !root_ram(NULL, start, len))
		goto refused;
	if (with_pend && gicr_pendbaser_range(pend, prop, bits, &start, &len) &&
	    !root_ram(NULL, start, len))
		goto refused;
	return true;
refused:
	printk("GICR: root %s 0x%llx refused: LPI table 0x%llx-0x%llx is not RAM the root alone owns\n",
	       what, v, start, start + len - 1);
	return false;
}

bool its_gicr_write_allowed(volatile u8 *frame, u64 off, unsigned int size, u64 value)
{
	u64 reg = off & ~7ULL, prop, pend, v;
	unsigned int bits = (mmio_read(gicd + GICD_TYPER, 4) >> 19 & 0x1f) + 1;
	bool enabled = mmio_read(frame + 0x0, 4) & 1;	/* GICR_CTLR.EnableLPIs */

	if (off == 0x0)		/* GICR_CTLR: switching LPIs on uses both tables */
		return enabled || !(value & 1) ||
		       lpi_tables_ok(mmio_read(frame + GICR_PROPBASER, 8),
				     mmio_read(frame + GICR_PENDBASER, 8), true, bits,
				     MSG_TEXT("GICR_CTLR.EnableLPIs"), value);
	if (reg != GICR_PROPBASER && reg != GICR_PENDBASER)
		return true;
	v = mmio_read(frame + reg, 8);
	if (size == 8) {
		v = value;
	} else {
		unsigned int shift = (off - reg) * 8;

		v = (v & ~(0xffffffffULL << shift)) | ((value & 0xffffffffULL) << shift);
	}
	prop = reg == GICR_PROPBASER ? v : mmio_read(frame + GICR_PROPBASER, 8);
	pend = reg == GICR_PENDBASER ? v : mmio_read(frame + GICR_PENDBASER, 8);
	/*
	 * Each table as its register says; the pending table too when LPIs
	 * are on (PROPBASER.IDbits sizes it). Off, both are checked when they
	 * are switched on.
	 */
	return lpi_tables_ok(prop, pend, reg == GICR_PENDBASER || enabled, bits,
			     reg == GICR_PROPBASER ? MSG_TEXT("GICR_PROPBASER") : MSG_TEXT("GICR_PENDBASER"), v);
}

void its_release(void)
{
	unsigned int n;

	spin_lock(&release_lock);
	if (!released) {
		released = true;
		for (n = 0; n < num_its; n++) {
			spin_lock(&its_units[n].lock);
			its_give_back(&its_units[n]);
			spin_unlock(&its_units[n].lock);
		}
	}
	spin_unlock(&release_lock);
}
