/*
 * Physical PCI functions a cell owns (pci_devices of type DEVICE), on the
 * cell's virtual PCI host next to its ivshmem devices: the cell reads their
 * real configuration space, filtered, and changes only what an allow-list
 * lets through. The root cell reaches its own functions through the
 * physical ECAM it maps; nothing here is for it.
 *
 * Where the configuration space is: the driver tells the hypervisor at
 * enable where the root's device tree puts the generic ECAM host (struct
 * wd_fw_header, pci_ecam_*); the hypervisor maps, per function and only
 * while a cell owns it, that function's 4 KiB, after checking that they
 * lie inside a device region of the root configuration and outside
 * hypervisor memory. Without such a window (an older driver, a host that is
 * not a generic ECAM) the function has no configuration space, as before:
 * one log line says so at create.
 *
 * Where the function appears (vpci_phys_vbdf): the virtual host has bus 0
 * only. A function on the physical root bus keeps its device and function
 * number; one behind a PCIe root port is device 0 of its link (PCIe without
 * ARI) and appears as device <its bus number>: 02:00.0 is 00:02.0 to the
 * cell. Collisions (with an ivshmem device or another physical function)
 * are refused at create, naming both.
 *
 * What the cell reads (all widths 1/2/4, aligned, checked by mmio.c and
 * vpci.c before this is called):
 *  - ids, class, revision, header type, subsystem ids: the device's;
 *  - command: the device's, with INTx Disable as the cell wrote it (the
 *    device's is always set: INTx is the root's SPI); status: the device's,
 *    Capabilities List as the filtered list has it;
 *  - BARs: memory BARs the configuration gives a bar_mask for, and that
 *    one of the cell's memory regions maps, read as the address the cell
 *    sees them at (its virt_start), or as bar_mask right after an all-ones
 *    write (sizing). I/O BARs and the others read as 0 (not implemented);
 *    the expansion ROM, CardBus CIS, BIST and interrupt line/pin read as 0;
 *  - capabilities: only PCI Express (read-only), MSI-X (Enable and
 *    Function Mask the cell's) and vendor-specific ones (read-only: virtio
 *    describes its register blocks there), chained in the device's order;
 *    MSI, power management and every other one are skipped; the extended
 *    space (0x100 up) reads as 0 (no extended capabilities).
 * What the cell's writes change: command Memory Space and Bus Master
 * (physically, read-modify-write of the 16-bit register), INTx Disable
 * (emulated), MSI-X Enable and Function Mask (vpci-msix.c). Nothing else
 * reaches the device: BARs are never written (sizing is emulated), bus
 * numbers and every other register are the device's, and the cell reaches
 * no function but its own.
 */
#include <wd/vpci.h>
#include <wd/vpci-phys.h>
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/string.h>

#define ECAM_FN_SIZE		0x1000
#define CFG_STD_END		0x100
#define CAP_FIRST		0x40
#define CMD_CELL_BITS		(WD_PCI_CMD_MEM | WD_PCI_CMD_MASTER)


static u8 cfg8(const struct vpci_phys_fn *fn, unsigned int reg)
{
	return (u8)mmio_read(fn->ecam + reg, 1);
}

static u16 cfg16(const struct vpci_phys_fn *fn, unsigned int reg)
{
	return (u16)mmio_read(fn->ecam + reg, 2);
}

static u32 cfg32(const struct vpci_phys_fn *fn, unsigned int reg)
{
	return (u32)mmio_read(fn->ecam + reg, 4);
}

/* [start, start + size) is inside one device region of @c, away from hypervisor memory. */
bool vpci_phys_in_io(const struct wd_cell_desc *c, u64 start, u64 size)
{
	const struct wd_mem_region *m = wd_cell_mem_regions(c);
	unsigned int n;

	if (start + size < start ||
	    (start < hv_phys_base + hv_mem_size && hv_phys_base < start + size))
		return false;
	for (n = 0; n < c->num_memory_regions; n++, m++)
		if ((m->flags & WD_MEM_IO) && !(m->flags & WD_MEM_COMM_REGION) &&
		    start >= m->phys_start && start + size <= m->phys_start + m->size)
			return true;
	return false;
}

/* The guest address of physical [phys, phys + size) in one of @c's regions; false: none. */
static bool cell_ipa(const struct wd_cell_desc *c, u64 phys, u64 size, u64 *ipa)
{
	const struct wd_mem_region *m = wd_cell_mem_regions(c);
	unsigned int n;

	for (n = 0; n < c->num_memory_regions; n++, m++)
		if (!(m->flags & WD_MEM_COMM_REGION) && m->size &&
		    phys >= m->phys_start && phys + size <= m->phys_start + m->size &&
		    phys + size > phys) {
			*ipa = m->virt_start + (phys - m->phys_start);
			return true;
		}
	return false;
}

