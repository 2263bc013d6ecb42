/*
 * Host unit tests of the root's virtual ivshmem devices behind its ITS
 * (hypervisor/arch/arm64/gicv3-its-virtdev.c), through the root's emulated
 * ITS (gicv3-its.c: CWRITER -> check -> the virtual device or the ITS): every
 * command type for the virtual device ids, what reaches the physical ITS
 * (nothing of theirs; MAPC/SYNC/MOVALL and other devices' commands as
 * always), ids and events out of range, foreign ids (an INTx device's, a free
 * one at the virtual bus, one beyond the ITS), and the injection: pending
 * set, kick, property byte and EnableLPIs, list registers full, MOVI/MOVALL
 * moving a pending LPI, a cell's CPU never getting one, an LPI listed on a
 * root CPU being parked going to another; then random commands.
 *
 * The fake machine is test-its-emul.c's: root RAM with a window backed here
 * (queue, ITTs, and the root's LPI property table at RAM_WIN + 0xc000), the
 * ITS at 0x08080000, CPUs 0-1 the root's, 2 a cell's. The root has ivshmem
 * 00:00.0 and 00:01.0 with MSI-X (device ids 0xff00, 0xff08) and 00:02.0
 * with INTx.
 */
#include <stdarg.h>
#include <stdlib.h>
#include "check.h"
#include <wd/percpu.h>
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/pool.h>
#include <wd/reason.h>
#include "../../hypervisor/arch/arm64/gicv3-its-cmd.c"
#include "../../hypervisor/arch/arm64/gicv3-its.c"
#include "../../hypervisor/arch/arm64/mmio-decode.c"
#include "../../hypervisor/arch/arm64/gicv3-its-fast.c"
#include "../../hypervisor/arch/arm64/gicv3-its-cell.c"
#include "../../hypervisor/arch/arm64/gicv3-its-virtdev.c"

#define ITS_PHYS	0x08080000ULL
#define RAM_WIN		0x7e000000ULL
#define HV		0x7fc00000ULL

struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct page_pool mem_pool;
struct cell root_cell;
const struct wd_system_config *system_config;
struct wd_fw_header *fw_header;
u64 hv_phys_base = HV, hv_mem_size = 0x400000;
u8 *gicd;

static u8 its_regs[0x10000] __attribute__((aligned(8)));
static u8 gicd_regs[0x10000] __attribute__((aligned(8)));
static u8 gicr_regs[4][0x20000] __attribute__((aligned(8)));
static u8 ram_win[0x10000] __attribute__((aligned(4096)));
static u64 hv_queue[512] __attribute__((aligned(4096)));
static char log_text[16384], last_reason[300];

static struct {
	struct wd_system_config sys;
	__u8 cpus[8];
	struct wd_mem_region m[3];
	struct wd_pci_device pci[3];
} __attribute__((packed)) sys_blob;

static u64 reg64(unsigned int off) { u64 v; memcpy(&v, its_regs + off, 8); return v; }
static void set64(unsigned int off, u64 v) { memcpy(its_regs + off, &v, 8); }

static unsigned int cur_cpu;

static void set_gicr64(unsigned int cpu, unsigned int off, u64 v) { memcpy(gicr_regs[cpu] + off, &v, 8); }
struct per_cpu *this_cpu(void) { return &per_cpu_area[cur_cpu]; }
enum mmio_result mmio_dispatch(struct mmio_regions *regs, struct mmio_access *a)
{
	return MMIO_UNHANDLED;
}

u64 timer_ticks(void)
{
	static u64 now;

	/* The fake ITS executes its queue at once. */
	set64(GITS_CREADR, reg64(GITS_CWRITER));
	return now += 10;
}
u64 timer_ticks_per_sec(void) { return 1000000; }

#include "log-fake.h"

static int live_maps;		/* arch_map_temp minus arch_unmap_temp */

void *arch_map_temp(u64 phys, u64 size)
{
	if (phys < RAM_WIN || phys + size > RAM_WIN + sizeof(ram_win))
		return NULL;
	live_maps++;
	return ram_win + (phys - RAM_WIN);
}
void arch_unmap_temp(void *virt, u64 size) { live_maps--; }
int arch_map_device(u64 phys, u64 size, void **virt) { return -ENOMEM; }
int probe_read32(const volatile u32 *addr, u32 *val) { return -EIO; }
int paging_unmap(struct paging *pg, u64 virt, u64 size) { return 0; }
int mmio_region_register(struct mmio_regions *regs, u64 start, u64 size,
			 mmio_handler handler, void *arg) { return 0; }
