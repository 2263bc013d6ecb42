/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inmate library: everything a bare-metal program in a Warden cell (or,
 * built as the "bare" variant, directly on the QEMU virt board at EL1) needs.
 *
 * A demo defines main(); the library's start-up code has then already set up
 * this CPU's stack and exception vectors, cleared bss, read the command line,
 * found the communication region and chosen the console. Each part is in its
 * own file under inmates/lib/.
 */
#ifndef INMATE_H
#define INMATE_H

#include "inmate/arch.h"
#include "inmate/layout.h"

/* Set by the "bare" build: no hypervisor, no comm region, PSCI over HVC. */
#ifdef INMATE_BARE
#define inmate_is_bare()	true
#else
#define inmate_is_bare()	false
#endif

int main(void);

/* ---- string.c: what the compiler and the library need */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* ---- printk.c: formatted output (%d %i %u %x %X %p %s %c %%, flags 0 and -,
 * width, length modifiers hh h l ll z). printk formats a whole message before
 * writing it, so lines from different CPUs do not interleave by character. */
typedef __builtin_va_list va_list;
#define va_start(ap, last)	__builtin_va_start(ap, last)
#define va_arg(ap, type)	__builtin_va_arg(ap, type)
#define va_end(ap)		__builtin_va_end(ap)

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printk(const char *fmt, ...) __printf(1, 2);

/* ---- console.c: where output goes */
#define CONSOLE_UART	0x1	/* the PL011 (cell: the config's console) */
#define CONSOLE_HVC	0x2	/* the hypervisor's debug console hypercall */
void console_init(void);
void console_write(const char *s, size_t len);
unsigned int console_targets(void);

/* ---- uart-pl011.c */
void pl011_init(u64 base);
void pl011_putc(u64 base, char c);

/* ---- hypercall.c: "hvc #0x4a48", code in x0, arguments x1/x2, result x0 */
long hypercall(u64 code, u64 arg1, u64 arg2);
long hvc_imm0(u64 x0);			/* "hvc #0": not Warden's immediate */

/* ---- cmdline.c: "key=value key2=value2 flag" at +0x1000 of the image */
void cmdline_init(u64 boot_x0);
const char *cmdline(void);
/* Copy key's value (NUL-terminated, at most size-1 chars) into buf; returns
 * buf, or def when the key is absent. A bare key ("flag") has value "". */
const char *cmdline_get(const char *key, const char *def, char *buf, size_t size);
/* Numbers: decimal, 0x hex, with an optional k/m/g (x1024) suffix. */
u64 cmdline_get_u64(const char *key, u64 def);
bool cmdline_has(const char *key);
/* Parse a number from a string as cmdline_get_u64 does; false if malformed. */
bool parse_u64(const char *s, const char **end, u64 *out);

/* ---- comm.c: the communication region (NULL in the bare variant or when the
 * hypervisor did not fill it in: signature "JHCOMM", revision 2) */
struct wd_comm_region;
void comm_region_init(void);
volatile struct wd_comm_region *comm_region(void);
u32 comm_region_flags(void);
/*
 * Answer a pending message from the hypervisor. Call it regularly from the
 * main loop. A shutdown request is approved (then this CPU stops doing
 * anything; the hypervisor stops the cell) unless the command line says
 * shutdown=deny (replies "denied") or shutdown=ignore (never replies), or the
 * shutdown handler returns false. shutdown=lock marks the cell
 * RUNNING_LOCKED at start (the hypervisor then refuses without asking).
 */
void comm_region_poll(void);
/* Called before a shutdown request is approved; return false to deny. */
void comm_region_set_shutdown_handler(bool (*fn)(void));
/* Sleep (on the timer) for @us, answering the comm region every 10 ms. */
void sleep_us(u64 us);
u64 comm_gicd_base(void);
u64 comm_gicr_base(void);
/* The GIC version the comm region names: 2 or 3 (3 without a comm region). */
unsigned int comm_gic_version(void);
u64 comm_gicc_base(void);	/* GICv2 only; 0 otherwise */

