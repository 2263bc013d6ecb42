/*
 * A virtual GICv3 ITS per cell, and the virtual LPIs it delivers.
 *
 * Which cells get one: on a GICv3 machine whose root configuration has an
 * ITS (gicv3-its.c found one), every non-root cell whose configuration lists
 * at least one PCI device (virtual ivshmem or physical). It sits at the same
 * guest-physical address as the physical ITS (the cell's IPA space has
 * nothing there: a cell region over the ITS is refused at create); both its
 * frames are trapped, never mapped. A GICv2 machine, a machine without ITS,
 * or a cell without PCI devices: no vITS, and the cell's redistributor LPI
 * registers read as zero and ignore writes (LPIs cannot be enabled).
 *
 * The translation state (devices, interrupt translation entries,
 * collections) is kept in hypervisor memory: GITS_BASER<n> read as "no
 * table" (Type 0), which the architecture allows for an ITS with internal
 * storage. A device id is the function's BDF on the cell's virtual PCI host
 * and must be one of the cell's PCI devices; see arch/arm64/vits.c.
 *
 * The contract for MSI sources (ivshmem MSI-X, physical device pass-through)
 * is the first block below; it is stable.
 */
#ifndef ASM_VITS_H
#define ASM_VITS_H

#include <wd/types.h>
#include <wd/mmio.h>

struct cell;
struct per_cpu;

/*
 * An MSI from device @devid (its BDF on the cell's virtual PCI host, as the
 * cell's vITS knows it) with event id @event: translate through @cell's vITS
 * and make the vLPI pending on its target vCPU (injected at once if that is
 * the calling CPU, otherwise the target CPU is kicked with the event SGI).
 * Returns 0, -ENODEV (the cell has no vITS), -EINVAL (the vITS is disabled),
 * -ENOENT (device, event or collection not mapped), -ERANGE (event id beyond
 * what MAPD asked for). Callable from IRQ/exit context on any CPU, with no
 * lock held; takes the vITS lock briefly.
 */
int vits_deliver(struct cell *cell, u32 devid, u32 event);
/* @cell has a virtual ITS. */
bool vits_present(const struct cell *cell);
/* Its guest-physical base (control frame), 0 if none. */
u64 vits_base(const struct cell *cell);
/*
 * The guest-physical address of its GITS_TRANSLATER (base + 0x10040), 0 if
 * none: the only MSI address a device of the cell may be given.
 */
u64 vits_translater(const struct cell *cell);

/* Limits the vITS advertises (GITS_TYPER, GICD_TYPER for the cell). */
#define VITS_DEVBITS		16	/* device id = 16-bit BDF */
#define VITS_EVENT_BITS		8	/* event ids < 256 per device */
/*
 * vLPI INTIDs 8192..65535: GICD_TYPER.IDbits as QEMU's and most GICs report
 * it (the cell reads the distributor's GICD_TYPER as it is, see the README).
 */
#define VITS_LPI_BITS		16
#define VITS_NUM_LPIS		((1U << VITS_LPI_BITS) - 8192)
#define VITS_TRANSLATER_OFF	0x10040

/* Hooks for the GIC driver and the cell life cycle (arch code only). */
/* Cell create: allocate and register the vITS if the rule above says so. */
int vits_cell_init(struct cell *cell);
/* Cell destroy: unregister and free everything (no state survives). */
void vits_cell_exit(struct cell *cell);
/*
 * A CPU of the cell is being parked (its list registers drained): when it is
 * the last one running, the whole vITS and every vCPU's LPI state is reset.
 */
void vits_cpu_parked(struct per_cpu *pc);
/* A vLPI taken back from a list register of @pc: pending again in its set. */
void vits_requeue(struct per_cpu *pc, u32 intid);
/* Move pending vLPIs of this CPU into free list registers (kick, maintenance, start). */
void vits_flush(struct per_cpu *pc);
/* A cell's access to the LPI registers of a redistributor frame of CPU @cpu. */
enum mmio_result vits_gicr_access(struct cell *cell, unsigned int cpu, u64 off,
				  struct mmio_access *acc);

#endif
