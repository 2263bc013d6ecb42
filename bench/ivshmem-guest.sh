#!/bin/sh
# Runs inside the QEMU guest (root Linux), started by bench/ivshmem.sh:
# ivshmem-bench in qemu-ivshmem-demo2 (receiver, peer 2) and demo1 (sender,
# peer 1) on the demo link, until the receiver has its samples. Its lines
# reach the hypervisor console, printed here as "BENCH ..." lines. Then the
# root (peer 0, bench/guest/ivshmem-root over uio_ivshmem) and ivshmem-demo1
# both ways: "BENCH root-to-cell ..." (the cell's figure) and "BENCH
# cell-to-root ..." (the root's). First of all, before Warden is enabled,
# Linux's own share of the cell -> root figure on the same board and kernel,
# bare: bench/kmod's irq_entry_bench.ko (an SPI made pending for an idle CPU
# to its handler's entry), "BENCH linux-irq-entry ..." lines.
#
#   sh ivshmem-guest.sh <count> <gap us> [<GIC version: 3 or 2>]
C=/etc/warden
I=/usr/share/warden/inmates
S=/sys/devices/warden
count=${1:-200}
gap=${2:-2000}
root=qemu-arm64
[ "${3:-3}" = 3 ] || root=qemu-arm64-gicv2-ivshmem

fail() { echo "BENCH error $*"; exit 1; }

# Kernel messages off the serial console meanwhile (each line is written
# with interrupts masked, which delays the measured SPI by the line: seen on
# 6.12 just after boot), and a second for the boot's own work to settle.
level=$(cut -f1 /proc/sys/kernel/printk)
dmesg -n 1
sleep 1
dmesg -c >/dev/null
insmod /root/irq_entry_bench.ko count=$count gap=$gap || fail "irq_entry_bench (bare)"
rmmod irq_entry_bench
dmesg -n "$level"
dmesg | grep "irq-entry-bench: \(latency\|samples\)" | sed 's/^.*irq-entry-bench:/BENCH linux-irq-entry irq-entry-bench:/'
modprobe warden || fail "modprobe warden"
warden enable $C/$root.cell || fail "warden enable"
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

# Root <-> cell over the same link: the root (peer 0) through uio_ivshmem and
# bench/guest/ivshmem-root, the cell ivshmem-demo1 (peer 1).
cell_id() { for d in $S/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }
wait_shut_down() {
	local id waited=0
	id=$(cell_id ivshmem-demo1)
	while [ "$(cat $S/cells/$id/state)" != "shut down" ]; do
		sleep 1
		waited=$((waited + 1))
		[ $waited -lt 900 ] || fail "ivshmem-demo1 did not finish within 900 s"
	done
}
modprobe uio_ivshmem || fail "modprobe uio_ivshmem"
uio=$(ls /sys/bus/pci/devices/0001:00:00.0/uio 2>/dev/null)
[ -n "$uio" ] || fail "the demo link 0001:00:00.0 has no /dev/uioN"
# root -> cell: the cell measures, on entry to its IRQ vector. The sender on
# CPU 1, which QEMU's round robin runs just before demo1's CPU 2 (as demo1
# on 2 before demo2 on 3 above): no other CPU's slice in between.
seen=$(warden console | wc -l)
warden cell create $C/qemu-ivshmem-demo1.cell || fail "create demo1 (root -> cell)"
warden cell load ivshmem-demo1 $I/ivshmem-bench.bin -s "role=recv peer=0 count=$count exit=off" -a 0x1000 ||
	fail "load the cell's receiver"
warden cell start ivshmem-demo1 || fail "start the cell's receiver"
ivshmem-root send -d /dev/$uio -p 1 -n $count -g $gap -c 1 || fail "root sender"
wait_shut_down
warden console | tail -n +$((seen + 1)) | grep "ivshmem-bench: latency\|ivshmem-bench: samples" |
	sed 's/^/BENCH root-to-cell /'
warden cell destroy ivshmem-demo1
# cell -> root: the root measures, on entry to uio_ivshmem's handler.
warden cell create $C/qemu-ivshmem-demo1.cell || fail "create demo1 (cell -> root)"
warden cell load ivshmem-demo1 $I/ivshmem-bench.bin -s "role=send peer=0 count=$count gap=$gap exit=off" -a 0x1000 ||
	fail "load the cell's sender"
warden cell start ivshmem-demo1 || fail "start the cell's sender"
ivshmem-root recv -d /dev/$uio -p 1 -n $count | sed 's/^/BENCH cell-to-root /' || fail "root receiver"
wait_shut_down
warden cell destroy ivshmem-demo1
warden disable
echo "BENCH done"
