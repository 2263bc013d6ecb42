/* Basic freestanding types for the hypervisor (and its host unit tests). */
#ifndef WD_TYPES_H
#define WD_TYPES_H

#ifdef __WARDEN_HOST_TEST__
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <linux/types.h>
#else
#ifndef __WARDEN_FREESTANDING__
#define __WARDEN_FREESTANDING__
#endif
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <warden/types.h>
#endif

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	(((~0ULL) << (l)) & (~0ULL >> (63 - (h))))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((u64)(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((u64)(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGES(size)		(DIV_ROUND_UP((u64)(size), PAGE_SIZE))

#define __aligned(n)		__attribute__((aligned(n)))
#define __noreturn		__attribute__((noreturn))
#define __noinline		__attribute__((noinline))
#define __unused		__attribute__((unused))
#define __section(s)		__attribute__((section(s)))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

#define INVALID_PHYS_ADDR	(~0ULL)

#endif
