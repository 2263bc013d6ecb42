/*
 * Host unit tests of the virtual PCI host and ivshmem-v2 devices
 * (hypervisor/core/vpci.c, ivshmem.c): ECAM decoding of every width and
 * absent functions, the configuration space as the specification lays it out
 * and which of its fields take writes, BAR sizing, the register block behind
 * BAR 0, doorbells (which interrupt reaches whom, and when not), the state
 * table the hypervisor writes, peers that stop or go away, and which cells a
 * link takes (same BDF, same memory, different ids).
 */
#include <stdlib.h>

#include "check.h"
#include "../../hypervisor/core/mmio.c"
#include "../../hypervisor/core/vpci.c"
#include "vpci-phys-none.h"
#include "../../hypervisor/core/ivshmem.c"
#include "../../hypervisor/core/ivshmem-fast.c"

/* The CPU the accesses come from (the doorbell the general path learns). */
static struct per_cpu test_cpu;
struct per_cpu *this_cpu(void) { return &test_cpu; }

static char name[400];
#define NAME(...) (snprintf(name, sizeof(name), __VA_ARGS__), name)

/* ---- the environment */
static struct wd_system_config sys;
const struct wd_system_config *system_config = &sys;
struct cell root_cell;
struct cell *cells = &root_cell;
unsigned int num_cells = 1;
static char last_refusal[256];
static unsigned int raised[8], num_raised;
static unsigned int maps, unmaps;

int refuse(int err, u32 kind, u64 object, u64 addr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_refusal, sizeof(last_refusal), fmt, ap);
	va_end(ap);
	return err;
}
void printk(const char *fmt, ...) { }
void *page_alloc(u64 num) { return calloc(num, PAGE_SIZE); }
void page_free(void *page, u64 num) { free(page); }
void *arch_map_temp(u64 phys, u64 size) { maps++; return (void *)(uintptr_t)phys; }
void arch_unmap_temp(void *virt, u64 size) { unmaps++; }
void dcache_clean_inval_range(u64 start, u64 size) { }
void arch_vpci_raise_spi(unsigned int irq)
{
	if (num_raised < 8)
		raised[num_raised] = irq;
	num_raised++;
}
u64 arch_vpci_msi_doorbell(void) { return 0x08000040; }
/* MSIs to any other address (the arch hands them to the cell's vITS). */
static unsigned int num_msis;
static u64 msi_addr;
static u32 msi_data, msi_bdf;
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data)
{
	num_msis++;
	msi_addr = addr;
	msi_data = data;
	msi_bdf = bdf;
}
struct cell *cell_by_id(unsigned int id)
{
	struct cell *c;

