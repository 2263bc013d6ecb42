/* Per-cell table of emulated MMIO regions, kept sorted by start address. */
#include <wd/mmio.h>
#include <wd/errno.h>

/* The last layout value handed out (wd/mmio.h: struct mmio_regions.layout). */
static u64 last_layout;

void mmio_layout_changed(struct mmio_regions *regs)
{
	__atomic_store_n(&regs->layout, __atomic_add_fetch(&last_layout, 1, __ATOMIC_RELAXED),
			 __ATOMIC_RELEASE);
}

int mmio_region_register(struct mmio_regions *regs, u64 start, u64 size,
			 mmio_handler handler, void *arg)
{
	unsigned int n, pos;

	if (size == 0 || start + size < start)
		return -EINVAL;
	if (regs->num >= MAX_MMIO_REGIONS)
		return -ENOSPC;
	for (pos = 0; pos < regs->num; pos++) {
		const struct mmio_region *r = &regs->region[pos];

		if (start < r->start + r->size && r->start < start + size)
			return -EEXIST;
		if (r->start > start)
			break;
	}
	for (n = regs->num; n > pos; n--)
		regs->region[n] = regs->region[n - 1];
	regs->region[pos] = (struct mmio_region){ start, size, handler, arg };
	regs->num++;
	mmio_layout_changed(regs);
	return 0;
}

void mmio_region_unregister(struct mmio_regions *regs, u64 start)
{
	unsigned int n;

	for (n = 0; n < regs->num; n++) {
		if (regs->region[n].start != start)
			continue;
		for (; n + 1 < regs->num; n++)
			regs->region[n] = regs->region[n + 1];
		regs->num--;
		mmio_layout_changed(regs);
		return;
	}
}

static enum mmio_result mmio_call(const struct mmio_region *r,
				  struct mmio_access *access)
{
	enum mmio_result res;
	u64 addr = access->address;

	/*
	 * Refused before any handler runs: an access crossing the region's
	 * end, and a misaligned one (a handler repeating it on the device's
	 * Device mapping at EL2 would take an alignment fault there).
	 */
	if ((access->address & (access->size - 1)) ||
	    access->address + access->size > r->start + r->size)
		return MMIO_ERROR;
	access->address -= r->start;
	res = r->handler(r->arg, access);
	access->address = addr;
	return res;
}

static __attribute__((noinline)) enum mmio_result
mmio_fallback(struct mmio_regions *regs, struct mmio_access *access)
{
	mmio_handler fallback = __atomic_load_n(&regs->fallback, __ATOMIC_ACQUIRE);

	if (!fallback)
		return MMIO_UNHANDLED;
	if (access->address & (access->size - 1))
		return MMIO_ERROR;
	return fallback(regs->fallback_arg, access);
}

enum mmio_result mmio_dispatch(struct mmio_regions *regs,
			       struct mmio_access *access)
{
	unsigned int lo = 0, hi = regs->num;
	unsigned int hint = __atomic_load_n(&regs->hint, __ATOMIC_RELAXED);
	const struct mmio_region *r;

	/* One call site of mmio_call, so that it is inlined (the hot path). */
	if (hint < hi &&
	    access->address - regs->region[hint].start < regs->region[hint].size) {
		r = &regs->region[hint];
	} else {
		for (;;) {
			unsigned int mid = (lo + hi) / 2;

			if (lo >= hi)
				return mmio_fallback(regs, access);
			r = &regs->region[mid];
			if (access->address < r->start) {
				hi = mid;
			} else if (access->address - r->start >= r->size) {
				lo = mid + 1;
			} else {
				__atomic_store_n(&regs->hint, mid, __ATOMIC_RELAXED);
				break;
			}
		}
	}
	return mmio_call(r, access);
}
