/*
 * Host tests of the ivshmem doorbell fast path
 * (hypervisor/core/ivshmem-fast.c, taken from the light exit) against the
 * general path it shortcuts (mmio_dispatch -> vpci_bar_access ->
 * ivshmem_reg_access), in the two-cell environment of test-hv-vpci.c. Every
 * write goes as the hypervisor runs it: the light exit's fast path first
 * and, when it declines, the general path (which learns the doorbell it
 * finds). For every address around and in the register block, doorbell
 * values to every kind of target, with the peer's interrupt enabled,
 * disabled and one-shot: when the fast path takes a write, the general path
 * handles it too with the same interrupts raised and the same Interrupt
 * Control left; when it declines, nothing happened. It takes only the
 * doorbell the general path found last on this CPU, and no longer once
 * anything that decides where the write lands changed (a region registered
 * or removed, the BAR moved, memory decoding off, the virtual PCI gone) or
 * the CPU runs another cell; a layout change between the light exit's look
 * and the general path's search leaves nothing learnt.
 */
#define main vpci_tests_main
#include "test-hv-vpci.c"
#undef main

#define DOORBELL	(BAR + WD_IVSHMEM_REG_DOORBELL)

static unsigned long compared, taken, mismatches, declined_changed, taken_at_doorbell;

struct outcome {
	unsigned int raised;
	unsigned int irq;
	u32 peer_int_ctrl;
};

static void snapshot(struct outcome *o, struct cell *peer)
{
	o->raised = num_raised;
	o->irq = o->raised ? raised[0] : 0;
	o->peer_int_ctrl = peer->vpci->dev[0].int_ctrl;
}

/* The light exit's fast path on this CPU, which runs @from. */
static bool fast(struct cell *from, u64 addr, u32 value)
{
	test_cpu.cell = from;
	return ivshmem_doorbell_fast(&test_cpu, addr, value);
}

/* A write as an exit handles it: the fast path, else the general path. */
static enum mmio_result exit_write(struct cell *from, u64 addr, u32 value)
{
	struct mmio_access acc = { .address = addr, .size = 4, .is_write = true, .value = value };

	if (fast(from, addr, value))
		return MMIO_HANDLED;
	return mmio_dispatch(&from->mmio, &acc);
}

/* One write of @value at @addr from @from, fast then general, state reset between. */
static void compare(struct cell *from, struct cell *peer, u64 addr, u32 value, u32 int_ctrl,
		    u8 priv)
{
	struct mmio_access acc = { .address = addr, .size = 4, .is_write = true, .value = value };
	struct outcome f, g;
	bool took;

	compared++;
	peer->vpci->dev[0].int_ctrl = int_ctrl;
	/* Privileged Control (byte 3 of the vendor capability), as a write leaves it. */
	peer->vpci->dev[0].space[VPCI_DW_PRIV] =
		(peer->vpci->dev[0].space[VPCI_DW_PRIV] & 0x00ffffff) | (u32)priv << 24;
	num_raised = 0;
	took = fast(from, addr, value);
	snapshot(&f, peer);
	if (!took) {
		if (f.raised || f.peer_int_ctrl != int_ctrl)
			declined_changed++;
		return;
	}
	taken++;
	if (addr == DOORBELL)
		taken_at_doorbell++;
	peer->vpci->dev[0].int_ctrl = int_ctrl;
	num_raised = 0;
	if (mmio_dispatch(&from->mmio, &acc) != MMIO_HANDLED) {
		mismatches++;
		return;
	}
	snapshot(&g, peer);
	if (memcmp(&f, &g, sizeof(f)))
		mismatches++;
}