	for (c = cells; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

/* ---- a cell configuration: one ivshmem device, its 2 + peers regions */
#define ECAM	0x08e00000ULL
#define BAR	0xff000000ULL

struct cfg {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem[6];
	struct wd_irqchip irqchip;
	struct wd_pci_device pci;
} __attribute__((packed));

static u8 *shmem;	/* state table, rw, out0, out1 (the "physical" memory) */

static void make_cfg(struct cfg *c, const char *cell_name, u8 id, u16 bdf, u32 irq_base)
{
	unsigned int n;

	memset(c, 0, sizeof(*c));
	strcpy(c->cell.name, cell_name);
	c->cell.cpu_set_size = 8;
	c->cell.num_memory_regions = 6;
	c->cell.num_irqchips = 1;
	c->cell.num_pci_devices = 1;
	c->cell.vpci_irq_base = irq_base;
	c->mem[0] = (struct wd_mem_region){ 0x7f000000, 0, 0x10000, WD_MEM_READ | WD_MEM_WRITE };
	c->mem[1] = (struct wd_mem_region){ 0, 0x80000000, 0x1000,
					    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION };
	for (n = 0; n < 4; n++)
		c->mem[2 + n] = (struct wd_mem_region){ (u64)(uintptr_t)shmem + n * 0x1000,
							0x7faf0000 + n * 0x1000, 0x1000,
							WD_MEM_READ | WD_MEM_ROOTSHARED };
	c->irqchip.address = 0x08000000;
	c->irqchip.pin_base = 32;
	c->irqchip.pin_bitmap[(irq_base + ((bdf >> 3) & 3)) / 32] =
		1U << ((irq_base + ((bdf >> 3) & 3)) % 32);
	c->pci.type = WD_PCI_TYPE_IVSHMEM;
	c->pci.domain = 1;
	c->pci.bdf = bdf;
	c->pci.bar_mask[0] = 0xfffff000;
	c->pci.shmem_regions_start = 2;
	c->pci.shmem_dev_id = id;
	c->pci.shmem_peers = 2;
	c->pci.shmem_protocol = 0x4001;
}

static struct cell *new_cell(struct cfg *c, unsigned int cell_id)
{
	struct cell *cell = calloc(1, sizeof(*cell));
	unsigned int irq = 32 + c->cell.vpci_irq_base + ((c->pci.bdf >> 3) & 3);
	struct cell **last;

	cell->id = cell_id;
	cell->config = &c->cell;
	cell->state = WD_CELL_RUNNING;
	cell->irq_owned[irq / 32] |= 1U << (irq % 32);
	for (last = &root_cell.next; *last; last = &(*last)->next)
		;
	*last = cell;
	return cell;
}

static void drop_cell(struct cell *cell)
{
	struct cell **p;

	vpci_cell_destroy(cell);
	for (p = &root_cell.next; *p; p = &(*p)->next)
		if (*p == cell) {
			*p = cell->next;
			break;
		}
	free(cell);
}

static u64 cfg_rd(struct cell *cell, u16 bdf, unsigned int reg, unsigned int size,
		  enum mmio_result *res)
{
	struct mmio_access a = { .address = ECAM + ((u64)bdf << 12) + reg, .size = size };

	*res = mmio_dispatch(&cell->mmio, &a);
	return a.value;
}

static u64 rd(struct cell *cell, u16 bdf, unsigned int reg, unsigned int size)
{
	enum mmio_result res;
	u64 v = cfg_rd(cell, bdf, reg, size, &res);

	CHECK_EQ(NAME("config read 0x%x/%u of %02x.%x is handled", reg, size, bdf >> 3,
		      bdf & 7), res, MMIO_HANDLED);
	return v;
}

static void wr(struct cell *cell, u16 bdf, unsigned int reg, unsigned int size, u64 v)
{
	struct mmio_access a = { .address = ECAM + ((u64)bdf << 12) + reg, .size = size,
				 .is_write = true, .value = v };

	CHECK_EQ(NAME("config write 0x%x/%u is handled", reg, size),
		 mmio_dispatch(&cell->mmio, &a), MMIO_HANDLED);
}

static enum mmio_result reg_access(struct cell *cell, u64 off, unsigned int size,
				   bool write, u64 *value)
{
	struct mmio_access a = { .address = BAR + off, .size = size, .is_write = write,
				 .value = value ? *value : 0 };
	enum mmio_result res = mmio_dispatch(&cell->mmio, &a);

	if (value && !write)
		*value = a.value;
	return res;
}

static u32 reg_rd(struct cell *cell, u64 off)
{
	u64 v = 0xdead;

	CHECK_EQ(NAME("register 0x%llx read is handled", off),
		 reg_access(cell, off, 4, false, &v), MMIO_HANDLED);
	return (u32)v;
}

static void reg_wr(struct cell *cell, u64 off, u32 value)
{
	u64 v = value;

	CHECK_EQ(NAME("register 0x%llx write is handled", off),
		 reg_access(cell, off, 4, true, &v), MMIO_HANDLED);
}

static void test_config_space(struct cell *a)
{
	enum mmio_result res;
	u16 bdf = 0x08;		/* 00:01.0 */

	CHECK_EQ("vendor/device (32 bit)", rd(a, bdf, 0, 4), 0x4106110aULL);
	CHECK_EQ("device id (16 bit at 2)", rd(a, bdf, 2, 2), 0x4106);
	CHECK_EQ("vendor low byte (8 bit)", rd(a, bdf, 0, 1), 0x0a);
	CHECK_EQ("class ff, protocol 0x4001, revision 0", rd(a, bdf, 8, 4), 0xff400100ULL);
	CHECK_EQ("status: capability list", rd(a, bdf, 6, 2), 0x0010);
	CHECK_EQ("subsystem ids", rd(a, bdf, 0x2c, 4), 0x4106110aULL);
	CHECK_EQ("capability pointer 0x40", rd(a, bdf, 0x34, 1), 0x40);
	CHECK_EQ("INTx pin B for device 1", rd(a, bdf, 0x3d, 1), 2);
	CHECK_EQ("vendor capability: id 9, no next (INTx), length 0x20",
		 rd(a, bdf, 0x40, 4), 0x00200009ULL);
	CHECK_EQ("state table size", rd(a, bdf, 0x44, 4), 0x1000);
	CHECK_EQ("R/W section size", rd(a, bdf, 0x48, 4), 0x1000);
	CHECK_EQ("R/W section size (high)", rd(a, bdf, 0x4c, 4), 0);
	CHECK_EQ("output section size", rd(a, bdf, 0x50, 4), 0x1000);
	CHECK_EQ("base address: the state table's guest address", rd(a, bdf, 0x58, 4),
		 0x7faf0000ULL);
	CHECK_EQ("no MSI-X capability (INTx)", rd(a, bdf, 0x60, 4), 0);
	CHECK_EQ("0x80 and above read all ones", rd(a, bdf, 0x80, 4), 0xffffffffULL);
	CHECK_EQ("extended space reads all ones", rd(a, bdf, 0x100, 2), 0xffff);

	/* Functions that are not the cell's */
	CHECK_EQ("an absent device reads all ones (32)", rd(a, 0x00, 0, 4), 0xffffffffULL);
	CHECK_EQ("an absent device reads all ones (16)", rd(a, 0x10, 2, 2), 0xffff);
	CHECK_EQ("an absent function reads all ones (8)", rd(a, 0x09, 0, 1), 0xff);
	wr(a, 0x00, 4, 4, 0x6);
	CHECK_EQ("a write to an absent function is ignored", rd(a, 0x00, 4, 4), 0xffffffffULL);

	/* Widths and alignment */
	cfg_rd(a, bdf, 0, 8, &res);
	CHECK_EQ("an 8-byte access is refused", res, MMIO_ERROR);
	cfg_rd(a, bdf, 1, 2, &res);
	CHECK_EQ("a misaligned 16-bit access is refused", res, MMIO_ERROR);
	cfg_rd(a, bdf, 2, 4, &res);
	CHECK_EQ("a misaligned 32-bit access is refused", res, MMIO_ERROR);

	/* Writable fields only */
	wr(a, bdf, 0, 4, 0x12345678);
	CHECK_EQ("vendor/device ignore writes", rd(a, bdf, 0, 4), 0x4106110aULL);
	wr(a, bdf, 8, 4, 0);
	CHECK_EQ("class ignores writes", rd(a, bdf, 8, 4), 0xff400100ULL);
	wr(a, bdf, 4, 4, 0xffffffff);
	CHECK_EQ("command: only MEM, bus master and INTx disable stick; status stays",
		 rd(a, bdf, 4, 4), 0x00100406ULL);
	wr(a, bdf, 4, 2, 0);
	wr(a, bdf, 0x10, 4, 0xffffffff);
	CHECK_EQ("BAR 0 sizing: 4 KiB", rd(a, bdf, 0x10, 4), 0xfffff000ULL);
	wr(a, bdf, 0x14, 4, 0xffffffff);
	CHECK_EQ("BAR 1 is not implemented without MSI-X", rd(a, bdf, 0x14, 4), 0);
	wr(a, bdf, 0x18, 4, 0xffffffff);
	CHECK_EQ("BAR 2 is not implemented", rd(a, bdf, 0x18, 4), 0);
	wr(a, bdf, 0x3c, 2, 0xff33);
	CHECK_EQ("interrupt line takes a byte, the pin does not", rd(a, bdf, 0x3c, 2), 0x0233);
	wr(a, bdf, 0x44, 4, 0);
	CHECK_EQ("the capability's sizes ignore writes", rd(a, bdf, 0x44, 4), 0x1000);
	wr(a, bdf, 0x43, 1, 0xff);
	CHECK_EQ("privileged control: only one-shot", rd(a, bdf, 0x43, 1), 1);
	wr(a, bdf, 0x43, 1, 0);
	wr(a, bdf, 0x12, 2, 0xff00);
	CHECK_EQ("BAR 0 partial write keeps the mask", rd(a, bdf, 0x10, 4), 0xff00f000ULL);
	wr(a, bdf, 0x10, 4, BAR);
}

static void test_registers(struct cell *a, struct cell *b)
{
	u64 v = 0;
	u32 *table = (u32 *)shmem;

	CHECK_EQ("registers are not decoded before Command.MEM",
		 reg_access(a, 0, 4, false, &v), MMIO_UNHANDLED);
	wr(a, 0x08, 4, 2, WD_PCI_CMD_MEM);
	wr(b, 0x08, 0x10, 4, BAR);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM);
	CHECK_EQ("ID register: peer id", reg_rd(a, 0), 0);
	CHECK_EQ("ID of the other cell's device", reg_rd(b, 0), 1);
	CHECK_EQ("Max Peers", reg_rd(a, 4), 2);
	CHECK_EQ("a 16-bit register access is refused", reg_access(a, 0, 2, false, &v),
		 MMIO_ERROR);
	CHECK_EQ("a 64-bit register access is refused", reg_access(a, 0, 8, false, &v),
		 MMIO_ERROR);
	CHECK_EQ("past the BAR: nobody's", reg_access(a, 0x1000, 4, false, &v),
		 MMIO_UNHANDLED);
	CHECK_EQ("an unknown register reads 0", reg_rd(a, 0x100), 0);
	reg_wr(a, 8, 0xffffffff);
	CHECK_EQ("Interrupt Control keeps bit 0 only", reg_rd(a, 8), 1);
	reg_wr(a, 8, 0);

	/* Doorbells */
	num_raised = 0;
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 0));
	CHECK_EQ("a doorbell to a peer with interrupts disabled raises nothing", num_raised, 0);
	reg_wr(b, 8, 1);
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 0));
	CHECK_EQ("doorbell to peer 1 raises one interrupt", num_raised, 1);
	CHECK_EQ("... its INTx: SPI vpci_irq_base 120 + 32 + pin B", raised[0], 153);
	CHECK_EQ("the doorbell register reads 0", reg_rd(a, 0xc), 0);
	num_raised = 0;
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 1));
	CHECK_EQ("vector 1 of an INTx device is dropped", num_raised, 0);
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(2, 0));
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(0xffff, 0));
	CHECK_EQ("targets beyond Max Peers are dropped", num_raised, 0);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM | WD_PCI_CMD_INTX_OFF);
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 0));
	CHECK_EQ("INTx disabled in Command: nothing", num_raised, 0);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM);
	b->state = WD_CELL_SHUT_DOWN;
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 0));
	CHECK_EQ("a target cell that does not run gets nothing", num_raised, 0);
	b->state = WD_CELL_RUNNING;
	b->irq_owned[153 / 32] = 0;
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 0));
	CHECK_EQ("an INTx SPI the target does not own is never raised", num_raised, 0);
	b->irq_owned[153 / 32] = 1U << (153 % 32);
	wr(b, 0x08, 0x43, 1, 1);
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 0));
	reg_wr(a, 0xc, WD_IVSHMEM_DOORBELL(1, 0));
	CHECK_EQ("one-shot: one interrupt, then disabled", num_raised, 1);
	CHECK_EQ("one-shot cleared Interrupt Control", reg_rd(b, 8), 0);
	wr(b, 0x08, 0x43, 1, 0);
	reg_wr(b, 8, 1);

	/* State */
	num_raised = 0;
	reg_wr(a, 0x10, 7);
	CHECK_EQ("State lands in the state table", table[0], 7);
	CHECK_EQ("the State register reads back", reg_rd(a, 0x10), 7);
	CHECK_EQ("a state change interrupts the other peer", num_raised, 1);
	reg_wr(a, 0x10, 7);
	CHECK_EQ("the same state again interrupts nobody", num_raised, 1);
	reg_wr(b, 0x10, 9);
	CHECK_EQ("peer 1's state in entry 1", table[1], 9);
	CHECK_EQ("a peer with interrupts disabled is not interrupted", num_raised, 1);
	CHECK_EQ("link state of peer 0", ivshmem_peer_state(&a->vpci->dev[0], 0), 7);
	CHECK_EQ("link state of peer 1", ivshmem_peer_state(&a->vpci->dev[0], 1), 9);
	CHECK_EQ("no peer 2 on a link of 2", ivshmem_peer_state(&a->vpci->dev[0], 2), -ENOENT);

	{
		long v0 = vpci_info(WD_INFO_IVSHMEM_ARG(1, 0, 0));

		CHECK(NAME("info: device of cell 1 (0x%lx)", v0),
		      WD_INFO_IVSHMEM_BDF(v0) == 0x08 && WD_INFO_IVSHMEM_ID(v0) == 0 &&
		      WD_INFO_IVSHMEM_PEERS(v0) == 2 && WD_INFO_IVSHMEM_PROTO(v0) == 0x4001 &&
		      WD_INFO_IVSHMEM_DOMAIN(v0) == 1);
		CHECK_EQ("info: peer 1's state", vpci_info(WD_INFO_IVSHMEM_ARG(1, 0, 2)), 9);
		CHECK_EQ("info: no peer 2", vpci_info(WD_INFO_IVSHMEM_ARG(1, 0, 3)), -ENOENT);
		CHECK_EQ("info: no second device", vpci_info(WD_INFO_IVSHMEM_ARG(1, 1, 0)), -ENODEV);
		CHECK_EQ("info: no cell 9", vpci_info(WD_INFO_IVSHMEM_ARG(9, 0, 0)), -ENOENT);
	}

	/* A peer stops: 0 in the table, the others told */
	vpci_cell_stopped(b);
	CHECK_EQ("a stopped peer reads as state 0", table[1], 0);
	reg_wr(a, 8, 1);
	reg_wr(b, 0x10, 3);
	num_raised = 0;
	vpci_cell_stopped(b);
	CHECK_EQ("its peer is interrupted", num_raised, 1);
	CHECK_EQ("... with its own INTx (SPI 149: 116 + 32 + pin B)", raised[0], 32 + 116 + 1);
	vpci_cell_reset(b);
	CHECK_EQ("reset: Command 0 (registers no longer decoded)",
		 reg_access(b, 0, 4, false, &v), MMIO_UNHANDLED);
	CHECK_EQ("reset: BAR 0 is 0", rd(b, 0x08, 0x10, 4), 0);
}