void dcache_clean_inval_range(u64 start, u64 size) { }
void *hv_alloc(u64 size, u64 align) { return NULL; }
bool wait_ms(struct its *its, unsigned int off, u64 mask, u64 want) { return true; }
void its_give_back(struct its *its) { }

/* The takeover, as gicv3-its-handover.c leaves it: a flat device table of 64Ki entries. */
int its_take(struct its *its)
{
	its->typer = reg64(GITS_TYPER);
	its->cbaser = GITS_CBASER_VALID | RAM_WIN;	/* Linux's queue: one page */
	its->t[0].root = its->t[0].hw = GITS_BASER_VALID | 1ULL << 56 | 7ULL << 48 |
					 (RAM_WIN + 0x8000);
	its->t[0].hv = (u64 *)hv_queue;			/* any memory: never read here */
	its->t[0].hv_size = 0x80000;			/* 65536 devices: bus 0xff too */
	its->t[1].root = its->t[1].hw = GITS_BASER_VALID | 4ULL << 56 | 7ULL << 48 |
					 (RAM_WIN + 0xa000);
	its->t[1].hv = (u64 *)hv_queue;
	its->t[1].hv_size = 0x1000;			/* 512 collections */
	its->queue = hv_queue;
	its->ctlr = GITS_CTLR_ENABLED;
	its->hw_enabled = its->taken = true;
	set_limits(its);
	root_queue_map(its);
	return 0;
}

static enum mmio_result acc(u64 off, unsigned int size, bool write, u64 *v)
{
	struct mmio_access a = { .address = off, .size = size, .is_write = write,
				 .value = write ? *v : 0 };
	enum mmio_result r = its_access(&its_units[0], &a);

	if (!write)
		*v = a.value;
	return r;
}

static void put_cmd(unsigned int slot, u64 a, u64 b, u64 c, u64 d)
{
	u64 cmd[4] = { a, b, c, d };

	memcpy(ram_win + slot * 32, cmd, 32);
}

