/*
 * Ticket spinlock on compiler atomics. Only used with the MMU on: exclusive
 * accesses need Normal cacheable memory to be architecturally reliable.
 */
#ifndef WD_SPINLOCK_H
#define WD_SPINLOCK_H

#include <wd/types.h>
#include <asm/processor.h>

typedef struct {
	u16 owner;
	u16 next;
} spinlock_t;

static inline void spin_lock(spinlock_t *lock)
{
	u16 ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, (u16)(lock->owner + 1), __ATOMIC_RELEASE);
}

#endif
