/*
 * Host unit tests of the hypervisor's debug UART drivers
 * (hypervisor/core/uart-*.c) against a fake register file: a zeroed block of
 * memory standing for the UART's registers.
 *
 * For each driver:
 *   - with the transmitter ready, one putc writes the character to the data
 *     register (at the offset and width the SoC manual gives) and changes
 *     nothing else but what the driver must acknowledge;
 *   - with the transmitter busy, putc waits: a second thread checks that
 *     nothing was written while busy, then makes it ready, and the
 *     character arrives only then;
 *   - the console's type picks the driver (console.c's table).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "../../hypervisor/core/uart-pl011.c"
#include "../../hypervisor/core/uart-8250.c"
#include "../../hypervisor/core/uart-xuartps.c"
#include "../../hypervisor/core/uart-imx.c"
#include "../../hypervisor/core/uart-imx-lpuart.c"
#include "../../hypervisor/core/uart-scif.c"
#include "../../hypervisor/core/uart-mvebu.c"

#define REGS_SIZE	0x100

static char name[200];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

/* One UART as the tests see it: where the status bit is and what "ready" is. */
struct uart_case {
	const char *what;
	const struct uart_driver *drv;
	u32 flags;
	unsigned int data_off, data_width;	/* the transmit data register */
	unsigned int stat_off, stat_width;	/* the status register polled */
	u32 stat_bit;
	int ready_when_set;			/* ready: bit set (else clear) */
	u32 stat_after_write_mask;		/* status bits the driver must clear, if any */
};

static const struct uart_case cases[] = {
	{ "PL011", &uart_pl011, 0, 0x00, 4, 0x18, 4, 1U << 5, 0, 0 },
	{ "8250 (byte registers)", &uart_8250, 0, 0, 1, 5, 1, 0x20, 1, 0 },
	{ "8250 with 4-byte register distance (mini UART, DesignWare)", &uart_8250,
	  WD_CON_REGDIST_4, 0, 4, 0x14, 4, 0x20, 1, 0 },
	{ "xuartps", &uart_xuartps, 0, 0x30, 4, 0x2c, 4, 1U << 4, 0, 0 },
	{ "i.MX UART", &uart_imx, 0, 0x40, 4, 0xb4, 4, 1U << 4, 0, 0 },
	{ "i.MX LPUART", &uart_imx_lpuart, 0, 0x1c, 4, 0x14, 4, 1U << 23, 1, 0 },
	{ "SCIF", &uart_scif, 0, 0x0c, 1, 0x10, 2, 1U << 5, 1, (1U << 5) | (1U << 6) },
	{ "HSCIF", &uart_hscif, 0, 0x0c, 1, 0x10, 2, 1U << 5, 1, (1U << 5) | (1U << 6) },
	{ "MVEBU", &uart_mvebu, 0, 0x04, 4, 0x0c, 4, 1U << 11, 0, 0 },
};

static union {
	u8 b[REGS_SIZE];
	u32 w[REGS_SIZE / 4];
} regs;

static u32 get(unsigned int off, unsigned int width)
{
	u32 v = 0;

	memcpy(&v, &regs.b[off], width);	/* little-endian host, as the SoCs */
	return v;
}

static void set(unsigned int off, unsigned int width, u32 v)
{
	memcpy(&regs.b[off], &v, width);
}

static void make_ready(const struct uart_case *t, int ready)
{
	u32 st = get(t->stat_off, t->stat_width) & ~t->stat_bit;

	if (ready == t->ready_when_set)
		st |= t->stat_bit;
	set(t->stat_off, t->stat_width, st);
}

static void test_ready(const struct uart_case *t)
{
	u8 before[REGS_SIZE];
	unsigned int i, changed = 0;

	memset(&regs, 0, sizeof(regs));
	/* Other status bits set, to see that the driver keeps them. */
	set(t->stat_off, t->stat_width, t->stat_width == 1 ? 0x40 : 0x4000);
	if (t->stat_after_write_mask)
		set(t->stat_off, t->stat_width, get(t->stat_off, t->stat_width) | t->stat_after_write_mask);
	make_ready(t, 1);
	memcpy(before, regs.b, sizeof(before));
	t->drv->putc(regs.b, t->flags, 'W');
	CHECK_EQ(NAME("uart %s: the character lands in the data register at 0x%x", t->what,
		      t->data_off), get(t->data_off, t->data_width), 'W');
	for (i = 0; i < REGS_SIZE; i++)
		if (before[i] != regs.b[i] &&
		    !(i >= t->data_off && i < t->data_off + t->data_width) &&
		    !(i >= t->stat_off && i < t->stat_off + t->stat_width))
			changed++;
	CHECK_EQ(NAME("uart %s: no other register written", t->what), changed, 0);
	if (t->stat_after_write_mask) {
		CHECK_EQ(NAME("uart %s: TDFE and TEND cleared (written as 0) after the write", t->what),
			 get(t->stat_off, t->stat_width) & t->stat_after_write_mask, 0);
		CHECK_EQ(NAME("uart %s: the other status flags written back as they were", t->what),
			 get(t->stat_off, t->stat_width) & 0x4000, 0x4000);
	} else {
		CHECK(NAME("uart %s: status register untouched", t->what),
		      memcmp(&before[t->stat_off], &regs.b[t->stat_off], t->stat_width) == 0);
	}
}

/* The busy case: the helper thread sees no write while busy, then frees the FIFO. */
static const struct uart_case *busy_case;
static volatile int written_while_busy;

static void *release(void *arg)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	(void)arg;
	nanosleep(&ts, NULL);
	written_while_busy = __atomic_load_n(&regs.b[busy_case->data_off], __ATOMIC_SEQ_CST) != 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	make_ready(busy_case, 1);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return NULL;
}

static void test_busy(const struct uart_case *t)
{
	pthread_t th;

	memset(&regs, 0, sizeof(regs));
	make_ready(t, 0);
	busy_case = t;
	written_while_busy = 0;
	if (pthread_create(&th, NULL, release, NULL)) {
		CHECK(NAME("uart %s: helper thread", t->what), 0);
		return;
	}
	t->drv->putc(regs.b, t->flags, 'B');
	pthread_join(th, NULL);
	CHECK(NAME("uart %s: busy transmitter: nothing written until it has room", t->what),
	      !written_while_busy);
	CHECK_EQ(NAME("uart %s: busy transmitter: the character follows once it has room",
		      t->what), get(t->data_off, t->data_width), 'B');
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		test_ready(&cases[i]);
		test_busy(&cases[i]);
		CHECK_EQ(NAME("uart %s: driver for console type %u", cases[i].what,
			      cases[i].drv->type), cases[i].drv->type,
			 cases[i].drv == &uart_pl011 ? WD_CON_TYPE_PL011 :
			 cases[i].drv == &uart_8250 ? WD_CON_TYPE_8250 :
			 cases[i].drv == &uart_xuartps ? WD_CON_TYPE_XUARTPS :
			 cases[i].drv == &uart_imx ? WD_CON_TYPE_IMX :
			 cases[i].drv == &uart_imx_lpuart ? WD_CON_TYPE_IMX_LPUART :
			 cases[i].drv == &uart_scif ? WD_CON_TYPE_SCIF :
			 cases[i].drv == &uart_hscif ? WD_CON_TYPE_HSCIF : WD_CON_TYPE_MVEBU);
	}
	return check_failures ? 1 : 0;
}
