/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cell and system configuration, binary compatible with Jailhouse configuration
 * revision 14 (see ../shared/jailhouse-abi.md). This header is the one source of
 * truth for the layout; every struct is packed and little-endian.
 */
#ifndef WARDEN_CELL_CONFIG_H
#define WARDEN_CELL_CONFIG_H

#include "types.h"

#define WD_CONFIG_REVISION		14
#define WD_SYSTEM_SIGNATURE		"JHSYS"
#define WD_CELL_SIGNATURE		"JHCLL"
#define WD_SIGNATURE_LEN		5
#define WD_CELL_NAME_LEN		32

#define WD_ARCH_X86			0
#define WD_ARCH_ARM			1
#define WD_ARCH_ARM64			2

/* Cell flags */
#define WD_CELL_PASSIVE_COMMREG		0x00000001
#define WD_CELL_TEST_DEVICE		0x00000002
#define WD_CELL_AARCH32			0x00000004
#define WD_CELL_VIRTUAL_CONSOLE_PERMITTED 0x40000000
#define WD_CELL_VIRTUAL_CONSOLE_ACTIVE	0x80000000

/* System flags */
#define WD_SYS_VIRTUAL_DEBUG_CONSOLE	0x0001

/* Memory region flags */
#define WD_MEM_READ			0x0001
#define WD_MEM_WRITE			0x0002
#define WD_MEM_EXECUTE			0x0004
#define WD_MEM_DMA			0x0008
#define WD_MEM_IO			0x0010
#define WD_MEM_COMM_REGION		0x0020
#define WD_MEM_LOADABLE			0x0040
#define WD_MEM_ROOTSHARED		0x0080
#define WD_MEM_NO_HUGEPAGES		0x0100
#define WD_MEM_IO_UNALIGNED		0x8000
#define WD_MEM_IO_WIDTH_SHIFT		16	/* bits 16..19: permitted access widths */
#define WD_MEM_IO_8			(1ULL << 16)
#define WD_MEM_IO_16			(2ULL << 16)
#define WD_MEM_IO_32			(4ULL << 16)
#define WD_MEM_IO_64			(8ULL << 16)

struct wd_mem_region {
	__u64 phys_start;
	__u64 virt_start;
	__u64 size;
	__u64 flags;
} __packed;

/* Console types and flags */
#define WD_CON_TYPE_NONE		0x0000
#define WD_CON_TYPE_EFIFB		0x0001
#define WD_CON_TYPE_8250		0x0002
#define WD_CON_TYPE_PL011		0x0003
#define WD_CON_TYPE_XUARTPS		0x0004
#define WD_CON_TYPE_MVEBU		0x0005
#define WD_CON_TYPE_HSCIF		0x0006
#define WD_CON_TYPE_SCIFA		0x0007
#define WD_CON_TYPE_IMX			0x0008
#define WD_CON_TYPE_IMX_LPUART		0x0009
#define WD_CON_TYPE_SCIF		0x000a

#define WD_CON_ACCESS_MMIO		0x0001
#define WD_CON_REGDIST_4		0x0002
#define WD_CON_INVERTED_GATE		0x1000

struct wd_console {
	__u64 address;
	__u32 size;
	__u16 type;
	__u16 flags;
	__u32 divider;
	__u32 gate_nr;
	__u64 clock_reg;
} __packed;

struct wd_cell_desc {
	char signature[WD_SIGNATURE_LEN];
	__u8 architecture;
	__u16 revision;
	char name[WD_CELL_NAME_LEN];
	__u32 id;		/* filled in by the driver */
	__u32 flags;
	__u32 cpu_set_size;
	__u32 num_memory_regions;
	__u32 num_cache_regions;
	__u32 num_irqchips;
	__u32 num_pio_regions;
	__u32 num_pci_devices;
	__u32 num_pci_caps;
	__u32 num_stream_ids;
	__u32 vpci_irq_base;
	__u64 cpu_reset_address;
	__u64 msg_reply_timeout;
	struct wd_console console;
} __packed;

struct wd_cache_region {
	__u32 start;
	__u32 size;
	__u8 type;
	__u8 padding;
	__u16 flags;
} __packed;

struct wd_irqchip {
	__u64 address;
	__u32 id;
	__u32 pin_base;		/* multiple of 32 */
	__u32 pin_bitmap[4];	/* bit n = interrupt pin_base + n */
} __packed;

