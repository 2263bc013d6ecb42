/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma-demo: a cell that owns QEMU's "edu" PCI device (a DMA engine) uses it,
 * then aims it at memory that is not the cell's. With the SMMU programmed by
 * the hypervisor, the device translates through the cell's stage 2: the
 * copy inside the cell's RAM works, the other transfers fault and nothing
 * arrives (the root checks its side afterwards).
 *
 * DMA addresses are the cell's guest-physical addresses: the device sees
 * the same address space as the cell's CPU.
 *
 * Command line:
 *   bar=<edu BAR0, guest-physical>  (default 0x10000000)
 *   buf=<2 pages of cell RAM for the copy> (default 0x100000)
 *   targets=<a>,<b>,...  addresses outside the cell to write the device's
 *                        buffer to (default none)
 *   marker=<u64>         what the device's buffer is filled with first
 *   linger=<addr>        when asked to shut down, queue one more transfer of
 *                        the buffer to <addr> and approve at once, without
 *                        waiting for it (a device left busy across destroy)
 *   linger_ms=<n>        ... but answer the request only n ms after queuing
 *                        (edu starts a transfer 100 ms after its command:
 *                        with n close to 100 it runs while destroy goes on)
 * Prints "dma-demo: copy ok" / "dma-demo: copy FAILED", one line per
 * target, then "dma-demo: done" and idles.
 */
#include <inmate.h>

#define EDU_ID			0x00
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define  EDU_CMD_RUN		0x1
#define  EDU_CMD_TO_RAM		0x2
#define EDU_BUFFER		0x40000	/* the device's own 4 KiB, as a DMA address */
#define EDU_ID_VALUE		0xed

static u64 bar, linger, linger_ms;

/* The shutdown request: leave the device with one transfer queued. */
static bool queue_lingering_transfer(void)
{
	mmio_write64(bar + EDU_DMA_SRC, EDU_BUFFER);
	mmio_write64(bar + EDU_DMA_DST, linger);
	mmio_write64(bar + EDU_DMA_COUNT, 64);
	mmio_write64(bar + EDU_DMA_CMD, EDU_CMD_TO_RAM | EDU_CMD_RUN);
	printk("dma-demo: shutting down with a transfer to 0x%llx queued\n", linger);
	delay_us(linger_ms * 1000);
	return true;
}

/* One transfer; false when the device did not finish within 2 s. */
static bool edu_dma(u64 src, u64 dst, u64 count, u32 cmd)
{
	u64 deadline = timer_ticks() + 2 * timer_freq();

	mmio_write64(bar + EDU_DMA_SRC, src);
	mmio_write64(bar + EDU_DMA_DST, dst);
	mmio_write64(bar + EDU_DMA_COUNT, count);
	mmio_write64(bar + EDU_DMA_CMD, cmd | EDU_CMD_RUN);
	while (mmio_read64(bar + EDU_DMA_CMD) & EDU_CMD_RUN)
		if (timer_ticks() > deadline)
			return false;
	return true;
}

static void parse_targets(u64 marker)
{
	char list[256];
	const char *p = cmdline_get("targets", "", list, sizeof(list));
	u64 addr;

	while (*p) {
		if (!parse_u64(p, &p, &addr))
			break;
		if (!edu_dma(EDU_BUFFER, addr, 64, EDU_CMD_TO_RAM))
			printk("dma-demo: write to 0x%llx: device did not finish\n", addr);
		else
			printk("dma-demo: device wrote 0x%llx to 0x%llx (the SMMU should have stopped it)\n",
			       marker, addr);
		if (*p == ',')
			p++;
	}
}

int main(void)
{
	u64 buf = cmdline_get_u64("buf", 0x100000);
	u64 marker = cmdline_get_u64("marker", 0x4d41524b45524b21ULL);
	volatile u64 *src = (volatile u64 *)buf;
	volatile u64 *dst = (volatile u64 *)(buf + 0x1000);
	unsigned int n, bad = 0;
	u32 id;

	bar = cmdline_get_u64("bar", 0x10000000);
	id = mmio_read32(bar + EDU_ID);
	printk("dma-demo: edu at 0x%llx, id 0x%x\n", bar, id);
	if ((id & 0xff) != EDU_ID_VALUE) {
		printk("dma-demo: no edu device there\n");
		return 0;
	}

	/* Inside the cell: RAM -> device -> RAM. */
	for (n = 0; n < 64; n++) {
		src[n] = 0x1111111100000000ULL + n;
		dst[n] = 0;
	}
	if (!edu_dma(buf, EDU_BUFFER, 512, 0) ||
	    !edu_dma(EDU_BUFFER, buf + 0x1000, 512, EDU_CMD_TO_RAM))
		printk("dma-demo: copy: device did not finish\n");
	for (n = 0; n < 64; n++)
		if (dst[n] != src[n])
			bad++;
	printk("dma-demo: copy %s (%u of 64 words differ)\n", bad ? "FAILED" : "ok",
	       bad);

	/* The device's buffer holds the marker; then it is aimed outside. */
	for (n = 0; n < 8; n++)
		src[n] = marker;
	edu_dma(buf, EDU_BUFFER, 64, 0);
	parse_targets(marker);
	linger = cmdline_get_u64("linger", 0);
	linger_ms = cmdline_get_u64("linger_ms", 0);
	if (linger)
		comm_region_set_shutdown_handler(queue_lingering_transfer);
	printk("dma-demo: done\n");
	return 0;
}
