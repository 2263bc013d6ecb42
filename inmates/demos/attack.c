/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attack: isolation tests. The command line's mode=NAME picks one attack;
 * it prints "attack: NAME start", tries it, and prints the outcome and
 * "attack: NAME survived" if it is still running. For accesses the cell must
 * not make at all, the hypervisor has to stop the cell before that line
 * (state "failed"); for requests it must refuse, the line carries the result
 * the cell saw. If an access ends in an exception inside the cell instead,
 * the fault handler prints "FATAL: ..." and "attack: NAME fault ...".
 * After "survived" the cell keeps running (idle, answering shutdown).
 *
 * Modes (addr=<address> overrides the target of the memory modes):
 *   root-read, root-write       32-bit read/write of root RAM 0x40000000
 *   hv-read, hv-write           hypervisor memory 0x7fc00000
 *   other-cell, other-cell-write  another cell's RAM, 0x7fa00000 (uart-demo)
 *   exec                        branch to 0x7fc00000 (hypervisor memory)
 *   gic-foreign                 distributor registers of SPI 33 (UART0,
 *                               the root's): ISENABLER read, ICENABLER and
 *                               IPRIORITYR writes, IROUTER read; prints what
 *                               it read (should be 0: the bits are hidden)
 *   irouter, irouter32          route an SPI the cell owns (irq=<INTID>,
 *                               default 40: UART1, so load this image into
 *                               the uart-demo cell) to a root CPU: a 64-bit
 *                               IROUTER write of MPIDR 0 / a 32-bit write of
 *                               the low word with the 1-of-N bit (31); both
 *                               must be refused. Prints IROUTER before/after.
 *   gicr-foreign                redistributor of MPIDR 0 (a root CPU):
 *                               GICR_TYPER read, ICENABLER0 write (timer PPI)
 *   sgi-root                    count=<n> (default 10000) SGI 0 to MPIDR 0,
 *                               then as many broadcast (all-but-self) SGI 0:
 *                               the root's CPU 0 rescheduling-IPI count must
 *                               not grow by that much
 *   psci-root                   CPU_ON of MPIDR 0 and 1 (root CPUs), and
 *                               AFFINITY_INFO of MPIDR 0: each must fail
 *   psci-off, psci-reset        PSCI SYSTEM_OFF / SYSTEM_RESET: must stop
 *                               only this cell ("shut down")
 *   smc-unknown                 unknown SMC function ids: -1 (NOT_SUPPORTED)
 *   hvc-unknown                 hypercall code 99 (-ENOSYS = -38), "hvc #0"
 *   hvc-mgmt                    the root-only hypercalls (disable, cell
 *                               create/start/set-loadable/destroy, ...):
 *                               -EPERM (-1) each
 *   undef                       "udf #0": an undefined instruction is an EL1
 *                               exception the cell's own vectors take; the
 *                               hypervisor is not involved. Expect FATAL
 *                               with EC 0x00, the cell stays "running".
 *   spin                        loop forever, interrupts masked, timer off,
 *                               polling only the comm region (RAM): the
 *                               CPU should cause no VM exits at all, and it
 *                               still answers a shutdown request
 *   wfi-loop                    WFI forever, interrupts masked, timer off:
 *                               no exits either (WFI does not trap to
 *                               Warden), but it never answers a shutdown
 *                               request: shutdown/destroy treat it as failed
 *                               after the reply timeout
 */
#include <inmate.h>
#include <warden/hypercall.h>

#define ROOT_RAM	0x40000000ULL
#define HV_MEMORY	0x7fc00000ULL
#define OTHER_CELL_RAM	0x7fa00000ULL
#define UART0_SPI	33

static char mode[32];

static void on_fault(u64 esr, u64 elr, u64 far)
{
	printk("attack: %s fault ESR 0x%llx (EC 0x%02llx) ELR 0x%llx FAR 0x%llx\n",
	       mode, esr, (esr >> 26) & 0x3f, elr, far);
}

static void mem_read(u64 def)
{
	u64 addr = cmdline_get_u64("addr", def);

	printk("attack: %s reading 0x%llx\n", mode, addr);
	printk("attack: %s read 0x%x\n", mode, mmio_read32(addr));
}

static void mem_write(u64 def)
{
	u64 addr = cmdline_get_u64("addr", def);

	printk("attack: %s writing 0x%llx\n", mode, addr);
	mmio_write32(addr, 0x57415244);	/* "WARD" */
	dsb(sy);
	printk("attack: %s wrote\n", mode);
}

static void exec_at(void)
{
	u64 addr = cmdline_get_u64("addr", HV_MEMORY);
	void (*fn)(void) = (void (*)(void))(uintptr_t)addr;

	printk("attack: %s branching to 0x%llx\n", mode, addr);
	fn();
	printk("attack: %s returned\n", mode);
}

static void gic_foreign(void)
{
	u64 gicd = comm_gicd_base();
	unsigned int reg = 4 * (UART0_SPI / 32), bit = 1U << (UART0_SPI % 32);
	u32 before, after;
	u64 irouter;

	before = mmio_read32(gicd + GICD_ISENABLER + reg);
	mmio_write32(gicd + GICD_ICENABLER + reg, bit);
	mmio_write8(gicd + GICD_IPRIORITYR + UART0_SPI, 0xff);
	after = mmio_read32(gicd + GICD_ISENABLER + reg);
	irouter = mmio_read64(gicd + GICD_IROUTER + 8 * UART0_SPI);
	printk("attack: %s SPI %u ISENABLER%u before=0x%x after=0x%x IPRIORITYR=0x%x IROUTER=0x%llx\n",
	       mode, UART0_SPI, UART0_SPI / 32, before, after,
	       mmio_read8(gicd + GICD_IPRIORITYR + UART0_SPI), irouter);
}

static void irouter(bool low_word_only)
{
	u64 reg = comm_gicd_base() + GICD_IROUTER + 8 * cmdline_get_u64("irq", 40);
	u64 before = mmio_read64(reg);

	if (low_word_only)
		mmio_write32(reg, 1U << 31);
	else
		mmio_write64(reg, 0);
	printk("attack: %s IRQ %llu IROUTER before=0x%llx after=0x%llx\n", mode,
	       cmdline_get_u64("irq", 40), before, mmio_read64(reg));
}

static void gicr_foreign(void)
{
	u64 frame0 = comm_gicr_base();

	u64 typer = mmio_read32(frame0 + GICR_TYPER) |
		    (u64)mmio_read32(frame0 + GICR_TYPER + 4) << 32;

	printk("attack: %s GICR_TYPER of frame 0: 0x%llx\n", mode, typer);
	mmio_write32(frame0 + GICR_SGI_BASE + 0x180, 1U << TIMER_VIRT_PPI);
	printk("attack: %s wrote GICR_ICENABLER0 of frame 0\n", mode);
}

static void sgi_root(void)
{
	u64 n = cmdline_get_u64("count", 10000), i;

	for (i = 0; i < n; i++)
		gic_send_sgi(0, 0);
	/* IRM (bit 40): every CPU but ourselves */
	for (i = 0; i < n; i++) {
		dsb(sy);
		write_sysreg(ICC_SGI1R_EL1, 1ULL << 40);
		isb();
	}
	printk("attack: %s sent %llu SGI 0 to MPIDR 0x0 and %llu broadcast\n", mode, n, n);
}

static void psci_root(void)
{
	extern char secondary_entry[];
	u64 entry = (u64)(uintptr_t)secondary_entry;
	long r0 = psci_call(PSCI_CPU_ON_64, 0, entry, 1);
	long r1 = psci_call(PSCI_CPU_ON_64, 1, entry, 1);
	long a0 = psci_call(PSCI_AFFINITY_INFO_64, 0, 0, 0);

	printk("attack: %s ret=%ld (%s) cpu1=%ld (%s) affinity0=%ld\n", mode,
	       r0, psci_strerror(r0), r1, psci_strerror(r1), a0);
}

static void psci_stop(u64 fn)
{
	long ret = psci_call(fn, 0, 0, 0);

	printk("attack: %s returned %ld\n", mode, ret);
}

static void smc_unknown(void)
{
	static const u64 fns[] = { 0x82000000, 0xc2000001, 0x83000000, 0x84ff0000, 0x12345678 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fns); i++)
		printk("attack: %s fn=0x%llx ret=%ld\n", mode, fns[i],
		       smc_call(fns[i], 0, 0, 0));
}

