/*
 * MSI-X of the root's virtual ivshmem devices through the root's (trapped)
 * ITS. On a board whose root has an ITS, a root ivshmem device with an MSI-X
 * table (bar_mask[1]) has an ITS DeviceID of its own,
 * WD_VPCI_ROOT_ITS_DEVID (include/warden/ivshmem.h): warden.ko registers the
 * virtual host at that bus and gives it the ITS's MSI domain, so Linux's ITS
 * driver maps the device's events with ordinary commands. Those commands are
 * not forwarded to the physical ITS: gicv3-its-virtdev.c interprets them
 * into a small table (event -> LPI INTID, collection), and a doorbell on a
 * vector makes that LPI pending as a virtual LPI of the target root CPU.
 * Neither the ITS nor a redistributor ever sees these interrupts.
 */
#ifndef ASM_GICV3_ITS_VIRTDEV_H
#define ASM_GICV3_ITS_VIRTDEV_H

#include <wd/types.h>
#include <warden/ivshmem.h>

struct per_cpu;

/* Root virtual devices with MSI-X and their events (the vector count cap). */
#define ITS_VDEV_MAX		8
#define ITS_VDEV_EVENTS		WD_IVSHMEM_MAX_MSIX
/* GITS_TRANSLATER: the MSI address of an ITS, from its control frame. */
#define GITS_TRANSLATER_OFF	0x10040

/*
 * The root's ivshmem device @bdf (on its virtual host) sends its MSI-X
 * message (@addr, event id @data). Delivered when @addr is the
 * GITS_TRANSLATER of the ITS that mapped the device and the event is mapped
 * to an LPI and a collection of a root CPU: the LPI becomes pending for that
 * CPU, which is kicked (or takes it at once if it is the caller). Returns 0,
 * -EINVAL (another address), -ENOENT (device, event or collection not
 * mapped). Any CPU, exit context, no lock held but link locks.
 */
int its_vdev_deliver(u16 bdf, u64 addr, u32 data);

/*
 * On CPU @pc (event SGI, maintenance interrupt): the root's pending virtual
 * device LPIs of this CPU into list registers, those whose property byte (the
 * root's LPI property table, as GICR_PROPBASER of this CPU says) enables
 * them, while GICR_CTLR.EnableLPIs is set. Nothing for a cell's CPU.
 */
void its_vdev_flush(struct per_cpu *pc);

/*
 * CPU @pc leaves the root (parked) with virtual LPI @intid still pending in
 * a list register: if it is a virtual device's, it becomes pending at the
 * event's CPU or another running root CPU (true); false: not one of theirs,
 * or no other root CPU runs.
 */
bool its_vdev_requeue(struct per_cpu *pc, u32 intid);

#endif
