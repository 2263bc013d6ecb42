#!/usr/bin/env bash
# Linux in a cell ("warden cell linux", README "Linux in a cell"), on both
# kernel series: the series' own Debian kernel boots in qemu-linux-demo (CPUs
# 2-3, 128 MiB, UART1) with a generated device tree and the cell initramfs
# (scripts/mkcellinitramfs), whose init reports what it sees on the cell's
# console (captured: --uart1) and on the report page the root reads
# (cell-report). In one root guest:
#   A  boot: CPUs, RAM, PCI, console as the configuration says; the root's
#      CPUs keep taking their timer interrupts and running commands meanwhile;
#      CPU hotplug inside the cell; PSCI SYSTEM_OFF from inside leaves the cell
#      shut down and the root working;
#   B  "cell linux" again on the existing cell, "cell shutdown" (6.1: the
#      kernel gzip'ed, decompressed by the tool, shut down once up; 6.12:
#      shut down while it boots);
#   C  a panicking cell kernel: the root untouched, the cell destroyable;
#   D  devmem in the cell on the root's RAM and on the hypervisor's memory:
#      the hypervisor stops the cell (state "failed"), nothing is returned;
#      (C and D's hypervisor-memory read run on 6.1 only: they check the
#      hypervisor, not the kernel, and each cell boot costs 30-60 s of CI)
#   E  five rounds of cell linux / destroy mid-boot, the page pool exactly back
#      each time, the CPUs back in the root;
#   and the refusals before anything is touched (not an Image, too small a cell).
. "$(dirname "$0")/lib.sh"

cellrd=$WT_OUT/tests/cell-initramfs.gz
OUT=$WT_OUT "$WT_TOP/scripts/mkcellinitramfs" -o "$cellrd" ||
	{ echo "not ok - cell-linux: building the cell initramfs failed"; exit 1; }

for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
uart1=$WT_LOGS/cell-linux-uart1-$series.log
rm -f "$uart1"
# 6.1 also boots its kernel gzip'ed (decompressed by the tool in the guest).
gz=()
if [ "$series" = 6.1 ]; then
	gzip -1 -c "$WT_TOP/.cache/linux-$series/vmlinuz" >"$WT_OUT/tests/Image-$series.gz"
	gz=(--add "$WT_OUT/tests/Image-$series.gz:/root/Image.gz")
fi
qemu_test cell-linux --kernels "$series" --uart1 "$uart1" --timeout 900 \
	--add "$WT_TOP/.cache/linux-$series/vmlinuz:/root/Image" \
	--add "$cellrd:/root/cell.gz" "${gz[@]}" <<'EOF'
sysfs=/sys/devices/warden
SERIES=$(uname -r | cut -d. -f1-2)
C=/etc/warden/qemu-linux-demo.cell
CMD="console=ttyAMA0 quiet wdreport=0x7c010000"
state() { t_read $sysfs/cells/$1/state; }
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = linux-demo ] && basename $d; done; }
boot() { cell-report clear >/dev/null; warden cell linux $C ${KERNEL:-/root/Image} -i /root/cell.gz -c "$CMD $*"; }
boot_gz() { KERNEL=/root/Image.gz boot "$@"; }
# wait_state ID STATE SECONDS
wait_state() {
	local i=0
	while [ $i -lt $(($3 * 2)) ]; do
		[ "$(state $1)" = "$2" ] && return 0
		sleep 0.5; i=$((i + 1))
	done
	return 1
}

t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable /etc/warden/qemu-arm64.cell || exit 1
pool0=$(t_read $sysfs/mem_pool_used)

# ---- refusals first: nothing may change
t_expect_fail -F "not an Image: refused" "not an arm64 Image" \
	warden cell linux $C /root/cell.gz
dd if=/dev/zero of=/tmp/big.img bs=1M count=100 2>/dev/null
t_expect_fail -F "an initramfs too big for the cell: refused" "kernel needs" \
	warden cell linux $C /root/Image -i /tmp/big.img
rm -f /tmp/big.img
t_eq "refusals created no cell" "$(warden cell list | grep -c linux-demo)" 0
t_eq "refusals left the CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3

# ---- A: boot, report, root responsive, hotplug, power-off from inside
t_check "cell linux (generated device tree)" boot wdcell=hotplug,poweroff
before=$(t_irq_counts arch_timer)
id=$(cell_id)
t_eq "the root lost CPUs 2-3" "$(cat /sys/devices/system/cpu/online)" 0-1
n=0
while ! cell-report wait ready 1 >/dev/null && [ $n -lt 300 ]; do
	# The root works while the cell boots: processes, pipes, its timers.
	seq 1 500 | sort -n | tail -1 | grep -q 500 || break
	n=$((n + 1))
