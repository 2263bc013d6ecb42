/*
 * The hypervisor console: every message goes into the ring the driver shows in
 * sysfs, and to the debug UART when the system configuration names one.
 */
#include <wd/console.h>
#include <wd/printk.h>
#include <wd/spinlock.h>
#include <warden/firmware.h>

static struct wd_console_ring *ring;
static const struct uart_driver *uart;
static void *uart_base;
static u32 uart_flags;
static spinlock_t console_lock;

static const struct uart_driver *const uart_drivers[] = {
#ifdef CONFIG_WD_UART_PL011
	&uart_pl011,
#endif
#ifdef CONFIG_WD_UART_8250
	&uart_8250,
#endif
#ifdef CONFIG_WD_UART_XUARTPS
	&uart_xuartps,
#endif
#ifdef CONFIG_WD_UART_IMX
	&uart_imx,
#endif
#ifdef CONFIG_WD_UART_IMX_LPUART
	&uart_imx_lpuart,
#endif
#ifdef CONFIG_WD_UART_SCIF
	&uart_scif,
	&uart_hscif,
#endif
#ifdef CONFIG_WD_UART_MVEBU
	&uart_mvebu,
#endif
};

void console_init(void *ring_area, const struct wd_console *con, void *base)
{
	unsigned int n;

	ring = ring_area;
	uart = NULL;
	for (n = 0; base && n < ARRAY_SIZE(uart_drivers); n++)
		if (uart_drivers[n]->type == con->type)
			uart = uart_drivers[n];
	uart_base = base;
	uart_flags = con ? con->flags : 0;
	/* The configuration is valid; this build may lack the driver (Kconfig). */
	if (base && !uart)
		printk("Warden: debug console type %u has no driver in this build (CONFIG_WD_UART_*): console ring only\n",
		       con->type);
}

void console_putc_uart(char c)
{
	if (!uart)
		return;
	if (c == '\n')
		uart->putc(uart_base, uart_flags, '\r');
	uart->putc(uart_base, uart_flags, c);
}

static void ring_write(const char *s, size_t len)
{
	u64 pos;

	if (!ring)
		return;
	/* Odd seq tells the driver's reader that a write is in progress. */
	WRITE_ONCE(ring->seq, ring->seq + 1);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	for (pos = ring->written; len; len--, pos++)
		ring->buf[pos % WD_CONSOLE_RING_SIZE] = *s++;
	ring->written = pos;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_ONCE(ring->seq, ring->seq + 1);
}

void console_write(const char *s, size_t len)
{
	size_t n;

	spin_lock(&console_lock);
	ring_write(s, len);
	for (n = 0; n < len; n++)
		console_putc_uart(s[n]);
	spin_unlock(&console_lock);
}

/*
 * Cells print through DEBUG_CONSOLE_PUTC, one character per hypercall. Each
 * CPU's characters are kept until its line is complete (or the buffer is
 * full), so that the hypervisor's messages and other CPUs' output never land
 * inside a cell's line, in the ring or on the UART. Only the CPU itself
 * touches its buffer: from the hypercall, and when it parks (cpu_park
 * flushes what is left, so nothing of one owner's output is carried over to
 * the CPU's next owner).
 */
#define PUTC_LINE	128

static struct {
	char buf[PUTC_LINE];
	unsigned int len;
} putc_lines[CONFIG_WD_MAX_CPUS];

void console_putc_cpu(unsigned int cpu, char c)
{
	typeof(&putc_lines[0]) l = &putc_lines[cpu];

	l->buf[l->len++] = c;
	if (c == '\n' || l->len == PUTC_LINE)
		console_flush_cpu(cpu);
}

void console_flush_cpu(unsigned int cpu)
{
	typeof(&putc_lines[0]) l = &putc_lines[cpu];

	if (l->len) {
		console_write(l->buf, l->len);
		l->len = 0;
	}
}

void printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(buf))
		len = sizeof(buf) - 1;
	console_write(buf, (size_t)len);
}
