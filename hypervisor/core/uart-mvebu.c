/*
 * Marvell Armada 3700 (MVEBU) standard UART output. Register facts from the
 * Armada 3700 functional specification (UART registers): UART Transmitter
 * Holding (TSH) at 0x04; UART Status at 0x0C with bit 11 TX_FIFO_FUL. 32-bit
 * registers.
 */
#include <wd/console.h>

#define MVEBU_TSH		0x04
#define MVEBU_STAT		0x0c
#define MVEBU_STAT_TX_FULL	(1U << 11)

static void mvebu_putc(void *base, u32 flags __unused, char c)
{
	volatile u32 *regs = base;

	while (regs[MVEBU_STAT / 4] & MVEBU_STAT_TX_FULL)
		;
	regs[MVEBU_TSH / 4] = (u8)c;
}

const struct uart_driver uart_mvebu = {
	.type = WD_CON_TYPE_MVEBU,
	.putc = mvebu_putc,
};
