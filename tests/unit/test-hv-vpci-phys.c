/*
 * Host unit tests of a cell's physical PCI functions on its virtual PCI host
 * (hypervisor/core/vpci-phys.c) and their trapped MSI-X table
 * (hypervisor/core/vpci-msix.c), on a fake physical ECAM and BAR window in
 * host memory: where a function appears, what the cell reads of its
 * configuration space, that writes of every width at every offset change
 * nothing but the allowed bits of this one function, BAR sizing, the MSI-X
 * shadow and when the device's own entries are (not) programmed, reset and
 * destroy, and the refusals.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "check.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/core/vpci.c"
#include "../../hypervisor/core/ivshmem.c"
#include "../../hypervisor/core/ivshmem-fast.c"

/* The CPU the accesses come from (the doorbell the general path learns). */
static struct per_cpu test_cpu;
struct per_cpu *this_cpu(void) { return &test_cpu; }
#include "../../hypervisor/core/vpci-phys.c"
#include "../../hypervisor/core/vpci-msix.c"
#include "../../hypervisor/core/vpci-devid.c"

static char name[400], one[256];

/* @s up to its first newline (log lines end with one). */
static const char *line(const char *s)
{
	snprintf(one, sizeof(one), "%.*s", (int)strcspn(s, "\n"), s);
	return one;
}
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

/* ---- the environment */
static struct {
	struct wd_system_config sys;
	struct wd_mem_region mem[3];	/* the root's regions follow its descriptor */
} __attribute__((packed)) sysc;
const struct wd_system_config *system_config = &sysc.sys;
static struct wd_fw_header hdr;
struct wd_fw_header *fw_header = &hdr;
u64 hv_phys_base = 0x7fc00000, hv_mem_size = 0x400000;
struct cell root_cell;
struct cell *cells = &root_cell;
unsigned int num_cells = 1;
static char last_refusal[256], last_log[256], prev_log[256];
static unsigned int dev_maps, dev_unmaps, s2_unmaps;
static u64 s2_unmap_at, s2_unmap_size;
static bool route_ok;

int refuse(int err, u32 kind, u64 object, u64 addr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_refusal, sizeof(last_refusal), fmt, ap);
	va_end(ap);
	return err;
}
void printk(const char *fmt, ...)
{
	va_list ap;

	memcpy(prev_log, last_log, sizeof(prev_log));
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}
void *page_alloc(u64 num) { return calloc(num, PAGE_SIZE); }
void page_free(void *page, u64 num) { free(page); }
void *arch_map_temp(u64 phys, u64 size) { return (void *)(uintptr_t)phys; }
void arch_unmap_temp(void *virt, u64 size) { dev_unmaps++; }
int arch_map_device(u64 phys, u64 size, void **virt)
{
	dev_maps++;
	*virt = (void *)(uintptr_t)phys;
	return 0;
}
int paging_unmap(struct paging *pg, u64 virt, u64 size)
{
	s2_unmaps++;
	s2_unmap_at = virt;
	s2_unmap_size = size;
	return 0;
}
void dcache_clean_inval_range(u64 start, u64 size) { }
void arch_vpci_raise_spi(unsigned int irq) { }
u64 arch_vpci_msi_doorbell(void) { return 0x08000040; }
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data) { }
struct cell *cell_by_id(unsigned int id) { return NULL; }
/* The arch's answer, under the test's control: a route to 0x8090040, event 0x77 + entry. */
int arch_vpci_msix_route(struct vpci_phys_fn *fn, unsigned int entry, u64 *addr, u32 *data)
{
	if (!route_ok)
		return -ENODEV;
	*addr = 0x08090040;
	*data = 0x77 + entry;
	return 0;
}

/* The arch's ITS mapping of a function's MSIs: counted; create fails on request. */
static int msi_creates, msi_releases, msi_create_err;
int arch_vpci_msi_create(struct vpci_phys_fn *fn)
{
	if (msi_create_err)
		return msi_create_err;
	msi_creates++;
	fn->arch_msi = fn;
	return 0;
}
void arch_vpci_msi_release(struct vpci_phys_fn *fn)
{
	if (fn->arch_msi)
		msi_releases++;
	fn->arch_msi = NULL;
}

