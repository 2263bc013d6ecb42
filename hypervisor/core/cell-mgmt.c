/*
 * Cell management on behalf of the root cell: create, set loadable, start,
 * destroy, and stopping a cell that failed or switched itself off. The root's
 * other CPUs are held at EL2 while the root's stage-2 tables change, and CPUs
 * change owner only while parked (cell-cpus.c). The management calls run
 * under mgmt_lock (hypercall.c); cell_fail and cell_shut_down_self run on a
 * cell's own CPU without it and touch only what cpu_state_lock guards.
 *
 * Every refusal goes through refuse() (reason.c): one line naming the cell
 * and the CPU, interrupt or address at fault, which the driver puts into the
 * kernel log. The configuration is checked by the shared validator first
 * (common/config-check.c, the driver's and the tool's messages), then
 * against the running system here.
 */
#include <warden/config-check.h>
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <asm/processor.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>
#include <wd/vpci.h>

#define MAX_CELL_CONFIG_SIZE	(64 * PAGE_SIZE)
#define DEFAULT_REPLY_TIMEOUT_MS 1000
/* The root waits this long at most for a cell's answer (the call blocks it). */
#define MAX_REPLY_TIMEOUT_MS	60000
/* Pages scrubbed per temporary mapping. */
#define SCRUB_CHUNK_PAGES	512

/* Clean and invalidate by VA to the point of coherency (arch entry code). */
void dcache_clean_inval_range(u64 start, u64 size);

static const struct wd_mem_region *root_region_containing(u64 phys, u64 size)
{
	const struct wd_mem_region *r = wd_cell_mem_regions(root_cell.config);
	unsigned int n;

	for (n = 0; n < root_cell.config->num_memory_regions; n++, r++)
		if (phys >= r->phys_start && phys + size <= r->phys_start + r->size)
			return r;
	return NULL;
}

/* Give a cell's memory region to the root (@give) or take it away. */
static int root_map_region(const struct wd_mem_region *mem, bool give)
{
	const struct wd_mem_region *r;
	u64 virt;

	if (!mem->size)
		return 0;	/* a placeholder: nothing to move */
	r = root_region_containing(mem->phys_start, mem->size);
	if (!r)
		return 0;
	virt = r->virt_start + (mem->phys_start - r->phys_start);
	if (!give)
		return paging_unmap(&root_cell.stage2, virt, mem->size);
	return paging_map(&root_cell.stage2, virt, mem->phys_start, mem->size,
			  cell_region_page_flags(r),
			  !(r->flags & WD_MEM_NO_HUGEPAGES));
}

/* Memory the cell takes from the root for itself alone. */
static bool region_moves(const struct wd_mem_region *mem)
{
	return mem->size && !(mem->flags & (WD_MEM_COMM_REGION | WD_MEM_ROOTSHARED));
}

/*
 * May regions @a (of a new cell) and @b (of a running one) both exist? Only
 * memory both share with the root may be shared; a comm region is virtual.
 */
static bool regions_may_overlap(const struct wd_mem_region *a,
				const struct wd_mem_region *b)
{
	if ((a->flags | b->flags) & WD_MEM_COMM_REGION || !a->size || !b->size)
		return true;
	return (a->flags & b->flags) & WD_MEM_ROOTSHARED;
}

