/*
 * Arm SMMUv3, stage 2 only: DMA isolation.
 *
 * A CPU of a cell is confined by the cell's stage-2 tables; a device the cell
 * owns is not, unless the SMMU translates its transactions with the same
 * tables. So every stream id of the system configuration's root cell gets a
 * stream table entry (STE) "stage-2 translate" with the root's tables and
 * VMID, and a cell's stream ids get the cell's while the cell exists. A
 * stream nobody owns has no valid STE: its transactions abort and are
 * recorded (C_BAD_STE / C_BAD_STREAMID). Stage 1 stays bypassed: Warden
 * does not emulate an SMMU for a guest (that would be nesting, see README).
 *
 * The STE's stage-2 fields are VTCR_EL2's bits [18:0] (T0SZ, SL0, IRGN0,
 * ORGN0, SH0, TG0, PS) in the same order, so they come from vtcr_value():
 * devices and CPUs walk the very same tables in the same format.
 *
 * The units are the hypervisor's: their registers are mapped for no cell,
 * and the command and event queues and stream tables are in the page pool.
 * Events are polled, not taken as interrupts (the unit's IRQ_CTRL stays 0):
 * on management calls and on WD_INFO_CELL_DMA_FAULTS, which the driver asks
 * for on every read of a cell's dma_faults and of the console. Faults are
 * logged with the stream id, the address and the owning cell, and counted
 * per cell; nothing is stopped for them.
 *
 * The system configuration must name only units that exist (the driver
 * checks the device tree before enable). Still, a unit's first register read
 * survives an external abort (probe.S: what QEMU's virt board and many
 * buses do where nothing answers), and ID registers that read as no SMMU
 * (zeros, all ones, another device's) are refused naming the address
 * before anything is written (smmuv3-id.c).
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/iommu.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/spinlock.h>
#include <wd/string.h>
#include <asm/smmuv3.h>
#include <asm/sysregs.h>

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

static struct smmu units[WD_IOMMU_MAX_UNITS];
static unsigned int num_units;
static spinlock_t smmu_lock;
/*
 * Owner of each of the root's stream ids (index = position in its list);
 * NULL: held, aborting, after its cell was destroyed (see cell_abort()).
 */
static struct cell **sid_owner;
static u64 sid_owner_pages;
static u32 dma_faults[MAX_FAULT_IDS];

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

static bool timed_out(u64 deadline)
{
	return timer_ticks() > deadline;
}

static u64 deadline_ms(u64 ms)
{
	return timer_ticks() + ms * timer_ticks_per_sec() / 1000;
}

static bool write_cr0(struct smmu *u, u32 v)
{
	u64 end = deadline_ms(100);

	wr32(u, CR0, v);
	while (rd32(u, CR0ACK) != v)
		if (timed_out(end))
			return false;
		else
			cpu_relax();
	return true;
}

static bool write_gbpa(struct smmu *u, u32 v)
{
	u64 end = deadline_ms(100);

	wr32(u, GBPA, v | GBPA_UPDATE);
	while (rd32(u, GBPA) & GBPA_UPDATE)
		if (timed_out(end))
			return false;
		else
			cpu_relax();
	return true;
}

static void *pages_aligned(u64 num)
{
	u64 addr = pool_alloc_aligned(&mem_pool, num, num);

	if (addr)
		memset((void *)(uintptr_t)addr, 0, num * PAGE_SIZE);
	return (void *)(uintptr_t)addr;
}

static const struct wd_stream_id *root_sids(unsigned int *n)
{
	*n = system_config->root_cell.num_stream_ids;
	return wd_cell_stream_ids(&system_config->root_cell);
}

/* Position of @sid in the root's list, or -1. */
static int root_sid_index(u32 sid)
{
	unsigned int n, i;
	const struct wd_stream_id *s = root_sids(&n);

	for (i = 0; i < n; i++)
		if (s[i].id == sid)
			return (int)i;
	return -1;
}

/* ---- command queue */

static bool cmdq_error(struct smmu *u)
{
	u32 gerr = rd32(u, GERROR) ^ rd32(u, GERRORN);
	u32 cons = rd32(u, CMDQ_CONS);
	u64 *bad;

	if (!(gerr & GERROR_CMDQ_ERR))
		return false;
	/* Replace the refused command by a SYNC (harmless) and let it go on. */
	bad = &u->cmdq[(cons & ((1U << u->cmdq_log2) - 1)) * 2];
	printk("SMMU 0x%llx: command 0x%02llx refused (error %u); skipped\n",
	       u->phys, bad[0] & 0xff, CMDQ_CONS_ERR(cons));
	bad[0] = CMD_SYNC;
	bad[1] = 0;
	dsb(sy);
	wr32(u, GERRORN, rd32(u, GERRORN) ^ GERROR_CMDQ_ERR);
	return true;
}

