/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The communication region the hypervisor maps at INMATE_COMM_REGION
 * (struct wd_comm_region, include/warden/hypercall.h). The fields the two
 * sides exchange are read and written as aligned 32-bit words: the struct is
 * packed, and the compiler would otherwise split them into bytes.
 *
 * Command line: shutdown=approve (default) | deny | ignore | lock, for
 * testing the hypervisor's handling of a cell that refuses, never answers,
 * or locks itself against shutdown (cell_state RUNNING_LOCKED, which the
 * hypervisor checks before it even asks).
 */
#include "internal.h"
#include <warden/hypercall.h>

#define COMM_OFF_MSG_TO_CELL	12
#define COMM_OFF_REPLY		16
#define COMM_OFF_FLAGS		20

#define COMM_OFF_CELL_STATE	8

enum shutdown_policy { SHUTDOWN_APPROVE, SHUTDOWN_DENY, SHUTDOWN_IGNORE };

static volatile struct wd_comm_region *comm;
static enum shutdown_policy policy;
static bool (*shutdown_handler)(void);

void comm_region_init(void)
{
	volatile struct wd_comm_region *c = (void *)(uintptr_t)INMATE_COMM_REGION;
	char buf[8];
	const char *p;
	unsigned int i;

	comm = NULL;
	if (inmate_is_bare())
		return;
	for (i = 0; i < sizeof(c->signature); i++)
		if (c->signature[i] != WD_COMM_SIGNATURE[i])
			return;
	if (mmio_read32(INMATE_COMM_REGION + 4) >> 16 != WD_COMM_REVISION)
		return;
	comm = c;

	p = cmdline_get("shutdown", "approve", buf, sizeof(buf));
	policy = !strcmp(p, "deny") ? SHUTDOWN_DENY :
		 !strcmp(p, "ignore") ? SHUTDOWN_IGNORE : SHUTDOWN_APPROVE;
	if (!strcmp(p, "lock"))
		mmio_write32(INMATE_COMM_REGION + COMM_OFF_CELL_STATE,
			     WD_CELL_RUNNING_LOCKED);
}

volatile struct wd_comm_region *comm_region(void)
{
	return comm;
}

u32 comm_region_flags(void)
{
	return comm ? mmio_read32((uintptr_t)comm + COMM_OFF_FLAGS) : 0;
}

void comm_region_set_shutdown_handler(bool (*fn)(void))
{
	shutdown_handler = fn;
}

static void reply(u32 answer)
{
	dsb(sy);
	mmio_write32((uintptr_t)comm + COMM_OFF_REPLY, answer);
	dsb(sy);
}

void comm_region_poll(void)
{
	u32 msg;

	if (!comm)
		return;
	msg = mmio_read32((uintptr_t)comm + COMM_OFF_MSG_TO_CELL);
	switch (msg) {
	case WD_MSG_NONE:
		return;
	case WD_MSG_SHUTDOWN_REQUEST:
		if (policy == SHUTDOWN_IGNORE)
			return;
		if (policy == SHUTDOWN_DENY ||
		    (shutdown_handler && !shutdown_handler())) {
			reply(WD_MSG_REQUEST_DENIED);
			return;
		}
		/* Nothing of ours may run once we said yes. */
		irq_disable();
		timer_stop();
		reply(WD_MSG_REQUEST_APPROVED);
		for (;;)
			wfi();
	case WD_MSG_RECONFIG_COMPLETED:
		reply(WD_MSG_RECEIVED);
		return;
	default:
		reply(WD_MSG_UNKNOWN);
		return;
	}
}

static u64 read_u64_field(unsigned int off)
{
	u64 a = (uintptr_t)comm + off;

	return mmio_read32(a) | (u64)mmio_read32(a + 4) << 32;
}

/* Without a comm region (bare metal): gic=2 on the command line says GICv2. */
unsigned int comm_gic_version(void)
{
	if (comm)
		return mmio_read32((uintptr_t)comm + 64) & 0xff;
	return cmdline_get_u64("gic", 3) == 2 ? 2 : 3;
}

u64 comm_gicd_base(void)
{
	if (comm && (comm->gic_version == 3 || comm->gic_version == 2))
		return read_u64_field(72);
	return QEMU_GICD_BASE;
}

/* GICv2's CPU interface (a cell's is the virtual one the hypervisor maps there). */
u64 comm_gicc_base(void)
{
	if (comm && comm->gic_version == 2)
		return read_u64_field(80);
	return !comm && comm_gic_version() == 2 ? QEMU_GICC_BASE : 0;
}

u64 comm_gicr_base(void)
{
	if (comm && comm->gic_version == 3)
		return read_u64_field(88);
	return QEMU_GICR_BASE;
}

void sleep_us(u64 us)
{
	while (us) {
		u64 slice = us < 10000 ? us : 10000;

		comm_region_poll();
		delay_us(slice);
		us -= slice;
	}
	comm_region_poll();
}
