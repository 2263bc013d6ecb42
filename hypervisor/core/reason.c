/*
 * The reason record: why the root cell's last management call (or enable)
 * was refused, in one line the driver copies into the kernel log. Refusals of
 * other cells' calls are neither recorded nor printed: a cell must not be
 * able to overwrite the root's reason or flood the console by issuing
 * hypercalls it may not make.
 */
#include <wd/reason.h>
#include <wd/errno.h>
#include <wd/cell.h>
#include <wd/percpu.h>
#include <wd/printk.h>
#include <wd/spinlock.h>
#include <wd/string.h>

/* Placed after the console ring (hypervisor.lds): the root cell may read it. */
/* Referenced by the linker script (the header's reason_offset): keep it global under LTO. */
struct wd_reason reason_record __section(".reason") __aligned(8)
	__attribute__((used, externally_visible));

static spinlock_t reason_lock;
/* On until enable succeeds: the image's data is copied afresh for every enable. */
static bool keep_first = true;
static u32 current_call[CONFIG_WD_MAX_CPUS];
static bool call_recorded[CONFIG_WD_MAX_CPUS];

void reason_call(struct per_cpu *pc, u32 call)
{
	current_call[pc->cpu_id] = call;
	call_recorded[pc->cpu_id] = call == WD_REASON_CALL_ENABLE ||
				    pc->cell == &root_cell;
}

void reason_keep_first(bool on)
{
	__atomic_store_n(&keep_first, on, __ATOMIC_RELEASE);
}

static void record(struct per_cpu *pc, int err, u32 kind, u64 object, u64 addr,
		   const char *line)
{
	struct wd_reason *r = &reason_record;

	spin_lock(&reason_lock);
	if (__atomic_load_n(&keep_first, __ATOMIC_ACQUIRE) && r->error) {
		spin_unlock(&reason_lock);
		return;
	}
	/* Odd seq: the driver's reader retries or gives up, never uses a torn copy. */
	WRITE_ONCE(r->seq, r->seq + 1);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->error = err;
	r->call = current_call[pc->cpu_id];
	r->kind = kind;
	r->cpu = pc->cpu_id;
	r->object = (u32)object;
	r->addr = addr;
	memset(r->msg, 0, sizeof(r->msg));
	memcpy(r->msg, line, strnlen(line, sizeof(r->msg) - 1));
	__atomic_thread_fence(__ATOMIC_RELEASE);
	WRITE_ONCE(r->seq, r->seq + 1);
	spin_unlock(&reason_lock);
}

static int vrefuse(u64 code, u64 addr, const char *fmt, va_list ap)
{
	struct per_cpu *pc = this_cpu();
	int err = REFUSE_ERR(code);
	u32 kind = REFUSE_KIND(code);
	char line[WD_REASON_MSG_LEN];

	if (pc->cpu_id >= CONFIG_WD_MAX_CPUS || !call_recorded[pc->cpu_id])
		return err;
	if (kind == WD_REASON_MEMORY_OR_NOMEM)
		kind = err == -ENOMEM ? WD_REASON_RESOURCES : WD_REASON_MEMORY;
	vsnprintf(line, sizeof(line), fmt, ap);
	printk("%s\n", line);
	record(pc, err, kind, REFUSE_OBJECT(code), addr, line);
	return err;
}

int refuse_code(u64 code, u64 addr, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vrefuse(code, addr, fmt, ap);
	va_end(ap);
	return err;
}

int refuse_code0(u64 code, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vrefuse(code, 0, fmt, ap);
	va_end(ap);
	return err;
}