done
after=$(t_irq_counts arch_timer)
rep=$(cell-report show)
t_log "report page: $rep"
t_match "the cell's Linux came up" ' ready ' " $rep "
t_check "the root kept running commands on CPUs 0-1 meanwhile" [ $n -lt 300 ]
t_grew "the root's timer interrupts went on on CPUs 0-1 meanwhile" "$before" "$after"
t_match "it sees 2 CPUs (0-1)" 'cpus=0-1 ' "$rep "
kb=$(echo "$rep" | sed -n 's/.*mem_kb=\([0-9]*\).*/\1/p')
t_check "it sees most of its 128 MiB of RAM (${kb:-?} KiB)" [ "${kb:-0}" -gt 80000 -a "${kb:-0}" -le 131072 ]
npci=$(warden config dump $C | sed -n 's/^pci_devices: \([0-9]*\)$/\1/p')
t_match "as many PCI devices as the configuration has (${npci:-0})" "pci=${npci:-0} " "$rep "
t_match "its console is ttyAMA0 (the cell's UART1)" 'console=ttyAMA0 ' "$rep "
cell-report wait hotplug= 120 >/dev/null
t_match "CPU hotplug in the cell (CPU_OFF, CPU_ON)" 'hotplug=ok' "$(cell-report show)"
t_check "PSCI SYSTEM_OFF from inside: the cell is shut down" wait_state $id "shut down" 120
t_eq "the root still has CPUs 0-1 and works" "$(cat /sys/devices/system/cpu/online)" 0-1
t_match "the hypervisor logged the power-off" "linux-demo': switched itself off" "$(warden console | tail -5)"

# ---- B: cell linux on the existing cell, then cell shutdown: on 6.1 with the
# kernel gzip'ed, once it is up; on 6.12 while it boots
if [ -f /root/Image.gz ]; then
	t_check "cell linux again, the kernel gzip'ed" boot_gz
	t_check "the gzip'ed kernel boots" cell-report wait ready 300
	t_check "warden cell shutdown of the running Linux" warden cell shutdown linux-demo
else
	t_check "cell linux again on the shut-down cell" boot
	sleep 4
	t_check "warden cell shutdown while it boots" warden cell shutdown linux-demo
fi
t_eq "shut down" "$(state $id)" "shut down"

# ---- C: a panicking kernel (6.1 only: what it checks is the hypervisor's)
if [ "$SERIES" = 6.1 ]; then
t_check "cell linux, to panic" boot wdcell=panic panic=0
t_check "it reached the panic" cell-report wait panic 300
sleep 3
t_check "the root keeps working after the cell's panic" sh -c 'seq 1 2000 | sort -n | tail -1 | grep -q 2000'
t_eq "the root still has CPUs 0-1" "$(cat /sys/devices/system/cpu/online)" 0-1
fi

# ---- D: devmem on memory the cell does not own (the hypervisor's: 6.1 only)
peeks=0x40000000:root
[ "$SERIES" != 6.1 ] || peeks="$peeks 0x7fc00000:hypervisor"
for peek in $peeks; do
	addr=${peek%%:*} what=${peek#*:}
	t_check "cell linux, to read the $what's memory" boot wdcell=peek=$addr
	t_check "it tries ($what)" cell-report wait peek= 300
	t_check "devmem on the $what's memory stops the cell (failed)" wait_state $id failed 60
	case " $(cell-report show) " in
	*peek-returned*) t_fail "nothing was returned from the $what's memory" "$(cell-report show)" ;;
	*) t_ok "nothing was returned from the $what's memory" ;;
	esac
	t_match "the hypervisor names the cell's access" "linux-demo': CPU [23]: refused 4-byte read at $addr .*cell stopped \(failed\)" "$(warden console | tail -8)"
done
t_check "the root works after the cell's faults" sh -c 'seq 1 2000 | sort -n | tail -1 | grep -q 2000'
t_check "destroy" warden cell destroy linux-demo
t_eq "CPUs 2-3 are back" "$(cat /sys/devices/system/cpu/online)" 0-3
t_eq "the page pool is back" "$(t_read $sysfs/mem_pool_used)" "$pool0"

# ---- E: five rounds, destroyed mid-boot at different moments
for r in 1 2 3 4 5; do
	ok=1
	boot >/dev/null 2>&1 || ok=0
	sleep $((r - 1))
	warden cell destroy linux-demo >/dev/null 2>&1 || ok=0
	[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ] || ok=0
	used=$(t_read $sysfs/mem_pool_used)
	[ "$used" = "$pool0" ] || ok=0
	if [ $ok = 1 ]; then t_ok "round $r: linux, destroy after $((r - 1)) s, pool $used"
	else t_fail "round $r" "online $(cat /sys/devices/system/cpu/online), pool $used (was $pool0)"; fi
done
t_check "disable" warden disable
EOF
# What the cell printed on its own console (UART1).
wants=("cell-linux: CPUs online: 0-1 (2 of them)" "cell-linux: console: ttyAMA0"
	"cell-linux: hypervisor node: jailhouse,cell"
	"cell-linux: hotplug: without CPU 1 online 0, with it again 0-1")
[ "$series" != 6.1 ] || wants+=("Kernel panic - not syncing")
for want in "${wants[@]}"; do
	if grep -aqF -- "$want" "$uart1"; then
		echo "ok - [$series] cell-linux: the cell's UART shows \"$want\""
	else
		echo "not ok - [$series] cell-linux: the cell's UART lacks \"$want\" (${uart1#$WT_TOP/})"
		WT_FAILED=1
	fi
done
done
qemu_done
