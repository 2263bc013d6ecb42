/*
 * Commands the hypervisor sends to the physical ITS on its own behalf (for
 * cells' MSIs, arch/arm64/cell-msi.c), next to the root's shadowed ones.
 *
 * The encoders build one 32-byte command from its fields (GICv3
 * architecture, 5.3): reserved bits are zero, every field is masked to its
 * width. Pure and inline: unit-tested on the host (tests/unit/test-its-hvcmd.c),
 * also against the root's checker, which decodes the same layout.
 */
#ifndef GICV3_ITS_HVCMD_H
#define GICV3_ITS_HVCMD_H

#include <wd/types.h>
#include <asm/gicv3-its.h>

struct its;
struct per_cpu;

#define ITS_ITT_ALIGN		256	/* ITT_addr holds bits [51:8] */
#define ITS_ADDR_51_8		GENMASK_ULL(51, 8)
#define ITS_RDBASE_MASK		GENMASK_ULL(35, 0)	/* DW2 bits [51:16] */

static inline void its_enc_clear(u64 c[4], unsigned int cmd, u32 devid)
{
	c[0] = (u64)(cmd & 0xff) | (u64)devid << 32;
	c[1] = c[2] = c[3] = 0;
}

/* MAPD: @devid's ITT at @itt (256-byte aligned) for events < 1 << @bits (1..32). */
static inline void its_enc_mapd(u64 c[4], u32 devid, u64 itt, unsigned int bits, bool valid)
{
	its_enc_clear(c, ITS_CMD_MAPD, devid);
	if (!valid)
		return;
	c[1] = (bits - 1) & 0x1f;
	c[2] = (itt & ITS_ADDR_51_8) | BIT_ULL(63);
}

/* MAPC: collection @icid to the redistributor @rdbase (as GITS_TYPER.PTA says). */
static inline void its_enc_mapc(u64 c[4], u32 icid, u64 rdbase, bool valid)
{
	its_enc_clear(c, ITS_CMD_MAPC, 0);
	c[2] = (icid & 0xffff) | (valid ? (rdbase & ITS_RDBASE_MASK) << 16 | BIT_ULL(63) : 0);
}

/* MAPTI: event @event of @devid is pLPI @pintid, in collection @icid. */
static inline void its_enc_mapti(u64 c[4], u32 devid, u32 event, u32 pintid, u32 icid)
{
	its_enc_clear(c, ITS_CMD_MAPTI, devid);
	c[1] = (u64)event | (u64)pintid << 32;
	c[2] = icid & 0xffff;
}

/* INV and DISCARD: the event's configuration re-read; the event unmapped (pending cleared). */
static inline void its_enc_event(u64 c[4], unsigned int cmd, u32 devid, u32 event)
{
	its_enc_clear(c, cmd, devid);
	c[1] = event;
}

static inline void its_enc_sync(u64 c[4], u64 rdbase)
{
	its_enc_clear(c, ITS_CMD_SYNC, 0);
	c[2] = (rdbase & ITS_RDBASE_MASK) << 16;
}

/*
 * Send @n commands of the hypervisor's to @its and wait until the ITS has
 * executed them (the root's shadowing lock: they are interleaved with the
 * root's forwarded commands, never inside them). 0; -ENODEV: the ITS is
 * not the hypervisor's (not taken over, or Linux left it disabled);
 * -ETIMEDOUT: the ITS did not get through them in time (logged, naming
 * @what): the caller must treat what the commands touched as in an
 * unknown state.
 */
int its_hv_send(struct its *its, const u64 (*cmds)[4], unsigned int n, const char *what);
/* The same with a SYNC on CPU @sync_cpu's redistributor appended (-1: none). */
int its_hv_send_sync(struct its *its, const u64 (*cmds)[4], unsigned int n, int sync_cpu,
		     const char *what);

#endif
