/* Internal to the per-cell virtual ITS (vits.c) and its unit tests. */
#ifndef VITS_PRIV_H
#define VITS_PRIV_H

#include <wd/types.h>
#include <wd/spinlock.h>
#include <asm/vits.h>

#define VITS_MAX_DEVS		16	/* PCI devices of a cell with MSIs */
#define VITS_MAX_EVENTS		(1U << VITS_EVENT_BITS)
#define VITS_CMDS_PER_CALL	512	/* commands run per CWRITER/CREADR access */
#define VITS_LOG_BUDGET		32	/* refusal lines per vITS life */
#define VITS_LOG_EVERY		4096	/* then one count line per this many */
#define VITS_PEND_WORDS		(VITS_NUM_LPIS / 64)

#define GICR_CTLR_ENABLE_LPIS	BIT(0)
#define LPI_PROP_ENABLED	0x01
#define LPI_PROP_PRIO		0xfc

/* One interrupt translation entry; lpi 0: not mapped. */
struct vits_ite {
	u16 icid;
	u32 lpi;
};

struct vits_dev {
	u32 devid;		/* the BDF the cell's config gives the device */
	/* From mapped on: zeroed when the cell's last CPU parks. */
	bool mapped;		/* MAPD V=1 */
	bool msi_logged;	/* its first MSI was logged */
	u32 num_events;		/* 2^(MAPD Size + 1) */
	struct vits_ite ite[VITS_MAX_EVENTS];
};

/* A vCPU's redistributor LPI state and its pending vLPIs. */
struct vits_vcpu {
	u32 ctlr;		/* GICR_CTLR.EnableLPIs */
	u64 propbaser, pendbaser;
	bool dirty;		/* something to look at in pending[] */
	bool prop_logged;
	u64 delivered;		/* vLPIs put into list registers */
	u64 pending[VITS_PEND_WORDS];
};

struct vits {
	spinlock_t lock;	/* registers, devices, collections (not the pending sets) */
	struct cell *cell;
	u64 base;		/* guest-physical, the physical ITS's address */
	u64 pages;
	bool translater_logged;
	u64 cmds, refused, msis;
	unsigned int num_devs, num_colls;
	u16 slot[CONFIG_WD_MAX_CPUS];	/* CPU id -> index into vcpu[] + 1 */
	/* From ctlr to coll[]: zeroed when the cell's last CPU parks (one memset). */
	u32 ctlr;
	u64 cbaser, cwriter, creadr;
	bool stalled, queue_logged, cbaser_logged;
	unsigned int log_budget;
	u16 coll[CONFIG_WD_MAX_CPUS];	/* ICID -> CPU id + 1, 0: unmapped */
	struct vits_dev dev[VITS_MAX_DEVS];
	struct vits_vcpu vcpu[];	/* one per CPU of the cell */
};

#endif
