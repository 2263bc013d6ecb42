#!/usr/bin/env bash
# Reasons reach the user: refusals that only the hypervisor can see (the
# driver's own checks pass) must come back with the hypervisor's one-line
# reason, naming the cell and the CPU, interrupt or address at fault, in the
# tool's stderr and in the kernel log alike, with the errno and a hint.
#   - memory overlapping a running cell, an SPI another cell owns, memory
#     outside the root cell (CELL_CREATE)
#   - start of a running cell (CELL_START)
#   - shutdown and destroy of a cell that denies them (SET_LOADABLE, DESTROY)
#   - enable with a root region the stage-2 tables cannot reach (ENABLE)
. "$(dirname "$0")/lib.sh"

# The guest side's helper, shared by both guests.
lib=$WT_SCRIPTS/reasons-lib.sh
cat >"$lib" <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden

# refused NAME STRERROR REASON HINT CMD...
#   CMD must exit 1; its stderr and the kernel log lines it caused must both
#   hold REASON (a fixed string) exactly once, stderr must name the errno
#   (STRERROR) and give HINT (a fixed string, or "-" for no hint), and the
#   driver must not have fallen back to "no reason recorded".
refused() {
	local name=$1 errstr=$2 why=$3 hint=$4 st
	shift 4
	t_log "$name: $* (must be refused: $why)"
	t_dmesg_mark
	"$@" >/tmp/r.out 2>/tmp/r.err
	st=$?
	t_dmesg_since >/tmp/r.dmesg
	sed 's/^/  ! /' /tmp/r.err
	sed 's/^/  k /' /tmp/r.dmesg | head -n 20
	t_eq "$name: exit status" "$st" 1
	t_eq "$name: stderr names the errno" \
		"$(grep -c "failed: $errstr\$" /tmp/r.err)" 1
	t_eq "$name: stderr has the hypervisor's reason" \
		"$(grep -cF -- "$why" /tmp/r.err)" 1
	t_eq "$name: the kernel log has it in one line" \
		"$(grep -cF -- "$why" /tmp/r.dmesg)" 1
	t_eq "$name: the driver did not fall back" \
		"$(grep -c 'no reason recorded' /tmp/r.dmesg)" 0
	if [ "$hint" = - ]; then
		t_eq "$name: no hint" "$(grep -c '^hint: ' /tmp/r.err)" 0
	else
		t_eq "$name: hint" "$(grep '^hint: ' /tmp/r.err)" "hint: $hint"
	fi
}
EOF