static bool ranges_overlap(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

static int check_memory(const struct wd_cell_desc *c)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(c), *other;
	const struct wd_mem_region *hv = &system_config->hypervisor_memory;
	unsigned int n, m, comm = 0;
	struct cell *cell;

	for (n = 0; n < c->num_memory_regions; n++, mem++) {
		if (!mem->size)		/* placeholder: maps nothing (as the validator) */
			continue;
		if (mem->flags & WD_MEM_COMM_REGION) {
			if (++comm > 1 || !IS_ALIGNED(mem->virt_start, PAGE_SIZE))
				return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->virt_start,
					      "cell '%s': memory region #%u (virt 0x%llx): one page-aligned comm region allowed",
					      c->name, n, mem->virt_start);
			continue;
		}
		if (mem->phys_start + mem->size < mem->phys_start ||
		    !IS_ALIGNED(mem->phys_start | mem->virt_start | mem->size, PAGE_SIZE))
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (phys 0x%llx, size 0x%llx) wraps or is not page aligned",
				      c->name, n, mem->phys_start, mem->size);
		if (ranges_overlap(mem->phys_start, mem->size, hv->phys_start, hv->size))
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) overlaps hypervisor memory 0x%llx-0x%llx",
				      c->name, n, mem->phys_start,
				      mem->phys_start + mem->size - 1, hv->phys_start,
				      hv->phys_start + hv->size - 1);
		if (!root_region_containing(mem->phys_start, mem->size))
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) is not inside one region of the root cell",
				      c->name, n, mem->phys_start,
				      mem->phys_start + mem->size - 1);
		for (cell = root_cell.next; cell; cell = cell->next) {
			other = wd_cell_mem_regions(cell->config);
			for (m = 0; m < cell->config->num_memory_regions; m++, other++) {
				if (regions_may_overlap(mem, other))
					continue;
				if (ranges_overlap(mem->phys_start, mem->size,
						   other->phys_start, other->size))
					return refuse(-EBUSY, WD_REASON_MEMORY, n,
						      mem->phys_start,
						      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) overlaps cell '%s' (its region #%u, phys 0x%llx-0x%llx)",
						      c->name, n, mem->phys_start,
						      mem->phys_start + mem->size - 1,
						      cell->config->name, m,
						      other->phys_start,
						      other->phys_start + other->size - 1);
			}
		}
	}
	return 0;
}

/* The cell (root or not) that owns CPU @cpu. */
static struct cell *cpu_owner(unsigned int cpu)
{
	struct cell *cell;

	for (cell = cells; cell; cell = cell->next)
		if (cell_has_cpu(cell, cpu))
			return cell;
	return NULL;
}

static int check_irqs(const struct wd_cell_desc *c)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(c);
	unsigned int n, bit;
	struct cell *owner;

	for (n = 0; n < c->num_irqchips; n++, chip++) {
		if (chip->address != system_config->platform.arm.gicd_base)
			return refuse(-EINVAL, WD_REASON_IRQ, chip->pin_base,
				      chip->address,
				      "cell '%s': irqchip #%u at 0x%llx is not the GIC distributor 0x%llx",
				      c->name, n, chip->address,
				      system_config->platform.arm.gicd_base);
		for (bit = 0; bit < WD_IRQCHIP_PINS; bit++) {
			unsigned int irq = chip->pin_base + bit;

			if (!(chip->pin_bitmap[bit / 32] & (1U << (bit % 32))))
				continue;
			if (irq < 32)
				return refuse(-EINVAL, WD_REASON_IRQ, irq, chip->address,
					      "cell '%s': interrupt %u is an SGI or PPI, which every CPU has of its own: only SPIs can be assigned",
					      c->name, irq);
			if (cell_owns_irq(&root_cell, irq))
				continue;
			for (owner = root_cell.next; owner; owner = owner->next)
				if (cell_owns_irq(owner, irq))
					return refuse(-EBUSY, WD_REASON_IRQ, irq,
						      chip->address,
						      "cell '%s': SPI %u belongs to cell '%s'",
						      c->name, irq, owner->config->name);
			return refuse(-EBUSY, WD_REASON_IRQ, irq, chip->address,
				      "cell '%s': SPI %u is not owned by the root cell",
				      c->name, irq);
		}
	}
	return 0;
}

/* The configuration against the running system (the validator ran before). */
static int check_cell_config(struct per_cpu *pc, const struct wd_cell_desc *c)
{
	unsigned int cpu, ncpus = 0;
	struct cell *cell;
	int err;

	for (cell = cells; cell; cell = cell->next)
		if (strncmp(cell->config->name, c->name, WD_CELL_NAME_LEN) == 0)
			return refuse(-EEXIST, WD_REASON_CELL, cell->id, 0,
				      "cell '%s' already exists (id %u)", c->name,
				      cell->id);
	for (cpu = 0; cpu < c->cpu_set_size * 8; cpu++) {
		if (!wd_cell_has_cpu(c, cpu))
			continue;
		ncpus++;
		if (cpu >= CONFIG_WD_MAX_CPUS || !per_cpu(cpu)->initialized)
			return refuse(-ENOENT, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u does not exist", c->name, cpu);
		if (!cell_has_cpu(&root_cell, cpu)) {
			cell = cpu_owner(cpu);
			if (cell)
				return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
					      "cell '%s': CPU %u is not in the root cell (cell '%s' has it)",
					      c->name, cpu, cell->config->name);
			return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u is not in the root cell",
				      c->name, cpu);
		}
		if (per_cpu(cpu) == pc)
			return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u is the root cell's calling CPU",
				      c->name, cpu);
		if (per_cpu(cpu)->run_state != CPU_PARKED)
			return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u is still online in the root cell",
				      c->name, cpu);
	}
	if (!ncpus)
		return refuse(-EINVAL, WD_REASON_CONFIG, WD_CHECK_CPU_SET, 0,
			      "cell '%s': CPU set has no CPU", c->name);
	if (c->msg_reply_timeout > MAX_REPLY_TIMEOUT_MS)
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, 0,
			      "cell '%s': message reply timeout %llu ms exceeds the hypervisor's limit of %u ms",
			      c->name, (u64)c->msg_reply_timeout,
			      MAX_REPLY_TIMEOUT_MS);
	err = check_irqs(c);
	if (err)
		return err;
	err = check_memory(c);
	if (!err)
		err = vpci_cell_check(c);
	return err ? err : arch_cell_check(c);
}

