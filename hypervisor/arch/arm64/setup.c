/*
 * arm64 set-up: the hypervisor's own address space (built with the MMU off by
 * the boot CPU, early-init.c), EL2 register state for a root-cell CPU, and putting Linux's
 * state back when a CPU leaves.
 */
#include <wd/control.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/paging.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/iommu.h>
#include <wd/string.h>
#include <asm/sysregs.h>
#include <asm/processor.h>
#include <asm/irqchip.h>
#include <asm/gic-frames.h>
#include <asm/gicv3-fast.h>
#include <asm/vcpu-state.h>
#include <asm/traps.h>
#include <asm/smmuv3.h>
#include <asm/gicv3-its.h>
#include <asm/vits.h>
#include <asm/hv-space.h>
#include <warden/firmware.h>
#include <wd/in-slot.h>

_Static_assert(__builtin_offsetof(struct wd_fw_header, boot_cpu) == FW_HDR_BOOT_CPU,
	       "FW_HDR_BOOT_CPU");
_Static_assert(__builtin_offsetof(struct wd_fw_header, hyp_stub_vectors) ==
	       FW_HDR_STUB_VECTORS, "FW_HDR_STUB_VECTORS");
_Static_assert(WD_FW_ENTRY_MAGIC == WD_FW_ENTRY_MAGIC_ASM, "entry magic");

/* Placed last in .bss (hypervisor.lds). */
struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS] __section(".bss_percpu");
/* In its own pages: they are mapped read-only into the root cell. */
/* Referenced by the linker script (the header's console_offset): keep it global under LTO. */
struct wd_console_ring console_ring __section(".console") __aligned(PAGE_SIZE)
	__attribute__((used, externally_visible));

extern char __image_start[], __image_end[];
extern char hyp_vectors[], hyp_vectors_wa1[];
void dcache_inval_range(u64 start, u64 size);
void dcache_clean_inval_range(u64 start, u64 size);
void __noreturn leave_hypervisor_mmu_on(long ret);
void __noreturn park_cpu_off(volatile u32 *left_flag);

IN_SLOT("arch_flush_hv_memory") void arch_flush_hv_memory(void)
{
	dcache_clean_inval_range(hv_phys_base,
				 pool_high_water_end(&mem_pool) - hv_phys_base);
}

unsigned int arch_phys_bits(void)
{
	return hv_pa_bits;
}

/*
 * A cell's stage 2: the IPA space is as large as the CPU's physical one, and
 * its walk starts where the Arm ARM allows for that size (see
 * paging_stage2_geometry()): level 0 from 44 bits, else level 1 with 2 (40
 * bits) or 8 (42 bits) concatenated tables.
 */
int arch_stage2_init(struct paging *pg)
{
	return paging_init(pg, &stage2_paging_format, hv_s2_geo.start_level,
			   hv_s2_geo.ia_bits);
}

IN_SLOT("vtcr_value") u64 vtcr_value(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	u64 sl0 = 2 - hv_s2_geo.start_level;

	if (parange > 5)
		parange = 5;
	return VTCR_RES1 | (64 - hv_s2_geo.ia_bits) | (sl0 << VTCR_SL0_SHIFT) |
	       TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER |
	       (parange << VTCR_PS_SHIFT);
}

/* The core's side of the GIC drivers' interface (asm/irqchip.h). */
static const struct irqchip_host core_irqchip_host = {
	.event = cpu_handle_event,
};

int arch_global_init(void)
{
	int err;

	if ((read_sysreg(id_aa64mmfr0_el1) & 0xf) > 5)
		printk("CPU: 52-bit physical addresses need FEAT_LPA2 with 4 KiB pages: using 48\n");
	printk("CPU: %u-bit physical addresses; stage 2: %u-bit IPA, start level %u, %u root table(s)\n",
	       hv_pa_bits, hv_s2_geo.ia_bits, hv_s2_geo.start_level, hv_s2_geo.root_pages);
	err = irqchip_init(&core_irqchip_host);
	if (!err)
		err = gic_check_frames(&system_config->root_cell);
	/* The ITS is a GICv3 unit: a GICv2 has none to take over. */
	if (!err && !irqchip_v2)
		err = its_init();
	if (err)
		return err;
	/* The distributor reads answered from the light exit (gicv2_init sets a GICv2 up). */
	if (!irqchip_v2)
		gicv3_fast_init(system_config->platform.arm.gicd_base);
	return iommu_init(&smmuv3_iommu_ops);
}

