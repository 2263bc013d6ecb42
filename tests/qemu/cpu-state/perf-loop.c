/* Manual aid (tests/qemu/cpu-state/perf-stress.sh): many short enable/spin/
 * disable rounds of a task-bound cycles counter; reports rounds whose perf
 * context was in for under 90% of the thread CPU time in between. */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <stdlib.h>
static uint64_t tns(void) { struct timespec ts; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return ts.tv_sec * 1000000000ULL + ts.tv_nsec; }
int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 200, r, bad = 0;
	for (r = 0; r < rounds; r++) {
		struct perf_event_attr a; uint64_t v[3], t0, t1; volatile unsigned long i;
		memset(&a, 0, sizeof(a)); a.size = sizeof(a); a.type = PERF_TYPE_HARDWARE;
		a.config = PERF_COUNT_HW_CPU_CYCLES; a.disabled = 1;
		a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
		int fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
		if (fd < 0) { perror("open"); return 2; }
		ioctl(fd, PERF_EVENT_IOC_ENABLE, 0); t0 = tns();
		for (i = 0; i < 300000; i++) ;
		t1 = tns(); ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
		read(fd, v, sizeof(v)); close(fd);
		if (v[1] * 10 < (t1 - t0) * 9) { bad++; printf("perf-loop: round %d cpu %d: context in %llu of %llu ns, count %llu\n", r, sched_getcpu(), (unsigned long long)v[1], (unsigned long long)(t1 - t0), (unsigned long long)v[0]); }
	}
	printf("perf-loop: %d rounds, %d with the context out\n", rounds, bad);
	return bad != 0;
}
