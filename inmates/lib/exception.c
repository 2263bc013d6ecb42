/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interrupt dispatch and the fault handler. A fault is reported with its
 * syndrome and the CPU then stops for good (halt()), still answering the
 * comm region so that the root can shut the cell down normally.
 */
#include "internal.h"

static irq_handler_t irq_handler;
static void (*fault_hook)(u64 esr, u64 elr, u64 far);
static volatile bool in_fault[INMATE_MAX_CPUS];
/* PMCCNTR_EL0 as read on entry to the IRQ vector, per CPU. */
static u64 entry_cycles_of[INMATE_MAX_CPUS];

void irq_set_handler(irq_handler_t fn)
{
	irq_handler = fn;
}

void fault_set_hook(void (*fn)(u64 esr, u64 elr, u64 far))
{
	fault_hook = fn;
}

/* The encoding of "mrs x1, pmccntr_el0" (Arm ARM: MRS, op0 3, op1 3, CRn 9, CRm 13, op2 0). */
#define MRS_X1_PMCCNTR		0xd53b9d01U

void irq_entry_read_cycles(void)
{
	extern u32 irq_cycles_insn[];

	*(volatile u32 *)irq_cycles_insn = MRS_X1_PMCCNTR;
	/* Make the new instruction visible to fetches (also with caches on). */
	asm volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
		     : : "r"(irq_cycles_insn) : "memory");
}

u64 irq_entry_cycles(void)
{
	return entry_cycles_of[this_cpu_index()];
}

void irq_entry(u64 entry_ticks, u64 entry_cycles)
{
	entry_cycles_of[this_cpu_index()] = entry_cycles;
	for (;;) {
		u64 iar;
		unsigned int intid = gic_ack(&iar);

		if (intid >= 1020 && intid <= 1023)
			break;
		if (intid == TIMER_VIRT_PPI && timer_sleep_tick())
			;	/* a delay_us() wake-up */
		else if (irq_handler)
			irq_handler(intid, entry_ticks);
		else if (intid == TIMER_VIRT_PPI)
			timer_stop();	/* nobody wants it: keep it from firing again */
		gic_eoi(iar);
		isb();
	}
}

static const char *vector_name(u64 kind)
{
	static const char *const names[16] = {
		"synchronous exception (SP_EL0)", "IRQ (SP_EL0)", "FIQ (SP_EL0)",
		"SError (SP_EL0)", "synchronous exception", "IRQ", "FIQ", "SError",
		"synchronous exception from EL0", "IRQ from EL0", "FIQ from EL0",
		"SError from EL0", "synchronous exception from AArch32",
		"IRQ from AArch32", "FIQ from AArch32", "SError from AArch32",
	};

	return kind < 16 ? names[kind] : "exception";
}

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason / undefined instruction";
	case 0x01: return "WFI/WFE";
	case 0x07: return "FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "system register access";
	case 0x20: return "instruction abort from EL0";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment";
	case 0x24: return "data abort from EL0";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	}
	return "other";
}

void fault_entry(u64 kind, u64 *regs)
{
	unsigned int cpu = this_cpu_index();
	u64 esr = read_sysreg(esr_el1);
	u64 elr = read_sysreg(elr_el1);
	u64 far = read_sysreg(far_el1);
	unsigned int ec = (esr >> 26) & 0x3f;

	if (in_fault[cpu]) {
		/* A fault while reporting a fault: just stop. */
		for (;;)
			wfi();
	}
	in_fault[cpu] = true;

	printk("FATAL: %s on CPU 0x%llx: ESR 0x%llx (EC 0x%02x: %s) "
	       "ELR 0x%llx FAR 0x%llx\n", vector_name(kind), this_mpidr(),
	       esr, ec, ec_name(ec), elr, far);
	printk("FATAL: x0 0x%llx x1 0x%llx x2 0x%llx x3 0x%llx x29 0x%llx x30 0x%llx\n",
	       regs[0], regs[1], regs[2], regs[3], regs[29], regs[30]);
	if (fault_hook)
		fault_hook(esr, elr, far);
	halt();
}

void halt(void)
{
	irq_disable();
	for (;;) {
		comm_region_poll();
		delay_us(10000);
	}
}