static void test_links(void)
{
	static struct cfg cc;
	struct cell *c;

	make_cfg(&cc, "c", 1, 0x08, 124);
	CHECK_EQ("peer 1 is taken while its cell exists", vpci_cell_check(&cc.cell), -EBUSY);
	CHECK_STR("... refusal names device and owner", last_refusal,
		  "cell 'c': ivshmem 00:01.0: peer id 1 of the link is cell 'b'");
	make_cfg(&cc, "c", 0, 0x10, 124);
	cc.mem[3].phys_start += 0x100000;	/* other memory: fine on another link */
	CHECK_EQ("another BDF is another link", vpci_cell_check(&cc.cell), 0);
	c = new_cell(&cc, 3);
	CHECK_EQ("... created", vpci_cell_create(c), 0);
	CHECK(NAME("... its own device at 00:02.0 (%llx)", (u64)rd(c, 0x10, 0, 4)),
	      rd(c, 0x10, 0, 4) == 0x4106110a);
	CHECK_EQ("... and not the other link's", rd(c, 0x08, 0, 4), 0xffffffffULL);
	drop_cell(c);
}

/* A device with MSI-X (BAR 1): the capability, the table, delivery as SETSPI. */
static void test_msix(void)
{
	static struct cfg cm;
	struct cell *m;
	u64 bar1 = BAR + 0x10000, v;
	struct mmio_access a;

	make_cfg(&cm, "m", 0, 0x18, 200);
	cm.pci.bar_mask[1] = 0xfffff000;
	cm.pci.num_msix_vectors = 2;
	u8 *own = aligned_alloc(PAGE_SIZE, 4 * PAGE_SIZE);
	unsigned int r;

	for (r = 0; r < 4; r++)	/* memory of its own: another link */
		cm.mem[2 + r].phys_start = (u64)(uintptr_t)own + r * PAGE_SIZE;
	m = new_cell(&cm, 5);
	m->irq_owned[300 / 32] |= 1U << (300 % 32);
	CHECK_EQ("MSI-X device created (a link of its own)", vpci_cell_create(m), 0);
	CHECK_EQ("vendor capability points to MSI-X", rd(m, 0x18, 0x41, 1), 0x60);
	CHECK_EQ("MSI-X capability: id 0x11, 2 vectors (N-1 = 1)", rd(m, 0x18, 0x60, 4),
		 0x00010011ULL);
	CHECK_EQ("table in BAR 1 at 0", rd(m, 0x18, 0x64, 4), 1);
	CHECK_EQ("PBA in BAR 1 at 0x100", rd(m, 0x18, 0x68, 4), 0x101);
	CHECK_EQ("no INTx pin with MSI-X", rd(m, 0x18, 0x3d, 1), 0);
	wr(m, 0x18, 0x14, 4, 0xffffffff);
	CHECK_EQ("BAR 1 sizing: 4 KiB", rd(m, 0x18, 0x14, 4), 0xfffff000ULL);
	wr(m, 0x18, 0x10, 4, BAR + 0x20000);
	wr(m, 0x18, 0x14, 4, bar1);
	wr(m, 0x18, 4, 2, WD_PCI_CMD_MEM);
	/* vector 1: GICD_SETSPI_NSR, SPI 300 (the cell's) */
	a = (struct mmio_access){ .address = bar1 + 16, .size = 4, .is_write = true,
				  .value = 0x08000040 };
	CHECK_EQ("table write", mmio_dispatch(&m->mmio, &a), MMIO_HANDLED);
	a = (struct mmio_access){ .address = bar1 + 24, .size = 4, .is_write = true, .value = 300 };
	mmio_dispatch(&m->mmio, &a);
	a = (struct mmio_access){ .address = bar1 + 28, .size = 4, .is_write = true, .value = 0 };
	mmio_dispatch(&m->mmio, &a);
	a = (struct mmio_access){ .address = bar1 + 24, .size = 4 };
	mmio_dispatch(&m->mmio, &a);
	CHECK_EQ("table reads back", a.value, 300);
	a = (struct mmio_access){ .address = bar1 + 24, .size = 8 };
	CHECK_EQ("an 8-byte table access is refused", mmio_dispatch(&m->mmio, &a), MMIO_ERROR);
	v = 1;
	CHECK_EQ("Interrupt Control", reg_access(m, 0x20008, 4, true, &v), MMIO_HANDLED);
	num_raised = 0;
	/* The device rings itself (its own id is not filtered). */
	v = WD_IVSHMEM_DOORBELL(0, 1);
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("MSI-X disabled: nothing", num_raised, 0);
	wr(m, 0x18, 0x60, 4, WD_PCI_MSIX_ENABLE | WD_PCI_MSIX_MASKALL);
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("function masked: nothing", num_raised, 0);
	wr(m, 0x18, 0x60, 4, WD_PCI_MSIX_ENABLE);
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("enabled: vector 1 raises SPI 300", num_raised == 1 && raised[0] == 300, 1);
	v = WD_IVSHMEM_DOORBELL(0, 0);
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("vector 0 (masked, address 0): nothing", num_raised, 1);
	v = WD_IVSHMEM_DOORBELL(0, 2);
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("vector 2 of 2: nothing", num_raised, 1);
	a = (struct mmio_access){ .address = bar1 + 24, .size = 4, .is_write = true, .value = 301 };
	mmio_dispatch(&m->mmio, &a);
	v = WD_IVSHMEM_DOORBELL(0, 1);
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("an SPI the cell does not own is never raised", num_raised, 1);
	/* Vector 1 to another address (the vITS translater): the arch's MSI path. */
	a = (struct mmio_access){ .address = bar1 + 16, .size = 4, .is_write = true,
				  .value = 0x08090040 };
	mmio_dispatch(&m->mmio, &a);
	a = (struct mmio_access){ .address = bar1 + 24, .size = 4, .is_write = true, .value = 7 };
	mmio_dispatch(&m->mmio, &a);
	num_msis = 0;
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("MSI to the translater: handed to the arch once", num_msis, 1);
	CHECK_EQ("... with the address", msi_addr, 0x08090040);
	CHECK_EQ("... event id = the vector's data", msi_data, 7);
	CHECK_EQ("... device id = the function's BDF", msi_bdf, 0x18);
	CHECK_EQ("... and no SPI", num_raised, 1);
	a = (struct mmio_access){ .address = bar1 + 28, .size = 4, .is_write = true, .value = 1 };
	mmio_dispatch(&m->mmio, &a);
	reg_access(m, 0x2000c, 4, true, &v);
	CHECK_EQ("vector masked: no MSI", num_msis, 1);
	drop_cell(m);
	free(own);
}

