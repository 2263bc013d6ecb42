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
#include <wd/printk.h>
#include <wd/mmio.h>
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

/*
 * The command names. The physical ones (every root command asks for its
 * name) at an offset from a 16-entry table, O(1); the GICv4 ones, refused
 * anyway, by a walk over "number, name" pairs.
 */
#define O_MOVI		1
#define O_INT		(O_MOVI + sizeof("MOVI"))
#define O_CLEAR		(O_INT + sizeof("INT"))
#define O_SYNC		(O_CLEAR + sizeof("CLEAR"))
#define O_MAPD		(O_SYNC + sizeof("SYNC"))
#define O_MAPC		(O_MAPD + sizeof("MAPD"))
#define O_MAPTI		(O_MAPC + sizeof("MAPC"))
#define O_MAPI		(O_MAPTI + sizeof("MAPTI"))
#define O_INV		(O_MAPI + sizeof("MAPI"))
#define O_INVALL	(O_INV + sizeof("INV"))
#define O_MOVALL	(O_INVALL + sizeof("INVALL"))
#define O_DISCARD	(O_MOVALL + sizeof("MOVALL"))

static const char phys_names[] = "?" "MOVI\0" "INT\0" "CLEAR\0" "SYNC\0" "MAPD\0" "MAPC\0"
	"MAPTI\0" "MAPI\0" "INV\0" "INVALL\0" "MOVALL\0" "DISCARD";

static const u8 phys_name_off[16] = {
	[ITS_CMD_MOVI] = O_MOVI, [ITS_CMD_INT] = O_INT, [ITS_CMD_CLEAR] = O_CLEAR,
	[ITS_CMD_SYNC] = O_SYNC, [ITS_CMD_MAPD] = O_MAPD, [ITS_CMD_MAPC] = O_MAPC,
	[ITS_CMD_MAPTI] = O_MAPTI, [ITS_CMD_MAPI] = O_MAPI, [ITS_CMD_INV] = O_INV,
	[ITS_CMD_INVALL] = O_INVALL, [ITS_CMD_MOVALL] = O_MOVALL,
	[ITS_CMD_DISCARD] = O_DISCARD,
};

static const char v4_names[] =
	"\x21VMOVI\0\x22VMOVP\0\x23VSGI\0\x25VSYNC\0\x29VMAPP\0\x2aVMAPTI\0\x2bVMAPI\0"
	"\x2dVINVALL\0\x2eINVDB";

const char *its_cmd_name(unsigned int cmd)
{
	const char *p = v4_names;

	if (cmd < 16 && phys_name_off[cmd])
		return phys_names + phys_name_off[cmd];
	while (p < v4_names + sizeof(v4_names)) {
		if ((u8)*p == cmd)
			return p + 1;
		while (*p++)
			;
	}
	return "unknown";
}

/*
 * What each physical command (number 0..15) carries, in the order the
 * fields are checked; 0: not a command the root may use.
 */
#define F_DEV		0x001	/* DW0 DeviceID: the ITS's, not a cell's */
#define F_EVENT		0x002	/* DW1 EventID: below the device's event ids */
#define F_ICID		0x004	/* DW2 ICID: the ITS's, not kept for cells */
#define F_LPI_EVENT	0x008	/* MAPI: the EventID is the pINTID too */
#define F_PINTID	0x010	/* DW1 pINTID (MAPTI) */
#define F_ITT		0x020	/* MAPD: DW1 Size, DW2 ITT_addr (with V only) */
#define F_RD		0x040	/* DW2 RDbase (MAPC: with V only) */
#define F_RD_ROOT	0x080	/* ... of a CPU the root runs */
#define F_RD3		0x100	/* DW3 RDbase (MOVALL), the root's */
#define F_V		0x200	/* DW2 V: without it, F_ITT and F_RD are not there */

