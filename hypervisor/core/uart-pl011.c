/* ARM PL011 output: wait while the transmit FIFO is full, then write. */
#include <wd/console.h>

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1U << 5)

static void pl011_putc(void *base, u32 flags __unused, char c)
{
	volatile u32 *regs = base;

	while (regs[PL011_FR / 4] & PL011_FR_TXFF)
		;
	regs[PL011_DR / 4] = (u8)c;
}

const struct uart_driver uart_pl011 = {
	.type = WD_CON_TYPE_PL011,
	.putc = pl011_putc,
};
