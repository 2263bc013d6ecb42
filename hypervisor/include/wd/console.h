#ifndef WD_CONSOLE_H
#define WD_CONSOLE_H

#include <wd/types.h>
#include <warden/cell-config.h>

/* A debug UART driver: writes one character, busy-waiting for room. */
struct uart_driver {
	u16 type;				/* WD_CON_TYPE_* */
	void (*putc)(void *base, u32 flags, char c);
};

extern const struct uart_driver uart_pl011;
extern const struct uart_driver uart_8250;
extern const struct uart_driver uart_xuartps;
extern const struct uart_driver uart_imx;
extern const struct uart_driver uart_imx_lpuart;
extern const struct uart_driver uart_scif;
extern const struct uart_driver uart_hscif;
extern const struct uart_driver uart_mvebu;

/* Route output to the ring (always) and to the UART mapped at @base (may be NULL). */
void console_init(void *ring, const struct wd_console *con, void *base);
void console_write(const char *s, size_t len);
void console_putc_uart(char c);
/* A cell's DEBUG_CONSOLE_PUTC character from CPU @cpu: written line by line. */
void console_putc_cpu(unsigned int cpu, char c);
/* Write what CPU @cpu has of an incomplete line (it parks). */
void console_flush_cpu(unsigned int cpu);

#endif