static const u16 cmd_fields[16] = {
	[ITS_CMD_MOVI] = F_DEV | F_EVENT | F_ICID,
	[ITS_CMD_INT] = F_DEV | F_EVENT,
	[ITS_CMD_CLEAR] = F_DEV | F_EVENT,
	[ITS_CMD_SYNC] = F_RD,
	[ITS_CMD_MAPD] = F_DEV | F_ITT | F_V,
	/* From a cell's CPU it would take the cell's pending pLPIs too (MOVALL too). */
	[ITS_CMD_MAPC] = F_ICID | F_RD | F_RD_ROOT | F_V,
	[ITS_CMD_MAPTI] = F_DEV | F_EVENT | F_ICID | F_PINTID,
	[ITS_CMD_MAPI] = F_DEV | F_EVENT | F_ICID | F_LPI_EVENT,
	[ITS_CMD_INV] = F_DEV | F_EVENT,
	[ITS_CMD_INVALL] = F_ICID,
	[ITS_CMD_MOVALL] = F_RD | F_RD_ROOT | F_RD3,
	[ITS_CMD_DISCARD] = F_DEV | F_EVENT,
};

/* The GICv4 commands (0x20 + bit). */
#define GICV4_CMDS	(BIT(ITS_CMD_VMOVI - 0x20) | BIT(ITS_CMD_VMOVP - 0x20) |	\
			 BIT(ITS_CMD_VSGI - 0x20) | BIT(ITS_CMD_VSYNC - 0x20) |	\
			 BIT(ITS_CMD_VMAPP - 0x20) | BIT(ITS_CMD_VMAPTI - 0x20) |	\
			 BIT(ITS_CMD_VMAPI - 0x20) | BIT(ITS_CMD_VINVALL - 0x20) |	\
			 BIT(ITS_CMD_INVDB - 0x20))

static int refused(struct its_verdict *v, const char *field, u64 value, const char *why)
{
	v->field = field;
	v->value = value;
	v->why = why;
	return -EINVAL;
}

static int check_lpi(const struct its_limits *lim, u32 intid, struct its_verdict *v)
{
	if (intid < LPI_FIRST || ((u64)intid >> lim->lpi_bits))
		return refused(v, MSG_TEXT("pINTID"), intid, MSG_TEXT("not an LPI of this GIC"));
	if (intid >= (1ULL << lim->lpi_bits) - lim->cell_lpis)
		return refused(v, MSG_TEXT("pINTID"), intid, MSG_TEXT("kept for cells' MSIs"));
	return 0;
}

static int check_rd(const struct its_limits *lim, u64 rdbase, bool root_only,
		    struct its_verdict *v)
{
	enum its_rd_owner o = lim->rd_owner(lim->ctx, rdbase);

	if (o == ITS_RD_NONE)
		return refused(v, MSG_TEXT("RDbase"), rdbase, MSG_TEXT("no redistributor"));
	if (root_only && o != ITS_RD_ROOT)
		return refused(v, MSG_TEXT("RDbase"), rdbase, MSG_TEXT("not a CPU the root runs"));
	return 0;
}

static int check_fields(const struct its_limits *lim, unsigned int f, const u64 in[4],
			struct its_verdict *v)
{
	u32 devid = DEVID(in), event = EVENTID(in), icid = ICID(in);
	unsigned int bits;
	u64 start, size;
	int err = 0;