static void setup(void)
{
	unsigned int cpu;

	sys_blob.sys.root_cell.cpu_set_size = 8;
	sys_blob.sys.root_cell.num_memory_regions = 3;
	sys_blob.m[0] = (struct wd_mem_region){ 0x40000000, 0x40000000, 0x3fc00000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_DMA };
	sys_blob.m[1] = (struct wd_mem_region){ 0x09000000, 0x09000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	sys_blob.m[2] = (struct wd_mem_region){ ITS_PHYS, ITS_PHYS, 0x20000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	/* Root ivshmem 00:00.0 and 00:01.0 with MSI-X, 00:02.0 with INTx. */
	sys_blob.sys.root_cell.num_pci_devices = 3;
	for (cpu = 0; cpu < 3; cpu++) {
		sys_blob.pci[cpu].type = WD_PCI_TYPE_IVSHMEM;
		sys_blob.pci[cpu].bdf = cpu << 3;
		sys_blob.pci[cpu].bar_mask[0] = 0xfffff000;
		sys_blob.pci[cpu].bar_mask[1] = cpu < 2 ? 0xfffff000 : 0;
	}
	sys_blob.sys.platform.pci_mmconfig_base = 0x08e00000;
	sys_blob.sys.platform.pci_is_virtual = 1;
	system_config = &sys_blob.sys;
	root_cell.config = &sys_blob.sys.root_cell;
	root_cell.cpu_set[0] = 0x3;
	gicd = gicd_regs;
	gicd_regs[GICD_TYPER + 2] = 15 << 3;		/* IDbits 15: 16-bit INTIDs */
	for (cpu = 0; cpu < 3; cpu++) {
		struct per_cpu *pc = &per_cpu_area[cpu];
		u64 typer = (u64)cpu << 8;

		pc->initialized = true;
		pc->arch.gicr = gicr_regs[cpu];
		pc->arch.gicr_phys = 0x080a0000 + cpu * 0x20000;
		memcpy(gicr_regs[cpu] + 8, &typer, 8);
		/* LPIs on, the property table at RAM_WIN + 0xc000, 16 ID bits. */
		gicr_regs[cpu][0] = 1;
		set_gicr64(cpu, GICR_PROPBASER, (RAM_WIN + 0xc000) | 15);
	}
	/* Physical, Virtual, ITT entry 8 bytes, 16 event bits, 16 device bits, SEIS. */
	set64(GITS_TYPER, 1 | 2 | 7 << 4 | 15 << 8 | 15ULL << 13 | 1ULL << 18);
	memcpy(its_regs + 0xffe8, "\x3b\0\0\0", 4);
	its_units[0].phys = ITS_PHYS;
	its_units[0].regs = its_regs;
	num_its = 1;
	its_take(&its_units[0]);
}


/* Fake list registers (vINTID | prio << 16, 0: free), the kicks. */
#define NUM_LRS 2
static u32 lrs[CONFIG_WD_MAX_CPUS][NUM_LRS];
static unsigned int kicks[CONFIG_WD_MAX_CPUS];
static bool underflow[CONFIG_WD_MAX_CPUS];

bool gicv3_vlpi_insert(struct per_cpu *pc, unsigned int intid, u8 prio)
{
	unsigned int n;

	for (n = 0; n < NUM_LRS; n++)
		if ((lrs[pc->cpu_id][n] & 0xffff) == intid)
			return true;
	for (n = 0; n < NUM_LRS; n++)
		if (!lrs[pc->cpu_id][n]) {
			lrs[pc->cpu_id][n] = intid | (u32)prio << 16;
			return true;
		}
	return false;
}
void gicv3_vlpi_underflow(struct per_cpu *pc) { underflow[pc->cpu_id] = true; }
void gicv3_send_event(struct per_cpu *target) { kicks[target->cpu_id]++; }

#define TRANSLATER	(ITS_PHYS + GITS_TRANSLATER_OFF)
#define VDEV0		0xff00		/* 00:00.0 at bus 0xff */
#define VDEV1		0xff08
#define PROP(lpi)	ram_win[0xc000 + (lpi) - 8192]

static unsigned int slot;

/* Queue the root's commands from the last slot on and move CWRITER past them. */
static void cmds(unsigned int n, const u64 (*c)[4])
{
	unsigned int i;
	u64 v;

	for (i = 0; i < n; i++) {
		put_cmd(slot, c[i][0], c[i][1], c[i][2], c[i][3]);
		slot = (slot + 1) % 128;
	}
	v = (u64)slot * 32;
	acc(GITS_CWRITER, 8, true, &v);
}
#define CMD(...) cmds(1, (const u64[][4]){ { __VA_ARGS__ } })

static struct cell a_cell;

static u64 hw_cmds(void) { return reg64(GITS_CWRITER) / 32; }

static bool in_lr(unsigned int cpu, u32 lpi)
{
	unsigned int n;

	for (n = 0; n < NUM_LRS; n++)
		if ((lrs[cpu][n] & 0xffff) == lpi)
			return true;
	return false;
}

static void flush(unsigned int cpu)
{
	per_cpu_area[cpu].cpu_id = cpu;
	per_cpu_area[cpu].cell = cell_has_cpu(&root_cell, cpu) ? &root_cell : NULL;
	per_cpu_area[cpu].run_state = CPU_RUNNING;
	its_vdev_flush(&per_cpu_area[cpu]);
}

static bool pending(unsigned int cpu, unsigned int dev, unsigned int ev)
{
	unsigned int bit = dev * ITS_VDEV_EVENTS + ev;

	return (vd.pending[cpu][bit / 64] >> (bit % 64)) & 1;
}

static void test_map_and_deliver(void)
{
	u64 before;

	log_text[0] = 0;
	before = hw_cmds();
	/* MAPD Size 1 (4 events), ITT in root RAM; MAPTI event 0 -> LPI 8200, ICID 1. */
	CMD(ITS_CMD_MAPD | (u64)VDEV0 << 32, 1, GITS_BASER_VALID | (RAM_WIN + 0x1000), 0);
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 0 | 8200ULL << 32, 1, 0);
	CHECK_EQ("virtdev: MAPD and MAPTI of a virtual device never reach the ITS", hw_cmds(), before);
	CHECK("virtdev: ... nor are they refused", !strstr(log_text, "refused"));
	CHECK("virtdev: the device is mapped through this ITS", vd.dev[0].its == &its_units[0] &&
	      vd.dev[0].num_events == 4 && vd.dev[0].ite[0].lpi == 8200 && vd.dev[0].ite[0].icid == 1);
	CHECK("virtdev: the physical device's ITT is not tracked for it", !tracked(&its_units[0], VDEV0));
	CMD(ITS_CMD_MAPD | 8ULL << 32, 1, GITS_BASER_VALID | (RAM_WIN + 0x1100), 0);
	CMD(ITS_CMD_SYNC, 0, 1ULL << 16, 0);
	CHECK_EQ("virtdev: a physical device's MAPD and a SYNC go to the ITS", hw_cmds(), before + 2);

	PROP(8200) = 0xa0 | 1;		/* enabled, priority 0xa0 */
	cur_cpu = 0;
	CHECK_EQ("virtdev: a doorbell on vector 0 is delivered", its_vdev_deliver(0x0000, TRANSLATER, 0), 0);
	CHECK("virtdev: ... pending on CPU 1 (ICID 1, no MAPC seen: Linux's CPU 1)", pending(1, 0, 0));
	CHECK_EQ("virtdev: ... CPU 1 is kicked", kicks[1], 1);
	CHECK("virtdev: the first MSI is logged with its LPI and CPU",
	      strstr(log_text, "root ivshmem 00:00.0 (device id 0xff00): first MSI, event 0 -> LPI 8200 on CPU 1"));
	flush(1);
	CHECK("virtdev: CPU 1 takes it into a list register with its property priority",
	      in_lr(1, 8200) && lrs[1][0] >> 16 == 0xa0);
	CHECK("virtdev: ... and it is no longer pending", !pending(1, 0, 0));
	memset(lrs, 0, sizeof(lrs));

	CHECK_EQ("virtdev: another address (GICD_SETSPI_NSR) is refused",
		 its_vdev_deliver(0x0000, 0x08000040, 0), -EINVAL);
	CHECK_EQ("virtdev: the ITS's control frame is no MSI address either",
		 its_vdev_deliver(0x0000, ITS_PHYS + 0x40, 0), -EINVAL);
	CHECK_EQ("virtdev: an event without MAPTI is not delivered", its_vdev_deliver(0x0000, TRANSLATER, 1), -ENOENT);
	CHECK_EQ("virtdev: an event beyond MAPD's size is not delivered", its_vdev_deliver(0x0000, TRANSLATER, 4), -ENOENT);
	CHECK_EQ("virtdev: a device without MAPD is not delivered", its_vdev_deliver(0x0008, TRANSLATER, 0), -ENOENT);
	CHECK_EQ("virtdev: the INTx device has no MSI route", its_vdev_deliver(0x0010, TRANSLATER, 0), -ENOENT);
	CHECK("virtdev: nothing of it became pending", !pending(1, 0, 1) && !pending(0, 0, 0) && !pending(1, 0, 0));

	/* Disabled in the property table: waits; enabled and INV: delivered. */
	PROP(8200) = 0xa0;
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	flush(1);
	CHECK("virtdev: a disabled LPI stays pending", pending(1, 0, 0) && !in_lr(1, 8200));
	PROP(8200) = 0xa1;
	kicks[1] = 0;
	CMD(ITS_CMD_INV | (u64)VDEV0 << 32, 0, 0, 0);
	CHECK_EQ("virtdev: INV kicks the collection's CPU", kicks[1], 1);
	flush(1);
	CHECK("virtdev: ... which then takes it", in_lr(1, 8200) && !pending(1, 0, 0));
	memset(lrs, 0, sizeof(lrs));

	/* GICR_CTLR.EnableLPIs off: waits too. */
	gicr_regs[1][0] = 0;
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	flush(1);
	CHECK("virtdev: with EnableLPIs off it stays pending", pending(1, 0, 0) && !in_lr(1, 8200));
	gicr_regs[1][0] = 1;
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	flush(1);
	CHECK("virtdev: on again, the next kick delivers it", in_lr(1, 8200) && !pending(1, 0, 0));
	memset(lrs, 0, sizeof(lrs));

	/* A PROPBASER naming hypervisor memory (as if it got past the checks): never read. */
	set_gicr64(1, GICR_PROPBASER, HV | 15);
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	flush(1);
	CHECK("virtdev: a property table outside the root's RAM is not read, the LPI waits",
	      pending(1, 0, 0) && !in_lr(1, 8200) && !prop_map[1].phys);
	set_gicr64(1, GICR_PROPBASER, (RAM_WIN + 0xc000) | 15);
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	flush(1);
	CHECK("virtdev: ... the root's table again: delivered", in_lr(1, 8200) && !pending(1, 0, 0));
}

static void test_other_commands(void)
{
	u64 before = hw_cmds();

	memset(lrs, 0, sizeof(lrs));
	log_text[0] = 0;
	/* Two more events, then fill the list registers. */
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 1 | 8201ULL << 32, 1, 0);
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 2 | 8202ULL << 32, 1, 0);
	PROP(8201) = PROP(8202) = 0x81;
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	its_vdev_deliver(0x0000, TRANSLATER, 1);
	its_vdev_deliver(0x0000, TRANSLATER, 2);
	underflow[1] = false;
	flush(1);
	CHECK("virtdev: more LPIs than list registers: two in, one waits",
	      in_lr(1, 8200) && in_lr(1, 8201) && pending(1, 0, 2));
	CHECK("virtdev: ... with the underflow interrupt armed", underflow[1]);
	memset(lrs, 0, sizeof(lrs));
	flush(1);
	CHECK("virtdev: the maintenance interrupt's flush delivers the rest", in_lr(1, 8202) && !pending(1, 0, 2));
	memset(lrs, 0, sizeof(lrs));

	/* MOVI moves a pending one to the new collection's CPU. */
	gicr_regs[1][0] = 0;
	its_vdev_deliver(0x0000, TRANSLATER, 1);
	kicks[0] = 0;
	CMD(ITS_CMD_MOVI | (u64)VDEV0 << 32, 1, 0, 0);
	gicr_regs[1][0] = 1;
	CHECK("virtdev: MOVI moves the pending LPI to ICID 0's CPU", pending(0, 0, 1) && !pending(1, 0, 1));
	CHECK("virtdev: ... and the LPI now targets it", vd.dev[0].ite[1].icid == 0);
	cur_cpu = 1;
	flush(0);
	CHECK("virtdev: CPU 0 takes it", in_lr(0, 8201));
	memset(lrs, 0, sizeof(lrs));

	/* INT makes it pending, CLEAR takes it back, DISCARD unmaps it. */
	gicr_regs[0][0] = 0;
	CMD(ITS_CMD_INT | (u64)VDEV0 << 32, 1, 0, 0);
	CHECK("virtdev: INT makes the event's LPI pending", pending(0, 0, 1));
	CMD(ITS_CMD_CLEAR | (u64)VDEV0 << 32, 1, 0, 0);
	CHECK("virtdev: CLEAR takes it back", !pending(0, 0, 1));
	its_vdev_deliver(0x0000, TRANSLATER, 1);
	CMD(ITS_CMD_DISCARD | (u64)VDEV0 << 32, 1, 0, 0);
	gicr_regs[0][0] = 1;
	CHECK("virtdev: DISCARD drops the pending LPI and the mapping",
	      !pending(0, 0, 1) && !vd.dev[0].ite[1].lpi);
	CHECK_EQ("virtdev: a discarded event delivers nothing", its_vdev_deliver(0x0000, TRANSLATER, 1), -ENOENT);
	CMD(ITS_CMD_INV | (u64)VDEV0 << 32, 1, 0, 0);
	CHECK("virtdev: INV of a discarded event is refused",
	      strstr(log_text, "command INV at queue offset") && strstr(log_text, "EventID 0x1: not mapped on the virtual device"));

	/* MAPC is the ITS's and noted: ICID 1 now names CPU 0. */
	CMD(ITS_CMD_MAPC, 0, GITS_BASER_VALID | 0ULL << 16 | 1, 0);
	CHECK_EQ("virtdev: MAPC, INT, CLEAR... of virtual devices: only the MAPC reached the ITS",
		 hw_cmds(), before + 1);
	cur_cpu = 1;
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	CHECK("virtdev: after MAPC ICID 1 -> CPU 0, vector 0 goes to CPU 0", pending(0, 0, 0));
	/* MOVALL from CPU 0 to CPU 1 takes it along (and reaches the ITS). */
	gicr_regs[1][0] = 0;
	CMD(ITS_CMD_MOVALL, 0, 0ULL << 16, 1ULL << 16);
	CHECK("virtdev: MOVALL moves pending LPIs between the CPUs", pending(1, 0, 0) && !pending(0, 0, 0));
	gicr_regs[1][0] = 1;
	CMD(ITS_CMD_CLEAR | (u64)VDEV0 << 32, 0, 0, 0);
	CHECK("virtdev: CLEAR clears it wherever it waits", !pending(1, 0, 0));

	/* ICID 2 (no MAPC seen) is CPU 2, a cell's: never kicked, never injected. */
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 3 | 8203ULL << 32, 2, 0);
	PROP(8203) = 0x81;
	kicks[2] = 0;
	its_vdev_deliver(0x0000, TRANSLATER, 3);
	per_cpu_area[2].cpu_id = 2;
	per_cpu_area[2].cell = &a_cell;	/* any cell but the root */
	per_cpu_area[2].run_state = CPU_RUNNING;
	its_vdev_flush(&per_cpu_area[2]);
	CHECK("virtdev: a cell's CPU is neither kicked nor given a root LPI", !kicks[2] && !in_lr(2, 8203));
}

