#!/usr/bin/env bash
# The configuration against the machine (issue 17), the cases
# 41-root-checks.sh and 95-smmu.sh leave out:
#  - the GIC: a root configuration whose GICv3 distributor or redistributors
#    are not where the device tree has them, or that says GICv2 on a GICv3
#    board, is refused at enable naming the frame (driver/platform-check.c),
#    with the 'config create' hint; on a GICv2 board (--gic 2) the same for
#    a GICv3 configuration and for a CPU interface elsewhere. Nothing is
#    enabled, every CPU stays online, the module keeps no reference, and the
#    configuration of the board is accepted afterwards;
#  - PCIe isolation (driver/pci-streams.c) on a board with an SMMU and
#    a PCIe switch whose downstream ports have no ACS (QEMU's
#    xio3130-downstream has no ACS capability) and a root port (ACS
#    capability, off: Linux's SMMU driver, which would ask for it, does not
#    run) above a two-function virtio-rng device:
#    . a cell asking for an edu behind the switch, next to another edu the
#      root keeps, is refused naming the device and the port;
#    . a cell asking for one function, or both, of the multifunction device
#      is refused naming the root port while its ACS is off;
#    . with the root port's ACS switched on (through its configuration
#      space), one function is still refused, naming the other function
#      (functions of one device talk inside it; they have no ACS); both
#      functions together are accepted, created and destroyed, the
#      functions reset and back with their drivers; with ACS off again the
#      same cell is refused again;
#    . after each refusal nothing leaked: the page pool, the CPUs, the
#      module's references, the devices' drivers and command registers are
#      as before, and only the root cell exists;
#    . with a device tree whose iommu-map leaves bus 5 out, the functions
#      there are refused for having no stream id (no-sid).
. "$(dirname "$0")/lib.sh"

qemu_test gic-mismatch --timeout 200 <<'EOF'
C=/etc/warden
t_check "modprobe warden" modprobe warden || exit 1
refs=$(cat /sys/module/warden/refcnt)
refused() { # WHAT MESSAGE CONFIG
	t_expect_fail -F "$1" "$2" warden enable $3
	t_match "... with the config create hint" "hint: .*warden config create" "$(cat $T_ERR | tr '\n' ' ')"
	t_eq "... not enabled" "$(t_read /sys/devices/warden/enabled)" 0
	t_eq "... all CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3
	t_eq "... no module reference kept" "$(cat /sys/module/warden/refcnt)" "$refs"
}
refused "a root configuration with the GIC distributor elsewhere is refused at enable, naming it" \
	"the GIC distributor is at 0x08000000 (/intc@8000000), the configuration's gicd_base is 0x08010000" \
	$C/qemu-root-bad-gicd.cell
refused "the GIC redistributors elsewhere: refused, naming them" \
	"the GIC redistributors are at 0x080a0000 (/intc@8000000), the configuration's gicr_base is 0x080c0000" \
	$C/qemu-root-bad-gicr.cell
refused "a GICv2 configuration on this GICv3 board: refused, naming the GIC" \
	"the GIC is a GICv3 (/intc@8000000), the configuration says GICv2" \
	$C/qemu-arm64-gicv2.cell
t_check "the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
t_check "the board's configuration is accepted" warden enable $C/qemu-arm64.cell
t_check "disable" warden disable
EOF

qemu_test gicv2-mismatch --timeout 200 --gic 2 <<'EOF'
C=/etc/warden
t_check "modprobe warden" modprobe warden || exit 1
refs=$(cat /sys/module/warden/refcnt)
refused() { # WHAT MESSAGE CONFIG
	t_expect_fail -F "$1" "$2" warden enable $3
	t_match "... with the config create hint" "hint: .*warden config create" "$(cat $T_ERR | tr '\n' ' ')"
	t_eq "... not enabled" "$(t_read /sys/devices/warden/enabled)" 0
	t_eq "... all CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3
	t_eq "... no module reference kept" "$(cat /sys/module/warden/refcnt)" "$refs"
}
refused "a GICv3 configuration on this GICv2 board is refused at enable" \
	"the configuration says GICv3, but the CPUs have no GICv3 system register interface" \
	$C/qemu-arm64.cell
