#!/usr/bin/env bash
# Machines Warden cannot run on: no EL2 (QEMU virtualization=off), Linux
# itself at EL2 (VHE, -cpu max) and KVM owning EL2 (no kvm-arm.mode=none).
# Loading the driver and enabling must fail with a one-line explanation, and
# the machine must carry on.
. "$(dirname "$0")/lib.sh"

# refusal NAME PRECONDITION-REGEX REFUSAL-REGEX [qemu-run options...]
refusal() {
	local name=$1 pre=$2 why=$3
	shift 3
	qemu_test "$name" "$@" <<EOF
t_check "precondition: the kernel log says /$pre/" sh -c "dmesg | grep -Eq '$pre'"
t_expect_fail "modprobe + enable refused" '$why' \
	sh -c 'modprobe warden && warden enable /etc/warden/qemu-arm64.cell'
t_eq "one explanation in the kernel log" "\$(grep -cE '$why' \$T_DMESG)" 1
t_eq "not enabled" "\$(cat /sys/devices/warden/enabled 2>/dev/null || echo 0)" 0
t_eq "all CPUs still online" "\$(cat /sys/devices/system/cpu/online)" 0-3
t_check "Linux still runs processes" sh -c 'echo alive | grep -q alive'
EOF
}

refusal refuse-no-el2 'started at EL1' 'did not boot at EL2' --machine-opts virtualization=off
# pauth-impdef: QEMU's own pointer-authentication algorithm, much faster in TCG.
refusal refuse-vhe 'Virtualization Host Extensions' 'VHE' --cpu max,pauth-impdef=on
refusal refuse-kvm 'Hyp (nVHE )?mode initialized successfully' 'KVM owns EL2' --append kvm-arm.mode=nvhe

qemu_done
