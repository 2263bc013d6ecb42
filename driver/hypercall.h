/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two kinds of "hvc" the driver issues:
 *  - hvc #0 into Linux's hyp stub (before the hypervisor runs): HVC_SET_VECTORS,
 *    and the entry call that the new vectors turn into a jump into Warden;
 *  - hvc #0x4a48, Warden's hypercalls (code in x0, arguments x1/x2, result x0).
 *
 * EL2 code may use every caller-saved register of the AAPCS64, so all of x0-x17
 * are declared clobbered; "memory" because EL2 reads what we wrote before the
 * call (the image, the configuration) and writes state we read afterwards.
 */
#ifndef WARDEN_DRIVER_HYPERCALL_H
#define WARDEN_DRIVER_HYPERCALL_H

#include <linux/stringify.h>
#include <warden/hypercall.h>

#define WD_HVC_CLOBBERS \
	"x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", \
	"x13", "x14", "x15", "x16", "x17", "memory"

/* hvc #0: a call into Linux's hyp stub, or into Warden's entry vectors. */
static inline unsigned long wd_stub_hvc(unsigned long x0, unsigned long x1)
{
	register unsigned long r0 asm("x0") = x0;
	register unsigned long r1 asm("x1") = x1;
	register unsigned long r2 asm("x2") = 0;

	asm volatile("hvc #0"
		     : "+r" (r0), "+r" (r1), "+r" (r2)
		     :
		     : WD_HVC_CLOBBERS);
	return r0;
}

/* hvc #0x4a48: a Warden hypercall. Only valid while the hypervisor runs. */
static inline long wd_hypercall(unsigned long code, unsigned long arg1,
				unsigned long arg2)
{
	register unsigned long r0 asm("x0") = code;
	register unsigned long r1 asm("x1") = arg1;
	register unsigned long r2 asm("x2") = arg2;

	asm volatile("hvc #" __stringify(WD_HVC_IMM)
		     : "+r" (r0), "+r" (r1), "+r" (r2)
		     :
		     : WD_HVC_CLOBBERS);
	return (long)r0;
}

#endif