/* Index and wrap bit of the queue's read and write positions. */
static u32 q_pos(u32 v, unsigned int log2)
{
	return v & ((2U << log2) - 1);
}

static bool cmdq_full(struct smmu *u)
{
	u32 cons = q_pos(rd32(u, CMDQ_CONS), u->cmdq_log2);
	u32 size = 1U << u->cmdq_log2;

	return ((u->cmdq_prod ^ cons) & size) &&
	       (u->cmdq_prod & (size - 1)) == (cons & (size - 1));
}

static void cmdq_wait_empty(struct smmu *u)
{
	u64 end = deadline_ms(100);

	while (q_pos(rd32(u, CMDQ_CONS), u->cmdq_log2) != u->cmdq_prod) {
		if (cmdq_error(u))
			continue;
		if (timed_out(end)) {
			printk("SMMU 0x%llx: command queue stuck (prod 0x%x cons 0x%x)\n",
			       u->phys, u->cmdq_prod, rd32(u, CMDQ_CONS));
			return;
		}
		cpu_relax();
	}
}

static void cmd(struct smmu *u, u64 dw0, u64 dw1)
{
	u64 *e;

	if (cmdq_full(u))
		cmdq_wait_empty(u);
	e = &u->cmdq[(u->cmdq_prod & ((1U << u->cmdq_log2) - 1)) * 2];
	e[0] = dw0;
	e[1] = dw1;
	u->cmdq_prod = q_pos(u->cmdq_prod + 1, u->cmdq_log2);
	/* The entry (and any table it names) before the unit sees the index. */
	dsb(sy);
	wr32(u, CMDQ_PROD, u->cmdq_prod);
}

/* Everything issued so far has taken effect when this returns. */
static void cmd_sync(struct smmu *u)
{
	cmd(u, CMD_SYNC, 0);
	cmdq_wait_empty(u);
}

/* ---- stream table */

static u64 *ste_of(struct smmu *u, u32 sid)
{
	if (sid >> u->sid_bits)
		return NULL;
	if (!u->two_level)
		return &u->strtab[(u64)sid * STE_DWORDS];
	if (!(u->strtab[sid >> SPLIT] & 0x1f))
		return NULL;
	return (u64 *)(uintptr_t)(u->strtab[sid >> SPLIT] & 0x000fffffffffffc0ULL) +
	       (sid & ((1U << SPLIT) - 1)) * STE_DWORDS;
}

static void ste_for(const struct cell *cell, u64 ste[STE_DWORDS])
{
	memset(ste, 0, STE_DWORDS * sizeof(u64));
	ste[0] = STE_V | STE_CFG_S2;
	ste[1] = STE1_SHCFG_INCOMING;
	ste[2] = cell->vmid | (vtcr_value() & STE2_VTCR_MASK) << 32 |
		 STE2_S2AA64 | STE2_S2R;
	ste[3] = (u64)(uintptr_t)cell->stage2.root & STE3_S2TTB_MASK;
}

/*
 * Point @sid at @cell's tables. A live entry is made invalid first (and the
 * unit told), so that it never sees half of the old and half of the new
 * one; the device's transactions in between abort.
 */
static void ste_install(struct smmu *u, u32 sid, const struct cell *cell,
			bool live)
{
	u64 *e = ste_of(u, sid), ste[STE_DWORDS];
	unsigned int n;

	if (!e)
		return;
	ste_for(cell, ste);
	if (live && (e[0] & STE_V)) {
		__atomic_store_n(&e[0], 0, __ATOMIC_RELAXED);
		cmd(u, CMD_CFGI_STE | (u64)sid << 32, 1);
		cmd_sync(u);
	}
	for (n = 1; n < STE_DWORDS; n++)
		e[n] = ste[n];
	dsb(sy);
	__atomic_store_n(&e[0], ste[0], __ATOMIC_RELAXED);
	if (live)
		cmd(u, CMD_CFGI_STE | (u64)sid << 32, 1);
}

static unsigned int bits_for(u32 max)
{
	unsigned int bits = 0;

	while (bits < 32 && (max >> bits))
		bits++;
	return bits;
}