/* ---- timer.c: the EL1 virtual timer (PPI 27) */
#define TIMER_VIRT_PPI	27
u64 timer_freq(void);
u64 timer_ticks(void);
void timer_arm_at(u64 deadline);	/* CNTV_CVAL, enabled, unmasked */
void timer_stop(void);
u64 ticks_to_ns(u64 ticks);
u64 us_to_ticks(u64 us);
void delay_us(u64 us);

/* ---- gic.c (gicv3.c, gicv2.c): the GIC the comm region names */
/*
 * GICv3: SRE, priority mask, group 1 enable; finds this CPU's redistributor.
 * GICv2: priority mask and enable of the (virtual) CPU interface at GICC.
 */
void gic_init_cpu(void);
void gic_enable_ppi(unsigned int intid, u8 prio);	/* SGIs and PPIs */
void gic_enable_spi(unsigned int intid, u8 prio);	/* and route to this CPU */
void gic_send_sgi(u64 target_mpidr, unsigned int sgi);
u64 gic_redist_base(void);	/* this CPU's RD_base frame; 0 before init and on GICv2 */
/* Print the state that decides whether the timer PPI reaches this CPU. */
void gic_timer_report(const char *who);
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_IPRIORITYR		0x0400
#define GICD_IROUTER		0x6000
#define GICR_TYPER		0x0008
#define GICR_SGI_BASE		0x10000
#define GICR_ISENABLER0		(GICR_SGI_BASE + 0x0100)
#define GICR_IPRIORITYR		(GICR_SGI_BASE + 0x0400)

/* ---- exception.c: interrupt and fault handling */
/* Called for every interrupt with its INTID and the counter value read as
 * the IRQ vector was entered (for latency measurements); the library
 * acknowledges and ends the interrupt around it. */
typedef void (*irq_handler_t)(unsigned int intid, u64 entry_ticks);
void irq_set_handler(irq_handler_t fn);
/* PMCCNTR_EL0 as read on entry to the IRQ vector (right after the counter),
 * for the interrupt being handled on this CPU; meaningful only while the
 * cycle counter runs (see demos/bench.c). */
/*
 * PMCCNTR_EL0 as read on entry to the IRQ vector, on this CPU; 0 until
 * irq_entry_read_cycles() makes the vector read it (where a cell's PMU
 * accesses trap, that read costs an exit per interrupt).
 */
u64 irq_entry_cycles(void);
void irq_entry_read_cycles(void);
/* Called by the fault handler after it printed the fault, before it stops the CPU. */
void fault_set_hook(void (*fn)(u64 esr, u64 elr, u64 far));
/* Stop this CPU after a fault: interrupts masked, still answering the comm region. */
void __noreturn halt(void);

/* ---- start.c */
/* Sleep forever, answering the comm region (e.g. after a demo finished). */
void __noreturn idle(void);
/*
 * What an inmate does when its work is done (also when main() returns):
 * command line exit=off calls PSCI SYSTEM_OFF (a cell is then "shut down";
 * on the bare board QEMU quits), exit=idle sleeps forever answering the comm
 * region. Default: idle in a cell, off on the bare board.
 */
void __noreturn inmate_exit(void);

/* ---- pci.c: the virtual PCI host's configuration space (ECAM at the comm
 * region's pci_mmconfig_base; command line ecam= overrides). Sizes 1, 2, 4. */
u64 pci_ecam_base(void);
u32 pci_cfg_read(u16 bdf, unsigned int reg, unsigned int size);
void pci_cfg_write(u16 bdf, unsigned int reg, u32 value, unsigned int size);
/* The BDF of the @index-th (from 0) function with these IDs on bus 0, or -1. */
int pci_find_device(u16 vendor, u16 device, unsigned int index);
/* Offset of the capability @id in the function's list, or -1. */
int pci_find_cap(u16 bdf, u8 id);