IN_SLOT("arch_global_exit") void arch_global_exit(void)
{
	if (!irqchip_v2)
		its_release();
	iommu_shutdown();
}

void arch_cell_init(struct cell *cell)
{
	if (irqchip->cell_init(cell))
		printk("%s: the root cell's interrupt controller could not be set up\n",
		       irqchip->name);
	if (!irqchip_v2)
		its_root_attach(cell);
	iommu_root_attach(cell);
}

int arch_cell_check(const struct wd_cell_desc *config)
{
	int err = gic_check_frames(config);

	if (!err)
		err = iommu_cell_check(config);
	if (err || irqchip_v2)
		return err;
	return its_cell_check(config);
}

long arch_cell_dma_faults(unsigned long id)
{
	return iommu_cell_faults(id);
}

int arch_cpu_init(struct per_cpu *pc)
{
	struct arch_cpu *a = &pc->arch;
	int err;

	/* The last CPU in takes the ITS over: no CPU runs Linux now. */
	err = its_cpu_entered();
	if (err)
		return err;
	a->saved_hcr = read_sysreg(hcr_el2);
	a->saved_cptr = read_sysreg(cptr_el2);
	a->saved_mdcr = read_sysreg(mdcr_el2);
	a->saved_cnthctl = read_sysreg(cnthctl_el2);
	a->saved_vtcr = read_sysreg(vtcr_el2);
	a->saved_vttbr = read_sysreg(vttbr_el2);
	pc->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;

	err = irqchip->cpu_init(pc);
	if (err)
		return err;

	write_sysreg(vtcr_el2, vtcr_value());
	write_sysreg(vttbr_el2, (u64)(uintptr_t)pc->cell->stage2.root |
				((u64)pc->cell->vmid << 48));
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(cnthctl_el2, a->saved_cnthctl | CNTHCTL_EL1PCTEN |
				  CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	/* HCR_EL2, CPTR_EL2, MDCR_EL2: what Linux uses stays untrapped. */
	vcpu_state_cpu_init(pc);
	vcpu_state_apply_traps(pc);
	smccc_cpu_init(pc);
	/*
	 * Exits pay for the branch-predictor workaround only where needed;
	 * hyp_vectors' IRQ slots enter this GIC's fast interrupt path (set for
	 * a GICv2 by early-init.c).
	 */
	write_sysreg(vbar_el2, smccc_exit_needs_wa1(pc) ? hyp_vectors_wa1 : hyp_vectors);
	isb();
	/*
	 * Linux's EL1 translations were cached without stage 2; among them the
	 * driver's mapping of hypervisor memory. Drop them all.
	 */
	asm volatile("tlbi alle1\n\tdsb nsh\n\tisb" : : : "memory");
	return 0;
}

void arch_cpu_deinit(struct per_cpu *pc)
{
	struct arch_cpu *a = &pc->arch;

	/* The first CPU out gives the ITS back before any CPU runs Linux. */
	if (!irqchip_v2)
		its_release();
	irqchip->cpu_exit(pc);
	write_sysreg(hcr_el2, a->saved_hcr);
	write_sysreg(vttbr_el2, a->saved_vttbr);
	write_sysreg(vtcr_el2, a->saved_vtcr);
	write_sysreg(cptr_el2, a->saved_cptr);
	write_sysreg(mdcr_el2, a->saved_mdcr);
	write_sysreg(cnthctl_el2, a->saved_cnthctl);
	isb();
	asm volatile("tlbi alle1\n\tdsb nsh\n\tisb" : : : "memory");
}

void __noreturn arch_leave_hypervisor(struct per_cpu *pc __unused, long ret)
{
	leave_hypervisor_mmu_on(ret);
}

static volatile u32 cpu_left[CONFIG_WD_MAX_CPUS];

IN_SLOT("arch_wake_cpu") void arch_wake_cpu(struct per_cpu *pc)
{
	irqchip->send_event(pc);
}

static long firmware_smc(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

long arch_firmware_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	return firmware_smc(fn, a1, a2, a3);
}

void arch_wait_cpu_off(struct per_cpu *pc)
{
	u64 deadline = timer_ticks() + timer_ticks_per_sec();

	while (!cpu_left[pc->cpu_id] && timer_ticks() < deadline)
		cpu_relax();
	/* PSCI AFFINITY_INFO (SMC64): 1 = OFF */
	while (firmware_smc(0xc4000004, pc->mpidr, 0, 0) != 1 &&
	       timer_ticks() < deadline)
		cpu_relax();
}

/* A parked CPU whose hypervisor is going away: give it to the firmware. */
void __noreturn arch_park_cpu_off(struct per_cpu *pc)
{
	arch_cpu_deinit(pc);
	pc->initialized = false;
	park_cpu_off(&cpu_left[pc->cpu_id]);
}

void __noreturn panic_park(void)
{
	struct per_cpu *pc = this_cpu();

	pc->failed = true;
	for (;;)
		wfi();
}

IN_SLOT("arch_hyp_fault") void arch_hyp_fault(unsigned long type, struct guest_regs *frame __unused)
{
	printk("FATAL: exception %lu in the hypervisor on CPU %u: ESR 0x%lx ELR 0x%lx FAR 0x%lx; CPU parked\n",
	       type, this_cpu()->cpu_id, read_sysreg(esr_el2),
	       read_sysreg(elr_el2), read_sysreg(far_el2));
	panic_park();
}

int arch_cell_create(struct cell *cell)
{
	int err = arch_stage2_init(&cell->stage2);

	if (err)
		return err;
	err = irqchip->cell_init(cell);
	if (err)
		return err;
	iommu_cell_attach(cell);
	return 0;
}

void arch_cell_destroy(struct cell *cell)
{
	iommu_cell_detach(cell);
	vits_cell_exit(cell);
}

IN_SLOT("arch_cell_tlb_flush") void arch_cell_tlb_flush(struct cell *cell)
{
	u64 vttbr = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, (u64)(uintptr_t)cell->stage2.root |
				((u64)cell->vmid << 48));
	isb();
	asm volatile("dsb ishst\n\ttlbi vmalls12e1is\n\tdsb ish\n\tisb"
		     : : : "memory");
	write_sysreg(vttbr_el2, vttbr);
	isb();
	iommu_tlb_flush(cell);
}

