// SPDX-License-Identifier: GPL-2.0
/*
 * uio_ivshmem: user-space access to an ivshmem-v2 device of the generic
 * protocol (class 0xff0000), with the map layout Jailhouse's uio_ivshmem
 * gives, so that programs written for it (Jailhouse's ivshmem-demo) run
 * unchanged:
 *
 *   map0  registers (BAR0), uncached            read/write
 *   map1  state table                           read-only
 *   map2  read/write section (only if not empty) read/write
 *   map3  input sections: every peer's output    read-only
 *   map4  this peer's own output section         read/write
 *
 * (with an empty read/write section the last two become map2 and map3).
 * Map N is mmap()ed at file offset N pages. The shared memory is mapped
 * cacheable, as the other peers map it. Read-only maps refuse PROT_WRITE.
 *
 * Interrupts: vector 0 of MSI-X where the device has a table (the root on a
 * board with an ITS), else INTx. read() on /dev/uioN returns the event count. The device is
 * put in one-shot mode, so the hypervisor disables further interrupts when
 * it delivers one; user space re-arms by writing 1 to the Interrupt Control
 * register (map0 + 8), or by writing a non-zero s32 to /dev/uioN. Closing
 * the device file sets the peer's state to 0.
 *
 * irq_counter (sysfs, on the PCI device, arm64 only): the virtual counter
 * (CNTVCT_EL0, the clock every cell shares) read on entry to this driver's
 * interrupt handler for the last interrupt, 0 before the first. A peer that
 * writes its counter into shared memory before ringing gets the doorbell's
 * latency from it (bench/ivshmem.sh, cell -> root).
 */
#include <linux/io.h>
#include <linux/interrupt.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/uio_driver.h>
#include <linux/version.h>
#ifdef CONFIG_ARM64
#include <asm/arch_timer.h>
#endif

#include <warden/ivshmem.h>

#define DRV_NAME "uio_ivshmem"

enum { MAP_REGS, MAP_STATE, MAP_RW, MAP_INPUT, MAP_OUTPUT, NR_MAPS };

struct ivsh_uio {
	struct uio_info info;
	struct pci_dev *pdev;
	void __iomem *regs;
	bool readonly[MAX_UIO_MAPS];
	bool cached[MAX_UIO_MAPS];
	u64 irq_counter;		/* CNTVCT at the last interrupt */
	int extra_vectors;		/* MSI-X vectors 1.. with a handler here */
};

static u64 ivsh_cap_read64(struct pci_dev *pdev, int cap, int off)
{
	u32 lo, hi;

	pci_read_config_dword(pdev, cap + off, &lo);
	pci_read_config_dword(pdev, cap + off + 4, &hi);
	return (u64)hi << 32 | lo;
}

static irqreturn_t ivsh_uio_handler(int irq, struct uio_info *info)
{
#ifdef CONFIG_ARM64
	struct ivsh_uio *iv = info->priv;

	WRITE_ONCE(iv->irq_counter, __arch_counter_get_cntvct());
#endif
	/* The device has no status register: a shared line is always ours too. */
	return IRQ_HANDLED;
}

/* MSI-X vectors but 0 (the UIO core's): the same event. */
static irqreturn_t ivsh_uio_vector(int irq, void *data)
{
	struct ivsh_uio *iv = data;

	ivsh_uio_handler(irq, &iv->info);
	uio_event_notify(&iv->info);
	return IRQ_HANDLED;
}

#ifdef CONFIG_ARM64
static ssize_t irq_counter_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct ivsh_uio *iv = pci_get_drvdata(to_pci_dev(dev));

	return sysfs_emit(buf, "%llu\n", iv ? READ_ONCE(iv->irq_counter) : 0ULL);
}
static DEVICE_ATTR_ADMIN_RO(irq_counter);

static struct attribute *ivsh_uio_attrs[] = {
	&dev_attr_irq_counter.attr,
	NULL
};
ATTRIBUTE_GROUPS(ivsh_uio);
#endif

static int ivsh_uio_irqcontrol(struct uio_info *info, s32 on)
{
	struct ivsh_uio *iv = info->priv;

	writel(on ? 1 : 0, iv->regs + WD_IVSHMEM_REG_INT_CTRL);
	return 0;
}

static int ivsh_uio_release(struct uio_info *info, struct inode *inode)
{
	struct ivsh_uio *iv = info->priv;

	writel(0, iv->regs + WD_IVSHMEM_REG_STATE);
	return 0;
}

