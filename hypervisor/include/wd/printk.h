#ifndef WD_PRINTK_H
#define WD_PRINTK_H

#include <stdarg.h>
#include <wd/types.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#ifndef __WARDEN_HOST_TEST__
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#endif

/* Print to the hypervisor console (ring buffer and debug UART). */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A literal that is only ever printed, as a format or as text for %s, but is
 * not itself an argument of a printf-like call: a table of formats, a text
 * kept for a later message. The build packs it like the formats
 * (scripts/msg-pack), so it must stay where the compiler puts it (the
 * image's read-only data: no char array initialised from it) and be read by
 * nothing but vsnprintf (no indexing, comparing, copying).
 */
#define MSG_TEXT(text)	text

#define pr_info(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk("ERROR: " fmt, ##__VA_ARGS__)

#endif
