/*
 * Internal to the ITS emulation (gicv3-its.c: registers, commands, cells) and
 * its hand-over (gicv3-its-handover.c: taking the ITS from Linux at enable,
 * giving it back at disable).
 */
#ifndef GICV3_ITS_PRIV_H
#define GICV3_ITS_PRIV_H

#include <wd/types.h>
#include <wd/spinlock.h>
#include <wd/mmio.h>
#include <wd/percpu.h>
#include <asm/gicv3-its.h>

#define MAX_ITS			4
#define MAX_TRACKED		256	/* devices the root maps through Warden */
#define MAX_L2_BYTES		0x40000	/* second-level pages a table may add after takeover */
#define QUEUE_SLOTS		(PAGE_SIZE / ITS_CMD_BYTES)
#define ITS_TIMEOUT_MS		100
#define MAX_LOGGED		16	/* refusal lines per CWRITER write */
#define ITS_VDEV_ICIDS		CONFIG_WD_MAX_CPUS

void dcache_clean_inval_range(u64 start, u64 size);

struct its_table {
	u64 root;		/* GITS_BASER<n> as the root sees it */
	u64 hw;			/* what the ITS has: the hypervisor's copy */
	u64 *hv;		/* the copy (hypervisor memory, 1:1 mapped) */
	/* 32-bit: a table is at most 256 pages of 64 KiB; 32 bytes an entry. */
	u32 hv_size;
	u32 l2_bytes;		/* second-level pages allocated after takeover */
};

/* A device the root mapped (MAPD): dev[0 .. ndev) of struct its. */
struct its_dev {
	u8 event_bits;
	u32 devid;
	u64 itt;		/* its_itt_size() bytes (16 bytes an entry: indexed by a shift) */
};

struct its {
	u64 phys;
	u8 *regs;
	spinlock_t lock;
	bool taken;		/* tables and queue are the hypervisor's */
	bool hw_enabled;	/* Linux had it enabled at takeover */
	u64 typer;
	/* emulated state */
	u32 ctlr;
	u64 cbaser, cwriter, creadr;
	struct its_table t[GITS_BASER_NR];
	/* the root's queue, mapped at EL2 while CBASER holds it (root_queue_map) */
	u64 *rq;
	u64 rq_size;
	/* the hypervisor's queue */
	u64 *queue;
	u64 q_wr;
	struct its_dev dev[MAX_TRACKED];	/* dev[0 .. ndev) are used */
	unsigned int ndev;
	unsigned int dev_hint;			/* where the last look-up found one */
	struct its_limits lim;
	/* Root virtual devices' collections (gicv3-its-virtdev.c): CPU + 1 from MAPC; 0: none seen. */
	u16 vdev_coll[ITS_VDEV_ICIDS];
};

/* The bytes of @d's ITT: an entry per event id. */
static inline u64 its_itt_size(const struct its *its, const struct its_dev *d)
{
	return (u64)its->lim.ite_size << d->event_bits;
}

extern struct its its_units[];
extern unsigned int num_its;

static inline u64 rd(struct its *its, unsigned int off, unsigned int size)
{
	return mmio_read(its->regs + off, size);
}

static inline void wr(struct its *its, unsigned int off, unsigned int size, u64 v)
{
	mmio_write(its->regs + off, size, v);
}

static inline bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* The RDbase field naming CPU @pc's redistributor on @its (as GITS_TYPER.PTA says). */
static inline u64 its_rdbase(const struct its *its, const struct per_cpu *pc)
{
	if (its->typer & GITS_TYPER_PTA)
		return pc->arch.gicr_phys >> 16;
	/* GICR_TYPER.Processor_Number */
	return mmio_read((u8 *)pc->arch.gicr + 0x8, 8) >> 8 & 0xffff;
}

/* gicv3-its.c */
bool root_ram(void *ctx, u64 start, u64 size);
/* The CPU whose redistributor @rdbase names on @its, or -1. */
int its_rd_cpu(const struct its *its, u64 rdbase);
/* gicv3-its-cell.c: a cell's physical PCI function sends MSIs as @devid. */
bool its_cell_device(void *ctx, u32 devid);
void set_limits(struct its *its);
struct its_table *table_of_type(struct its *its, unsigned int type);
const char *table_name(u64 baser);
void root_queue_map(struct its *its);
void root_queue_unmap(struct its *its);
/*
 * gicv3-its-virtdev.c: a checked root command @c for one of the root's
 * virtual ivshmem devices is executed there: ITS_VDEV_DONE (not forwarded),
 * 0 (forward it: not such a device, or MAPC/INVALL/MOVALL/SYNC, noted),
 * -EINVAL (refused, @v says why).
 */
#define ITS_VDEV_DONE	1
int its_vdev_command(struct its *its, const u64 c[4], struct its_verdict *v);
/*
 * The hypervisor's queue (its->lock held): append one command (flushed at
 * once if the queue is full); hand what was appended to the ITS and wait
 * for it, false on a timeout or a stalled ITS (logged).
 */
void queue_put(struct its *its, const u64 out[4]);
bool queue_flush(struct its *its);
int its_table_room(struct its *its, unsigned int type, u32 id);
/* gicv3-its-handover.c */
void *hv_alloc(u64 size, u64 align);
bool wait_ms(struct its *its, unsigned int off, u64 mask, u64 want);
int its_take(struct its *its);
void its_give_back(struct its *its);

#endif
