/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copy a frame into shared memory and compute its Internet checksum in the
 * same pass.
 *
 * The ivshmem-net protocol hands the receiver complete checksums (Jailhouse's
 * receiver verifies them; there is no feature to negotiate them away), so
 * the sender must read every payload byte twice: once to copy it into its
 * output section, once to sum it. The kernel's csum_partial_copy_nocheck()
 * is a memcpy() followed by csum_partial() on arm64; summing while the data
 * is in registers instead saves the second pass (bench/ivnet.sh: about one
 * instruction in six of the whole transfer on the emulated board).
 */
#ifndef IVNET_COPY_CSUM_H
#define IVNET_COPY_CSUM_H

#include <linux/highmem.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <net/checksum.h>

/* 64-bit one's complement addition: the carry goes around. */
static inline u64 ivnet_add_carry(u64 acc, u64 v)
{
	acc += v;
	return acc + (acc < v);
}

/*
 * Copy @len bytes from @src to @dst and return their one's complement sum as
 * csum_partial() would for a block starting at an even offset: native 64-bit
 * words summed with end-around carry, folded to 32 bits (the same 16-bit
 * word sum).
 */
static inline __wsum ivnet_copy_and_sum(void *dst, const void *src, size_t len)
{
	u64 acc = 0, w;
	u32 lo, hi;

#ifdef CONFIG_ARM64
	while (len >= 64) {
		u64 a, b, c, d, e, f, g, h;

		/* Eight words in, eight out, one carry chain through all. */
		asm volatile("ldp	%[a], %[b], [%[s]]\n\t"
			     "ldp	%[c], %[d], [%[s], #16]\n\t"
			     "ldp	%[e], %[f], [%[s], #32]\n\t"
			     "ldp	%[g], %[h], [%[s], #48]\n\t"
			     "stp	%[a], %[b], [%[t]]\n\t"
			     "stp	%[c], %[d], [%[t], #16]\n\t"
			     "stp	%[e], %[f], [%[t], #32]\n\t"
			     "stp	%[g], %[h], [%[t], #48]\n\t"
			     "adds	%[acc], %[acc], %[a]\n\t"
			     "adcs	%[acc], %[acc], %[b]\n\t"
			     "adcs	%[acc], %[acc], %[c]\n\t"
			     "adcs	%[acc], %[acc], %[d]\n\t"
			     "adcs	%[acc], %[acc], %[e]\n\t"
			     "adcs	%[acc], %[acc], %[f]\n\t"
			     "adcs	%[acc], %[acc], %[g]\n\t"
			     "adcs	%[acc], %[acc], %[h]\n\t"
			     "adc	%[acc], %[acc], xzr"
			     : [acc] "+r" (acc), [a] "=&r" (a), [b] "=&r" (b), [c] "=&r" (c),
			       [d] "=&r" (d), [e] "=&r" (e), [f] "=&r" (f), [g] "=&r" (g),
			       [h] "=&r" (h)
			     : [s] "r" (src), [t] "r" (dst)
			     : "memory", "cc");
		src += 64;
		dst += 64;
		len -= 64;
	}
#endif
	for (; len >= 8; len -= 8, src += 8, dst += 8) {
		memcpy(&w, src, 8);
		memcpy(dst, &w, 8);
		acc = ivnet_add_carry(acc, w);
	}
	if (len) {
		/*
		 * The tail, zero-padded after its last byte, as csum_partial()
		 * sums an odd tail: native words in either byte order.
		 */
		w = 0;
		memcpy(&w, src, len);
		memcpy(dst, &w, len);
		acc = ivnet_add_carry(acc, w);
	}
	/* 64 -> 32 bits, one's complement: the carry goes around again. */
	lo = (u32)acc;
	hi = acc >> 32;
	lo += hi;
	lo += lo < hi;
	return (__force __wsum)lo;
}

/*
 * Copy the whole of @skb (linear part and page fragments) to @frame and fill
 * in the checksum a CHECKSUM_PARTIAL skb asks for, summing [csum_start, len)
 * while copying it. Returns -EINVAL for an skb this cannot walk (a frag list,
 * or a checksum start outside the linear part); the caller then copies and
 * sums separately.
 */
static inline int ivnet_copy_skb_csum(const struct sk_buff *skb, void *frame)
{
	unsigned int start = skb_checksum_start_offset(skb);
	unsigned int head = skb_headlen(skb), pos, i;
	__wsum sum;

	if (skb_has_frag_list(skb) || start > head ||
	    start + skb->csum_offset + sizeof(__sum16) > skb->len)
		return -EINVAL;
	memcpy(frame, skb->data, start);
	sum = ivnet_copy_and_sum(frame + start, skb->data + start, head - start);
	pos = head - start;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];
		u32 p_off, p_len, copied;
		struct page *p;

		skb_frag_foreach_page(frag, skb_frag_off(frag), skb_frag_size(frag),
				      p, p_off, p_len, copied) {
			void *va = kmap_local_page(p);

			/* A block at an odd offset sums byte-swapped. */
			sum = csum_block_add(sum, ivnet_copy_and_sum(frame + start + pos,
								     va + p_off, p_len), pos);
			kunmap_local(va);
			pos += p_len;
		}
	}
	*(__sum16 *)(frame + start + skb->csum_offset) = csum_fold(sum) ?: CSUM_MANGLED_0;
	return 0;
}

#endif
