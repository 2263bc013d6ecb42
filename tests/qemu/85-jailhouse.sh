#!/usr/bin/env bash
# Warden as a drop-in for Jailhouse, on both kernel series (their misc-device
# and sysfs APIs differ): everything goes through Jailhouse's names only,
# /dev/jailhouse, /sys/devices/jailhouse and the "jailhouse" command, with
# Jailhouse's command lines, and every exit status is judged the way
# Jailhouse's own tool judges an ioctl: 0 success, anything else failure
# (the tool called as jailhouse also fails when an ioctl returns anything but
# 0, as Jailhouse's does).
#
# Configurations written the way Jailhouse's are (configs/arm64/jh-*.c): a
# root cell whose descriptor has no signature/architecture/revision, size-0
# placeholder regions and ivshmem devices on the virtual PCI host, which the
# driver names as absent once per configuration. The inmate
# (inmates/demos/jh-inmate.c) reads its command line at 0x1000, checks every
# comm-region field Jailhouse inmates read, and uses its RAM beyond its image
# (heap, page tables, a 256 KiB stack); it reports "all N checks passed" on
# UART1 and on the hypervisor console (read here with "jailhouse console").
#
# enable, cell create, load (-s -a), start, list, stats, shutdown, start
# again, destroy, disable; sysfs values in Jailhouse's formats.
. "$(dirname "$0")/lib.sh"

