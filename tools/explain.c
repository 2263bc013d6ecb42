// SPDX-License-Identifier: GPL-2.0
/*
 * Turning a failed ioctl into words: which kernel log line is the driver's
 * reason, and what hint helps with it. Pure text handling, so the host unit
 * tests include this file on its own (tests/unit/test-tool-args.c).
 *
 * When the hypervisor refused a call, the driver's line is the hypervisor's
 * own reason followed by "(hypervisor refused CALL: -EXXX)"; the hints below
 * key on the words of those reasons (hypervisor/core/cell-*.c, control.c).
 */
#include <errno.h>
#include <string.h>

#include <warden/firmware.h>

#include "warden.h"

char *wd_klog_after(char *log, const char *last_line)
{
	char *q = log, *hit = NULL;
	size_t ll;

	if (!last_line)
		return log;
	ll = strlen(last_line);
	while ((q = strstr(q, last_line))) {
		if ((q == log || q[-1] == '\n') && (q[ll] == '\n' || q[ll] == '\0'))
			hit = q;
		q++;
	}
	return hit ? hit + ll : log;
}

/* Skip "<N>" (keeping N as the level, 7 without one) and "[ time] ". */
static const char *klog_message(const char *line, int *level)
{
	*level = 7;
	if (line[0] == '<') {
		const char *p = line + 1;

		if (*p >= '0' && *p <= '9')
			*level = *p - '0';
		while (*p && *p != '>')
			p++;
		if (*p)
			line = p + 1;
	}
	if (line[0] == '[') {
		const char *p = strchr(line, ']');

		if (p) {
			line = p + 1;
			while (*line == ' ')
				line++;
		}
	}
	return line;
}

const char *wd_klog_pick(char *text)
{
	const char *best = NULL, *best_any = NULL;
	char *line, *save = NULL;
	int level;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *msg = klog_message(line, &level);

		if (strncmp(msg, "warden: ", 8) != 0)
			continue;
		/* The driver replaying the hypervisor's log is context, not the reason. */
		if (strncmp(msg + 8, "hv: ", 4) == 0 ||
		    strncmp(msg + 8, "hypervisor console (", 20) == 0 ||
		    strncmp(msg + 8, "the hypervisor's console is empty", 33) == 0)
			continue;
		best_any = msg;
		if (level <= 4)
			best = msg;
	}
	return best ? best : best_any;
}

const char *wd_hint(const char *what, int err, const char *line)
{
	int enable = strcmp(what, "enable") == 0;

	if (line && strstr(line, "KVM"))
		return "boot Linux with kvm-arm.mode=none so that KVM leaves EL2 to Warden";
	if (line && strstr(line, "physical address space (max"))
		return "this CPU cannot reach that address (its physical address size is in the message): leave the region out, or move it below the limit";
	if (line && strstr(line, "VHE"))
		return "Linux itself runs at EL2 (VHE): boot it with id_aa64mmfr1.vh=0 kvm-arm.mode=none (it then runs at EL1), or use a CPU without VHE (QEMU: -cpu cortex-a57)";
	/* The GIC refused: a board or configuration matter, not the boot level. */
	if (enable && line && strstr(line, "virtualization extensions"))
		return "this GIC has no virtualization interface (GICH/GICV): Warden cannot partition this board";
	if (enable && line && strstr(line, "GIC"))
		return "compare the system configuration's GIC fields (gic_version, gicd/gicr/gicc/gich/gicv_base, maintenance_irq) with the device tree ('warden config create' writes them from it)";
	if (enable && (err == ENODEV || (line && strstr(line, "did not boot at EL2"))))
		return "the CPUs did not start at EL2 (QEMU: -machine virtualization=on)";
	if (enable && err == ENOENT)
		return "is the hypervisor image installed as /lib/firmware/" WD_FW_NAME "?";
	if (enable && line && strstr(line, "already enabled"))
		return "run 'warden disable' first";
	if (err == EPERM && line && strstr(line, "denied"))
		return "the cell refuses to stop; it decides through its comm region: ask it (its own software) to allow shutdown, or reboot";
	if (err == EPERM && line && strstr(line, "locked against shutdown"))
		return "the cell has locked itself against shutdown through its comm region: ask it to unlock, or reboot";
	if (line && strstr(line, "is already running"))
		return "stop it first with 'warden cell shutdown' (or destroy it)";
	if (line && strstr(line, "is not in the root cell"))
		return "another cell has that CPU: destroy that cell first ('warden cell list' shows the cells)";
	if (line && strstr(line, "is still online in the root cell"))
		return "take the CPU offline first (echo 0 > /sys/devices/system/cpu/cpuN/online)";
	/* The configuration against the machine (driver/platform-check.c) */
	if (line && strstr(line, "is used by Linux (driver") && strstr(line, "SMMU"))
		return "add the unit to the configuration ('warden config create' finds it) and boot Linux with initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 so that Warden, not Linux, programs it";
	if (enable && line && (strstr(line, "is not in the root configuration") ||
			       strstr(line, "that the root configuration does not give") ||
			       strstr(line, "the configuration's gic") ||
			       strstr(line, "the configuration says GICv")))
		return "the configuration does not match this machine: 'warden config create -o FILE' writes one from its live device tree and /proc/iomem; enable with that";
	/* DMA isolation (hypervisor/arch/arm64/smmuv3.c) */
	if (line && strstr(line, "in use by Linux's arm-smmu-v3 driver"))
		return "boot Linux with initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 (the first keeps Linux's SMMU driver out, the second stops the devices behind the unit waiting 10 s for it), or disable the unit in the device tree: Warden programs the SMMU itself";
	if (line && strstr(line, "is not isolated"))
		return "peer-to-peer traffic would bypass the SMMU: give the cell a device alone behind its root port, switch ACS on in the ports above it (and on the functions of a multifunction device), or give the cell every function of the device";
	if (line && strstr(line, "stream id 0x") && strstr(line, "belongs to cell '"))
		return "a device belongs to one cell at a time: destroy the other cell first";
	if (line && strstr(line, "is not one of the root cell's"))
		return "a cell can only get stream ids that the system configuration gives the root cell";
	if (line && strstr(line, "no SMMUv3 at 0x"))
		return "the system configuration's iommu_units do not match this board: 'warden config create' derives them from the device tree";
	if (line && strstr(line, "no SMMUv3 unit to isolate them"))
		return "the system configuration needs the SMMUv3 in iommu_units (warden config create finds it in the device tree)";
	if (line && (strstr(line, "overlaps cell '") || strstr(line, "belongs to cell '")))
		return "destroy the other cell first, or give this cell memory or interrupts of its own";
	if (line && strstr(line, "is not owned by the root cell"))
		return "the root cell's configuration does not have that interrupt: add it there, or pick another";
	if (line && strstr(line, "already exists (id "))
		return "destroy it first, or give the new cell another name";
	if (err == ENOMEM && line && strstr(line, "page pool"))
		return "the hypervisor is out of memory: destroy cells, or give it more hypervisor_memory in the system configuration";
	if (err == EPERM || err == EACCES)
		return "run as root";
	if (!enable && err == ENOENT && strncmp(what, "cell ", 5) == 0)
		return "'warden cell list' shows the cells";
	return NULL;
}
