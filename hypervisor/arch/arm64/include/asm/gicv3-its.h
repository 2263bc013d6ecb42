/*
 * The GICv3 ITS behind the hypervisor. The ITS writes memory on its own (its
 * device and collection tables, the interrupt translation tables, the LPI
 * pending state of the redistributors), outside any stage 2 and any SMMU:
 * whoever programs it reaches every physical address. So no cell gets its
 * control frame mapped, the root included; the root's accesses are emulated
 * (arch/arm64/gicv3-its.c): its command queue is shadowed by one of the
 * hypervisor's, each command checked (arch/arm64/gicv3-its-cmd.c) and
 * re-encoded before the ITS sees it, and the tables the ITS uses are in
 * hypervisor memory. The translation frame (GITS_TRANSLATER) stays the
 * root's: it is the doorbell its devices write.
 */
#ifndef ASM_GICV3_ITS_H
#define ASM_GICV3_ITS_H

#include <wd/types.h>

struct cell;
struct wd_cell_desc;

/* Register offsets of the control frame (GICv3 architecture, 12.19). */
#define GITS_CTLR		0x0000
#define GITS_IIDR		0x0004
#define GITS_TYPER		0x0008
#define GITS_CBASER		0x0080
#define GITS_CWRITER		0x0088
#define GITS_CREADR		0x0090
#define GITS_BASER(n)		(0x0100 + (n) * 8)
#define GITS_PIDR2		0xffe8
#define GITS_CIDR0		0xfff0
#define GITS_CTRL_FRAME		0x10000		/* the frame that is trapped */
#define GITS_MIN_SIZE		0x20000		/* control + translation frame */

#define GITS_CTLR_ENABLED	BIT(0)
#define GITS_CTLR_QUIESCENT	BIT(31)

#define GITS_TYPER_PHYSICAL	BIT_ULL(0)
#define GITS_TYPER_PTA		BIT_ULL(19)
#define GITS_TYPER_CIL		BIT_ULL(36)
/* What the root sees of GITS_TYPER: the physical ITS, nothing of GICv4. */
#define GITS_TYPER_ROOT_MASK	(GITS_TYPER_PHYSICAL | GENMASK_ULL(7, 4) |	\
				 GENMASK_ULL(17, 8) | GITS_TYPER_PTA |		\
				 GENMASK_ULL(36, 24))

#define GITS_BASER_VALID	BIT_ULL(63)
#define GITS_BASER_INDIRECT	BIT_ULL(62)
#define GITS_BASER_NR		8
#define GITS_BASER_TYPE(v)	((unsigned int)((v) >> 56) & 7)
#define GITS_BASER_TYPE_DEVICE	1
#define GITS_BASER_TYPE_COLL	4
#define GITS_BASER_ESZ(v)	((unsigned int)((v) >> 48 & 0x1f) + 1)
#define GITS_BASER_PSZ(v)	(0x1000U << (2 * ((unsigned int)((v) >> 8) & 3)))
#define GITS_BASER_PAGES(v)	((unsigned int)((v) & 0xff) + 1)
#define GITS_L1_VALID		BIT_ULL(63)
#define GITS_L1_ADDR		GENMASK_ULL(51, 12)

#define GITS_CBASER_VALID	BIT_ULL(63)
#define GITS_CBASER_ADDR	GENMASK_ULL(51, 12)
#define GITS_QUEUE_OFFSET	GENMASK_ULL(19, 5)
#define GITS_CREADR_STALLED	BIT_ULL(0)

#define GICR_PROPBASER		0x0070
#define GICR_PENDBASER		0x0078
#define GICR_PROPBASER_ADDR	GENMASK_ULL(51, 12)
#define GICR_PENDBASER_ADDR	GENMASK_ULL(51, 16)
#define LPI_FIRST		8192

/* ITS commands (GICv3 architecture, 5.3): the first byte of each. */
#define ITS_CMD_MOVI		0x01
#define ITS_CMD_INT		0x03
#define ITS_CMD_CLEAR		0x04
#define ITS_CMD_SYNC		0x05
#define ITS_CMD_MAPD		0x08
#define ITS_CMD_MAPC		0x09
#define ITS_CMD_MAPTI		0x0a
#define ITS_CMD_MAPI		0x0b
#define ITS_CMD_INV		0x0c
#define ITS_CMD_INVALL		0x0d
#define ITS_CMD_MOVALL		0x0e
#define ITS_CMD_DISCARD		0x0f
#define ITS_CMD_VMOVI		0x21
#define ITS_CMD_VMOVP		0x22
#define ITS_CMD_VSGI		0x23
#define ITS_CMD_VSYNC		0x25
#define ITS_CMD_VMAPP		0x29
#define ITS_CMD_VMAPTI		0x2a
#define ITS_CMD_VMAPI		0x2b
#define ITS_CMD_VINVALL		0x2d
#define ITS_CMD_INVDB		0x2e
#define ITS_CMD_BYTES		32

