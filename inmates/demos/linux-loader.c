/* SPDX-License-Identifier: GPL-2.0 */
/*
 * linux-loader: the first program of a Linux cell ("warden cell linux", the
 * Jailhouse convention). Loaded at the cell's reset address 0 with its
 * command line "kernel=0x... dtb=0x..." at 0x1000; enters the arm64 kernel
 * image the way Documentation/arch/arm64/booting.rst asks: on the first CPU,
 * at EL1, MMU and data cache off, interrupts masked, x0 = the device tree's
 * physical address, x1-x3 zero. The other CPUs stay with the hypervisor until
 * Linux starts them with PSCI CPU_ON.
 *
 * One line on the cell's console names what it jumps to; a missing or
 * misaligned address is reported there and the loader idles (the root sees
 * no Linux and can destroy the cell).
 */
#include <inmate.h>

static void __attribute__((noreturn)) enter_kernel(u64 entry, u64 dtb)
{
	register u64 x0 asm("x0") = dtb;
	register u64 x1 asm("x1") = 0;
	register u64 x2 asm("x2") = 0;
	register u64 x3 asm("x3") = 0;

	/*
	 * Nothing was cached (MMU and caches have been off since reset): no
	 * maintenance needed. Interrupts stay masked for Linux to unmask.
	 */
	asm volatile("msr daifset, #0xf\n\t"
		     "isb\n\t"
		     "br %4"
		     : : "r"(x0), "r"(x1), "r"(x2), "r"(x3), "r"(entry) : "memory");
	__builtin_unreachable();
}

int main(void)
{
	u64 kernel = cmdline_get_u64("kernel", 0);
	u64 dtb = cmdline_get_u64("dtb", 0);

	if (!kernel || !dtb || (kernel & 0xfff) || (dtb & 7)) {
		printk("linux-loader: need kernel=ADDR (4 KiB aligned) and dtb=ADDR (8-byte aligned) at 0x1000, got \"%s\"\n",
		       cmdline());
		return 0;
	}
	printk("linux-loader: kernel 0x%llx, device tree 0x%llx\n",
	       (unsigned long long)kernel, (unsigned long long)dtb);
	timer_stop();
	enter_kernel(kernel, dtb);
}
