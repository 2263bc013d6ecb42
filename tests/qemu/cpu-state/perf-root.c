/*
 * For tests/qemu/63-cpu-state.sh: the root's Linux still has its PMU with the
 * hypervisor's MDCR_EL2 settings (what "perf stat -e cycles,instructions"
 * does, without the perf tool, which the guest image lacks):
 *  - count CPU cycles and instructions of a loop in this process; cycles must
 *    count; instructions must count too when the PMU advertises INST_RETIRED
 *    (QEMU advertises and counts it only with -icount: without, the event
 *    is missing from the sysfs list and the count is 0, which is expected);
 *  - a sampling cycles event must raise PMU overflow interrupts (PPI 23) on
 *    this CPU: the root's GICR writes that enable and configure PPI 23 reach
 *    the hardware, also after the CPU came back from a cell.
 * It also prints how long the counters' context was scheduled in against the
 * thread's CPU time: Linux's per-task perf context should be in for nearly
 * all of it (evidence if a context switch ever leaves it out; under TCG a
 * host preemption of the vCPU inside a guest context switch adds a few ms
 * to the thread's time alone, with or without Warden).
 * Exit status 0 if all checks hold. Static, for the guest.
 */
#define _GNU_SOURCE
#include <linux/perf_event.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PMU_DIR "/sys/bus/event_source/devices/armv8_pmuv3"

/* The PMU's own type and event numbers: CPU_CYCLES 0x11, INST_RETIRED 0x08. */
static int pmu_type(void)
{
	FILE *f = fopen(PMU_DIR "/type", "r");
	int type = PERF_TYPE_RAW;

	if (f) {
		if (fscanf(f, "%d", &type) != 1)
			type = PERF_TYPE_RAW;
		fclose(f);
	}
	return type;
}

static int open_counter(uint64_t config, uint64_t period)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = pmu_type();
	attr.config = config;
	attr.sample_period = period;
	attr.disabled = 1;
	attr.exclude_kernel = 0;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

/* The "arm-pmu" interrupts taken by @cpu so far (/proc/interrupts). */
static long pmu_irqs(int cpu)
{
	char line[1024], name[16];
	FILE *f = fopen("/proc/interrupts", "r");
	int col = -1, n = 0;
	long count = -1;
	char *p, *tok;

	if (!f)
		return -1;
	snprintf(name, sizeof(name), "CPU%d", cpu);
	if (fgets(line, sizeof(line), f))	/* header: online CPUs only */
		for (tok = strtok(line, " \t\n"); tok; tok = strtok(NULL, " \t\n"), n++)
			if (!strcmp(tok, name))
				col = n;
	while (col >= 0 && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "arm-pmu"))
			continue;
		p = strchr(line, ':');
		tok = p ? strtok(p + 1, " \t") : NULL;
		for (n = 0; tok && n < col; n++)
			tok = strtok(NULL, " \t");
		if (tok)
			sscanf(tok, "%ld", &count);
		break;
	}
	fclose(f);
	return count;
}

static uint64_t thread_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void spin(void)
{
	volatile unsigned long i;

	for (i = 0; i < 10000000; i++)
		;
}

int main(void)
{
	/* value, time enabled, time running */
	uint64_t v[3][3] = { { 0 } }, t0, t1;
	int fd[3], n, cpu = sched_getcpu(), status = 0;
	bool has_inst = access(PMU_DIR "/events/inst_retired", F_OK) == 0;
	long irq0, irq1;
	cpu_set_t set;

	/* Stay on this CPU: the interrupt count is per CPU. */
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);

	fd[0] = open_counter(0x11, 0);
	fd[1] = open_counter(0x08, 0);
	fd[2] = open_counter(0x11, 1000000);	/* an interrupt per ~1 ms */
	for (n = 0; n < 3; n++) {
		if (fd[n] < 0) {
			perror("perf_event_open");
			return 2;
		}
	}

	t0 = thread_ns();
	for (n = 0; n < 2; n++)
		ioctl(fd[n], PERF_EVENT_IOC_ENABLE, 0);
	spin();
	for (n = 0; n < 2; n++)
		ioctl(fd[n], PERF_EVENT_IOC_DISABLE, 0);
	t1 = thread_ns();

	irq0 = pmu_irqs(cpu);
	ioctl(fd[2], PERF_EVENT_IOC_ENABLE, 0);
	spin();
	ioctl(fd[2], PERF_EVENT_IOC_DISABLE, 0);
	irq1 = pmu_irqs(cpu);

	for (n = 0; n < 3; n++)
		if (read(fd[n], v[n], sizeof(v[n])) != sizeof(v[n]))
			return 3;
	printf("perf: cpu %d cycles %llu instructions %llu (INST_RETIRED %s)\n",
	       cpu, (unsigned long long)v[0][0], (unsigned long long)v[1][0],
	       has_inst ? "advertised" : "not advertised: not counted");
	printf("perf: context in for %llu of the thread's %llu us\n",
	       (unsigned long long)v[0][1] / 1000,
	       (unsigned long long)(t1 - t0) / 1000);
	printf("perf: sampling cycles %llu, PMU interrupts on CPU %d: %ld\n",
	       (unsigned long long)v[2][0], cpu, irq1 - irq0);
	if (!v[0][0])
		status = 1;
	if (has_inst && !v[1][0])
		status = 1;
	if (irq0 < 0 || irq1 <= irq0)
		status = 1;
	return status;
}
