/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GICv3 ITS from a bare-metal cell: in a cell it is the cell's virtual ITS
 * (hypervisor/arch/arm64/vits.c), at the address the board has its ITS.
 * One command queue page, written round-robin; the LPI tables of this CPU's
 * redistributor. Register offsets and command encodings: the GICv3
 * architecture specification (GITS_*, GICR_*, "ITS commands").
 */
#include <inmate.h>

#define GITS_CTLR		0x0000
#define GITS_CBASER		0x0080
#define GITS_CWRITER		0x0088
#define GITS_CREADR		0x0090
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define QUEUE_SLOTS		128		/* 4 KiB of 32-byte commands */

void its_lpis_on(struct its *its)
{
	u64 rd = gic_redist_base();
	unsigned int n;

	for (n = 0; n < (1U << its->prop_bits) - 8192; n++)
		its->prop[n] = 0xa0 | 1;	/* priority 0xa0, enabled */
	dsb(sy);
	mmio_write64(rd + GICR_PROPBASER, (u64)(uintptr_t)its->prop | (its->prop_bits - 1));
	mmio_write64(rd + GICR_PENDBASER, (u64)(uintptr_t)its->pend);
	mmio_write32(rd + GICR_CTLR, 1);
	its->proc_num[this_cpu_index()] = mmio_read64(rd + GICR_TYPER) >> 8 & 0xffff;
}

void its_enable(struct its *its)
{
	mmio_write32(its->base + GITS_CTLR, 0);
	mmio_write64(its->base + GITS_CBASER, 1ULL << 63 | (u64)(uintptr_t)its->queue);
	mmio_write32(its->base + GITS_CTLR, 1);
	its->slot = 0;
}

void its_send(struct its *its, u64 a, u64 b, u64 c, u64 d)
{
	u64 *s = &its->queue[its->slot * 4];

	s[0] = a;
	s[1] = b;
	s[2] = c;
	s[3] = d;
	its->slot = (its->slot + 1) % QUEUE_SLOTS;
	dsb(sy);
	mmio_write64(its->base + GITS_CWRITER, its->slot * 32);
}

bool its_drained(struct its *its, unsigned int timeout_us)
{
	u64 t0 = timer_ticks();

	while ((mmio_read64(its->base + GITS_CREADR) & 0xfffe0) != its->slot * 32ULL)
		if (timer_ticks() - t0 > us_to_ticks(timeout_us))
			return false;
	return true;
}
