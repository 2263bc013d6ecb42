/*
 * Host unit tests of the root's emulated ITS registers and the cell checks
 * (hypervisor/arch/arm64/gicv3-its.c) on a fake machine: widths and
 * alignment first, TYPER without GICv4, CBASER/BASER only while disabled and
 * only into RAM the root alone owns (BASER's layout fields read-only),
 * CWRITER forwarding checked and re-encoded commands to the hypervisor's
 * queue while refused ones are skipped, the root's queue mapped once per
 * CBASER, the light-exit CREADR read (gicv3-its-fast.c) against the
 * general path, the redistributors' LPI tables, and
 * the refusal of a cell over the ITS frame, an ITT or a root ITS table.
 *
 * The fake ITS: a register array; it "executes" the hypervisor's queue when
 * the hypervisor polls the clock (CREADR := CWRITER). Root RAM
 * 0x40000000-0x7fbfffff of which 0x7e000000-0x7e00ffff is backed here (the
 * root's queue and tables), hypervisor 0x7fc00000-0x7fffffff, a UART at
 * 0x09000000, the ITS at 0x08080000; CPUs 0-1 the root's, 2 a cell's.
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
/* No virtual ivshmem device here: tests/unit/test-its-virtdev.c. */
#include "../../hypervisor/arch/arm64/gicv3-its-virtdev.c"
#include "../../hypervisor/arch/arm64/gicv3-its-hvcmd.c"

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
} __attribute__((packed)) sys_blob;

static struct {
	struct wd_cell_desc d;
	__u8 cpus[8];
	struct wd_mem_region m[2];
} __attribute__((packed)) cell_blob;

static u64 reg64(unsigned int off) { u64 v; memcpy(&v, its_regs + off, 8); return v; }
static void set64(unsigned int off, u64 v) { memcpy(its_regs + off, &v, 8); }

static unsigned int cur_cpu;
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
bool gicv3_vlpi_insert(struct per_cpu *pc, unsigned int intid, u8 prio) { return false; }
void gicv3_vlpi_underflow(struct per_cpu *pc) { }
void gicv3_send_event(struct per_cpu *target) { }

/* The takeover, as gicv3-its-handover.c leaves it: a flat device table of 256 entries. */
int its_take(struct its *its)
{
	its->typer = reg64(GITS_TYPER);
	its->cbaser = GITS_CBASER_VALID | RAM_WIN;	/* Linux's queue: one page */
	its->t[0].root = its->t[0].hw = GITS_BASER_VALID | 1ULL << 56 | 7ULL << 48 |
					 (RAM_WIN + 0x8000);
	its->t[0].hv = (u64 *)hv_queue;			/* any memory: never read here */
	its->t[0].hv_size = 0x800;
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
	}
	/* Physical, Virtual, ITT entry 8 bytes, 16 event bits, 16 device bits, SEIS. */
	set64(GITS_TYPER, 1 | 2 | 7 << 4 | 15 << 8 | 15ULL << 13 | 1ULL << 18);
	memcpy(its_regs + 0xffe8, "\x3b\0\0\0", 4);
	its_units[0].phys = ITS_PHYS;
	its_units[0].regs = its_regs;
	num_its = 1;
	its_take(&its_units[0]);
}

static void test_widths(void)
{
	u64 v = 0;

	CHECK_EQ("its: 8-byte access to CTLR refused", acc(GITS_CTLR, 8, false, &v), MMIO_ERROR);
	CHECK_EQ("its: 2-byte access to CBASER refused", acc(GITS_CBASER, 2, false, &v), MMIO_ERROR);
	CHECK_EQ("its: 1-byte write to CWRITER refused", acc(GITS_CWRITER, 1, true, &v), MMIO_ERROR);
	CHECK_EQ("its: 8-byte access to PIDR2 refused", acc(0xffe8, 8, false, &v), MMIO_ERROR);
	CHECK_EQ("its: PIDR2 reads as the hardware's", (acc(0xffe8, 4, false, &v), v), 0x3b);
	v = 0x1234;
	CHECK_EQ("its: a reserved offset reads as zero", (acc(0x200, 4, false, &v), v), 0);
	CHECK_EQ("its: TYPER without Virtual and SEIS", (acc(GITS_TYPER, 8, false, &v), v),
		 1 | 7 << 4 | 15 << 8 | 15ULL << 13);
	CHECK_EQ("its: TYPER high half", (acc(GITS_TYPER + 4, 4, false, &v), v), 0);
	CHECK_EQ("its: CTLR enabled and quiescent", (acc(GITS_CTLR, 4, false, &v), v),
		 GITS_CTLR_ENABLED | GITS_CTLR_QUIESCENT);
}

