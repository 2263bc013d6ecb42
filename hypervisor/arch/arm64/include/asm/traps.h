#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <wd/types.h>
#include <wd/mmio.h>

struct per_cpu;
struct guest_regs;

/* A data abort's syndrome, decoded (pure function, unit-tested on the host). */
struct dabt_info {
	u64 ipa;
	unsigned int size;
	unsigned int reg;	/* 31 = zero register */
	bool is_write;
	bool sign_extend;
	bool sixty_four;	/* register is Xn, not Wn */
	bool valid;		/* ISV: the syndrome describes the access */
	bool stage1_walk;	/* fault on a guest page-table walk */
};

void dabt_decode(u64 esr, u64 hpfar, u64 far, struct dabt_info *info);
/* The value a load puts in the register: sign/zero extension. */
u64 dabt_load_value(const struct dabt_info *info, u64 raw);
/* Emulate a decoded, valid access: reads @x[reg] / writes it (see mmio-decode.c). */
enum mmio_result dabt_emulate(struct mmio_regions *mmio,
			      const struct dabt_info *info, u64 *x);

/* A data abort with the light frame (light-exit.c); false: take the full path. */
bool arch_dabt_light(u64 esr, struct guest_regs *regs);

/* Handle a trapped SMC (PSCI, SMCCC); false if the call is not permitted. */
void psci_handle_smc(struct per_cpu *pc, struct guest_regs *regs);
long arch_firmware_call(u64 fn, u64 a1, u64 a2, u64 a3);
void __noreturn arch_park_cpu_off(struct per_cpu *pc);
/* Ask the firmware which SMCCC workarounds it has on this CPU (at enable). */
void smccc_cpu_init(struct per_cpu *pc);
/* Does this CPU need SMCCC_ARCH_WORKAROUND_1 on every exit from a guest? */
bool smccc_exit_needs_wa1(struct per_cpu *pc);

#endif