/* Physical ECAM address of @d's 4 KiB, or 0 with one log line why not. */
static u64 ecam_of(const struct vpci_phys_fn *fn)
{
	const struct cell *cell = fn->cell;
	const struct wd_pci_device *d = fn->cfg;
	const struct wd_fw_header *h = fw_header;
	unsigned int bus = d->bdf >> 8;
	u64 phys = 0;

	if (h->pci_ecam_phys && (d->domain != h->pci_ecam_domain ||
				 bus < h->pci_ecam_start_bus || bus > h->pci_ecam_end_bus)) {
		printk("cell '%s': PCI device %s has no configuration space in the cell: the physical ECAM covers domain %04x buses %02x-%02x\n",
		       cell->config->name, fn->name, h->pci_ecam_domain,
		       h->pci_ecam_start_bus, h->pci_ecam_end_bus);
		return 0;
	}
	if (h->pci_ecam_phys) {
		phys = h->pci_ecam_phys + ((u64)(bus - h->pci_ecam_start_bus) << 20) +
		       ((u64)(d->bdf & 0xff) << 12);
		if (vpci_phys_in_io(&system_config->root_cell, phys, ECAM_FN_SIZE))
			return phys;
	}
	/* One call for the other two causes (the image's code budget); the first ignores phys. */
	printk(!h->pci_ecam_phys ?
	       "cell '%s': PCI device %s has no configuration space in the cell: the driver found no generic ECAM host in the root's device tree\n" :
	       "cell '%s': PCI device %s has no configuration space in the cell: its ECAM page 0x%llx is not in a device region of the root configuration\n",
	       cell->config->name, fn->name, phys);
	return 0;
}

/* The capabilities shown: PCIe, MSI-X, vendor-specific, in the device's order. */
static void scan_caps(struct vpci_phys_fn *fn)
{
	unsigned int off, id, len, hops;

	fn->num_caps = 0;
	if (!(cfg16(fn, WD_PCI_STATUS) & WD_PCI_STS_CAPS))
		return;
	off = cfg8(fn, WD_PCI_CAP_PTR) & ~3U;
	/* At most 48 capabilities fit in 0x40..0xff: a longer chain is a loop. */
	for (hops = 0; off >= CAP_FIRST && off < CFG_STD_END && hops < 48; hops++) {
		id = cfg8(fn, off);
		/* Shown: PCIe, the first MSI-X, vendor-specific; 0 hides it. */
		len = id == PCI_CAP_ID_VNDR ? MAX(cfg8(fn, off + 2), 3U) :
		      id == PCI_CAP_ID_EXP ? PCI_EXP_CAP_LEN :
		      id == PCI_CAP_ID_MSIX && !fn->msix_cap ? PCI_MSIX_CAP_LEN : 0;
		len = MIN(len, CFG_STD_END - off);
		if (len >= 3 && fn->num_caps < VPCI_PHYS_MAX_CAPS &&
		    (id != PCI_CAP_ID_MSIX || len == PCI_MSIX_CAP_LEN)) {
			fn->cap_off[fn->num_caps] = (u8)off;
			fn->cap_len[fn->num_caps] = (u8)len;
			fn->num_caps++;
			if (id == PCI_CAP_ID_MSIX)
				fn->msix_cap = (u8)off;
		}
		off = cfg8(fn, off + 1) & ~3U;
	}
}

/* A physical memory BAR's address (64-bit BARs: with the next one). */
u64 vpci_phys_bar_addr(const struct vpci_phys_fn *fn, unsigned int n)
{
	u32 lo = cfg32(fn, WD_PCI_BAR0 + 4 * n);

	if (lo & PCI_BAR_IO)
		return 0;
	if ((lo & PCI_BAR_TYPE_MASK) == PCI_BAR_64 && n + 1 < VPCI_PHYS_NUM_BARS)
		return (lo & ~0xfULL) | (u64)cfg32(fn, WD_PCI_BAR0 + 4 * (n + 1)) << 32;
	return lo & ~0xfULL;
}

/*
 * What the cell sees of the BARs: the guest address of each one it maps.
 * The BARs it does not see stay 0 (page_alloc zeroed them).
 */
