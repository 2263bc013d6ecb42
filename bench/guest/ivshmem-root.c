// SPDX-License-Identifier: GPL-2.0
/*
 * The root's end of the doorbell latency benchmark (bench/ivshmem.sh), over a
 * /dev/uioN of uio_ivshmem, against inmates/demos/ivshmem-bench.c in a cell.
 * Same conventions as that inmate: the sender writes the virtual counter
 * (CNTVCT_EL0, which the root and every cell share) into the first 8 bytes of
 * its output section just before ringing; the receiver acknowledges sample
 * number N by writing N to word 2 (bytes 8..11) of its own output section;
 * a receiver announces itself with state 1.
 *
 *   ivshmem-root send -d /dev/uioN -p PEER [-n COUNT] [-g GAP_US] [-c CPU]
 *       root -> cell: rings PEER (an ivshmem-bench role=recv peer=<root's
 *       ID>) COUNT times, GAP_US apart; the cell measures and prints.
 *   ivshmem-root recv -d /dev/uioN -p PEER [-n COUNT] [-c CPU]
 *       cell -> root: PEER (ivshmem-bench role=send peer=<root's ID>) rings
 *       us; each sample is uio_ivshmem's irq_counter (the counter on entry
 *       to the driver's interrupt handler) minus the sender's value. Prints
 *       "ivshmem-root: latency n=.. min=.. median=.. avg=.. max=.. freq=.."
 *       in nanoseconds (instructions under -icount shift=0), then the
 *       samples.
 * -c CPU runs the program on that CPU only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <warden/ivshmem.h>

#define MAX_SAMPLES 1000

struct map {
	volatile uint8_t *p;
	size_t size;
};

static const char *uio;		/* "uioN" */
static int fd;

static int die(const char *what)
{
	fprintf(stderr, "ivshmem-root: %s%s%s\n", what, errno ? ": " : "",
		errno ? strerror(errno) : "");
	exit(1);
}

static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

static void sleep_us(long us)
{
	struct timespec t = { us / 1000000, (us % 1000000) * 1000 };

	nanosleep(&t, NULL);
}

static unsigned long long read_number(const char *path)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, sizeof(buf), f))
		die(path);
	fclose(f);
	return strtoull(buf, NULL, 0);
}

/* uio_ivshmem's map called @name (its maps move with the R/W section's size). */
static struct map map_by_name(const char *name, int prot)
{
	char path[128], buf[64];
	struct map m = { 0 };
	int k;

	for (k = 0; k < 5; k++) {
		FILE *f;

		snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map%d/name", uio, k);
		f = fopen(path, "r");
		if (!f)
			break;
		buf[0] = 0;
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		buf[strcspn(buf, "\n")] = 0;
		if (strcmp(buf, name))
			continue;
		snprintf(path, sizeof(path), "/sys/class/uio/%s/maps/map%d/size", uio, k);
		m.size = read_number(path);
		m.p = mmap(NULL, m.size, prot, MAP_SHARED, fd, (off_t)k * getpagesize());
		if (m.p == MAP_FAILED)
			die(name);
		return m;
	}
	errno = 0;
	fprintf(stderr, "ivshmem-root: %s has no map '%s'\n", uio, name);
	exit(1);
}

/*
 * One 32-bit store from x0..x18, as a driver's writel() usually is: the
 * hypervisor's light exit takes a doorbell only from the registers it saves
 * (a store from x19..x29 goes the general way, about 1000 instructions more),
 * so the register is pinned here rather than left to the compiler.
 */
