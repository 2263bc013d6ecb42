/*
 * The checker for the root's ITS commands, and the table ranges of ITS and
 * redistributor registers: pure functions (no hardware), unit-tested on the
 * host (tests/unit/test-its-cmd.c).
 *
 * Allow-list: the physical commands Linux uses, each field checked against
 * the ITS's limits and the root's memory and CPUs, then re-encoded from the
 * checked fields only (whatever else the root put into the 32 bytes never
 * reaches the ITS). The GICv4 commands and anything unknown are refused: the
 * root sees an ITS without virtual support (GITS_TYPER.Virtual = 0).
 */
#include <wd/types.h>
#include <wd/errno.h>
#include <asm/gicv3-its.h>
#include <warden/cell-config.h>

#define DEVID(in)	((u32)((in)[0] >> 32))
#define EVENTID(in)	((u32)(in)[1])
#define PINTID(in)	((u32)((in)[1] >> 32))
#define MAPD_SIZE(in)	((unsigned int)((in)[1] & 0x1f))
#define ITT_ADDR(in)	((in)[2] & GENMASK_ULL(51, 8))
#define VALID(in)	((in)[2] >> 63)
#define ICID(in)	((u32)((in)[2] & 0xffff))
#define RDBASE(dw)	(((dw) >> 16) & GENMASK_ULL(35, 0))

const char *its_cmd_name(unsigned int cmd)
{
	switch (cmd) {
	case ITS_CMD_MOVI: return "MOVI";
	case ITS_CMD_INT: return "INT";
	case ITS_CMD_CLEAR: return "CLEAR";
	case ITS_CMD_SYNC: return "SYNC";
	case ITS_CMD_MAPD: return "MAPD";
	case ITS_CMD_MAPC: return "MAPC";
	case ITS_CMD_MAPTI: return "MAPTI";
	case ITS_CMD_MAPI: return "MAPI";
	case ITS_CMD_INV: return "INV";
	case ITS_CMD_INVALL: return "INVALL";
	case ITS_CMD_MOVALL: return "MOVALL";
	case ITS_CMD_DISCARD: return "DISCARD";
	case ITS_CMD_VMOVI: return "VMOVI";
	case ITS_CMD_VMOVP: return "VMOVP";
	case ITS_CMD_VSGI: return "VSGI";
	case ITS_CMD_VSYNC: return "VSYNC";
	case ITS_CMD_VMAPP: return "VMAPP";
	case ITS_CMD_VMAPTI: return "VMAPTI";
	case ITS_CMD_VMAPI: return "VMAPI";
	case ITS_CMD_VINVALL: return "VINVALL";
	case ITS_CMD_INVDB: return "INVDB";
	default: return "unknown";
	}
}

static int refused(struct its_verdict *v, const char *field, u64 value, const char *why)
{
	v->field = field;
	v->value = value;
	v->why = why;
	return -EINVAL;
}

static int check_device(const struct its_limits *lim, const u64 in[4], struct its_verdict *v)
{
	if (DEVID(in) >= lim->num_devices)
		return refused(v, "DeviceID", DEVID(in), "beyond the ITS's device ids");
	/* Its events are the hypervisor's to map, for the cell (gicv3-its-cell.c). */
	if (lim->cell_device && lim->cell_device(lim->ctx, DEVID(in)))
		return refused(v, "DeviceID", DEVID(in), "a cell's PCI function holds it");
	return 0;
}

static int check_event(const struct its_limits *lim, const u64 in[4], struct its_verdict *v)
{
	unsigned int bits = lim->device_event_bits ?
			    lim->device_event_bits(lim->ctx, DEVID(in)) : 0;
	int err = check_device(lim, in, v);

	if (err)
		return err;
	if (!bits || bits > lim->event_bits)
		bits = lim->event_bits;
	if ((u64)EVENTID(in) >> bits)
		return refused(v, "EventID", EVENTID(in), "beyond the device's event ids");
	return 0;
}

