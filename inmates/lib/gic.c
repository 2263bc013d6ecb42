/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inmate library's GIC: the driver is chosen by the GIC version the comm
 * region names (as Jailhouse's inmate library does), GICv3 when there is no
 * comm region (bare metal on QEMU's virt board with gic-version=3).
 */
#include "internal.h"

bool gic_is_v2;

bool gic_cpu_ready(void)
{
	return gic_is_v2 ? gicv2_cpu_ready() : gicv3_cpu_ready();
}

void gic_init_cpu(void)
{
	gic_is_v2 = comm_gic_version() == 2;
	if (gic_is_v2)
		gicv2_init_cpu();
	else
		gicv3_init_cpu();
}

void gic_enable_ppi(unsigned int intid, u8 prio)
{
	if (gic_is_v2)
		gicv2_enable_ppi(intid, prio);
	else
		gicv3_enable_ppi(intid, prio);
}

void gic_enable_spi(unsigned int intid, u8 prio)
{
	if (gic_is_v2)
		gicv2_enable_spi(intid, prio);
	else
		gicv3_enable_spi(intid, prio);
}

void gic_send_sgi(u64 target_mpidr, unsigned int sgi)
{
	if (gic_is_v2)
		gicv2_send_sgi(target_mpidr, sgi);
	else
		gicv3_send_sgi(target_mpidr, sgi);
}

u64 gic_redist_base(void)
{
	return gic_is_v2 ? 0 : gicv3_redist_base();
}

void gic_timer_report(const char *who)
{
	if (gic_is_v2)
		gicv2_timer_report(who);
	else
		gicv3_timer_report(who);
}