static void test_tables(void)
{
	u64 v, before = its_units[0].t[0].root;

	v = GITS_BASER_VALID | 1ULL << 56 | HV;
	acc(GITS_BASER(0), 8, true, &v);
	CHECK_EQ("its: BASER0 write while enabled ignored", its_units[0].t[0].root, before);
	v = 0;
	acc(GITS_CTLR, 4, true, &v);
	v = GITS_BASER_VALID | 1ULL << 56 | HV;
	acc(GITS_BASER(0), 8, true, &v);
	CHECK_EQ("its: BASER0 into hypervisor memory refused", its_units[0].t[0].root, before);
	CHECK("its: ... and logged", strstr(log_text, "GITS_BASER0 0x") &&
	      strstr(log_text, "device table 0x7fc00000-"));
	v = GITS_BASER_VALID | 4ULL << 56 | 0x1fULL << 48 | GITS_BASER_INDIRECT | 0x60000000 | 1;
	acc(GITS_BASER(0), 8, true, &v);
	CHECK_EQ("its: BASER0 in root RAM accepted, Type/Entry_Size/Indirect kept",
		 its_units[0].t[0].root, GITS_BASER_VALID | 1ULL << 56 | 7ULL << 48 | 0x60000000 | 1);
	v = HV;
	acc(GITS_BASER(0), 4, true, &v);
	CHECK_EQ("its: a low half into hypervisor memory refused",
		 its_units[0].t[0].root & GENMASK_ULL(47, 12), 0x60000000);
	v = GITS_CBASER_VALID | HV;
	acc(GITS_CBASER, 8, true, &v);
	CHECK_EQ("its: CBASER into hypervisor memory refused", its_units[0].cbaser,
		 GITS_CBASER_VALID | RAM_WIN);
	v = GITS_CBASER_VALID | 0x09000000;
	acc(GITS_CBASER, 8, true, &v);
	CHECK_EQ("its: CBASER on the UART refused", its_units[0].cbaser, GITS_CBASER_VALID | RAM_WIN);
	v = GITS_CBASER_VALID | 0x3fff0000;
	acc(GITS_CBASER, 8, true, &v);
	CHECK_EQ("its: CBASER outside every region refused", its_units[0].cbaser,
		 GITS_CBASER_VALID | RAM_WIN);
	v = 0x40;
	acc(GITS_CREADR, 8, true, &v);
	CHECK_EQ("its: CREADR writable while disabled", its_units[0].creadr, 0x40);
	v = GITS_CBASER_VALID | RAM_WIN;
	acc(GITS_CBASER, 8, true, &v);
	CHECK_EQ("its: CBASER in root RAM accepted, CREADR reset", its_units[0].creadr, 0);
	v = GITS_CTLR_ENABLED;
	acc(GITS_CTLR, 4, true, &v);
	v = 0x40;
	acc(GITS_CREADR, 8, true, &v);
	CHECK_EQ("its: CREADR read-only while enabled", its_units[0].creadr, 0);
}

