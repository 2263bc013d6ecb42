/*
 * Host unit tests of the physical MSI route of a cell's PCI function
 * (hypervisor/arch/arm64/cell-msi.c) and of the hypervisor's own ITS commands
 * (gicv3-its-hvcmd.[ch]).
 *
 * Encoding: every field of MAPD, MAPC, MAPTI, INV, DISCARD and SYNC at its
 * place and width, reserved bits zero, and the root's checker
 * (gicv3-its-cmd.c) decoding each to the same command. Sending: nothing
 * without a taken-over ITS, a timeout named and reported. The route table
 * on a fake ITS whose queue is a journal: MAPD at create with an ITT from
 * the pool; a route only to the cell's vITS doorbell and only when the DMA
 * view reaches the physical one; MAPC once per CPU, MAPTI + INV + SYNC with
 * the kept pLPI and ICID, the property byte written; the EL2 path delivering
 * (vBDF, the cell's data) and dropping what has no owner; tear-down on a new
 * address; release in order (owners gone before the first DISCARD, MAPD V=0
 * last), property bytes cleared, the ITT zeroed and the pool back; a timeout
 * keeps the ITT; all kept pLPIs in use.
 */
#include <stdarg.h>
#include <stdlib.h>
#include "check.h"
#include "../../hypervisor/core/pool.c"
#include "../../hypervisor/arch/arm64/gicv3-its-cmd.c"
#include "../../hypervisor/arch/arm64/gicv3-its-hvcmd.c"
#include "../../hypervisor/arch/arm64/cell-msi.c"
#include "../../hypervisor/arch/arm64/cell-msi-deliver.c"
#include "hv-fake.h"

#define DOORBELL	0x08090040ULL	/* the cell's vITS GITS_TRANSLATER */
#define DMA_IPA		0xfff00000ULL	/* where its DMA view has the ITS's */
#define ITS_PHYS	0x08080000ULL
#define LPI_BITS	16
#define BASE		((1U << LPI_BITS) - ITS_CELL_LPIS)	/* first kept pLPI */

struct per_cpu per_cpu_area[CONFIG_WD_MAX_CPUS];
struct its its_units[MAX_ITS];
unsigned int num_its;

static u8 gicr_regs[4][0x100] __attribute__((aligned(8)));
static u8 *prop;			/* the root's LPI property table */
static char log_text[8192], last_reason[300];
static u64 journal[64][4];
static unsigned int njournal, flushes;
static bool flush_fails, owner_at_discard;
static struct vpci_phys_fn *watched;	/* owner_at_discard: any of its slots owned */
static int dma_err;
static u64 dma_phys;
static struct { struct cell *cell; u32 devid, event; unsigned int calls; } delivered;
static int vits_err;

#include "log-fake.h"

static int live_maps;
void *arch_map_temp(u64 phys, u64 size) { live_maps++; return (void *)(uintptr_t)phys; }
void arch_unmap_temp(void *virt, u64 size) { live_maps--; }
static u64 cleaned_at, cleaned_size;
void dcache_clean_inval_range(u64 start, u64 size) { cleaned_at = start; cleaned_size = size; }

void *hv_alloc(u64 size, u64 align)
{
	u64 pages = PAGES(size), p = pool_alloc_aligned(&mem_pool, pages,
						       align > PAGE_SIZE ? align / PAGE_SIZE : 1);
	if (p)
		memset((void *)(uintptr_t)p, 0, pages * PAGE_SIZE);
	return (void *)(uintptr_t)p;
}

/* Only the property table is the root's RAM here. */
bool root_ram(void *ctx, u64 start, u64 size)
{
	u64 p = (u64)(uintptr_t)prop;

	return start >= p && start + size <= p + (1U << LPI_BITS) - LPI_FIRST;
}

static unsigned int l2_calls, l2_type;
static u32 l2_id;
int its_table_room(struct its *its, unsigned int type, u32 id)
{
	l2_calls++;
	l2_type = type;
	l2_id = id;
	return 0;
}

