/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uart-demo: prints "uart-demo: hello N" on the cell's console at a fixed
 * period, answering the comm region in between.
 *
 * Command line: period=<us> (default 100000), count=<lines> (default 0 =
 * forever; then the exit= policy applies, see inmate.h).
 */
#include <inmate.h>

int main(void)
{
	u64 period = cmdline_get_u64("period", 100000);
	u64 count = cmdline_get_u64("count", 0);
	u64 n;

	printk("uart-demo: start on CPU 0x%llx, period %llu us, count %llu\n",
	       this_mpidr(), period, count);
	for (n = 1; !count || n <= count; n++) {
		printk("uart-demo: hello %llu\n", n);
		sleep_us(period);
	}
	printk("uart-demo: done\n");
	return 0;
}
