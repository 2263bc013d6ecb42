/*
 * The MSI-X table and PBA of a physical function a cell owns. The page(s)
 * holding them leave the cell's stage 2 (the rest of the BAR stays mapped)
 * and are emulated here:
 *  - table entries: the cell's writes go to a shadow (address low/high,
 *    data, vector control: only Mask is kept), its reads come from it;
 *    4- and 8-byte accesses, as the PCI specification allows;
 *  - PBA: the device's pending bits, read-only (writes are dropped);
 *  - anything else of the trapped page(s) (registers the BAR keeps next to
 *    the table): passed through to the device with the cell's width.
 * The device's own entries are the hypervisor's: all are masked while the
 * cell has the function, and an entry is programmed (address and data the
 * hypervisor chose, then unmasked) only when the cell's entry is unmasked,
 * the cell enabled MSI-X, and arch_vpci_msix_route() finds a route for the
 * cell's address and data (the cell's virtual ITS doorbell, a device id
 * and event the hypervisor mapped for the cell). With no route the entry
 * stays masked: the device's MSI goes nowhere, the pending bit says so.
 * Enable and Function Mask go to the device as the cell wrote them: with
 * every entry masked, enabling MSI-X only switches the device off INTx.
 *
 * The table must lie in one of the function's memory BARs, inside a device
 * region of the cell's or the root's configuration (never hypervisor
 * memory): the hypervisor writes there.
 */
#include <wd/vpci.h>
#include <wd/vpci-phys.h>
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>


static u64 pba_bytes(const struct vpci_phys_fn *fn)
{
	return ALIGN_UP(fn->num_vectors, 64) / 8;
}

static volatile u32 *phys_entry(const struct vpci_phys_fn *fn, unsigned int e)
{
	return (volatile u32 *)(fn->trap[0].va + (fn->table_phys - fn->trap[0].phys) +
				(u64)e * PCI_MSIX_ENTRY_SIZE);
}

/* Map the pages of [phys, phys + size) into @t; trap them if the cell maps them. */
static int trap_init(struct vpci_phys_fn *fn, struct vpci_msix_trap *t, u64 phys, u64 size)
{
	const struct wd_mem_region *m = wd_cell_mem_regions(fn->cell->config);
	unsigned int n;
	void *va;
	int err;

	t->fn = fn;
	t->phys = ALIGN_DOWN(phys, PAGE_SIZE);
	t->size = ALIGN_UP(phys + size, PAGE_SIZE) - t->phys;
	if (!vpci_phys_in_io(fn->cell->config, t->phys, t->size) &&
	    !vpci_phys_in_io(&system_config->root_cell, t->phys, t->size))
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, phys,
			      "cell '%s': PCI device %s: its MSI-X table or PBA at 0x%llx is not in a device region of the cell or the root",
			      fn->cell->config->name, fn->name, phys);
	err = arch_map_device(t->phys, t->size, &va);
	if (err)
		return err;
	t->va = va;
	t->ipa = 0;
	/*
	 * Only one guest address can be trapped: a second region mapping
	 * these pages, or one mapping part of them, would leave the device's
	 * real table writable through it.
	 */
	for (n = 0; n < fn->cell->config->num_memory_regions; n++, m++) {
		if ((m->flags & WD_MEM_COMM_REGION) || m->phys_start >= t->phys + t->size ||
		    t->phys >= m->phys_start + m->size)
			continue;
		if (t->ipa || t->phys < m->phys_start ||
		    t->phys + t->size > m->phys_start + m->size)
			return refuse(-EINVAL, WD_REASON_CONFIG, 0, phys,
				      "cell '%s': PCI device %s: memory region #%u maps its MSI-X page(s) 0x%llx-0x%llx %s: only one whole mapping can be trapped",
				      fn->cell->config->name, fn->name, n, t->phys,
				      t->phys + t->size - 1, t->ipa ? "a second time" : "in part");
		t->ipa = m->virt_start + (t->phys - m->phys_start);
	}
	return 0;
}

int vpci_msix_setup(struct vpci_phys_fn *fn)
{
	const char *name = fn->cell->config->name;
	unsigned int cap = fn->msix_cap, tbir, pbir;
	u32 table = (u32)mmio_read(fn->ecam + cap + 4, 4);
	u32 pba = (u32)mmio_read(fn->ecam + cap + 8, 4);
	u64 tbar, pbar;
	int err;

	fn->num_vectors = ((u16)mmio_read(fn->ecam + cap + 2, 2) & PCI_MSIX_CTRL_SIZE) + 1;
	if (fn->num_vectors > VPCI_PHYS_MAX_MSIX)
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, 0,
			      "cell '%s': PCI device %s has %u MSI-X vectors, more than the %u the hypervisor shadows",
			      name, fn->name, fn->num_vectors,
			      VPCI_PHYS_MAX_MSIX);
	tbir = table & PCI_MSIX_BIR;
	pbir = pba & PCI_MSIX_BIR;
	tbar = tbir < VPCI_PHYS_NUM_BARS ? vpci_phys_bar_addr(fn, tbir) : 0;
	pbar = pbir < VPCI_PHYS_NUM_BARS ? vpci_phys_bar_addr(fn, pbir) : 0;
	if (!tbar || !pbar)
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, 0,
			      "cell '%s': PCI device %s: its MSI-X table (BAR%u) or PBA (BAR%u) is in no assigned memory BAR",
			      name, fn->name, tbir, pbir);
	fn->table_phys = tbar + (table & ~PCI_MSIX_BIR);
	fn->pba_phys = pbar + (pba & ~PCI_MSIX_BIR);
	err = trap_init(fn, &fn->trap[0], fn->table_phys,
			(u64)fn->num_vectors * PCI_MSIX_ENTRY_SIZE);
	if (err)
		return err;
	/* The PBA in the table's pages: one trap for both. */
	if (fn->pba_phys >= fn->trap[0].phys &&
	    fn->pba_phys + pba_bytes(fn) <= fn->trap[0].phys + fn->trap[0].size)
		return 0;
	err = trap_init(fn, &fn->trap[1], fn->pba_phys, pba_bytes(fn));
	if (err)
		return err;
	/* Overlapping page ranges would be registered twice: one trap then. */
	if (fn->trap[1].phys < fn->trap[0].phys + fn->trap[0].size &&
	    fn->trap[0].phys < fn->trap[1].phys + fn->trap[1].size)
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, fn->pba_phys,
			      "cell '%s': PCI device %s: its MSI-X PBA 0x%llx straddles the table's pages",
			      name, fn->name, fn->pba_phys);
	return 0;
}

