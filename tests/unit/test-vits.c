/*
 * Host unit tests of a cell's virtual ITS and its virtual LPIs
 * (hypervisor/arch/arm64/vits.c) on a fake machine: who gets a vITS, the
 * registers and their widths, every command with good and bad fields, the
 * queue's wrap and bound, CBASER and PROPBASER outside the cell's RAM,
 * translation through vits_deliver, more pending vLPIs than list registers,
 * kicks to other CPUs, and the reset when the CPUs go and the cell is
 * destroyed; then a stream of random commands.
 *
 * The fake machine: CPUs 0-1 the root's, 2-3 the cell's; each CPU's
 * redistributor reports Processor_Number = its id. The cell's RAM is
 * guest-physical 0x100000-0x13ffff, backed by ram_win at physical
 * 0x7e000000; it also has a comm region and an I/O region, which are no RAM
 * for the vITS. Its PCI devices are BDF 0x0008 and 0x0010. The fake list
 * registers: four per CPU.
 */
#include <stdarg.h>
#include <stdlib.h>
#include "check.h"
#include <wd/percpu.h>
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/pool.h>
#include "../../hypervisor/arch/arm64/gicv3-its-cmd.c"
#include "../../hypervisor/arch/arm64/vits.c"

#define ITS_PHYS	0x08080000ULL
#define RAM_PHYS	0x7e000000ULL
#define RAM_IPA		0x100000ULL
#define RAM_SIZE	0x40000ULL
#define QUEUE		(RAM_IPA + 0x0)		/* up to 8 pages */
#define PROP		(RAM_IPA + 0x10000)	/* 64 KiB - 8 KiB property table */
#define DEV_A		0x0008
#define DEV_B		0x0010
#define NUM_LRS		4

struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct cell root_cell;
struct its its_units[MAX_ITS];
unsigned int num_its;

static u8 ram_win[RAM_SIZE] __attribute__((aligned(4096)));
static u8 gicr_regs[4][0x100] __attribute__((aligned(8)));
static char log_text[65536];
static unsigned int cur_cpu = 2;
static long pages_out;
static unsigned int regions_registered;

/* Fake list registers: vINTID | prio << 16, 0 free. */
static u32 lrs[CONFIG_WD_MAX_CPUS][NUM_LRS];
static bool underflow[CONFIG_WD_MAX_CPUS];
static unsigned int kicks[CONFIG_WD_MAX_CPUS];
static bool kick_outside_cell;

static struct {
	struct wd_cell_desc d;
	__u8 cpus[1];
	struct wd_mem_region m[3];
	struct wd_pci_device pci[2];
} __attribute__((packed)) cell_blob;

static struct cell cell;

struct per_cpu *this_cpu(void) { return &per_cpu_area[cur_cpu]; }

void printk(const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(log_text);

	va_start(ap, fmt);
	if (n < sizeof(log_text) - 400)
		vsnprintf(log_text + n, sizeof(log_text) - n, fmt, ap);
	va_end(ap);
}

void *arch_map_temp(u64 phys, u64 size)
{
	if (phys < RAM_PHYS || phys + size > RAM_PHYS + sizeof(ram_win))
		return NULL;
	return ram_win + (phys - RAM_PHYS);
}
void arch_unmap_temp(void *virt, u64 size) { }

void *page_alloc(u64 num)
{
	void *p = aligned_alloc(PAGE_SIZE, num * PAGE_SIZE);

	memset(p, 0, num * PAGE_SIZE);
	pages_out += num;
	return p;
}

void page_free(void *page, u64 num)
{
	pages_out -= num;
	free(page);
}

int mmio_region_register(struct mmio_regions *regs, u64 start, u64 size,
			 mmio_handler handler, void *arg)
{
	regions_registered++;
	return start == ITS_PHYS && size == GITS_MIN_SIZE ? 0 : -EINVAL;
}
void mmio_region_unregister(struct mmio_regions *regs, u64 start) { regions_registered--; }

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

void gicv3_send_event(struct per_cpu *target)
{
	kicks[target->cpu_id]++;
	if (!cell_has_cpu(&cell, target->cpu_id))
		kick_outside_cell = true;
}

/* ---- helpers ---- */

static enum mmio_result acc(u64 off, unsigned int size, bool write, u64 *v)
{
	struct mmio_access a = { .address = off, .size = size, .is_write = write,
				 .value = write ? *v : 0 };
	enum mmio_result r = vits_access(cell.vits, &a);

	if (!write)
		*v = a.value;
	return r;
}

static u64 rd64(u64 off) { u64 v = 0; acc(off, 8, false, &v); return v; }
static void wr64(u64 off, u64 v) { acc(off, 8, true, &v); }
static void wr32(u64 off, u64 v) { acc(off, 4, true, &v); }
static u64 rd32(u64 off) { u64 v = 0; acc(off, 4, false, &v); return v; }

static enum mmio_result gicr(unsigned int cpu, u64 off, unsigned int size, bool write, u64 *v)
{
	struct mmio_access a = { .address = off, .size = size, .is_write = write,
				 .value = write ? *v : 0 };
	enum mmio_result r = vits_gicr_access(&cell, cpu, off, &a);

	if (!write)
		*v = a.value;
	return r;
}

static void gicr_w(unsigned int cpu, u64 off, u64 v) { gicr(cpu, off, 8 - 4 * (off == 0), true, &v); }
static u64 gicr_r(unsigned int cpu, u64 off) { u64 v; gicr(cpu, off, 8 - 4 * (off == 0), false, &v); return v; }

