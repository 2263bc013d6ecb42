/*
 * The virtual PCI host bridge of every cell (the root included): an ECAM
 * window at the platform's pci_mmconfig_base, (end_bus + 1) buses of 256
 * functions of 4 KiB each, trapped and emulated. A cell sees there exactly the
 * ivshmem devices of its own configuration, at their BDFs; every other
 * function reads as all ones (no device). Writes change only the fields a
 * PCI device lets software change (command, BARs, interrupt line, the
 * one-shot bit and MSI-X control); all else is ignored.
 *
 * Every access is checked before anything is read or written: 1, 2 or 4
 * bytes, naturally aligned (mmio.c refuses misaligned ones), inside the
 * window. An 8-byte access is refused, as on a real ECAM with 32-bit
 * configuration transactions; the cell is stopped for it like for any other
 * refused MMIO access.
 *
 * The register block (BAR 0) and the MSI-X table (BAR 1) are where the cell
 * puts them: their accesses come here as the cell's MMIO fallback (nothing
 * else emulates or maps that address) while the device decodes memory.
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

static u64 ecam_size(void)
{
	return ((u64)system_config->platform.pci_mmconfig_end_bus + 1) * WD_ECAM_BUS_SIZE;
}

static bool msix_bars(const struct wd_pci_device *d)
{
	return d->bar_mask[1] != 0;
}

static u32 bar_size(u32 mask)
{
	return mask ? ~mask + 1 : 0;
}

/* The memory region @n of @c, or NULL past the end. */
static const struct wd_mem_region *region(const struct wd_cell_desc *c, u64 n)
{
	return n < c->num_memory_regions ? &wd_cell_mem_regions(c)[n] : NULL;
}

/* INTID of INTx pin A + (device number & 3), as the host's interrupt-map has it. */
static unsigned int intx_irq_of(const struct wd_cell_desc *c,
				const struct wd_pci_device *d)
{
	return 32 + c->vpci_irq_base + ((d->bdf >> 3) & 3);
}

static bool cell_claims_irq(const struct wd_cell_desc *c, unsigned int irq)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(c);
	unsigned int n, bit;

	for (n = 0; n < c->num_irqchips; n++, chip++) {
		if (chip->address != system_config->platform.arm.gicd_base ||
		    irq < chip->pin_base || irq - chip->pin_base >= WD_IRQCHIP_PINS)
			continue;
		bit = irq - chip->pin_base;
		if (chip->pin_bitmap[bit / 32] & (1U << (bit % 32)))
			return true;
	}
	return false;
}

unsigned int vpci_count(const struct wd_cell_desc *c, u8 type)
{
	const struct wd_pci_device *d = wd_cell_pci_devices(c);
	unsigned int n, num = 0;

	for (n = 0; n < c->num_pci_devices; n++)
		num += d[n].type == type;
	return num;
}

/*
 * The configuration against the running system, before anything changes:
 * each link's peers must agree (ivshmem.c), INTx must be an SPI the cell
 * owns, and the cell must not take an SPI that is the root's INTx.
 */