static int ivsh_uio_mmap(struct uio_info *info, struct vm_area_struct *vma)
{
	struct ivsh_uio *iv = info->priv;
	unsigned long mi = vma->vm_pgoff;
	struct uio_mem *mem;
	unsigned long len = vma->vm_end - vma->vm_start;

	/* The uio core checked mi against MAX_UIO_MAPS and the map's size. */
	mem = &info->mem[mi];
	if (len > PAGE_ALIGN(mem->size))
		return -EINVAL;
	if (iv->readonly[mi]) {
		if (vma->vm_flags & VM_WRITE)
			return -EPERM;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
		vm_flags_clear(vma, VM_MAYWRITE);
#else
		vma->vm_flags &= ~VM_MAYWRITE;
#endif
	}
	if (!iv->cached[mi])
		vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return remap_pfn_range(vma, vma->vm_start, mem->addr >> PAGE_SHIFT, len,
			       vma->vm_page_prot);
}

static void ivsh_uio_map(struct ivsh_uio *iv, int n, const char *name,
			 phys_addr_t addr, resource_size_t size, bool readonly)
{
	struct uio_mem *mem = &iv->info.mem[n];

	mem->name = name;
	mem->addr = addr;
	mem->size = size;
	mem->memtype = UIO_MEM_IOVA;
	iv->readonly[n] = readonly;
	iv->cached[n] = true;
}

static int ivsh_uio_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	phys_addr_t base, addr;
	u64 state_size, rw_size, out_size;
	u32 peer_id, max_peers, state32;
	struct ivsh_uio *iv;
	int cap, n, err, nvec;
	unsigned int flags;

	iv = devm_kzalloc(dev, sizeof(*iv), GFP_KERNEL);
	if (!iv)
		return -ENOMEM;
	iv->pdev = pdev;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	/*
	 * No pci_request_regions(): on a virtual host the BARs may lie inside
	 * a range another driver claimed for hardware that is not there.
	 */
	if (!(pci_resource_flags(pdev, 0) & IORESOURCE_MEM) || !pci_resource_len(pdev, 0)) {
		dev_err(dev, "BAR0 (registers) is missing\n");
		return -ENODEV;
	}
	iv->regs = devm_ioremap(dev, pci_resource_start(pdev, 0), pci_resource_len(pdev, 0));
	if (!iv->regs)
		return -ENOMEM;

	cap = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
	if (!cap) {
		dev_err(dev, "no vendor capability: cannot locate the shared memory\n");
		return -ENODEV;
	}
	pci_read_config_dword(pdev, cap + WD_IVSHMEM_CAP_STATE_SIZE, &state32);
	state_size = state32;
	rw_size = ivsh_cap_read64(pdev, cap, WD_IVSHMEM_CAP_RW_SIZE);
	out_size = ivsh_cap_read64(pdev, cap, WD_IVSHMEM_CAP_OUT_SIZE);
	if (pci_resource_len(pdev, 2))
		base = pci_resource_start(pdev, 2);
	else
		base = ivsh_cap_read64(pdev, cap, WD_IVSHMEM_CAP_ADDRESS);
	peer_id = readl(iv->regs + WD_IVSHMEM_REG_ID);
	max_peers = readl(iv->regs + WD_IVSHMEM_REG_MAX_PEERS);

	if (!state_size || !PAGE_ALIGNED(base) || peer_id >= max_peers) {
		dev_err(dev, "unusable shared memory: base %pa, state table 0x%llx bytes, ID %u of %u peers\n",
			&base, state_size, peer_id, max_peers);
		return -EINVAL;
	}

	ivsh_uio_map(iv, MAP_REGS, "registers", pci_resource_start(pdev, 0),
		     pci_resource_len(pdev, 0), false);
	iv->cached[MAP_REGS] = false;
	iv->info.mem[MAP_REGS].memtype = UIO_MEM_PHYS;
	ivsh_uio_map(iv, MAP_STATE, "state_table", base, state_size, true);
	addr = base + state_size;
	n = MAP_RW;
	if (rw_size) {
		ivsh_uio_map(iv, n++, "rw_section", addr, rw_size, false);
		addr += rw_size;
	}
	if (out_size) {
		ivsh_uio_map(iv, n++, "input_sections", addr, out_size * max_peers, true);
		ivsh_uio_map(iv, n++, "output_section", addr + out_size * peer_id, out_size, false);
	}

	iv->info.name = DRV_NAME;
	iv->info.version = "1";
	iv->info.priv = iv;
	iv->info.mmap = ivsh_uio_mmap;
	iv->info.release = ivsh_uio_release;
	iv->info.irqcontrol = ivsh_uio_irqcontrol;
	/*
	 * Every MSI-X vector where the device has a table (a peer rings the
	 * vector its convention says: Jailhouse's demos ring their ID + 1), all
	 * one UIO event; else INTx.
	 */
	nvec = pci_msix_vec_count(pdev);
	/*
	 * No MSI-X capability: INTx alone, so that no msi_irqs directory
	 * appears (Jailhouse's ivshmem-demo takes it for MSI-X and rings
	 * vector ID + 1, which an INTx peer drops).
	 */
	if (nvec > 0)
		flags = PCI_IRQ_ALL_TYPES & ~PCI_IRQ_MSI;
	else
		flags = PCI_IRQ_ALL_TYPES & ~(PCI_IRQ_MSI | PCI_IRQ_MSIX);
	if (pci_alloc_irq_vectors(pdev, 1, nvec > 0 ? nvec : 1, flags) > 0) {
		iv->info.irq = pci_irq_vector(pdev, 0);
		iv->info.irq_flags = pdev->msix_enabled ? 0 : IRQF_SHARED;
		iv->info.handler = ivsh_uio_handler;
	} else {
		dev_warn(dev, "no interrupt (no INTx, no MSI-X): doorbells to this peer go unnoticed\n");
		iv->info.irq = UIO_IRQ_NONE;
	}

	/* One-shot: each delivered interrupt disables the next until re-armed. */
	pci_write_config_byte(pdev, cap + WD_IVSHMEM_CAP_PRIV, WD_IVSHMEM_PRIV_ONESHOT);

	err = uio_register_device(dev, &iv->info);
	if (err) {
		pci_free_irq_vectors(pdev);
		return err;
	}
	for (n = 1; pdev->msix_enabled && n < nvec; n++) {
		err = request_irq(pci_irq_vector(pdev, n), ivsh_uio_vector, 0, DRV_NAME, iv);
		if (err) {
			dev_warn(dev, "MSI-X vector %d: no handler (%d), its doorbells go unnoticed\n",
				 n, err);
			break;
		}
		iv->extra_vectors = n;
	}
	pci_set_master(pdev);
	pci_set_drvdata(pdev, iv);
	dev_info(dev, "peer %u of %u, state table 0x%llx, R/W section 0x%llx, output sections 0x%llx bytes at %pa, %s\n",
		 peer_id, max_peers, state_size, rw_size, out_size, &base,
		 pdev->msix_enabled ? "MSI-X" : iv->info.irq == UIO_IRQ_NONE ? "no interrupt" : "INTx");
	return 0;
}

