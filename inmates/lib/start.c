/* SPDX-License-Identifier: GPL-2.0 */
/*
 * C entry of the first CPU (from head.S): library set-up, then main(), then
 * the exit policy. The order matters: the comm region and the console read
 * the command line, the console's choice depends on the comm region, and the
 * GIC reports problems on the console.
 */
#include "internal.h"

void inmate_start(u64 boot_x0)
{
	cmdline_init(boot_x0);
	comm_region_init();
	console_init();
	gic_init_cpu();
	main();
	inmate_exit();
}

void idle(void)
{
	for (;;)
		sleep_us(1000000);
}

void inmate_exit(void)
{
	char buf[8];
	const char *how = cmdline_get("exit", inmate_is_bare() ? "off" : "idle",
				      buf, sizeof(buf));

	if (!strcmp(how, "off")) {
		long ret;

		irq_disable();
		timer_stop();
		ret = psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
		printk("inmate: PSCI SYSTEM_OFF returned %ld (%s)\n", ret,
		       psci_strerror(ret));
	}
	idle();
}