/* The fake ITS: a journal of the hypervisor's queue. */
void queue_put(struct its *its, const u64 out[4])
{
	unsigned int i;

	if ((out[0] & 0xff) == ITS_CMD_DISCARD && watched)
		for (i = 0; i < VPCI_PHYS_MAX_MSIX; i++) {
			struct msi_dev *d = watched->arch_msi;

			if (d && d->slot[i] != NO_SLOT && slots[d->slot[i]].owner)
				owner_at_discard = true;
		}
	if (njournal < 64)
		memcpy(journal[njournal++], out, 32);
}
bool queue_flush(struct its *its) { flushes++; return !flush_fails; }

int dma_view_map_page(struct cell *cell, u64 phys, u64 *ipa)
{
	dma_phys = phys;
	if (dma_err)
		return dma_err;
	*ipa = DMA_IPA;
	return 0;
}

bool vits_present(const struct cell *cell) { return cell->vits != NULL; }
u64 vits_translater(const struct cell *cell) { return cell->vits ? DOORBELL : 0; }
int vits_deliver(struct cell *cell, u32 devid, u32 event)
{
	delivered.cell = cell;
	delivered.devid = devid;
	delivered.event = event;
	delivered.calls++;
	return vits_err;
}

/* ---- the machine ------------------------------------------------------------ */

static struct wd_cell_desc cell_desc = { .name = "msi" };
static struct cell cell;
static struct vpci_phys_fn fns[6];

static void put64(u8 *p, u64 v) { memcpy(p, &v, 8); }

static void setup(void)
{
	struct its *its = &its_units[0];
	unsigned int cpu;

	fake_pool_setup(&mem_pool, 64, 4096, 0);
	prop = fake_pages(16, 4096, 0);
	memset(prop, 0, 16 * 4096);
	for (cpu = 0; cpu < 4; cpu++) {
		struct per_cpu *pc = per_cpu(cpu);

		pc->cpu_id = cpu;
		pc->initialized = true;
		pc->arch.gicr = gicr_regs[cpu];
		pc->arch.gicr_phys = 0x080a0000 + cpu * 0x20000;
		put64(gicr_regs[cpu] + 0x8, (u64)cpu << 8);	/* Processor_Number */
		gicr_regs[cpu][0] = 1;				/* EnableLPIs */
		/* IDbits 15: all 16-bit INTIDs have a byte. */
		put64(gicr_regs[cpu] + GICR_PROPBASER, (u64)(uintptr_t)prop | 15);
	}
	its->phys = ITS_PHYS;
	its->taken = its->hw_enabled = true;
	its->queue = (u64 *)prop;		/* any non-NULL: the fake journals */
	its->typer = 0;				/* RDbase is the processor number */
	its->lim.num_devices = 1 << 16;
	its->lim.num_collections = 64;
	its->lim.event_bits = 16;
	its->lim.lpi_bits = LPI_BITS;
	its->lim.ite_size = 8;
	its->lim.cell_lpis = ITS_CELL_LPIS;
	its->lim.cell_icids = CONFIG_WD_MAX_CPUS;
	num_its = 1;
	cell.config = &cell_desc;
	cell.cpu_set[0] = 0x4;			/* CPU 2 */
	cell.vits = (struct vits *)&cell;	/* present: never dereferenced here */
}

static void make_fn(struct vpci_phys_fn *fn, u32 devid, u16 vbdf, unsigned int vectors)
{
	memset(fn, 0, sizeof(*fn));
	fn->cell = &cell;
	fn->has_devid = true;
	fn->devid = devid;
	fn->vbdf = vbdf;
	fn->msix_cap = 0x70;
	fn->num_vectors = vectors;
	snprintf(fn->name, sizeof(fn->name), "0000:%02x:00.0", (devid >> 8) & 0xff);
}

static void entry(struct vpci_phys_fn *fn, unsigned int e, u64 addr, u32 data)
{
	fn->msix[e][0] = (u32)addr;
	fn->msix[e][1] = (u32)(addr >> 32);
	fn->msix[e][2] = data;
}

