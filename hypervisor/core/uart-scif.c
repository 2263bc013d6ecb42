/*
 * Renesas SCIF and HSCIF (R-Car Gen3/Gen4, RZ/G2) output: the same transmit
 * side in both. Register facts from the R-Car Gen3 hardware manual (SCIF and
 * HSCIF chapters): SCFTDR/HSFTDR, the 8-bit transmit FIFO data register, at
 * 0x0C; SCFSR/HSFSR, the 16-bit status register, at 0x10 with bit 5 TDFE
 * (transmit FIFO has room) and bit 6 TEND (transmission end). Both flags are
 * cleared by writing 0 to them after they read 1; writing 1 leaves a flag
 * as it is, so the write-back below touches no other flag.
 */
#include <wd/console.h>

#define SCIF_FTDR		0x0c
#define SCIF_FSR		0x10
#define SCIF_FSR_TDFE		(1U << 5)
#define SCIF_FSR_TEND		(1U << 6)

static void scif_putc(void *base, u32 flags __unused, char c)
{
	volatile u8 *regs = base;
	volatile u16 *fsr = (volatile u16 *)(regs + SCIF_FSR);
	u16 st;

	while (!((st = *fsr) & SCIF_FSR_TDFE))
		;
	regs[SCIF_FTDR] = (u8)c;
	*fsr = st & (u16)~(SCIF_FSR_TDFE | SCIF_FSR_TEND);
}

const struct uart_driver uart_scif = {
	.type = WD_CON_TYPE_SCIF,
	.putc = scif_putc,
};

const struct uart_driver uart_hscif = {
	.type = WD_CON_TYPE_HSCIF,
	.putc = scif_putc,
};