int main(void)
{
	static struct cfg ca, cb, cc;
	struct cell *a, *b;
	u32 *table;
	unsigned int maps0, unmaps0;

	shmem = aligned_alloc(PAGE_SIZE, 4 * PAGE_SIZE);
	memset(shmem, 0xa5, 4 * PAGE_SIZE);
	table = (u32 *)shmem;
	sys.platform.pci_mmconfig_base = ECAM;
	sys.platform.pci_mmconfig_end_bus = 0;
	sys.platform.arm.gicd_base = 0x08000000;
	root_cell.config = &sys.root_cell;

	make_cfg(&ca, "a", 0, 0x08, 116);
	make_cfg(&cb, "b", 1, 0x08, 120);
	CHECK_EQ("cell a passes the check", vpci_cell_check(&ca.cell), 0);
	a = new_cell(&ca, 1);
	maps0 = maps;
	CHECK_EQ("cell a gets its device", vpci_cell_create(a), 0);
	CHECK_EQ("the first peer maps the state table", maps, maps0 + 1);
	CHECK(NAME("... and zeroes it (%x %x)", table[0], table[1]), table[0] == 0 && table[1] == 0);
	CHECK_EQ("cell b passes the check (peer 1 of the same link)", vpci_cell_check(&cb.cell), 0);
	b = new_cell(&cb, 2);
	CHECK_EQ("cell b gets its device", vpci_cell_create(b), 0);
	CHECK_EQ("the second peer does not map it again", maps, maps0 + 1);
	CHECK(NAME("... ECAM registered (%u regions)", a->mmio.num), a->mmio.num == 1 &&
	      a->mmio.region[0].start == ECAM && a->mmio.region[0].size == 0x100000);

	/* The INTx SPI of a's device is a's alone */
	make_cfg(&cc, "c", 1, 0x10, 200);
	cc.irqchip.pin_bitmap[(116 + 1) / 32] |= 1U << ((116 + 1) % 32);
	CHECK_EQ("a cell claiming another cell's ivshmem INTx is refused",
		 vpci_cell_check(&cc.cell), -EBUSY);
	CHECK_STR("... naming the SPI and the cell", last_refusal,
		  "cell 'c': SPI 149 is the INTx of an ivshmem device of cell 'a'");

	test_config_space(a);
	test_registers(a, b);
	test_links();
	test_msix();

	/* b goes away and comes back */
	wr(b, 0x08, 0x10, 4, BAR);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM);
	reg_wr(b, 0x10, 4);
	maps0 = maps;
	unmaps0 = unmaps;
	num_raised = 0;
	drop_cell(b);
	CHECK_EQ("a destroyed peer reads as state 0", table[1], 0);
	CHECK_EQ("its peer was interrupted", num_raised, 1);
	CHECK_EQ("the link stays mapped while a peer is left", unmaps, unmaps0);
	make_cfg(&cb, "b", 1, 0x08, 120);
	cb.mem[4].phys_start += 0x10000;
	CHECK_EQ("a peer naming other memory is refused", vpci_cell_check(&cb.cell), -EINVAL);
	CHECK(NAME("... naming device and region: %s", last_refusal),
	      strstr(last_refusal, "cell 'b': ivshmem 00:01.0: memory region #4 (output section of peer 0) is phys") != NULL);
	make_cfg(&cb, "b", 1, 0x08, 120);
	cb.pci.shmem_peers = 3;
	CHECK_EQ("a peer with another number of peers is refused", vpci_cell_check(&cb.cell),
		 -EINVAL);
	CHECK_STR("... saying so", last_refusal,
		  "cell 'b': ivshmem 00:01.0 has 3 peers, its link has 2");
	make_cfg(&cb, "b", 1, 0x08, 120);
	CHECK_EQ("the peer may come back", vpci_cell_check(&cb.cell), 0);
	b = new_cell(&cb, 2);
	CHECK_EQ("... and joins the link", vpci_cell_create(b), 0);
	CHECK_EQ("... sharing the mapping", maps, maps0);
	drop_cell(b);
	drop_cell(a);
	CHECK_EQ("the last peer unmaps the state table", unmaps, unmaps0 + 1);
	free(shmem);
	return CHECK_DONE();
}