static bool cmd_is(unsigned int i, u64 a, u64 b, u64 c, u64 d)
{
	return i < njournal && journal[i][0] == a && journal[i][1] == b &&
	       journal[i][2] == c && journal[i][3] == d;
}

static void reset_journal(void)
{
	njournal = flushes = 0;
	log_text[0] = last_reason[0] = 0;
}

/* ---- encoding -------------------------------------------------------------- */

static enum its_rd_owner any_rd(void *ctx, u64 rdbase) { return ITS_RD_ROOT; }
static bool any_ram(void *ctx, u64 start, u64 size) { return true; }

/* The root's checker decodes @c to itself (same fields, nothing dropped). */
static bool decodes_to_itself(const u64 c[4])
{
	struct its_limits lim = { .num_devices = 0xffffffff, .num_collections = 0x10000,
				  .event_bits = 32, .lpi_bits = 32, .ite_size = 8,
				  .root_ram = any_ram, .rd_owner = any_rd };
	struct its_verdict v;
	u64 out[4];

	return its_cmd_check(&lim, c, out, &v) == 0 && !memcmp(out, c, 32);
}

static void test_encoding(void)
{
	u64 c[4];

	its_enc_mapd(c, 0xfedcba98, 0x000fedcba9876500ULL | 0xff, 5, true);
	CHECK_EQ("MAPD: command and DeviceID", c[0], 0xfedcba9800000008ULL);
	CHECK_EQ("MAPD: Size = bits - 1", c[1], 4);
	CHECK_EQ("MAPD: ITT_addr [51:8] and V", c[2], 0x800fedcba9876500ULL);
	CHECK_EQ("MAPD: DW3 zero", c[3], 0);
	CHECK("MAPD: the root's checker reads the same command", decodes_to_itself(c));
	its_enc_mapd(c, 1, 0xfff0000000000000ULL, 32, true);
	CHECK_EQ("MAPD: 32 bits is Size 31", c[1], 31);
	CHECK_EQ("MAPD: address bits above 51 dropped", c[2], 1ULL << 63);
	its_enc_mapd(c, 0x200, 0x12345600, 2, false);
	CHECK("MAPD V=0: DeviceID only", c[0] == 0x20000000008ULL && !c[1] && !c[2] && !c[3]);
	CHECK("MAPD V=0: decoded the same", decodes_to_itself(c));

	its_enc_mapc(c, 0x1234, 0xabcdef012ULL, true);
	CHECK_EQ("MAPC: command", c[0], ITS_CMD_MAPC);
	CHECK_EQ("MAPC: ICID, RDbase [51:16], V", c[2],
		 0x1234 | 0xabcdef012ULL << 16 | 1ULL << 63);
	CHECK("MAPC: DW1, DW3 zero", !c[1] && !c[3]);
	CHECK("MAPC: decoded the same", decodes_to_itself(c));
	its_enc_mapc(c, 0x51234, 0xfabcdef012ULL, true);
	CHECK_EQ("MAPC: ICID 16 bits, RDbase 36 bits", c[2],
		 0x1234 | 0xabcdef012ULL << 16 | 1ULL << 63);
	its_enc_mapc(c, 7, 0x55, false);
	CHECK_EQ("MAPC V=0: ICID only", c[2], 7);

	its_enc_mapti(c, 0x10200, 0x11223344, 0x55667788, 0x19abc);
	CHECK_EQ("MAPTI: command and DeviceID", c[0], 0x000102000000000aULL);
	CHECK_EQ("MAPTI: EventID and pINTID", c[1], 0x5566778811223344ULL);
	CHECK_EQ("MAPTI: ICID, 16 bits", c[2], 0x9abc);
	CHECK_EQ("MAPTI: DW3 zero", c[3], 0);
	its_enc_mapti(c, 0x10200, 3, 0x2000, 0x3f);
	CHECK("MAPTI: decoded the same", decodes_to_itself(c));

	its_enc_event(c, ITS_CMD_INV, 0xabc, 0x7f);
	CHECK("INV: command, DeviceID, EventID", c[0] == (0xabcULL << 32 | ITS_CMD_INV) &&
	      c[1] == 0x7f && !c[2] && !c[3]);
	CHECK("INV: decoded the same", decodes_to_itself(c));
	its_enc_event(c, ITS_CMD_DISCARD, 0xabc, 0xffffffff);
	CHECK("DISCARD: command, DeviceID, EventID", c[0] == (0xabcULL << 32 | ITS_CMD_DISCARD) &&
	      c[1] == 0xffffffff && !c[2] && !c[3]);
	CHECK("DISCARD: decoded the same", decodes_to_itself(c));

	its_enc_sync(c, 0xfabcdef012ULL);
	CHECK("SYNC: RDbase [51:16], 36 bits", c[0] == ITS_CMD_SYNC && !c[1] &&
	      c[2] == 0xabcdef012ULL << 16 && !c[3]);
	its_enc_sync(c, 0x80);
	CHECK("SYNC: decoded the same", decodes_to_itself(c));

	CHECK_EQ("RDbase: the processor number without PTA", its_rdbase(&its_units[0], per_cpu(2)), 2);
	its_units[0].typer = GITS_TYPER_PTA;
	CHECK_EQ("RDbase: the frame's address >> 16 with PTA", its_rdbase(&its_units[0], per_cpu(2)),
		 (0x080a0000 + 2 * 0x20000) >> 16);
	its_units[0].typer = 0;
}