	if (f & F_DEV) {
		if (devid >= lim->num_devices)
			return refused(v, MSG_TEXT("DeviceID"), devid, MSG_TEXT("beyond the ITS's device ids"));
		/* Its events are the hypervisor's to map, for the cell (gicv3-its-cell.c). */
		if (lim->cell_device && lim->cell_device(lim->ctx, devid))
			return refused(v, MSG_TEXT("DeviceID"), devid, MSG_TEXT("a cell's PCI function holds it"));
	}
	if (f & F_EVENT) {
		bits = lim->device_event_bits ? lim->device_event_bits(lim->ctx, devid) : 0;
		if (!bits || bits > lim->event_bits)
			bits = lim->event_bits;
		if ((u64)event >> bits)
			return refused(v, MSG_TEXT("EventID"), event, MSG_TEXT("beyond the device's event ids"));
	}
	if (f & F_ICID) {
		if (icid >= lim->num_collections)
			return refused(v, MSG_TEXT("ICID"), icid, MSG_TEXT("beyond the ITS's collections"));
		if (icid >= lim->num_collections - lim->cell_icids)
			return refused(v, MSG_TEXT("ICID"), icid, MSG_TEXT("kept for cells' MSIs"));
	}
	if (f & (F_LPI_EVENT | F_PINTID))
		err = check_lpi(lim, f & F_PINTID ? PINTID(in) : event, v);
	if (!err && (f & F_ITT)) {
		if (MAPD_SIZE(in) + 1 > lim->event_bits)
			return refused(v, MSG_TEXT("Size"), MAPD_SIZE(in),
				       MSG_TEXT("more event id bits than the ITS has"));
		start = ITT_ADDR(in);
		size = ((u64)lim->ite_size << (MAPD_SIZE(in) + 1));
		if (!lim->root_ram(lim->ctx, start, size))
			return refused(v, MSG_TEXT("ITT_addr"), start,
				       MSG_TEXT("the ITT is not RAM the root alone owns"));
	}
	if (!err && (f & F_RD))
		err = check_rd(lim, RDBASE(in[2]), f & F_RD_ROOT, v);
	if (!err && (f & F_RD3))
		err = check_rd(lim, RDBASE(in[3]), true, v);
	return err;
}

int its_cmd_check(const struct its_limits *lim, const u64 in[4], u64 out[4],
		  struct its_verdict *v)
{
	unsigned int cmd = in[0] & 0xff;
	unsigned int f = cmd < 16 ? cmd_fields[cmd] : 0;

	v->cmd = its_cmd_name(cmd);
	v->field = "";
	v->value = 0;
	v->why = "";
	if (!f) {
		refused(v, MSG_TEXT("command"), cmd, cmd >= 0x20 && cmd < 0x30 &&
			(GICV4_CMDS >> (cmd - 0x20) & 1) ?
			MSG_TEXT("GICv4: the root has no virtual PEs") : MSG_TEXT("not an ITS command"));
		return -EPERM;
	}
	/* V=0: MAPD unmaps (no memory involved), MAPC unmaps (no target). */
	if ((f & F_V) && !VALID(in))
		f &= ~(F_ITT | F_RD);
	/* Re-encoded from the checked fields only. */
	out[0] = cmd | (f & F_DEV ? in[0] & GENMASK_ULL(63, 32) : 0);
	out[1] = (f & F_EVENT ? EVENTID(in) : 0) |
		 (f & F_PINTID ? in[1] & GENMASK_ULL(63, 32) : 0) |
		 (f & F_ITT ? MAPD_SIZE(in) : 0);
	out[2] = (f & F_ICID ? ICID(in) : 0) |
		 (f & F_ITT ? ITT_ADDR(in) : 0) |
		 (f & F_RD ? in[2] & GENMASK_ULL(51, 16) : 0) |
		 (f & (F_ITT | F_RD) && (f & F_V) ? BIT_ULL(63) : 0);
	out[3] = f & F_RD3 ? in[3] & GENMASK_ULL(51, 16) : 0;
	return check_fields(lim, f, in, v);
}

u64 its_reg64(u64 reg, struct mmio_access *acc, unsigned int byte)
{
	unsigned int shift = byte * 8;

	if (!acc->is_write) {
		acc->value = acc->size == 8 ? reg : (u32)(reg >> shift);
		return reg;
	}
	if (acc->size == 8)
		return acc->value;
	return (reg & ~(0xffffffffULL << shift)) | ((acc->value & 0xffffffffULL) << shift);
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