static void ivsh_uio_remove(struct pci_dev *pdev)
{
	struct ivsh_uio *iv = pci_get_drvdata(pdev);
	int n;

	writel(0, iv->regs + WD_IVSHMEM_REG_INT_CTRL);
	for (n = 1; n <= iv->extra_vectors; n++)
		free_irq(pci_irq_vector(pdev, n), iv);
	uio_unregister_device(&iv->info);
	pci_free_irq_vectors(pdev);
	pci_clear_master(pdev);
}

static const struct pci_device_id ivsh_uio_ids[] = {
	{ PCI_DEVICE(WD_IVSHMEM_VENDOR_ID, WD_IVSHMEM_DEVICE_ID),
	  .class = (WD_IVSHMEM_CLASS << 16) | WD_SHMEM_PROTO_UNDEFINED,
	  .class_mask = 0xffffff },
	{ }
};
MODULE_DEVICE_TABLE(pci, ivsh_uio_ids);

static struct pci_driver ivsh_uio_driver = {
	.name = DRV_NAME,
	.id_table = ivsh_uio_ids,
	.probe = ivsh_uio_probe,
	.remove = ivsh_uio_remove,
#ifdef CONFIG_ARM64
	.dev_groups = ivsh_uio_groups,
#endif
};
module_pci_driver(ivsh_uio_driver);

MODULE_DESCRIPTION("UIO driver for ivshmem-v2 shared memory devices (Jailhouse map layout)");
MODULE_LICENSE("GPL");
