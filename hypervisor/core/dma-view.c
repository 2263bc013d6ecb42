/*
 * A cell's DMA view (wd/dma-view.h): the CPUs' stage 2 plus pages only the
 * cell's devices reach, in a root slot of their own.
 *
 * Where the private pages lie: at the start of the highest slot of the
 * first root table (a slot is 512 GiB at start level 0, 1 GiB at level 1;
 * see top_slot()). The same IPA on every cell of a machine, far above any
 * RAM a configuration gives, and a whole slot so that its tables are the
 * view's alone: the CPUs' tables are shared, never written. The SMMU walks
 * the view with the CPUs' VTCR fields (smmuv3.c checks at probe that its
 * output size covers the stage-2 input size), so it reaches every slot.
 *
 * Locking: dma_view_lock orders the view's creation, its pages and
 * dma_view_follow(); the cell's CPU root changes otherwise only at create
 * (management lock), and those writes reach the view through the paging
 * mirror as they happen.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/dma-view.h>
#include <wd/errno.h>
#include <wd/iommu.h>
#include <wd/paging.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/spinlock.h>
#include <wd/string.h>

static spinlock_t dma_view_lock;

/*
 * The highest slot of the first root table: with concatenated root tables
 * (40 and 42-bit stage 2, start level 1) the slots of the later tables are
 * not used. QEMU's SMMUv3 (10.x) drops the concatenated table's offset from
 * the base of its stage-2 walk and indexes the first table with nine bits,
 * so a device's write to slot 1023 faulted there (cortex-a76, 40 bits)
 * while the CPUs reached it; slot 511 (511 GiB) is reached by both.
 */
static unsigned int top_slot(const struct paging *pg)
{
	u64 top = ((1ULL << pg->ia_bits) - 1) >> paging_level_shift(pg->start_level);

	return (unsigned int)(top < PAGING_ENTRIES - 1 ? top : PAGING_ENTRIES - 1);
}

static u64 slot_base(const struct paging *pg, unsigned int slot)
{
	return (u64)slot << paging_level_shift(pg->start_level);
}

/*
 * One line naming the cell. In a management call it is the root's reason
 * (refuse); on a CPU of the cell (its trapped MSI-X write asked for the
 * page) it is printed once per cell, so that asking again cannot flood the
 * console, and it never overwrites the root's reason.
 */
static __attribute__((format(printf, 4, 5))) int
view_refuse_code(struct cell *cell, u64 code, u64 addr, const char *fmt, ...)
{
	char line[WD_REASON_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (this_cpu()->cell == &root_cell)
		return refuse(REFUSE_ERR(code), REFUSE_KIND(code), REFUSE_OBJECT(code),
			      addr, "%s", line);
	if (!cell->dma_view_told) {
		cell->dma_view_told = true;
		printk("%s\n", line);
	}
	return REFUSE_ERR(code);
}

/* As refuse(): errno, kind and object travel in one register. */
#define view_refuse(cell, err, kind, object, addr, ...)				\
	view_refuse_code(cell, REFUSE_CODE(err, kind, object), addr, __VA_ARGS__)

u64 *dma_view_root(const struct cell *cell)
{
	const struct dma_view *v = __atomic_load_n(&cell->dma_view, __ATOMIC_ACQUIRE);

	return v ? v->tables.root : cell->stage2.root;
}

/* Nothing of the cell's, now or later, may lie in the private slot. */
static int check_slot(struct cell *cell, unsigned int slot)
{
	const struct paging *cpus = &cell->stage2;
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell->config);
	u64 base = slot_base(cpus, slot);
	u64 end = base + (1ULL << paging_level_shift(cpus->start_level)) - 1;
	unsigned int n;
	bool region;

	for (n = 0; n < cell->config->num_memory_regions; n++, mem++)
		if (mem->size && mem->virt_start <= end &&
		    mem->virt_start + mem->size - 1 >= base)
			break;
	region = n < cell->config->num_memory_regions;
	if (!region && !(cpus->root[slot] & PTE_VALID))
		return 0;
	return view_refuse(cell, -EBUSY, WD_REASON_MEMORY, region ? n : slot, base,
			   "cell '%s': IPA 0x%llx-0x%llx, which its devices' private pages need, is used by %s%u: no DMA view",
			   cell->config->name, base, end,
			   region ? "its memory region #" : "its stage 2, root slot ",
			   region ? n : slot);
}

/*
 * Every root entry of the view: the CPUs' root's (@src; none: 0), but the
 * view's own slot gets @own. Both roots have as many pages (the same start
 * level and IPA size). Release stores: units may be walking the view.
 */
static void view_fill(struct dma_view *v, const u64 *src, u64 own)
{
	unsigned int n;

	for (n = 0; n < v->tables.root_pages * PAGING_ENTRIES; n++)
		__atomic_store_n(&v->tables.root[n],
				 n == v->slot ? own : src ? src[n] : 0, __ATOMIC_RELEASE);
}

