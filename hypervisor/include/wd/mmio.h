#ifndef WD_MMIO_H
#define WD_MMIO_H

#include <wd/types.h>

/* One trapped access, decoded from the exception syndrome. */
struct mmio_access {
	u64 address;		/* guest-physical; region handlers see an offset */
	unsigned int size;	/* 1, 2, 4 or 8 bytes */
	bool is_write;
	u64 value;		/* written value, or the value read */
};

enum mmio_result {
	MMIO_HANDLED,
	MMIO_UNHANDLED,		/* nobody emulates this address */
	MMIO_ERROR,		/* emulated, but the access is not permitted */
};

typedef enum mmio_result (*mmio_handler)(void *arg, struct mmio_access *access);

struct mmio_region {
	u64 start;
	u64 size;
	mmio_handler handler;
	void *arg;
};

#define MAX_MMIO_REGIONS	32

struct mmio_regions {
	unsigned int num;
	/*
	 * Index of the region the last dispatch found, tried first: a cell
	 * keeps hitting the same device. Only a hint (any CPU may change it;
	 * a stale value is checked like any other guess).
	 */
	unsigned int hint;
	struct mmio_region region[MAX_MMIO_REGIONS];
	/*
	 * Asked about an access no region covers (with the guest-physical
	 * address, after the same width and alignment check): devices whose
	 * address the guest chooses (PCI BARs, vpci.c). NULL: none.
	 */
	mmio_handler fallback;
	void *fallback_arg;
	/*
	 * Where this cell's accesses land: a new value, unique among all
	 * cells ever (never 0), after every change that can send an access to
	 * another handler or device (a region added or removed, the fallback
	 * set, a virtual BAR moved or its decoding switched): what the light
	 * exit's doorbell shortcut (core/ivshmem-fast.c) compares with.
	 */
	u64 layout;
};

/* @regs' layout changed (after the change): a new regs->layout. */
void mmio_layout_changed(struct mmio_regions *regs);

int mmio_region_register(struct mmio_regions *regs, u64 start, u64 size,
			 mmio_handler handler, void *arg);
void mmio_region_unregister(struct mmio_regions *regs, u64 start);
/*
 * Dispatch @access to the region containing it; the handler sees an offset.
 * MMIO_ERROR without calling a handler for an access that is not naturally
 * aligned or that crosses the region's end.
 */
enum mmio_result mmio_dispatch(struct mmio_regions *regs,
			       struct mmio_access *access);

/* Raw device accesses of the given width. */
static inline u64 mmio_read(const volatile void *addr, unsigned int size)
{
	switch (size) {
	case 1: return *(const volatile u8 *)addr;
	case 2: return *(const volatile u16 *)addr;
	case 4: return *(const volatile u32 *)addr;
	default: return *(const volatile u64 *)addr;
	}
}

static inline void mmio_write(volatile void *addr, unsigned int size, u64 value)
{
	switch (size) {
	case 1: *(volatile u8 *)addr = (u8)value; break;
	case 2: *(volatile u16 *)addr = (u16)value; break;
	case 4: *(volatile u32 *)addr = (u32)value; break;
	default: *(volatile u64 *)addr = value; break;
	}
}

#endif
