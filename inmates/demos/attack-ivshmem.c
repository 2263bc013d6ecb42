/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attack-ivshmem: a peer of an ivshmem link misbehaving (tests/qemu/86).
 * mode=NAME picks the attack; it prints "attack-ivshmem: NAME start", then
 * the outcome, and "attack-ivshmem: NAME survived" if it still runs. For an
 * access the cell must not make at all, the hypervisor stops the cell before
 * that line (state "failed"). Run in qemu-ivshmem-demo2 (peer 2).
 *
 *   doorbell-flood   count=<n> (default 200000) doorbells to every other
 *                    peer and to peers that do not exist, as fast as it can
 *   state-flood      count=<n> State writes alternating 1 and 2 (each one
 *                    interrupts the peers that enabled interrupts)
 *   write-output     a 32-bit write to peer 1's output section (read-only
 *                    for this cell)
 *   write-state      a 32-bit write to the state table (read-only)
 *   probe-config     every offset of the ECAM window's first 16 functions
 *                    with 1-, 2- and 4-byte reads and writes of all ones
 *                    (aligned), then the device must still work: prints its
 *                    ID and vendor/device as read afterwards
 *   probe-wide       an 8-byte read of the configuration space (refused:
 *                    the cell is stopped)
 *   probe-misaligned a 4-byte read at offset 2 of the configuration space
 *                    (refused: the cell is stopped)
 */
#include <inmate.h>
#include <warden/ivshmem.h>

static struct ivshmem dev;

static void probe_config(void)
{
	u64 ecam = pci_ecam_base(), ones = 0;
	unsigned int fn, off, size;

	for (fn = 0; fn < 16; fn++)
		for (off = 0; off < 0x1000; off += 4)
			for (size = 1; size <= 4; size *= 2) {
				unsigned int o;

				for (o = off; o < off + 4; o += size) {
					/* Leave Command and BAR 0 of the own device alone. */
					if (fn * 8 == dev.bdf && o >= 4 && o < 0x18)
						continue;
					if (pci_cfg_read(fn << 3, o, size) == 0xffffffffU)
						ones++;
					pci_cfg_write(fn << 3, o, 0xffffffff, size);
				}
			}
	printk("attack-ivshmem: probe-config done: %llu all-ones reads, ECAM 0x%llx, id %u, vendor/device 0x%08x\n",
	       ones, ecam, mmio_read32(dev.regs + WD_IVSHMEM_REG_ID),
	       pci_cfg_read(dev.bdf, 0, 4));
}

int main(void)
{
	char mode[32];
	u64 count = cmdline_get_u64("count", 200000), n;
	volatile u64 *target;
	u64 ecam;

	cmdline_get("mode", "", mode, sizeof(mode));
	if (ivshmem_open(&dev, 0, cmdline_get_u64("bar", 0xff000000))) {
		printk("attack-ivshmem: no ivshmem device\n");
		inmate_exit();
	}
	ecam = pci_ecam_base() + ((u64)dev.bdf << 12);
	printk("attack-ivshmem: %s start (id %u of %u)\n", mode, dev.id, dev.peers);
	ivshmem_set_state(&dev, dev.id + 1);
	if (!strcmp(mode, "doorbell-flood")) {
		for (n = 0; n < count; n++)
			ivshmem_ring(&dev, n % (dev.peers + 2), n & 1);
		printk("attack-ivshmem: %llu doorbells rung\n", count);
	} else if (!strcmp(mode, "state-flood")) {
		for (n = 0; n < count; n++)
			ivshmem_set_state(&dev, 1 + (n & 1));
		printk("attack-ivshmem: %llu state writes\n", count);
	} else if (!strcmp(mode, "write-output")) {
		target = (volatile u64 *)(uintptr_t)(dev.in + 1 * dev.out_size);
		mmio_write32((u64)(uintptr_t)target, 0xbad);
	} else if (!strcmp(mode, "write-state")) {
		mmio_write32(dev.state_table, 0xbad);
	} else if (!strcmp(mode, "probe-config")) {
		probe_config();
	} else if (!strcmp(mode, "probe-wide")) {
		printk("attack-ivshmem: read 0x%llx\n", mmio_read64(ecam));
	} else if (!strcmp(mode, "probe-misaligned")) {
		printk("attack-ivshmem: read 0x%x\n", mmio_read32(ecam + 2));
	} else {
		printk("attack-ivshmem: unknown mode '%s'\n", mode);
	}
	printk("attack-ivshmem: %s survived\n", mode);
	inmate_exit();
}
