/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of a flattened device tree reader to find /chosen/bootargs
 * (the bare variant's command line). All FDT fields are big-endian and the
 * structure block is 4-byte aligned, so aligned 32-bit loads suffice.
 */
#include "internal.h"

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

static u32 be32(u64 addr)
{
	return __builtin_bswap32(mmio_read32(addr));
}

const char *fdt_bootargs(u64 fdt, size_t *len)
{
	u64 p, strings, end;
	int depth = 0;
	bool in_chosen = false;

	if ((fdt & 3) || be32(fdt) != FDT_MAGIC)
		return NULL;
	p = fdt + be32(fdt + 8);		/* off_dt_struct */
	strings = fdt + be32(fdt + 12);		/* off_dt_strings */
	end = p + be32(fdt + 36);		/* size_dt_struct */

	while (p < end) {
		u32 token = be32(p);

		p += 4;
		switch (token) {
		case FDT_BEGIN_NODE: {
			const char *name = (const char *)p;

			depth++;
			in_chosen = depth == 2 && !strcmp(name, "chosen");
			p += (strlen(name) + 1 + 3) & ~3ULL;
			break;
		}
		case FDT_END_NODE:
			depth--;
			in_chosen = false;
			break;
		case FDT_PROP: {
			u32 plen = be32(p), nameoff = be32(p + 4);
			const char *data = (const char *)(p + 8);

			if (in_chosen && !strcmp((const char *)(strings + nameoff), "bootargs")) {
				*len = strnlen(data, plen);
				return data;
			}
			p += 8 + ((plen + 3) & ~3U);
			break;
		}
		case FDT_NOP:
			break;
		default:	/* FDT_END or garbage */
			return NULL;
		}
	}
	return NULL;
}