/* A validator failure as the refusal: the message the driver and tool give too. */
static int refuse_check(const struct wd_check_result *res, u64 gpa)
{
	return refuse(res->error, WD_REASON_CONFIG, res->kind, gpa, "%s", res->msg);
}

/*
 * Where the root's guest-physical [gpa, gpa+size) lies, if it is one
 * physically contiguous piece of the root's RAM (not an I/O region: the
 * hypervisor reads it through a cacheable mapping). Checked page by page
 * before anything of it is mapped.
 */
static int config_source(u64 gpa, u64 size, u64 *phys_out)
{
	u64 phys = paging_virt2phys(&root_cell.stage2, gpa, NULL), page, off;
	const struct wd_mem_region *r;

	if (phys == INVALID_PHYS_ADDR || gpa + size < gpa)
		return refuse(-EFAULT, WD_REASON_MEMORY, 0, gpa,
			      "cell configuration at 0x%llx is not in root cell memory",
			      gpa);
	for (page = ALIGN_DOWN(gpa, PAGE_SIZE); page < gpa + size; page += PAGE_SIZE) {
		off = page - ALIGN_DOWN(gpa, PAGE_SIZE);
		if (paging_virt2phys(&root_cell.stage2, page, NULL) !=
		    ALIGN_DOWN(phys, PAGE_SIZE) + off)
			return refuse(-EFAULT, WD_REASON_MEMORY, 0, page,
				      "cell configuration at 0x%llx is not physically contiguous root cell memory (at offset 0x%llx)",
				      gpa, page > gpa ? page - gpa : 0);
		r = root_region_containing(ALIGN_DOWN(phys, PAGE_SIZE) + off,
					   PAGE_SIZE);
		if (!r || (r->flags & WD_MEM_IO) || !(r->flags & WD_MEM_READ))
			return refuse(-EFAULT, WD_REASON_MEMORY, 0, page,
				      "cell configuration at 0x%llx: page 0x%llx is not RAM of the root cell",
				      gpa, page);
	}
	*phys_out = phys;
	return 0;
}

/*
 * Copy the configuration at the root's guest-physical @gpa into pool pages and
 * validate the copy (the root may change its own memory at any time: only
 * the copy is checked and used).
 */
static int copy_config(u64 gpa, struct wd_cell_desc **out, u64 *pages_out)
{
	u64 phys, size;
	struct wd_check_result res;
	struct wd_cell_desc *hdr, *copy;
	void *src;
	int err;

	err = config_source(gpa, sizeof(*hdr), &phys);
	if (err)
		return err;
	hdr = arch_map_temp(phys, sizeof(*hdr));
	if (!hdr)
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, phys,
			      "no room in the remap pool to read the cell configuration at 0x%llx",
			      gpa);
	/*
	 * The validator reports signature, revision and architecture before
	 * anything that needs the whole blob: run it on the header alone first.
	 */
	if (wd_check_cell(hdr, sizeof(*hdr), &res) &&
	    (res.kind == WD_CHECK_SIGNATURE || res.kind == WD_CHECK_REVISION ||
	     res.kind == WD_CHECK_ARCHITECTURE)) {
		arch_unmap_temp(hdr, sizeof(*hdr));
		return refuse_check(&res, gpa);
	}
	size = wd_cell_config_size(hdr);
	arch_unmap_temp(hdr, sizeof(*hdr));
	if (size > MAX_CELL_CONFIG_SIZE)
		return refuse(-E2BIG, WD_REASON_CONFIG, 0, gpa,
			      "cell configuration of %llu bytes (per its array counts) exceeds the hypervisor's limit of %llu bytes",
			      size, (u64)MAX_CELL_CONFIG_SIZE);
	err = config_source(gpa, size, &phys);
	if (err)
		return err;
	*pages_out = PAGES(size);
	copy = page_alloc(*pages_out);
	src = copy ? arch_map_temp(phys, size) : NULL;
	if (!copy || !src) {
		if (copy)
			page_free(copy, *pages_out);
		if (!copy)
			return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, phys,
				      "no memory for a copy of the cell configuration (%llu pages; page pool %llu/%llu used)",
				      *pages_out, mem_pool.used, mem_pool.pages);
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, phys,
			      "no room in the remap pool to read the cell configuration at 0x%llx (%llu bytes)",
			      gpa, size);
	}
	memcpy(copy, src, size);
	arch_unmap_temp(src, size);
	if (wd_check_cell(copy, size, &res)) {
		page_free(copy, *pages_out);
		return refuse_check(&res, gpa);
	}
	*out = copy;
	return 0;
}