int vpci_cell_check(const struct wd_cell_desc *c)
{
	const struct wd_pci_device *d = wd_cell_pci_devices(c);
	unsigned int n, irq, word;
	const struct wd_irqchip *chip;
	struct cell *user;
	int err;

	for (n = 0; n < c->num_pci_devices; n++) {
		if (d[n].type != WD_PCI_TYPE_IVSHMEM)
			continue;
		/* One call for both (the image's code budget); the first ignores the bus. */
		if (!system_config->platform.pci_mmconfig_base ||
		    (d[n].bdf >> 8) > system_config->platform.pci_mmconfig_end_bus)
			return refuse(-EINVAL, WD_REASON_CONFIG, 0, 0,
				      !system_config->platform.pci_mmconfig_base ?
				      "cell '%s': ivshmem %02x:%02x.%x, but the system has no virtual PCI host (pci_mmconfig_base 0)" :
				      "cell '%s': ivshmem %02x:%02x.%x is beyond the virtual PCI host's last bus %u",
				      c->name, d[n].bdf >> 8, (d[n].bdf >> 3) & 0x1f,
				      d[n].bdf & 7,
				      system_config->platform.pci_mmconfig_end_bus);
		irq = intx_irq_of(c, &d[n]);
		if (!msix_bars(&d[n]) && (irq >= MAX_IRQS || !cell_claims_irq(c, irq)))
			printk("cell '%s': ivshmem %02x:%02x.%x: its INTx, SPI %u (vpci_irq_base %u + pin %c), is not among the cell's interrupts (irqchips): the device will have no interrupt\n",
			       c->name, d[n].bdf >> 8, (d[n].bdf >> 3) & 0x1f,
			       d[n].bdf & 7, irq, c->vpci_irq_base,
			       'A' + ((d[n].bdf >> 3) & 3));
		err = ivshmem_link_check(c, &d[n]);
		if (err)
			return err;
	}
	/* An SPI that carries the root's own ivshmem INTx stays the root's. */
	chip = wd_cell_irqchips(c);
	for (n = 0; n < c->num_irqchips; n++, chip++)
		for (word = 0; word < WD_IRQCHIP_PINS; word++) {
			if (!(chip->pin_bitmap[word / 32] & (1U << (word % 32))))
				continue;
			irq = chip->pin_base + word;
			user = vpci_irq_user(irq);
			if (user)
				return refuse(-EBUSY, WD_REASON_IRQ, irq, 0,
					      "cell '%s': SPI %u is the INTx of an ivshmem device of cell '%s'",
					      c->name, irq, user->config->name);
		}
	return 0;
}

struct cell *vpci_irq_user(unsigned int irq)
{
	struct cell *cell;
	unsigned int n;

	for (cell = cells; cell; cell = cell->next) {
		if (!cell->vpci)
			continue;
		for (n = 0; n < cell->vpci->num; n++)
			if (cell->vpci->dev[n].intx_irq == irq)
				return cell;
	}
	return NULL;
}

/*
 * Out of reset: command, BARs, interrupt line, one-shot and MSI-X control
 * (the bits the cell may write) 0, every vector masked, interrupts off.
 */
static void dev_reset(struct vpci_dev *dev)
{
	unsigned int n;

	for (n = 0; n < WD_IVSHMEM_CFG_SIZE / 4; n++)
		dev->space[n] &= ~dev->wmask[n];
	mmio_layout_changed(&dev->cell->mmio);
	__atomic_store_n(&dev->int_ctrl, 0, __ATOMIC_RELAXED);
	memset(dev->msix, 0, sizeof(dev->msix));
	for (n = 0; n < WD_IVSHMEM_MAX_MSIX; n++)
		dev->msix[n][3] = 1;	/* vector masked */
}