static void test_refusals(void)
{
	u64 before = hw_cmds();

	log_text[0] = 0;
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 4 | 8204ULL << 32, 0, 0);
	CHECK("virtdev: MAPTI beyond MAPD's events refused",
	      strstr(log_text, "command MAPTI at queue offset") && strstr(log_text, "EventID 0x4: beyond the virtual device's events"));
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 0 | 8204ULL << 32, CONFIG_WD_MAX_CPUS, 0);
	CHECK("virtdev: an ICID Warden does not follow refused",
	      strstr(log_text, "too high for a virtual device"));
	CMD(ITS_CMD_MAPI | (u64)VDEV0 << 32, 8204, 0, 0);
	CHECK("virtdev: MAPI (EventID = LPI) beyond the events refused", strstr(log_text, "EventID 0x200c: beyond"));
	CMD(ITS_CMD_MAPTI | (u64)VDEV1 << 32, 0 | 8210ULL << 32, 0, 0);
	CHECK("virtdev: MAPTI on the unmapped virtual device refused",
	      strstr(log_text, "DeviceID 0xff08: virtual device not mapped here"));
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 0 | 100ULL << 32, 0, 0);
	CHECK("virtdev: a pINTID below the LPIs refused by the checker first", strstr(log_text, "pINTID 0x64"));
	CHECK_EQ("virtdev: refused commands reach nothing", hw_cmds(), before);
	CHECK_EQ("virtdev: ... and changed nothing", vd.dev[0].ite[0].lpi, 8200);

	/* Foreign ids: the INTx device's id and a free one at that bus are the ITS's. */
	CMD(ITS_CMD_MAPD | 0xff10ULL << 32, 1, GITS_BASER_VALID | (RAM_WIN + 0x1200), 0);
	CMD(ITS_CMD_MAPD | 0xff18ULL << 32, 1, GITS_BASER_VALID | (RAM_WIN + 0x1300), 0);
	CHECK_EQ("virtdev: ids of no MSI-X ivshmem device go to the ITS", hw_cmds(), before + 2);
	CMD(ITS_CMD_MAPD | 0x1ff00ULL << 32, 1, GITS_BASER_VALID | (RAM_WIN + 0x1400), 0);
	CHECK("virtdev: an id beyond the ITS's refused by the checker", strstr(log_text, "DeviceID 0x1ff00"));
}