static unsigned int free_cell_id(void)
{
	unsigned int id = 1;

	while (cell_by_id(id))
		id++;
	return id;
}

static void comm_region_init(struct cell *cell)
{
	struct wd_comm_region *comm = cell->comm_page;
	const struct wd_arm_platform *arm = &system_config->platform.arm;

	memset(comm, 0, PAGE_SIZE);
	memcpy(comm->signature, WD_COMM_SIGNATURE, sizeof(comm->signature));
	comm->revision = WD_COMM_REVISION;
	comm->cell_state = WD_CELL_RUNNING;
	if (cell->config->flags & WD_CELL_VIRTUAL_CONSOLE_PERMITTED)
		comm->flags |= WD_COMM_FLAG_DBG_PUTC_PERMITTED;
	if (cell->config->flags & WD_CELL_VIRTUAL_CONSOLE_ACTIVE)
		comm->flags |= WD_COMM_FLAG_DBG_PUTC_ACTIVE;
	comm->console = cell->config->console;
	/* Every cell has the virtual PCI host there (vpci.c). */
	comm->pci_mmconfig_base = system_config->platform.pci_mmconfig_base;
	comm->gic_version = arm->gic_version;
	comm->gicd_base = arm->gicd_base;
	comm->gicc_base = arm->gicc_base;
	comm->gicr_base = arm->gicr_base;
	comm->vpci_irq_base = cell->config->vpci_irq_base;
}

static const struct wd_mem_region *cell_comm_region(const struct wd_cell_desc *c)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(c);
	unsigned int n;

	for (n = 0; n < c->num_memory_regions; n++, mem++)
		if ((mem->flags & WD_MEM_COMM_REGION) && mem->size)
			return mem;
	return NULL;
}

static int map_comm_region(struct cell *cell)
{
	const struct wd_mem_region *mem = cell_comm_region(cell->config);

	cell->comm_page = page_alloc(1);
	if (!cell->comm_page)
		return -ENOMEM;
	comm_region_init(cell);
	cell->comm_page->cell_state = WD_CELL_SHUT_DOWN;
	if (!mem)
		return 0;
	return paging_map(&cell->stage2, mem->virt_start,
			  (u64)(uintptr_t)cell->comm_page, PAGE_SIZE, PAGE_RW,
			  false);
}

static void move_irqs(struct cell *from, struct cell *to, const struct wd_cell_desc *c)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(c);
	unsigned int n, bit;

	for (n = 0; n < c->num_irqchips; n++, chip++)
		for (bit = 0; bit < WD_IRQCHIP_PINS; bit++) {
			unsigned int irq = chip->pin_base + bit;

			if (!(chip->pin_bitmap[bit / 32] & (1U << (bit % 32))) ||
			    irq < 32 || irq >= MAX_IRQS)
				continue;
			/* Masked and idle until the new owner sets it up. */
			arch_irq_reset(irq, to);
			from->irq_owned[irq / 32] &= ~(1U << (irq % 32));
			to->irq_owned[irq / 32] |= 1U << (irq % 32);
		}
}

/*
 * Zero memory a cell gives back and clean it to the point of coherency, so
 * that neither the root nor the next cell sees what the cell left there,
 * not even through a mapping that bypasses the caches.
 */
