#!/usr/bin/env bash
# What the driver and hypervisor check about the caller and the machine
# before they act (issue 17, items 5 and 6):
#  - /sys/devices/{warden,jailhouse}/console is root's only (0400): another
#    user cannot read it; the ioctls need CAP_SYS_ADMIN even through a device
#    node anyone may open (-EPERM and a kernel log line naming the caller);
#  - the redistributor frames as the hardware has them: a root region at
#    0x08120000 is past the last frame of a 4-CPU GICv3 (enable works) but is
#    CPU 2's frame on a GICv4 (0x40000 per frame): the hypervisor refuses it;
#  - a root configuration that does not match the machine is refused at
#    enable naming what is missing, with a 'config create' hint (driver/
#    platform-check.c): the ITS Linux uses (the issue's reproducer:
#    qemu-run --its with qemu-arm64.cell), an SMMU Linux's driver has, RAM
#    Linux uses, the registers of a device with a driver bound (the RTC);
#    the configuration 'warden config create' writes for that machine is
#    accepted.
. "$(dirname "$0")/lib.sh"

# Callers without privileges: busybox's setpriv changes neither ids nor the
# bounding set.
runas=$WT_OUT/tests/run-as
mkdir -p "$WT_OUT/tests"
if ! ${CROSS_COMPILE:-aarch64-linux-gnu-}gcc -static -O2 -Wall -Werror -o "$runas" \
	"$WT_TOP/tests/qemu/helpers/run-as.c"; then
	echo "not ok - root-access: cannot build tests/qemu/helpers/run-as.c"
	WT_FAILED=1
fi

qemu_test root-access --timeout 200 --add "$runas:/usr/bin/run-as" <<'EOF'
C=/etc/warden
t_check "modprobe warden" modprobe warden || exit 1
t_eq "the console is root's only (0400)" "$(stat -c %a /sys/devices/warden/console)" 400
t_eq "... also under Jailhouse's name" "$(stat -c %a /sys/devices/jailhouse/console)" 400
nobody() { run-as --no-sys-admin "$@"; }
capeff=$(nobody sh -c 'grep CapEff /proc/self/status' | awk '{print $2}')
t_eq "run-as --no-sys-admin drops CAP_SYS_ADMIN (the control; CapEff $capeff)" \
	$(( 0x${capeff:-200000} >> 21 & 1 )) 0
t_expect_fail -F "another user cannot read it" "Permission denied" \
	run-as --uid 65534 --read /sys/devices/warden/console
t_check "... a file that user may read is read (the control)" run-as --uid 65534 --read /proc/version
chmod 666 /dev/warden
t_expect_fail -F "enable without CAP_SYS_ADMIN is refused (even with the node open to all)" \
	"refused: it needs CAP_SYS_ADMIN" nobody warden enable $C/qemu-arm64.cell
t_match "... with EPERM" "not permitted" "$(cat $T_ERR)"
t_match "... logging who asked" "from warden \(pid [0-9]+\)" "$(cat $T_DMESG)"
t_eq "not enabled" "$(t_read /sys/devices/warden/enabled)" 0
t_check "root enables" warden enable $C/qemu-arm64.cell
t_expect_fail -F "cell create without CAP_SYS_ADMIN is refused" \
	"refused: it needs CAP_SYS_ADMIN" nobody warden cell create $C/qemu-uart-demo.cell
t_expect_fail -F "disable without CAP_SYS_ADMIN is refused" \
	"refused: it needs CAP_SYS_ADMIN" nobody warden disable
t_eq "still enabled" "$(t_read /sys/devices/warden/enabled)" 1
chmod 600 /dev/warden
t_check "root disables" warden disable
t_check "GICv3: a root region right after the last redistributor frame is accepted" \
	warden enable $C/qemu-gicv4-frames.cell
t_check "disable" warden disable
EOF

qemu_test gicv4-frames --kernels 6.1 --timeout 200 --machine-opts gic-version=4 <<'EOF'
C=/etc/warden
t_check "modprobe warden" modprobe warden || exit 1
t_expect_fail -F "GICv4: the same region is CPU 2's redistributor frame: enable is refused" \
	"memory region #21 (phys 0x8120000-0x813ffff) maps GIC redistributor frames (0x80a0000-0x819ffff as the hardware has them)" \
	warden enable $C/qemu-gicv4-frames.cell
t_eq "not enabled" "$(t_read /sys/devices/warden/enabled)" 0
t_eq "all CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
EOF
# Each refusal: not enabled, CPUs online, the root carries on.
qemu_test root-mismatch --timeout 200 <<'EOF'
C=/etc/warden
t_check "modprobe warden" modprobe warden || exit 1
t_expect_fail -F "the registers of a device with a driver bound are not in the configuration" \
	"the MMIO of 9010000.pl031 (driver rtc-pl031) at 0x9010000-0x9010fff is not in the root configuration" \
	warden enable $C/qemu-root-no-rtc.cell
t_match "... with the config create hint" "hint: .*warden config create" "$(cat $T_ERR | tr '\n' ' ')"
t_expect_fail -E "RAM Linux uses is not root RAM in the configuration" \
	"Linux uses RAM 0x4[0-9a-f]*-0x6fffffff that the root configuration does not give the root cell as RAM" \
	warden enable $C/qemu-root-short-ram.cell
t_eq "not enabled" "$(t_read /sys/devices/warden/enabled)" 0
t_eq "all CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "the matching configuration is accepted" warden enable $C/qemu-arm64.cell
t_check "disable" warden disable
EOF

qemu_test root-its --timeout 200 --its <<'EOF'
C=/etc/warden
t_check "modprobe warden" modprobe warden || exit 1
t_expect_fail -F "a root configuration without the board's ITS is refused at enable" \
	"the ITS at 0x08080000 (/intc@8000000/its@8080000) is not in the root configuration" \
	warden enable $C/qemu-arm64.cell
t_match "... with the config create hint" "hint: .*warden config create" "$(cat $T_ERR | tr '\n' ' ')"
t_eq "not enabled" "$(t_read /sys/devices/warden/enabled)" 0
t_eq "all CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "config create on this machine" warden config create -o /tmp/this.cell
t_check "enable with it (the hint followed)" warden enable /tmp/this.cell
t_check "CPU 3 off and on again (Linux's ITS code runs on it)" \
	sh -c 'echo 0 > /sys/devices/system/cpu/cpu3/online && echo 1 > /sys/devices/system/cpu/cpu3/online'
t_check "disable" warden disable
EOF

qemu_test root-smmu --kernels 6.1 --timeout 200 --iommu smmuv3 --device virtio-rng-pci <<'EOF'
C=/etc/warden
t_match "Linux's SMMU driver has the unit" 'arm-smmu-v3' "$(dmesg | grep -i smmu)"
t_check "modprobe warden" modprobe warden || exit 1
t_expect_fail -F "a root configuration without the SMMU Linux uses is refused" \
	"the SMMU at 0x09050000 (/smmuv3@9050000) is used by Linux (driver arm-smmu-v3) but is not in the root configuration" \
	warden enable $C/qemu-arm64.cell
t_match "... with the recipe" "hint: .*initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1" "$(cat $T_ERR | tr '\n' ' ')"
t_eq "not enabled" "$(t_read /sys/devices/warden/enabled)" 0
EOF
qemu_done
