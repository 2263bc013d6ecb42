// SPDX-License-Identifier: GPL-2.0
/*
 * gunzip for "cell linux": a gzip member (RFC 1952) around a DEFLATE stream
 * (RFC 1951), decoded into a growing buffer, its CRC-32 and length checked.
 * The tool is linked statically for the guest, where no arm64 zlib is at
 * hand; kernels are the only input, so plain canonical-Huffman decoding one
 * bit at a time is fast enough and easy to check against the RFC.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell-linux.h"

#define MAX_BITS	15
#define MAX_LITLEN	288
#define MAX_DIST	30

struct inflate_state {
	const uint8_t *in;
	size_t in_len, in_pos;
	uint32_t bitbuf;
	unsigned int bitcnt;
	uint8_t *out;
	size_t out_len, out_cap, out_max;
	const char *error;
};

/* A canonical Huffman code: how many codes of each length, symbols in code order. */
struct huffman {
	uint16_t count[MAX_BITS + 1];
	uint16_t symbol[MAX_LITLEN];
};

static int need_bits(struct inflate_state *s, unsigned int n)
{
	while (s->bitcnt < n) {
		if (s->in_pos >= s->in_len) {
			s->error = "compressed data ends early";
			return -1;
		}
		s->bitbuf |= (uint32_t)s->in[s->in_pos++] << s->bitcnt;
		s->bitcnt += 8;
	}
	return 0;
}

/* @n (<= 24) bits, least significant first; -1 at the end of the input. */
static long get_bits(struct inflate_state *s, unsigned int n)
{
	uint32_t v;

	if (n == 0)
		return 0;
	if (need_bits(s, n))
		return -1;
	v = s->bitbuf & ((1u << n) - 1);
	s->bitbuf >>= n;
	s->bitcnt -= n;
	return v;
}

static int put_byte(struct inflate_state *s, uint8_t b)
{
	if (s->out_len == s->out_cap) {
		size_t cap = s->out_cap ? s->out_cap * 2 : 1 << 20;
		uint8_t *p;

		if (cap > s->out_max)
			cap = s->out_max;
		if (s->out_len >= cap) {
			s->error = "decompressed data larger than the limit";
			return -1;
		}
		p = realloc(s->out, cap);
		if (!p) {
			s->error = "out of memory";
			return -1;
		}
		s->out = p;
		s->out_cap = cap;
	}
	s->out[s->out_len++] = b;
	return 0;
}

/*
 * Build the code from @n code lengths. Returns 0 for a complete code, > 0 for
 * an incomplete one (allowed for a distance code with at most one code), -1
 * for an over-subscribed set.
 */
static int huffman_build(struct huffman *h, const uint8_t *lengths, unsigned int n)
{
	uint16_t offs[MAX_BITS + 1];
	unsigned int len, sym;
	int left = 1;

	memset(h->count, 0, sizeof(h->count));
	for (sym = 0; sym < n; sym++)
		h->count[lengths[sym]]++;
	if (h->count[0] == n)
		return 0;	/* no codes at all: decoding any symbol fails */
	for (len = 1; len <= MAX_BITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return -1;
	}
	offs[1] = 0;
	for (len = 1; len < MAX_BITS; len++)
		offs[len + 1] = offs[len] + h->count[len];
	for (sym = 0; sym < n; sym++)
		if (lengths[sym])
			h->symbol[offs[lengths[sym]]++] = (uint16_t)sym;
	return left;
}

