/*
 * For tests/qemu/63-cpu-state.sh: the root's Linux still has its PMU with the
 * hypervisor's MDCR_EL2 settings (what "perf stat -e cycles,instructions"
 * does, without the perf tool, which the guest image lacks): count CPU
 * cycles and instructions of a loop in this process and print them.
 * Exit status 0 if the cycles counted. Static, for the guest.
 */
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The PMU's own type and event numbers: CPU_CYCLES 0x11, INST_RETIRED 0x08. */
static int pmu_type(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/armv8_pmuv3/type", "r");
	int type = PERF_TYPE_RAW;

	if (f) {
		if (fscanf(f, "%d", &type) != 1)
			type = PERF_TYPE_RAW;
		fclose(f);
	}
	return type;
}

static int open_counter(uint64_t config)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = pmu_type();
	attr.config = config;
	attr.disabled = 1;
	attr.exclude_kernel = 0;
	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

int main(void)
{
	int fd[2] = { open_counter(0x11), open_counter(0x08) };
	uint64_t count[2] = { 0, 0 };
	volatile unsigned long i;
	int n;

	for (n = 0; n < 2; n++) {
		if (fd[n] < 0) {
			perror("perf_event_open");
			return 2;
		}
		ioctl(fd[n], PERF_EVENT_IOC_ENABLE, 0);
	}
	for (i = 0; i < 10000000; i++)
		;
	for (n = 0; n < 2; n++) {
		ioctl(fd[n], PERF_EVENT_IOC_DISABLE, 0);
		if (read(fd[n], &count[n], sizeof(count[n])) != sizeof(count[n]))
			return 3;
	}
	printf("perf: cycles %llu instructions %llu\n",
	       (unsigned long long)count[0], (unsigned long long)count[1]);
	/* QEMU counts instructions only with -icount: cycles must count. */
	return count[0] ? 0 : 1;
}