/* ---- the fake machine: ECAM buses 0..3 and a BAR window, in host memory */
#define VECAM		0x08e00000ULL
#define PBDF		0x0200		/* 02:00.0 */
#define VBDF		0x0010		/* 00:02.0 */
#define BAR1_IPA	0x10300000ULL
#define BAR4_IPA	0x8000200000ULL
static u8 *ecam, *bars;			/* "physical" */
static u64 ecam_phys, bar1_phys, bar4_phys;

static u8 *fn_cfg(u16 bdf) { return ecam + ((u64)bdf << 12); }
static void put16(u8 *p, u16 v) { memcpy(p, &v, 2); }
static void put32(u8 *p, u32 v) { memcpy(p, &v, 4); }
static u32 get32(const u8 *p) { u32 v; memcpy(&v, p, 4); return v; }

/* virtio-rng-like: PM, vendor, MSI, MSI-X, PCIe; BAR1 MSI-X, BAR4/5 64-bit. */
static void make_device(u16 vectors_minus_1)
{
	u8 *c = fn_cfg(PBDF);

	memset(ecam, 0xff, 4 << 20);
	memset(c, 0, 0x1000);
	put32(c + 0x00, 0x10441af4);
	put16(c + 0x04, 0x0006);		/* memory, bus master */
	put16(c + 0x06, 0x0010);		/* capabilities list */
	put32(c + 0x08, 0x00ff0001);
	put32(c + 0x14, (u32)bar1_phys);
	put32(c + 0x20, (u32)bar4_phys | 0xc);	/* 64-bit prefetchable */
	put32(c + 0x24, (u32)(bar4_phys >> 32));
	put32(c + 0x2c, 0x11001af4);
	put32(c + 0x30, 0xfffc0000);		/* a ROM the cell must not see */
	c[0x34] = 0x40;
	put32(c + 0x3c, 0x0000012a);		/* INTA, line 42 */
	c[0x40] = PCI_CAP_ID_PM;   c[0x41] = 0x50;
	c[0x50] = PCI_CAP_ID_VNDR; c[0x51] = 0x60; c[0x52] = 0x10; c[0x53] = 0xab;
	c[0x60] = PCI_CAP_ID_MSI;  c[0x61] = 0x70;
	c[0x70] = PCI_CAP_ID_MSIX; c[0x71] = 0x80;
	put16(c + 0x72, vectors_minus_1);
	put32(c + 0x74, 1);			/* table: BAR1 + 0 */
	put32(c + 0x78, 1 | 0x800);		/* PBA: BAR1 + 0x800 */
	c[0x80] = PCI_CAP_ID_EXP;  c[0x81] = 0x00; c[0x82] = 0x02;
	put32(c + 0x100, 0x00010001);		/* AER: an extended capability */
	memset(bars, 0x5a, 0x10000);
}

struct cfg {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem[3];
	struct wd_pci_device pci[2];
} __attribute__((packed));