static void test_send(void)
{
	struct its *its = &its_units[0];
	u64 c[1][4];

	its_enc_sync(c[0], 1);
	reset_journal();
	its->taken = false;
	CHECK_EQ("send: an ITS not taken over refuses", its_hv_send(its, (const u64 (*)[4])c, 1, "SYNC"),
		 -ENODEV);
	its->taken = true;
	its->hw_enabled = false;
	CHECK_EQ("send: ... so does one Linux left disabled",
		 its_hv_send(its, (const u64 (*)[4])c, 1, "SYNC"), -ENODEV);
	its->hw_enabled = true;
	CHECK_EQ("send: ... nothing was queued", njournal, 0);
	CHECK_EQ("send: queued and waited for", its_hv_send(its, (const u64 (*)[4])c, 1, "SYNC"), 0);
	CHECK("send: ... once", njournal == 1 && flushes == 1);
	flush_fails = true;
	CHECK_EQ("send: a timeout is reported", its_hv_send(its, (const u64 (*)[4])c, 1, "SYNC"),
		 -ETIMEDOUT);
	flush_fails = false;
	CHECK_STR("send: ... and logged, naming what", log_text,
		  "ITS 0x8080000: the hypervisor's SYNC timed out\n");
	CHECK("send: the lock is free again", its->lock.owner == its->lock.next);
}

/* ---- create, route, deliver, tear down ------------------------------------- */

