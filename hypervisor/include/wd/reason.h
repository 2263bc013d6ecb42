/*
 * Refusing a call of the root cell with a reason: the one line goes to the
 * hypervisor console and into the reason record (struct wd_reason in
 * warden/firmware.h), from where the driver puts it into the kernel log.
 */
#ifndef WD_REASON_H
#define WD_REASON_H

#include <wd/types.h>
#include <warden/firmware.h>

struct per_cpu;

extern struct wd_reason reason_record;

/*
 * The call @pc is about to handle: a WD_HC_* code, or WD_REASON_CALL_ENABLE.
 * Refusals are recorded for the root cell's calls and for enable only.
 */
void reason_call(struct per_cpu *pc, u32 call);

/*
 * While on (during enable), a recorded reason is not overwritten: the first
 * CPU's failure is the cause, the other CPUs' are consequences.
 */
void reason_keep_first(bool on);

/*
 * Refuse the current call of this CPU: @fmt is one line without a newline,
 * @kind a WD_REASON_* saying what @object (and @addr) are. Returns @err, a
 * negative errno, so that callers can "return refuse(...)".
 */
/*
 * As @kind: WD_REASON_RESOURCES if @err is -ENOMEM (out of pool pages), else
 * WD_REASON_MEMORY; decided once in refuse() rather than at every call.
 */
#define WD_REASON_MEMORY_OR_NOMEM	0x80

/*
 * @err, @kind and @object of a refusal in one register: one MOV at a call
 * whose object is a constant instead of three, and two more registers for
 * the format's arguments (about 80 calls of refuse()). The reason record
 * keeps @object as 32 bits anyway; errno values are below 4096 and kinds
 * below 2^20.
 */
#define REFUSE_CODE(err, kind, object)						\
	((u64)(u32)(object) << 32 | (u32)(kind) << 12 | ((u32)-(err) & 0xfffU))
#define REFUSE_ERR(code)	(-(int)((code) & 0xfff))
#define REFUSE_KIND(code)	((u32)(code) >> 12)
#define REFUSE_OBJECT(code)	((u64)(code) >> 32)

#ifdef __WARDEN_HOST_TEST__
int refuse(int err, u32 kind, u64 object, u64 addr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#else
int refuse_code(u64 code, u64 addr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with @addr 0 (three calls in four): one register less to set. */
int refuse_code0(u64 code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define refuse(err, kind, object, addr, ...)					\
	(__builtin_constant_p(addr) && !(addr) ?				\
	 refuse_code0(REFUSE_CODE(err, kind, object), __VA_ARGS__) :		\
	 refuse_code(REFUSE_CODE(err, kind, object), (addr), __VA_ARGS__))
#endif

#endif
