/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console selection. In a cell: the PL011 the cell configuration names as its
 * console (copied into the comm region by the hypervisor), else the
 * hypervisor's debug console hypercall when the cell may use it; both when
 * the configuration marks the virtual console active. The command line can
 * override: console=uart|hvc|both|none, uart=<PL011 base> (0: none).
 * Bare variant: the board's first PL011 (0x09000000, what -nographic shows),
 * no hypercalls (there is no hypervisor to answer them).
 */
#include "internal.h"
#include <warden/hypercall.h>

static u64 uart_base;
static unsigned int targets;

static void console_choose(void)
{
	volatile struct wd_comm_region *comm = comm_region();
	bool hvc_ok = false, hvc_active = false;
	char sel[8];

	if (inmate_is_bare()) {
		uart_base = QEMU_UART0_BASE;
	} else if (comm) {
		u32 flags = comm_region_flags();

		if (comm->console.type == WD_CON_TYPE_PL011 &&
		    (comm->console.flags & WD_CON_ACCESS_MMIO))
			uart_base = comm->console.address;
		hvc_ok = flags & WD_COMM_FLAG_DBG_PUTC_PERMITTED;
		hvc_active = flags & WD_COMM_FLAG_DBG_PUTC_ACTIVE;
	} else {
		/* No (valid) comm region: try the hypercall; at worst -EPERM. */
		hvc_ok = true;
	}
	uart_base = cmdline_get_u64("uart", uart_base);

	targets = 0;
	if (uart_base)
		targets |= CONSOLE_UART;
	if (hvc_ok && (hvc_active || !uart_base))
		targets |= CONSOLE_HVC;

	if (cmdline_get("console", NULL, sel, sizeof(sel))) {
		unsigned int hvc = inmate_is_bare() ? 0 : CONSOLE_HVC;
		unsigned int uart = uart_base ? CONSOLE_UART : 0;

		if (!strcmp(sel, "uart"))
			targets = uart;
		else if (!strcmp(sel, "hvc"))
			targets = hvc;
		else if (!strcmp(sel, "both"))
			targets = uart | hvc;
		else if (!strcmp(sel, "none"))
			targets = 0;
	}
}

void console_init(void)
{
	console_choose();
	if (targets & CONSOLE_UART)
		pl011_init(uart_base);
}

unsigned int console_targets(void)
{
	return targets;
}

void console_write(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (targets & CONSOLE_UART) {
			if (c == '\n')
				pl011_putc(uart_base, '\r');
			pl011_putc(uart_base, c);
		}
		if (targets & CONSOLE_HVC)
			hypercall(WD_HC_DEBUG_CONSOLE_PUTC, (u8)c, 0);
	}
}