static void setup_bars(struct vpci_phys_fn *fn)
{
	const struct wd_cell_desc *c = fn->cell->config;
	const struct wd_pci_device *d = fn->cfg;
	unsigned int n;

	for (n = 0; n < VPCI_PHYS_NUM_BARS; n++) {
		u32 lo = cfg32(fn, WD_PCI_BAR0 + 4 * n), mask = d->bar_mask[n] & ~0xfU;
		bool is64 = !(lo & PCI_BAR_IO) && (lo & PCI_BAR_TYPE_MASK) == PCI_BAR_64 &&
			    n + 1 < VPCI_PHYS_NUM_BARS;
		u64 addr, size, ipa;

		if (!(lo & PCI_BAR_IO) && mask) {
			addr = vpci_phys_bar_addr(fn, n);
			size = ~(mask | (is64 ? (u64)d->bar_mask[n + 1] << 32 :
						0xffffffff00000000ULL)) + 1;
			if (addr && size && cell_ipa(c, addr, size, &ipa)) {
				fn->bar_mask[n] = mask | (lo & 0xf);
				fn->bar_value[n] = (u32)ipa | (lo & 0xf);
				if (is64) {
					fn->bar_mask[n + 1] = d->bar_mask[n + 1];
					fn->bar_value[n + 1] = (u32)(ipa >> 32);
				}
			} else {
				printk("cell '%s': PCI device %s: BAR%u (0x%llx, 0x%llx bytes) is not in the cell's memory regions: it reads as 0\n",
				       c->name, fn->name, n, addr, size);
			}
		}
		n += is64;	/* the upper half was this one's */
	}
}

static void fn_reset(struct vpci_phys_fn *fn)
{
	unsigned int n;

	fn->intx_off = 0;
	for (n = 0; n < VPCI_PHYS_NUM_BARS; n++)
		fn->bar_sizing[n] = false;
	if (fn->msix_cap)
		vpci_msix_reset(fn);
}

/* Is @vbdf taken on @cell's virtual host (ivshmem, or physical before @upto)? */
static const char *vbdf_user(struct cell *cell, u16 vbdf, unsigned int upto)
{
	unsigned int n;

	if (vpci_dev_at(cell, vbdf))
		return MSG_TEXT("an ivshmem device");
	for (n = 0; n < upto; n++)
		if (cell->vpci->phys->fn[n].ecam && cell->vpci->phys->fn[n].vbdf == vbdf)
			return MSG_TEXT("another physical function");
	return NULL;
}

/* Out of line: inlined into vpci_phys_create's loop it takes 224 bytes more. */
static __noinline int fn_init(struct cell *cell, struct vpci_phys_fn *fn,
		   const struct wd_pci_device *d, unsigned int index)
{
	const char *name = cell->config->name, *user = NULL;
	bool absent;
	void *va;
	u64 phys;
	int err;

	fn->cfg = d;
	fn->cell = cell;
	snprintf(fn->name, sizeof(fn->name), "%04x:%02x:%02x.%x", d->domain,
		 d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7);
	/* One call for both causes (the image's code budget); the first ignores the rest. */
	if (!vpci_phys_vbdf(d->bdf, &fn->vbdf) || (user = vbdf_user(cell, fn->vbdf, index)))
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, 0,
			      !user ? "cell '%s': PCI device %s has no place on the cell's virtual PCI host (bus 0..31, device 0 behind a port)" :
				      "cell '%s': PCI device %s would appear at 00:%02x.%x, where the cell has %s",
			      name, fn->name, (fn->vbdf >> 3) & 0x1f,
			      fn->vbdf & 7, user);
	/* Without a device id its MSIs get no route (vpci-msix-route.c). */
	fn->has_devid = vpci_phys_devid(fw_header, d->bdf, &fn->devid) == 0;
	phys = ecam_of(fn);
	if (!phys)
		return 0;
	err = arch_map_device(phys, ECAM_FN_SIZE, &va);
	if (err)
		return err;
	fn->ecam = va;
	/* One call for both causes (the image's code budget): absent, or a bridge. */
	absent = cfg16(fn, WD_PCI_VENDOR_ID) == 0xffff;
	if (absent || (cfg8(fn, WD_PCI_HEADER + 2) & 0x7f) != 0)
		return refuse(absent ? -ENODEV : -EINVAL, WD_REASON_CONFIG, 0, phys,
			      absent ? "cell '%s': PCI device %s does not exist (its configuration space at 0x%llx reads all ones)" :
				       "cell '%s': PCI device %s is not an endpoint (header type %llu): bridges stay the root's",
			      name, fn->name, absent ? phys : (u64)(cfg8(fn, WD_PCI_HEADER + 2) & 0x7f));
	scan_caps(fn);
	setup_bars(fn);
	if (fn->msix_cap) {
		err = vpci_msix_setup(fn);
		if (!err)
			err = arch_vpci_msi_create(fn);
		if (err)
			return err;
	}
	fn_reset(fn);
	/* One call for both lines (the image's code budget); the second ignores devid. */
	printk(fn->has_devid ?
	       "cell '%s': PCI device %s sends its MSIs as ITS device id 0x%x\n" :
	       "cell '%s': PCI device %s has no ITS device id (msi-map): no MSI route\n",
	       name, fn->name, fn->devid);
	printk("cell '%s': PCI device %s is 00:%02x.%x on its virtual host (%u capabilities shown, %u MSI-X vectors)\n",
	       name, fn->name, (fn->vbdf >> 3) & 0x1f, fn->vbdf & 7,
	       fn->num_caps, fn->msix_cap ? fn->num_vectors : 0);
	return 0;
}

