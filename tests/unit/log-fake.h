/*
 * The hypervisor's log for the unit tests: printk() appends to the test's
 * log_text[], refuse() keeps the refusal's message in its last_reason[] and
 * returns the errno, as the real one does (the reason's kind, object and
 * address are not kept). Include after both arrays are defined.
 */
#ifndef UNIT_LOG_FAKE_H
#define UNIT_LOG_FAKE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void printk(const char *fmt, ...)
{
	size_t n = strlen(log_text);
	va_list ap;

	va_start(ap, fmt);
	if (n + 1 < sizeof(log_text))
		vsnprintf(log_text + n, sizeof(log_text) - n, fmt, ap);
	va_end(ap);
}

int refuse(int err, u32 kind, u64 object, u64 addr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_reason, sizeof(last_reason), fmt, ap);
	va_end(ap);
	return err;
}

#endif