static void reg_write(struct map *regs, unsigned int off, uint32_t v)
{
	register uint32_t val __asm__("w1") = v;
	register volatile uint8_t *addr __asm__("x0") = regs->p + off;

	__asm__ volatile("dsb sy\n\tstr %w0, [%1]" :: "r"(val), "r"(addr) : "memory");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	static uint64_t samples[MAX_SAMPLES], sorted[MAX_SAMPLES];
	const char *dev = NULL;
	long peer = -1, count = 200, gap = 2000;
	struct map regs, state, in, out;
	int send, opt;
	uint64_t freq, sum = 0;
	long n = 0, i, tries;

	if (argc < 2 || (strcmp(argv[1], "send") && strcmp(argv[1], "recv"))) {
		fprintf(stderr, "usage: ivshmem-root send|recv -d /dev/uioN -p PEER [-n COUNT] [-g GAP_US] [-c CPU]\n");
		return 2;
	}
	send = !strcmp(argv[1], "send");
	optind = 2;
	while ((opt = getopt(argc, argv, "c:d:p:n:g:")) != -1) {
		switch (opt) {
		case 'c': {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(atoi(optarg), &set);
			if (sched_setaffinity(0, sizeof(set), &set))
				die("sched_setaffinity");
			break;
		}
		case 'd': dev = optarg; break;
		case 'p': peer = strtol(optarg, NULL, 0); break;
		case 'n': count = strtol(optarg, NULL, 0); break;
		case 'g': gap = strtol(optarg, NULL, 0); break;
		default: return 2;
		}
	}
	if (!dev || peer < 0 || count < 1 || count > MAX_SAMPLES || gap < 0) {
		fprintf(stderr, "ivshmem-root: -d and -p are needed; 1 <= COUNT <= %d\n", MAX_SAMPLES);
		return 2;
	}
	uio = strrchr(dev, '/') ? strrchr(dev, '/') + 1 : dev;
	fd = open(dev, O_RDWR);
	if (fd < 0)
		die(dev);
	regs = map_by_name("registers", PROT_READ | PROT_WRITE);
	state = map_by_name("state_table", PROT_READ);
	in = map_by_name("input_sections", PROT_READ);
	out = map_by_name("output_section", PROT_READ | PROT_WRITE);
	if ((unsigned long)peer >= in.size / out.size || out.size < 16)
		die("peer out of range or output sections too small");
	freq = counter_freq();

	volatile uint64_t *my_stamp = (volatile uint64_t *)out.p;
	volatile uint32_t *my_ack = (volatile uint32_t *)(out.p + 8);
	volatile uint64_t *peer_stamp = (volatile uint64_t *)(in.p + peer * out.size);
	volatile uint32_t *peer_ack = (volatile uint32_t *)(in.p + peer * out.size + 8);
	volatile uint32_t *peer_state = (volatile uint32_t *)(state.p + 4 * peer);

	*my_stamp = 0;
	*my_ack = 0;
	if (send) {
		for (tries = 0; *peer_state != 1; tries++) {
			if (tries > 60000)
				die("the receiver did not come up (its state is not 1)");
			sleep_us(1000);
		}
		for (n = 1; n <= count; n++) {
			sleep_us(gap);
			*my_stamp = counter();
			reg_write(&regs, WD_IVSHMEM_REG_DOORBELL, WD_IVSHMEM_DOORBELL(peer, 0));
			/*
			 * Give the CPU up at once, as ivshmem-bench's sender
			 * does with WFI: QEMU runs the vCPUs round robin on
			 * one thread, and the cell's CPU only gets its turn
			 * when this one stops. Otherwise the figure would
			 * count the root's way into nanosleep and its idle
			 * loop (about 1000 instructions), which on hardware
			 * runs in parallel with the receiver. WFE is what EL0
			 * may execute (Linux sets SCTLR_EL1.nTWE, not nTWI);
			 * QEMU treats it as a yield to the next vCPU; on
			 * hardware it returns at the next event (Linux's
			 * event stream: 100 us at most).
			 */
			__asm__ volatile("wfe" ::: "memory");
			for (tries = 0; *peer_ack != (uint32_t)n; tries++) {
				if (tries > 20000) {
					fprintf(stderr, "ivshmem-root: no acknowledgement of %ld\n", n);
					return 1;
				}
				sleep_us(100);
			}
		}
		printf("ivshmem-root: sent %ld\n", count);
		return 0;
	}

	reg_write(&regs, WD_IVSHMEM_REG_INT_CTRL, 1);
	reg_write(&regs, WD_IVSHMEM_REG_STATE, 1);
	{
		char path[160];

		snprintf(path, sizeof(path), "/sys/class/uio/%s/device/irq_counter", uio);
		while (n < count) {
			uint32_t events;
			uint64_t irq, sent;
			static uint64_t last;

			struct pollfd pfd = { .fd = fd, .events = POLLIN };

			/* The sender rings every few ms: a minute of silence is an error. */
			if (poll(&pfd, 1, 60000) != 1) {
				errno = 0;
				die("no doorbell from the peer for 60 s");
			}
			if (read(fd, &events, sizeof(events)) != sizeof(events))
				die("read");
			irq = read_number(path);
			sent = *peer_stamp;
			/* One-shot: re-arm before acknowledging, or the next is lost. */
			reg_write(&regs, WD_IVSHMEM_REG_INT_CTRL, 1);
			/* A state change interrupts too: count fresh stamps only. */
			if (sent && sent != last && irq >= sent)
				samples[n++] = irq - sent;
			last = sent;
			*my_ack = (uint32_t)n;
		}
	}
	reg_write(&regs, WD_IVSHMEM_REG_STATE, 0);
	for (i = 0; i < n; i++) {
		samples[i] = samples[i] * 1000000000ULL / freq;
		sorted[i] = samples[i];
		sum += samples[i];
	}
	qsort(sorted, n, sizeof(*sorted), cmp_u64);
	printf("ivshmem-root: latency n=%ld min=%llu median=%llu avg=%llu max=%llu freq=%llu\n", n,
	       (unsigned long long)sorted[0], (unsigned long long)sorted[n / 2],
	       (unsigned long long)(sum / n), (unsigned long long)sorted[n - 1],
	       (unsigned long long)freq);
	for (i = 0; i < n; i += 16) {
		long j;

		printf("ivshmem-root: samples");
		for (j = i; j < n && j < i + 16; j++)
			printf(" %llu", (unsigned long long)samples[j]);
		printf("\n");
	}
	return 0;
}
