/*
 * What the SMMUv3 files share (smmuv3.c: probe, enable, ownership of the
 * streams and the IOMMU ops; smmuv3-queue.c: the command queue;
 * smmuv3-strtab.c: the stream table; smmuv3-events.c: fault reporting):
 * the unit's registers, its state, and the stream ownership.
 */
#ifndef SMMUV3_HW_H
#define SMMUV3_HW_H

#include <wd/types.h>
#include <wd/spinlock.h>

struct cell;
struct wd_stream_id;

/* Registers (page 0 unless noted) */
#define IDR0			0x00
#define  IDR0_S2P		(1U << 0)
#define  IDR0_TTF_AA64		(1U << 3)
#define  IDR0_COHACC		(1U << 4)
#define  IDR0_VMID16		(1U << 18)
#define  IDR0_ST_LEVEL(v)	(((v) >> 27) & 3)
#define IDR1			0x04
#define  IDR1_SIDSIZE(v)	((v) & 0x3f)
#define  IDR1_EVENTQS(v)	(((v) >> 16) & 0x1f)
#define  IDR1_CMDQS(v)		(((v) >> 21) & 0x1f)
#define  IDR1_PRESET		(3U << 29)	/* TABLES_PRESET, QUEUES_PRESET */
#define IDR5			0x14
#define  IDR5_OAS(v)		((v) & 7)
#define  IDR5_GRAN4K		(1U << 4)
#define IIDR			0x18
#define AIDR			0x1c
#define CR0			0x20
#define  CR0_SMMUEN		(1U << 0)
#define  CR0_EVENTQEN		(1U << 2)
#define  CR0_CMDQEN		(1U << 3)
#define CR0ACK			0x24
#define CR1			0x28
#define CR2			0x2c
#define  CR2_RECINVSID		(1U << 1)
#define  CR2_PTM		(1U << 2)
#define GBPA			0x44
#define  GBPA_UPDATE		(1U << 31)
#define  GBPA_ABORT		(1U << 20)
#define IRQ_CTRL		0x50
#define IRQ_CTRLACK		0x54
#define GERROR			0x60
#define  GERROR_CMDQ_ERR	(1U << 0)
#define GERRORN			0x64
#define STRTAB_BASE		0x80
#define STRTAB_BASE_CFG		0x88
#define CMDQ_BASE		0x90
#define CMDQ_PROD		0x98
#define CMDQ_CONS		0x9c
#define  CMDQ_CONS_ERR(v)	(((v) >> 24) & 0x7f)
#define EVENTQ_BASE		0xa0
#define EVENTQ_PROD		0x100a8		/* page 1 */
#define EVENTQ_CONS		0x100ac		/* page 1 */
#define  Q_OVF			(1U << 31)

#define BASE_RA			(1ULL << 62)	/* read/write-allocate hint */
/* Tables and queues: inner/outer write-back, inner shareable (coherent unit). */
#define CR1_VALUE		(1U << 0 | 1U << 2 | 3U << 4 | 1U << 6 | 1U << 8 | 3U << 10)

/* Stream table */
#define STE_DWORDS		8
#define STE_V			(1ULL << 0)
#define STE_CFG_S2		(6ULL << 1)	/* stage 1 bypass, stage 2 translate */
#define STE_ABORT		STE_V		/* valid, Config 0b000: abort, no event */
#define STE1_SHCFG_INCOMING	(1ULL << 44)
#define STE2_S2AA64		(1ULL << 51)
#define STE2_S2R		(1ULL << 58)	/* record stage-2 faults */
#define STE2_VTCR_MASK		0x7ffffULL	/* VTCR_EL2[18:0] = STE dword 2 [50:32] */
#define STE3_S2TTB_MASK		0x000ffffffffffff0ULL
#define SPLIT			6		/* 64 STEs = one page per level-2 table */
#define FMT_2LEVEL		(1U << 16)

/* Commands */
#define CMD_CFGI_STE		0x03
#define CMD_CFGI_ALL		0x04
#define CMD_TLBI_EL2_ALL	0x20
#define CMD_TLBI_S12_VMALL	0x28
#define CMD_TLBI_NSNH_ALL	0x30
#define CMD_SYNC		0x46

#define CMDQ_LOG2		8		/* 256 x 16 bytes: one page */
#define EVTQ_LOG2		7		/* 128 x 32 bytes: one page */
#define MAX_LOGGED_EVENTS	8		/* per poll and unit; the rest are counted */
#define MAX_FAULT_IDS		256

struct smmu {
	u64 phys;
	u8 *regs;
	bool vmid16, two_level, enabled;
	unsigned int sid_bits;		/* the table covers stream ids < 2^sid_bits */
	u64 *strtab;			/* linear table, or level 1 */
	u64 strtab_pages;
	u64 *l2;			/* level-2 tables, contiguous, 64 STEs each */
	u64 l2_pages;
	u64 *cmdq, *evtq;
	unsigned int cmdq_log2, evtq_log2;
	u32 cmdq_prod;
	/* What Linux left in the registers, given back at disable. */
	u32 saved_cr0, saved_cr1, saved_cr2, saved_gbpa, saved_irq_ctrl;
	u32 saved_strtab_cfg, saved_cmdq_prod, saved_cmdq_cons;
	u32 saved_evtq_prod, saved_evtq_cons;
	u64 saved_strtab_base, saved_cmdq_base, saved_evtq_base;
};

extern struct smmu smmu_units[WD_IOMMU_MAX_UNITS];
extern unsigned int smmu_num_units;
extern spinlock_t smmu_lock;
/*
 * Owner of each of the root's stream ids (index = position in its list);
 * NULL: held, aborting, after its cell was destroyed (smmu_cell_abort()).
 */
extern struct cell **smmu_sid_owner;
extern u32 smmu_dma_faults[MAX_FAULT_IDS];

static inline u32 rd32(struct smmu *u, u32 off)
{
	return *(volatile u32 *)(u->regs + off);
}

static inline void wr32(struct smmu *u, u32 off, u32 v)
{
	*(volatile u32 *)(u->regs + off) = v;
}

static inline u64 rd64(struct smmu *u, u32 off)
{
	return *(volatile u64 *)(u->regs + off);
}

static inline void wr64(struct smmu *u, u32 off, u64 v)
{
	*(volatile u64 *)(u->regs + off) = v;
}

/* Index and wrap bit of a queue's read and write positions. */
static inline u32 q_pos(u32 v, unsigned int log2)
{
	return v & ((2U << log2) - 1);
}

/* smmuv3-queue.c */
u64 deadline_ms(u64 ms);
bool timed_out(u64 deadline);
bool write_cr0(struct smmu *u, u32 v);
bool write_gbpa(struct smmu *u, u32 v);
void cmd(struct smmu *u, u64 dw0, u64 dw1);
void cmd_sync(struct smmu *u);
/* Every unit forgets the translations of @vmid (lock held). */
void tlbi_vmid(u16 vmid);

/* smmuv3-strtab.c */
const struct wd_stream_id *root_sids(unsigned int *n);
int root_sid_index(u32 sid);
u64 *ste_of(struct smmu *u, u32 sid);
void ste_install(struct smmu *u, u32 sid, const struct cell *cell, bool live);
bool ste_retarget(struct smmu *u, u32 sid, const struct cell *cell);
int alloc_tables(struct smmu *u, u32 idr0, u32 idr1);
void free_tables(struct smmu *u);

/* smmuv3-events.c: report what the units recorded (lock held) */
void poll_locked(void);

#endif
