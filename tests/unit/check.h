/*
 * A tiny host unit-test harness. Each test binary prints one line per check,
 * "ok - NAME" or "not ok - NAME: details", and exits non-zero if any failed.
 * tests/run counts these lines for the suite's closing "N passed, N failed".
 */
#ifndef WARDEN_TEST_CHECK_H
#define WARDEN_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(name, cond) do {							\
	if (cond) {								\
		printf("ok - %s\n", name);					\
	} else {								\
		printf("not ok - %s: %s:%d: %s\n", name, __FILE__, __LINE__,	\
		       #cond);							\
		check_failures++;						\
	}									\
} while (0)

#define CHECK_EQ(name, got, want) do {						\
	unsigned long long g_ = (unsigned long long)(got);			\
	unsigned long long w_ = (unsigned long long)(want);			\
	if (g_ == w_) {								\
		printf("ok - %s\n", name);					\
	} else {								\
		printf("not ok - %s: %s:%d: %s == 0x%llx, want 0x%llx\n",	\
		       name, __FILE__, __LINE__, #got, g_, w_);			\
		check_failures++;						\
	}									\
} while (0)

#define CHECK_STR(name, got, want) do {						\
	const char *g_ = (got), *w_ = (want);					\
	if (g_ && w_ && strcmp(g_, w_) == 0) {					\
		printf("ok - %s\n", name);					\
	} else {								\
		printf("not ok - %s: %s:%d: got \"%s\", want \"%s\"\n",		\
		       name, __FILE__, __LINE__, g_ ? g_ : "(null)",		\
		       w_ ? w_ : "(null)");					\
		check_failures++;						\
	}									\
} while (0)

#define CHECK_DONE() (check_failures ? 1 : 0)

#endif