/* Start the vCPU of pc->cell from scratch: nothing of the previous user stays. */
void arch_vcpu_reset(struct per_cpu *pc, u64 entry, u64 context)
{
	struct guest_regs *regs = guest_regs(pc);

	memset(regs, 0, sizeof(*regs));
	regs->x[0] = context;
	write_sysreg(vttbr_el2, (u64)(uintptr_t)pc->cell->stage2.root |
				((u64)pc->cell->vmid << 48));
	write_sysreg(sctlr_el1, SCTLR_EL1_RESET);
	write_sysreg(tcr_el1, 0);
	write_sysreg(ttbr0_el1, 0);
	write_sysreg(ttbr1_el1, 0);
	write_sysreg(mair_el1, 0);
	write_sysreg(amair_el1, 0);
	write_sysreg(vbar_el1, 0);
	write_sysreg(contextidr_el1, 0);
	write_sysreg(tpidr_el1, 0);
	write_sysreg(tpidr_el0, 0);
	write_sysreg(tpidrro_el0, 0);
	write_sysreg(sp_el0, 0);
	write_sysreg(sp_el1, 0);
	write_sysreg(elr_el1, 0);
	write_sysreg(spsr_el1, 0);
	write_sysreg(esr_el1, 0);
	write_sysreg(far_el1, 0);
	write_sysreg(afsr0_el1, 0);
	write_sysreg(afsr1_el1, 0);
	write_sysreg(par_el1, 0);
	write_sysreg(cpacr_el1, 0);
	write_sysreg(mdscr_el1, 0);
	/* FP/SIMD, SVE, PMU, keys, timers, ...; and the new owner's traps. */
	vcpu_state_reset(pc);
	write_sysreg(elr_el2, entry);
	write_sysreg(spsr_el2, SPSR_D | SPSR_A | SPSR_I | SPSR_F | SPSR_MODE_EL1h);
	isb();
	asm volatile("tlbi vmalls12e1\n\tdsb nsh\n\tic iallu\n\tdsb nsh\n\tisb"
		     : : : "memory");
	irqchip->vcpu_reset(pc);
}

void arch_park_prepare(struct per_cpu *pc)
{
	write_sysreg(cntv_ctl_el0, 0);
	write_sysreg(cntp_ctl_el0, 0);
	isb();
	irqchip->park_prepare(pc);
}

void arch_wait_for_event(struct per_cpu *pc)
{
	wfi();
	irqchip_handle_irq(pc);
}
