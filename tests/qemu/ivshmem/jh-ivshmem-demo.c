// SPDX-License-Identifier: GPL-2.0
/*
 * Test fixture: a user of Jailhouse's uio_ivshmem interface written the way
 * Jailhouse's tools/demos/ivshmem-demo.c uses it (our own code; its
 * observable behaviour is what is reproduced, so that the root's
 * uio_ivshmem.ko is tested against the expectations of a program Warden did
 * not shape):
 *
 *   - opens /dev/uioN (-d, default /dev/uio0) read/write, -t TARGET picks
 *     the peer to ring (default: the next ID, modulo Max Peers);
 *   - MSI-X is assumed iff /sys/class/uio/uioN/device/msi_irqs exists;
 *   - map sizes come from /sys/class/uio/uioN/maps/mapK/size ("0x%zx");
 *   - maps 0..4 are mmap()ed at file offsets K * page size: registers RW,
 *     state table RO, R/W section RW, input sections RO, output section RW;
 *   - State = ID + 1, rw[ID] = 0, out[0] = 0, Interrupt Control = 1;
 *   - every second (SIGALRM via signalfd) it rings the target with vector
 *     0 (INTx) or ID + 1 (MSI-X); on each interrupt it reads the u32 count
 *     from the device, stores it in rw[ID] and count * 10 in out[0], prints
 *     the shared memory and re-arms through Interrupt Control.
 * It runs until killed, as the original does. Output lines match it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

enum { R_ID, R_MAX_PEERS, R_INT_CTRL, R_DOORBELL, R_STATE };

static volatile uint32_t *regs, *st, *rw, *in, *out;

static void die(const char *what)
{
	fprintf(stderr, "jh-ivshmem-demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static const char *uio_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static size_t map_size(const char *dev, int k)
{
	char p[96], buf[32] = "";
	size_t size;
	FILE *f;

	snprintf(p, sizeof(p), "/sys/class/uio/%s/maps/map%d/size", uio_name(dev), k);
	f = fopen(p, "r");
	if (!f)
		die("open(sysfs)");
	if (!fgets(buf, sizeof(buf), f))
		die("read(sysfs)");
	fclose(f);
	if (sscanf(buf, "0x%zx", &size) != 1) {
		errno = EINVAL;
		die("sscanf(sysfs)");
	}
	return size;
}

static volatile uint32_t *map(int fd, const char *dev, int k, int prot)
{
	void *p = mmap(NULL, map_size(dev, k), prot, MAP_SHARED, fd,
		       (off_t)k * getpagesize());

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

static void show(void)
{
	int i;

	for (i = 0; i < 3; i++)
		printf("state[%d] = %d\n", i, st[i]);
	for (i = 0; i < 3; i++)
		printf("rw[%d] = %d\n", i, rw[i]);
	for (i = 0; i < 3; i++)
		printf("in@0x%04x = %d\n", i * 0x2000, in[i * 0x2000 / 4]);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *dev = "/dev/uio0";
	uint32_t id, peers, count, target = INT_MAX;
	struct signalfd_siginfo si;
	struct pollfd pfd[2];
	char path[96];
	sigset_t alrm;
	int i, msix;

	for (i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "-t") || !strcmp(argv[i], "--target")) && i + 1 < argc)
			target = atoi(argv[++i]);
		else if ((!strcmp(argv[i], "-d") || !strcmp(argv[i], "--device")) && i + 1 < argc)
			dev = argv[++i];
		else {
			fprintf(stderr, "Usage: ivshmem-demo [-d DEV] [-t TARGET]\n");
			return 1;
		}
	}

	pfd[0].fd = open(dev, O_RDWR);
	if (pfd[0].fd < 0)
		die("open");
	pfd[0].events = POLLIN;
	snprintf(path, sizeof(path), "/sys/class/uio/%s/device/msi_irqs", uio_name(dev));
	msix = access(path, R_OK) == 0;

	regs = map(pfd[0].fd, dev, 0, PROT_READ | PROT_WRITE);
	id = regs[R_ID];
	peers = regs[R_MAX_PEERS];
	printf("ID = %d\nMaximum peers = %d\n", id, peers);
	if (target == INT_MAX)
		target = (id + 1) % peers;
	if (target >= peers || target == id) {
		fprintf(stderr, "jh-ivshmem-demo: invalid peer number\n");
		return 1;
	}
	st = map(pfd[0].fd, dev, 1, PROT_READ);
	rw = map(pfd[0].fd, dev, 2, PROT_READ | PROT_WRITE);
	in = map(pfd[0].fd, dev, 3, PROT_READ);
	out = map(pfd[0].fd, dev, 4, PROT_READ | PROT_WRITE);

	regs[R_STATE] = id + 1;
	rw[id] = 0;
	out[0] = 0;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	pfd[1].fd = signalfd(-1, &alrm, 0);
	if (pfd[1].fd < 0)
		die("signalfd");
	pfd[1].events = POLLIN;

	regs[R_INT_CTRL] = 1;
	alarm(1);
	show();

	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			die("poll");
		if (pfd[0].revents & POLLIN) {
			if (read(pfd[0].fd, &count, sizeof(count)) != sizeof(count))
				die("read(uio)");
			rw[id] = count;
			out[0] = count * 10;
			printf("\nInterrupt #%d\n", count);
			show();
			regs[R_INT_CTRL] = 1;
		}
		if (pfd[1].revents & POLLIN) {
			uint32_t vector = msix ? id + 1 : 0;

			if (read(pfd[1].fd, &si, sizeof(si)) != sizeof(si))
				die("read(sigfd)");
			printf("\nSending interrupt %d to peer %d\n", vector, target);
			fflush(stdout);
			regs[R_DOORBELL] = vector | (target << 16);
			alarm(1);
		}
	}
}