/* @dev's fields and its configuration space (in memory page_alloc zeroed). */
static void dev_init(struct cell *cell, struct vpci_dev *dev,
		     const struct wd_pci_device *d)
{
	const struct wd_cell_desc *c = cell->config;
	const struct wd_mem_region *r;
	u32 *s = dev->space, *w = dev->wmask, *p;
	unsigned int n;
	u64 v;

	dev->cfg = d;
	dev->cell = cell;
	dev->bdf = d->bdf;
	dev->id = d->shmem_dev_id;
	dev->peers = d->shmem_peers;
	dev->bar_size[0] = bar_size(d->bar_mask[0]);
	dev->bar_size[1] = msix_bars(d) ? bar_size(d->bar_mask[1]) : 0;
	if (msix_bars(d)) {
		dev->num_vectors = MIN(MAX(d->num_msix_vectors, 1U),
				       (unsigned int)WD_IVSHMEM_MAX_MSIX);
		dev->intx_irq = 0;
	} else {
		dev->num_vectors = 1;
		dev->intx_irq = intx_irq_of(c, d);
		/* Not the cell's (said at the check): no interrupt, pin 0. */
		if (dev->intx_irq >= MAX_IRQS || !cell_claims_irq(c, dev->intx_irq))
			dev->intx_irq = 0;
	}
	s[WD_PCI_VENDOR_ID / 4] = s[WD_PCI_SUBSYSTEM / 4] =
		WD_IVSHMEM_VENDOR_ID | (WD_IVSHMEM_DEVICE_ID << 16);
	s[VPCI_DW_COMMAND] = WD_PCI_STS_CAPS << 16;
	w[VPCI_DW_COMMAND] = WD_PCI_CMD_MEM | WD_PCI_CMD_MASTER | WD_PCI_CMD_INTX_OFF;
	s[WD_PCI_CLASS_REV / 4] = (WD_IVSHMEM_CLASS << 24) | ((u32)d->shmem_protocol << 8);
	w[VPCI_DW_BAR0] = d->bar_mask[0];
	s[WD_PCI_CAP_PTR / 4] = WD_IVSHMEM_CAP;
	s[WD_PCI_INT / 4] = (dev->intx_irq ? 1 + ((dev->bdf >> 3) & 3) : 0) << 8;
	w[WD_PCI_INT / 4] = 0xff;
	s[VPCI_DW_PRIV] = WD_PCI_CAP_VENDOR | (WD_IVSHMEM_CAP_LEN << 16);
	w[VPCI_DW_PRIV] = (u32)WD_IVSHMEM_PRIV_ONESHOT << 24;
	/* The validator made sure the regions exist (config-ivshmem.c). */
	for (n = 0; n < 3; n++) {
		r = region(c, (u64)d->shmem_regions_start + n);
		v = r ? r->size : 0;
		/* State table size (32 bits), r/w section size, output section size. */
		p = &s[(WD_IVSHMEM_CAP + WD_IVSHMEM_CAP_STATE_SIZE) / 4 + (n ? 2 * n - 1 : 0)];
		_Static_assert(WD_IVSHMEM_CAP_RW_SIZE == WD_IVSHMEM_CAP_STATE_SIZE + 4 &&
			       WD_IVSHMEM_CAP_OUT_SIZE == WD_IVSHMEM_CAP_RW_SIZE + 8, "sizes");
		p[0] = (u32)v;
		if (n)
			p[1] = (u32)(v >> 32);
		else if (r) {	/* and its guest address */
			s[(WD_IVSHMEM_CAP + WD_IVSHMEM_CAP_ADDRESS) / 4] = (u32)r->virt_start;
			s[(WD_IVSHMEM_CAP + WD_IVSHMEM_CAP_ADDRESS) / 4 + 1] =
				(u32)(r->virt_start >> 32);
		}
	}
	if (dev->bar_size[1]) {
		s[VPCI_DW_PRIV] |= WD_IVSHMEM_MSIX_CAP << 8;
		w[VPCI_DW_BAR0 + 1] = d->bar_mask[1];
		s[VPCI_DW_MSIX] = WD_PCI_CAP_MSIX | ((dev->num_vectors - 1) << 16);
		w[VPCI_DW_MSIX] = WD_PCI_MSIX_ENABLE | WD_PCI_MSIX_MASKALL;
		s[VPCI_DW_MSIX + 1] = 1;			/* table: BAR 1, offset 0 */
		s[VPCI_DW_MSIX + 2] = 1 | WD_IVSHMEM_MSIX_PBA;	/* PBA: BAR 1, 0x100 */
	}
	dev_reset(dev);
}

/*
 * The cell's devices and its ECAM window; the devices join their links.
 * On error the caller frees the cell (vpci_cell_destroy undoes what was done).
 */