static void test_commands(void)
{
	u64 v;

	log_text[0] = 0;
	put_cmd(0, ITS_CMD_MAPD | 8ULL << 32, 3, GITS_BASER_VALID | HV, 0);	/* refused */
	put_cmd(1, ITS_CMD_MAPD | 9ULL << 32 | 0xff00, 3 | 0xffffff00ULL,
		GITS_BASER_VALID | (RAM_WIN + 0x1000), ~0ULL);			/* forwarded */
	put_cmd(2, ITS_CMD_MAPC, 0, GITS_BASER_VALID | 2ULL << 16 | 1, 0);	/* cell CPU */
	put_cmd(3, ITS_CMD_VMAPP, 0, 0, 0);
	put_cmd(4, ITS_CMD_SYNC, 0, 1ULL << 16, 0);				/* forwarded */
	v = 5 * 32;
	CHECK_EQ("its: CWRITER write handled", acc(GITS_CWRITER, 8, true, &v), MMIO_HANDLED);
	CHECK_EQ("its: CREADR at CWRITER after the call", (acc(GITS_CREADR, 8, false, &v), v), 5 * 32);
	CHECK_EQ("its: two commands reached the ITS", reg64(GITS_CWRITER), 2 * 32);
	CHECK("its: the MAPD re-encoded (reserved bits gone)",
	      hv_queue[0] == (ITS_CMD_MAPD | 9ULL << 32) && hv_queue[1] == 3 &&
	      hv_queue[2] == (GITS_BASER_VALID | (RAM_WIN + 0x1000)) && hv_queue[3] == 0);
	CHECK("its: then the SYNC", hv_queue[4] == ITS_CMD_SYNC && hv_queue[6] == 1ULL << 16);
	CHECK("its: MAPD refusal logged with its address",
	      strstr(log_text, "root command MAPD at queue offset 0x0 refused: ITT_addr 0x7fc00000"));
	CHECK("its: MAPC refusal logged", strstr(log_text, "command MAPC at queue offset 0x40 refused: RDbase 0x2"));
	CHECK("its: VMAPP refusal logged", strstr(log_text, "command VMAPP at queue offset 0x60 refused"));
	put_cmd(5, ITS_CMD_MAPTI | 9ULL << 32, 16 | 8200ULL << 32, 0, 0);	/* event 16 of 16 */
	put_cmd(6, ITS_CMD_MAPTI | 9ULL << 32, 15 | 8200ULL << 32, 0, 0);
	v = 7 * 32;
	acc(GITS_CWRITER, 8, true, &v);
	CHECK("its: an event beyond the device's MAPD size refused",
	      strstr(log_text, "command MAPTI at queue offset 0xa0 refused: EventID 0x10"));
	CHECK_EQ("its: the last event of the device forwarded", reg64(GITS_CWRITER), 3 * 32);
	v = 0x2000;
	acc(GITS_CWRITER, 8, true, &v);
	CHECK("its: CWRITER beyond the queue ignored", strstr(log_text, "GITS_CWRITER 0x2000 ignored"));
	CHECK_EQ("its: ... CREADR stays", its_units[0].creadr, 7 * 32);
}

/* The root's queue is mapped once per CBASER, and devices stay tracked when others go. */
static void test_queue_and_devices(void)
{
	struct its *its = &its_units[0];
	u64 v, q = RAM_WIN + 0x4000, sent;

	CHECK_EQ("its: the root's queue mapped once", live_maps, 1);
	CHECK("its: ... where CBASER points", its->rq == (u64 *)ram_win && its->rq_size == 0x1000);
	v = 0;
	acc(GITS_CTLR, 4, true, &v);
	v = GITS_CBASER_VALID | HV;
	acc(GITS_CBASER, 8, true, &v);
	CHECK("its: a refused CBASER keeps the mapping", its->rq == (u64 *)ram_win && live_maps == 1);
	v = GITS_CBASER_VALID | q | 1;				/* two pages */
	acc(GITS_CBASER, 8, true, &v);
	CHECK("its: an accepted CBASER replaces the mapping",
	      its->rq == (u64 *)(ram_win + 0x4000) && its->rq_size == 0x2000 && live_maps == 1);
	v = GITS_CTLR_ENABLED;
	acc(GITS_CTLR, 4, true, &v);
	sent = reg64(GITS_CWRITER);
	/* Devices 20, 21, 22 mapped, 21 unmapped, then events beyond 20's and 22's 4 bits. */
	put_cmd(0x200 + 0, ITS_CMD_MAPD | 20ULL << 32, 3, GITS_BASER_VALID | (RAM_WIN + 0x2000), 0);
	put_cmd(0x200 + 1, ITS_CMD_MAPD | 21ULL << 32, 3, GITS_BASER_VALID | (RAM_WIN + 0x2100), 0);
	put_cmd(0x200 + 2, ITS_CMD_MAPD | 22ULL << 32, 3, GITS_BASER_VALID | (RAM_WIN + 0x2200), 0);
	put_cmd(0x200 + 3, ITS_CMD_MAPD | 21ULL << 32, 0, 0, 0);
	put_cmd(0x200 + 4, ITS_CMD_CLEAR | 20ULL << 32, 16, 0, 0);
	put_cmd(0x200 + 5, ITS_CMD_CLEAR | 22ULL << 32, 16, 0, 0);
	put_cmd(0x200 + 6, ITS_CMD_CLEAR | 21ULL << 32, 16, 0, 0);	/* untracked: ITS's bits */
	put_cmd(0x200 + 7, ITS_CMD_CLEAR | 22ULL << 32, 15, 0, 0);
	log_text[0] = 0;
	v = 8 * 32;
	acc(GITS_CWRITER, 8, true, &v);
	CHECK("its: commands read from the new queue; device 20 still tracked",
	      strstr(log_text, "command CLEAR at queue offset 0x80 refused: EventID 0x10"));
	CHECK("its: ... and device 22 (moved into 21's place)",
	      strstr(log_text, "command CLEAR at queue offset 0xa0 refused: EventID 0x10"));
	CHECK_EQ("its: the other six forwarded", (reg64(GITS_CWRITER) - sent) / 32, 6);
	CHECK_EQ("its: three devices tracked", its->ndev, 3);
	v = 0;
	acc(GITS_CTLR, 4, true, &v);
	acc(GITS_CBASER, 8, true, &v);
	CHECK("its: an invalid CBASER drops the mapping", !its->rq && live_maps == 0);
	v = GITS_CBASER_VALID | RAM_WIN;
	acc(GITS_CBASER, 8, true, &v);
	v = GITS_CTLR_ENABLED;
	acc(GITS_CTLR, 4, true, &v);
}