static void test_create(void)
{
	struct vpci_phys_fn *fn = &fns[0];
	u64 used = mem_pool.used;
	struct msi_dev *d;

	make_fn(fn, 0x200, 0x0010, 2);
	cell.vits = NULL;
	reset_journal();
	CHECK_EQ("create: a cell without vITS: no mapping, no refusal", arch_vpci_msi_create(fn), 0);
	cell.vits = (struct vits *)&cell;
	fn->has_devid = false;
	CHECK_EQ("create: no device id: no mapping either", arch_vpci_msi_create(fn), 0);
	fn->has_devid = true;
	fn->msix_cap = 0;
	CHECK_EQ("create: no MSI-X: no mapping", arch_vpci_msi_create(fn), 0);
	fn->msix_cap = 0x70;
	its_units[0].hw_enabled = false;
	CHECK_EQ("create: an ITS Linux left disabled: no mapping, no refusal", arch_vpci_msi_create(fn), 0);
	CHECK("create: ... and no pLPI is anybody's", !cell_msi_lpi(BASE));
	its_units[0].hw_enabled = true;
	CHECK("create: ... no command for any of them", njournal == 0 && !fn->arch_msi);

	fn->devid = 0x10000;
	CHECK_EQ("create: a device id beyond the ITS's is refused", arch_vpci_msi_create(fn), -EINVAL);
	CHECK("... naming the function and the limits", strstr(last_reason, "cell 'msi': PCI device 0000:02:00.0: ITS device id 0x10000 or 1 event bits beyond") != NULL);
	fn->devid = 0x200;

	CHECK_EQ("create: mapped", arch_vpci_msi_create(fn), 0);
	d = fn->arch_msi;
	CHECK("create: ... with a record", d && d->fn == fn);
	CHECK_EQ("create: the ITT came from the pool", mem_pool.used, used + 1);
	CHECK_EQ("create: ... 256-byte aligned (a page)", (u64)(uintptr_t)d->itt % 4096, 0);
	CHECK("create: ... cleaned to the PoC", cleaned_at == (u64)(uintptr_t)d->itt && cleaned_size == 4096);
	CHECK_EQ("create: ITT entries for 2 vectors: 1 bit, 16 bytes", d->itt_size, 16);
	CHECK("create: the device table's L2 page made sure of",
	      l2_calls == 1 && l2_type == GITS_BASER_TYPE_DEVICE && l2_id == 0x200);
	CHECK("create: MAPD(0x200, ITT, 1 bit)",
	      cmd_is(0, 0x20000000008ULL, 0, (u64)(uintptr_t)d->itt | 1ULL << 63, 0));
	CHECK("create: ... SYNC on the cell's CPU", cmd_is(1, ITS_CMD_SYNC, 0, 2ULL << 16, 0));
	CHECK("create: ... one batch", njournal == 2 && flushes == 1);
}