/* Who a redistributor named in a command (RDbase field) belongs to. */
enum its_rd_owner {
	ITS_RD_NONE,		/* no redistributor of this machine */
	ITS_RD_OTHER,		/* a CPU the root does not run now */
	ITS_RD_ROOT,
};

/* What the checker needs to know about the ITS and the root's memory. */
struct its_limits {
	u32 num_devices;	/* device ids < this (ITS and its device table) */
	u32 num_collections;	/* ICIDs < this (HCC + collection table) */
	unsigned int event_bits;	/* GITS_TYPER.ID_bits + 1 */
	unsigned int lpi_bits;		/* GICD_TYPER.IDbits + 1: pINTID < 1 << this */
	unsigned int ite_size;		/* bytes of an ITT entry */
	void *ctx;
	/* [start, start + size) is RAM of the root that no cell or the hypervisor uses. */
	bool (*root_ram)(void *ctx, u64 start, u64 size);
	enum its_rd_owner (*rd_owner)(void *ctx, u64 rdbase);
	/* EventID bits of a device the root mapped through Warden, 0 if unknown. */
	unsigned int (*device_event_bits)(void *ctx, u32 devid);
	/* A cell's physical PCI function sends MSIs as @devid (NULL: none does). */
	bool (*cell_device)(void *ctx, u32 devid);
	/*
	 * The hypervisor's, for cells' MSIs (gicv3-its-cell.c): the top
	 * cell_lpis pINTIDs below 1 << lpi_bits and the top cell_icids ICIDs
	 * below num_collections; 0: none reserved.
	 */
	u32 cell_lpis;
	u32 cell_icids;
};

/*
 * What set_limits() reserves for cells' MSIs when the GIC has room: pLPIs
 * at the top of the LPI space (Linux allocates its LPIs from 8192 up) and
 * one ICID per CPU slot at the top of the collections (Linux's ICIDs are
 * its CPU numbers). Less room: nothing is reserved, and cells' physical
 * functions get no MSI route.
 */
#define ITS_CELL_LPIS		256
#define ITS_CELL_LPI_MIN_BITS	14	/* at least 8192 LPIs: 8192..16383 */

/* Why a command was refused: one log line names command, field and value. */
struct its_verdict {
	const char *cmd;
	const char *field;
	u64 value;
	const char *why;
};

/*
 * Check one command of the root (@in, four little-endian doublewords) and
 * re-encode what was checked into @out (reserved bits zero). 0: forward @out;
 * -EINVAL: refused, @v says why; -EPERM: a command the root may not use at
 * all (GICv4: the root has no virtual PEs).
 */
int its_cmd_check(const struct its_limits *lim, const u64 in[4], u64 out[4],
		  struct its_verdict *v);
const char *its_cmd_name(unsigned int cmd);

/*
 * A 32- or 64-bit access @acc at byte @byte (0 or 4) of the 64-bit register
 * @reg (the GITS and GICR LPI registers): a read fills acc->value and
 * returns @reg; a write returns @reg with the written half (or all) merged.
 */
struct mmio_access;
u64 its_reg64(u64 reg, struct mmio_access *acc, unsigned int byte);

/* Physical ranges of tables from register values; false: no table (not valid). */
bool its_cbaser_range(u64 cbaser, u64 *start, u64 *size);
bool its_baser_range(u64 baser, u64 *start, u64 *size);
/* LPI tables of a redistributor; @lpi_bits caps PROPBASER.IDbits + 1. */
bool gicr_propbaser_range(u64 propbaser, unsigned int lpi_bits, u64 *start, u64 *size);
bool gicr_pendbaser_range(u64 pendbaser, u64 propbaser, unsigned int lpi_bits,
			  u64 *start, u64 *size);

/* [start, start + size) is inside one RAM region (not I/O, not comm) of @c. */
bool its_inside_ram(const struct wd_cell_desc *c, u64 start, u64 size);
/* Some memory region of @c (comm pages aside: the hypervisor's) overlaps it. */
bool its_touches_cell(const struct wd_cell_desc *c, u64 start, u64 size);

/* Enable, boot CPU: find the ITS frames in the root's configuration. */
int its_init(void);
/* Each CPU's entry; the last one takes the ITS over (every CPU is at EL2). */
int its_cpu_entered(void);
/* The root cell's stage 2 exists: trap the control frames. */
int its_root_attach(struct cell *root);
/* Light exit (gicv3-its-fast.c): the root's CREADR load (syndrome @esr) done into @x? */
bool its_creadr_fast(u64 esr, u64 ipa, u64 *x);
/* Before a cell is created: none of its memory is the ITS or a root LPI table. */
int its_cell_check(const struct wd_cell_desc *c);
/*
 * A root write to its redistributor's PROPBASER/PENDBASER (@off, @size,
 * @value; @frame: the redistributor's registers): false to drop it (logged).
 */
bool its_gicr_write_allowed(volatile u8 *frame, u64 off, unsigned int size, u64 value);
/* Disable or failed enable: the ITS goes back to the root's tables and queue. */
void its_release(void);

#endif