# The root configuration with its PCIe high MMIO window (region #11, 1:1 at
# 0x8000000000) moved to guest-physical 1 << 48: valid for the validator and
# the driver, beyond what the hypervisor's stage-2 tables can map (the IPA
# space is as large as the CPU's physical one: 44 bits on the Cortex-A57).
far=$WT_OUT/tests/reasons-far.cell
idx=$(python3 - "$WT_OUT/configs/qemu-arm64.cell" "$far" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
window = struct.pack('<QQQ', 0x8000000000, 0x8000000000, 0x8000000000)
ram = struct.pack('<QQQ', 0x40000000, 0x40000000, 0x30000000)	# region #0
i, r = d.find(window), d.find(ram)
assert d.count(window) == 1 and i > r >= 0 and (i - r) % 32 == 0
struct.pack_into('<Q', d, i + 8, 1 << 48)
open(sys.argv[2], 'wb').write(d)
print((i - r) // 32)
PY
)
if [ "$idx" = 11 ]; then
	qemu_test reasons-enable --add "$lib:/tmp/reasons-lib.sh" --add "$far:/tmp/far.cell" <<'EOF'
. /tmp/reasons-lib.sh
t_check "modprobe warden" modprobe warden || exit 1
refused "root memory beyond the stage-2 reach" "Numerical result out of range" \
	"warden: cell 'qemu-arm64': memory region #11 (virt 0x1000000000000-0x1007fffffffff) is beyond the CPU's 44-bit physical address space (max 0xfffffffffff) (hypervisor refused ENABLE: -ERANGE)" \
	"this CPU cannot reach that address (its physical address size is in the message): leave the region out, or move it below the limit" \
	warden enable /tmp/far.cell
t_eq "not enabled" "$(t_read $sysfs/enabled)" 0
t_eq "all CPUs still online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_match "the saved hypervisor console has the reason" \
	"memory region #11 \(virt 0x1000000000000-0x1007fffffffff\) is beyond" "$(t_read $sysfs/console)"
t_check "enable with the right configuration works afterwards" warden enable $C/qemu-arm64.cell
t_check "disable" warden disable
EOF
else
	echo "not ok - reasons: cannot make the far-region configuration (region index '$idx')"
	WT_FAILED=1
fi

qemu_test reasons --timeout 300 --add "$lib:/tmp/reasons-lib.sh" <<'EOF'
. /tmp/reasons-lib.sh
t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable $C/qemu-arm64.cell || exit 1
t_check "cell create uart-demo (CPU 3, RAM 0x7fa00000, SPI 40)" \
	warden cell create $C/qemu-uart-demo.cell || exit 1
t_check "cell load uart-demo (denies shutdown)" \
	warden cell load uart-demo $I/uart-demo.bin -s "shutdown=deny period=50000" -a 0x1000
t_check "cell start uart-demo" warden cell start uart-demo
sleep 1
pool1=$(t_read $sysfs/mem_pool_used)

refused "memory of a running cell" "Device or resource busy" \
	"warden: cell 'overlap': memory region #0 (phys 0x7fa08000-0x7fa17fff) overlaps cell 'uart-demo' (its region #0, phys 0x7fa00000-0x7fa0ffff) (hypervisor refused CELL_CREATE: -EBUSY)" \
	"destroy the other cell first, or give this cell memory or interrupts of its own" \
	warden cell create $C/qemu-reason-overlap.cell
t_match "the hypervisor console has the same line" \
	"cell 'overlap': memory region #0 \(phys 0x7fa08000-0x7fa17fff\) overlaps cell 'uart-demo'" \
	"$(warden console)"

refused "SPI of a running cell" "Device or resource busy" \
	"warden: cell 'spi-clash': SPI 40 belongs to cell 'uart-demo' (hypervisor refused CELL_CREATE: -EBUSY)" \
	"destroy the other cell first, or give this cell memory or interrupts of its own" \
	warden cell create $C/qemu-reason-spi.cell

refused "memory outside the root cell" "Invalid argument" \
	"warden: cell 'outside': memory region #0 (phys 0x80000000-0x8000ffff) is not inside one region of the root cell (hypervisor refused CELL_CREATE: -EINVAL)" \
	- \
	warden cell create $C/qemu-reason-outside.cell

t_eq "refused creates gave CPU 2 back to Linux" "$(cat /sys/devices/system/cpu/online)" 0-2
t_eq "refused creates left the pool as it was" "$(t_read $sysfs/mem_pool_used)" "$pool1"
t_eq "only uart-demo exists" "$(ls -d $sysfs/cells/* | wc -l)" 2

refused "start of a running cell" "Device or resource busy" \
	"warden: cell 'uart-demo' is already running (hypervisor refused CELL_START: -EBUSY)" \
	"stop it first with 'warden cell shutdown' (or destroy it)" \
	warden cell start uart-demo

refused "shutdown the cell denies" "Operation not permitted" \
	"warden: cell 'uart-demo' denied the shutdown request (hypervisor refused CELL_SET_LOADABLE: -EPERM)" \
	"the cell refuses to stop; it decides through its comm region: ask it (its own software) to allow shutdown, or reboot" \
	warden cell shutdown uart-demo

refused "destroy the cell denies" "Operation not permitted" \
	"warden: cell 'uart-demo' denied the shutdown request (hypervisor refused CELL_DESTROY: -EPERM)" \
	"the cell refuses to stop; it decides through its comm region: ask it (its own software) to allow shutdown, or reboot" \
	warden cell destroy uart-demo
t_eq "the denying cell keeps running" "$(t_read $sysfs/cells/1/state)" running

# A refusal the driver catches itself still gives its own line, not a stale
# hypervisor reason.
t_expect_fail -F "the driver's own check: CPU of another cell" \
	"warden: cell 'gic-demo': CPU 3 is not in the root cell" \
	warden cell create $C/qemu-gic-demo.cell
t_eq "no hypervisor reason for the driver's own refusal" \
	"$(grep -c 'hypervisor refused' $T_DMESG)" 0
EOF
qemu_done