static u64 scrub_memory(const struct wd_mem_region *mem)
{
	u64 done, chunk;
	u64 *va;

	for (done = 0; done < mem->size; done += chunk) {
		chunk = MIN(mem->size - done, (u64)SCRUB_CHUNK_PAGES * PAGE_SIZE);
		va = arch_map_temp(mem->phys_start + done, chunk);
		if (!va) {
			/* The remap pool is short: a page at a time then. */
			chunk = PAGE_SIZE;
			va = arch_map_temp(mem->phys_start + done, chunk);
		}
		if (!va)
			return done;
		memset(va, 0, chunk);
		dcache_clean_inval_range((u64)(uintptr_t)va, chunk);
		arch_unmap_temp(va, chunk);
	}
	return done;
}

static void cell_free(struct cell *cell)
{
	vpci_cell_destroy(cell);
	cell_stage2_restore(cell);
	if (cell->stage2.root)
		arch_cell_tlb_flush(cell);
	arch_cell_destroy(cell);
	paging_destroy(&cell->stage2);
	if (cell->comm_page)
		page_free(cell->comm_page, 1);
	if (cell->stage2_saved)
		page_free(cell->stage2_saved, cell->stage2.root_pages);
	page_free((void *)cell->config, cell->config_pages);
	page_free(cell, PAGES(sizeof(*cell)));
}

static void cell_unlink(struct cell *cell)
{
	struct cell **link;

	for (link = &cells; *link; link = &(*link)->next)
		if (*link == cell) {
			*link = cell->next;
			num_cells--;
			break;
		}
}

/*
 * Everything a stopped cell holds goes back to the root (whose other CPUs are
 * suspended); frees the cell. @scrub: the cell may have run, wipe its memory.
 * -EBUSY, with nothing changed, if one of its CPUs is not parked.
 */
static int cell_release(struct per_cpu *pc, struct cell *cell, bool scrub)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell->config);
	u64 set[CPU_SET_WORDS], scrubbed = 0, done, t0 = timer_ticks();
	unsigned int n;
	bool moved;

	memcpy(set, cell->cpu_set, sizeof(set));
	spin_lock(&cpu_state_lock);
	moved = cpus_hand_over(cell, &root_cell, set, pc);
	spin_unlock(&cpu_state_lock);
	if (!moved)
		return -EBUSY;
	move_irqs(cell, &root_cell, cell->config);
	/* No CPU runs the cell's code any more: flush before the root sees it. */
	cell_stage2_restore(cell);
	arch_cell_tlb_flush(cell);
	for (n = 0; n < cell->config->num_memory_regions; n++, mem++) {
		if (!region_moves(mem))
			continue;
		/* RAM only: zeros written to a device's registers do harm. */
		if (scrub && !(mem->flags & WD_MEM_IO)) {
			done = scrub_memory(mem);
			scrubbed += done;
			if (done < mem->size) {
				/* Never hand on what may still hold the cell's data. */
				printk("cell '%s': memory region #%u could not be scrubbed (no room to map it): kept from the root cell\n",
				       cell->config->name, n);
				continue;
			}
		}
		root_map_region(mem, true);
	}
	paging_flush(&root_cell.stage2);
	if (scrub && scrubbed)
		printk("cell '%s': %llu KiB of memory scrubbed in %llu us\n",
		       cell->config->name, scrubbed >> 10,
		       (timer_ticks() - t0) * 1000000 / timer_ticks_per_sec());
	cell_unlink(cell);
	cell_free(cell);
	return 0;
}

/* Undo what create did to the root's tables for regions [0, @upto). */
static void root_give_back(const struct wd_cell_desc *c, unsigned int upto)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(c);
	unsigned int n;

	for (n = 0; n < upto; n++, mem++)
		if (region_moves(mem))
			root_map_region(mem, true);
	paging_flush(&root_cell.stage2);
}

static int refuse_busy_disable(void)
{
	return refuse(-EBUSY, WD_REASON_CELL, 0, 0,
		      "a disable of the hypervisor is in progress: no cell management");
}

