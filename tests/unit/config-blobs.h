/*
 * Configuration blobs for the validator's host unit tests
 * (test-config-check.c, test-config-set.c): a struct spec holds the parts,
 * build() lays them out as the format says, good_system()/good_cell() are
 * valid starting points that each test breaks in one way. Include after
 * common/config-check.c.
 */
#ifndef WARDEN_TEST_CONFIG_BLOBS_H
#define WARDEN_TEST_CONFIG_BLOBS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOB 4096

/* build()'s @is_cell */
#define SYS 0
#define CELL 1

/* The parts of a configuration; build() lays them out as the format says. */
struct spec {
	struct wd_system_config sys;	/* for a cell, only sys.root_cell is used */
	__u8 cpus[256];
	__u32 cpu_set_size;
	struct wd_mem_region mem[8];
	__u32 n_mem;
	struct wd_irqchip irq[4];
	__u32 n_irq;
	struct wd_pci_device pci[2];
	__u32 n_pci;
	struct wd_pci_capability caps[4];
	__u32 n_caps;
	struct wd_cache_region cache[2];
	__u32 n_cache;
	struct wd_pio_region pio[2];
	__u32 n_pio;
	struct wd_stream_id sids[4];
	__u32 n_sids;
};

static void put(__u8 *buf, size_t *off, const void *src, size_t len)
{
	if (*off + len > MAX_BLOB) {
		fprintf(stderr, "test blob too large\n");
		exit(2);
	}
	memcpy(buf + *off, src, len);
	*off += len;
}

/* Serialize @s into @buf; @is_cell: a lone cell configuration. Returns the size. */
static size_t build(const struct spec *s, int is_cell, __u8 *buf)
{
	struct wd_system_config sys = s->sys;
	struct wd_cell_desc *c = &sys.root_cell;
	size_t off = 0;

	c->cpu_set_size = s->cpu_set_size;
	c->num_memory_regions = s->n_mem;
	c->num_irqchips = s->n_irq;
	c->num_pci_devices = s->n_pci;
	c->num_pci_caps = s->n_caps;
	c->num_cache_regions = s->n_cache;
	c->num_pio_regions = s->n_pio;
	c->num_stream_ids = s->n_sids;
	if (is_cell)
		put(buf, &off, c, sizeof(*c));
	else
		put(buf, &off, &sys, sizeof(sys));
	put(buf, &off, s->cpus, s->cpu_set_size);
	put(buf, &off, s->mem, s->n_mem * sizeof(s->mem[0]));
	put(buf, &off, s->cache, s->n_cache * sizeof(s->cache[0]));
	put(buf, &off, s->irq, s->n_irq * sizeof(s->irq[0]));
	put(buf, &off, s->pio, s->n_pio * sizeof(s->pio[0]));
	put(buf, &off, s->pci, s->n_pci * sizeof(s->pci[0]));
	put(buf, &off, s->caps, s->n_caps * sizeof(s->caps[0]));
	put(buf, &off, s->sids, s->n_sids * sizeof(s->sids[0]));
	return off;
}

static struct wd_mem_region region(__u64 phys, __u64 virt, __u64 size, __u64 flags)
{
	struct wd_mem_region r = { phys, virt, size, flags };

	return r;
}

static void irqchip(struct wd_irqchip *chip, __u64 address, __u32 pin_base)
{
	memset(chip, 0, sizeof(*chip));
	chip->address = address;
	chip->pin_base = pin_base;
	memset(chip->pin_bitmap, 0xff, sizeof(chip->pin_bitmap));
}

#define RWXD (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA)
#define RWIO (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO)

/* A root cell like the QEMU virt one, with one sub-page region, a PCI device and an SMMU. */
static void good_system(struct spec *s)
{
	struct wd_system_config *h = &s->sys;

	memset(s, 0, sizeof(*s));
	memcpy(h->signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN);
	h->architecture = WD_ARCH_ARM64;
	h->revision = WD_CONFIG_REVISION;
	h->hypervisor_memory.phys_start = 0x7fc00000;
	h->hypervisor_memory.size = 0x400000;
	h->debug_console.address = 0x09000000;
	h->debug_console.size = 0x1000;
	h->debug_console.type = WD_CON_TYPE_PL011;
	h->debug_console.flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4;
	h->platform.pci_mmconfig_base = 0x08e00000;
	h->platform.pci_is_virtual = 1;
	h->platform.pci_domain = 1;
	h->platform.iommu_units[0].type = WD_IOMMU_SMMUV3;
	h->platform.iommu_units[0].base = 0x09050000;
	h->platform.iommu_units[0].size = 0x20000;
	h->platform.arm.gic_version = 3;
	h->platform.arm.gicd_base = 0x08000000;
	h->platform.arm.gicr_base = 0x080a0000;
	h->platform.arm.maintenance_irq = 25;

	memcpy(h->root_cell.signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	h->root_cell.architecture = WD_ARCH_ARM64;
	h->root_cell.revision = WD_CONFIG_REVISION;
	strcpy(h->root_cell.name, "test-root");

	s->cpu_set_size = 8;
	s->cpus[0] = 0x0f;
	s->mem[0] = region(0x40000000, 0x40000000, 0x30000000, RWXD);
	s->mem[1] = region(0x09000000, 0x09000000, 0x1000, RWIO);
	s->mem[2] = region(0x70000000, 0x70000000, 0x0fc00000, RWXD);
	s->mem[3] = region(0x09040000, 0x09040000, 0x1000, RWIO | WD_MEM_IO_32);
	s->n_mem = 4;
	irqchip(&s->irq[0], 0x08000000, 32);
	irqchip(&s->irq[1], 0x08000000, 160);
	s->n_irq = 2;
	s->pci[0].type = WD_PCI_TYPE_DEVICE;
	s->pci[0].bdf = 0x0008;	/* 00:01.0 */
	s->pci[0].caps_start = 0;
	s->pci[0].num_caps = 2;
	s->n_pci = 1;
	s->caps[0].id = 0x5;
	s->caps[1].id = 0x11;
	s->n_caps = 2;
}

/* The 1-CPU demo cell of the QEMU layout. */
static void good_cell(struct spec *s)
{
	struct wd_cell_desc *c = &s->sys.root_cell;

	memset(s, 0, sizeof(*s));
	memcpy(c->signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	c->architecture = WD_ARCH_ARM64;
	c->revision = WD_CONFIG_REVISION;
	strcpy(c->name, "demo");
	c->console.address = 0x09040000;
	c->console.size = 0x1000;
	c->console.type = WD_CON_TYPE_PL011;
	c->console.flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4;
	s->cpu_set_size = 8;
	s->cpus[0] = 0x2;
	s->mem[0] = region(0x7fa00000, 0, 0x10000, RWXD | WD_MEM_LOADABLE);
	s->mem[1] = region(0x09040000, 0x09040000, 0x1000, RWIO);
	s->mem[2] = region(0, 0x80000000, 0x1000,
			   WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION);
	s->n_mem = 3;
	irqchip(&s->irq[0], 0x08000000, 32);
	s->n_irq = 1;
}

#endif