/* The device's entry @e after the cell's view changed (vpci lock held). */
static void sync_entry(struct vpci_phys_fn *fn, unsigned int e)
{
	volatile u32 *p = phys_entry(fn, e);
	u64 addr;
	u32 data;

	p[3] = PCI_MSIX_ENTRY_MASKED;
	if (!(fn->msix_ctrl & PCI_MSIX_CTRL_ENABLE) ||
	    (fn->msix[e][3] & PCI_MSIX_ENTRY_MASKED) ||
	    arch_vpci_msix_route(fn, e, &addr, &data)) {
		/* Masked and empty: no doorbell of a former route stays behind. */
		p[0] = p[1] = p[2] = 0;
		return;
	}
	p[0] = (u32)addr;
	p[1] = (u32)(addr >> 32);
	p[2] = data;
	p[3] = 0;
}

static void write_control(struct vpci_phys_fn *fn)
{
	volatile u8 *reg = fn->ecam + fn->msix_cap + 2;
	u16 ctrl = (u16)mmio_read(reg, 2);

	mmio_write(reg, 2, (ctrl & PCI_MSIX_CTRL_SIZE) | fn->msix_ctrl);
}

/* Out of reset: MSI-X off, every entry masked, the device's and the cell's. */
void vpci_msix_reset(struct vpci_phys_fn *fn)
{
	unsigned int e;

	fn->msix_ctrl = 0;
	write_control(fn);
	for (e = 0; e < fn->num_vectors; e++) {
		memset(fn->msix[e], 0, sizeof(fn->msix[e]));
		fn->msix[e][3] = PCI_MSIX_ENTRY_MASKED;
		sync_entry(fn, e);	/* MSI-X off: masked and empty */
	}
}

/* Destroy: the device goes back with MSI-X off and its entries masked and empty. */
void vpci_msix_release(struct vpci_phys_fn *fn)
{
	unsigned int i;

	if (fn->trap[0].va)
		vpci_msix_reset(fn);
	for (i = 0; i < 2; i++)
		if (fn->trap[i].va) {
			arch_unmap_temp((void *)fn->trap[i].va, fn->trap[i].size);
			fn->trap[i].va = NULL;
		}
}

void vpci_msix_control(struct vpci_phys_fn *fn, u16 ctrl)
{
	unsigned int e;

	fn->msix_ctrl = ctrl;
	/* Entries first (masked unless routed), then the device's Enable. */
	for (e = 0; e < fn->num_vectors; e++)
		sync_entry(fn, e);
	write_control(fn);
}

static void entry_write(struct vpci_phys_fn *fn, unsigned int e, unsigned int word, u32 v)
{
	fn->msix[e][word] = word == 3 ? v & PCI_MSIX_ENTRY_MASKED : v;
	sync_entry(fn, e);
}

enum mmio_result vpci_msix_access(void *arg, struct mmio_access *acc)
{
	struct vpci_msix_trap *t = arg;
	struct vpci_phys_fn *fn = t->fn;
	u64 phys = t->phys + acc->address, off, v = 0;
	unsigned int e, word, i;

	if (acc->address >= t->size || acc->size > t->size - acc->address)
		return MMIO_ERROR;
	if (phys >= fn->table_phys &&
	    phys < fn->table_phys + (u64)fn->num_vectors * PCI_MSIX_ENTRY_SIZE) {
		if (acc->size != 4 && acc->size != 8)
			return MMIO_ERROR;
		off = phys - fn->table_phys;
		e = off / PCI_MSIX_ENTRY_SIZE;
		word = (off % PCI_MSIX_ENTRY_SIZE) / 4;
		spin_lock(&fn->cell->vpci->lock);
		/* One or two words of the entry (an 8-byte access is 8-byte aligned). */
		for (i = 0; i < acc->size / 4; i++)
			if (!acc->is_write)
				v |= (u64)fn->msix[e][word + i] << (32 * i);
			else
				entry_write(fn, e, word + i, (u32)(acc->value >> (32 * i)));
		if (!acc->is_write)
			acc->value = v;
		spin_unlock(&fn->cell->vpci->lock);
		return MMIO_HANDLED;
	}
	/*
	 * The PBA (read-only: writes are dropped) and the BAR's other
	 * registers in these pages: the cell's device.
	 */
	if (!acc->is_write)
		acc->value = mmio_read(t->va + acc->address, acc->size);
	else if (phys < fn->pba_phys || phys >= fn->pba_phys + pba_bytes(fn))
		mmio_write(t->va + acc->address, acc->size, acc->value);
	return MMIO_HANDLED;
}
