/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types for the headers in include/warden/, which are shared by the
 * Linux driver (kernel), the hypervisor (freestanding), the tool and the inmates
 * (userspace or bare metal).
 */
#ifndef WARDEN_TYPES_H
#define WARDEN_TYPES_H

#if defined(__KERNEL__)
#include <linux/types.h>
#elif defined(__WARDEN_FREESTANDING__)
typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef signed short __s16;
typedef unsigned int __u32;
typedef signed int __s32;
typedef unsigned long long __u64;
typedef signed long long __s64;
#else
#include <linux/types.h>
#endif

#ifndef __packed
#define __packed __attribute__((packed))
#endif

/* Build-time layout checks; usable in every environment the headers are used in. */
#define WD_ASSERT_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), "size of " #type)
#define WD_ASSERT_OFFSET(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), "offset of " #type "." #field)

#endif
