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
 *
 * This file: probing the units, switching them on and back off, which cell
 * owns which stream, and the IOMMU ops (wd/iommu.h). The command queue,
 * stream table and fault reporting are smmuv3-queue.c, smmuv3-strtab.c and
 * smmuv3-events.c.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/dma-view.h>
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
#include "smmuv3-hw.h"
#include <wd/in-slot.h>

struct smmu smmu_units[WD_IOMMU_MAX_UNITS];
unsigned int smmu_num_units;
spinlock_t smmu_lock;
struct cell **smmu_sid_owner;
static u64 smmu_sid_owner_pages;
u32 smmu_dma_faults[MAX_FAULT_IDS];

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
		err = probe(&smmu_units[smmu_num_units], cfg, i);
		smmu_num_units++;
		if (err) {
			smmu_shutdown();
			return err;
		}
	}
	if (smmu_num_units && nsids) {
		smmu_sid_owner_pages = PAGES(nsids * sizeof(*smmu_sid_owner));
		smmu_sid_owner = page_alloc(smmu_sid_owner_pages);
		if (!smmu_sid_owner) {
			smmu_shutdown();
			return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, 0,
				      "no memory for the owners of %u stream ids", nsids);
		}
	}
	if (smmu_num_units)
		printk("SMMUv3: %u unit(s), %u stream id(s) of the root cell%s\n",
		       smmu_num_units, nsids,
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

	if (!smmu_num_units)
		return;
	spin_lock(&smmu_lock);
	for (i = 0; i < n; i++) {
		smmu_sid_owner[i] = root;
		for (k = 0; k < smmu_num_units; k++)
			ste_install(&smmu_units[k], s[i].id, root, false);
	}
	for (k = 0; k < smmu_num_units; k++)
		enable_unit(&smmu_units[k]);
	spin_unlock(&smmu_lock);
	printk("SMMUv3: DMA isolation on, %u stream id(s) translated by the root cell's stage 2 (VTCR 0x%llx)\n",
	       n, vtcr_value());
}

int smmu_cell_check(const struct wd_cell_desc *c)
{
	const struct wd_stream_id *s = wd_cell_stream_ids(c);
	unsigned int i;
	int idx;

	if (c->num_stream_ids && !smmu_num_units)
		return refuse(-ENODEV, WD_REASON_PLATFORM, s[0].id, 0,
			      "cell '%s': %u stream id(s), but the system configuration has no SMMUv3 unit to isolate them",
			      c->name, c->num_stream_ids);
	for (i = 0; i < c->num_stream_ids; i++) {
		idx = root_sid_index(s[i].id);
		if (idx < 0)
			return refuse(-EBUSY, WD_REASON_CONFIG, s[i].id, 0,
				      "cell '%s': stream id 0x%x is not one of the root cell's",
				      c->name, s[i].id);
		if (!smmu_sid_owner[idx])
			return refuse(-EBUSY, WD_REASON_CONFIG, s[i].id, 0,
				      "cell '%s': stream id 0x%x is held aborted since its last cell was destroyed (its device was not reset and returned to the root)",
				      c->name, s[i].id);
		if (smmu_sid_owner[idx] != &root_cell)
			return refuse(-EBUSY, WD_REASON_CONFIG, s[i].id, 0,
				      "cell '%s': stream id 0x%x belongs to cell '%s'",
				      c->name, s[i].id, smmu_sid_owner[idx]->config->name);
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
		if (to == &root_cell && smmu_sid_owner[idx] != cell)
			continue;
		smmu_sid_owner[idx] = to;
		for (k = 0; k < smmu_num_units; k++)
			ste_install(&smmu_units[k], s[i].id, to, true);
	}
}