refused "the GICv2 CPU interface elsewhere: refused, naming it" \
	"the GIC CPU interface is at 0x08010000 (/intc@8000000), the configuration's gicc_base is 0x08020000" \
	$C/qemu-root-bad-gicc.cell
t_check "the board's configuration is accepted" warden enable $C/qemu-arm64-gicv2.cell
t_check "disable" warden disable
EOF

# 00:01.0 root port - 01:00.0 switch upstream - 02:00.0, 02:01.0 downstream
# ports (no ACS) - edu 03:00.0, edu 04:00.0; 00:02.0 root port - virtio-rng
# 05:00.0 and 05:00.1, one device (configs/arm64/qemu-smmu-acs.c).
board=(--iommu smmuv3
	--device pcie-root-port,id=rp1,chassis=1,addr=1.0
	--device x3130-upstream,id=up1,bus=rp1
	--device xio3130-downstream,id=dn1,bus=up1,chassis=2,slot=0
	--device xio3130-downstream,id=dn2,bus=up1,chassis=3,slot=1
	--device edu,dma_mask=0xffffffffffffffff,bus=dn1
	--device edu,dma_mask=0xffffffffffffffff,bus=dn2
	--device pcie-root-port,id=rp2,chassis=4,addr=2.0
	--device virtio-rng-pci,bus=rp2,addr=0.0,multifunction=on
	--device virtio-rng-pci,bus=rp2,addr=0.1)

qemu_test acs --timeout 300 "${board[@]}" \
	--append "initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1" <<'EOF'