static unsigned int cpu_i;

#define ESR_LOAD(sas, rt)	((1UL << 24) | (u64)(sas) << 22 | (u64)(rt) << 16)

/* The light-exit CREADR read gives what its_access gives, or declines. */
static void test_creadr_fast(void)
{
	struct its *its = &its_units[0];
	u64 x[32], v, saved = its->creadr;

	for (cpu_i = 0; cpu_i < 3; cpu_i++)
		per_cpu_area[cpu_i].cell = cpu_i < 2 ? &root_cell : NULL;
	its->creadr = 0xfe0;
	memset(x, 0x55, sizeof(x));
	cur_cpu = 1;
	CHECK("its-fast: 64-bit CREADR load done", its_creadr_fast(ESR_LOAD(3, 5) | (1UL << 15),
								     ITS_PHYS + GITS_CREADR, x));
	CHECK_EQ("its-fast: ... the general path's value", x[5], (acc(GITS_CREADR, 8, false, &v), v));
	CHECK("its-fast: 32-bit low half into Wn", its_creadr_fast(ESR_LOAD(2, 7), ITS_PHYS + GITS_CREADR, x) &&
	      x[7] == 0xfe0);
	its->creadr = 0x8000000000001000ULL;	/* not a real position: shows the halves */
	CHECK("its-fast: 32-bit high half", its_creadr_fast(ESR_LOAD(2, 7), ITS_PHYS + GITS_CREADR + 4, x) &&
	      x[7] == (acc(GITS_CREADR + 4, 4, false, &v), v) && x[7] == 0x80000000);
	CHECK("its-fast: LDRSW sign-extends as the general path would",
	      its_creadr_fast(ESR_LOAD(2, 8) | (1UL << 21) | (1UL << 15), ITS_PHYS + GITS_CREADR + 4, x) &&
	      x[8] == 0xffffffff80000000ULL);
	its->creadr = 0xfe0;
	x[9] = 1;
	CHECK("its-fast: into xzr: done, nothing written", its_creadr_fast(ESR_LOAD(3, 31), ITS_PHYS + GITS_CREADR, x) &&
	      x[9] == 1);
	CHECK("its-fast: a 64-bit load at CREADR + 4 declined (the general path refuses it)",
	      !its_creadr_fast(ESR_LOAD(3, 5), ITS_PHYS + GITS_CREADR + 4, x));
	CHECK("its-fast: a 16-bit load declined", !its_creadr_fast(ESR_LOAD(1, 5), ITS_PHYS + GITS_CREADR, x));
	CHECK("its-fast: a store declined",
	      !its_creadr_fast(ESR_LOAD(2, 5) | (1UL << 6), ITS_PHYS + GITS_CREADR, x));
	CHECK("its-fast: CWRITER declined", !its_creadr_fast(ESR_LOAD(3, 5), ITS_PHYS + GITS_CWRITER, x));
	CHECK("its-fast: another device declined", !its_creadr_fast(ESR_LOAD(3, 5), 0x09000000 + GITS_CREADR, x));
	CHECK("its-fast: an unsyndromed abort declined", !its_creadr_fast(3UL << 22, ITS_PHYS + GITS_CREADR, x));
	cur_cpu = 2;
	CHECK("its-fast: a cell's CPU declined", !its_creadr_fast(ESR_LOAD(3, 5), ITS_PHYS + GITS_CREADR, x));
	cur_cpu = 0;
	its->taken = false;
	CHECK("its-fast: not taken over: reads as zero, as the general path",
	      its_creadr_fast(ESR_LOAD(3, 5), ITS_PHYS + GITS_CREADR, x) && x[5] == 0 &&
	      (acc(GITS_CREADR, 8, false, &v), v) == 0);
	its->taken = true;
	its->creadr = saved;
}

