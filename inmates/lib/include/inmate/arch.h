/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Basic types, system-register and MMIO accessors, barriers.
 *
 * The inmates run with the MMU off, so every data access is to Device memory:
 * no unaligned accesses (hence -mstrict-align), and no exclusive load/store
 * pairs, whose behaviour on Device memory is implementation defined. Code
 * that more than one CPU runs coordinates through plain aligned loads and
 * stores of flags that only one side writes.
 */
#ifndef INMATE_ARCH_H
#define INMATE_ARCH_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uintptr_t;
typedef _Bool bool;

#define true	1
#define false	0
#ifndef NULL
#define NULL	((void *)0)
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __noreturn	__attribute__((noreturn))
#define __unused	__attribute__((unused))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define read_sysreg(reg) ({						\
	u64 __val;							\
	asm volatile("mrs %0, " __stringify(reg) : "=r" (__val));	\
	__val;								\
})

#define write_sysreg(reg, val) do {					\
	u64 __val = (u64)(val);						\
	asm volatile("msr " __stringify(reg) ", %0" : : "r" (__val));	\
} while (0)

/* GICv3 CPU interface registers by encoding (older assemblers lack names). */
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_HPPIR1_EL1		S3_0_C12_C12_2
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_SGI1R_EL1		S3_0_C12_C11_5

#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")
#define barrier()	asm volatile("" : : : "memory")
#define cpu_relax()	asm volatile("yield" : : : "memory")
#define wfi()		asm volatile("wfi" : : : "memory")

static inline void irq_enable(void)
{
	asm volatile("msr daifclr, #2" : : : "memory");
}

static inline void irq_disable(void)
{
	asm volatile("msr daifset, #2" : : : "memory");
}

static inline u8 mmio_read8(u64 addr)
{
	u8 v;

	asm volatile("ldrb %w0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

static inline u32 mmio_read32(u64 addr)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

static inline u64 mmio_read64(u64 addr)
{
	u64 v;

	asm volatile("ldr %0, [%1]" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

static inline void mmio_write8(u64 addr, u8 v)
{
	asm volatile("strb %w0, [%1]" : : "r" (v), "r" (addr) : "memory");
}

static inline void mmio_write32(u64 addr, u32 v)
{
	asm volatile("str %w0, [%1]" : : "r" (v), "r" (addr) : "memory");
}

static inline void mmio_write64(u64 addr, u64 v)
{
	asm volatile("str %0, [%1]" : : "r" (v), "r" (addr) : "memory");
}

#define MPIDR_AFF_MASK	0xff00ffffffULL

/* The affinity fields of this CPU's MPIDR: what PSCI and GICR_TYPER use. */
static inline u64 this_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

/* This CPU's index within the image (0 = the first CPU), set at entry. */
static inline unsigned int this_cpu_index(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

#endif
