/*
 * Xilinx Zynq / Zynq UltraScale+ UART (Cadence UART IP) output. Register
 * facts from the Zynq UltraScale+ MPSoC register reference (UART module):
 * Channel_sts_reg0 at 0x2C, bit 4 TFUL (transmit FIFO full); TX_RX_FIFO0 at
 * 0x30. All registers are 32 bits wide.
 */
#include <wd/console.h>

#define XUARTPS_SR		0x2c
#define XUARTPS_SR_TFUL		(1U << 4)
#define XUARTPS_FIFO		0x30

static void xuartps_putc(void *base, u32 flags __unused, char c)
{
	volatile u32 *regs = base;

	while (regs[XUARTPS_SR / 4] & XUARTPS_SR_TFUL)
		;
	regs[XUARTPS_FIFO / 4] = (u8)c;
}

const struct uart_driver uart_xuartps = {
	.type = WD_CON_TYPE_XUARTPS,
	.putc = xuartps_putc,
};