/* ---- ivshmem.c: ivshmem-v2 devices (include/warden/ivshmem.h) */
struct ivshmem {
	u16 bdf;
	u16 protocol;
	u32 id, peers;			/* this cell's peer number, Max Peers */
	u64 regs;			/* BAR 0 */
	u64 state_table, rw, in, out;	/* guest addresses of the sections */
	u32 state_size;
	u64 rw_size, out_size;
	unsigned int irq;		/* INTID of INTx, 0 with none */
};
/* Find the @index-th ivshmem device and put its registers at @bar (a free
 * guest address); 0, or -1 (no such device) or -2 (no vendor capability). */
int ivshmem_open(struct ivshmem *d, unsigned int index, u64 bar);
/* Enable its INTx at the GIC (routed here) and in Interrupt Control. */
void ivshmem_enable_irq(struct ivshmem *d, bool one_shot);
void ivshmem_ring(struct ivshmem *d, unsigned int peer, unsigned int vector);
void ivshmem_set_state(struct ivshmem *d, u32 state);
u32 ivshmem_peer_state(struct ivshmem *d, unsigned int peer);

/* ---- its.c: a GICv3 ITS (a cell's virtual one), LPIs on this CPU */
struct its {
	u64 base;			/* GITS control frame */
	u64 *queue;			/* one 4 KiB page of commands */
	u8 *prop;			/* LPI property table, 8 KiB for prop_bits 14 */
	void *pend;			/* pending table (64 KiB-aligned) */
	unsigned int prop_bits;		/* LPI INTIDs < 1 << prop_bits */
	unsigned int slot;
	u64 proc_num[INMATE_MAX_CPUS];	/* redistributors' Processor_Number, for MAPC */
};
#define ITS_TRANSLATER		0x10040	/* from base: where MSIs are written */
/* This CPU's redistributor: every LPI enabled at priority 0xa0, LPIs on. */
void its_lpis_on(struct its *its);
/* The command queue at GITS_CBASER, the ITS enabled. */
void its_enable(struct its *its);
void its_send(struct its *its, u64 a, u64 b, u64 c, u64 d);
/* Wait until the ITS read every command queued. */
bool its_drained(struct its *its, unsigned int timeout_us);
#define ITS_MAPD(i, dev, bits)	its_send(i, 0x08 | (u64)(dev) << 32, (bits) - 1, 1ULL << 63, 0)
#define ITS_MAPC(i, icid, rd)	its_send(i, 0x09, 0, 1ULL << 63 | (u64)(rd) << 16 | (icid), 0)
#define ITS_MAPTI(i, dev, ev, lpi, icid) \
	its_send(i, 0x0a | (u64)(dev) << 32, (ev) | (u64)(lpi) << 32, (icid), 0)
#define ITS_INT(i, dev, ev)	its_send(i, 0x03 | (u64)(dev) << 32, (ev), 0, 0)
#define ITS_SYNC(i, rd)		its_send(i, 0x05, 0, (u64)(rd) << 16, 0)

/* ---- psci.c: over SMC in a cell, over HVC on the bare board (QEMU's PSCI) */
#define PSCI_VERSION		0x84000000
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define SMCCC_VERSION		0x80000000

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMETERS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)

#define PSCI_AFF_ON		0
#define PSCI_AFF_OFF		1
#define PSCI_AFF_ON_PENDING	2

long smc_call(u64 fn, u64 a1, u64 a2, u64 a3);
long psci_call(u64 fn, u64 a1, u64 a2, u64 a3);
const char *psci_strerror(long ret);

/* ---- smp.c */
/* Start the CPU with affinity @mpidr as image CPU @index (1..MAX_CPUS-1);
 * it runs @fn(index) on its own stack, then turns itself off (PSCI CPU_OFF).
 * Returns the PSCI result. */
long smp_start_cpu(u64 mpidr, unsigned int index, void (*fn)(unsigned int index));

#endif
