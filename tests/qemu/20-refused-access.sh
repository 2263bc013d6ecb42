#!/usr/bin/env bash
# The root cell touches memory its configuration does not grant: a read and a
# write of hypervisor memory through /dev/mem. The hypervisor refuses them,
# logs the address, and injects an abort: the reader dies with SIGBUS while
# Linux and Warden keep running. iomem=relaxed lets /dev/mem map the range
# the driver has claimed, so the access really reaches the hypervisor.
. "$(dirname "$0")/lib.sh"

qemu_test refused-access --append iomem=relaxed <<'EOF'
sysfs=/sys/devices/warden
addr=0x7fc00000

t_check "devmem reads $addr before enable" devmem $addr 32
t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable /etc/warden/qemu-arm64.cell || exit 1

t_dmesg_mark
t_expect_status "reading $addr while enabled dies with SIGBUS (135)" 135 devmem $addr 32
t_match "the reader was told 'Bus error'" 'Bus error' "$(cat $T_ERR)"
t_expect_status "writing $addr while enabled dies with SIGBUS (135)" 135 devmem $addr 32 0x5741524e
log="$(t_read $sysfs/console; t_dmesg_since)"
t_match "the hypervisor log names address $addr" '0x0*7fc00000' "$log"

t_check "Linux still runs processes" sh -c 'echo alive | grep -q alive'
t_eq "all CPUs still online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_eq "Warden still enabled" "$(t_read $sysfs/enabled)" 1
t_eq "root cell still running" "$(t_read $sysfs/cells/0/state)" running
t_eq "no CPU of the root cell failed" "$(t_read $sysfs/cells/0/cpus_failed_list)" ""
t_check "warden disable" warden disable
t_check "devmem reads $addr again after disable" devmem $addr 32
EOF

qemu_done