void smmu_cell_attach(struct cell *cell)
{
	if (!smmu_num_units)
		return;
	spin_lock(&smmu_lock);
	poll_locked();		/* faults so far are the previous owner's */
	/* The count of an earlier cell with this id is not this one's. */
	if (cell->id < MAX_FAULT_IDS)
		smmu_dma_faults[cell->id] = 0;
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

/* The cell got a DMA view: the streams it owns translate with it now. */
static void smmu_cell_dma_root(struct cell *cell)
{
	const struct wd_stream_id *s = wd_cell_stream_ids(cell->config);
	unsigned int i, k, moved = 0;
	int idx;

	if (!smmu_num_units)
		return;
	spin_lock(&smmu_lock);
	for (i = 0; i < cell->config->num_stream_ids; i++) {
		idx = root_sid_index(s[i].id);
		if (idx < 0 || smmu_sid_owner[idx] != cell)
			continue;
		for (k = 0; k < smmu_num_units; k++)
			moved += ste_retarget(&smmu_units[k], s[i].id, cell);
	}
	tlbi_vmid(cell->vmid);		/* with a SYNC per unit */
	spin_unlock(&smmu_lock);
	printk("SMMUv3: %u stream table entr%s of cell '%s' use its DMA view (tables 0x%llx)\n",
	       moved, moved == 1 ? "y" : "ies", cell->config->name,
	       (u64)(uintptr_t)dma_view_root(cell));
}

void smmu_cell_detach(struct cell *cell)
{
	if (!smmu_num_units || !cell->config->num_stream_ids)
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

	if (!smmu_num_units || !cell->config->num_stream_ids)
		return 0;
	spin_lock(&smmu_lock);
	poll_locked();		/* the cell's faults are reported as its own */
	for (i = 0; i < cell->config->num_stream_ids; i++) {
		idx = root_sid_index(s[i].id);
		if (idx < 0 || smmu_sid_owner[idx] != cell)
			continue;
		smmu_sid_owner[idx] = NULL;
		held++;
		for (k = 0; k < smmu_num_units; k++) {
			e = ste_of(&smmu_units[k], s[i].id);
			if (!e)
				continue;
			/* One 64-bit store: the unit sees the old entry or "abort". */
			__atomic_store_n(&e[0], STE_ABORT, __ATOMIC_RELAXED);
			dsb(sy);
			cmd(&smmu_units[k], CMD_CFGI_STE | (u64)s[i].id << 32, 1);
		}
	}
	for (k = 0; k < smmu_num_units; k++) {
		cmd(&smmu_units[k], CMD_TLBI_S12_VMALL | (u64)cell->vmid << 32, 0);
		cmd_sync(&smmu_units[k]);
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

	if (!smmu_num_units)
		return refuse(-ENODEV, WD_REASON_PLATFORM, sid, 0,
			      "stream id 0x%x: there is no SMMU", sid);
	idx = root_sid_index(sid);
	if (idx < 0)
		return refuse(-EINVAL, WD_REASON_CONFIG, sid, 0,
			      "stream id 0x%x is not one of the root cell's", sid);
	spin_lock(&smmu_lock);
	if (smmu_sid_owner[idx] == &root_cell) {
		spin_unlock(&smmu_lock);
		return 0;
	}
	if (smmu_sid_owner[idx]) {
		struct cell *owner = smmu_sid_owner[idx];

		spin_unlock(&smmu_lock);
		return refuse(-EBUSY, WD_REASON_CONFIG, sid, 0,
			      "stream id 0x%x belongs to cell '%s': only a held stream can be returned",
			      sid, owner->config->name);
	}
	poll_locked();		/* faults while held are nobody's */
	smmu_sid_owner[idx] = &root_cell;
	for (k = 0; k < smmu_num_units; k++) {
		ste_install(&smmu_units[k], sid, &root_cell, true);
		cmd_sync(&smmu_units[k]);
	}
	spin_unlock(&smmu_lock);
	printk("SMMUv3: stream id 0x%x is the root cell's again\n", sid);
	return 0;
}

IN_SLOT("smmu_tlb_flush") void smmu_tlb_flush(const struct cell *cell)
{
	if (!smmu_num_units)
		return;
	spin_lock(&smmu_lock);
	tlbi_vmid(cell->vmid);
	poll_locked();
	spin_unlock(&smmu_lock);
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
	for (k = 0; k < smmu_num_units; k++) {
		restore_unit(&smmu_units[k]);
		free_tables(&smmu_units[k]);
	}
	if (smmu_sid_owner)
		page_free(smmu_sid_owner, smmu_sid_owner_pages);
	smmu_sid_owner = NULL;
	if (smmu_num_units)
		printk("SMMUv3: %u unit(s) given back as Linux left them\n", smmu_num_units);
	smmu_num_units = 0;
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
	.cell_dma_root = smmu_cell_dma_root,
	.poll = smmu_poll,
	.cell_faults = smmu_cell_faults,
};