static void test_unmap(void)
{
	u64 before = hw_cmds();

	log_text[0] = 0;
	gicr_regs[0][0] = gicr_regs[1][0] = 0;
	its_vdev_deliver(0x0000, TRANSLATER, 0);
	CMD(ITS_CMD_MAPD | (u64)VDEV0 << 32, 0, 0, 0);
	gicr_regs[0][0] = gicr_regs[1][0] = 1;
	CHECK("virtdev: MAPD V=0 unmaps the device and drops its pending LPIs",
	      !vd.dev[0].its && !vd.dev[0].ite[0].lpi && !pending(0, 0, 0) && !pending(1, 0, 0));
	CHECK_EQ("virtdev: ... delivers nothing after", its_vdev_deliver(0x0000, TRANSLATER, 0), -ENOENT);
	CMD(ITS_CMD_INT | (u64)VDEV0 << 32, 0, 0, 0);
	CHECK("virtdev: commands on it refused until the next MAPD",
	      strstr(log_text, "DeviceID 0xff00: virtual device not mapped here"));
	CMD(ITS_CMD_MAPD | (u64)VDEV0 << 32, 0, GITS_BASER_VALID | (RAM_WIN + 0x1000), 0);
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 0 | 8200ULL << 32, 0, 0);
	CHECK_EQ("virtdev: mapped again (enable/disable cycle): delivered", its_vdev_deliver(0x0000, TRANSLATER, 0), 0);
	CHECK_EQ("virtdev: none of it reached the ITS", hw_cmds(), before);
	/* The root's queue and the property table's page, kept mapped. */
	CHECK_EQ("virtdev: no temporary mapping left behind", live_maps, 2);
	CHECK("virtdev: the property page is mapped once and kept", prop_map[0].phys == RAM_WIN + 0xc000 &&
	      !prop_map[1].phys);
}