static unsigned int slot;		/* next command slot */
static unsigned int qslots = 128;	/* CBASER: one page */

/* Queue one command and move CWRITER past it. */
static void cmd(u64 a, u64 b, u64 c, u64 d)
{
	u64 dw[4] = { a, b, c, d };

	memcpy(ram_win + (QUEUE - RAM_IPA) + slot * 32, dw, 32);
	slot = (slot + 1) % qslots;
	wr64(GITS_CWRITER, (u64)slot * 32);
}

#define MAPD(dev, size, v)	cmd(ITS_CMD_MAPD | (u64)(dev) << 32, (size), (u64)(v) << 63 | 0x120000, 0)
#define MAPC(icid, rd, v)	cmd(ITS_CMD_MAPC, 0, (u64)(v) << 63 | (u64)(rd) << 16 | (icid), 0)
#define MAPTI(dev, ev, lpi, icid) cmd(ITS_CMD_MAPTI | (u64)(dev) << 32, (ev) | (u64)(lpi) << 32, (icid), 0)
#define MAPI(dev, ev, icid)	cmd(ITS_CMD_MAPI | (u64)(dev) << 32, (ev), (icid), 0)
#define DEVCMD(c, dev, ev)	cmd((c) | (u64)(dev) << 32, (ev), 0, 0)
#define MOVI(dev, ev, icid)	cmd(ITS_CMD_MOVI | (u64)(dev) << 32, (ev), (icid), 0)

static bool pending(unsigned int cpu, u32 lpi)
{
	struct vits_vcpu *vc = vcpu_of(cell.vits, cpu);
	u32 off = lpi - 8192;

	return vc && (vc->pending[off / 64] >> (off % 64)) & 1;
}

static bool in_lr(unsigned int cpu, u32 lpi)
{
	unsigned int n;

	for (n = 0; n < NUM_LRS; n++)
		if ((lrs[cpu][n] & 0xffff) == lpi)
			return true;
	return false;
}

static void prop(u32 lpi, u8 cfg) { ram_win[(PROP - RAM_IPA) + lpi - 8192] = cfg; }

static void enable_lpis(unsigned int cpu)
{
	gicr_w(cpu, GICR_PROPBASER, PROP | 15);		/* 16 ID bits */
	gicr_w(cpu, GICR_PENDBASER, RAM_IPA + 0x30000);
	gicr_w(cpu, 0, 1);
}