int vpci_phys_create(struct cell *cell)
{
	const struct wd_cell_desc *c = cell->config;
	const struct wd_pci_device *d = wd_cell_pci_devices(c);
	unsigned int n, num = vpci_count(c, WD_PCI_TYPE_DEVICE);
	struct vpci_phys *phys;
	int err;

	if (!num || cell == &root_cell)
		return 0;
	cell->vpci->phys_pages = PAGES(sizeof(*phys) + num * sizeof(phys->fn[0]));
	phys = page_alloc(cell->vpci->phys_pages);
	if (!phys)
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, 0,
			      "cell '%s': no memory for its physical PCI functions",
			      c->name);
	cell->vpci->phys = phys;	/* zeroed (page_alloc) */
	for (n = 0; n < c->num_pci_devices; n++) {
		if (d[n].type != WD_PCI_TYPE_DEVICE)
			continue;
		err = fn_init(cell, &phys->fn[phys->num], &d[n], phys->num);
		phys->num++;	/* counted even on error: destroy undoes it */
		if (err)
			return err;
	}
	return 0;
}

/* The MSI-X pages leave the cell's stage 2 and are trapped instead. */
int vpci_phys_trap(struct cell *cell)
{
	struct vpci_phys *phys = cell->vpci ? cell->vpci->phys : NULL;
	struct vpci_msix_trap *t;
	unsigned int n, i;
	int err;

	for (n = 0; phys && n < phys->num; n++)
		for (i = 0; i < 2; i++) {
			t = &phys->fn[n].trap[i];
			if (!t->ipa)
				continue;
			err = paging_unmap(&cell->stage2, t->ipa, t->size);
			if (!err)
				err = mmio_region_register(&cell->mmio, t->ipa, t->size,
							   vpci_msix_access, t);
			if (err)
				return refuse(err, WD_REASON_RESOURCES, 0, t->phys,
					      "cell '%s': cannot trap the MSI-X page(s) 0x%llx of PCI device %s (error %d)",
					      cell->config->name, t->ipa,
					      phys->fn[n].name, err);
		}
	return 0;
}

/* The vpci lock held (vpci_cell_reset). */
void vpci_phys_reset(struct cell *cell)
{
	struct vpci_phys *phys = cell->vpci->phys;
	unsigned int n;

	for (n = 0; phys && n < phys->num; n++)
		if (phys->fn[n].ecam)
			fn_reset(&phys->fn[n]);
}

void vpci_phys_msi_release(struct cell *cell)
{
	struct vpci_phys *phys = cell->vpci ? cell->vpci->phys : NULL;
	unsigned int n;

	for (n = 0; phys && n < phys->num; n++)
		arch_vpci_msi_release(&phys->fn[n]);
}

void vpci_phys_destroy(struct cell *cell)
{
	struct vpci_phys *phys = cell->vpci ? cell->vpci->phys : NULL;
	struct vpci_phys_fn *fn;
	unsigned int n;

	if (!phys)
		return;
	vpci_phys_msi_release(cell);	/* a create that failed: nothing aborted, nothing ran */
	for (n = 0; n < phys->num; n++) {
		fn = &phys->fn[n];
		if (fn->msix_cap)
			vpci_msix_release(fn);
		if (fn->ecam)
			arch_unmap_temp((void *)fn->ecam, ECAM_FN_SIZE);
	}
	page_free(phys, cell->vpci->phys_pages);
	cell->vpci->phys = NULL;
}

