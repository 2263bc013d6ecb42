/*
 * Creating a cell: copy and check its configuration, build everything that is
 * the cell's own (stage-2 tables, comm page, vPCI devices) while the root runs
 * on, and only then hold the root's other CPUs to move CPUs, memory and
 * interrupts over. Any failure undoes exactly what was done, in reverse, so the
 * root loses nothing.
 */
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/paging.h>
#include <wd/percpu.h>
#include <wd/pool.h>
#include <wd/printk.h>
#include <wd/reason.h>
#include <wd/string.h>
#include <wd/vpci.h>
#include <wd/vpci-phys.h>
#include "cell-mgmt.h"

static unsigned int free_cell_id(void)
{
	unsigned int id = 1;

	while (cell_by_id(id))
		id++;
	return id;
}

void move_irqs(struct cell *from, struct cell *to, const struct wd_cell_desc *c)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(c);
	unsigned int n, bit;

	for (n = 0; n < c->num_irqchips; n++, chip++)
		for (bit = 0; bit < WD_IRQCHIP_PINS; bit++) {
			unsigned int irq = chip->pin_base + bit;

			if (!(chip->pin_bitmap[bit / 32] & (1U << (bit % 32))) ||
			    irq < 32 || irq >= MAX_IRQS)
				continue;
			/* Masked and idle until the new owner sets it up. */
			arch_irq_reset(irq, to);
			from->irq_owned[irq / 32] &= ~(1U << (irq % 32));
			to->irq_owned[irq / 32] |= 1U << (irq % 32);
		}
}

long cell_create(struct per_cpu *pc, u64 config_gpa)
{
	const struct wd_mem_region *mem;
	struct wd_cell_desc *config = NULL;
	struct cell *cell, *last;
	u64 config_pages = 0, want[CPU_SET_WORDS] = { 0 };
	unsigned int n, cpu;
	int err, busy;

	if (disable_in_progress)
		return refuse_busy_disable();
	err = copy_config(config_gpa, &config, &config_pages);
	if (err)
		return err;
	err = check_cell_config(pc, config);
	if (err) {
		page_free(config, config_pages);
		return err;
	}
	cell = page_alloc(PAGES(sizeof(*cell)));
	if (!cell) {
		page_free(config, config_pages);
		return refuse(-ENOMEM, WD_REASON_RESOURCES, 0, 0,
			      "cell '%s': no memory for its state (page pool %llu/%llu used)",
			      config->name, mem_pool.used, mem_pool.pages);
	}
	memset(cell, 0, PAGES(sizeof(*cell)) * PAGE_SIZE);
	cell->id = free_cell_id();
	cell->vmid = (u16)cell->id;
	cell->config = config;
	cell->config_pages = config_pages;
	cell->state = WD_CELL_SHUT_DOWN;
	/* Its CPUs are parked until the first start. */
	cell->stopping = true;
	cpu_set_add_config(want, config);

	/* Everything of the cell's own first: the root is not held meanwhile. */
	err = arch_cell_create(cell);
	if (!err)
		err = map_comm_region(cell);
	if (!err) {
		cell->stage2_saved = page_alloc(cell->stage2.root_pages);
		if (!cell->stage2_saved)
			err = -ENOMEM;
	}
	if (err)
		refuse(err, WD_REASON_MEMORY_OR_NOMEM,
		       0, 0,
		       "cell '%s': no memory for its stage-2 tables or comm page (error %d; page pool %llu/%llu used)",
		       config->name, err, mem_pool.used, mem_pool.pages);
	if (!err)
		err = vpci_cell_create(cell);	/* names the device itself */
	if (!err)
		err = cell_map_memory(cell);	/* names the region itself */
	if (!err)
		err = vpci_phys_trap(cell);	/* MSI-X pages out of the stage 2 */
	if (!err)
		err = root_cpus_suspend(pc);	/* names the CPU itself */
	if (err) {
		cell_free(cell);
		return err;
	}

	/*
	 * Recheck with the root held: Linux may have brought a CPU online
	 * since the check, and only a parked CPU may change owner.
	 */
	spin_lock(&cpu_state_lock);
	busy = cpus_hand_over(&root_cell, cell, want, pc);
	spin_unlock(&cpu_state_lock);
	if (busy >= 0) {
		root_cpus_resume(pc);
		cpu = (unsigned int)busy;
		cell_free(cell);
		return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
			      "cell '%s': CPU %u came online in the root cell during the creation",
			      config->name, cpu);
	}
	mem = wd_cell_mem_regions(config);
	for (n = 0; n < config->num_memory_regions; n++, mem++) {
		if (!region_moves(mem))
			continue;
		err = root_map_region(mem, false);
		if (err) {
			refuse(err, WD_REASON_MEMORY_OR_NOMEM, n, mem->phys_start,
			       "cell '%s': memory region #%u (phys 0x%llx-0x%llx): taking it from the root cell failed (error %d; page pool %llu/%llu used)",
			       config->name, n, mem->phys_start,
			       mem->phys_start + mem->size - 1, err, mem_pool.used,
			       mem_pool.pages);
			break;
		}
	}
	if (err) {
		root_give_back(config, n + 1);
		spin_lock(&cpu_state_lock);
		cpus_hand_over(cell, &root_cell, want, pc);
		spin_unlock(&cpu_state_lock);
		root_cpus_resume(pc);
		cell_free(cell);
		return err;
	}
	cell->loadable = false;
	for (last = cells; last->next; last = last->next)
		;
	last->next = cell;
	num_cells++;
	move_irqs(&root_cell, cell, config);
	paging_flush(&root_cell.stage2);
	root_cpus_resume(pc);

	printk("Created cell '%s' (id %u), page pool %llu/%llu used\n",
	       config->name, cell->id, mem_pool.used, mem_pool.pages);
	return cell->id;
}