/* Tables big enough for the root's stream ids (cells can only use those). */
static int alloc_tables(struct smmu *u, u32 idr0, u32 idr1)
{
	unsigned int n, i, l1_entries;
	const struct wd_stream_id *s = root_sids(&n);
	u32 max = 0;

	for (i = 0; i < n; i++)
		if (s[i].id > max)
			max = s[i].id;
	u->sid_bits = bits_for(max);
	if (u->sid_bits > IDR1_SIDSIZE(idr1))
		return refuse(-EINVAL, WD_REASON_PLATFORM, max, u->phys,
			      "SMMU 0x%llx: stream id 0x%x of the root cell is beyond the unit's %u stream id bits",
			      u->phys, max, IDR1_SIDSIZE(idr1));
	u->two_level = IDR0_ST_LEVEL(idr0) == 1 && u->sid_bits > SPLIT;
	if (u->two_level) {
		l1_entries = 1U << (u->sid_bits - SPLIT);
		u->strtab_pages = PAGES(l1_entries * 8ULL);
		u->l2_pages = l1_entries;
	} else {
		u->strtab_pages = PAGES(64ULL << u->sid_bits);
		u->l2_pages = 0;
	}
	u->strtab = pages_aligned(u->strtab_pages);
	if (u->two_level)
		u->l2 = page_alloc(u->l2_pages);
	u->cmdq_log2 = MIN(CMDQ_LOG2, IDR1_CMDQS(idr1));
	u->evtq_log2 = MIN(EVTQ_LOG2, IDR1_EVENTQS(idr1));
	u->cmdq = page_alloc(1);
	u->evtq = page_alloc(1);
	if (!u->strtab || (u->two_level && !u->l2) || !u->cmdq || !u->evtq)
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, u->phys,
			      "SMMU 0x%llx: no memory for its stream table and queues (page pool %llu/%llu used)",
			      u->phys, mem_pool.used, mem_pool.pages);
	/* Level 1 describes every level-2 table: a stream id never walks a hole. */
	for (i = 0; u->two_level && i < l1_entries; i++)
		u->strtab[i] = ((u64)(uintptr_t)u->l2 + (u64)i * PAGE_SIZE) |
			       (SPLIT + 1);
	return 0;
}

static void free_tables(struct smmu *u)
{
	if (u->strtab)
		pool_free(&mem_pool, (u64)(uintptr_t)u->strtab, u->strtab_pages);
	if (u->l2)
		page_free(u->l2, u->l2_pages);
	if (u->cmdq)
		page_free(u->cmdq, 1);
	if (u->evtq)
		page_free(u->evtq, 1);
	u->strtab = u->l2 = u->cmdq = u->evtq = NULL;
}

static unsigned int oas_bits(u32 oas)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return oas < sizeof(bits) ? bits[oas] : 48;
}

static int probe(struct smmu *u, const struct wd_iommu *cfg, unsigned int idx)
{
	u32 idr0, idr1, idr5, iidr, aidr, cr0;
	const char *why;
	unsigned int ipa_bits = 64 - (unsigned int)(vtcr_value() & 0x3f);
	void *regs;
	int err;

	u->phys = cfg->base;
	if (cfg->size < 0x20000)
		return refuse(-EINVAL, WD_REASON_PLATFORM, idx, cfg->base,
			      "IOMMU unit #%u (SMMUv3 at 0x%llx): size 0x%x, but an SMMUv3 has two 64 KiB register pages",
			      idx, cfg->base, cfg->size);
	err = arch_map_device(cfg->base, 0x20000, &regs);
	if (err)
		return err;
	u->regs = regs;
	/* The first read may find nothing there: an abort is survived. */
	if (probe_read32((const volatile u32 *)(u->regs + IDR0), &idr0))
		return refuse(-ENODEV, WD_REASON_PLATFORM, idx, cfg->base,
			      "IOMMU unit #%u: no SMMUv3 at 0x%llx (reading IDR0 was an external abort: nothing answers there)",
			      idx, cfg->base);
	idr1 = rd32(u, IDR1);
	idr5 = rd32(u, IDR5);
	iidr = rd32(u, IIDR);
	aidr = rd32(u, AIDR);
	why = smmuv3_id_implausible(idr0, idr1, aidr);
	if (why)
		return refuse(-ENODEV, WD_REASON_PLATFORM, idx, cfg->base,
			      "IOMMU unit #%u: no SMMUv3 at 0x%llx (%s: IDR0 0x%x IDR1 0x%x IIDR 0x%x AIDR 0x%x)",
			      idx, cfg->base, why, idr0, idr1, iidr, aidr);
	/* Only now is CR0 read: the ID registers say this is an SMMU. */
	cr0 = rd32(u, CR0);
	if (cr0 & CR0_SMMUEN)
		return refuse(-EBUSY, WD_REASON_PLATFORM, idx, cfg->base,
			      "SMMU 0x%llx is in use by Linux's arm-smmu-v3 driver; boot with initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 (or the unit disabled in the device tree)",
			      cfg->base);
	if (!(idr0 & IDR0_S2P) || !(idr0 & IDR0_TTF_AA64) || !(idr5 & IDR5_GRAN4K))
		return refuse(-EOPNOTSUPP, WD_REASON_PLATFORM, idx, cfg->base,
			      "SMMU 0x%llx has no AArch64 stage-2 translation with 4 KiB pages (IDR0 0x%x, IDR5 0x%x)",
			      cfg->base, idr0, idr5);
	if (!(idr0 & IDR0_COHACC))
		return refuse(-EOPNOTSUPP, WD_REASON_PLATFORM, idx, cfg->base,
			      "SMMU 0x%llx does not snoop CPU caches (IDR0.COHACC 0): not supported",
			      cfg->base);
	if (idr1 & IDR1_PRESET)
		return refuse(-EOPNOTSUPP, WD_REASON_PLATFORM, idx, cfg->base,
			      "SMMU 0x%llx has preset tables or queues (IDR1 0x%x): not supported",
			      cfg->base, idr1);
	if (oas_bits(IDR5_OAS(idr5)) < ipa_bits)
		return refuse(-EOPNOTSUPP, WD_REASON_PLATFORM, idx, cfg->base,
			      "SMMU 0x%llx translates %u-bit addresses, the CPUs' stage 2 %u bits",
			      cfg->base, oas_bits(IDR5_OAS(idr5)), ipa_bits);
	u->vmid16 = idr0 & IDR0_VMID16;
	return alloc_tables(u, idr0, idr1);
}