int vpci_cell_create(struct cell *cell)
{
	const struct wd_cell_desc *c = cell->config;
	const struct wd_pci_device *d = wd_cell_pci_devices(c);
	u64 base = system_config->platform.pci_mmconfig_base;
	unsigned int n, num = vpci_count(c, WD_PCI_TYPE_IVSHMEM);
	struct vpci *vpci;
	int err;

	if (!base)
		return 0;
	cell->vpci_pages = PAGES(sizeof(*vpci) + num * sizeof(vpci->dev[0]));
	vpci = page_alloc(cell->vpci_pages);
	if (!vpci)
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, 0,
			      "cell '%s': no memory for its virtual PCI devices",
			      c->name);
	cell->vpci = vpci;	/* zeroed (page_alloc) */
	for (n = 0; n < c->num_pci_devices; n++)
		if (d[n].type == WD_PCI_TYPE_IVSHMEM)
			dev_init(cell, &vpci->dev[vpci->num++], &d[n]);
	err = mmio_region_register(&cell->mmio, base, ecam_size(),
				   vpci_ecam_access, cell);
	if (err)
		return refuse(err, WD_REASON_RESOURCES, 0, base,
			      "cell '%s': cannot trap the virtual PCI window at 0x%llx (error %d)",
			      c->name, base, err);
	cell->mmio.fallback = vpci_bar_access;
	cell->mmio.fallback_arg = cell;
	mmio_layout_changed(&cell->mmio);
	for (n = 0; n < vpci->num; n++) {
		err = ivshmem_attach(&vpci->dev[n]);
		if (err)
			return err;
	}
	return vpci_phys_create(cell);	/* names the device itself */
}

/* The cell stopped (shut down, failed, set loadable): its peers are told. */
void vpci_cell_stopped(struct cell *cell)
{
	unsigned int n;

	for (n = 0; cell->vpci && n < cell->vpci->num; n++)
		ivshmem_peer_down(&cell->vpci->dev[n]);
}

/*
 * The cell starts (again): its peers see state 0, its devices come out of
 * reset (no peer looks at another cell's device: the order is free).
 */
void vpci_cell_reset(struct cell *cell)
{
	unsigned int n;

	vpci_cell_stopped(cell);
	if (!cell->vpci)
		return;
	spin_lock(&cell->vpci->lock);
	for (n = 0; n < cell->vpci->num; n++)
		dev_reset(&cell->vpci->dev[n]);
	vpci_phys_reset(cell);
	spin_unlock(&cell->vpci->lock);
}

void vpci_cell_destroy(struct cell *cell)
{
	unsigned int n;

	if (!cell->vpci)
		return;
	for (n = 0; n < cell->vpci->num; n++)
		if (cell->vpci->dev[n].link)
			ivshmem_detach(&cell->vpci->dev[n]);
	vpci_phys_destroy(cell);
	page_free(cell->vpci, cell->vpci_pages);
	cell->vpci = NULL;
	cell->mmio.fallback = NULL;
	mmio_layout_changed(&cell->mmio);
}

struct vpci_dev *vpci_dev_at(struct cell *cell, u16 bdf)
{
	unsigned int n;

	for (n = 0; n < cell->vpci->num; n++)
		if (cell->vpci->dev[n].bdf == bdf)
			return &cell->vpci->dev[n];
	return NULL;
}

enum mmio_result vpci_ecam_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	u32 ones = acc->size == 4 ? 0xffffffffU : (1U << (acc->size * 8)) - 1;
	unsigned int reg = acc->address & 0xfff, shift = (reg & 3) * 8;
	u16 bdf = (u16)(acc->address >> WD_ECAM_FN_SHIFT);
	struct vpci_phys_fn *fn = NULL;
	struct vpci_dev *dev;
	u32 old, bytes = ones << shift, mask, merged;

	if (acc->size != 1 && acc->size != 2 && acc->size != 4)
		return MMIO_ERROR;
	dev = vpci_dev_at(cell, bdf);
	if (!dev) {
		/* A physical function of the cell's (vpci-phys.c)? */
		fn = vpci_phys_fn_at(cell, bdf);
		if (fn && (reg & (acc->size - 1)))
			return MMIO_ERROR;
	}
	if (!fn && (!dev || reg >= WD_IVSHMEM_CFG_SIZE)) {
		/* No such function, or beyond the emulated space: all ones. */
		if (!acc->is_write)
			acc->value = ones;
		return MMIO_HANDLED;
	}
	/* Both kinds of function: read the dword, merge the cell's bytes in. */
	spin_lock(&cell->vpci->lock);
	old = fn ? vpci_phys_cfg_read(fn, reg & ~3U) : dev->space[reg / 4];
	merged = (old & ~bytes) | (((u32)acc->value << shift) & bytes);
	if (!acc->is_write) {
		acc->value = (old >> shift) & ones;
	} else if (fn) {
		vpci_phys_cfg_write(fn, reg & ~3U, merged, bytes);
	} else {
		mask = dev->wmask[reg / 4] & bytes;
		if (mask) {
			WRITE_ONCE(dev->space[reg / 4], (old & ~mask) | (merged & mask));
			/* Memory decoding and BARs: where the BARs' accesses go. */
			if (reg / 4 < WD_PCI_INT / 4)
				mmio_layout_changed(&cell->mmio);
		}
	}
	spin_unlock(&cell->vpci->lock);
	return MMIO_HANDLED;
}

