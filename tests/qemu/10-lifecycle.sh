#!/usr/bin/env bash
# Warden over a running Linux, one guest per kernel series: enable; the sysfs
# view; every CPU activated; timer interrupts and IPIs keep arriving on every
# CPU; a CPU goes offline and back online while enabled; unload refused while
# enabled; disable; ten enable/disable cycles with identical pool usage.
. "$(dirname "$0")/lib.sh"

qemu_test lifecycle <<'EOF'
sysfs=/sys/devices/warden
cell=/etc/warden/qemu-arm64.cell
cpu=/sys/devices/system/cpu

ncpus=$(grep -c ^processor /proc/cpuinfo)
t_eq "the guest has 4 CPUs" "$ncpus" 4
online=$(cat $cpu/online)

# The root cell's name as the configuration file spells it (jailhouse_system
# @356 root cell descriptor, name @8, 32 bytes).
want_name=$(dd if=$cell bs=1 skip=364 count=32 2>/dev/null | tr -d '\0')

t_check "modprobe warden" modprobe warden || exit 1
t_check "/dev/warden is a character device" test -c /dev/warden
t_eq "enabled reads 0 before enable" "$(t_read $sysfs/enabled)" 0
t_check "warden enable $cell" warden enable $cell || exit 1

# ---- sysfs
t_eq "enabled reads 1" "$(t_read $sysfs/enabled)" 1
mem_size=$(t_read $sysfs/mem_pool_size)
mem_used=$(t_read $sysfs/mem_pool_used)
remap_size=$(t_read $sysfs/remap_pool_size)
remap_used=$(t_read $sysfs/remap_pool_used)
t_log "mem pool $mem_used/$mem_size, remap pool $remap_used/$remap_size"
t_match "mem_pool_size is a positive number" '^[1-9][0-9]*$' "$mem_size"
t_match "mem_pool_used is a positive number" '^[1-9][0-9]*$' "$mem_used"
t_check "mem_pool_used <= mem_pool_size" test "$mem_used" -le "$mem_size"
t_match "remap_pool_size is a positive number" '^[1-9][0-9]*$' "$remap_size"
t_match "remap_pool_used is a number" '^[0-9]+$' "$remap_used"
t_check "remap_pool_used <= remap_pool_size" test "$remap_used" -le "$remap_size"
console=$(t_read $sysfs/console)
t_check "console is not empty" test -n "$console"

root=$sysfs/cells/0
t_check "cells/0 exists" test -d $root
t_match "the configuration names the root cell" '.' "$want_name"
t_eq "cells/0/name" "$(t_read $root/name)" "$want_name"
t_eq "cells/0/state" "$(t_read $root/state)" running
t_eq "cells/0/cpus_assigned_list is the online CPUs" "$(t_read $root/cpus_assigned_list)" "$online"
assigned=$(t_read $root/cpus_assigned | tr -d ',' | sed 's/^0*//')
t_eq "cells/0/cpus_assigned is the online CPUs' mask" "$assigned" "$(t_cpu_mask "$online")"
t_match "cells/0/cpus_failed is an empty mask" '^[0,]+$' "$(t_read $root/cpus_failed)"
t_eq "cells/0/cpus_failed_list is empty" "$(t_read $root/cpus_failed_list)" ""

for n in $(seq 0 $((ncpus - 1))); do
	t_match "hypervisor console: CPU $n activated" "CPU $n activated" "$console"
done

# ---- interrupts keep flowing on every CPU while enabled. Busy loops keep the
# tick running everywhere; moving them between CPUs makes the scheduler send
# IPIs (migration, rescheduling) to every CPU.
t_busy_start $ncpus
timer0=$(t_irq_counts arch_timer)
ipi0=$(t_irq_counts '^ *IPI[0-9]+:')
for round in 1 2 3 4; do
	k=0
	for p in $T_BUSY_PIDS; do
		taskset -p -c $(((k + round) % ncpus)) $p >/dev/null
		k=$((k + 1))
	done
	sleep 1
done
timer1=$(t_irq_counts arch_timer)
ipi1=$(t_irq_counts '^ *IPI[0-9]+:')
t_busy_stop
t_grew "timer interrupts on every CPU while enabled" "$timer0" "$timer1"
t_grew "IPIs on every CPU while enabled" "$ipi0" "$ipi1"

# ---- CPU hotplug while enabled (PSCI CPU_OFF / CPU_ON through the hypervisor)
t_check "CPU 3 goes offline" sh -c "echo 0 > $cpu/cpu3/online"
t_eq "online CPUs without CPU 3" "$(cat $cpu/online)" "0-2"
t_eq "still enabled with CPU 3 offline" "$(t_read $sysfs/enabled)" 1
t_check "CPU 3 comes back online" sh -c "echo 1 > $cpu/cpu3/online"
t_eq "online CPUs with CPU 3 back" "$(cat $cpu/online)" "$online"
t_check "a process runs on CPU 3" taskset -c 3 true
t_busy_start 1
taskset -p -c 3 $T_BUSY_PIDS >/dev/null
timer0=$(t_irq_counts arch_timer)
sleep 2
timer1=$(t_irq_counts arch_timer)
t_busy_stop
t_log "timer counts on CPU 3 after re-online: $timer0 -> $timer1"
t_check "timer interrupts on CPU 3 after it came back" \
	test "$(echo $timer1 | cut -d' ' -f4)" -gt "$(echo $timer0 | cut -d' ' -f4)"
t_eq "cells/0/cpus_failed_list still empty" "$(t_read $root/cpus_failed_list)" ""
t_eq "cells/0/cpus_assigned_list after hotplug" "$(t_read $root/cpus_assigned_list)" "$online"

# ---- unload refused while enabled, disable, Linux on its own again
t_expect_fail "rmmod refused while enabled" 'unavailable|busy|in use' rmmod warden
t_check "the module is still loaded" test -d /sys/module/warden
t_eq "still enabled after the refused rmmod" "$(t_read $sysfs/enabled)" 1
t_check "warden disable" warden disable
t_eq "enabled reads 0 after disable" "$(t_read $sysfs/enabled)" 0
t_eq "all CPUs online after disable" "$(cat $cpu/online)" "$online"
t_busy_start $ncpus
timer0=$(t_irq_counts arch_timer)
sleep 2
timer1=$(t_irq_counts arch_timer)
t_busy_stop
t_grew "timer interrupts on every CPU after disable" "$timer0" "$timer1"

# ---- ten cycles: the pools must look the same right after every enable
for i in 1 2 3 4 5 6 7 8 9 10; do
	if ! warden enable $cell >/tmp/cycle.err 2>&1; then
		t_fail "cycle $i: enable" "$(tail -n 1 /tmp/cycle.err)"
		break
	fi
	used=$(t_read $sysfs/mem_pool_used)
	rused=$(t_read $sysfs/remap_pool_used)
	if ! warden disable >/tmp/cycle.err 2>&1; then
		t_fail "cycle $i: disable" "$(tail -n 1 /tmp/cycle.err)"
		break
	fi
	t_eq "cycle $i: mem_pool_used after enable as the first time" "$used" "$mem_used"
	t_eq "cycle $i: remap_pool_used after enable as the first time" "$rused" "$remap_used"
done
t_eq "enabled reads 0 after the cycles" "$(t_read $sysfs/enabled)" 0

t_check "rmmod after disable" rmmod warden
t_check "modprobe again" modprobe warden
EOF

qemu_done
