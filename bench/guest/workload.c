// SPDX-License-Identifier: GPL-2.0
/*
 * workload: a CPU- and memory-bound job for the root-cell overhead figure.
 * Runs in the QEMU guest (static aarch64); bench/root.sh times it with and
 * without Warden enabled.
 *
 *   workload [-m MIB] [-p PASSES] [-i ITERATIONS] [-n RUNS]
 *
 * Allocates MIB MiB (default 64) and touches it once (untimed: page faults are
 * Linux's business either way), then RUNS times (default 5) does PASSES
 * streaming passes over the buffer (read-modify-write of every 64-bit word)
 * followed by ITERATIONS rounds of integer mixing, and prints per run
 *
 *   WORKLOAD <run> <nanoseconds of CLOCK_MONOTONIC> <checksum>
 *
 * The checksum depends on all the work, so the compiler cannot drop any.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t stream(uint64_t *buf, size_t words, int passes)
{
	uint64_t sum = 0;
	size_t i;
	int p;

	for (p = 0; p < passes; p++)
		for (i = 0; i < words; i++) {
			buf[i] = buf[i] * 3 + (uint64_t)p;
			sum += buf[i];
		}
	return sum;
}

/* xorshift64* steps: pure register work with a serial dependency. */
static uint64_t compute(uint64_t x, long iterations)
{
	long i;

	for (i = 0; i < iterations; i++) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		x *= 0x2545f4914f6cdd1dULL;
	}
	return x;
}

int main(int argc, char **argv)
{
	long mib = 64, iterations = 20000000;
	int passes = 2, runs = 5, opt, run;
	uint64_t *buf;
	size_t words, i;

	while ((opt = getopt(argc, argv, "m:p:i:n:")) != -1) {
		switch (opt) {
		case 'm': mib = atol(optarg); break;
		case 'p': passes = atoi(optarg); break;
		case 'i': iterations = atol(optarg); break;
		case 'n': runs = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: workload [-m MIB] [-p PASSES] "
				"[-i ITERATIONS] [-n RUNS]\n");
			return 2;
		}
	}
	if (mib <= 0 || passes < 0 || iterations < 0 || runs <= 0) {
		fprintf(stderr, "workload: sizes and counts must be positive\n");
		return 2;
	}
	words = (size_t)mib * 1024 * 1024 / sizeof(*buf);
	buf = malloc(words * sizeof(*buf));
	if (!buf) {
		fprintf(stderr, "workload: cannot allocate %ld MiB\n", mib);
		return 1;
	}
	for (i = 0; i < words; i++)
		buf[i] = i;

	for (run = 0; run < runs; run++) {
		uint64_t t0 = now_ns(), sum, t1;

		sum = stream(buf, words, passes);
		sum ^= compute(sum | 1, iterations);
		t1 = now_ns();
		printf("WORKLOAD %d %llu %016llx\n", run,
		       (unsigned long long)(t1 - t0), (unsigned long long)sum);
		fflush(stdout);
	}
	free(buf);
	return 0;
}
