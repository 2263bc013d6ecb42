/*
 * Host tests of the ivshmem doorbell fast path
 * (hypervisor/core/ivshmem-fast.c, taken from the light exit) against the
 * general path it shortcuts (mmio_dispatch -> vpci_bar_access ->
 * ivshmem_reg_access), in the two-cell environment of test-hv-vpci.c: for
 * every address around and in the register block, doorbell values to every
 * kind of target, with the peer's interrupt enabled, disabled and one-shot:
 * when the fast path takes a write, the general path handles it too with
 * the same interrupts raised and the same Interrupt Control left; when it
 * declines, nothing happened. It takes exactly the aligned writes of BAR 0
 * + 0xc while memory decoding is on, and declines when a registered MMIO
 * region (which the general path asks first) covers the address, or when
 * the cell has no virtual PCI.
 */
#define main vpci_tests_main
#include "test-hv-vpci.c"
#undef main
#include "../../hypervisor/core/ivshmem-fast.c"

static unsigned long compared, taken, mismatches, declined_changed, taken_at_doorbell;

struct outcome {
	unsigned int raised;
	unsigned int irq;
	u32 peer_int_ctrl;
};

static void snapshot(struct outcome *o, unsigned int raised0, struct cell *peer)
{
	o->raised = num_raised - raised0;
	o->irq = o->raised ? raised[0] : 0;
	o->peer_int_ctrl = peer->vpci->dev[0].int_ctrl;
}

/* One write of @value at @addr from @from, fast then general, state reset between. */
static void compare(struct cell *from, struct cell *peer, u64 addr, u32 value, u32 int_ctrl,
		    u8 priv)
{
	struct mmio_access acc = { .address = addr, .size = 4, .is_write = true, .value = value };
	struct outcome fast, full;
	bool took;

	compared++;
	peer->vpci->dev[0].int_ctrl = int_ctrl;
	peer->vpci->dev[0].priv = priv;
	num_raised = 0;
	took = ivshmem_doorbell_fast(from, addr, value);
	snapshot(&fast, 0, peer);
	if (!took) {
		if (fast.raised || fast.peer_int_ctrl != int_ctrl)
			declined_changed++;
		return;
	}
	taken++;
	if (addr == BAR + WD_IVSHMEM_REG_DOORBELL)
		taken_at_doorbell++;
	peer->vpci->dev[0].int_ctrl = int_ctrl;
	num_raised = 0;
	if (mmio_dispatch(&from->mmio, &acc) != MMIO_HANDLED) {
		mismatches++;
		return;
	}
	snapshot(&full, 0, peer);
	if (memcmp(&fast, &full, sizeof(fast)))
		mismatches++;
}

static void sweep(const char *what, struct cell *from, struct cell *peer,
		  unsigned long want_taken)
{
	static const u32 values[] = {
		WD_IVSHMEM_DOORBELL(1, 0), WD_IVSHMEM_DOORBELL(0, 0), WD_IVSHMEM_DOORBELL(1, 1),
		WD_IVSHMEM_DOORBELL(2, 0), WD_IVSHMEM_DOORBELL(0xffff, 0xffff), 0,
	};
	unsigned int v, ic, pv;
	u64 addr;

	compared = taken = mismatches = declined_changed = taken_at_doorbell = 0;
	for (addr = BAR - 0x20; addr < BAR + 0x1020; addr++)
		for (v = 0; v < sizeof(values) / sizeof(values[0]); v++)
			for (ic = 0; ic < 2; ic++)
				for (pv = 0; pv < 2; pv++)
					compare(from, peer, addr, values[v], ic,
						pv ? WD_IVSHMEM_PRIV_ONESHOT : 0);
	/* The configuration window and elsewhere: never. */
	for (addr = ECAM; addr < ECAM + 0x2000; addr += 4)
		compare(from, peer, addr, WD_IVSHMEM_DOORBELL(1, 0), 1, 0);
	printf("# %s: %lu writes compared, %lu taken by the fast path\n", what, compared, taken);
	CHECK_EQ(NAME("%s: taken writes have the general path's outcome", what), mismatches, 0);
	CHECK_EQ(NAME("%s: a declined write changes nothing", what), declined_changed, 0);
	CHECK_EQ(NAME("%s: only the doorbell register is taken", what), taken - taken_at_doorbell, 0);
	CHECK_EQ(NAME("%s: taken writes", what), taken, want_taken);
}

static enum mmio_result dummy_region(void *arg, struct mmio_access *acc)
{
	return MMIO_HANDLED;
}

int main(void)
{
	static struct cfg ca, cb;
	struct cell *a, *b;
	unsigned int forms = 6 * 2 * 2;

	shmem = aligned_alloc(PAGE_SIZE, 4 * PAGE_SIZE);
	memset(shmem, 0xa5, 4 * PAGE_SIZE);
	sys.platform.pci_mmconfig_base = ECAM;
	sys.platform.pci_mmconfig_end_bus = 0;
	sys.platform.arm.gicd_base = 0x08000000;
	root_cell.config = &sys.root_cell;
	make_cfg(&ca, "a", 0, 0x08, 116);
	make_cfg(&cb, "b", 1, 0x08, 120);
	a = new_cell(&ca, 1);
	b = new_cell(&cb, 2);
	CHECK_EQ("cell a gets its device", vpci_cell_create(a), 0);
	CHECK_EQ("cell b gets its device", vpci_cell_create(b), 0);

	sweep("memory decoding off", a, b, 0);
	wr(a, 0x08, 0x10, 4, BAR);
	wr(b, 0x08, 0x10, 4, BAR);
	wr(a, 0x08, 4, 2, WD_PCI_CMD_MEM);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM);
	sweep("a rings b", a, b, forms);
	sweep("b rings a", b, a, forms);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM | WD_PCI_CMD_INTX_OFF);
	sweep("b's INTx off", a, b, forms);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM);

	/* A region the general path asks first covers the doorbell: declined. */
	CHECK_EQ("a region over the BAR registers", mmio_region_register(&a->mmio, BAR, 0x10,
								   dummy_region, NULL), 0);
	num_raised = 0;
	CHECK("... then the doorbell under it is not taken",
	      !ivshmem_doorbell_fast(a, BAR + WD_IVSHMEM_REG_DOORBELL,
				     WD_IVSHMEM_DOORBELL(1, 0)) && num_raised == 0);
	mmio_region_unregister(&a->mmio, BAR);
	/* The BAR moved over the configuration window: the window wins. */
	wr(a, 0x08, 0x10, 4, ECAM);
	CHECK("a BAR over the configuration window is not taken",
	      !ivshmem_doorbell_fast(a, ECAM + WD_IVSHMEM_REG_DOORBELL, WD_IVSHMEM_DOORBELL(1, 0)));
	wr(a, 0x08, 0x10, 4, BAR);
	/* A peer that goes away: the doorbell is taken and raises nothing. */
	b->vpci->dev[0].int_ctrl = 1;
	drop_cell(b);
	num_raised = 0;
	CHECK("a doorbell to a destroyed peer is taken and raises nothing",
	      ivshmem_doorbell_fast(a, BAR + WD_IVSHMEM_REG_DOORBELL, WD_IVSHMEM_DOORBELL(1, 0)) &&
	      num_raised == 0);
	/* A cell without virtual PCI. */
	CHECK("the root without virtual PCI: never taken",
	      !ivshmem_doorbell_fast(&root_cell, BAR + WD_IVSHMEM_REG_DOORBELL, 0));
	drop_cell(a);
	free(shmem);
	return CHECK_DONE();
}
