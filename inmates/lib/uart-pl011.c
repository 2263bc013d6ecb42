/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PL011 output. The UART was configured by QEMU (or the firmware) before
 * Linux booted; baud rate and line settings are left as they are.
 */
#include "internal.h"

#define PL011_DR		0x00
#define PL011_FR		0x18
#define PL011_CR		0x30
#define PL011_FR_TXFF		(1U << 5)
#define PL011_CR_UARTEN		(1U << 0)
#define PL011_CR_TXE		(1U << 8)
#define PL011_CR_RXE		(1U << 9)

void pl011_init(u64 base)
{
	u32 cr = mmio_read32(base + PL011_CR);
	u32 want = PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE;

	/* Make sure it transmits, without touching a UART that already does. */
	if ((cr & want) != want)
		mmio_write32(base + PL011_CR, cr | want);
}

void pl011_putc(u64 base, char c)
{
	while (mmio_read32(base + PL011_FR) & PL011_FR_TXFF)
		cpu_relax();
	mmio_write32(base + PL011_DR, (u8)c);
}
