/*
 * Offsets of C structures that the assembly fast paths use, extracted at
 * build time (hypervisor/Makefile turns the "->NAME value" markers of this
 * file's assembly output into include/generated/asm-offsets.h), so that the
 * per-CPU layout can change without the assembly going stale.
 */
#include <wd/percpu.h>
#include <wd/cell.h>
#include <warden/hypercall.h>

#define OFFSET(sym, val) asm volatile("\n.ascii \"->" #sym " %c0\"" : : "i"(val))
/* From the start of the per-CPU data (tpidr_el2 + PER_CPU_STACK_SIZE): in reach of ldr's offset. */
#define PCPU_DATA(member)	(offsetof(struct per_cpu, member) - PER_CPU_STACK_SIZE)

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(PCPU_STAT_TOTAL, offsetof(struct per_cpu, stats[WD_CPU_STAT_VMEXITS_TOTAL]));
	OFFSET(PCPUD_STAT_TOTAL, PCPU_DATA(stats[WD_CPU_STAT_VMEXITS_TOTAL]));
	OFFSET(PCPUD_STAT_VIRQ, PCPU_DATA(stats[WD_CPU_STAT_VMEXITS_VIRQ]));
	OFFSET(PCPUD_LR_MASK, PCPU_DATA(arch.lr_mask));
	OFFSET(PCPUD_IRQ_QUEUE_LEN, PCPU_DATA(arch.irq_queue_len));
	OFFSET(PCPUD_CELL, PCPU_DATA(cell));
	OFFSET(CELL_IRQ_OWNED, offsetof(struct cell, irq_owned));
	OFFSET(CELL_MAX_IRQS, MAX_IRQS);
}
