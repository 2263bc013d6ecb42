// SPDX-License-Identifier: GPL-2.0
/*
 * The root cell's virtual PCI host bridge.
 *
 * When the system configuration has a virtual PCI host (pci_is_virtual, an
 * ECAM window at pci_mmconfig_base) and the root cell has ivshmem devices,
 * the hypervisor emulates that ECAM window for the root. Jailhouse tells
 * Linux about it with a device-tree overlay; Debian's kernels have no
 * CONFIG_OF_OVERLAY, so warden.ko registers the host bridge itself after
 * enable, under a platform device of its own ("warden-vpci"), and removes it
 * before disable, while the hypervisor still answers the config and register
 * accesses the drivers' remove paths make.
 *
 * ECAM: the kernel's generic ECAM accessors (pci_generic_ecam_ops) on a
 * config window mapped here. pci_ecam_create() cannot be used: it claims
 * the window in iomem_resource, and on boards where the window lies inside a
 * range another driver claimed (QEMU virt: the GIC driver claims the whole
 * redistributor region 0x080a0000-0x08ffffff, which holds 0x08e00000) that
 * fails although nothing real is there.
 *
 * Memory window: one 32-bit non-prefetchable window right after the ECAM
 * window, big enough for every BAR of the root's ivshmem devices (as
 * Jailhouse places it); the hypervisor traps the addresses Linux assigns.
 *
 * INTx: pin n of the bus is SPI vpci_irq_base + n - 1, edge-rising, mapped
 * through the interrupt controller that is the device tree root's
 * interrupt-parent (the GIC).
 *
 * MSI-X: when the root's ivshmem devices have an MSI-X table (bar_mask[1])
 * and the device tree has a GICv3 ITS with a PCI MSI domain, the bridge gets
 * that domain, and its buses are numbered from WD_VPCI_ROOT_ITS_BUS on
 * (include/warden/ivshmem.h): with no msi-map on this host, Linux's ITS
 * DeviceID is the requester id, and at that bus it is one the hypervisor
 * knows as the device's (it interprets the ITS commands for it) and no
 * physical function has. A PCI bus of that number elsewhere would make the
 * ids ambiguous: then no MSI domain, and the host stays at bus 0.
 */
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/pci.h>
#include <linux/pci-ecam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <warden/ivshmem.h>

#include "warden.h"
#include "vpci-host.h"

#define WD_VPCI_ECAM_BUS_SIZE	(1UL << 20)	/* 256 functions * 4 KiB */
#define WD_VPCI_PINS		4
/* Jailhouse's value for "do not set a PCI domain" */
#define WD_VPCI_NO_DOMAIN	0xffff

static struct {
	struct platform_device *pdev;
	struct pci_bus *bus;
	struct pci_config_window cfg;
	struct resource mem;
	unsigned int irq[WD_VPCI_PINS];
	bool irq_created[WD_VPCI_PINS];
} vh;

static int wd_vpci_map_irq(const struct pci_dev *dev, u8 slot, u8 pin)
{
	if (pin < 1 || pin > WD_VPCI_PINS)
		return 0;
	return vh.irq[pin - 1];
}

/* Size of the BARs an ivshmem device's bar_mask asks for (32-bit BARs). */
static u64 wd_vpci_bar_bytes(const struct wd_pci_device *d)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(d->bar_mask); i++)
		if (d->bar_mask[i])
			sum += roundup_pow_of_two((u64)(~d->bar_mask[i]) + 1);
	return sum;
}

static unsigned int wd_vpci_count(const struct wd_cell_desc *root, u64 *bar_bytes)
{
	const struct wd_pci_device *d = wd_cell_pci_devices(root);
	unsigned int i, n = 0;
	u64 bytes = 0, largest = PAGE_SIZE;

	for (i = 0; i < root->num_pci_devices; i++) {
		if (d[i].type != WD_PCI_TYPE_IVSHMEM)
			continue;
		n++;
		bytes += wd_vpci_bar_bytes(&d[i]);
		largest = max_t(u64, largest, (u64)(~d[i].bar_mask[0]) + 1);
	}
	/* Room for each BAR at its natural alignment. */
	*bar_bytes = ALIGN(bytes, largest) + largest;
	return n;
}

/* The interrupt controller SPIs are mapped through: the root's interrupt-parent. */
static struct device_node *wd_vpci_gic(void)
{
	struct device_node *gic;
	u32 cells;

	if (!of_root)
		return NULL;
	gic = of_irq_find_parent(of_root);
	if (!gic)
		return NULL;
	if (of_property_read_u32(gic, "#interrupt-cells", &cells) || cells < 3) {
		pr_err("virtual PCI: interrupt controller %pOF does not take GIC-style specifiers\n",
		       gic);
		of_node_put(gic);
		return NULL;
	}
	return gic;
}