/* A root CPU parked with a virtual device's LPI in a list register. */
static void test_requeue(void)
{
	per_cpu_area[0].run_state = per_cpu_area[1].run_state = CPU_RUNNING;
	gicr_regs[0][0] = gicr_regs[1][0] = 0;	/* keep them pending to look at */
	CMD(ITS_CMD_MAPTI | (u64)VDEV0 << 32, 1 | 8201ULL << 32, 0, 0);	/* ICID 0: CPU 0 */
	kicks[0] = 0;
	CHECK("virtdev: parking CPU 1 with LPI 8201 listed: pending at its collection's CPU 0",
	      its_vdev_requeue(&per_cpu_area[1], 8201) && pending(0, 0, 1) && kicks[0] == 1);
	CMD(ITS_CMD_CLEAR | (u64)VDEV0 << 32, 1, 0, 0);
	CHECK("virtdev: parking its own CPU 0: another running root CPU (1) takes it",
	      its_vdev_requeue(&per_cpu_area[0], 8201) && pending(1, 0, 1) && !pending(0, 0, 1));
	CMD(ITS_CMD_CLEAR | (u64)VDEV0 << 32, 1, 0, 0);
	CHECK("virtdev: an LPI no virtual device has is left to the general path",
	      !its_vdev_requeue(&per_cpu_area[0], 9000));
	per_cpu_area[1].run_state = CPU_PARKED;
	CHECK("virtdev: no other root CPU runs: left to the general path (logged there)",
	      !its_vdev_requeue(&per_cpu_area[0], 8201) && !pending(0, 0, 1) && !pending(1, 0, 1));
	per_cpu_area[1].run_state = CPU_RUNNING;
	gicr_regs[0][0] = gicr_regs[1][0] = 1;
}

