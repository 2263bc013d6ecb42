/*
 * A new cell's configuration against the running system: its CPUs must be
 * parked CPUs of the root (not the caller's), its SPIs the root's, its memory
 * inside the root's and apart from the hypervisor and every other cell. The
 * shared validator (common/config-check.c) has already checked the blob on its
 * own; what is checked here needs the hypervisor's state. Each refusal names
 * the CPU, interrupt or region at fault (refuse(), reason.c).
 */
#include <warden/config-check.h>
#include <wd/cell.h>
#include <wd/control.h>
#include <wd/errno.h>
#include <wd/percpu.h>
#include <wd/reason.h>
#include <wd/string.h>
#include <wd/vpci.h>
#include "cell-mgmt.h"

/*
 * May regions @a (of a new cell) and @b (of a running one) both exist? Only
 * memory both share with the root may be shared; a comm region is virtual.
 */
static bool regions_may_overlap(const struct wd_mem_region *a,
				const struct wd_mem_region *b)
{
	if ((a->flags | b->flags) & WD_MEM_COMM_REGION || !a->size || !b->size)
		return true;
	return (a->flags & b->flags) & WD_MEM_ROOTSHARED;
}

static bool ranges_overlap(u64 a, u64 asize, u64 b, u64 bsize)
{
	return a < b + bsize && b < a + asize;
}

static int check_memory(const struct wd_cell_desc *c)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(c), *other;
	const struct wd_mem_region *hv = &system_config->hypervisor_memory;
	unsigned int n, m;
	struct cell *cell;

	for (n = 0; n < c->num_memory_regions; n++, mem++) {
		if (!mem->size)		/* placeholder: maps nothing (as the validator) */
			continue;
		/*
		 * The validator refused a second comm region, a comm region
		 * not page aligned, and (but for a comm region's phys_start,
		 * which means nothing) any region not page aligned or ending
		 * past 2^64 - 1. Left to check: a region ending at 2^64 exactly.
		 */
		if (mem->flags & WD_MEM_COMM_REGION)
			continue;
		if (mem->phys_start + mem->size < mem->phys_start)
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (phys 0x%llx, size 0x%llx) wraps or is not page aligned",
				      c->name, n, mem->phys_start, mem->size);
		if (ranges_overlap(mem->phys_start, mem->size, hv->phys_start, hv->size))
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) overlaps hypervisor memory 0x%llx-0x%llx",
				      c->name, n, mem->phys_start,
				      mem->phys_start + mem->size - 1, hv->phys_start,
				      hv->phys_start + hv->size - 1);
		if (!root_region_containing(mem->phys_start, mem->size))
			return refuse(-EINVAL, WD_REASON_MEMORY, n, mem->phys_start,
				      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) is not inside one region of the root cell",
				      c->name, n, mem->phys_start,
				      mem->phys_start + mem->size - 1);
		for (cell = root_cell.next; cell; cell = cell->next) {
			other = wd_cell_mem_regions(cell->config);
			for (m = 0; m < cell->config->num_memory_regions; m++, other++) {
				if (regions_may_overlap(mem, other))
					continue;
				if (ranges_overlap(mem->phys_start, mem->size,
						   other->phys_start, other->size))
					return refuse(-EBUSY, WD_REASON_MEMORY, n,
						      mem->phys_start,
						      "cell '%s': memory region #%u (phys 0x%llx-0x%llx) overlaps cell '%s' (its region #%u, phys 0x%llx-0x%llx)",
						      c->name, n, mem->phys_start,
						      mem->phys_start + mem->size - 1,
						      cell->config->name, m,
						      other->phys_start,
						      other->phys_start + other->size - 1);
			}
		}
	}
	return 0;
}

/* The cell (root or not) that owns CPU @cpu. */
static struct cell *cpu_owner(unsigned int cpu)
{
	struct cell *cell;

	for (cell = cells; cell; cell = cell->next)
		if (cell_has_cpu(cell, cpu))
			return cell;
	return NULL;
}

static int check_irqs(const struct wd_cell_desc *c)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(c);
	unsigned int n, bit;
	struct cell *owner;

	for (n = 0; n < c->num_irqchips; n++, chip++) {
		if (chip->address != system_config->platform.arm.gicd_base)
			return refuse(-EINVAL, WD_REASON_IRQ, chip->pin_base,
				      chip->address,
				      "cell '%s': irqchip #%u at 0x%llx is not the GIC distributor 0x%llx",
				      c->name, n, chip->address,
				      system_config->platform.arm.gicd_base);
		for (bit = 0; bit < WD_IRQCHIP_PINS; bit++) {
			unsigned int irq = chip->pin_base + bit;

			/* No SGI or PPI: the validator refused pin_base + bit < 32. */
			if (!(chip->pin_bitmap[bit / 32] & (1U << (bit % 32))))
				continue;
			if (cell_owns_irq(&root_cell, irq))
				continue;
			for (owner = root_cell.next; owner; owner = owner->next)
				if (cell_owns_irq(owner, irq))
					return refuse(-EBUSY, WD_REASON_IRQ, irq,
						      chip->address,
						      "cell '%s': SPI %u belongs to cell '%s'",
						      c->name, irq, owner->config->name);
			return refuse(-EBUSY, WD_REASON_IRQ, irq, chip->address,
				      "cell '%s': SPI %u is not owned by the root cell",
				      c->name, irq);
		}
	}
	return 0;
}

/*
 * The configuration against the running system. The validator ran on this
 * very copy before (copy_config): what it refuses is not checked again here;
 * e.g. the CPU set has a CPU below cpu_set_size * 8.
 */
int check_cell_config(struct per_cpu *pc, const struct wd_cell_desc *c)
{
	unsigned int cpu;
	struct cell *cell;
	int err;

	for (cell = cells; cell; cell = cell->next)
		if (strncmp(cell->config->name, c->name, WD_CELL_NAME_LEN) == 0)
			return refuse(-EEXIST, WD_REASON_CELL, cell->id, 0,
				      "cell '%s' already exists (id %u)", c->name,
				      cell->id);
	for (cpu = 0; cpu < c->cpu_set_size * 8; cpu++) {
		if (!wd_cell_has_cpu(c, cpu))
			continue;
		if (cpu >= CONFIG_WD_MAX_CPUS || !per_cpu(cpu)->initialized)
			return refuse(-ENOENT, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u does not exist", c->name, cpu);
		if (!cell_has_cpu(&root_cell, cpu)) {
			cell = cpu_owner(cpu);
			if (cell)
				return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
					      "cell '%s': CPU %u is not in the root cell (cell '%s' has it)",
					      c->name, cpu, cell->config->name);
			return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u is not in the root cell",
				      c->name, cpu);
		}
		if (per_cpu(cpu) == pc)
			return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u is the root cell's calling CPU",
				      c->name, cpu);
		if (per_cpu(cpu)->run_state != CPU_PARKED)
			return refuse(-EBUSY, WD_REASON_CPU, cpu, 0,
				      "cell '%s': CPU %u is still online in the root cell",
				      c->name, cpu);
	}
	if (c->msg_reply_timeout > MAX_REPLY_TIMEOUT_MS)
		return refuse(-EINVAL, WD_REASON_CONFIG, 0, 0,
			      "cell '%s': message reply timeout %llu ms exceeds the hypervisor's limit of %u ms",
			      c->name, (u64)c->msg_reply_timeout,
			      MAX_REPLY_TIMEOUT_MS);
	err = check_irqs(c);
	if (err)
		return err;
	err = check_memory(c);
	if (!err)
		err = vpci_cell_check(c);
	return err ? err : arch_cell_check(c);
}
