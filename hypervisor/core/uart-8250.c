/* 8250/16550 output over MMIO, with 1- or 4-byte register distance. */
#include <wd/console.h>

#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20

static void uart8250_putc(void *base, u32 flags, char c)
{
	unsigned int shift = (flags & WD_CON_REGDIST_4) ? 2 : 0;
	volatile u8 *regs = base;

	while (!(regs[UART_LSR << shift] & UART_LSR_THRE))
		;
	regs[UART_THR << shift] = (u8)c;
}

const struct uart_driver uart_8250 = {
	.type = WD_CON_TYPE_8250,
	.putc = uart8250_putc,
};