static void wd_vpci_irqs_free(void)
{
	unsigned int i;

	for (i = 0; i < WD_VPCI_PINS; i++) {
		if (vh.irq_created[i])
			irq_dispose_mapping(vh.irq[i]);
		vh.irq[i] = 0;
		vh.irq_created[i] = false;
	}
}

static int wd_vpci_irqs_map(u32 spi_base)
{
	struct of_phandle_args spec = {};
	struct device_node *gic;
	struct irq_domain *domain;
	unsigned int i;
	int err = 0;

	gic = wd_vpci_gic();
	if (!gic) {
		pr_err("virtual PCI: no interrupt controller for INTx (no interrupt-parent in the device tree)\n");
		return -ENODEV;
	}
	domain = irq_find_host(gic);
	spec.np = gic;
	spec.args_count = 3;
	for (i = 0; i < WD_VPCI_PINS; i++) {
		spec.args[0] = 0;		/* GIC_SPI */
		spec.args[1] = spi_base + i;
		spec.args[2] = IRQ_TYPE_EDGE_RISING;
		/* A mapping someone else made stays theirs. */
		vh.irq_created[i] = !domain || !irq_find_mapping(domain, 32 + spi_base + i);
		vh.irq[i] = irq_create_of_mapping(&spec);
		if (!vh.irq[i]) {
			pr_err("virtual PCI: cannot map INT%c to SPI %u (INTID %u)\n",
			       'A' + i, spi_base + i, 32 + spi_base + i);
			vh.irq_created[i] = false;
			err = -EINVAL;
			break;
		}
	}
	of_node_put(gic);
	if (err)
		wd_vpci_irqs_free();
	return err;
}

/* Does a root ivshmem device have an MSI-X table? */
static bool wd_vpci_wants_msix(const struct wd_cell_desc *root)
{
	const struct wd_pci_device *d = wd_cell_pci_devices(root);
	unsigned int i;

	for (i = 0; i < root->num_pci_devices; i++)
		if (d[i].type == WD_PCI_TYPE_IVSHMEM && d[i].bar_mask[1])
			return true;
	return false;
}

/*
 * The PCI MSI domain of the first available GICv3 ITS, if buses
 * [@first, @last] are nobody's yet; NULL: INTx only.
 */
static struct irq_domain *wd_vpci_its_domain(unsigned int first, unsigned int last)
{
	struct irq_domain *d = NULL;
	struct device_node *np;
	struct pci_bus *bus = NULL;

	for_each_compatible_node(np, NULL, "arm,gic-v3-its") {
		if (!of_device_is_available(np) ||
		    !of_property_read_bool(np, "msi-controller"))
			continue;
		d = irq_find_matching_host(np, DOMAIN_BUS_PCI_MSI);
		if (d) {
			of_node_put(np);
			break;
		}
	}
	if (!d)
		return NULL;
	while ((bus = pci_find_next_bus(bus)))
		if (bus->number >= first && bus->number <= last) {
			pr_warn("virtual PCI: bus %04x:%02x exists, its ITS device ids would be the ivshmem devices': no MSI-X for them\n",
				pci_domain_nr(bus), bus->number);
			return NULL;
		}
	return d;
}

/* A free PCI domain number for a configuration that names none. */
static int wd_vpci_free_domain(void)
{
	int domain;

	for (domain = 1; domain < 0x10000; domain++)
		if (!pci_find_bus(domain, 0))
			return domain;
	return -EBUSY;
}