static void make_cell(unsigned int num_pci)
{
	memset(&cell_blob, 0, sizeof(cell_blob));
	strcpy(cell_blob.d.name, "vits-test");
	cell_blob.d.cpu_set_size = 1;
	cell_blob.cpus[0] = 0xc;		/* CPUs 2, 3 */
	cell_blob.d.num_memory_regions = 3;
	cell_blob.m[0] = (struct wd_mem_region){ RAM_PHYS, RAM_IPA, RAM_SIZE,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE };
	cell_blob.m[1] = (struct wd_mem_region){ RAM_PHYS + 0x1000, 0x80000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION };
	cell_blob.m[2] = (struct wd_mem_region){ 0x09000000, 0x09000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	cell_blob.d.num_pci_devices = num_pci;
	/* num_pci 1: the devices sit where pci[0] is only if no other arrays precede. */
	cell_blob.pci[0].bdf = DEV_A;
	cell_blob.pci[1].bdf = DEV_B;
	memset(&cell, 0, sizeof(cell));
	cell.config = &cell_blob.d;
	cell.cpu_set[0] = 0xc;
}

static void machine(void)
{
	unsigned int cpu;

	root_cell.cpu_set[0] = 0x3;
	for (cpu = 0; cpu < 4; cpu++) {
		struct per_cpu *pc = &per_cpu_area[cpu];
		u64 typer = (u64)cpu << 8;

		pc->cpu_id = cpu;
		pc->initialized = true;
		pc->arch.gicr = gicr_regs[cpu];
		memcpy(gicr_regs[cpu] + 8, &typer, 8);
		pc->cell = cpu < 2 ? &root_cell : &cell;
	}
	its_units[0].phys = ITS_PHYS;
	num_its = 1;
}

/* A fresh cell with vITS enabled, queue of @pages at QUEUE, both CPUs' LPIs on. */
static void fresh(unsigned int pages)
{
	if (cell.vits)
		vits_cell_exit(&cell);
	make_cell(2);
	vits_cell_init(&cell);
	memset(lrs, 0, sizeof(lrs));
	memset(kicks, 0, sizeof(kicks));
	memset(underflow, 0, sizeof(underflow));
	memset(ram_win, 0, sizeof(ram_win));
	log_text[0] = 0;
	slot = 0;
	qslots = pages * PAGE_SIZE / 32;
	cur_cpu = 2;
	wr64(GITS_CBASER, GITS_CBASER_VALID | QUEUE | (pages - 1));
	wr32(GITS_CTLR, 1);
	enable_lpis(2);
	enable_lpis(3);
	memset(kicks, 0, sizeof(kicks));
}

/* ---- tests ---- */

/* vpci_phys_vbdf (wd/vpci-phys.h, inline) is the real rule: tested in test-hv-vpci-phys. */
static void test_physical_function(void)
{
	make_cell(2);
	cell_blob.pci[1].type = WD_PCI_TYPE_DEVICE;
	cell_blob.pci[1].bdf = 0x0200;		/* 02:00.0 behind a root port */
	vits_cell_init(&cell);
	CHECK("phys: a physical function's vITS device id is where the cell sees it (00:02.0)",
	      vits_present(&cell) && cell.vits->dev[1].devid == 0x0010);
	CHECK("phys: ... an ivshmem device's is its configured BDF",
	      vits_present(&cell) && cell.vits->dev[0].devid == DEV_A);
	vits_cell_exit(&cell);
	CHECK_EQ("phys: destroy gives every page back", pages_out, 0);
}

static void test_who(void)
{
	make_cell(0);
	CHECK_EQ("who: a cell without PCI devices gets no vITS", vits_cell_init(&cell), 0);
	CHECK("who: ... and vits_present says so", !vits_present(&cell));
	CHECK_EQ("who: vits_deliver to it: -ENODEV", vits_deliver(&cell, DEV_A, 0), -ENODEV);
	CHECK_EQ("who: no translater address", vits_translater(&cell), 0);
	CHECK("who: the root never has one", (vits_cell_init(&root_cell), !vits_present(&root_cell)));
	make_cell(2);
	num_its = 0;
	CHECK("who: no physical ITS, no vITS", (vits_cell_init(&cell), !vits_present(&cell)));
	num_its = 1;
	CHECK_EQ("who: a cell with PCI devices on a machine with an ITS gets one",
		 vits_cell_init(&cell), 0);
	CHECK("who: vits_present", vits_present(&cell));
	CHECK_EQ("who: at the physical ITS's address", vits_base(&cell), ITS_PHYS);
	CHECK_EQ("who: translater at base + 0x10040", vits_translater(&cell), ITS_PHYS + 0x10040);
	CHECK_EQ("who: both frames registered", regions_registered, 1);
	CHECK_EQ("who: its devices are the config's", cell.vits->num_devs, 2);
	CHECK_EQ("who: one collection per CPU of the cell", cell.vits->num_colls, 2);
	CHECK_EQ("who: a cell without a vITS: GICR_CTLR reads 0",
		 (vits_cell_exit(&cell), gicr_r(2, 0)), 0);
	CHECK_EQ("who: destroy gives every page back", pages_out, 0);
	CHECK_EQ("who: and unregisters the frames", regions_registered, 0);
}

static void test_registers(void)
{
	u64 v = 0, t;

	fresh(1);
	wr32(GITS_CTLR, 0);
	t = rd64(GITS_TYPER);
	CHECK_EQ("regs: TYPER.Physical", t & 1, 1);
	CHECK_EQ("regs: TYPER.Virtual 0", t >> 1 & 1, 0);
	CHECK_EQ("regs: TYPER ITT entry 8 bytes", t >> 4 & 0xf, 7);
	CHECK_EQ("regs: TYPER.ID_bits", (t >> 8 & 0x1f) + 1, VITS_EVENT_BITS);
	CHECK_EQ("regs: TYPER.Devbits 16 (a BDF)", (t >> 13 & 0x1f) + 1, 16);
	CHECK_EQ("regs: TYPER.PTA 0", t >> 19 & 1, 0);
	CHECK_EQ("regs: TYPER.HCC = the cell's CPUs", t >> 24 & 0xff, 2);
	CHECK_EQ("regs: TYPER high half, 32-bit", rd32(GITS_TYPER + 4), t >> 32);
	CHECK_EQ("regs: 8-byte CTLR is an error", acc(GITS_CTLR, 8, false, &v), MMIO_ERROR);
	CHECK_EQ("regs: 2-byte CBASER is an error", acc(GITS_CBASER, 2, false, &v), MMIO_ERROR);
	CHECK_EQ("regs: misaligned CWRITER is an error", acc(GITS_CWRITER + 2, 4, true, &v), MMIO_ERROR);
	CHECK_EQ("regs: 8-byte PIDR2 is an error", acc(GITS_PIDR2, 8, false, &v), MMIO_ERROR);
	CHECK_EQ("regs: PIDR2 says GICv3", rd32(GITS_PIDR2) >> 4 & 0xf, 3);
	CHECK_EQ("regs: CIDR0", rd32(GITS_CIDR0), 0x0d);
	CHECK_EQ("regs: BASER0 no table", rd64(GITS_BASER(0)), 0);
	wr64(GITS_BASER(1), GITS_BASER_VALID | 0x7fc00000);
	CHECK_EQ("regs: BASER1 stays no table after a write", rd64(GITS_BASER(1)), 0);
	CHECK_EQ("regs: CTLR disabled, quiescent", rd32(GITS_CTLR), GITS_CTLR_QUIESCENT);
	wr64(GITS_CBASER, GITS_CBASER_VALID | QUEUE | 1);
	CHECK_EQ("regs: CBASER written while disabled", rd64(GITS_CBASER), GITS_CBASER_VALID | QUEUE | 1);
	wr32(GITS_CTLR, 1);
	wr64(GITS_CBASER, GITS_CBASER_VALID | (QUEUE + 0x8000));
	CHECK_EQ("regs: CBASER ignored while enabled", rd64(GITS_CBASER), GITS_CBASER_VALID | QUEUE | 1);
	wr64(GITS_CREADR, 0x40);
	CHECK_EQ("regs: CREADR read-only", rd64(GITS_CREADR), 0);
	wr64(GITS_CWRITER, 0x10000);
	CHECK_EQ("regs: CWRITER beyond the queue ignored", rd64(GITS_CWRITER), 0);
	CHECK_EQ("regs: a reserved offset reads 0", rd32(0x200), 0);
	CHECK_EQ("regs: translater: a 4-byte CPU write is handled",
		 (v = 5, acc(0x10040, 4, true, &v)), MMIO_HANDLED);
	acc(0x10040, 4, true, &v);
	CHECK("regs: translater write logged once",
	      strstr(log_text, "GITS_TRANSLATER") &&
	      !strstr(strstr(log_text, "GITS_TRANSLATER") + 1, "GITS_TRANSLATER"));
	CHECK_EQ("regs: translater 8-byte access is an error", acc(0x10040, 8, true, &v), MMIO_ERROR);
	CHECK_EQ("regs: nothing was delivered by it", pending(2, 8197) || pending(3, 8197), 0);
}

static void test_queue_outside(void)
{
	static const u64 bad[] = {
		0x40000000,		/* root RAM (not the cell's) */
		0x7fc00000,		/* hypervisor memory */
		0x80000000,		/* the cell's comm region */
		0x09000000,		/* the cell's I/O region */
		RAM_IPA + RAM_SIZE - 0x1000,	/* straddles the end of its RAM (2 pages) */
	};
	unsigned int n;

	for (n = 0; n < ARRAY_SIZE(bad); n++) {
		char name[120];

		fresh(1);
		wr32(GITS_CTLR, 0);
		wr64(GITS_CBASER, GITS_CBASER_VALID | bad[n] | 1);
		wr32(GITS_CTLR, 1);
		wr64(GITS_CWRITER, 0x20);
		snprintf(name, sizeof(name), "queue: CBASER at 0x%llx: no command read",
			 (unsigned long long)bad[n]);
		CHECK_EQ(name, cell.vits->cmds, 0);
		snprintf(name, sizeof(name), "queue: CBASER at 0x%llx: CREADR stalled",
			 (unsigned long long)bad[n]);
		CHECK_EQ(name, rd64(GITS_CREADR), GITS_CREADR_STALLED);
		snprintf(name, sizeof(name), "queue: CBASER at 0x%llx: logged", (unsigned long long)bad[n]);
		CHECK(name, strstr(log_text, "is not in the cell's RAM"));
	}
	/* The memory changes under a CBASER that was fine: checked on use. */
	fresh(1);
	MAPD(DEV_A, 4, 1);
	CHECK_EQ("queue: a good queue runs", cell.vits->cmds, 1);
	cell_blob.m[0].size = 0x800;		/* the region shrinks (config changed) */
	MAPD(DEV_B, 4, 1);
	CHECK_EQ("queue: re-checked on every use", cell.vits->cmds, 1);
	cell_blob.m[0].size = RAM_SIZE;
}

static void test_commands(void)
{
	struct vits *v;

	fresh(1);
	v = cell.vits;
	MAPD(0x0018, 4, 1);
	CHECK("mapd: a device the cell does not own is refused",
	      strstr(log_text, "MAPD") && strstr(log_text, "not a PCI device of the cell"));
	MAPD(DEV_A, VITS_EVENT_BITS, 1);
	CHECK("mapd: more event bits than ID_bits refused", !dev_of(v, DEV_A)->mapped);
	MAPD(DEV_A, 2, 1);			/* 8 events */
	CHECK_EQ("mapd: mapped with 8 events", dev_of(v, DEV_A)->num_events, 8);
	MAPC(0, 0, 1);
	CHECK("mapc: a root CPU's redistributor refused", v->coll[0] == 0 &&
	      strstr(log_text, "not a redistributor of the cell's CPUs"));
	MAPC(2, 2, 1);
	CHECK("mapc: ICID >= HCC refused", strstr(log_text, "beyond GITS_TYPER.HCC"));
	MAPC(0, 2, 1);
	MAPC(1, 3, 1);
	CHECK_EQ("mapc: collection 0 -> CPU 2", coll_cpu(v, 0), 2);
	CHECK_EQ("mapc: collection 1 -> CPU 3", coll_cpu(v, 1), 3);
	MAPTI(DEV_A, 8, 8300, 0);
	CHECK("mapti: event >= the ITT size MAPD asked for refused",
	      strstr(log_text, "beyond the ITT size"));
	MAPTI(DEV_A, 1, 8191, 0);
	CHECK("mapti: an INTID below 8192 refused", strstr(log_text, "not an LPI the vITS offers"));
	MAPTI(DEV_A, 1, 65536, 0);
	CHECK("mapti: an INTID beyond IDbits refused", !dev_of(v, DEV_A)->ite[1].lpi);
	MAPTI(DEV_A, 1, 8300, 5);
	CHECK("mapti: an ICID >= HCC refused", !dev_of(v, DEV_A)->ite[1].lpi);
	MAPTI(DEV_B, 0, 8300, 0);
	CHECK("mapti: an unmapped device refused", strstr(log_text, "device not mapped"));
	MAPTI(DEV_A, 1, 8300, 1);
	CHECK_EQ("mapti: mapped", dev_of(v, DEV_A)->ite[1].lpi, 8300);
	MAPI(DEV_A, 8400, 0);
	CHECK("mapi: event 8400 beyond 8 events refused", !dev_of(v, DEV_A)->ite[0].lpi);
	MAPD(DEV_B, 15, 0);
	MAPD(DEV_B, 7, 1);			/* 256 events */
	MAPI(DEV_B, 200, 0);
	CHECK("mapi: INTID = event id 200 is no LPI, refused", !dev_of(v, DEV_B)->ite[200].lpi);
	MAPTI(DEV_B, 200, 8200, 0);

	/* INT: to CPU 3 (another CPU): pending there and kicked. */
	prop(8300, 0xa1);
	DEVCMD(ITS_CMD_INT, DEV_A, 1);
	CHECK("int: pending on CPU 3", pending(3, 8300));
	CHECK_EQ("int: CPU 3 kicked", kicks[3], 1);
	CHECK("int: not injected here", !in_lr(2, 8300));
	cur_cpu = 3;
	vits_flush(&per_cpu_area[3]);
	CHECK("int: CPU 3 takes it into a list register", in_lr(3, 8300));
	CHECK_EQ("int: with its property priority", lrs[3][0] >> 16, 0xa0);
	CHECK("int: no longer pending", !pending(3, 8300));
	cur_cpu = 2;
	/* INT to this CPU: injected at once. */
	prop(8200, 0x41);
	DEVCMD(ITS_CMD_INT, DEV_B, 200);
	CHECK("int: to the calling CPU injected at once", in_lr(2, 8200) && !pending(2, 8200));
	CHECK_EQ("int: no kick for itself", kicks[2], 0);
	/* Disabled in the property table: stays pending until enabled and INV'd. */
	memset(lrs, 0, sizeof(lrs));
	prop(8200, 0x40);
	DEVCMD(ITS_CMD_INT, DEV_B, 200);
	CHECK("inv: a disabled LPI stays pending", pending(2, 8200) && !in_lr(2, 8200));
	prop(8200, 0x41);
	DEVCMD(ITS_CMD_INV, DEV_B, 200);
	CHECK("inv: after enable + INV it is delivered", in_lr(2, 8200) && !pending(2, 8200));
	memset(lrs, 0, sizeof(lrs));
	prop(8200, 0x40);
	DEVCMD(ITS_CMD_INT, DEV_B, 200);
	prop(8200, 0x41);
	cmd(ITS_CMD_INVALL, 0, 0, 0);
	CHECK("invall: delivers what became enabled", in_lr(2, 8200));
	/* CLEAR */
	memset(lrs, 0, sizeof(lrs));
	DEVCMD(ITS_CMD_INT, DEV_A, 1);
	DEVCMD(ITS_CMD_CLEAR, DEV_A, 1);
	CHECK("clear: no longer pending", !pending(3, 8300));
	/* MOVI moves the pending state. */
	DEVCMD(ITS_CMD_INT, DEV_A, 1);
	MOVI(DEV_A, 1, 0);
	CHECK("movi: pending moved to CPU 2", !pending(3, 8300) && in_lr(2, 8300));
	CHECK_EQ("movi: the ITE's collection", dev_of(v, DEV_A)->ite[1].icid, 0);
	MOVI(DEV_A, 1, 9);
	CHECK_EQ("movi: to ICID >= HCC refused", dev_of(v, DEV_A)->ite[1].icid, 0);
	/* DISCARD */
	memset(lrs, 0, sizeof(lrs));
	MOVI(DEV_A, 1, 1);
	DEVCMD(ITS_CMD_INT, DEV_A, 1);
	DEVCMD(ITS_CMD_DISCARD, DEV_A, 1);
	CHECK("discard: unmapped and no longer pending",
	      !dev_of(v, DEV_A)->ite[1].lpi && !pending(3, 8300));
	CHECK_EQ("discard: vits_deliver then -ENOENT", vits_deliver(&cell, DEV_A, 1), -ENOENT);
	/* SYNC */
	cmd(ITS_CMD_SYNC, 0, 3ULL << 16, 0);
	CHECK("sync: a cell CPU's redistributor is fine", !strstr(log_text, "SYNC"));
	cmd(ITS_CMD_SYNC, 0, 1ULL << 16, 0);
	CHECK("sync: a root CPU's refused", strstr(log_text, "SYNC"));
	/* MOVALL 3 -> 2 */
	memset(lrs, 0, sizeof(lrs));
	MAPTI(DEV_A, 3, 9000, 1);
	prop(9000, 0x01);
	cur_cpu = 0;		/* delivered from a root CPU (e.g. a device's MSI): kicks */
	CHECK_EQ("deliver: from another CPU", vits_deliver(&cell, DEV_A, 3), 0);
	cur_cpu = 2;
	CHECK("deliver: pending on CPU 3", pending(3, 9000));
	cmd(ITS_CMD_MOVALL, 0, 3ULL << 16, 2ULL << 16);
	CHECK("movall: moved to CPU 2", !pending(3, 9000) && in_lr(2, 9000));
	cmd(ITS_CMD_MOVALL, 0, 3ULL << 16, 0ULL << 16);
	CHECK("movall: to a root CPU refused", strstr(log_text, "MOVALL"));
	/* MAPD V=0 drops every ITE and pending vLPI of the device. */
	DEVCMD(ITS_CMD_INT, DEV_A, 3);
	MAPD(DEV_A, 0, 0);
	CHECK("mapd v=0: unmapped, pending dropped", !dev_of(v, DEV_A)->mapped && !pending(3, 9000));
	/* MAPC V=0 */
	MAPC(1, 0, 0);
	CHECK_EQ("mapc v=0: unmapped", coll_cpu(v, 1), -1);
	CHECK("no kick ever left the cell", !kick_outside_cell);
}

static void test_unknown(void)
{
	unsigned int n;
	char *p;

	fresh(1);
	log_text[0] = 0;
	/* One CWRITER write with 5 GICv4 commands and 3 unknown ones. */
	for (n = 0; n < 8; n++) {
		static const u8 c[] = { ITS_CMD_VMAPP, ITS_CMD_VMAPTI, ITS_CMD_VMOVP,
					ITS_CMD_VSYNC, ITS_CMD_VINVALL, 0x00, 0x7f, 0xff };
		u64 dw[4] = { c[n], ~0ULL, ~0ULL, ~0ULL };

		memcpy(ram_win + n * 32, dw, 32);
	}
	wr64(GITS_CWRITER, 8 * 32);
	CHECK_EQ("skip: all 8 read", rd64(GITS_CREADR), 8 * 32);
	p = strstr(log_text, "skipped: not a command the vITS offers");
	CHECK("skip: logged", p);
	CHECK("skip: logged once per write", p && !strstr(p + 1, "skipped: not a command"));
	CHECK("skip: with a count", strstr(log_text, "0 commands refused, 8 skipped"));
	CHECK_EQ("skip: nothing changed", cell.vits->coll[0] | cell.vits->dev[0].mapped, 0);
}

static void test_log_budget(void)
{
	unsigned int n, lines = 0;
	char *p;

	fresh(8);
	for (n = 0; n < 10000; n++)	/* one bad command per CWRITER write */
		MAPD(0x0018, 4, 1);
	for (p = log_text; (p = strchr(p, '\n')); p++)
		lines++;
	CHECK_EQ("log: 10000 refusals, 10000 CWRITER writes: all run", cell.vits->refused, 10000);
	CHECK("log: at most the budget plus a count per 4096 lines",
	      lines <= VITS_LOG_BUDGET + 10000 / VITS_LOG_EVERY);
	CHECK("log: the count says how many", strstr(log_text, "8192 commands refused or skipped so far"));
}

static void test_wrap_and_bound(void)
{
	unsigned int n;

	fresh(1);
	/* 127 SYNCs, then across the end of the one-page queue. */
	for (n = 0; n < 130; n++)
		cmd(ITS_CMD_SYNC, 0, 2ULL << 16, 0);
	CHECK_EQ("wrap: CREADR follows CWRITER around the end", rd64(GITS_CREADR), 2 * 32);
	CHECK_EQ("wrap: 130 commands run", cell.vits->cmds, 130);

	fresh(8);			/* 1024 slots */
	for (n = 0; n < 1000; n++) {
		u64 dw[4] = { ITS_CMD_SYNC, 0, 2ULL << 16, 0 };

		memcpy(ram_win + n * 32, dw, 32);
	}
	wr64(GITS_CWRITER, 1000 * 32);
	CHECK_EQ("bound: one CWRITER write runs at most VITS_CMDS_PER_CALL",
		 cell.vits->cmds, VITS_CMDS_PER_CALL);
	CHECK_EQ("bound: polling CREADR makes progress", rd64(GITS_CREADR), 1000 * 32);
}

static void test_overflow(void)
{
	unsigned int n, got = 0, rounds = 0;

	fresh(1);
	MAPD(DEV_B, 7, 1);
	MAPC(0, 2, 1);
	for (n = 0; n < 10; n++) {
		MAPTI(DEV_B, n, 8192 + 100 + n, 0);
		prop(8192 + 100 + n, 0x81);
	}
	/* The vCPU is busy: no flush while the 10 arrive (delivered from CPU 0). */
	cur_cpu = 0;
	for (n = 0; n < 10; n++)
		CHECK_EQ("overflow: deliver", vits_deliver(&cell, DEV_B, n), 0);
	CHECK_EQ("overflow: CPU 2 kicked for each", kicks[2], 10);
	cur_cpu = 2;
	vits_flush(&per_cpu_area[2]);
	CHECK("overflow: four list registers filled", lrs[2][3] != 0);
	CHECK("overflow: the underflow interrupt armed", underflow[2]);
	for (n = 0; n < 10; n++)
		got += in_lr(2, 8292 + n) ? 1 : 0;
	CHECK_EQ("overflow: 6 wait in the pending set", 10 - got, 6);
	/* The guest takes them: maintenance interrupts drain the rest. */
	while (got < 10 && rounds++ < 10) {
		memset(lrs, 0, sizeof(lrs));
		underflow[2] = false;
		vits_flush(&per_cpu_area[2]);
		for (n = 0; n < NUM_LRS; n++)
			got += lrs[2][n] ? 1 : 0;
	}
	CHECK_EQ("overflow: none lost", got, 10);
	CHECK_EQ("overflow: delivered count", vcpu_of(cell.vits, 2)->delivered, 10);
	CHECK("overflow: nothing pending", !pending(2, 8292) && !pending(2, 8301));
}

static void test_lpi_registers(void)
{
	fresh(1);
	MAPD(DEV_A, 2, 1);
	MAPC(0, 2, 1);
	MAPTI(DEV_A, 0, 8500, 0);
	prop(8500, 0x01);
	gicr_w(2, 0, 0);
	CHECK_EQ("gicr: EnableLPIs off", gicr_r(2, 0), 0);
	CHECK_EQ("deliver: while the vCPU has LPIs off", vits_deliver(&cell, DEV_A, 0), 0);
	CHECK("gicr: it stays pending", pending(2, 8500) && !in_lr(2, 8500));
	gicr_w(2, GICR_PROPBASER, 0x40000000 | 15);	/* root RAM */
	CHECK_EQ("gicr: PROPBASER written while off", gicr_r(2, GICR_PROPBASER), 0x40000000 | 15);
	gicr_w(2, 0, 1);
	CHECK("gicr: a property table outside the cell's RAM delivers nothing",
	      pending(2, 8500) && !in_lr(2, 8500));
	CHECK("gicr: and says so", strstr(log_text, "not in the cell's RAM"));
	gicr_w(2, GICR_PROPBASER, PROP | 15);
	CHECK_EQ("gicr: PROPBASER fixed while LPIs are on", gicr_r(2, GICR_PROPBASER),
		 0x40000000 | 15);
	gicr_w(2, 0, 0);
	gicr_w(2, GICR_PROPBASER, PROP | 15);
	gicr_w(2, 0, 1);
	CHECK("gicr: enabling with a good table delivers", in_lr(2, 8500));
	gicr_w(2, GICR_PROPBASER, 0xffffffffffffffffULL);
	gicr_w(2, 0, 0);
	gicr_w(2, GICR_PROPBASER, 0xffffffffffffffffULL);
	CHECK_EQ("gicr: PROPBASER reserved bits read 0", gicr_r(2, GICR_PROPBASER) & ~0x070fffffffffff9fULL, 0);
	/* 32-bit halves, as the region offset of CPU 3's frame (stride 0x20000) says. */
	{
		struct mmio_access a = { .address = 3 * 0x20000 + GICR_PROPBASER + 4, .size = 4,
					 .is_write = true, .value = 0x1 };

		gicr_w(3, 0, 0);
		vits_gicr_access(&cell, 3, GICR_PROPBASER + 4, &a);
		a = (struct mmio_access){ .address = 3 * 0x20000 + GICR_PROPBASER, .size = 4,
					  .is_write = true, .value = 0x12345f };
		vits_gicr_access(&cell, 3, GICR_PROPBASER, &a);
		CHECK_EQ("gicr: PROPBASER written in 32-bit halves", gicr_r(3, GICR_PROPBASER),
			 0x100000000ULL | 0x12341f);	/* bit 6 and 5 reserved */
		a = (struct mmio_access){ .address = 3 * 0x20000 + GICR_PROPBASER + 4, .size = 4 };
		vits_gicr_access(&cell, 3, GICR_PROPBASER + 4, &a);
		CHECK_EQ("gicr: its upper half reads back", a.value, 1);
	}
	gicr_w(2, GICR_PROPBASER, PROP | 12);
	gicr_w(2, 0, 1);
	memset(lrs, 0, sizeof(lrs));
	vits_deliver(&cell, DEV_A, 0);
	CHECK("gicr: an LPI beyond PROPBASER.IDbits stays pending", pending(2, 8500) && !in_lr(2, 8500));
	gicr_w(2, 0, 0);
	gicr_w(2, GICR_PROPBASER, PROP | 15);
	gicr_w(2, 0, 1);
	/* SETLPIR / CLRLPIR / INVLPIR */
	memset(lrs, 0, sizeof(lrs));
	gicr_w(2, 0x48, 8500);
	CHECK("gicr: CLRLPIR", !pending(2, 8500));
	prop(8600, 0x01);
	gicr_w(2, 0x40, 8600);
	CHECK("gicr: SETLPIR makes it pending and delivers", in_lr(2, 8600));
	gicr_w(2, 0x40, 70000);
	CHECK("gicr: SETLPIR out of range ignored", !kick_outside_cell);
	CHECK_EQ("gicr: SYNCR never busy", gicr_r(2, 0xc0), 0);
	/* vits_deliver results */
	CHECK_EQ("deliver: unknown device -ENOENT", vits_deliver(&cell, 0x99, 0), -ENOENT);
	CHECK_EQ("deliver: unmapped event -ENOENT", vits_deliver(&cell, DEV_A, 1), -ENOENT);
	CHECK_EQ("deliver: event beyond the ITT size -ERANGE", vits_deliver(&cell, DEV_A, 9), -ERANGE);
	CHECK_EQ("deliver: unmapped device -ENOENT", vits_deliver(&cell, DEV_B, 0), -ENOENT);
	MAPC(0, 0, 0);
	CHECK_EQ("deliver: unmapped collection -ENOENT", vits_deliver(&cell, DEV_A, 0), -ENOENT);
	wr32(GITS_CTLR, 0);
	CHECK_EQ("deliver: disabled vITS -EINVAL", vits_deliver(&cell, DEV_A, 0), -EINVAL);
}

static void test_reset(void)
{
	fresh(1);
	MAPD(DEV_A, 2, 1);
	MAPC(0, 2, 1);
	MAPC(1, 3, 1);
	MAPTI(DEV_A, 0, 8500, 1);
	gicr_w(3, 0, 0);
	vits_deliver(&cell, DEV_A, 0);
	CHECK("reset: pending on CPU 3 before", pending(3, 8500));
	per_cpu_area[2].run_state = CPU_RUNNING;
	per_cpu_area[3].run_state = CPU_RUNNING;
	/* CPU 3 goes off (PSCI CPU_OFF) while CPU 2 runs: its redistributor keeps its state. */
	vits_requeue(&per_cpu_area[3], 8501);	/* a vLPI its list registers held */
	vits_cpu_parked(&per_cpu_area[3]);
	per_cpu_area[3].run_state = CPU_PARKED;
	CHECK("park: CPU 3's pending vLPIs stay", pending(3, 8500) && pending(3, 8501));
	CHECK_EQ("park: its GICR_PROPBASER stays", gicr_r(3, GICR_PROPBASER), PROP | 15);
	CHECK_EQ("park: the vITS stays while CPU 2 runs", dev_of(cell.vits, DEV_A)->mapped, 1);
	prop(8500, 0x01);
	prop(8501, 0x01);
	gicr_w(3, 0, 1);
	memset(lrs, 0, sizeof(lrs));
	vits_flush(&per_cpu_area[3]);		/* a kick while parked */
	CHECK("park: a parked vCPU takes nothing into its list registers", !in_lr(3, 8500));
	per_cpu_area[3].run_state = CPU_RUNNING;	/* CPU_ON: the vCPU starts */
	vits_flush(&per_cpu_area[3]);
	CHECK("park: back on, it takes what waited", in_lr(3, 8500) && in_lr(3, 8501));
	per_cpu_area[3].run_state = CPU_PARKED;
	vits_deliver(&cell, DEV_A, 0);
	CHECK("reset: pending on parked CPU 3 before the cell stops", pending(3, 8500));
	vits_cpu_parked(&per_cpu_area[2]);	/* the last one: the cell stops */
	CHECK("reset: CPU 3's pending set is empty", !pending(3, 8500));
	CHECK_EQ("reset: CPU 3's GICR_PROPBASER is 0", gicr_r(3, GICR_PROPBASER), 0);
	CHECK_EQ("reset: the last CPU resets the vITS: CTLR", rd32(GITS_CTLR), GITS_CTLR_QUIESCENT);
	CHECK_EQ("reset: CBASER", rd64(GITS_CBASER), 0);
	CHECK_EQ("reset: devices unmapped", dev_of(cell.vits, DEV_A)->mapped, 0);
	CHECK_EQ("reset: collections unmapped", coll_cpu(cell.vits, 0), -1);
	CHECK_EQ("reset: CPU 2's LPIs off", gicr_r(2, 0), 0);
	vits_cell_exit(&cell);
	CHECK("destroy: no vITS", !vits_present(&cell));
	CHECK_EQ("destroy: every page back", pages_out, 0);
	CHECK_EQ("destroy: deliver after: -ENODEV", vits_deliver(&cell, DEV_A, 0), -ENODEV);
	per_cpu_area[2].cell = &root_cell;
	vits_flush(&per_cpu_area[2]);		/* the root's CPU now: nothing */
	CHECK_EQ("destroy: root's GICR LPI registers are not the vITS's", root_cell.vits == NULL, 1);
	per_cpu_area[2].cell = &cell;
	per_cpu_area[2].run_state = per_cpu_area[3].run_state = CPU_RUNNING;
}

static void test_random(void)
{
	unsigned int n, i;

	fresh(8);
	srand(17);
	for (n = 0; n < 20000; n++) {
		u64 dw[4];

		for (i = 0; i < 4; i++)
			dw[i] = (u64)rand() << 33 ^ (u64)rand() << 11 ^ (u64)rand();
		/* Commands that exist, half of the time, with small ids. */
		if (n & 1) {
			static const u8 c[] = { 1, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15 };

			dw[0] = (dw[0] & ~0xffULL & 0x001f0000ffffff00ULL) | c[n / 2 % 12] |
				(u64)(n & 2 ? DEV_A : DEV_B) << 32;
			dw[1] &= 0x0000ffff000000ffULL;
			dw[2] &= 0x80000000000f0003ULL | (3ULL << 16);
		}
		memcpy(ram_win + slot * 32, dw, 32);
		slot = (slot + 1) % qslots;
		if (n % 7 == 0)
			wr64(GITS_CWRITER, (u64)slot * 32);
		cur_cpu = 2 + (n & 1);
		vits_flush(&per_cpu_area[cur_cpu]);
		if (n % 13 == 0)
			memset(lrs, 0, sizeof(lrs));
	}
	wr64(GITS_CWRITER, (u64)slot * 32);
	while (rd64(GITS_CREADR) != rd64(GITS_CWRITER))
		;
	CHECK("random: no kick left the cell", !kick_outside_cell);
	CHECK("random: the root CPUs' list registers untouched",
	      !lrs[0][0] && !lrs[1][0] && !underflow[0] && !underflow[1]);
	for (n = 0; n < cell.vits->num_devs; n++)
		for (i = 0; i < VITS_MAX_EVENTS; i++) {
			struct vits_ite *e = &cell.vits->dev[n].ite[i];

			if (e->lpi && (e->lpi < 8192 || e->lpi >= 65536 || e->icid >= 2 ||
				       i >= cell.vits->dev[n].num_events)) {
				CHECK("random: every ITE within limits", 0);
				return;
			}
		}
	CHECK("random: every ITE within limits", 1);
	vits_cell_exit(&cell);
	CHECK_EQ("random: every page back", pages_out, 0);
}

int main(void)
{
	machine();
	test_who();
	test_physical_function();
	test_registers();
	test_queue_outside();
	test_commands();
	test_unknown();
	test_wrap_and_bound();
	test_log_budget();
	test_overflow();
	test_lpi_registers();
	test_reset();
	test_random();
	return check_failures ? 1 : 0;
}