static void make_cfg(struct cfg *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->cell.name, "pci");
	c->cell.cpu_set_size = 8;
	c->cell.num_memory_regions = 3;
	c->cell.num_pci_devices = 1;
	c->mem[0] = (struct wd_mem_region){ 0x7f000000, 0, 0x10000, WD_MEM_READ | WD_MEM_WRITE };
	c->mem[1] = (struct wd_mem_region){ bar1_phys, BAR1_IPA, 0x1000,
					    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	c->mem[2] = (struct wd_mem_region){ bar4_phys, BAR4_IPA, 0x4000,
					    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	c->pci[0].type = WD_PCI_TYPE_DEVICE;
	c->pci[0].bdf = PBDF;
	c->pci[0].bar_mask[1] = 0xfffff000;
	c->pci[0].bar_mask[4] = 0xffffc00c;
	c->pci[0].bar_mask[5] = 0xffffffff;
}

static struct cell *new_cell(struct cfg *c)
{
	struct cell *cell = calloc(1, sizeof(*cell));

	cell->id = 1;
	cell->config = &c->cell;
	root_cell.next = cell;
	return cell;
}

static void drop_cell(struct cell *cell)
{
	vpci_cell_destroy(cell);
	root_cell.next = NULL;
	free(cell);
}

static u32 cfg_rd(struct cell *cell, u16 bdf, unsigned int reg, unsigned int size)
{
	struct mmio_access a = { .address = VECAM + ((u64)bdf << 12) + reg, .size = size };

	CHECK_EQ(NAME("read %x of %02x:%02x.%x (%u bytes) is handled", reg, bdf >> 8,
		      (bdf >> 3) & 0x1f, bdf & 7, size),
		 mmio_dispatch(&cell->mmio, &a), MMIO_HANDLED);
	return (u32)a.value;
}

static enum mmio_result cfg_wr(struct cell *cell, u16 bdf, unsigned int reg, u32 v,
			       unsigned int size)
{
	struct mmio_access a = { .address = VECAM + ((u64)bdf << 12) + reg, .size = size,
				 .is_write = true, .value = v };

	return mmio_dispatch(&cell->mmio, &a);
}

static enum mmio_result bar_acc(struct cell *cell, u64 ipa, unsigned int size, bool write,
				u64 *v)
{
	struct mmio_access a = { .address = ipa, .size = size, .is_write = write,
				 .value = write ? *v : 0 };
	enum mmio_result r = mmio_dispatch(&cell->mmio, &a);

	if (!write)
		*v = a.value;
	return r;
}

static struct cell *create(struct cfg *c, int want)
{
	struct cell *cell = new_cell(c);
	int err = vpci_cell_create(cell);

	if (!err)
		err = vpci_phys_trap(cell);
	CHECK_EQ(NAME("create: %.*s", (int)strcspn(want ? last_refusal : last_log, "\n"),
		      want ? last_refusal : last_log), err, want);
	return cell;
}

int main(void)
{
	u8 *before = malloc(4 << 20), *c, *entry;
	unsigned int reg, size, n, changed, bad;
	u16 vbdf;
	struct cell *cell;
	struct cfg cfg;
	u64 v;

	ecam = aligned_alloc(1 << 20, 4 << 20);
	/* A 32-bit BAR holds the "physical" address: host memory below 4 GiB. */
	bars = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (bars == MAP_FAILED)
		return 1;
	ecam_phys = (u64)(uintptr_t)ecam;
	bar1_phys = (u64)(uintptr_t)bars;
	bar4_phys = bar1_phys + 0x4000;
	c = fn_cfg(PBDF);
	sysc.sys.platform.pci_mmconfig_base = VECAM;
	sysc.sys.root_cell.num_memory_regions = 3;
	sysc.mem[0] = (struct wd_mem_region){ 0x40000000, 0x40000000, 0x30000000,
					      WD_MEM_READ | WD_MEM_WRITE };
	sysc.mem[1] = (struct wd_mem_region){ ecam_phys, ecam_phys, 4 << 20,
					      WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	sysc.mem[2] = (struct wd_mem_region){ bar1_phys, bar1_phys, 0x10000,
					      WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	hdr.pci_ecam_phys = ecam_phys;
	hdr.pci_ecam_start_bus = 0;
	hdr.pci_ecam_end_bus = 3;
	/* msi-map on the RID with an offset, as on a board with several hosts. */
	hdr.pci_msi_map_flags = WD_FW_MSI_MAP_VALID;
	hdr.pci_msi_map_num = 1;
	hdr.pci_msi_map_mask = 0xffff;
	hdr.pci_msi_map[0] = (struct wd_fw_msi_map){ 0, 0x10000, 0x10000, 0 };

	/* Where functions appear. */
	CHECK("00:05.1 keeps its place", vpci_phys_vbdf(0x0029, &vbdf) && vbdf == 0x0029);
	CHECK("02:00.0 behind a root port is 00:02.0", vpci_phys_vbdf(0x0200, &vbdf) && vbdf == 0x0010);
	CHECK("02:00.3 is 00:02.3", vpci_phys_vbdf(0x0203, &vbdf) && vbdf == 0x0013);
	CHECK("02:01.0 (device 1 behind a port) has no place", !vpci_phys_vbdf(0x0208, &vbdf));
	CHECK("bus 0x20 has no place", !vpci_phys_vbdf(0x2000, &vbdf));

	make_device(1);
	make_cfg(&cfg);
	cell = create(&cfg, 0);
	CHECK("create names where the function appears",
	      !strcmp(last_log, "cell 'pci': PCI device 0000:02:00.0 is 00:02.0 on its virtual host (3 capabilities shown, 2 MSI-X vectors)\n"));
	CHECK(NAME("create names the function's ITS device id: %s", line(prev_log)),
	      !strcmp(prev_log, "cell 'pci': PCI device 0000:02:00.0 sends its MSIs as ITS device id 0x10200\n"));
	CHECK("... and keeps it", cell->vpci->phys->fn[0].has_devid && cell->vpci->phys->fn[0].devid == 0x10200);
	CHECK_EQ("the MSI-X page left the cell's stage 2", s2_unmap_at, BAR1_IPA);
	CHECK_EQ("... one page", s2_unmap_size, 0x1000);
	CHECK_EQ("the device's MSI-X entries are masked at create",
		 get32(bars + 12) & 1, 1);
	CHECK_EQ("the arch mapped the function's MSIs once", msi_creates, 1);

	/* What the cell reads. */
	CHECK_EQ("ids", cfg_rd(cell, VBDF, 0, 4), 0x10441af4);
	CHECK_EQ("device id, 2 bytes", cfg_rd(cell, VBDF, 2, 2), 0x1044);
	CHECK_EQ("class", cfg_rd(cell, VBDF, 8, 4), 0x00ff0001);
	CHECK_EQ("subsystem", cfg_rd(cell, VBDF, 0x2c, 4), 0x11001af4);
	CHECK_EQ("command: the device's", cfg_rd(cell, VBDF, 4, 2), 0x0006);
	CHECK_EQ("status: capabilities list", cfg_rd(cell, VBDF, 6, 2), 0x0010);
	CHECK_EQ("no ROM", cfg_rd(cell, VBDF, 0x30, 4), 0);
	CHECK_EQ("no INTx (line, pin 0)", cfg_rd(cell, VBDF, 0x3c, 4), 0);
	CHECK_EQ("first capability: vendor-specific (PM hidden)", cfg_rd(cell, VBDF, 0x34, 1), 0x50);
	CHECK_EQ("vendor cap: id, next = MSI-X (MSI hidden)", cfg_rd(cell, VBDF, 0x50, 2), 0x7009);
	CHECK_EQ("vendor cap: its bytes", cfg_rd(cell, VBDF, 0x52, 2), 0xab10);
	CHECK_EQ("PM reads 0", cfg_rd(cell, VBDF, 0x40, 4), 0);
	CHECK_EQ("MSI reads 0", cfg_rd(cell, VBDF, 0x60, 4), 0);
	CHECK_EQ("MSI-X: id, next PCIe, 2 vectors, disabled", cfg_rd(cell, VBDF, 0x70, 4), 0x00018011);
	CHECK_EQ("MSI-X table BIR/offset", cfg_rd(cell, VBDF, 0x74, 4), 1);
	CHECK_EQ("PCIe: last", cfg_rd(cell, VBDF, 0x80, 4), 0x00020010);
	CHECK_EQ("no extended capabilities", cfg_rd(cell, VBDF, 0x100, 4), 0);
	CHECK_EQ("BAR0 (none) reads 0", cfg_rd(cell, VBDF, 0x10, 4), 0);
	CHECK_EQ("BAR1 reads the cell's address", cfg_rd(cell, VBDF, 0x14, 4), (u32)BAR1_IPA);
	CHECK_EQ("BAR4 reads the cell's address, flags kept", cfg_rd(cell, VBDF, 0x20, 4),
		 (u32)BAR4_IPA | 0xc);
	CHECK_EQ("BAR5: the upper half", cfg_rd(cell, VBDF, 0x24, 4), (u32)(BAR4_IPA >> 32));
	CHECK_EQ("a function the cell does not own reads all ones", cfg_rd(cell, 0x0008, 0, 4),
		 0xffffffff);
	CHECK_EQ("... nor its neighbour 00:02.1", cfg_rd(cell, VBDF + 1, 0, 4), 0xffffffff);

	/* Widths and alignment first. */
	CHECK_EQ("8-byte access refused", cfg_wr(cell, VBDF, 0, 0, 8), MMIO_ERROR);
	CHECK_EQ("misaligned access refused", cfg_wr(cell, VBDF, 1, 0, 2), MMIO_ERROR);

	/* BAR sizing. */
	CHECK_EQ("BAR1 all ones", cfg_wr(cell, VBDF, 0x14, 0xffffffff, 4), MMIO_HANDLED);
	CHECK_EQ("... reads the mask", cfg_rd(cell, VBDF, 0x14, 4), 0xfffff000);
	cfg_wr(cell, VBDF, 0x14, (u32)BAR1_IPA, 4);
	CHECK_EQ("... and the address after", cfg_rd(cell, VBDF, 0x14, 4), (u32)BAR1_IPA);
	cfg_wr(cell, VBDF, 0x20, 0xffffffff, 4);
	CHECK_EQ("BAR4 sizing keeps its flags", cfg_rd(cell, VBDF, 0x20, 4), 0xffffc00c);
	cfg_wr(cell, VBDF, 0x20, 0x12340000, 4);
	CHECK_EQ("moving a BAR does not: it reads where it is", cfg_rd(cell, VBDF, 0x20, 4),
		 (u32)BAR4_IPA | 0xc);
	CHECK_EQ("... and the device's BAR was never written", get32(c + 0x20),
		 (u32)bar4_phys | 0xc);

	/* Every offset, every width, ones and zeros: only the allowed bits, only this function. */
	memcpy(before, ecam, 4 << 20);
	for (size = 1, bad = 0; size <= 4; size *= 2)
		for (reg = 0; reg < 0x1000; reg += size) {
			bad += cfg_wr(cell, VBDF, reg, 0xffffffff, size) != MMIO_HANDLED;
			bad += cfg_wr(cell, VBDF, reg, 0, size) != MMIO_HANDLED;
		}
	CHECK_EQ("every aligned write of 1, 2, 4 bytes is handled", bad, 0);
	for (n = changed = bad = 0; n < (4u << 20); n++)
		if (before[n] != ecam[n]) {
			changed++;
			if (n != ((u64)PBDF << 12) + 4 && n != ((u64)PBDF << 12) + 5 &&
			    n != ((u64)PBDF << 12) + 0x73)
				bad++;
		}
	CHECK_EQ("the sweep changed nothing but command and MSI-X control", bad, 0);
	CHECK_EQ("command after the last zero write: INTx disabled only", get32(c + 4) & 0xffff,
		 WD_PCI_CMD_INTX_OFF);
	CHECK_EQ("MSI-X control: table size kept, off", c[0x72] | c[0x73] << 8, 1);
	CHECK_EQ("status untouched", c[6], 0x10);
	cfg_wr(cell, VBDF, 4, 0xffff, 2);
	CHECK_EQ("command all ones: memory, master, INTx off", get32(c + 4) & 0xffff, 0x0406);
	CHECK_EQ("... the cell reads its own INTx Disable", cfg_rd(cell, VBDF, 4, 2), 0x0406);
	cfg_wr(cell, VBDF, 4, 0x0006, 2);
	CHECK_EQ("INTx Disable off for the cell", cfg_rd(cell, VBDF, 4, 2), 0x0006);
	CHECK_EQ("... stays on in the device", get32(c + 4) & 0xffff, 0x0406);

	/* MSI-X: the shadow, and when the device's entry is programmed. */
	entry = bars;
	v = 0x08090040;
	CHECK_EQ("table write trapped", bar_acc(cell, BAR1_IPA, 4, true, &v), MMIO_HANDLED);
	v = 0x1234;
	bar_acc(cell, BAR1_IPA + 8, 4, true, &v);
	v = 0;
	bar_acc(cell, BAR1_IPA + 12, 4, true, &v);
	bar_acc(cell, BAR1_IPA, 8, false, &v);
	CHECK_EQ("the shadow reads back (8 bytes)", v, 0x08090040);
	bar_acc(cell, BAR1_IPA + 8, 4, false, &v);
	CHECK_EQ("data", v, 0x1234);
	CHECK_EQ("the device's entry stays masked (MSI-X off)", get32(entry + 12), 1);
	CHECK_EQ("... and empty", get32(entry), 0);
	cfg_wr(cell, VBDF, 0x72, 0x8000, 2);
	CHECK_EQ("MSI-X enabled in the device", c[0x73] & 0xc0, 0x80);
	CHECK_EQ("the cell reads Enable", cfg_rd(cell, VBDF, 0x72, 2), 0x8001);
	CHECK_EQ("without a route the entry stays masked", get32(entry + 12), 1);
	CHECK_EQ("... and empty", get32(entry + 8), 0);
	route_ok = true;
	v = 0;
	bar_acc(cell, BAR1_IPA + 12, 4, true, &v);
	CHECK_EQ("with a route: the hypervisor's address", get32(entry), 0x08090040);
	CHECK_EQ("... its event", get32(entry + 8), 0x77);
	CHECK_EQ("... unmasked", get32(entry + 12), 0);
	CHECK_EQ("entry 1 (masked by the cell) stays masked", get32(entry + 16 + 12), 1);
	v = 1;
	bar_acc(cell, BAR1_IPA + 12, 4, true, &v);
	CHECK_EQ("the cell masks it: masked in the device", get32(entry + 12), 1);
	CHECK("... and empty (no former doorbell left)", !get32(entry) && !get32(entry + 8));
	v = 0;
	bar_acc(cell, BAR1_IPA + 12, 4, true, &v);
	cfg_wr(cell, VBDF, 0x73, 0x00, 1);
	CHECK_EQ("MSI-X disabled: masked in the device", get32(entry + 12), 1);
	route_ok = false;
	v = 0x0000000100000000ULL;
	bar_acc(cell, BAR1_IPA + 8, 8, true, &v);
	bar_acc(cell, BAR1_IPA + 12, 4, false, &v);
	CHECK_EQ("vector control keeps only Mask", v, 1);
	CHECK_EQ("2-byte table access refused", bar_acc(cell, BAR1_IPA, 2, false, &v), MMIO_ERROR);
	put32(bars + 0x800, 0x3);
	bar_acc(cell, BAR1_IPA + 0x800, 4, false, &v);
	CHECK_EQ("PBA: the device's pending bits", v, 3);
	v = 0;
	bar_acc(cell, BAR1_IPA + 0x800, 4, true, &v);
	CHECK_EQ("... read-only", get32(bars + 0x800), 3);
	v = 0xabcd;
	bar_acc(cell, BAR1_IPA + 0x400, 4, true, &v);
	CHECK_EQ("the page's other registers reach the device", get32(bars + 0x400), 0xabcd);
	v = 0xbad;
	bar_acc(cell, BAR1_IPA + 0x20, 4, true, &v);
	CHECK_EQ("past the last entry: not a shadow, the device's", get32(bars + 0x20), 0xbad);

	/* Reset and destroy. */
	cfg_wr(cell, VBDF, 0x72, 0x8000, 2);
	v = 0;
	bar_acc(cell, BAR1_IPA + 12, 4, true, &v);
	vpci_cell_reset(cell);
	bar_acc(cell, BAR1_IPA + 12, 4, false, &v);
	CHECK_EQ("reset: the shadow entry is masked", v, 1);
	bar_acc(cell, BAR1_IPA, 4, false, &v);
	CHECK_EQ("... and empty", v, 0);
	CHECK_EQ("reset: MSI-X off in the device", c[0x73] & 0xc0, 0);
	cfg_wr(cell, VBDF, 0x14, 0xffffffff, 4);
	vpci_cell_reset(cell);
	CHECK_EQ("reset: BAR sizing ends", cfg_rd(cell, VBDF, 0x14, 4), (u32)BAR1_IPA);
	cfg_wr(cell, VBDF, 0x72, 0x8000, 2);
	vpci_phys_msi_release(cell);
	CHECK_EQ("destroy: the arch's MSI mapping undone once streams abort", msi_releases, 1);
	drop_cell(cell);
	CHECK_EQ("destroy: ... and not twice", msi_releases, 1);
	CHECK_EQ("destroy: MSI-X off in the device", c[0x73] & 0xc0, 0);
	CHECK_EQ("destroy: entries masked", get32(entry + 12) & get32(entry + 28) & 1, 1);
	CHECK_EQ("destroy: every device mapping undone", dev_unmaps, dev_maps);

	/* The arch cannot map the function's MSIs: refused, nothing left mapped. */
	make_device(1);
	make_cfg(&cfg);
	msi_create_err = -ETIMEDOUT;
	cell = create(&cfg, -ETIMEDOUT);
	msi_create_err = 0;
	drop_cell(cell);
	CHECK_EQ("an ITS failure at create: refused, no MSI mapping to undo", msi_releases, 1);

	/* Refusals and the cases without configuration space. */
	make_device(1);
	put32(c, 0xffffffff);
	make_cfg(&cfg);
	cell = create(&cfg, -ENODEV);
	CHECK(NAME("... naming it: %s", last_refusal),
	      strstr(last_refusal, "cell 'pci': PCI device 0000:02:00.0 does not exist (its configuration space at 0x") != NULL);
	drop_cell(cell);
	make_device(1);
	c[0x0e] = 1;
	cell = create(&cfg, -EINVAL);
	CHECK(NAME("a bridge is refused: %s", last_refusal),
	      strstr(last_refusal, "is not an endpoint (header type 1)") != NULL);
	drop_cell(cell);
	/* The MSI-X page mapped twice: the second address would not be trapped. */
	make_device(1);
	make_cfg(&cfg);
	cfg.mem[2] = (struct wd_mem_region){ bar1_phys, BAR4_IPA, 0x1000,
					     WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	cell = create(&cfg, -EINVAL);
	snprintf(one, sizeof(one),
		 "cell 'pci': PCI device 0000:02:00.0: memory region #2 maps its MSI-X page(s) 0x%llx-0x%llx a second time: only one whole mapping can be trapped",
		 (unsigned long long)bar1_phys, (unsigned long long)bar1_phys + 0xfff);
	CHECK_STR("the MSI-X page mapped by two regions is refused", last_refusal, one);
	drop_cell(cell);
	make_cfg(&cfg);
	make_device(64);
	cell = create(&cfg, -EINVAL);
	CHECK_STR("65 MSI-X vectors are refused", last_refusal,
		  "cell 'pci': PCI device 0000:02:00.0 has 65 MSI-X vectors, more than the 64 the hypervisor shadows");
	drop_cell(cell);
	make_device(1);
	cfg.pci[0].bdf = 0x0208;
	cell = create(&cfg, -EINVAL);
	CHECK_STR("02:01.0 has no place", last_refusal,
		  "cell 'pci': PCI device 0000:02:01.0 has no place on the cell's virtual PCI host (bus 0..31, device 0 behind a port)");
	drop_cell(cell);
	make_cfg(&cfg);
	cfg.cell.num_pci_devices = 2;
	cfg.pci[1] = cfg.pci[0];
	cfg.pci[1].bdf = 0x0010;	/* 00:02.0 on the root bus, where 02:00.0 goes */
	cell = create(&cfg, -EINVAL);
	CHECK_STR("two functions at one place are refused", last_refusal,
		  "cell 'pci': PCI device 0000:00:02.0 would appear at 00:02.0, where the cell has another physical function");
	drop_cell(cell);
	make_cfg(&cfg);
	hdr.pci_ecam_end_bus = 1;
	cell = create(&cfg, 0);
	CHECK(NAME("outside the physical ECAM: no configuration space, said: %s", line(last_log)),
	      strstr(last_log, "the physical ECAM covers domain 0000 buses 00-01") != NULL);
	CHECK_EQ("... the cell reads all ones", cfg_rd(cell, VBDF, 0, 4), 0xffffffff);
	drop_cell(cell);
	hdr.pci_ecam_end_bus = 3;
	sysc.mem[1].size = 1 << 20;
	cell = create(&cfg, 0);
	CHECK(NAME("ECAM page outside the root's device regions: not used: %s", line(last_log)),
	      strstr(last_log, "is not in a device region of the root configuration") != NULL);
	drop_cell(cell);
	sysc.mem[1].size = 4 << 20;
	/* The msi-map leaves 02:00.0 out: the function works, without a device id. */
	hdr.pci_msi_map[0].rid_base = 0x0300;
	cell = create(&cfg, 0);
	CHECK(NAME("no msi-map entry: said: %s", line(prev_log)),
	      !strcmp(prev_log, "cell 'pci': PCI device 0000:02:00.0 has no ITS device id (msi-map): no MSI route\n"));
	CHECK("... and has none", !cell->vpci->phys->fn[0].has_devid);
	drop_cell(cell);
	hdr.pci_msi_map[0].rid_base = 0;
	hdr.pci_ecam_phys = 0;
	cell = create(&cfg, 0);
	CHECK(NAME("no physical ECAM known: said: %s", line(last_log)),
	      strstr(last_log, "the driver found no generic ECAM host") != NULL);
	drop_cell(cell);
	CHECK_EQ("every device mapping undone, refusals too", dev_unmaps, dev_maps);
	free(before);
	free(ecam);
	munmap(bars, 0x10000);
	return CHECK_DONE();
}