/* A stream of random commands for the virtual ids: nothing crashes, nothing reaches the ITS. */
static void test_random(void)
{
	u64 before = hw_cmds();
	const unsigned int kinds[] = { ITS_CMD_MAPD, ITS_CMD_MAPTI, ITS_CMD_MAPI, ITS_CMD_MOVI,
				       ITS_CMD_DISCARD, ITS_CMD_INV, ITS_CMD_INT, ITS_CMD_CLEAR };
	unsigned int i;

	srand(15);
	for (i = 0; i < 20000; i++) {
		u64 c0 = kinds[rand() % 8] | (u64)(rand() & 1 ? VDEV0 : VDEV1) << 32;
		u64 c1 = (u64)(rand() % 40) | (u64)(8192 + rand() % 64) << 32;
		u64 c2 = (rand() % 5) | (rand() % 4 ? GITS_BASER_VALID | (RAM_WIN + 0x1000) : 0);

		if ((c0 & 0xff) == ITS_CMD_MAPD)
			c1 = rand() % 5;
		CMD(c0, c1, c2, 0);
		its_vdev_deliver(rand() % 2 ? 0x0000 : 0x0008, TRANSLATER, rand() % 20);
		flush(rand() % 2);
		memset(lrs, 0, sizeof(lrs));
	}
	CHECK_EQ("virtdev: 20000 random commands: none reached the ITS", hw_cmds(), before);
	CHECK("virtdev: ... and every mapped LPI is one of the commands'",
	      vd.dev[0].ite[0].lpi == 0 || (vd.dev[0].ite[0].lpi >= 8192 && vd.dev[0].ite[0].lpi < 8256));
	CHECK_EQ("virtdev: ... no temporary mapping left behind", live_maps, 2);
}

int main(void)
{
	unsigned int cpu;

	setup();
	for (cpu = 0; cpu < CONFIG_WD_MAX_CPUS; cpu++)
		per_cpu_area[cpu].cpu_id = cpu;
	test_map_and_deliver();
	test_other_commands();
	test_refusals();
	test_unmap();
	test_requeue();
	test_random();
	if (getenv("ITS_LOG"))
		fputs(log_text, stdout);
	return check_failures ? 1 : 0;
}