/* The capability shown that holds byte @reg, or -1. */
static int cap_at(const struct vpci_phys_fn *fn, unsigned int reg)
{
	unsigned int i;

	for (i = 0; i < fn->num_caps; i++)
		if (reg >= fn->cap_off[i] && reg < fn->cap_off[i] + fn->cap_len[i])
			return (int)i;
	return -1;
}

/* Byte @reg of the capability area as the cell sees it. */
static u8 cap_byte(const struct vpci_phys_fn *fn, unsigned int reg)
{
	int i = cap_at(fn, reg);
	unsigned int off;

	if (i < 0)
		return 0;
	off = fn->cap_off[i];
	if (reg == off + 1)
		return (unsigned int)i + 1 < fn->num_caps ? fn->cap_off[i + 1] : 0;
	if (off == fn->msix_cap && reg == off + 3)
		return (u8)(((cfg16(fn, off + 2) & PCI_MSIX_CTRL_SIZE) | fn->msix_ctrl) >> 8);
	return cfg8(fn, reg);
}

/* The configuration dword at @reg (a multiple of 4) as the cell sees it. */
u32 vpci_phys_cfg_read(const struct vpci_phys_fn *fn, unsigned int reg)
{
	u32 v = 0;
	unsigned int b;

	switch (reg) {
	case WD_PCI_VENDOR_ID:
	case WD_PCI_CLASS_REV:
	case WD_PCI_SUBSYSTEM:
		return cfg32(fn, reg);
	case WD_PCI_COMMAND:
		v = cfg32(fn, reg);
		v = (v & ~(u32)WD_PCI_CMD_INTX_OFF & ~((u32)WD_PCI_STS_CAPS << 16)) |
		    fn->intx_off | (fn->num_caps ? (u32)WD_PCI_STS_CAPS << 16 : 0);
		return v;
	case WD_PCI_HEADER:
		return cfg32(fn, reg) & 0x00ffffff;	/* BIST: not implemented */
	case WD_PCI_CAP_PTR:
		return fn->num_caps ? fn->cap_off[0] : 0;
	}
	if (reg >= WD_PCI_BAR0 && reg < WD_PCI_BAR0 + 4 * VPCI_PHYS_NUM_BARS) {
		unsigned int n = (reg - WD_PCI_BAR0) / 4;

		return fn->bar_sizing[n] ? fn->bar_mask[n] : fn->bar_value[n];
	}
	if (reg >= CAP_FIRST && reg < CFG_STD_END) {
		for (b = 0; b < 4; b++)
			v |= (u32)cap_byte(fn, reg + b) << (8 * b);
		return v;
	}
	return 0;	/* CardBus CIS, ROM, interrupt line/pin, extended space */
}

/* @value: the whole dword after the cell's bytes were merged in; @bytes: which it wrote. */
void vpci_phys_cfg_write(struct vpci_phys_fn *fn, unsigned int reg, u32 value, u32 bytes)
{
	u16 cmd;

	if (reg == WD_PCI_COMMAND && (bytes & 0xffff)) {
		cmd = cfg16(fn, WD_PCI_COMMAND);
		cmd = (u16)((cmd & ~CMD_CELL_BITS) | (value & CMD_CELL_BITS) |
			    WD_PCI_CMD_INTX_OFF);
		mmio_write(fn->ecam + WD_PCI_COMMAND, 2, cmd);
		fn->intx_off = (u16)(value & WD_PCI_CMD_INTX_OFF);
	} else if (reg >= WD_PCI_BAR0 && reg < WD_PCI_BAR0 + 4 * VPCI_PHYS_NUM_BARS) {
		unsigned int n = (reg - WD_PCI_BAR0) / 4;
		u32 mask = fn->bar_mask[n] & ~0xfU;

		/* Sizing only: the BAR stays where the root put it. */
		fn->bar_sizing[n] = mask && (value & mask) == mask;
	} else if (fn->msix_cap && reg == fn->msix_cap && (bytes & 0xff000000)) {
		vpci_msix_control(fn, (u16)(value >> 16) &
				  (PCI_MSIX_CTRL_ENABLE | PCI_MSIX_CTRL_MASKALL));
	}
}

struct vpci_phys_fn *vpci_phys_fn_at(struct cell *cell, u16 vbdf)
{
	struct vpci_phys *phys = cell->vpci ? cell->vpci->phys : NULL;
	unsigned int n;

	for (n = 0; phys && n < phys->num; n++)
		if (phys->fn[n].ecam && phys->fn[n].vbdf == vbdf)
			return &phys->fn[n];
	return NULL;
}