/* An access to the MSI-X table or PBA (BAR 1) at offset @off. */
static enum mmio_result msix_access(struct vpci *vpci, struct vpci_dev *dev,
				    u64 off, struct mmio_access *acc)
{
	unsigned int entry = off / 16, word = (off % 16) / 4;

	if (acc->size != 4)
		return MMIO_ERROR;
	if (off >= WD_IVSHMEM_MSIX_PBA) {
		/* Pending bits: nothing is held back while masked. */
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}
	if (entry >= dev->num_vectors) {
		if (!acc->is_write)
			acc->value = 0;
		return MMIO_HANDLED;
	}
	spin_lock(&vpci->lock);
	if (!acc->is_write)
		acc->value = dev->msix[entry][word];
	else
		dev->msix[entry][word] = word == 3 ? (u32)acc->value & 1 : (u32)acc->value;
	spin_unlock(&vpci->lock);
	return MMIO_HANDLED;
}

/*
 * An access nothing else of the cell handles: the register block or MSI-X
 * table of one of its devices that decodes memory, or nobody's.
 */
struct vpci_dev *vpci_bar_find(struct cell *cell, u64 addr, unsigned int *bar,
			       u64 *off)
{
	struct vpci *vpci = cell->vpci;
	struct vpci_dev *dev;
	unsigned int n, b;

	if (!vpci)
		return NULL;
	for (n = 0; n < vpci->num; n++) {
		dev = &vpci->dev[n];
		if (!(READ_ONCE(dev->space[VPCI_DW_COMMAND]) & WD_PCI_CMD_MEM))
			continue;
		for (b = 0; b < 2; b++) {
			if (!dev->bar_size[b])
				continue;
			*off = addr - READ_ONCE(dev->space[VPCI_DW_BAR0 + b]);
			if (*off >= dev->bar_size[b])
				continue;
			*bar = b;
			return dev;
		}
	}
	return NULL;
}

enum mmio_result vpci_bar_access(void *arg, struct mmio_access *acc)
{
	struct cell *cell = arg;
	struct vpci_dev *dev;
	unsigned int b;
	u64 off;

	dev = vpci_bar_find(cell, acc->address, &b, &off);
	if (!dev)
		return MMIO_UNHANDLED;
	if (off + acc->size > dev->bar_size[b])
		return MMIO_ERROR;
	/* What the light exit may take itself next time (ivshmem-fast.c). */
	if (b == 0 && off == WD_IVSHMEM_REG_DOORBELL && acc->is_write && acc->size == 4)
		ivshmem_doorbell_learn(acc->address, dev);
	return b == 0 ? ivshmem_reg_access(dev, off, acc) :
			msix_access(cell->vpci, dev, off, acc);
}

long vpci_info(u64 arg)
{
	struct cell *cell = cell_by_id((u32)arg);
	unsigned int index = (arg >> 32) & 0xff, what = (arg >> 40) & 0xff;
	const struct vpci_dev *dev;

	if (!cell)
		return -ENOENT;
	if (!cell->vpci || index >= cell->vpci->num)
		return -ENODEV;
	dev = &cell->vpci->dev[index];
	if (!what)
		return (long)(dev->bdf | (u64)dev->id << 16 | (u64)dev->peers << 24 |
			      (u64)dev->cfg->shmem_protocol << 32 |
			      (u64)(dev->cfg->domain & 0x7fff) << 48);
	return ivshmem_peer_state(dev, what - 1);
}