static bool ranges_meet(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

int smmu_init(void)
{
	const struct wd_platform *pf = &system_config->platform;
	const struct wd_cell_desc *root = &system_config->root_cell;
	const struct wd_mem_region *mem = wd_cell_mem_regions(root);
	unsigned int i, n, nsids;
	int err;

	root_sids(&nsids);
	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++) {
		const struct wd_iommu *cfg = &pf->iommu_units[i];

		if (cfg->type != WD_IOMMU_SMMUV3)
			continue;
		/* Not where the hypervisor itself lives (tables, pool, image). */
		if (ranges_meet(system_config->hypervisor_memory.phys_start,
				system_config->hypervisor_memory.size, cfg->base, cfg->size))
			return refuse(-EINVAL, WD_REASON_PLATFORM, i, cfg->base,
				      "IOMMU unit #%u (SMMUv3 at 0x%llx-0x%llx) is inside hypervisor memory 0x%llx-0x%llx",
				      i, cfg->base, cfg->base + cfg->size - 1,
				      system_config->hypervisor_memory.phys_start,
				      system_config->hypervisor_memory.phys_start +
				      system_config->hypervisor_memory.size - 1);
		/* The registers are the hypervisor's: no cell may map them. */
		for (n = 0; n < root->num_memory_regions; n++)
			if (ranges_meet(mem[n].phys_start, mem[n].size, cfg->base,
					cfg->size))
				return refuse(-EINVAL, WD_REASON_MEMORY, n, mem[n].phys_start,
					      "root cell memory region #%u (phys 0x%llx-0x%llx) maps the registers of SMMU 0x%llx, which only the hypervisor may use",
					      n, mem[n].phys_start,
					      mem[n].phys_start + mem[n].size - 1, cfg->base);
		err = probe(&units[num_units], cfg, i);
		num_units++;
		if (err) {
			smmu_shutdown();
			return err;
		}
	}
	if (num_units && nsids) {
		sid_owner_pages = PAGES(nsids * sizeof(*sid_owner));
		sid_owner = page_alloc(sid_owner_pages);
		if (!sid_owner) {
			smmu_shutdown();
			return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, 0,
				      "no memory for the owners of %u stream ids", nsids);
		}
	}
	if (num_units)
		printk("SMMUv3: %u unit(s), %u stream id(s) of the root cell%s\n",
		       num_units, nsids,
		       nsids ? "" : ": every device behind the units is blocked");
	return 0;
}