static void hvc_unknown(void)
{
	printk("attack: %s code=99 ret=%ld\n", mode, hypercall(99, 0, 0));
	printk("attack: %s hvc#0 ret=%ld\n", mode, hvc_imm0(0));
}

static void hvc_mgmt(void)
{
	static const struct { u64 code, a1, a2; const char *name; } calls[] = {
		{ WD_HC_CELL_CREATE, 0, 0, "cell-create" },
		{ WD_HC_CELL_START, 0, 0, "cell-start(0)" },
		{ WD_HC_CELL_SET_LOADABLE, 0, 0, "cell-set-loadable(0)" },
		{ WD_HC_CELL_DESTROY, 0, 0, "cell-destroy(0)" },
		{ WD_HC_CELL_DESTROY, 1, 0, "cell-destroy(1)" },
		{ WD_HC_DISABLE, 0, 0, "disable" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(calls); i++)
		printk("attack: %s %s ret=%ld\n", mode, calls[i].name,
		       hypercall(calls[i].code, calls[i].a1, calls[i].a2));
}

static const char *const modes[] = {
	"root-read", "root-write", "hv-read", "hv-write", "other-cell",
	"other-cell-write", "exec", "gic-foreign", "irouter", "irouter32",
	"gicr-foreign", "sgi-root",
	"psci-root", "psci-off", "psci-reset", "smc-unknown", "hvc-unknown",
	"hvc-mgmt", "undef", "spin", "wfi-loop",
};

int main(void)
{
	unsigned int i;

	if (!cmdline_get("mode", NULL, mode, sizeof(mode))) {
		printk("attack: no mode= on the command line; modes:");
		for (i = 0; i < ARRAY_SIZE(modes); i++)
			printk(" %s", modes[i]);
		printk("\n");
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(modes); i++)
		if (!strcmp(mode, modes[i]))
			break;
	if (i == ARRAY_SIZE(modes)) {
		printk("attack: unknown mode '%s'\n", mode);
		return 0;
	}
	fault_set_hook(on_fault);
	printk("attack: %s start\n", mode);

	if (!strcmp(mode, "root-read"))
		mem_read(ROOT_RAM);
	else if (!strcmp(mode, "root-write"))
		mem_write(ROOT_RAM);
	else if (!strcmp(mode, "hv-read"))
		mem_read(HV_MEMORY);
	else if (!strcmp(mode, "hv-write"))
		mem_write(HV_MEMORY);
	else if (!strcmp(mode, "other-cell"))
		mem_read(OTHER_CELL_RAM);
	else if (!strcmp(mode, "other-cell-write"))
		mem_write(OTHER_CELL_RAM);
	else if (!strcmp(mode, "exec"))
		exec_at();
	else if (!strcmp(mode, "gic-foreign"))
		gic_foreign();
	else if (!strcmp(mode, "irouter"))
		irouter(false);
	else if (!strcmp(mode, "irouter32"))
		irouter(true);
	else if (!strcmp(mode, "gicr-foreign"))
		gicr_foreign();
	else if (!strcmp(mode, "sgi-root"))
		sgi_root();
	else if (!strcmp(mode, "psci-root"))
		psci_root();
	else if (!strcmp(mode, "psci-off"))
		psci_stop(PSCI_SYSTEM_OFF);
	else if (!strcmp(mode, "psci-reset"))
		psci_stop(PSCI_SYSTEM_RESET);
	else if (!strcmp(mode, "smc-unknown"))
		smc_unknown();
	else if (!strcmp(mode, "hvc-unknown"))
		hvc_unknown();
	else if (!strcmp(mode, "hvc-mgmt"))
		hvc_mgmt();
	else if (!strcmp(mode, "undef"))
		asm volatile("udf #0");
	else if (!strcmp(mode, "spin")) {
		/* Reading the comm region is a plain RAM access: no exit. */
		irq_disable();
		timer_stop();
		for (;;)
			comm_region_poll();
	} else if (!strcmp(mode, "wfi-loop")) {
		irq_disable();
		timer_stop();
		for (;;)
			wfi();
	}

	printk("attack: %s survived\n", mode);
	idle();
}
