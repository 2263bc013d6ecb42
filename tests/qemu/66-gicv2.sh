#!/usr/bin/env bash
# GICv2 smoke (work in progress)
. "$(dirname "$0")/lib.sh"

qemu_test gicv2 --kernels 6.1 --timeout 300 --gic 2 <<'EOF2'
sysfs=/sys/devices/warden
C=/etc/warden
I=/usr/share/warden/inmates
t_check "modprobe warden" modprobe warden || exit 1
t_check "enable" warden enable $C/qemu-arm64-gicv2.cell
warden console | tail -20
cat /proc/interrupts | head -20
t_check "the root works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
sleep 1
cat /proc/interrupts | head -20
t_check "disable" warden disable
EOF2
qemu_done
