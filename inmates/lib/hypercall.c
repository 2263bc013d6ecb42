/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Warden hypercalls: "hvc #0x4a48", code in x0, arguments in x1 and x2,
 * result in x0. The scratch registers are declared clobbered as for any
 * SMCCC-style call, so that a hypervisor that uses them cannot corrupt us.
 */
#include "internal.h"
#include <warden/hypercall.h>

long hypercall(u64 code, u64 arg1, u64 arg2)
{
	register u64 x0 asm("x0") = code;
	register u64 x1 asm("x1") = arg1;
	register u64 x2 asm("x2") = arg2;

	asm volatile("hvc #" __stringify(WD_HVC_IMM)
		     : "+r" (x0), "+r" (x1), "+r" (x2)
		     :
		     : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (long)x0;
}

long hvc_imm0(u64 code)
{
	register u64 x0 asm("x0") = code;

	asm volatile("hvc #0"
		     : "+r" (x0)
		     :
		     : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
		       "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17",
		       "memory");
	return (long)x0;
}