#define WD_IRQCHIP_PINS			128

struct wd_pio_region {
	__u16 base;
	__u16 length;
} __packed;

#define WD_PCI_TYPE_DEVICE		0x01
#define WD_PCI_TYPE_BRIDGE		0x02
#define WD_PCI_TYPE_IVSHMEM		0x03

struct wd_pci_device {
	__u8 type;
	__u8 iommu;
	__u16 domain;
	__u16 bdf;
	__u32 bar_mask[6];
	__u16 caps_start;
	__u16 num_caps;
	__u8 num_msi_vectors;
	__u8 msi_flags;		/* bit 0: 64-bit, bit 1: maskable */
	__u16 num_msix_vectors;
	__u16 msix_region_size;
	__u64 msix_address;
	__u32 shmem_regions_start;
	__u8 shmem_dev_id;
	__u8 shmem_peers;
	__u16 shmem_protocol;
} __packed;

#define WD_PCICAPS_WRITE		0x0001
#define WD_PCI_EXT_CAP			0x8000

struct wd_pci_capability {
	__u16 id;
	__u16 start;
	__u16 len;
	__u16 flags;
} __packed;

#define WD_IOMMU_MAX_UNITS		8
#define WD_IOMMU_AMD			1
#define WD_IOMMU_INTEL			2
#define WD_IOMMU_SMMUV3			3
#define WD_IOMMU_PVU			4
#define WD_IOMMU_ARM_MMU500		5

struct wd_iommu {
	__u32 type;
	__u64 base;
	__u32 size;
	__u8 type_data[12];
} __packed;

struct wd_stream_id {
	__u32 id;		/* MMU-500: low 16 bits id, high 16 bits mask */
} __packed;

struct wd_arm_platform {
	__u8 maintenance_irq;
	__u8 gic_version;
	__u8 padding[2];
	__u64 gicd_base;
	__u64 gicc_base;
	__u64 gich_base;
	__u64 gicv_base;
	__u64 gicr_base;
} __packed;

struct wd_platform {
	__u64 pci_mmconfig_base;
	__u8 pci_mmconfig_end_bus;
	__u8 pci_is_virtual;
	__u16 pci_domain;
	struct wd_iommu iommu_units[WD_IOMMU_MAX_UNITS];
	struct wd_arm_platform arm;
} __packed;

struct wd_system_config {
	char signature[WD_SIGNATURE_LEN];
	__u8 architecture;
	__u16 revision;
	__u32 flags;
	struct wd_mem_region hypervisor_memory;
	struct wd_console debug_console;
	struct wd_platform platform;
	struct wd_cell_desc root_cell;
} __packed;

WD_ASSERT_SIZE(struct wd_mem_region, 32);
WD_ASSERT_SIZE(struct wd_console, 32);
WD_ASSERT_SIZE(struct wd_cell_desc, 132);
WD_ASSERT_OFFSET(struct wd_cell_desc, name, 8);
WD_ASSERT_OFFSET(struct wd_cell_desc, id, 40);
WD_ASSERT_OFFSET(struct wd_cell_desc, cpu_set_size, 48);
WD_ASSERT_OFFSET(struct wd_cell_desc, num_stream_ids, 76);
WD_ASSERT_OFFSET(struct wd_cell_desc, vpci_irq_base, 80);
WD_ASSERT_OFFSET(struct wd_cell_desc, cpu_reset_address, 84);
WD_ASSERT_OFFSET(struct wd_cell_desc, msg_reply_timeout, 92);
WD_ASSERT_OFFSET(struct wd_cell_desc, console, 100);
WD_ASSERT_SIZE(struct wd_cache_region, 12);
WD_ASSERT_SIZE(struct wd_irqchip, 32);
WD_ASSERT_SIZE(struct wd_pio_region, 4);
WD_ASSERT_SIZE(struct wd_pci_device, 56);
WD_ASSERT_OFFSET(struct wd_pci_device, caps_start, 30);
WD_ASSERT_OFFSET(struct wd_pci_device, msix_address, 40);
WD_ASSERT_OFFSET(struct wd_pci_device, shmem_protocol, 54);
WD_ASSERT_SIZE(struct wd_pci_capability, 8);
WD_ASSERT_SIZE(struct wd_iommu, 28);
WD_ASSERT_SIZE(struct wd_stream_id, 4);
WD_ASSERT_OFFSET(struct wd_system_config, flags, 8);
WD_ASSERT_OFFSET(struct wd_system_config, hypervisor_memory, 12);
WD_ASSERT_OFFSET(struct wd_system_config, debug_console, 44);
WD_ASSERT_OFFSET(struct wd_system_config, platform.pci_mmconfig_base, 76);
WD_ASSERT_OFFSET(struct wd_system_config, platform.pci_domain, 86);
WD_ASSERT_OFFSET(struct wd_system_config, platform.iommu_units, 88);
WD_ASSERT_OFFSET(struct wd_system_config, platform.arm.maintenance_irq, 312);
WD_ASSERT_OFFSET(struct wd_system_config, platform.arm.gicd_base, 316);
WD_ASSERT_OFFSET(struct wd_system_config, platform.arm.gicr_base, 348);
WD_ASSERT_OFFSET(struct wd_system_config, root_cell, 356);
WD_ASSERT_SIZE(struct wd_system_config, 488);

