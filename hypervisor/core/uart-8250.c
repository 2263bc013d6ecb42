/*
 * 8250/16550 output over MMIO. Registers 1 byte apart, accessed by byte; or
 * 4 bytes apart (WD_CON_REGDIST_4), accessed as 32-bit words: the
 * DesignWare APB UART and the Raspberry Pi's mini UART (BCM2835 AUX, whose
 * AUX_MU_IO and AUX_MU_LSR sit where an 8250's THR and LSR do) want whole
 * words there. LSR bit 5: the transmit holding register has room.
 */
#include <wd/console.h>

#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_THRE	0x20

static void uart8250_putc(void *base, u32 flags, char c)
{
	if (flags & WD_CON_REGDIST_4) {
		volatile u32 *regs = base;

		while (!(regs[UART_LSR] & UART_LSR_THRE))
			;
		regs[UART_THR] = (u8)c;
	} else {
		volatile u8 *regs = base;

		while (!(regs[UART_LSR] & UART_LSR_THRE))
			;
		regs[UART_THR] = (u8)c;
	}
}

const struct uart_driver uart_8250 = {
	.type = WD_CON_TYPE_8250,
	.putc = uart8250_putc,
};
