/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ivshmem-v2 devices for bare-metal cells: find one on the virtual PCI host,
 * put its register block (BAR 0) at a free guest address, read where the
 * shared memory is from the vendor capability, and use the registers
 * (doorbell, state, interrupt control). The INTx interrupt is the SPI
 * vpci_irq_base + 32 + pin - 1 of the comm region.
 */
#include <inmate.h>
#include <warden/hypercall.h>
#include <warden/ivshmem.h>

static u64 cfg64(u16 bdf, unsigned int reg)
{
	return pci_cfg_read(bdf, reg, 4) | ((u64)pci_cfg_read(bdf, reg + 4, 4) << 32);
}

int ivshmem_open(struct ivshmem *d, unsigned int index, u64 bar)
{
	volatile struct wd_comm_region *c = comm_region();
	int bdf = pci_find_device(WD_IVSHMEM_VENDOR_ID, WD_IVSHMEM_DEVICE_ID, index);
	int cap;
	u32 pin;

	memset(d, 0, sizeof(*d));
	if (bdf < 0)
		return -1;
	cap = pci_find_cap((u16)bdf, WD_PCI_CAP_VENDOR);
	if (cap < 0)
		return -2;
	d->bdf = (u16)bdf;
	d->protocol = (pci_cfg_read(d->bdf, WD_PCI_CLASS_REV, 4) >> 8) & 0xffff;
	pci_cfg_write(d->bdf, WD_PCI_BAR0, (u32)bar, 4);
	pci_cfg_write(d->bdf, WD_PCI_COMMAND, WD_PCI_CMD_MEM, 2);
	d->regs = bar;
	d->id = mmio_read32(bar + WD_IVSHMEM_REG_ID);
	d->peers = mmio_read32(bar + WD_IVSHMEM_REG_MAX_PEERS);
	d->state_size = pci_cfg_read(d->bdf, cap + WD_IVSHMEM_CAP_STATE_SIZE, 4);
	d->rw_size = cfg64(d->bdf, cap + WD_IVSHMEM_CAP_RW_SIZE);
	d->out_size = cfg64(d->bdf, cap + WD_IVSHMEM_CAP_OUT_SIZE);
	d->state_table = cfg64(d->bdf, cap + WD_IVSHMEM_CAP_ADDRESS);
	d->rw = d->state_table + d->state_size;
	d->in = d->rw + d->rw_size;
	d->out = d->in + d->id * d->out_size;
	pin = (pci_cfg_read(d->bdf, WD_PCI_INT, 4) >> 8) & 0xff;
	d->irq = pin && c ? c->vpci_irq_base + 32 + pin - 1 : 0;
	return 0;
}

void ivshmem_enable_irq(struct ivshmem *d, bool one_shot)
{
	int cap = pci_find_cap(d->bdf, WD_PCI_CAP_VENDOR);

	if (cap >= 0)
		pci_cfg_write(d->bdf, cap + WD_IVSHMEM_CAP_PRIV,
			      one_shot ? WD_IVSHMEM_PRIV_ONESHOT : 0, 1);
	if (d->irq) {
		/* Edge-triggered: each doorbell is one interrupt. */
		u64 icfgr = comm_gicd_base() + 0xc00 + 4 * (d->irq / 16);

		mmio_write32(icfgr, mmio_read32(icfgr) | 2U << (2 * (d->irq % 16)));
		gic_enable_spi(d->irq, 0x80);
	}
	mmio_write32(d->regs + WD_IVSHMEM_REG_INT_CTRL, WD_IVSHMEM_INT_ENABLE);
}

void ivshmem_ring(struct ivshmem *d, unsigned int peer, unsigned int vector)
{
	mmio_write32(d->regs + WD_IVSHMEM_REG_DOORBELL, WD_IVSHMEM_DOORBELL(peer, vector));
}

void ivshmem_set_state(struct ivshmem *d, u32 state)
{
	mmio_write32(d->regs + WD_IVSHMEM_REG_STATE, state);
}

u32 ivshmem_peer_state(struct ivshmem *d, unsigned int peer)
{
	return peer < d->peers ? mmio_read32(d->state_table + 4 * peer) : 0;
}