/* wd_lock held; after enable. Failure leaves nothing behind. */
int wd_vpci_host_add(const struct wd_system_config *config)
{
	const struct wd_platform *plat = &config->platform;
	const struct wd_cell_desc *root = &config->root_cell;
	struct pci_host_bridge *bridge;
	struct resource *busr = &vh.cfg.busr;
	struct irq_domain *msi = NULL;
	u64 ecam_size, bar_bytes;
	unsigned int ndev, first_bus = 0;
	int domain, err;

	if (vh.bus)
		return 0;
	ndev = wd_vpci_count(root, &bar_bytes);
	if (!plat->pci_is_virtual || !plat->pci_mmconfig_base || !ndev)
		return 0;

	domain = plat->pci_domain;
	if (domain == WD_VPCI_NO_DOMAIN)
		domain = wd_vpci_free_domain();
	if (domain < 0 || pci_find_bus(domain, 0)) {
		pr_err("virtual PCI: PCI domain %d is taken by another host bridge; the root's ivshmem devices stay hidden\n",
		       plat->pci_domain);
		return -EBUSY;
	}

	if (wd_vpci_wants_msix(root)) {
		msi = wd_vpci_its_domain(WD_VPCI_ROOT_ITS_BUS(plat->pci_mmconfig_end_bus), 0xff);
		if (msi)
			first_bus = WD_VPCI_ROOT_ITS_BUS(plat->pci_mmconfig_end_bus);
	}

	ecam_size = (u64)(plat->pci_mmconfig_end_bus + 1) * WD_VPCI_ECAM_BUS_SIZE;
	memset(&vh.cfg, 0, sizeof(vh.cfg));
	vh.cfg.res = (struct resource)DEFINE_RES_MEM_NAMED(plat->pci_mmconfig_base, ecam_size,
							   "warden virtual PCI ECAM");
	*busr = (struct resource)DEFINE_RES_NAMED(first_bus, plat->pci_mmconfig_end_bus + 1,
						  "warden virtual PCI buses", IORESOURCE_BUS);
	vh.cfg.ops = &pci_generic_ecam_ops;
	vh.cfg.bus_shift = pci_generic_ecam_ops.bus_shift;
	vh.mem = (struct resource)DEFINE_RES_MEM_NAMED(plat->pci_mmconfig_base + ecam_size,
						       bar_bytes, "warden virtual PCI memory");

	err = wd_vpci_irqs_map(root->vpci_irq_base);
	if (err)
		return err;

	vh.pdev = platform_device_register_simple("warden-vpci", PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(vh.pdev)) {
		err = PTR_ERR(vh.pdev);
		vh.pdev = NULL;
		goto out_irqs;
	}
	vh.cfg.parent = &vh.pdev->dev;

	vh.cfg.win = ioremap(vh.cfg.res.start, ecam_size);
	if (!vh.cfg.win) {
		pr_err("virtual PCI: cannot map the ECAM window %pR\n", &vh.cfg.res);
		err = -ENOMEM;
		goto out_pdev;
	}

	bridge = pci_alloc_host_bridge(0);
	if (!bridge) {
		err = -ENOMEM;
		goto out_unmap;
	}
	bridge->dev.parent = &vh.pdev->dev;
	bridge->sysdata = &vh.cfg;
	bridge->ops = (struct pci_ops *)&pci_generic_ecam_ops.pci_ops;
	bridge->busnr = first_bus;
	bridge->domain_nr = domain;
	bridge->map_irq = wd_vpci_map_irq;
	bridge->swizzle_irq = pci_common_swizzle;
	/* MSI-X through the ITS (see the top), or no MSI controller: INTx. */
	if (msi)
		dev_set_msi_domain(&bridge->dev, msi);
	bridge->msi_domain = !!msi;
	pci_add_resource(&bridge->windows, busr);
	pci_add_resource(&bridge->windows, &vh.mem);

	/*
	 * pci_host_probe()'s steps, under the rescan lock on every kernel
	 * (6.12's pci_host_probe() takes that lock itself, 6.1's does not).
	 */
	pci_lock_rescan_remove();
	err = pci_scan_root_bus_bridge(bridge);
	if (!err) {
		vh.bus = bridge->bus;
		pci_bus_size_bridges(vh.bus);
		pci_bus_assign_resources(vh.bus);
		pci_bus_add_devices(vh.bus);
	}
	pci_unlock_rescan_remove();
	if (err) {
		pr_err("virtual PCI: registering the host bridge for domain %d failed (error %d)\n",
		       domain, err);
		pci_free_host_bridge(bridge);
		goto out_unmap;
	}
	pr_info("virtual PCI: host bridge for domain %04x, bus %02x, ECAM %pR, %u ivshmem device(s) configured, INTx SPIs %u-%u%s\n",
		domain, first_bus, &vh.cfg.res, ndev, root->vpci_irq_base,
		root->vpci_irq_base + 3, msi ? ", MSI-X through the ITS" : "");
	return 0;

out_unmap:
	iounmap(vh.cfg.win);
	vh.cfg.win = NULL;
out_pdev:
	platform_device_unregister(vh.pdev);
	vh.pdev = NULL;
out_irqs:
	wd_vpci_irqs_free();
	return err;
}

/* wd_lock held; before the hypervisor goes. Unbinds and removes every device. */
void wd_vpci_host_remove(void)
{
	if (!vh.bus)
		return;
	pci_lock_rescan_remove();
	pci_stop_root_bus(vh.bus);
	pci_remove_root_bus(vh.bus);	/* frees the host bridge */
	pci_unlock_rescan_remove();
	vh.bus = NULL;
	iounmap(vh.cfg.win);
	vh.cfg.win = NULL;
	platform_device_unregister(vh.pdev);
	vh.pdev = NULL;
	wd_vpci_irqs_free();
	pr_info("virtual PCI: host bridge removed\n");
}
