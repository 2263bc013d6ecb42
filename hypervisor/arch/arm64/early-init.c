/*
 * The boot CPU's set-up of the hypervisor's own address space, called by the
 * entry code before the MMU is on (entry.S): the page pools, the EL2 page
 * tables (1:1, W^X) and the values the MMU is turned on with. In a file of its
 * own because everything here runs with the MMU off, where every access is
 * to Device memory and must be aligned: the file is built for strict
 * alignment, the rest of the hypervisor is not (scripts/mmu-off-check).
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/paging.h>
#include <wd/pool.h>
#include <asm/layout.h>
#include <asm/sysregs.h>
#include <asm/processor.h>
#include <asm/hv-space.h>
#include <warden/firmware.h>

/* Runs with the EL2 MMU off (Device memory): see scripts/mmu-off-check. */
#ifdef __WARDEN_FREESTANDING__
#pragma GCC target("strict-align")
#endif

/* The index of a u64 field of struct wd_fw_header, as an array of u64. */
#define HDR_WORD(field)	(__builtin_offsetof(struct wd_fw_header, field) / 8)
_Static_assert(__builtin_offsetof(struct wd_fw_header, config_offset) % 8 == 0 &&
	       __builtin_offsetof(struct wd_fw_header, config_size) % 8 == 0,
	       "the header's config_offset and config_size are 8-byte aligned");

struct stage2_geometry hv_s2_geo;
static u64 remap_bitmap[REMAP_PAGES / 64];

struct boot_mmu_regs {
	u64 mair, tcr, ttbr;
};
extern struct boot_mmu_regs boot_mmu;
extern char __text_end[], __rodata_end[];

/* The branches in hyp_vectors' two lower-EL IRQ slots (exception.S). */
extern u32 hyp_vector_irq_a64[], hyp_vector_irq_a32[];
extern char gicv3_fast_irq[], gicv2_fast_irq[];

/*
 * One exit-vector table serves both GICs: the branch in its IRQ slots is
 * written here for the GIC the system configuration names, gicv2_fast_irq
 * on a GICv2, else gicv3_fast_irq (as assembled; any version but 2 and 3 is
 * refused later by irqchip_init, and the table is never installed then).
 * B has imm26: +-128 MiB, far more than the image. With the MMU off the
 * store goes to memory; the entry code then drops the stale cache lines of
 * everything written here, and every CPU invalidates its instruction cache
 * when it turns its MMU on (entry.S). The table is the set-up's EL2 vectors
 * already (entry.S), but its lower-EL slots are only taken once a CPU runs
 * a guest (arch_cpu_init installs it, or hyp_vectors_wa1, for that).
 */
static void vectors_for_gic(unsigned int gic_version)
{
	u32 *slot[] = { hyp_vector_irq_a64, hyp_vector_irq_a32 };
	uintptr_t target = (uintptr_t)(gic_version == 2 ? gicv2_fast_irq : gicv3_fast_irq);
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(slot); n++) {
		s64 off = (s64)(target - (uintptr_t)slot[n]);

		*slot[n] = 0x14000000U | ((u32)(off >> 2) & 0x03ffffffU);
	}
}

/*
 * Bytes from the hypervisor's base that the boot CPU wrote with the MMU off:
 * image, bss, configuration and the pool pages handed out so far. The entry
 * code invalidates only these before the caches go on (the driver cleaned
 * everything it wrote, and the rest of the pool holds nothing yet).
 */
u64 early_dirty_size;

/*
 * Runs on the boot CPU with the MMU off: only this CPU runs hypervisor code,
 * every access is Device memory (hence strict alignment), no locks are taken.
 */
int arch_early_init(u64 base)
{
	const u64 text_end = (u64)(uintptr_t)__text_end;
	const u64 rodata_end = (u64)(uintptr_t)__rodata_end;
	/*
	 * The header is at the image's base, a page boundary, and these two
	 * fields are 8-byte aligned in it: one aligned load each, not the
	 * byte loads of its packed type (strict alignment, see above).
	 */
	const u64 *hdr = (const u64 *)(uintptr_t)base;
	u64 config_offset = hdr[HDR_WORD(config_offset)];
	u64 config_size = hdr[HDR_WORD(config_size)];
	u64 pool_start, pool_pages, bitmap_pages, parange;
	int err;

	fw_header = (struct wd_fw_header *)(uintptr_t)base;
	hv_phys_base = base;
	system_config = (const struct wd_system_config *)(uintptr_t)
			(base + config_offset);
	if (system_config->hypervisor_memory.phys_start != base)
		return -EINVAL;
	hv_mem_size = system_config->hypervisor_memory.size;
	vectors_for_gic(system_config->platform.arm.gic_version);

	pool_start = ALIGN_UP(base + config_offset + config_size, PAGE_SIZE);
	if (pool_start >= base + hv_mem_size)
		return -ENOMEM;
	pool_pages = (base + hv_mem_size - pool_start) >> PAGE_SHIFT;
	pool_init(&mem_pool, pool_start, pool_pages,
		  (u64 *)(uintptr_t)pool_start);
	bitmap_pages = PAGES(pool_bitmap_bytes(pool_pages));
	pool_reserve(&mem_pool, pool_start, bitmap_pages);
	pool_init(&remap_pool, REMAP_BASE, REMAP_PAGES, remap_bitmap);

	/* 48-bit VAs, whatever the PA size: the 1:1 map and the remap window. */
	err = paging_init(&hv_paging, &el2_paging_format, 0, 48);
	if (err)
		return err;
	/* 1:1, W^X: code, read-only data, then data, bss, config and pool. */
	err = paging_map(&hv_paging, base, base, text_end - base,
			 PAGE_READ | PAGE_EXEC, false);
	if (!err)
		err = paging_map(&hv_paging, text_end, text_end,
				 rodata_end - text_end, PAGE_READ, false);
	/* Blocks where aligned: nothing splits the 1:1 map later. */
	if (!err)
		err = paging_map(&hv_paging, rodata_end, rodata_end,
				 base + hv_mem_size - rodata_end, PAGE_RW, true);
	if (err)
		return err;

	/*
	 * The output size of both regimes (TCR_EL2.PS, VTCR_EL2.PS) is the
	 * CPU's. 52 bits (PARange 6) would need FEAT_LPA2 descriptors with the
	 * 4 KiB granule: use 48 (PS 5), and say so at enable (arch_global_init).
	 */
	parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	if (parange > 5)
		parange = 5;
	hv_pa_bits = paging_parange_bits((unsigned int)parange);
	paging_stage2_geometry(hv_pa_bits, &hv_s2_geo);
	boot_mmu.mair = MAIR_NORMAL_WB << (8 * MAIR_IDX_NORMAL) |
			MAIR_DEVICE_nGnRE << (8 * MAIR_IDX_DEVICE);
	boot_mmu.tcr = TCR_EL2_RES1 | TCR_T0SZ(48) | TCR_IRGN0_WBWA |
		       TCR_ORGN0_WBWA | TCR_SH0_INNER |
		       (parange << TCR_PS_SHIFT);
	boot_mmu.ttbr = (u64)(uintptr_t)hv_paging.root;
	early_dirty_size = pool_high_water_end(&mem_pool) - base;
	return 0;
}