long cell_create(struct per_cpu *pc, u64 config_gpa)
{
	const struct wd_mem_region *mem;
	struct wd_cell_desc *config = NULL;
	struct cell *cell, *last;
	u64 config_pages = 0, want[CPU_SET_WORDS] = { 0 };
	unsigned int n, cpu;
	bool moved;
	int err;

	if (disable_in_progress)
		return refuse_busy_disable();
	err = copy_config(config_gpa, &config, &config_pages);
	if (err)
		return err;
	err = check_cell_config(pc, config);
	if (err) {
		page_free(config, config_pages);
		return err;
	}
	cell = page_alloc(PAGES(sizeof(*cell)));
	if (!cell) {
		page_free(config, config_pages);
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, 0,
			      "cell '%s': no memory for its state (page pool %llu/%llu used)",
			      config->name, mem_pool.used, mem_pool.pages);
	}
	memset(cell, 0, PAGES(sizeof(*cell)) * PAGE_SIZE);
	cell->id = free_cell_id();
	cell->vmid = (u16)cell->id;
	cell->config = config;
	cell->config_pages = config_pages;
	cell->state = WD_CELL_SHUT_DOWN;
	/* Its CPUs are parked until the first start. */
	cell->stopping = true;
	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
		if (wd_cell_has_cpu(config, cpu))
			want[cpu / 64] |= 1ULL << (cpu % 64);

	/* Everything of the cell's own first: the root is not held meanwhile. */
	err = arch_cell_create(cell);
	if (!err)
		err = map_comm_region(cell);
	if (!err) {
		cell->stage2_saved = page_alloc(cell->stage2.root_pages);
		if (!cell->stage2_saved)
			err = -ENOMEM;
	}
	if (err)
		refuse(err, err == -ENOMEM ? WD_REASON_RESOURCES : WD_REASON_MEMORY,
		       0, 0,
		       "cell '%s': no memory for its stage-2 tables or comm page (error %d; page pool %llu/%llu used)",
		       config->name, err, mem_pool.used, mem_pool.pages);
	if (!err)
		err = vpci_cell_create(cell);	/* names the device itself */
	if (!err)
		err = cell_map_memory(cell);	/* names the region itself */
	if (!err)
		err = root_cpus_suspend(pc);	/* names the CPU itself */
	if (err) {
		cell_free(cell);
		return err;
	}

	/*
	 * Recheck with the root held: Linux may have brought a CPU online
	 * since the check, and only a parked CPU may change owner.
	 */
	spin_lock(&cpu_state_lock);
	moved = cpus_hand_over(&root_cell, cell, want, pc);
	spin_unlock(&cpu_state_lock);
	if (!moved) {
		root_cpus_resume(pc);
		for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
			if ((want[cpu / 64] >> (cpu % 64)) & 1 &&
			    (per_cpu(cpu)->run_state != CPU_PARKED ||
			     per_cpu(cpu)->cpu_on_pending || per_cpu(cpu) == pc))
				break;
		cell_free(cell);
		return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
			      "cell '%s': CPU %u came online in the root cell during the creation",
			      config->name, cpu);
	}
	mem = wd_cell_mem_regions(config);
	for (n = 0; n < config->num_memory_regions; n++, mem++) {
		if (!region_moves(mem))
			continue;
		err = root_map_region(mem, false);
		if (err) {
			refuse(err, err == -ENOMEM ? WD_REASON_RESOURCES :
						     WD_REASON_MEMORY, n, mem->phys_start,
			       "cell '%s': memory region #%u (phys 0x%llx-0x%llx): taking it from the root cell failed (error %d; page pool %llu/%llu used)",
			       config->name, n, mem->phys_start,
			       mem->phys_start + mem->size - 1, err, mem_pool.used,
			       mem_pool.pages);
			break;
		}
	}
	if (err) {
		root_give_back(config, n + 1);
		spin_lock(&cpu_state_lock);
		cpus_hand_over(cell, &root_cell, want, pc);
		spin_unlock(&cpu_state_lock);
		root_cpus_resume(pc);
		cell_free(cell);
		return err;
	}
	cell->loadable = false;
	for (last = cells; last->next; last = last->next)
		;
	last->next = cell;
	num_cells++;
	move_irqs(&root_cell, cell, config);
	paging_flush(&root_cell.stage2);
	root_cpus_resume(pc);

	printk("Created cell '%s' (id %u), page pool %llu/%llu used\n",
	       config->name, cell->id, mem_pool.used, mem_pool.pages);
	return cell->id;
}

static struct cell *managed_cell(struct per_cpu *pc, unsigned long id, long *err)
{
	struct cell *cell;