/* A root copy sharing the lower tables; the CPU root's writes mirrored. */
static int view_create(struct cell *cell)
{
	struct paging *cpus = &cell->stage2;
	unsigned int slot = top_slot(cpus);
	struct dma_view *v;
	int err = check_slot(cell, slot);

	if (err)
		return err;
	v = page_alloc(PAGES(sizeof(*v)));
	if (!v)
		return -ENOMEM;
	memset(v, 0, PAGES(sizeof(*v)) * PAGE_SIZE);
	err = paging_init(&v->tables, cpus->fmt, cpus->start_level, cpus->ia_bits);
	if (err) {
		page_free(v, PAGES(sizeof(*v)));
		return err;
	}
	v->slot = slot;
	cpus->mirror_own = slot;
	__atomic_store_n(&cpus->mirror, v->tables.root, __ATOMIC_RELEASE);
	view_fill(v, cpus->root, 0);	/* its slot: no tables yet */
	__atomic_store_n(&cell->dma_view, v, __ATOMIC_RELEASE);
	return 0;
}

static void view_free(struct cell *cell)
{
	struct dma_view *v = cell->dma_view;

	if (!v)
		return;
	cell->stage2.mirror = NULL;
	/* Only the private slot keeps its tables: they are the view's own. */
	view_fill(v, NULL, v->slot_entry);
	paging_destroy(&v->tables);
	page_free(v, PAGES(sizeof(*v)));
	cell->dma_view = NULL;
}

void dma_view_destroy(struct cell *cell)
{
	spin_lock(&dma_view_lock);
	view_free(cell);
	spin_unlock(&dma_view_lock);
}

void dma_view_follow(struct cell *cell)
{
	struct dma_view *v;

	spin_lock(&dma_view_lock);
	v = cell->dma_view;
	if (v)
		view_fill(v, cell->stage2.root, cell->stage2_revoked ? 0 : v->slot_entry);
	spin_unlock(&dma_view_lock);
}

static int map_locked(struct cell *cell, u64 phys, u64 *ipa, bool *created,
		      bool *added)
{
	struct dma_view *v = cell->dma_view;
	unsigned int n;
	int err;

	for (n = 0; v && n < v->num_pages; n++)
		if (v->phys[n] == phys) {
			*ipa = slot_base(&v->tables, v->slot) + (u64)n * PAGE_SIZE;
			return 0;
		}
	if (cell->stage2_revoked)
		return view_refuse(cell, -EBUSY, WD_REASON_CELL, cell->id, phys,
			      "cell '%s': its memory is revoked while it is being stopped: page 0x%llx not mapped for its devices",
			      cell->config->name, phys);
	if (v && v->num_pages == DMA_VIEW_MAX_PAGES)
		return view_refuse(cell, -ENOSPC, WD_REASON_RESOURCES, cell->id, phys,
			      "cell '%s': its devices reach %u private pages already: page 0x%llx refused",
			      cell->config->name, DMA_VIEW_MAX_PAGES, phys);
	if (!v) {
		err = view_create(cell);
		if (err == -EBUSY)
			return err;	/* named by check_slot */
		if (err)
			goto nomem;
		*created = true;
		v = cell->dma_view;
	}
	*ipa = slot_base(&v->tables, v->slot) + (u64)v->num_pages * PAGE_SIZE;
	err = paging_map(&v->tables, *ipa, phys, PAGE_SIZE, PAGE_RW | PAGE_DEVICE,
			 false);
	if (err)
		goto nomem;
	v->slot_entry = v->tables.root[v->slot];
	v->phys[v->num_pages++] = phys;
	*added = true;
	return 0;

nomem:
	return view_refuse(cell, err, WD_REASON_RESOURCES, cell->id, phys,
		      "cell '%s': no memory for its devices' view of page 0x%llx (error %d; page pool %llu/%llu used)",
		      cell->config->name, phys, err, mem_pool.used, mem_pool.pages);
}

/* Why @phys may not be a page of @cell's view (and *@err), or NULL. */
static const char *page_refused(const struct cell *cell, u64 phys, int *err)
{
	const struct wd_mem_region *hv = &system_config->hypervisor_memory;

	*err = -EINVAL;
	if (cell == &root_cell)
		return MSG_TEXT("the root cell's devices see what its CPUs see");
	if (!IS_ALIGNED(phys, PAGE_SIZE))
		return MSG_TEXT("not page aligned");
	*err = -ERANGE;
	if (phys >> arch_phys_bits())
		return MSG_TEXT("beyond the physical address size");
	*err = -EPERM;
	if (phys >= hv->phys_start && phys - hv->phys_start < hv->size)
		return MSG_TEXT("hypervisor memory");
	return NULL;
}

int dma_view_map_page(struct cell *cell, u64 phys, u64 *ipa)
{
	bool created = false, added = false;
	const char *why;
	int err;

	why = page_refused(cell, phys, &err);
	if (why)
		return view_refuse(cell, err, WD_REASON_CELL, cell->id, phys,
				   "cell '%s': page 0x%llx cannot be mapped for its devices only (%s)",
				   cell->config->name, phys, why);
	spin_lock(&dma_view_lock);
	err = map_locked(cell, phys, ipa, &created, &added);
	if (err && created)
		view_free(cell);	/* no stream has seen it */
	else if (created)
		iommu_cell_dma_root(cell);	/* built in full before any uses it */
	spin_unlock(&dma_view_lock);
	if (added)
		printk("cell '%s': page 0x%llx reachable by its devices only, at IPA 0x%llx\n",
		       cell->config->name, phys, *ipa);
	return err;
}