static void test_route(void)
{
	struct vpci_phys_fn *fn = &fns[0];
	struct msi_dev *d = fn->arch_msi;
	u32 icid = 64 - CONFIG_WD_MAX_CPUS + 2;
	u64 addr = 0;
	u32 data = 0;

	reset_journal();
	entry(fn, 0, 0x08000040, 0x33);		/* GICD_SETSPI_NSR: not the doorbell */
	CHECK_EQ("route: a foreign address: none", arch_vpci_msix_route(fn, 0, &addr, &data), -ENODEV);
	CHECK_EQ("route: ... and no command", njournal, 0);
	entry(fn, 0, DOORBELL, 0x33);
	dma_err = -ENODEV;
	CHECK_EQ("route: the DMA view cannot reach the ITS: none", arch_vpci_msix_route(fn, 0, &addr, &data),
		 -ENODEV);
	CHECK_EQ("route: ... asked for the ITS's translation page", dma_phys, ITS_PHYS + 0x10000);
	CHECK_STR("route: ... logged once", log_text,
		  "cell 'msi': PCI device 0000:02:00.0: its DMA view does not reach the ITS doorbell (error -19): no MSI route\n");
	arch_vpci_msix_route(fn, 0, &addr, &data);
	CHECK("route: ... only once", strchr(log_text, '\n') == log_text + strlen(log_text) - 1);
	dma_err = 0;
	CHECK_EQ("route: no command for those", njournal, 0);

	reset_journal();
	CHECK_EQ("route: the doorbell: routed", arch_vpci_msix_route(fn, 0, &addr, &data), 0);
	CHECK_EQ("route: the device writes the ITS doorbell in its DMA view", addr, DMA_IPA + 0x40);
	CHECK_EQ("route: ... with the entry index as event", data, 0);
	CHECK("route: the collection table's L2 page made sure of",
	      l2_calls == 2 && l2_type == GITS_BASER_TYPE_COLL && l2_id == icid);
	CHECK("route: MAPC of CPU 2's kept collection",
	      cmd_is(0, ITS_CMD_MAPC, 0, icid | 2ULL << 16 | 1ULL << 63, 0));
	CHECK("route: ... SYNC", cmd_is(1, ITS_CMD_SYNC, 0, 2ULL << 16, 0));
	CHECK("route: MAPTI(0x200, event 0, the first kept pLPI, that collection)",
	      cmd_is(2, 0x2000000000aULL, (u64)BASE << 32, icid, 0));
	CHECK("route: INV", cmd_is(3, 0x2000000000cULL, 0, 0, 0));
	CHECK("route: SYNC", cmd_is(4, ITS_CMD_SYNC, 0, 2ULL << 16, 0));
	CHECK_EQ("route: its property byte: priority 0xa0, Group 1, enabled", prop[BASE - 8192], 0xa3);
	CHECK_EQ("route: ... cleaned to the PoC", cleaned_at, (u64)(uintptr_t)&prop[BASE - 8192]);
	CHECK_EQ("route: no mapping left behind", live_maps, 0);
	CHECK("route: the first route logged (function, entry, device id, event, pLPI, CPU)", strstr(log_text, "cell 'msi': PCI device 0000:02:00.0 MSI-X entry 0 routed: ITS device id 0x200 event 0 is pLPI 65280 on CPU 2\n") != NULL);

	reset_journal();
	entry(fn, 1, DOORBELL, 0x34);
	CHECK_EQ("route: entry 1", arch_vpci_msix_route(fn, 1, &addr, &data), 0);
	CHECK("route: ... no second MAPC, MAPTI with event 1 and the next pLPI",
	      njournal == 3 && cmd_is(0, 0x2000000000aULL, 1 | (u64)(BASE + 1) << 32, icid, 0));
	CHECK_EQ("route: ... data 1", data, 1);
	CHECK("route: ... only the function's first route is logged", !strstr(log_text, "routed"));

	reset_journal();
	entry(fn, 1, DOORBELL, 0x44);
	CHECK_EQ("route: the cell re-writes its data", arch_vpci_msix_route(fn, 1, &addr, &data), 0);
	CHECK_EQ("route: ... no ITS command", njournal, 0);
	CHECK_EQ("route: ... the slot has the new event", slots[d->slot[1]].event, 0x44);

	/* Arrival at EL2. */
	memset(&delivered, 0, sizeof(delivered));
	CHECK("EL2: an LPI below the kept ones is the root's", !cell_msi_lpi(BASE - 1));
	CHECK("EL2: ... so is one of Linux's", !cell_msi_lpi(8192));
	CHECK_EQ("EL2: ... nothing delivered", delivered.calls, 0);
	CHECK("EL2: pLPI of entry 1 taken", cell_msi_lpi(BASE + 1));
	CHECK("EL2: ... to the cell's vITS as (00:02.0, its data)",
	      delivered.calls == 1 && delivered.cell == &cell && delivered.devid == 0x10 &&
	      delivered.event == 0x44);
	CHECK_EQ("EL2: ... counted", slots[d->slot[1]].delivered, 1);
	CHECK_EQ("EL2: ... nothing in flight", slots[d->slot[1]].inflight, 0);
	reset_journal();
	CHECK("EL2: a kept pLPI nobody owns: taken (never the root's)", cell_msi_lpi(BASE + 200));
	CHECK_EQ("EL2: ... not delivered", delivered.calls, 1);
	CHECK_STR("EL2: ... logged", log_text, "pLPI 65480 dropped (no cell owns it, error -2; 1 so far)\n");
	vits_err = -EINVAL;
	cell_msi_lpi(BASE + 1);
	cell_msi_lpi(BASE + 1);
	cell_msi_lpi(BASE + 1);
	vits_err = 0;
	CHECK_EQ("EL2: the cell's vITS refused three: counted", slots[d->slot[1]].dropped, 3);
	CHECK("EL2: ... the log is rate-limited (the 2nd and 4th drop only)",
	      strstr(log_text, "2 so far") && !strstr(log_text, "3 so far") && strstr(log_text, "4 so far"));

	/* The cell points entry 1 elsewhere: torn down. */
	reset_journal();
	entry(fn, 1, 0x08000040, 0x44);
	CHECK_EQ("re-route: a foreign address: no route", arch_vpci_msix_route(fn, 1, &addr, &data), -ENODEV);
	CHECK("re-route: DISCARD(0x200, 1) + SYNC",
	      njournal == 2 && cmd_is(0, 0x2000000000fULL, 1, 0, 0) &&
	      cmd_is(1, ITS_CMD_SYNC, 0, 2ULL << 16, 0));
	CHECK_EQ("re-route: its property byte cleared", prop[BASE + 1 - 8192], 0);
	CHECK("re-route: the slot is free", !slots[1].used && d->slot[1] == NO_SLOT);
	delivered.calls = 0;
	cell_msi_lpi(BASE + 1);
	CHECK_EQ("re-route: a late pLPI is dropped", delivered.calls, 0);
	CHECK_EQ("re-route: ... its counts kept for the device", d->dropped, 3);
}

