#!/usr/bin/env bash
# Cells over the running root Linux, on both kernel series: uart-demo runs in a
# cell and prints on the second UART while the root keeps working; the root
# loses exactly the cell's CPU and gets it back; gic-demo receives its timer
# interrupts; smp-demo brings up both of its CPUs; cooperative, denied and
# ignored shutdown; 50 create/load/start/destroy rounds with identical pool
# usage; bad input leaves the system as it was; disable refuses while cells exist.
. "$(dirname "$0")/lib.sh"

for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
uart1=$WT_LOGS/cells-uart1-$series.log
rm -f "$uart1"
qemu_test cells --kernels "$series" --uart1 "$uart1" --timeout 400 <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden
state() { t_read $sysfs/cells/$1/state; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable $C/qemu-arm64.cell || exit 1
pool0=$(t_read $sysfs/mem_pool_used)
t_eq "4 CPUs before the cell" "$(grep -c ^processor /proc/cpuinfo)" 4

# ---- uart-demo
t_check "cell create uart-demo" warden cell create $C/qemu-uart-demo.cell
t_eq "the root lost exactly CPU 3" "$(cat /sys/devices/system/cpu/online)" 0-2
t_eq "/proc/cpuinfo shows 3 CPUs" "$(grep -c ^processor /proc/cpuinfo)" 3
t_eq "cells/1/name" "$(t_read $sysfs/cells/1/name)" uart-demo
t_eq "cells/1 is shut down before start" "$(state 1)" "shut down"
t_eq "cells/1/cpus_assigned_list" "$(t_read $sysfs/cells/1/cpus_assigned_list)" 3
t_eq "root cpus_assigned_list" "$(t_read $sysfs/cells/0/cpus_assigned_list)" 0-2
t_check "cell load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "period=20000" -a 0x1000
t_check "cell start uart-demo" warden cell start uart-demo
sleep 2
t_eq "uart-demo is running" "$(state 1)" running
t_match "cell list shows uart-demo running on CPU 3" 'uart-demo +running +3' "$(warden cell list)"
t_check "the root keeps working (fork, pipes)" sh -c 'seq 1 2000 | sort -n | tail -1 | grep -q 2000'
t_check "cell stats --once" warden cell stats uart-demo --once
t_match "statistics/cpu3 exists" '^[0-9]+$' "$(t_read $sysfs/cells/1/statistics/cpu3/vmexits_total)"
t_expect_fail "starting a running cell is refused" "already running" warden cell start uart-demo
t_expect_fail "an unknown cell name is refused" "no cell named" warden cell start no-such-cell
t_expect_fail "an unknown cell id is refused" "no cell with id" warden cell destroy 7
head -c 70000 /dev/zero > /tmp/big.bin
t_expect_fail "an image larger than its region is refused" "not inside a writable loadable region" warden cell load uart-demo /tmp/big.bin
t_expect_fail "loading outside the loadable regions is refused" "not inside a writable loadable region" warden cell load uart-demo $I/uart-demo.bin -a 0x09040000
t_expect_fail "a cell on CPU 3 again: CPU not in the root cell" "CPU 3 is not in the root cell" warden cell create $C/qemu-gic-demo.cell
cp $C/qemu-attack.cell /tmp/overlap.cell
printf '\000\000\240\177' | dd of=/tmp/overlap.cell bs=1 seek=140 conv=notrunc 2>/dev/null
t_expect_fail "memory of another cell is refused" "overlaps cell 'uart-demo'.*hypervisor refused CELL_CREATE" warden cell create /tmp/overlap.cell
t_match "the hypervisor names the overlap" "overlaps cell 'uart-demo'" "$(warden console)"
t_eq "failed creates left the CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-2
t_expect_fail "disable refuses while a cell exists" "destroy them first" warden disable
t_eq "still enabled" "$(t_read $sysfs/enabled)" 1
t_check "cooperative shutdown" warden cell shutdown uart-demo
t_eq "uart-demo is shut down" "$(state 1)" "shut down"
t_check "restart after shutdown" warden cell start uart-demo
sleep 1
t_eq "running again" "$(state 1)" running
t_check "cell destroy uart-demo" warden cell destroy uart-demo
t_eq "CPU 3 is back online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_eq "/proc/cpuinfo shows 4 CPUs again" "$(grep -c ^processor /proc/cpuinfo)" 4
t_eq "pool usage back to its value before the cell" "$(t_read $sysfs/mem_pool_used)" "$pool0"
t_check "the bad creates left nothing behind: attack cell works" warden cell create $C/qemu-attack.cell
t_check "destroy attack" warden cell destroy attack

# ---- gic-demo: timer interrupts arrive in the cell
t_check "cell create gic-demo" warden cell create $C/qemu-gic-demo.cell
t_check "cell load gic-demo" warden cell load gic-demo $I/gic-demo.bin -s "period=5000 report=100" -a 0x1000
t_check "cell start gic-demo" warden cell start gic-demo
sleep 3
irqs=$(t_read $sysfs/cells/1/statistics/vmexits_virt_irq)
t_log "gic-demo: $irqs virtual interrupts"
t_check "gic-demo received timer interrupts (>= 100)" test "$irqs" -ge 100
t_check "cell destroy gic-demo" warden cell destroy gic-demo

# ---- smp-demo: PSCI CPU_ON inside the cell
t_check "cell create smp-demo (CPUs 2-3)" warden cell create $C/qemu-smp-demo.cell
t_eq "the root has CPUs 0-1" "$(cat /sys/devices/system/cpu/online)" 0-1
t_check "cell load smp-demo" warden cell load smp-demo $I/smp-demo.bin
t_check "cell start smp-demo" warden cell start smp-demo
sleep 2
t_eq "smp-demo running" "$(state 1)" running
t_check "cell destroy smp-demo" warden cell destroy smp-demo
t_eq "CPUs 2-3 back" "$(cat /sys/devices/system/cpu/online)" 0-3

# ---- 50 rounds
pool1=$(t_read $sysfs/mem_pool_used)
remap1=$(t_read $sysfs/remap_pool_used)
fails=0
for n in $(seq 1 50); do
	warden cell create $C/qemu-uart-demo.cell >/dev/null 2>&1 &&
	warden cell load uart-demo $I/uart-demo.bin >/dev/null 2>&1 &&
	warden cell start uart-demo >/dev/null 2>&1 &&
	warden cell destroy uart-demo >/dev/null 2>&1 || fails=$((fails + 1))
done
t_eq "50 create/load/start/destroy rounds succeed" "$fails" 0
t_eq "pool usage identical after 50 rounds" "$(t_read $sysfs/mem_pool_used)" "$pool1"
t_eq "remap pool usage identical after 50 rounds" "$(t_read $sysfs/remap_pool_used)" "$remap1"
t_eq "all CPUs online after 50 rounds" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "warden disable" warden disable
t_check "warden enable again" warden enable $C/qemu-arm64.cell
# ---- shutdown that the cell ignores, then one it denies (last: such a cell stays)
warden cell create $C/qemu-uart-demo.cell >/dev/null
warden cell load uart-demo $I/uart-demo.bin -s "shutdown=ignore period=50000" -a 0x1000
warden cell start uart-demo
sleep 1
t_check "destroying a cell that ignores the request works after the timeout" warden cell destroy uart-demo
t_match "the hypervisor says it treated the cell as failed" "did not answer the shutdown request" "$(warden console)"
t_eq "CPU 3 back after the forced destroy" "$(cat /sys/devices/system/cpu/online)" 0-3
warden cell create $C/qemu-uart-demo.cell >/dev/null
warden cell load uart-demo $I/uart-demo.bin -s "shutdown=deny period=50000" -a 0x1000
warden cell start uart-demo
sleep 1
t_expect_fail "a cell may deny the shutdown request" "denied" warden cell shutdown uart-demo
t_eq "the denying cell keeps running" "$(state 1)" running
t_expect_fail "destroy is refused as well" "denied" warden cell destroy uart-demo
EOF
if grep -q "uart-demo: hello" "$uart1" 2>/dev/null; then
	echo "ok - [$series] cells: uart-demo output arrived on the second UART"
else
	echo "not ok - [$series] cells: no uart-demo output on the second UART ($uart1)"
	WT_FAILED=1
fi
if grep -q "smp-demo: all 2 CPUs up" "$uart1" 2>/dev/null; then
	echo "ok - [$series] cells: smp-demo reported both CPUs up"
else
	echo "not ok - [$series] cells: smp-demo did not report both CPUs up"
	WT_FAILED=1
fi
done
qemu_done