	*err = 0;
	if (pc->cell != &root_cell) {
		*err = refuse(-EPERM, WD_REASON_CALLER, 0, 0,
			      "only the root cell may manage cells");
		return NULL;
	}
	if (disable_in_progress) {
		*err = refuse_busy_disable();
		return NULL;
	}
	cell = id <= 0xffffffffUL ? cell_by_id((unsigned int)id) : NULL;
	if (!cell || cell == &root_cell) {
		if (id == 0)
			*err = refuse(-EINVAL, WD_REASON_CELL, 0, 0,
				      "the root cell cannot be loaded, started or destroyed");
		else
			*err = refuse(-ENOENT, WD_REASON_CELL, (u32)id, 0,
				      "no cell with id %lu", id);
		return NULL;
	}
	return cell;
}

/* The comm-region protocol: may the running cell be stopped? */
static int request_shutdown(struct cell *cell)
{
	struct wd_comm_region *comm = cell->comm_page;
	u64 ms = cell->config->msg_reply_timeout ? cell->config->msg_reply_timeout :
						      DEFAULT_REPLY_TIMEOUT_MS;
	u64 deadline;
	unsigned int cpu;
	u32 reply;

	if (cell->state != WD_CELL_RUNNING)
		return 0;
	if (comm->cell_state == WD_CELL_RUNNING_LOCKED)
		return refuse(-EPERM, WD_REASON_CELL, cell->id, 0,
			      "cell '%s' is locked against shutdown (its comm region says running/locked)",
			      cell->config->name);
	if ((cell->config->flags & WD_CELL_PASSIVE_COMMREG) ||
	    !cell_comm_region(cell->config))
		return 0;
	/* Bounded at create (MAX_REPLY_TIMEOUT_MS); computed without overflow. */
	deadline = deadline_after_ms(MIN(ms, (u64)MAX_REPLY_TIMEOUT_MS));
	comm->reply_from_cell = WD_MSG_NONE;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	comm->msg_to_cell = WD_MSG_SHUTDOWN_REQUEST;
	/* An idle cell sleeps in WFI: an exit to the hypervisor wakes it. */
	for_each_cpu_in_cell(cpu, cell)
		if (per_cpu(cpu)->run_state == CPU_RUNNING)
			arch_wake_cpu(per_cpu(cpu));
	while ((reply = comm->reply_from_cell) == WD_MSG_NONE &&
	       cell->state == WD_CELL_RUNNING && timer_ticks() < deadline)
		cpu_relax();
	comm->msg_to_cell = WD_MSG_NONE;
	if (reply == WD_MSG_REQUEST_DENIED)
		return refuse(-EPERM, WD_REASON_CELL, cell->id, 0,
			      "cell '%s' denied the shutdown request",
			      cell->config->name);
	if (reply == WD_MSG_NONE && cell->state == WD_CELL_RUNNING) {
		printk("cell '%s' did not answer the shutdown request within %llu ms: treated as failed\n",
		       cell->config->name, ms);
		cell->state = WD_CELL_FAILED;
		comm->cell_state = WD_CELL_FAILED;
	}
	return 0;
}

/* Map the cell's loadable regions into the root (@give) or take them back. */
static long root_map_loadable(struct per_cpu *pc, struct cell *cell, bool give)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell->config);
	unsigned int n;
	long err;

	err = root_cpus_suspend(pc);
	if (err)
		return err;
	for (n = 0; !err && n < cell->config->num_memory_regions; n++, mem++)
		if ((mem->flags & WD_MEM_LOADABLE) && region_moves(mem))
			err = root_map_region(mem, give);
	paging_flush(&root_cell.stage2);
	root_cpus_resume(pc);
	return err;
}

long cell_set_loadable(struct per_cpu *pc, unsigned long id)
{
	struct cell *cell;
	long err;

	cell = managed_cell(pc, id, &err);
	if (!cell)
		return err;
	err = request_shutdown(cell);
	if (!err)
		err = cell_stop_cpus(cell, pc);
	if (err)
		return err;
	if (cell->state == WD_CELL_RUNNING || cell->state == WD_CELL_RUNNING_LOCKED)
		cell->state = WD_CELL_SHUT_DOWN;
	cell->comm_page->cell_state = cell->state;
	vpci_cell_stopped(cell);
	if (cell->loadable)
		return 0;
	err = root_map_loadable(pc, cell, true);
	if (err == -ETIMEDOUT)
		return err;
	cell->loadable = true;
	if (err)
		return refuse(err, err == -ENOMEM ? WD_REASON_RESOURCES : WD_REASON_MEMORY,
			      0, 0,
			      "cell '%s': mapping its loadable regions into the root cell failed (error %ld)",
			      cell->config->name, err);
	printk("Cell '%s' is loadable\n", cell->config->name);
	return 0;
}