static int check_icid(const struct its_limits *lim, u32 icid, struct its_verdict *v)
{
	if (icid >= lim->num_collections)
		return refused(v, "ICID", icid, "beyond the ITS's collections");
	if (icid >= lim->num_collections - lim->cell_icids)
		return refused(v, "ICID", icid, "kept for cells' MSIs");
	return 0;
}

static int check_lpi(const struct its_limits *lim, u32 intid, struct its_verdict *v)
{
	if (intid < LPI_FIRST || ((u64)intid >> lim->lpi_bits))
		return refused(v, "pINTID", intid, "not an LPI of this GIC");
	if (intid >= (1ULL << lim->lpi_bits) - lim->cell_lpis)
		return refused(v, "pINTID", intid, "kept for cells' MSIs");
	return 0;
}

static int check_rd(const struct its_limits *lim, u64 rdbase, bool root_only,
		    struct its_verdict *v)
{
	enum its_rd_owner o = lim->rd_owner(lim->ctx, rdbase);

	if (o == ITS_RD_NONE)
		return refused(v, "RDbase", rdbase, "no redistributor");
	if (root_only && o != ITS_RD_ROOT)
		return refused(v, "RDbase", rdbase, "not a CPU the root runs");
	return 0;
}

int its_cmd_check(const struct its_limits *lim, const u64 in[4], u64 out[4],
		  struct its_verdict *v)
{
	unsigned int cmd = in[0] & 0xff;
	u64 start, size;
	int err;

	v->cmd = its_cmd_name(cmd);
	v->field = "";
	v->value = 0;
	v->why = "";
	out[0] = cmd;
	out[1] = out[2] = out[3] = 0;
	switch (cmd) {
	case ITS_CMD_INT:
	case ITS_CMD_CLEAR:
	case ITS_CMD_INV:
	case ITS_CMD_DISCARD:
		err = check_event(lim, in, v);
		out[0] |= (u64)DEVID(in) << 32;
		out[1] = EVENTID(in);
		return err;
	case ITS_CMD_MOVI:
	case ITS_CMD_MAPI:
	case ITS_CMD_MAPTI:
		err = check_event(lim, in, v);
		if (!err)
			err = check_icid(lim, ICID(in), v);
		if (!err && cmd == ITS_CMD_MAPI)
			err = check_lpi(lim, EVENTID(in), v);
		if (!err && cmd == ITS_CMD_MAPTI)
			err = check_lpi(lim, PINTID(in), v);
		out[0] |= (u64)DEVID(in) << 32;
		out[1] = EVENTID(in);
		if (cmd == ITS_CMD_MAPTI)
			out[1] |= (u64)PINTID(in) << 32;
		out[2] = ICID(in);
		return err;
	case ITS_CMD_MAPD:
		err = check_device(lim, in, v);
		if (err)
			return err;
		out[0] |= (u64)DEVID(in) << 32;
		if (!VALID(in))
			return 0;	/* unmap: no memory involved */
		if (MAPD_SIZE(in) + 1 > lim->event_bits)
			return refused(v, "Size", MAPD_SIZE(in),
				       "more event id bits than the ITS has");
		start = ITT_ADDR(in);
		size = ((u64)lim->ite_size << (MAPD_SIZE(in) + 1));
		if (!lim->root_ram(lim->ctx, start, size))
			return refused(v, "ITT_addr", start,
				       "the ITT is not RAM the root alone owns");
		out[1] = MAPD_SIZE(in);
		out[2] = start | GITS_BASER_VALID;
		return 0;
	case ITS_CMD_MAPC:
		err = check_icid(lim, ICID(in), v);
		if (!err && VALID(in))
			err = check_rd(lim, RDBASE(in[2]), true, v);
		out[2] = ICID(in) | (VALID(in) ? (RDBASE(in[2]) << 16) | BIT_ULL(63) : 0);
		return err;
	case ITS_CMD_SYNC:
		out[2] = RDBASE(in[2]) << 16;
		return check_rd(lim, RDBASE(in[2]), false, v);
	case ITS_CMD_INVALL:
		out[2] = ICID(in);
		return check_icid(lim, ICID(in), v);
	case ITS_CMD_MOVALL:
		/* From a cell's CPU it would take the cell's pending pLPIs too. */
		err = check_rd(lim, RDBASE(in[2]), true, v);
		if (!err)
			err = check_rd(lim, RDBASE(in[3]), true, v);
		out[2] = RDBASE(in[2]) << 16;
		out[3] = RDBASE(in[3]) << 16;
		return err;
	case ITS_CMD_VMOVI:
	case ITS_CMD_VMOVP:
	case ITS_CMD_VSGI:
	case ITS_CMD_VSYNC:
	case ITS_CMD_VMAPP:
	case ITS_CMD_VMAPTI:
	case ITS_CMD_VMAPI:
	case ITS_CMD_VINVALL:
	case ITS_CMD_INVDB:
		refused(v, "command", cmd, "GICv4: the root has no virtual PEs");
		return -EPERM;
	default:
		refused(v, "command", cmd, "not an ITS command");
		return -EPERM;
	}
}

