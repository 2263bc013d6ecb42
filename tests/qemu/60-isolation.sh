#!/usr/bin/env bash
# Isolation: an attack cell (CPU 2) tries one forbidden thing per round while
# uart-demo (CPU 3) and the root (CPUs 0-1) keep running. Accesses outside the
# cell's memory stop exactly that cell (state "failed", CPU 2 in cpus_failed,
# a hypervisor log line naming cell, CPU and address); requests the cell may
# make but not have granted are refused with an error code and the cell runs on.
. "$(dirname "$0")/lib.sh"

qemu_test isolation --timeout 400 <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden
state() { t_read $sysfs/cells/$1/state; }
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable $C/qemu-arm64.cell || exit 1
t_check "create uart-demo" warden cell create $C/qemu-uart-demo.cell
t_check "load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "period=50000" -a 0x1000
t_check "start uart-demo" warden cell start uart-demo
demo=$(cell_id uart-demo)

attack() { # MODE: create, load, start the attack cell, wait a moment
	warden cell create $C/qemu-attack.cell >/dev/null &&
	warden cell load attack $I/attack.bin -s "mode=$1" -a 0x1000 &&
	warden cell start attack && sleep 1
}
bystanders_ok() { # MODE
	t_eq "$1: uart-demo still running" "$(state $demo)" running
	t_check "$1: the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
	t_eq "$1: Warden still enabled" "$(t_read $sysfs/enabled)" 1
}

for m in root-read root-write hv-read hv-write other-cell other-cell-write exec gicr-foreign; do
	t_check "$m: attack cell set up" attack $m
	id=$(cell_id attack)
	t_eq "$m: the attack cell is stopped (failed)" "$(state $id)" failed
	t_eq "$m: its CPU 2 is reported failed" "$(t_read $sysfs/cells/$id/cpus_failed_list)" 2
	log=$(warden console)
	t_match "$m: the hypervisor names cell, CPU and the refused access" "cell 'attack': CPU 2: refused .* at 0x" "$log"
	t_match "$m: cell list shows the failure" 'attack +failed +2 +2' "$(warden cell list)"
	bystanders_ok $m
	t_check "$m: the failed cell can be destroyed" warden cell destroy attack
done

expect_result() { # MODE PATTERN: the cell survives and reports PATTERN
	t_check "$1: attack cell set up" attack $1
	id=$(cell_id attack)
	t_eq "$1: the attack cell keeps running" "$(state $id)" running
	t_match "$1: refused with the right result" "$2" "$(warden console)"
	t_match "$1: the cell survived" "attack: $1 survived" "$(warden console)"
	bystanders_ok $1
	t_check "$1: destroy" warden cell destroy attack
}
expect_result gic-foreign 'gic-foreign SPI 33 ISENABLER1 before=0x0 after=0x0'
expect_result psci-root 'psci-root ret=-2'
expect_result smc-unknown 'smc-unknown fn=0x12345678 ret=-1'
expect_result hvc-unknown 'hvc-unknown code=99 ret=-38'
expect_result hvc-mgmt 'hvc-mgmt'

# SGIs to a root CPU must not arrive there.
before=$(awk '/Rescheduling interrupts/ { print $2 }' /proc/interrupts)
t_check "sgi-root: attack cell set up" attack sgi-root
after=$(awk '/Rescheduling interrupts/ { print $2 }' /proc/interrupts)
t_log "CPU 0 rescheduling IPIs: $before -> $after"
t_check "sgi-root: CPU 0 did not receive the cell's 20000 SGIs" test $((after - before)) -lt 5000
bystanders_ok sgi-root
t_check "sgi-root: destroy" warden cell destroy attack

for m in psci-off psci-reset; do
	t_check "$m: attack cell set up" attack $m
	t_eq "$m: only the attack cell is shut down" "$(state $(cell_id attack))" "shut down"
	bystanders_ok $m
	t_check "$m: destroy" warden cell destroy attack
done

t_check "undef: attack cell set up" attack undef
t_match "undef: the cell's own vectors took the exception" 'attack: undef fault ESR 0x2000000' "$(warden console)"
bystanders_ok undef
t_check "undef: destroy" warden cell destroy attack

t_check "destroy uart-demo" warden cell destroy uart-demo
t_eq "all CPUs back" "$(cat /sys/devices/system/cpu/online)" 0-3

# Routing its own SPI (UART1, 40) anywhere but its own CPU, with 32- or 64-bit
# IROUTER writes, stops the cell: the interrupt could otherwise reach the root.
for m in irouter32 irouter; do
	warden cell create $C/qemu-uart-demo.cell >/dev/null
	warden cell load uart-demo $I/attack.bin -s "mode=$m irq=40" -a 0x1000
	warden cell start uart-demo
	sleep 1
	t_eq "$m: a cell routing its SPI away is stopped" "$(state $(cell_id uart-demo))" failed
	t_match "$m: the hypervisor logs the refused IROUTER write" "IROUTER of IRQ 40 to 0x" "$(warden console)"
	t_check "$m: destroy" warden cell destroy uart-demo
done
t_check "disable" warden disable
EOF
qemu_done