static void test_gicr_and_cells(void)
{
	struct wd_cell_desc *c = &cell_blob.d;

	CHECK("gicr: PROPBASER in root RAM allowed",
	      its_gicr_write_allowed(gicr_regs[0], GICR_PROPBASER, 8, 0x60000000 | 15));
	CHECK("gicr: PROPBASER in hypervisor memory refused",
	      !its_gicr_write_allowed(gicr_regs[0], GICR_PROPBASER, 8, HV | 15));
	memcpy(gicr_regs[0] + GICR_PROPBASER, &(u64){ 0x60000000 | 15 }, 8);
	CHECK("gicr: PENDBASER low half into hypervisor memory refused",
	      !its_gicr_write_allowed(gicr_regs[0], GICR_PENDBASER, 4, HV + 0x10000));
	memcpy(gicr_regs[0] + GICR_PROPBASER, &(u64){ 0 }, 8);
	/* With too few IDbits for LPIs there is no pending table yet ... */
	CHECK("gicr: PENDBASER without LPI IDbits: no table, allowed",
	      its_gicr_write_allowed(gicr_regs[0], GICR_PENDBASER, 8, HV));
	memcpy(gicr_regs[0] + GICR_PENDBASER, &(u64){ HV }, 8);
	CHECK("gicr: PROPBASER while LPIs are off: its own table checked",
	      its_gicr_write_allowed(gicr_regs[0], GICR_PROPBASER, 8, 0x60000000 | 15));
	memcpy(gicr_regs[0] + GICR_PROPBASER, &(u64){ 0x60000000 | 15 }, 8);
	/* ... switching LPIs on with the pending table in hypervisor memory: refused. */
	CHECK("gicr: EnableLPIs with a pending table in hypervisor memory refused",
	      !its_gicr_write_allowed(gicr_regs[0], 0x0, 4, 1));
	CHECK("gicr: ... logged as the pending table",
	      strstr(log_text, "GICR_CTLR.EnableLPIs 0x1 refused: LPI table 0x7fc00000-0x7fc01fff"));
	CHECK("gicr: switching LPIs off is always allowed", its_gicr_write_allowed(gicr_regs[0], 0x0, 4, 0));
	memcpy(gicr_regs[0] + GICR_PENDBASER, &(u64){ 0x60100000 }, 8);
	CHECK("gicr: EnableLPIs with both tables in root RAM allowed",
	      its_gicr_write_allowed(gicr_regs[0], 0x0, 4, 1));
	/* LPIs on: a PROPBASER that grows the pending table into a cell's RAM ... */
	gicr_regs[0][0] = 1;
	memcpy(gicr_regs[0] + GICR_PROPBASER, &(u64){ 0x60000000 | 12 }, 8);
	memcpy(gicr_regs[0] + GICR_PENDBASER, &(u64){ 0x3fff0000 }, 8);
	CHECK("gicr: LPIs on, PROPBASER growing the pending table out of root RAM refused",
	      !its_gicr_write_allowed(gicr_regs[0], GICR_PROPBASER, 8, 0x60000000 | 15));
	gicr_regs[0][0] = 0;

	strcpy(c->name, "thief");
	c->cpu_set_size = 8;
	c->num_memory_regions = 1;
	cell_blob.m[0] = (struct wd_mem_region){ ITS_PHYS + 0x10000, 0, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	CHECK_EQ("cell: mapping the ITS's translation frame refused", its_cell_check(c), -EBUSY);
	CHECK("cell: ... naming the ITS", strstr(last_reason, "maps the GIC ITS at 0x8080000"));
	cell_blob.m[0] = (struct wd_mem_region){ RAM_WIN + 0x1000, 0, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE };
	CHECK_EQ("cell: RAM holding an ITT refused", its_cell_check(c), -EBUSY);
	CHECK("cell: ... naming the device and the ITT",
	      strstr(last_reason, "ITT of device 0x9 at 0x7e001000-0x7e00107f"));
	cell_blob.m[0] = (struct wd_mem_region){ RAM_WIN, 0, 0x1000, WD_MEM_READ | WD_MEM_WRITE };
	CHECK_EQ("cell: RAM holding the root's command queue refused", its_cell_check(c), -EBUSY);
	CHECK("cell: ... naming the queue", strstr(last_reason, "ITS command queue at 0x7e000000-0x7e000fff"));
	cell_blob.m[0] = (struct wd_mem_region){ 0x60000000, 0, 0x1000, WD_MEM_READ | WD_MEM_WRITE };
	CHECK_EQ("cell: RAM holding the root's device table refused", its_cell_check(c), -EBUSY);
	CHECK("cell: ... naming the table", strstr(last_reason, "device table at 0x60000000"));
	cell_blob.m[0] = (struct wd_mem_region){ 0x61000000, 0, 0x1000, WD_MEM_READ | WD_MEM_WRITE };
	CHECK_EQ("cell: other RAM accepted", its_cell_check(c), 0);
	memcpy(gicr_regs[1] + GICR_PROPBASER, &(u64){ 0x61000000 | 15 }, 8);
	CHECK_EQ("cell: RAM holding CPU 1's LPI property table refused", its_cell_check(c), -EBUSY);
	CHECK("cell: ... naming the table and CPU", strstr(last_reason, "LPI property table of CPU 0x1"));
}

/* A cell's physical function's device id is no device of the root's while the cell exists. */
static void test_cell_device(void)
{
	struct its *its = &its_units[0];
	struct vpci_phys *phys = calloc(1, sizeof(*phys) + sizeof(phys->fn[0]));
	struct vpci *vpci = calloc(1, sizeof(*vpci));
	struct cell cell = { 0 };
	unsigned int slot = its->creadr / 32;
	u64 v, sent = reg64(GITS_CWRITER);

	phys->num = 1;
	phys->fn[0].has_devid = true;
	phys->fn[0].devid = 0x30;
	vpci->phys = phys;
	cell.vpci = vpci;
	root_cell.next = &cell;
	log_text[0] = 0;
	put_cmd(slot, ITS_CMD_MAPD | 0x30ULL << 32, 3, GITS_BASER_VALID | (RAM_WIN + 0x1000), 0);
	put_cmd(slot + 1, ITS_CMD_INT | 0x30ULL << 32, 0, 0, 0);
	put_cmd(slot + 2, ITS_CMD_INT | 0x31ULL << 32, 0, 0, 0);
	v = (slot + 3) * 32;
	acc(GITS_CWRITER, 8, true, &v);
	CHECK("its: a cell's function's MAPD from the root refused, logged",
	      strstr(log_text, "refused: DeviceID 0x30: a cell's PCI function holds it"));
	CHECK("its: ... its INT too", strstr(log_text, "root command INT at queue offset") &&
	      !strstr(log_text, "DeviceID 0x31"));
	CHECK_EQ("its: only the other device's INT reached the ITS", reg64(GITS_CWRITER), sent + 32);
	CHECK_EQ("its: ... that one", hv_queue[sent / 8], ITS_CMD_INT | 0x31ULL << 32);

	/* The cell gone (or the function without a device id): the root's again. */
	phys->fn[0].has_devid = false;
	put_cmd(slot + 3, ITS_CMD_INT | 0x30ULL << 32, 0, 0, 0);
	v = (slot + 4) * 32;
	acc(GITS_CWRITER, 8, true, &v);
	CHECK_EQ("its: a function without a device id holds none", reg64(GITS_CWRITER), sent + 64);
	root_cell.next = NULL;
	put_cmd(slot + 4, ITS_CMD_INT | 0x30ULL << 32, 0, 0, 0);
	v = (slot + 5) * 32;
	acc(GITS_CWRITER, 8, true, &v);
	CHECK_EQ("its: no cell: the device id is the root's", reg64(GITS_CWRITER), sent + 96);
	free(vpci);
	free(phys);
}

/* The hypervisor's own commands (for cells' MSIs) share the queue with the root's. */
static void test_hv_commands(void)
{
	struct its *its = &its_units[0];
	unsigned int slot = its->creadr / 32;
	u64 c[2][4], sent = reg64(GITS_CWRITER), v;

	its_enc_mapd(c[0], 0x40, HV + 0x1000, 1, true);
	its_enc_sync(c[1], 2);
	CHECK_EQ("hv: the hypervisor's commands sent", its_hv_send(its, (const u64 (*)[4])c, 2, "MAPD"), 0);
	CHECK_EQ("hv: ... into the hypervisor's queue, the ITS waited for", reg64(GITS_CWRITER), sent + 64);
	CHECK("hv: ... as encoded (its ITT in hypervisor memory: no root check applies)",
	      !memcmp(&hv_queue[sent / 8], c, 64));
	CHECK_EQ("hv: the root's CREADR did not move", its->creadr, slot * 32);
	CHECK("hv: the lock is free again", its->lock.owner == its->lock.next);
	put_cmd(slot, ITS_CMD_INT | 0x31ULL << 32, 0, 0, 0);
	v = (slot + 1) * 32;
	acc(GITS_CWRITER, 8, true, &v);
	CHECK_EQ("hv: the root's next command goes after them", reg64(GITS_CWRITER), sent + 96);
	CHECK_EQ("hv: ... that one", hv_queue[(sent + 64) / 8], ITS_CMD_INT | 0x31ULL << 32);
	CHECK_EQ("hv: a flat device table has room for any id", its_table_room(its, GITS_BASER_TYPE_DEVICE, 200), 0);
	CHECK_EQ("hv: ... a flat collection table too", its_table_room(its, GITS_BASER_TYPE_COLL, 500), 0);
	its->taken = false;
	CHECK_EQ("hv: an ITS given back takes none", its_hv_send(its, (const u64 (*)[4])c, 2, "MAPD"), -ENODEV);
	its->taken = true;
	CHECK_EQ("hv: ... nothing queued", reg64(GITS_CWRITER), sent + 96);
}

/* What set_limits() keeps for cells' MSIs on this ITS (16-bit INTIDs). */
static void test_cell_reservations(void)
{
	struct its_limits *l = &its_units[0].lim;
	struct its_limits saved = *l;

	printf("# collections %u, LPI bits %u\n", l->num_collections, l->lpi_bits);
	CHECK_EQ("its: 256 pLPIs at the top kept for cells", l->cell_lpis, 256);
	CHECK_EQ("its: one ICID per CPU slot kept for cells", l->cell_icids, CONFIG_WD_MAX_CPUS);
	gicd_regs[GICD_TYPER + 2] = 12 << 3;		/* IDbits 12: no LPI room */
	set_limits(&its_units[0]);
	CHECK_EQ("its: 13-bit INTIDs: no pLPIs kept", l->cell_lpis, 0);
	gicd_regs[GICD_TYPER + 2] = 15 << 3;
	*l = saved;
}

int main(void)
{
	setup();
	test_widths();
	test_tables();
	test_commands();
	test_queue_and_devices();
	test_creadr_fast();
	test_gicr_and_cells();
	test_cell_device();
	test_hv_commands();
	test_cell_reservations();
	if (getenv("ITS_LOG"))
		fputs(log_text, stdout);
	return check_failures ? 1 : 0;
}
