#!/bin/sh
# Runs inside the QEMU guest (root Linux), started by bench/cell.sh through
# scripts/qemu-run: enables Warden, runs inmates/demos/bench.c in the "bench"
# cell until it powers itself off, then times a CPU-bound root workload.
# Prints "BENCH ..." lines on the console for bench/cell_parse.py; the cell's
# own results go to UART1.
#
#   sh cell-guest.sh "<bench command line>" <root busy seconds> [<root config>]
C=/etc/warden
I=/usr/share/warden/inmates
S=/sys/devices/warden
args=$1
busy=${2:-1}
root=${3:-qemu-arm64}

fail() { echo "BENCH error $*"; exit 1; }

# Everything the root does here runs on CPU 0; the workload gets CPU 1.
taskset -p -c 0 $$ >/dev/null 2>&1

modprobe warden || fail "modprobe warden"
warden enable $C/$root.cell || fail "warden enable"
warden cell create $C/qemu-bench.cell || fail "cell create"
warden cell load bench $I/bench.bin -s "console=uart exit=off $args" -a 0x1000 ||
	fail "cell load"
warden cell start bench || fail "cell start"

# The inmate ends with PSCI SYSTEM_OFF: the cell is then "shut down".
waited=0
while [ "$(cat $S/cells/1/state)" != "shut down" ]; do
	sleep 1
	waited=$((waited + 1))
	[ $waited -lt 900 ] || fail "the bench cell did not finish within 900 s"
done
for s in total mmio hypercall virt_irq maintenance management; do
	echo "BENCH cell_stat $s $(cat $S/cells/1/statistics/vmexits_$s)"
done
warden cell destroy bench || fail "cell destroy"

# A CPU-bound user workload on root CPU 1 for $busy s: the exits that CPU
# takes meanwhile (the root keeps its timer tick, so some are expected).
st=$S/cells/0/statistics/cpu1/vmexits_total
irq=$S/cells/0/statistics/cpu1/vmexits_virt_irq
taskset -c 1 sh -c 'while :; do :; done' &
busy_pid=$!
sleep 0.2
e0=$(cat $st); i0=$(cat $irq); u0=$(cut -d' ' -f1 /proc/uptime)
sleep "$busy"
e1=$(cat $st); i1=$(cat $irq); u1=$(cut -d' ' -f1 /proc/uptime)
kill $busy_pid
wait $busy_pid 2>/dev/null
echo "BENCH root_busy exits=$((e1 - e0)) virq_exits=$((i1 - i0)) uptime0=$u0 uptime1=$u1"

warden disable || fail "warden disable"
echo "BENCH finished"