bool its_cbaser_range(u64 cbaser, u64 *start, u64 *size)
{
	*start = cbaser & GITS_CBASER_ADDR;
	*size = (u64)GITS_BASER_PAGES(cbaser) * 0x1000;
	return cbaser & GITS_CBASER_VALID;
}

bool its_baser_range(u64 baser, u64 *start, u64 *size)
{
	u64 psz = GITS_BASER_PSZ(baser);

	/* With 64 KiB pages, bits [15:12] hold address bits [51:48]. */
	if (psz == 0x10000)
		*start = (baser & GENMASK_ULL(47, 16)) | (baser & GENMASK_ULL(15, 12)) << 36;
	else
		*start = baser & GENMASK_ULL(47, 12) & ~(psz - 1);
	*size = (u64)GITS_BASER_PAGES(baser) * psz;
	return (baser & GITS_BASER_VALID) && GITS_BASER_TYPE(baser);
}

static unsigned int prop_bits(u64 propbaser, unsigned int lpi_bits)
{
	unsigned int bits = (unsigned int)(propbaser & 0x1f) + 1;

	return bits > lpi_bits ? lpi_bits : bits;
}

bool gicr_propbaser_range(u64 propbaser, unsigned int lpi_bits, u64 *start, u64 *size)
{
	unsigned int bits = prop_bits(propbaser, lpi_bits);

	*start = propbaser & GICR_PROPBASER_ADDR;
	/* One byte per LPI; INTIDs below 8192 have none. */
	*size = bits > 13 ? (1ULL << bits) - LPI_FIRST : 0;
	return *size != 0;
}

bool gicr_pendbaser_range(u64 pendbaser, u64 propbaser, unsigned int lpi_bits,
			  u64 *start, u64 *size)
{
	unsigned int bits = prop_bits(propbaser, lpi_bits);

	*start = pendbaser & GICR_PENDBASER_ADDR;
	/* One bit per INTID, from 0 (the first 1 KiB is the GIC's own). */
	*size = bits > 13 ? (1ULL << bits) / 8 : 0;
	return *size != 0;
}

static bool overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

bool its_inside_ram(const struct wd_cell_desc *c, u64 start, u64 size)
{
	const struct wd_mem_region *m = wd_cell_mem_regions(c);
	unsigned int n;

	if (!size || start + size < start)
		return false;
	for (n = 0; n < c->num_memory_regions; n++, m++)
		if (m->size && !(m->flags & (WD_MEM_IO | WD_MEM_COMM_REGION)) &&
		    (m->flags & WD_MEM_WRITE) && start >= m->phys_start &&
		    start + size <= m->phys_start + m->size)
			return true;
	return false;
}

bool its_touches_cell(const struct wd_cell_desc *c, u64 start, u64 size)
{
	const struct wd_mem_region *m = wd_cell_mem_regions(c);
	unsigned int n;

	for (n = 0; n < c->num_memory_regions; n++, m++)
		if (!(m->flags & WD_MEM_COMM_REGION) &&
		    overlap(start, size, m->phys_start, m->size))
			return true;
	return false;
}