C=/etc/warden
sysfs=/sys/devices/warden
dev=/sys/bus/pci/devices/0000
r16() { od -An -tu2 -j$2 -N2 $1/config | tr -d ' '; }
# The ACS capability's offset in a device's configuration space, or 0.
acs_cap() {
	local off=256 h
	while [ $off -ne 0 ]; do
		h=$(od -An -tu4 -j$off -N4 $1/config | tr -d ' ')
		[ -n "$h" ] && [ "$h" -ne 0 ] || break
		[ $((h & 0xffff)) -eq 13 ] && { echo $off; return; }
		off=$(( (h >> 20) & 0xffc ))
	done
	echo 0
}
set_acs() { # DEVICE CTRL: write the ACS control register
	local at=$(( $(acs_cap $1) + 6 ))
	printf "\\x$(printf %02x $2)\\x00" | dd of=$1/config bs=1 seek=$at count=2 conv=notrunc 2>/dev/null
}
drv() { basename "$(readlink $1/driver)" 2>/dev/null; }
snapshot() {
	echo "pool $(t_read $sysfs/mem_pool_used) refs $(cat /sys/module/warden/refcnt)" \
		"cpus $(cat /sys/devices/system/cpu/online) cells $(ls $sysfs/cells | tr '\n' ,)"
	for d in 02:00.0 03:00.0 04:00.0 05:00.0 05:00.1; do
		echo "$d cmd $(r16 $dev:$d 4) driver $(drv $dev:$d)"
	done
}
refused() { # WHAT MESSAGE CELL PORT-OR-FUNCTION
	t_expect_fail -F "$1" "$2" warden cell create $C/$3.cell
	t_match "... naming $4" "$4" "$(cat $T_ERR)"
	t_match "... with EINVAL" "Invalid argument" "$(cat $T_ERR)"
	t_match "... and a hint" "hint: peer-to-peer traffic would bypass the SMMU" "$(cat $T_ERR | tr '\n' ' ')"
	t_eq "... nothing leaked (pool, module references, CPUs, cells, devices)" "$(snapshot)" "$before"
	# A cell wrongly created must not turn the next cases into CPU refusals.
	for c in $sysfs/cells/*; do
		[ "$(basename $c)" = 0 ] || warden cell destroy "$(cat $c/name)" >/dev/null 2>&1
	done
}

# The ports' drivers wait for the SMMU driver that never comes: 1 s.
t_check "the switch's downstream ports have their driver" sh -c \
	'for i in $(seq 1 100); do [ -e /sys/bus/pci/devices/0000:02:01.0/driver ] && exit 0; sleep 0.2; done; exit 1'
t_eq "02:00.0 is a bridge (the switch's downstream port), 01:00.0 too (its upstream port)" \
	"$(cat $dev:02:00.0/class $dev:01:00.0/class | tr '\n' ' ')" "0x060400 0x060400 "
t_eq "... without an ACS capability" "$(acs_cap $dev:02:00.0)" 0
t_eq "the edus are 03:00.0 and 04:00.0 (vendor 1234 device 11e8)" \
	"$(cat $dev:03:00.0/vendor $dev:03:00.0/device $dev:04:00.0/device | tr '\n' ' ')" "0x1234 0x11e8 0x11e8 "
t_match "edu 03:00.0 has a bus reset (alone behind its downstream port)" bus "$(cat $dev:03:00.0/reset_method)"
rp_acs=$(acs_cap $dev:00:02.0)
t_check "root port 00:02.0 has an ACS capability (at $rp_acs)" test "$rp_acs" -gt 0
t_eq "... which is off" "$(r16 $dev:00:02.0 $((rp_acs + 6)))" 0
t_eq "05:00.0 and 05:00.1 are virtio (1af4) functions of one device" \
	"$(cat $dev:05:00.0/vendor $dev:05:00.1/vendor | tr '\n' ' ')" "0x1af4 0x1af4 "
t_eq "... multifunction (header type bit 7)" $(( $(od -An -tu1 -j14 -N1 $dev:05:00.0/config) >> 7 )) 1
t_match "... each with a function-level reset" flr "$(cat $dev:05:00.0/reset_method) $(cat $dev:05:00.1/reset_method)"
t_check "modprobe warden" modprobe warden || exit 1
t_check "enable (qemu-smmu-acs: stream ids of buses 3, 4 and 5)" warden enable $C/qemu-smmu-acs.cell || exit 1
before=$(snapshot)
t_log "before: $before"

refused "an edu behind a switch port without ACS is refused, naming it" \
	"cell 'acs-switch': PCI device 0000:03:00.0 is not isolated: a port above it has no ACS" \
	qemu-acs-switch "(port 0000:02:00.0)"
refused "one function of a multifunction device below a root port without ACS is refused" \
	"cell 'acs-mf-one': PCI device 0000:05:00.0 is not isolated: a port above it has no ACS" \
	qemu-acs-mf-one "(port 0000:00:02.0)"
refused "both functions, while the root port's ACS is off: refused" \
	"cell 'acs-mf-both': PCI device 0000:05:00.0 is not isolated: a port above it has no ACS" \
	qemu-acs-mf-both "(port 0000:00:02.0)"

# SV, RR, CR, UF: what Linux switches on when an IOMMU driver asks for it.
set_acs $dev:00:02.0 0x1d
t_eq "root port 00:02.0: ACS source validation, redirects, upstream forwarding on" \
	"$(r16 $dev:00:02.0 $((rp_acs + 6)))" 29
refused "ACS on the port, one function: refused, naming the function the root keeps" \
	"cell 'acs-mf-one': PCI device 0000:05:00.0 is not isolated: it is a function of a multifunction device whose function 0000:05:00.1 is not the cell's" \
	qemu-acs-mf-one "0000:05:00.1"
t_check "ACS on the port, both functions: the cell is created" warden cell create $C/qemu-acs-mf-both.cell
t_match "... the functions went to it" "0000:05:00.1: warden: to cell 'acs-mf-both'" "$(dmesg)"
t_match "... with their stream ids" "2 stream id\(s\) moved to cell 'acs-mf-both'" "$(warden console)"
t_check "destroy it" warden cell destroy acs-mf-both
t_match "both functions were reset before they went back" \
	"0000:05:00.0: warden: reset after cell 'acs-mf-both'.*0000:05:00.1: warden: reset after cell 'acs-mf-both'" \
	"$(dmesg | tr '\n' ' ')"
t_match "... and came back" "0000:05:00.1: warden: back from cell 'acs-mf-both'" "$(dmesg)"
set_acs $dev:00:02.0 0
t_eq "... and after the cell, all as before (with ACS off again)" "$(snapshot)" "$before"
refused "ACS off again: both functions refused again" \
	"cell 'acs-mf-both': PCI device 0000:05:00.0 is not isolated: a port above it has no ACS" \
	qemu-acs-mf-both "(port 0000:00:02.0)"
t_check "the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
t_check "disable" warden disable
t_eq "all CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3
EOF
# A requester id the device tree's iommu-map leaves out is behind no IOMMU
# (Linux's of_map_id then returns the requester id itself): the same board
# with QEMU's device tree whose iommu-map ends before bus 5. A cell asking
# for 05:00.0 and 05:00.1 is refused naming the device, though its stream
# ids are the requester ids and the root has them.
dtb=$WT_OUT/tests/iommu-map-short.dtb
mkdir -p "$WT_OUT/tests"
if ! "${QEMU:-qemu-system-aarch64}" -machine virt,virtualization=on,gic-version=3,its=on,iommu=smmuv3,dumpdtb=$dtb.orig \
	-cpu cortex-a57 -smp 4 -m 1G -display none -nic none -serial null -serial null >/dev/null 2>&1 ||
   ! dtc -q -I dtb -O dts $dtb.orig |
     sed 's/iommu-map = <0x00 \(0x[0-9a-f]*\) 0x00 0x10000>;/iommu-map = <0x00 \1 0x00 0x500>;/' |
     dtc -q -I dts -O dtb -o $dtb ||
   ! dtc -q -I dtb -O dts $dtb | grep -q 'iommu-map = <0x00 0x[0-9a-f]* 0x00 0x500>;'; then
	echo "not ok - no-sid: could not make the device tree"
	WT_FAILED=1
fi
qemu_test no-sid --timeout 300 "${board[@]}" --qemu-arg -dtb --qemu-arg "$dtb" \
	--append "initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1" <<'EOF'
C=/etc/warden
sysfs=/sys/devices/warden
t_match "the device tree's iommu-map ends at requester id 0x4ff" "^000000000000....0000000000000500$" \
	"$(od -An -tx1 /proc/device-tree/pcie@10000000/iommu-map | tr -d ' \n')"
t_check "the root port above 05:00.0 has its driver" sh -c \
	'for i in $(seq 1 100); do [ -e /sys/bus/pci/devices/0000:00:02.0/driver ] && exit 0; sleep 0.2; done; exit 1'
t_check "modprobe warden" modprobe warden || exit 1
t_check "enable (qemu-smmu-acs)" warden enable $C/qemu-smmu-acs.cell || exit 1
pool=$(t_read $sysfs/mem_pool_used)
t_expect_fail -F "a device whose requester id the iommu-map leaves out is refused, naming it" \
	"cell 'acs-mf-both': PCI device 0000:05:00.0 has no stream id in the device tree (no iommu-map entry for requester id 0x500)" \
	warden cell create $C/qemu-acs-mf-both.cell
t_eq "... nothing leaked (pool, CPUs, cells)" \
	"$(t_read $sysfs/mem_pool_used) $(cat /sys/devices/system/cpu/online) $(ls $sysfs/cells | tr '\n' ,)" "$pool 0-3 0,"
t_check "a device the map covers still gets past the stream id check (refused for isolation)" sh -c \
	"warden cell create $C/qemu-acs-switch.cell 2>&1 | grep -q 'PCI device 0000:03:00.0 is not isolated'"
t_check "disable" warden disable
EOF
qemu_done
