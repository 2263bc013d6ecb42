/*
 * i.MX UART (i.MX 6/7/8M) output. Register facts from the i.MX 8M reference
 * manual (UART chapter): UTXD, the transmitter register, at 0x40; UTS, the
 * test register, at 0xB4 with bit 4 TXFULL (transmit FIFO full). 32-bit
 * registers.
 */
#include <wd/console.h>

#define IMX_UTXD		0x40
#define IMX_UTS			0xb4
#define IMX_UTS_TXFULL		(1U << 4)

static void imx_putc(void *base, u32 flags __unused, char c)
{
	volatile u32 *regs = base;

	while (regs[IMX_UTS / 4] & IMX_UTS_TXFULL)
		;
	regs[IMX_UTXD / 4] = (u8)c;
}

const struct uart_driver uart_imx = {
	.type = WD_CON_TYPE_IMX,
	.putc = imx_putc,
};
