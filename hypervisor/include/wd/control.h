#ifndef WD_CONTROL_H
#define WD_CONTROL_H

#include <wd/types.h>
#include <warden/cell-config.h>
#include <warden/firmware.h>

struct per_cpu;
struct guest_regs;
struct cell;

/* The system configuration the driver handed over (in hypervisor memory). */
extern const struct wd_system_config *system_config;
extern struct wd_fw_header *fw_header;
extern u64 hv_phys_base, hv_mem_size;

/* Called on each CPU after its MMU is on; 0 when the CPU runs as root cell. */
int wd_cpu_entry(unsigned int cpu);
/* Hypercall dispatcher; returns the value for the caller's x0. */
long hypercall(struct per_cpu *pc, unsigned long code, unsigned long arg1,
	       unsigned long arg2);
/*
 * The hypercalls that only ask (HYPERVISOR_GET_INFO .. DEBUG_CONSOLE_PUTC):
 * they read state or print and return; none parks, resets or hands over the
 * calling CPU, so the exit paths may answer them with a light frame.
 */
#define HYPERCALL_FIRST_QUERY	5	/* WD_HC_HYPERVISOR_GET_INFO */
#define HYPERCALL_LAST_QUERY	8	/* WD_HC_DEBUG_CONSOLE_PUTC */
long hypercall_query(struct per_cpu *pc, unsigned long code, unsigned long arg1,
		     unsigned long arg2);
/* Stop this CPU for good after a fatal error in the hypervisor itself. */
void __noreturn panic_park(void);
/* Monotonic time for timeouts. */
u64 timer_ticks(void);
u64 timer_ticks_per_sec(void);

/* Arch hooks */
int arch_global_init(void);
/* Undo arch_global_init's device set-up (IOMMUs): disable, or a failed enable. */
void arch_global_exit(void);
int arch_cpu_init(struct per_cpu *pc);
void arch_cpu_deinit(struct per_cpu *pc);
/*
 * Write back and drop every cache line of hypervisor memory that can hold
 * data, once no CPU writes it any more: the next enable writes this memory
 * with the MMU off, and a dirty line evicted later would overwrite that.
 */
void arch_flush_hv_memory(void);
int arch_map_device(u64 phys, u64 size, void **virt);
void arch_cell_init(struct cell *cell);
void __noreturn arch_leave_hypervisor(struct per_cpu *pc, long ret);
/* Nudge a parked CPU (event SGI), and wait until a released one is off. */
void arch_wake_cpu(struct per_cpu *pc);
void arch_wait_cpu_off(struct per_cpu *pc);

/* Quiesce this CPU's virtual interrupts before parking; sleep until an event. */
void arch_park_prepare(struct per_cpu *pc);
void arch_wait_for_event(struct per_cpu *pc);
void __noreturn arch_park_cpu_off(struct per_cpu *pc);

extern volatile bool hypervisor_shutting_down;
/* Set (under the management lock) once a disable has begun: no more cells. */
extern bool disable_in_progress;
long hypervisor_disable(struct per_cpu *pc);

#endif