static void enable_unit(struct smmu *u)
{
	u->saved_cr0 = rd32(u, CR0);
	u->saved_cr1 = rd32(u, CR1);
	u->saved_cr2 = rd32(u, CR2);
	u->saved_gbpa = rd32(u, GBPA);
	u->saved_irq_ctrl = rd32(u, IRQ_CTRL);
	u->saved_strtab_base = rd64(u, STRTAB_BASE);
	u->saved_strtab_cfg = rd32(u, STRTAB_BASE_CFG);
	u->saved_cmdq_base = rd64(u, CMDQ_BASE);
	u->saved_cmdq_prod = rd32(u, CMDQ_PROD);
	u->saved_cmdq_cons = rd32(u, CMDQ_CONS);
	u->saved_evtq_base = rd64(u, EVENTQ_BASE);
	u->saved_evtq_prod = rd32(u, EVENTQ_PROD);
	u->saved_evtq_cons = rd32(u, EVENTQ_CONS);
	u->enabled = true;

	/* While the unit is off from here on, transactions abort, never bypass. */
	write_gbpa(u, (u->saved_gbpa & ~GBPA_UPDATE) | GBPA_ABORT);
	write_cr0(u, 0);
	wr32(u, IRQ_CTRL, 0);		/* polled, see smmu_poll() */
	wr32(u, CR1, CR1_VALUE);
	wr32(u, CR2, CR2_RECINVSID | CR2_PTM);
	wr64(u, STRTAB_BASE, BASE_RA | (u64)(uintptr_t)u->strtab);
	wr32(u, STRTAB_BASE_CFG, u->sid_bits |
		 (u->two_level ? FMT_2LEVEL | SPLIT << 6 : 0));
	wr64(u, CMDQ_BASE, BASE_RA | (u64)(uintptr_t)u->cmdq | u->cmdq_log2);
	wr32(u, CMDQ_PROD, 0);
	wr32(u, CMDQ_CONS, 0);
	u->cmdq_prod = 0;
	wr64(u, EVENTQ_BASE, BASE_RA | (u64)(uintptr_t)u->evtq | u->evtq_log2);
	wr32(u, EVENTQ_PROD, 0);
	wr32(u, EVENTQ_CONS, 0);
	/* Old global errors are not ours to report. */
	wr32(u, GERRORN, rd32(u, GERROR));
	dsb(sy);
	write_cr0(u, CR0_CMDQEN);
	/* Nothing cached from Linux's or firmware's use may survive. */
	cmd(u, CMD_CFGI_ALL, 31);
	cmd(u, CMD_TLBI_NSNH_ALL, 0);
	cmd(u, CMD_TLBI_EL2_ALL, 0);
	cmd_sync(u);
	write_cr0(u, CR0_CMDQEN | CR0_EVENTQEN);
	if (!write_cr0(u, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN))
		printk("SMMU 0x%llx: did not acknowledge the enable\n", u->phys);
}

void smmu_root_attach(struct cell *root)
{
	unsigned int n, i, k;
	const struct wd_stream_id *s = root_sids(&n);

	if (!num_units)
		return;
	spin_lock(&smmu_lock);
	for (i = 0; i < n; i++) {
		sid_owner[i] = root;
		for (k = 0; k < num_units; k++)
			ste_install(&units[k], s[i].id, root, false);
	}
	for (k = 0; k < num_units; k++)
		enable_unit(&units[k]);
	spin_unlock(&smmu_lock);
	printk("SMMUv3: DMA isolation on, %u stream id(s) translated by the root cell's stage 2 (VTCR 0x%llx)\n",
	       n, vtcr_value());
}

int smmu_cell_check(const struct wd_cell_desc *c)
{
	const struct wd_stream_id *s = wd_cell_stream_ids(c);
	unsigned int i;
	int idx;

	if (c->num_stream_ids && !num_units)
		return refuse(-ENODEV, WD_REASON_PLATFORM, s[0].id, 0,
			      "cell '%s': %u stream id(s), but the system configuration has no SMMUv3 unit to isolate them",
			      c->name, c->num_stream_ids);
	for (i = 0; i < c->num_stream_ids; i++) {
		idx = root_sid_index(s[i].id);
		if (idx < 0)
			return refuse(-EBUSY, WD_REASON_CONFIG, s[i].id, 0,
				      "cell '%s': stream id 0x%x is not one of the root cell's",
				      c->name, s[i].id);
		if (!sid_owner[idx])
			return refuse(-EBUSY, WD_REASON_CONFIG, s[i].id, 0,
				      "cell '%s': stream id 0x%x is held aborted since its last cell was destroyed (its device was not reset and returned to the root)",
				      c->name, s[i].id);
		if (sid_owner[idx] != &root_cell)
			return refuse(-EBUSY, WD_REASON_CONFIG, s[i].id, 0,
				      "cell '%s': stream id 0x%x belongs to cell '%s'",
				      c->name, s[i].id, sid_owner[idx]->config->name);
	}
	return 0;
}