static void test_route_refusals(void)
{
	struct vpci_phys_fn *fn = &fns[0];
	u64 addr;
	u32 data;
	unsigned int cpu;

	entry(fn, 1, DOORBELL, 0x44);
	reset_journal();
	put64(gicr_regs[2] + GICR_PROPBASER, (u64)(uintptr_t)prop | 14);	/* 32768 INTIDs */
	CHECK_EQ("no room: a pLPI beyond the root's PROPBASER.IDbits", arch_vpci_msix_route(fn, 1, &addr, &data),
		 -ERANGE);
	CHECK("no room: ... logged, naming entry and pLPI", strstr(log_text, "MSI-X entry 1: pLPI 65281 has no byte in the root's LPI property table (error -34): no route") != NULL);
	CHECK("no room: ... no MAPTI, the slot free again", njournal == 0 && !slots[1].used);
	put64(gicr_regs[2] + GICR_PROPBASER, (u64)(uintptr_t)prop | 15);
	gicr_regs[2][0] = 0;
	reset_journal();
	CHECK_EQ("no route to a CPU without LPIs", arch_vpci_msix_route(fn, 1, &addr, &data), -ENODEV);
	CHECK("... logged", strstr(log_text, "no CPU of the cell has LPIs enabled") != NULL);
	reset_journal();
	arch_vpci_msix_route(fn, 1, &addr, &data);
	CHECK("... once per function (the cell cannot flood the log)", !strstr(log_text, "no CPU"));
	gicr_regs[2][0] = 1;
	(void)cpu;
}

static void test_release(void)
{
	struct vpci_phys_fn *fn = &fns[0];
	struct msi_dev *d = fn->arch_msi;
	u64 used = mem_pool.used, addr;
	u8 *itt = (u8 *)d->itt;
	u32 data;

	arch_vpci_msix_route(fn, 1, &addr, &data);
	cell_msi_lpi(BASE + 1);
	memset(itt, 0x5a, 16);			/* what the ITS wrote there */
	reset_journal();
	watched = fn;
	owner_at_discard = false;
	arch_vpci_msi_release(fn);
	watched = NULL;
	CHECK("release: no slot had an owner when the first DISCARD was queued", !owner_at_discard);
	CHECK("release: DISCARD + SYNC for each routed entry, then MAPD V=0 + SYNC",
	      njournal == 6 && cmd_is(0, 0x2000000000fULL, 0, 0, 0) &&
	      cmd_is(1, ITS_CMD_SYNC, 0, 2ULL << 16, 0) &&
	      cmd_is(2, 0x2000000000fULL, 1, 0, 0) && cmd_is(3, ITS_CMD_SYNC, 0, 2ULL << 16, 0) &&
	      cmd_is(4, 0x20000000008ULL, 0, 0, 0) && cmd_is(5, ITS_CMD_SYNC, 0, 2ULL << 16, 0));
	CHECK("release: property bytes cleared", !prop[BASE - 8192] && !prop[BASE + 1 - 8192]);
	CHECK("release: the slots are free", !slots[0].used && !slots[1].used);
	CHECK("release: the ITT zeroed before it went back", !itt[0] && !itt[15]);
	CHECK_EQ("release: the pool is back", mem_pool.used, used - 1);
	CHECK("release: the function has no mapping", !fn->arch_msi && !d->fn);
	CHECK_STR("release: logged with its counts", log_text,
		  "cell 'msi': PCI device 0000:02:00.0: ITS device id 0x200 unmapped (2 MSIs delivered, 3 dropped)\n");
	delivered.calls = 0;
	CHECK("release: a late pLPI is taken at EL2", cell_msi_lpi(BASE));
	CHECK_EQ("release: ... and dropped", delivered.calls, 0);
	reset_journal();
	arch_vpci_msi_release(fn);
	CHECK_EQ("release: twice is once", njournal, 0);
	CHECK_EQ("release: no mapping left behind", live_maps, 0);
}

