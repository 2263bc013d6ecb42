#!/usr/bin/env bash
# "warden config create" on the test bed itself. On the host: a root cell from
# the device tree of the exact machine scripts/qemu-run starts (same -machine,
# -cpu, -smp, -m, two UARTs), checked. In the guest: that configuration
# enables Warden; then the tool makes one from the live device tree
# (/sys/firmware/fdt, Linux's RAM from /proc/iomem: mem=768M), which must be
# byte for byte the host's, passes the check, enables Warden and runs the
# uart-demo cell on it (its output must reach the second UART).
. "$(dirname "$0")/lib.sh"

work=$WT_OUT/tests/config-create
mkdir -p "$work"
qemu_require "$WT_OUT/host/warden" "$WT_OUT/configs/qemu-uart-demo.cell" \
	"$WT_OUT/inmates/uart-demo.bin" || qemu_done

# The machine of scripts/qemu-run (keep in step with its qargs).
dtb=$work/testbed.dtb
rm -f "$dtb"
if ! qemu-system-aarch64 -machine "virt,virtualization=on,gic-version=3,its=off,dumpdtb=$dtb" \
	-cpu cortex-a57 -smp 4 -m 1G -nic none -display none -monitor none \
	-serial null -serial null >"$work/dumpdtb.log" 2>&1 || [ ! -s "$dtb" ]; then
	echo "not ok - config-create: QEMU did not dump the test bed's device tree: $(tail -n 1 "$work/dumpdtb.log")"
	exit 1
fi
host_cell=$work/testbed.cell
if "$WT_OUT/host/warden" config create --dtb "$dtb" --name testbed -o "$host_cell" \
	>"$work/create.out" 2>"$work/create.err"; then
	echo "ok - config-create: host: config create --dtb (test bed device tree)"
else
	echo "not ok - config-create: host: config create --dtb failed: $(tail -n 1 "$work/create.err")"
	exit 1
fi
if "$WT_OUT/host/warden" config check "$host_cell" >"$work/check.out" 2>&1; then
	echo "ok - config-create: host: the generated configuration passes config check"
else
	echo "not ok - config-create: host: config check: $(head -n 1 "$work/check.out")"
fi

for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
uart1=$WT_LOGS/config-create-uart1-$series.log
rm -f "$uart1"
qemu_test config-create --kernels "$series" --uart1 "$uart1" --timeout 200 \
	--add "$host_cell:/tmp/host.cell" <<'EOF'
I=/usr/share/warden/inmates
C=/etc/warden
sysfs=/sys/devices/warden

t_check "modprobe warden" modprobe warden || exit 1
t_check "the host-made configuration passes config check" warden config check /tmp/host.cell
t_check "warden enable with the host-made configuration" warden enable /tmp/host.cell
t_eq "enabled" "$(t_read $sysfs/enabled)" 1
t_check "warden disable" warden disable

t_log "Linux's RAM: $(grep 'System RAM' /proc/iomem | tr '\n' ' ')"
t_check "config create from /sys/firmware/fdt and /proc/iomem" \
	warden config create --name testbed -o /tmp/root.cell --c /tmp/root.c
t_check "the live configuration passes config check" warden config check /tmp/root.cell
t_check "live (mem=768M from /proc/iomem) and host-made (.dtb) configurations are identical" \
	cmp /tmp/root.cell /tmp/host.cell
t_match "hypervisor memory at the top of the RAM Linux leaves free" \
	'\.phys_start = 0x7fc00000,' "$(grep -A1 'hypervisor_memory' /tmp/root.c)"
t_match "Linux keeps 0x40000000-0x6fffffff" '\.size = 0x30000000,' \
	"$(grep -A4 'RAM for Linux' /tmp/root.c)"
t_check "warden enable /tmp/root.cell" warden enable /tmp/root.cell || exit 1
t_check "cell create uart-demo" warden cell create $C/qemu-uart-demo.cell
t_check "cell load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "period=20000" -a 0x1000
t_check "cell start uart-demo" warden cell start uart-demo
sleep 2
t_eq "uart-demo is running" "$(t_read $sysfs/cells/1/state)" running
t_check "the root keeps working" sh -c 'seq 1 2000 | sort -n | tail -1 | grep -q 2000'
t_check "cell destroy uart-demo" warden cell destroy uart-demo
t_eq "CPU 3 is back" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "warden disable" warden disable
EOF
if grep -q "uart-demo: hello" "$uart1" 2>/dev/null; then
	echo "ok - [$series] config-create: uart-demo output arrived on the second UART"
else
	echo "not ok - [$series] config-create: no uart-demo output on the second UART ($uart1)"
	WT_FAILED=1
fi
done
qemu_done