/*
 * Accessors for the arrays that follow a cell descriptor, in their fixed order.
 * They do no bounds checking: run the validator (config-check.h) first.
 */
static inline __u64 wd_cell_config_size(const struct wd_cell_desc *c)
{
	return sizeof(struct wd_cell_desc) + (__u64)c->cpu_set_size +
	       (__u64)c->num_memory_regions * sizeof(struct wd_mem_region) +
	       (__u64)c->num_cache_regions * sizeof(struct wd_cache_region) +
	       (__u64)c->num_irqchips * sizeof(struct wd_irqchip) +
	       (__u64)c->num_pio_regions * sizeof(struct wd_pio_region) +
	       (__u64)c->num_pci_devices * sizeof(struct wd_pci_device) +
	       (__u64)c->num_pci_caps * sizeof(struct wd_pci_capability) +
	       (__u64)c->num_stream_ids * sizeof(struct wd_stream_id);
}

static inline __u64 wd_system_config_size(const struct wd_system_config *s)
{
	return sizeof(struct wd_system_config) - sizeof(struct wd_cell_desc) +
	       wd_cell_config_size(&s->root_cell);
}

static inline const __u8 *wd_cell_cpu_set(const struct wd_cell_desc *c)
{
	return (const __u8 *)(c + 1);
}

static inline const struct wd_mem_region *wd_cell_mem_regions(const struct wd_cell_desc *c)
{
	return (const struct wd_mem_region *)(wd_cell_cpu_set(c) + c->cpu_set_size);
}

static inline const struct wd_cache_region *wd_cell_cache_regions(const struct wd_cell_desc *c)
{
	return (const struct wd_cache_region *)(wd_cell_mem_regions(c) + c->num_memory_regions);
}

static inline const struct wd_irqchip *wd_cell_irqchips(const struct wd_cell_desc *c)
{
	return (const struct wd_irqchip *)(wd_cell_cache_regions(c) + c->num_cache_regions);
}

static inline const struct wd_pio_region *wd_cell_pio_regions(const struct wd_cell_desc *c)
{
	return (const struct wd_pio_region *)(wd_cell_irqchips(c) + c->num_irqchips);
}

static inline const struct wd_pci_device *wd_cell_pci_devices(const struct wd_cell_desc *c)
{
	return (const struct wd_pci_device *)(wd_cell_pio_regions(c) + c->num_pio_regions);
}

static inline const struct wd_pci_capability *wd_cell_pci_caps(const struct wd_cell_desc *c)
{
	return (const struct wd_pci_capability *)(wd_cell_pci_devices(c) + c->num_pci_devices);
}

static inline const struct wd_stream_id *wd_cell_stream_ids(const struct wd_cell_desc *c)
{
	return (const struct wd_stream_id *)(wd_cell_pci_caps(c) + c->num_pci_caps);
}

/* Is CPU @cpu in the cell's CPU set? */
static inline int wd_cell_has_cpu(const struct wd_cell_desc *c, unsigned int cpu)
{
	if (cpu / 8 >= c->cpu_set_size)
		return 0;
	return (wd_cell_cpu_set(c)[cpu / 8] >> (cpu % 8)) & 1;
}

#endif