long cell_start(struct per_cpu *pc, unsigned long id)
{
	struct cell *cell;
	struct per_cpu *first = NULL;
	unsigned int cpu;
	long err;

	cell = managed_cell(pc, id, &err);
	if (!cell)
		return err;
	if (cell->state == WD_CELL_RUNNING || cell->state == WD_CELL_RUNNING_LOCKED)
		return refuse(-EBUSY, WD_REASON_CELL, cell->id, 0,
			      "cell '%s' is already running", cell->config->name);
	err = cell_stop_cpus(cell, pc);
	if (err)
		return err;
	if (cell->loadable) {
		err = root_map_loadable(pc, cell, false);
		if (err == -ETIMEDOUT)
			return err;
		if (err)
			return refuse(err, err == -ENOMEM ? WD_REASON_RESOURCES :
							  WD_REASON_MEMORY, 0, 0,
				      "cell '%s': taking its loadable regions back from the root cell failed (error %ld)",
				      cell->config->name, err);
		cell->loadable = false;
	}
	vpci_cell_reset(cell);
	comm_region_init(cell);
	arch_cell_tlb_flush(cell);
	cell->state = WD_CELL_RUNNING;
	for_each_cpu_in_cell(cpu, cell)
		if (!first)
			first = per_cpu(cpu);
	spin_lock(&cpu_state_lock);
	for_each_cpu_in_cell(cpu, cell) {
		per_cpu(cpu)->failed = false;
		per_cpu(cpu)->cpu_on_pending = false;
	}
	first->cpu_on_entry = cell->config->cpu_reset_address;
	first->cpu_on_context = 0;
	cell->stopping = false;
	__atomic_store_n(&first->cpu_on_pending, true, __ATOMIC_RELEASE);
	spin_unlock(&cpu_state_lock);
	arch_wake_cpu(first);
	printk("Started cell '%s' on CPU %u at 0x%llx\n", cell->config->name,
	       first->cpu_id, cell->config->cpu_reset_address);
	return 0;
}

long cell_destroy(struct per_cpu *pc, unsigned long id)
{
	struct cell *cell;
	char name[WD_CELL_NAME_LEN];
	long err;

	cell = managed_cell(pc, id, &err);
	if (!cell)
		return err;
	err = request_shutdown(cell);
	if (!err)
		err = cell_stop_cpus(cell, pc);	/* -ETIMEDOUT: the cell stays */
	if (!err)
		err = root_cpus_suspend(pc);
	if (err)
		return err;
	memcpy(name, cell->config->name, sizeof(name));
	err = cell_release(pc, cell, true);
	root_cpus_resume(pc);
	if (err)
		return refuse(err, WD_REASON_CELL, cell->id, 0,
			      "cell '%s': a CPU left the parked state during destroy; the cell stays",
			      name);
	printk("Destroyed cell '%s', page pool %llu/%llu used\n", name,
	       mem_pool.used, mem_pool.pages);
	return 0;
}

/* Park the other CPUs of the caller's cell, and then the caller. */
static void cell_stop_self(struct per_cpu *pc, u32 state)
{
	struct cell *cell = pc->cell;

	spin_lock(&cpu_state_lock);
	if (cell->state != WD_CELL_FAILED)
		cell->state = state;
	if (cell->comm_page)
		cell->comm_page->cell_state = cell->state;
	spin_unlock(&cpu_state_lock);
	vpci_cell_stopped(cell);
	cell_request_park(cell, pc);
	cpu_park(pc);
}

void cell_fail(struct per_cpu *pc, const char *why)
{
	/*
	 * A stop in progress (park requested, e.g. with the cell's memory
	 * revoked to force this CPU out): the trap is its doing, just park.
	 */
	if (__atomic_load_n(&pc->park_requested, __ATOMIC_ACQUIRE)) {
		cpu_park(pc);
		return;
	}
	printk("cell '%s': CPU %u: %s; cell stopped (failed)\n",
	       pc->cell->config->name, pc->cpu_id, why);
	pc->failed = true;
	cell_stop_self(pc, WD_CELL_FAILED);
}

void cell_shut_down_self(struct per_cpu *pc)
{
	printk("cell '%s': switched itself off\n", pc->cell->config->name);
	cell_stop_self(pc, WD_CELL_SHUT_DOWN);
}
