/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PSCI calls. A cell reaches the hypervisor's PSCI with SMC (it traps SMC at
 * EL1). On the bare QEMU board without EL2/EL3, QEMU's own PSCI answers HVC,
 * and SMC would be undefined.
 */
#include "internal.h"

long smc_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

static long hvc_psci(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

long psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	if (inmate_is_bare())
		return hvc_psci(fn, a1, a2, a3);
	return smc_call(fn, a1, a2, a3);
}

const char *psci_strerror(long ret)
{
	switch (ret) {
	case PSCI_SUCCESS:		return "SUCCESS";
	case PSCI_NOT_SUPPORTED:	return "NOT_SUPPORTED";
	case PSCI_INVALID_PARAMETERS:	return "INVALID_PARAMETERS";
	case PSCI_DENIED:		return "DENIED";
	case PSCI_ALREADY_ON:		return "ALREADY_ON";
	case PSCI_ON_PENDING:		return "ON_PENDING";
	case -6:			return "INTERNAL_FAILURE";
	case -7:			return "NOT_PRESENT";
	case -8:			return "DISABLED";
	case -9:			return "INVALID_ADDRESS";
	}
	return "unknown";
}