/* The general path rings once (the exit's way), so this CPU learns; nothing stays raised. */
static void ring_once(struct cell *from, struct cell *peer)
{
	u32 ic = peer->vpci->dev[0].int_ctrl;

	exit_write(from, DOORBELL, WD_IVSHMEM_DOORBELL(0xffff, 0));
	peer->vpci->dev[0].int_ctrl = ic;
	num_raised = 0;
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

static struct per_cpu fresh_cpu;

static enum mmio_result dummy_region(void *arg, struct mmio_access *acc)
{
	return MMIO_HANDLED;
}

/* Does the fast path take a doorbell of @from now (raising nothing)? */
static bool takes(struct cell *from)
{
	bool took = fast(from, DOORBELL, WD_IVSHMEM_DOORBELL(0xffff, 0));

	num_raised = 0;
	return took;
}

int main(void)
{
	static struct cfg ca, cb;
	struct cell *a, *b;
	unsigned int forms = 6 * 2 * 2;
	u64 seen;

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
	CHECK("a cell's layout is never 0, and no two cells share one",
	      a->mmio.layout && b->mmio.layout && a->mmio.layout != b->mmio.layout);

	/* Nothing learnt yet: the fast path takes nothing, a fresh CPU included. */
	sweep("nothing learnt", a, b, 0);
	CHECK("memory decoding off: the general path finds no doorbell, nothing is learnt",
	      exit_write(a, DOORBELL, WD_IVSHMEM_DOORBELL(1, 0)) == MMIO_UNHANDLED &&
	      !takes(a));
	wr(a, 0x08, 0x10, 4, BAR);
	wr(b, 0x08, 0x10, 4, BAR);
	wr(a, 0x08, 4, 2, WD_PCI_CMD_MEM);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM);
	sweep("decoding on, nothing learnt", a, b, 0);

	/* The general path alone, with nothing seen by the light exit: not learnt. */
	memset(&test_cpu.doorbell, 0, sizeof(test_cpu.doorbell));
	test_cpu.cell = a;
	{
		struct mmio_access acc = { .address = DOORBELL, .size = 4, .is_write = true,
					   .value = WD_IVSHMEM_DOORBELL(0xffff, 0) };

		CHECK("a doorbell with no light exit before it is handled, not learnt",
		      mmio_dispatch(&a->mmio, &acc) == MMIO_HANDLED && !test_cpu.doorbell.dev &&
		      !takes(a));
	}
	/* Learnt by the general path: exactly that register, the general outcome. */
	ring_once(a, b);
	CHECK("a doorbell the general path handled is learnt", takes(a));
	sweep("a rings b", a, b, forms);
	ring_once(b, a);
	sweep("b rings a (the CPU now runs b)", b, a, forms);
	CHECK("... and a's doorbell is no longer this CPU's", !takes(a));
	ring_once(a, b);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM | WD_PCI_CMD_INTX_OFF);
	sweep("b's INTx off (b's layout changed, a's did not)", a, b, forms);
	wr(b, 0x08, 4, 2, WD_PCI_CMD_MEM);
	sweep("b's INTx on", a, b, forms);

	/* Anything that decides where the write lands forgets it. */
	CHECK_EQ("a region over the BAR registers", mmio_region_register(&a->mmio, BAR, 0x10,
								   dummy_region, NULL), 0);
	CHECK("... then the doorbell under it is not taken", !takes(a));
	CHECK("... the region's handler gets it, nothing is learnt",
	      exit_write(a, DOORBELL, WD_IVSHMEM_DOORBELL(1, 0)) == MMIO_HANDLED &&
	      num_raised == 0 && !takes(a));
	mmio_region_unregister(&a->mmio, BAR);
	CHECK("removing the region is a change too", !takes(a));
	ring_once(a, b);
	CHECK_EQ("a region elsewhere", mmio_region_register(&a->mmio, 0x1000, 0x10,
							   dummy_region, NULL), 0);
	CHECK("... is a change as well", !takes(a));
	mmio_region_unregister(&a->mmio, 0x1000);
	ring_once(a, b);
	wr(a, 0x08, 0x10, 4, BAR + 0x2000);
	CHECK("the BAR moved: the old address is not taken", !takes(a));
	CHECK("... the general path finds nothing there",
	      exit_write(a, DOORBELL, WD_IVSHMEM_DOORBELL(1, 0)) == MMIO_UNHANDLED && !takes(a));
	wr(a, 0x08, 0x10, 4, BAR);
	ring_once(a, b);
	wr(a, 0x08, 4, 2, 0);
	CHECK("memory decoding off: not taken", !takes(a));
	wr(a, 0x08, 4, 2, WD_PCI_CMD_MEM);
	/* The BAR over the configuration window: the window wins, never learnt. */
	wr(a, 0x08, 0x10, 4, ECAM);
	exit_write(a, ECAM + WD_IVSHMEM_REG_DOORBELL, WD_IVSHMEM_DOORBELL(1, 0));
	CHECK("a BAR over the configuration window is not taken",
	      !fast(a, ECAM + WD_IVSHMEM_REG_DOORBELL, WD_IVSHMEM_DOORBELL(1, 0)));
	wr(a, 0x08, 0x10, 4, BAR);

	/*
	 * A change between the light exit's look and the general path's search
	 * (another CPU of the cell): what the search found is not trusted.
	 */
	num_raised = 0;
	CHECK("the light exit declines (nothing learnt)", !fast(a, DOORBELL, 0));
	seen = test_cpu.doorbell.seen;
	CHECK_EQ("a region registered meanwhile", mmio_region_register(&a->mmio, 0x1000, 0x10,
								   dummy_region, NULL), 0);
	{
		struct mmio_access acc = { .address = DOORBELL, .size = 4, .is_write = true,
					   .value = WD_IVSHMEM_DOORBELL(0xffff, 0) };

		CHECK_EQ("the general path handles the write", mmio_dispatch(&a->mmio, &acc),
			 MMIO_HANDLED);
	}
	CHECK("... and learns it with the layout seen before the change",
	      test_cpu.doorbell.layout == seen && seen != a->mmio.layout);
	CHECK("... which no longer matches", !takes(a));
	mmio_region_unregister(&a->mmio, 0x1000);

	/* A peer that goes away: the doorbell is taken and raises nothing. */
	ring_once(a, b);
	b->vpci->dev[0].int_ctrl = 1;
	drop_cell(b);
	num_raised = 0;
	CHECK("a doorbell to a destroyed peer is taken and raises nothing",
	      fast(a, DOORBELL, WD_IVSHMEM_DOORBELL(1, 0)) && num_raised == 0);
	/* The CPU goes to the root, which has no virtual PCI at that address. */
	CHECK("the root: never taken", !fast(&root_cell, DOORBELL, 0));
	test_cpu.cell = a;
	drop_cell(a);
	fresh_cpu.cell = &root_cell;
	CHECK("a fresh CPU (nothing learnt) never takes a write, even at address 0",
	      !ivshmem_doorbell_fast(&fresh_cpu, 0, 0));
	free(shmem);
	return CHECK_DONE();
}
