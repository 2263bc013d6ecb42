#!/bin/sh
# Runs inside the QEMU guest (root Linux), started by bench/ivshmem.sh:
# ivshmem-bench in qemu-ivshmem-demo2 (receiver, peer 2) and demo1 (sender,
# peer 1) on the demo link, until the receiver has its samples. Its lines
# reach the hypervisor console, printed here as "BENCH ..." lines.
#
#   sh ivshmem-guest.sh <count> <gap us>
C=/etc/warden
I=/usr/share/warden/inmates
S=/sys/devices/warden
count=${1:-200}
gap=${2:-2000}

fail() { echo "BENCH error $*"; exit 1; }

modprobe warden || fail "modprobe warden"
warden enable $C/qemu-arm64.cell || fail "warden enable"
warden cell create $C/qemu-ivshmem-demo1.cell || fail "create demo1"
warden cell create $C/qemu-ivshmem-demo2.cell || fail "create demo2"
warden cell load ivshmem-demo2 $I/ivshmem-bench.bin -s "role=recv peer=1 count=$count exit=off" -a 0x1000 ||
	fail "load receiver"
warden cell load ivshmem-demo1 $I/ivshmem-bench.bin -s "role=send peer=2 count=$count gap=$gap exit=off" -a 0x1000 ||
	fail "load sender"
warden cell start ivshmem-demo2 || fail "start receiver"
warden cell start ivshmem-demo1 || fail "start sender"
waited=0
while [ "$(cat $S/cells/2/state)" != "shut down" ]; do
	sleep 1
	waited=$((waited + 1))
	[ $waited -lt 900 ] || fail "the receiver did not finish within 900 s"
done
warden console | grep "ivshmem-bench: latency\|ivshmem-bench: samples" | sed 's/^/BENCH /'
warden cell destroy ivshmem-demo1
warden cell destroy ivshmem-demo2
warden disable
echo "BENCH done"