for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
uart1=$WT_LOGS/jailhouse-uart1-$series.log
rm -f "$uart1"
qemu_test jailhouse --kernels "$series" --uart1 "$uart1" --timeout 240 <<'EOF'
J=/sys/devices/jailhouse
I=/usr/share/warden/inmates
C=/etc/warden
# Jailhouse's rule: 0 is success, any other status a failure.
jh() { jailhouse "$@"; }
# A command that must fail, judged as Jailhouse's tool is: any non-zero status.
jh_fails() {
	local name=$1 st
	shift
	"$@" >/tmp/jh.out 2>&1
	st=$?
	if [ $st -ne 0 ]; then
		t_ok "$name"
	else
		t_fail "$name" "'$*' exited 0, must fail: $(head -c 200 /tmp/jh.out)"
	fi
}
passed() { jailhouse console | grep -c 'jh-inmate: all [0-9]* checks passed'; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "/dev/jailhouse is a character device" test -c /dev/jailhouse
t_check "/dev/warden is one too" test -c /dev/warden
t_match "/dev/jailhouse is a misc device (major 10)" '^10:' \
	"$(cat /sys/class/misc/jailhouse/dev)"
t_check "/sys/devices/jailhouse exists" test -d $J
t_eq "enabled is 0 before enable" "$(t_read $J/enabled)" 0
t_eq "mem_pool_size reads 0 while disabled" "$(t_read $J/mem_pool_size)" 0
jh_fails "cell create before enable fails" jh cell create $C/jh-inmate-demo.cell
t_dmesg_mark
t_check "jailhouse enable: root descriptor zeroed, size-0 regions, ivshmem devices" \
	jh enable $C/jh-qemu-arm64.cell || exit 1
t_eq "no warning that the root's ivshmem devices will not be there" \
	"$(t_dmesg_since | grep -c "will not be there")" 0
t_eq "enabled is 1" "$(t_read $J/enabled)" 1
t_eq "enabled: same file as Warden's" "$(t_read $J/enabled)" "$(t_read /sys/devices/warden/enabled)"
for f in mem_pool_size mem_pool_used remap_pool_size remap_pool_used; do
	t_match "$f is a decimal number" '^[1-9][0-9]*$' "$(t_read $J/$f)"
done
t_match "console holds the hypervisor's log" 'Warden hypervisor: initializing' "$(cat $J/console)"
t_eq "cells/0 is the root cell" "$(t_read $J/cells/0/name)" jh-qemu-arm64
t_eq "cells/0/state" "$(t_read $J/cells/0/state)" running
t_eq "cells/0/cpus_assigned (hex mask)" "$(t_read $J/cells/0/cpus_assigned)" f
t_eq "cells/0/cpus_assigned_list" "$(t_read $J/cells/0/cpus_assigned_list)" 0-3
t_eq "cells/0/cpus_failed_list is empty" "$(t_read $J/cells/0/cpus_failed_list)" ""
jh_fails "a second enable fails" jh enable $C/jh-qemu-arm64.cell

t_dmesg_mark
t_check "jailhouse cell create (the ioctl returns 0, not the id)" \
	jh cell create $C/jh-inmate-demo.cell || exit 1
t_eq "no warning that the cell's ivshmem device will not be there" \
	"$(t_dmesg_since | grep -c "will not be there")" 0
t_eq "the id is in sysfs: cells/1/name" "$(t_read $J/cells/1/name)" jh-inmate-demo
t_eq "cells/1/state before start" "$(t_read $J/cells/1/state)" "shut down"
t_eq "cells/1/cpus_assigned" "$(t_read $J/cells/1/cpus_assigned)" 8
t_eq "cells/1/cpus_assigned_list" "$(t_read $J/cells/1/cpus_assigned_list)" 3
t_eq "cells/1/cpus_failed" "$(t_read $J/cells/1/cpus_failed)" 0
t_eq "the root gave up CPU 3" "$(t_read $J/cells/0/cpus_assigned_list)" 0-2
jh_fails "creating it twice fails" jh cell create $C/jh-inmate-demo.cell
t_check "jailhouse cell load NAME IMAGE -s STRING -a 0x1000" \
	jh cell load jh-inmate-demo $I/jh-inmate.bin -s "jh-test" -a 0x1000
t_check "jailhouse cell start 1 (by id)" jh cell start 1
sleep 3
t_eq "cells/1/state" "$(t_read $J/cells/1/state)" running
t_eq "the inmate's checks passed (command line at 0x1000, comm region, RAM past the image)" \
	"$(passed)" 1
t_check "no inmate check failed" sh -c "! jailhouse console | grep -q 'jh-inmate: FAIL'"
t_match "jailhouse cell list" '^1 +jh-inmate-demo +running +3' "$(jh cell list)"
t_check "jailhouse cell stats 1 --once" jh cell stats 1 --once
t_match "statistics/vmexits_total" '^[1-9][0-9]*$' "$(t_read $J/cells/1/statistics/vmexits_total)"
t_match "statistics/cpu3/vmexits_hypercall" '^[1-9][0-9]*$' \
	"$(t_read $J/cells/1/statistics/cpu3/vmexits_hypercall)"
names=$(ls $J/cells/1/statistics | grep -v '^cpu' | tr '\n' ' ')
t_eq "statistics/ has Jailhouse's arm64 counter names" "$names" \
	"vmexits_hypercall vmexits_maintenance vmexits_management vmexits_mmio vmexits_psci vmexits_smccc vmexits_total vmexits_virt_irq vmexits_virt_sgi "
jh_fails "starting an unknown cell fails" jh cell start no-such-cell
jh_fails "loading a cell by an unknown id fails" jh cell load 7 $I/jh-inmate.bin
t_check "jailhouse cell shutdown 1" jh cell shutdown 1
t_eq "shut down" "$(t_read $J/cells/1/state)" "shut down"
t_check "jailhouse cell start jh-inmate-demo (again, by name)" jh cell start jh-inmate-demo
sleep 3
t_eq "running again" "$(t_read $J/cells/1/state)" running
t_eq "the inmate passed its checks again" "$(passed)" 2
jh_fails "disable fails while a cell exists" jh disable
t_check "jailhouse cell destroy 1" jh cell destroy 1
t_check "cells/1 is gone" test ! -e $J/cells/1
t_eq "CPU 3 is back" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "jailhouse console" jh console
t_check "jailhouse console -f follows (ended by timeout)" \
	sh -c 'timeout 2 jailhouse console -f > /tmp/follow; grep -q "Warden hypervisor" /tmp/follow'
t_check "jailhouse disable" jh disable
t_eq "enabled is 0 again" "$(t_read $J/enabled)" 0
jh_fails "disable twice fails" jh disable
t_check "enable again after disable" jh enable $C/jh-qemu-arm64.cell
t_check "and disable" jh disable
t_check "rmmod warden removes both names" rmmod warden
t_check "/dev/jailhouse gone" test ! -e /dev/jailhouse
t_check "/sys/devices/jailhouse gone" test ! -e $J
EOF
if grep -q "jh-inmate: all [0-9]* checks passed" "$uart1" 2>/dev/null; then
	echo "ok - [$series] jailhouse: the inmate's report arrived on UART1"
else
	echo "not ok - [$series] jailhouse: no passing report from the inmate on UART1 ($uart1)"
	WT_FAILED=1
fi
done
qemu_done