/* Give each of @cell's stream ids to @to on every unit (lock held). */
static void move_streams(const struct cell *cell, struct cell *to)
{
	const struct wd_stream_id *s = wd_cell_stream_ids(cell->config);
	unsigned int i, k;
	int idx;

	for (i = 0; i < cell->config->num_stream_ids; i++) {
		idx = root_sid_index(s[i].id);
		if (idx < 0)
			continue;
		/* On the way back, only what the cell really got. */
		if (to == &root_cell && sid_owner[idx] != cell)
			continue;
		sid_owner[idx] = to;
		for (k = 0; k < num_units; k++)
			ste_install(&units[k], s[i].id, to, true);
	}
}

static void tlbi_vmid(u16 vmid)
{
	unsigned int k;

	for (k = 0; k < num_units; k++) {
		cmd(&units[k], CMD_TLBI_S12_VMALL | (u64)vmid << 32, 0);
		cmd_sync(&units[k]);
	}
}

static void poll_locked(void);

void smmu_cell_attach(struct cell *cell)
{
	if (!num_units)
		return;
	spin_lock(&smmu_lock);
	poll_locked();		/* faults so far are the previous owner's */
	/* The count of an earlier cell with this id is not this one's. */
	if (cell->id < MAX_FAULT_IDS)
		dma_faults[cell->id] = 0;
	if (!cell->config->num_stream_ids) {
		spin_unlock(&smmu_lock);
		return;
	}
	/* A destroyed cell with the same VMID may have left translations. */
	tlbi_vmid(cell->vmid);
	move_streams(cell, cell);
	tlbi_vmid(cell->vmid);
	spin_unlock(&smmu_lock);
	printk("SMMUv3: %u stream id(s) moved to cell '%s' (VMID %u)\n",
	       cell->config->num_stream_ids, cell->config->name, cell->vmid);
}

void smmu_cell_detach(struct cell *cell)
{
	if (!num_units || !cell->config->num_stream_ids)
		return;
	spin_lock(&smmu_lock);
	poll_locked();		/* the cell's faults are reported as its own */
	move_streams(cell, &root_cell);
	tlbi_vmid(cell->vmid);
	spin_unlock(&smmu_lock);
}

/*
 * Destroy, before the cell's memory is scrubbed and returned: every stream
 * the cell has aborts from here on (whatever the device still does, it
 * reaches neither the cell's old memory nor anybody else's), the units'
 * cached configuration and translations of the cell's VMID are invalidated,
 * and a SYNC waits for both. The streams stay held (owner NULL) until the
 * root's driver has reset the device and asks for them (smmu_stream_return).
 */
unsigned int smmu_cell_abort(struct cell *cell)
{
	const struct wd_stream_id *s = wd_cell_stream_ids(cell->config);
	unsigned int i, k, held = 0;
	u64 *e;
	int idx;

	if (!num_units || !cell->config->num_stream_ids)
		return 0;
	spin_lock(&smmu_lock);
	poll_locked();		/* the cell's faults are reported as its own */
	for (i = 0; i < cell->config->num_stream_ids; i++) {
		idx = root_sid_index(s[i].id);
		if (idx < 0 || sid_owner[idx] != cell)
			continue;
		sid_owner[idx] = NULL;
		held++;
		for (k = 0; k < num_units; k++) {
			e = ste_of(&units[k], s[i].id);
			if (!e)
				continue;
			/* One 64-bit store: the unit sees the old entry or "abort". */
			__atomic_store_n(&e[0], STE_ABORT, __ATOMIC_RELAXED);
			dsb(sy);
			cmd(&units[k], CMD_CFGI_STE | (u64)s[i].id << 32, 1);
		}
	}
	for (k = 0; k < num_units; k++) {
		cmd(&units[k], CMD_TLBI_S12_VMALL | (u64)cell->vmid << 32, 0);
		cmd_sync(&units[k]);
	}
	spin_unlock(&smmu_lock);
	if (held)
		printk("SMMUv3: %u stream id(s) of cell '%s' abort until their devices are reset and returned\n",
		       held, cell->config->name);
	return held;
}

/* A held stream translates with the root's stage 2 again (root's request). */
int smmu_stream_return(u32 sid)
{
	unsigned int k;
	int idx;

	if (!num_units)
		return refuse(-ENODEV, WD_REASON_PLATFORM, sid, 0,
			      "stream id 0x%x: there is no SMMU", sid);
	idx = root_sid_index(sid);
	if (idx < 0)
		return refuse(-EINVAL, WD_REASON_CONFIG, sid, 0,
			      "stream id 0x%x is not one of the root cell's", sid);
	spin_lock(&smmu_lock);
	if (sid_owner[idx] == &root_cell) {
		spin_unlock(&smmu_lock);
		return 0;
	}
	if (sid_owner[idx]) {
		struct cell *owner = sid_owner[idx];

		spin_unlock(&smmu_lock);
		return refuse(-EBUSY, WD_REASON_CONFIG, sid, 0,
			      "stream id 0x%x belongs to cell '%s': only a held stream can be returned",
			      sid, owner->config->name);
	}
	poll_locked();		/* faults while held are nobody's */
	sid_owner[idx] = &root_cell;
	for (k = 0; k < num_units; k++) {
		ste_install(&units[k], sid, &root_cell, true);
		cmd_sync(&units[k]);
	}
	spin_unlock(&smmu_lock);
	printk("SMMUv3: stream id 0x%x is the root cell's again\n", sid);
	return 0;
}

