/*
 * i.MX low-power UART (LPUART, i.MX 7ULP/8QXP/8QM/8ULP/93) output. Register
 * facts from the i.MX 8QXP reference manual (LPUART chapter): after VERID,
 * PARAM, GLOBAL and PINCFG come BAUD (0x10), STAT at 0x14 with bit 23 TDRE
 * (transmit data register empty), CTRL (0x18) and DATA at 0x1C. The
 * console's address is the module's base. (Layerscape's LPUART lacks the
 * first four registers; config create does not select this driver there.)
 */
#include <wd/console.h>

#define LPUART_STAT		0x14
#define LPUART_STAT_TDRE	(1U << 23)
#define LPUART_DATA		0x1c

static void lpuart_putc(void *base, u32 flags __unused, char c)
{
	volatile u32 *regs = base;

	while (!(regs[LPUART_STAT / 4] & LPUART_STAT_TDRE))
		;
	regs[LPUART_DATA / 4] = (u8)c;
}

const struct uart_driver uart_imx_lpuart = {
	.type = WD_CON_TYPE_IMX_LPUART,
	.putc = lpuart_putc,
};