/* The next symbol: the code is read one bit at a time, first bit = top bit. */
static int huffman_decode(struct inflate_state *s, const struct huffman *h)
{
	int code = 0, first = 0, index = 0;
	unsigned int len;

	for (len = 1; len <= MAX_BITS; len++) {
		long bit = get_bits(s, 1);
		int count = h->count[len];

		if (bit < 0)
			return -1;
		code |= (int)bit;
		if (code - first < count)
			return h->symbol[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	s->error = "invalid Huffman code";
	return -1;
}

static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* Literals and back-references until the end-of-block symbol. */
static int inflate_codes(struct inflate_state *s, const struct huffman *lit,
			 const struct huffman *dist)
{
	for (;;) {
		int sym = huffman_decode(s, lit);
		long extra, len, d;

		if (sym < 0)
			return -1;
		if (sym < 256) {
			if (put_byte(s, (uint8_t)sym))
				return -1;
			continue;
		}
		if (sym == 256)
			return 0;
		sym -= 257;
		if (sym >= 29) {
			s->error = "invalid length symbol";
			return -1;
		}
		extra = get_bits(s, len_extra[sym]);
		if (extra < 0)
			return -1;
		len = len_base[sym] + extra;
		sym = huffman_decode(s, dist);
		if (sym < 0)
			return -1;
		if (sym >= 30) {
			s->error = "invalid distance symbol";
			return -1;
		}
		extra = get_bits(s, dist_extra[sym]);
		if (extra < 0)
			return -1;
		d = dist_base[sym] + extra;
		if ((size_t)d > s->out_len) {
			s->error = "distance before the start of the data";
			return -1;
		}
		while (len--)
			if (put_byte(s, s->out[s->out_len - (size_t)d]))
				return -1;
	}
}

static int inflate_stored(struct inflate_state *s)
{
	unsigned int len, nlen;

	s->bitbuf = 0;		/* to the byte boundary */
	s->bitcnt = 0;
	if (s->in_len - s->in_pos < 4) {
		s->error = "compressed data ends early";
		return -1;
	}
	len = s->in[s->in_pos] | s->in[s->in_pos + 1] << 8;
	nlen = s->in[s->in_pos + 2] | s->in[s->in_pos + 3] << 8;
	s->in_pos += 4;
	if (len != (~nlen & 0xffff)) {
		s->error = "stored block length check failed";
		return -1;
	}
	if (s->in_len - s->in_pos < len) {
		s->error = "compressed data ends early";
		return -1;
	}
	while (len--)
		if (put_byte(s, s->in[s->in_pos++]))
			return -1;
	return 0;
}

static int inflate_fixed(struct inflate_state *s)
{
	static struct huffman lit, dist;
	static int built;

	if (!built) {
		uint8_t l[MAX_LITLEN];
		unsigned int i;

		for (i = 0; i < 144; i++)
			l[i] = 8;
		for (; i < 256; i++)
			l[i] = 9;
		for (; i < 280; i++)
			l[i] = 7;
		for (; i < MAX_LITLEN; i++)
			l[i] = 8;
		huffman_build(&lit, l, MAX_LITLEN);
		for (i = 0; i < MAX_DIST; i++)
			l[i] = 5;
		huffman_build(&dist, l, MAX_DIST);
		built = 1;
	}
	return inflate_codes(s, &lit, &dist);
}

static int inflate_dynamic(struct inflate_state *s)
{
	static const uint8_t order[19] = {
		16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
	uint8_t lengths[MAX_LITLEN + MAX_DIST];
	struct huffman lencode, lit, dist;
	long nlen, ndist, ncode, v;
	unsigned int i = 0;
	int err;

	nlen = get_bits(s, 5);
	ndist = get_bits(s, 5);
	ncode = get_bits(s, 4);
	if (nlen < 0 || ndist < 0 || ncode < 0)
		return -1;
	nlen += 257;
	ndist += 1;
	ncode += 4;
	if (nlen > 286 || ndist > 30) {
		s->error = "too many length or distance codes";
		return -1;
	}
	memset(lengths, 0, sizeof(lengths));
	for (i = 0; i < (unsigned int)ncode; i++) {
		v = get_bits(s, 3);
		if (v < 0)
			return -1;
		lengths[order[i]] = (uint8_t)v;
	}
	if (huffman_build(&lencode, lengths, 19) != 0) {
		s->error = "invalid code-length code";
		return -1;
	}
	for (i = 0; i < (unsigned int)(nlen + ndist);) {
		int sym = huffman_decode(s, &lencode);
		unsigned int rep;
		uint8_t val = 0;

		if (sym < 0)
			return -1;
		if (sym < 16) {
			lengths[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0) {
				s->error = "repeat with no previous length";
				return -1;
			}
			val = lengths[i - 1];
			v = get_bits(s, 2);
			rep = 3;
		} else if (sym == 17) {
			v = get_bits(s, 3);
			rep = 3;
		} else {
			v = get_bits(s, 7);
			rep = 11;
		}
		if (v < 0)
			return -1;
		rep += (unsigned int)v;
		if (i + rep > (unsigned int)(nlen + ndist)) {
			s->error = "too many code lengths";
			return -1;
		}
		while (rep--)
			lengths[i++] = val;
	}
	if (lengths[256] == 0) {
		s->error = "no end-of-block code";
		return -1;
	}
	err = huffman_build(&lit, lengths, (unsigned int)nlen);
	if (err < 0 || (err > 0 && nlen - lit.count[0] != 1)) {
		s->error = "invalid literal/length code";
		return -1;
	}
	err = huffman_build(&dist, lengths + nlen, (unsigned int)ndist);
	if (err < 0 || (err > 0 && ndist - dist.count[0] != 1)) {
		s->error = "invalid distance code";
		return -1;
	}
	return inflate_codes(s, &lit, &dist);
}

static uint32_t crc32_buf(const uint8_t *p, size_t n)
{
	static uint32_t table[256];
	uint32_t crc = 0xffffffff;
	size_t i;

	if (!table[1]) {
		for (i = 0; i < 256; i++) {
			uint32_t c = (uint32_t)i;
			int k;

			for (k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	for (i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffff;
}

int wd_is_gzip(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	return len >= 18 && p[0] == 0x1f && p[1] == 0x8b;
}

int wd_gunzip(const void *buf, size_t len, size_t max_out, void **out, size_t *out_len,
	      char *err, size_t errlen)
{
	const uint8_t *p = buf;
	struct inflate_state s;
	size_t pos = 10;
	uint32_t crc, isize;
	long last, type;
	uint8_t flags;

	*out = NULL;
	*out_len = 0;
	if (!wd_is_gzip(buf, len) || p[2] != 8) {
		snprintf(err, errlen, "not gzip data (deflate)");
		return -1;
	}
	flags = p[3];
	if (flags & 0xe0) {
		snprintf(err, errlen, "gzip header has reserved flags 0x%x", flags);
		return -1;
	}
	if (flags & 0x04) {		/* FEXTRA */
		if (len - pos < 2 || len - pos - 2 < (size_t)(p[pos] | p[pos + 1] << 8))
			goto truncated;
		pos += 2 + (size_t)(p[pos] | p[pos + 1] << 8);
	}
	if (flags & 0x08) {		/* FNAME */
		while (pos < len && p[pos])
			pos++;
		pos++;
	}
	if (flags & 0x10) {		/* FCOMMENT */
		while (pos < len && p[pos])
			pos++;
		pos++;
	}
	if (flags & 0x02)		/* FHCRC */
		pos += 2;
	if (pos + 8 > len)
		goto truncated;

	memset(&s, 0, sizeof(s));
	s.in = p + pos;
	s.in_len = len - pos - 8;
	s.out_max = max_out;
	do {
		last = get_bits(&s, 1);
		type = get_bits(&s, 2);
		if (last < 0 || type < 0)
			goto bad;
		if (type == 0) {
			if (inflate_stored(&s))
				goto bad;
		} else if (type == 1) {
			if (inflate_fixed(&s))
				goto bad;
		} else if (type == 2) {
			if (inflate_dynamic(&s))
				goto bad;
		} else {
			s.error = "invalid block type 3";
			goto bad;
		}
	} while (!last);

	/* The trailer follows the last whole byte the stream used. */
	pos += s.in_pos;
	crc = (uint32_t)p[pos] | (uint32_t)p[pos + 1] << 8 | (uint32_t)p[pos + 2] << 16 |
	      (uint32_t)p[pos + 3] << 24;
	isize = (uint32_t)p[pos + 4] | (uint32_t)p[pos + 5] << 8 |
		(uint32_t)p[pos + 6] << 16 | (uint32_t)p[pos + 7] << 24;
	if (isize != (uint32_t)s.out_len) {
		snprintf(err, errlen, "gzip length check failed (%zu bytes, trailer says %u)",
			 s.out_len, isize);
		free(s.out);
		return -1;
	}
	if (crc32_buf(s.out, s.out_len) != crc) {
		snprintf(err, errlen, "gzip CRC-32 check failed");
		free(s.out);
		return -1;
	}
	*out = s.out;
	*out_len = s.out_len;
	return 0;

bad:
	snprintf(err, errlen, "corrupt gzip data: %s", s.error ? s.error : "?");
	free(s.out);
	return -1;
truncated:
	snprintf(err, errlen, "gzip header truncated");
	return -1;
}