void smmu_tlb_flush(const struct cell *cell)
{
	if (!num_units)
		return;
	spin_lock(&smmu_lock);
	tlbi_vmid(cell->vmid);
	poll_locked();
	spin_unlock(&smmu_lock);
}

/* ---- events */

static const char *event_name(unsigned int type)
{
	switch (type) {
	case 0x01: return "F_UUT";
	case 0x02: return "C_BAD_STREAMID";
	case 0x03: return "F_STE_FETCH";
	case 0x04: return "C_BAD_STE";
	case 0x05: return "F_BAD_ATS_TREQ";
	case 0x06: return "F_STREAM_DISABLED";
	case 0x07: return "F_TRANSL_FORBIDDEN";
	case 0x08: return "C_BAD_SUBSTREAMID";
	case 0x09: return "F_CD_FETCH";
	case 0x0a: return "C_BAD_CD";
	case 0x0b: return "F_WALK_EABT";
	case 0x10: return "F_TRANSLATION";
	case 0x11: return "F_ADDR_SIZE";
	case 0x12: return "F_ACCESS";
	case 0x13: return "F_PERMISSION";
	case 0x20: return "F_TLB_CONFLICT";
	case 0x21: return "F_CFG_CONFLICT";
	case 0x24: return "E_PAGE_REQUEST";
	case 0x25: return "F_VMS_FETCH";
	default: return "unknown event";
	}
}

/* Events whose second and third words say what the device accessed. */
static bool event_has_address(unsigned int type)
{
	return type == 0x01 || type == 0x07 || (type >= 0x0b && type <= 0x13);
}

/*
 * A device's faulting transfer is often a burst of small accesses: one line
 * for the first, and the rest of the same kind on the same stream (address
 * going up) folded into a summary line.
 */
struct fault_run {
	unsigned int type, count;
	u32 sid;
	u64 last, flags;
	struct cell *owner;
};

static void run_flush(struct smmu *u, struct fault_run *run)
{
	if (run->count > 1)
		printk("SMMU 0x%llx: ... and %u more %s faults of stream id 0x%x up to 0x%llx\n",
		       u->phys, run->count - 1, event_name(run->type), run->sid,
		       run->last);
	run->count = 0;
}

static void log_event(struct smmu *u, const u64 *ev, struct fault_run *run,
		      unsigned int *lines)
{
	unsigned int type = ev[0] & 0xff;
	u32 sid = (u32)(ev[0] >> 32);
	int idx = root_sid_index(sid);
	struct cell *owner = idx >= 0 ? sid_owner[idx] : NULL;
	u64 flags = ev[1] & (1ULL << 35 | 1ULL << 39);

	if (owner && owner->id < MAX_FAULT_IDS)
		dma_faults[owner->id]++;
	if (run->count && run->type == type && run->sid == sid &&
	    run->flags == flags && run->owner == owner &&
	    ev[2] >= run->last && ev[2] - run->last <= PAGE_SIZE) {
		run->count++;
		run->last = ev[2];
		return;
	}
	run_flush(u, run);
	if (++*lines > MAX_LOGGED_EVENTS)
		return;
	run->type = type;
	run->sid = sid;
	run->flags = flags;
	run->owner = owner;
	run->last = ev[2];
	run->count = event_has_address(type) ? 1 : 0;
	if (event_has_address(type))
		printk("SMMU 0x%llx: DMA fault %s: stream id 0x%x (cell '%s') %s at 0x%llx%s\n",
		       u->phys, event_name(type), sid,
		       owner ? owner->config->name : "none",
		       ev[1] & (1ULL << 35) ? "read" : "write", ev[2],
		       ev[1] & (1ULL << 39) ? " (stage 2)" : "");
	else
		printk("SMMU 0x%llx: DMA fault %s: stream id 0x%x (%s%s%s)\n",
		       u->phys, event_name(type), sid,
		       owner ? "cell '" : "owned by no cell",
		       owner ? owner->config->name : "", owner ? "'" : "");
}