static void test_timeouts(void)
{
	struct vpci_phys_fn *fn = &fns[1];
	u64 used = mem_pool.used, addr;
	struct msi_dev *d;
	u32 data;

	make_fn(fn, 0x300, 0x0018, 4);
	flush_fails = true;
	CHECK_EQ("timeout at create: refused", arch_vpci_msi_create(fn), -ETIMEDOUT);
	CHECK("timeout at create: ... naming the function and device id", strstr(last_reason, "cell 'msi': PCI device 0000:03:00.0: mapping ITS device id 0x300 for the cell failed (error -110)") != NULL);
	CHECK_EQ("timeout at create: the ITT is kept from the pool (the ITS may write it)",
		 mem_pool.used, used + 1);
	flush_fails = false;
	CHECK_EQ("create again", arch_vpci_msi_create(fn), 0);
	d = fn->arch_msi;
	CHECK("... with another record", d && !d->kept);
	entry(fn, 0, DOORBELL, 1);
	CHECK_EQ("... routed", arch_vpci_msix_route(fn, 0, &addr, &data), 0);
	flush_fails = true;
	reset_journal();
	arch_vpci_msi_release(fn);
	flush_fails = false;
	CHECK("timeout at release: logged", strstr(log_text, "the ITS did not confirm unmapping device id 0x300: its ITT and pLPIs are never reused") != NULL);
	CHECK("timeout at release: the slot stays taken, without owner", slots[d->slot[0]].used &&
	      !slots[d->slot[0]].owner);
	CHECK_EQ("timeout at release: ... the ITT too", mem_pool.used, used + 2);
	CHECK("timeout at release: the function is let go", !fn->arch_msi);
}

static void test_exhaustion(void)
{
	unsigned int f, e, routed = 0;
	u64 addr;
	u32 data;
	int err = 0;

	for (f = 2; f < 6; f++) {
		make_fn(&fns[f], 0x400 + f, (u16)(0x20 + f * 8), 64);
		CHECK_EQ("exhaustion: a function with 64 vectors", arch_vpci_msi_create(&fns[f]), 0);
	}
	CHECK_EQ("exhaustion: 64 vectors need 6 event bits", ((struct msi_dev *)fns[2].arch_msi)->bits, 6);
	for (f = 2; f < 6 && !err; f++)
		for (e = 0; e < 64 && !err; e++) {
			entry(&fns[f], e, DOORBELL, e);
			log_text[0] = 0;
			err = arch_vpci_msix_route(&fns[f], e, &addr, &data);
			routed += !err;
		}
	/* 1 slot is kept by test_timeouts' stuck one. */
	CHECK_EQ("exhaustion: every kept pLPI routed once", routed, ITS_CELL_LPIS - 1);
	CHECK_EQ("exhaustion: then none is left", err, -ENOSPC);
	CHECK("exhaustion: logged", strstr(log_text, "all 256 pLPIs kept for cells are in use: no route") != NULL);
	for (f = 2; f < 6; f++)
		arch_vpci_msi_release(&fns[f]);
	CHECK("exhaustion: all free again but the stuck one",
	      slots[0].used + slots[1].used + slots[2].used + slots[255].used == 1);
}

int main(void)
{
	setup();
	test_encoding();
	test_send();
	test_create();
	test_route();
	test_route_refusals();
	test_release();
	test_timeouts();
	test_exhaustion();
	(void)fake_pool_teardown;
	return check_failures ? 1 : 0;
}