static void poll_unit(struct smmu *u)
{
	u32 size = 1U << u->evtq_log2, prod, cons, gerr;
	struct fault_run run = { .count = 0 };
	unsigned int lines = 0;

	gerr = (rd32(u, GERROR) ^ rd32(u, GERRORN)) & ~GERROR_CMDQ_ERR;
	if (gerr) {
		printk("SMMU 0x%llx: global error 0x%x acknowledged\n", u->phys, gerr);
		wr32(u, GERRORN, rd32(u, GERRORN) ^ gerr);
	}
	prod = rd32(u, EVENTQ_PROD);
	cons = rd32(u, EVENTQ_CONS);
	dsb(sy);	/* the records before the index that announced them */
	while (q_pos(cons, u->evtq_log2) != q_pos(prod, u->evtq_log2)) {
		log_event(u, &u->evtq[(cons & (size - 1)) * 4], &run, &lines);
		cons = (cons & Q_OVF) | q_pos(cons + 1, u->evtq_log2);
		wr32(u, EVENTQ_CONS, cons);
	}
	run_flush(u, &run);
	if (lines > MAX_LOGGED_EVENTS)
		printk("SMMU 0x%llx: %u more DMA fault(s) not shown\n", u->phys,
		       lines - MAX_LOGGED_EVENTS);
	if ((prod ^ cons) & Q_OVF) {
		printk("SMMU 0x%llx: event queue overflowed, DMA faults were lost\n",
		       u->phys);
		wr32(u, EVENTQ_CONS, (cons & ~Q_OVF) | (prod & Q_OVF));
	}
}

static void poll_locked(void)
{
	unsigned int k;

	for (k = 0; k < num_units; k++)
		if (units[k].enabled)
			poll_unit(&units[k]);
}

void smmu_poll(void)
{
	if (!num_units)
		return;
	spin_lock(&smmu_lock);
	poll_locked();
	spin_unlock(&smmu_lock);
}

long smmu_cell_faults(unsigned long id)
{
	if (id >= MAX_FAULT_IDS || !cell_by_id((unsigned int)id))
		return -ENOENT;
	smmu_poll();
	return dma_faults[id];
}

/* ---- giving the units back */

static void restore_unit(struct smmu *u)
{
	if (!u->enabled)
		return;
	/* Abort (GBPA set at enable) while the registers change. */
	write_cr0(u, 0);
	wr32(u, IRQ_CTRL, u->saved_irq_ctrl);
	wr32(u, CR1, u->saved_cr1);
	wr32(u, CR2, u->saved_cr2);
	wr64(u, STRTAB_BASE, u->saved_strtab_base);
	wr32(u, STRTAB_BASE_CFG, u->saved_strtab_cfg);
	wr64(u, CMDQ_BASE, u->saved_cmdq_base);
	wr32(u, CMDQ_PROD, u->saved_cmdq_prod);
	wr32(u, CMDQ_CONS, u->saved_cmdq_cons);
	wr64(u, EVENTQ_BASE, u->saved_evtq_base);
	wr32(u, EVENTQ_PROD, u->saved_evtq_prod);
	wr32(u, EVENTQ_CONS, u->saved_evtq_cons);
	wr32(u, GERRORN, rd32(u, GERROR));
	write_gbpa(u, u->saved_gbpa & ~GBPA_UPDATE);
	/* SMMUEN was off at enable (refused otherwise): queues as they were. */
	write_cr0(u, u->saved_cr0);
	u->enabled = false;
}

void smmu_shutdown(void)
{
	unsigned int k;

	spin_lock(&smmu_lock);
	poll_locked();
	for (k = 0; k < num_units; k++) {
		restore_unit(&units[k]);
		free_tables(&units[k]);
	}
	if (sid_owner)
		page_free(sid_owner, sid_owner_pages);
	sid_owner = NULL;
	if (num_units)
		printk("SMMUv3: %u unit(s) given back as Linux left them\n", num_units);
	num_units = 0;
	spin_unlock(&smmu_lock);
}

const struct iommu_ops smmuv3_iommu_ops = {
	.name = "SMMUv3",
	.init = smmu_init,
	.shutdown = smmu_shutdown,
	.root_attach = smmu_root_attach,
	.cell_check = smmu_cell_check,
	.cell_attach = smmu_cell_attach,
	.cell_detach = smmu_cell_detach,
	.cell_abort = smmu_cell_abort,
	.stream_return = smmu_stream_return,
	.tlb_flush = smmu_tlb_flush,
	.poll = smmu_poll,
	.cell_faults = smmu_cell_faults,
};
