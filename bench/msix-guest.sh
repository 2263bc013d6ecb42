#!/bin/sh
# Runs inside the QEMU guest (root Linux on the board with the GICv3 ITS),
# started by bench/msix.sh: the cell -> root doorbell latency on the demo
# link twice in one boot, the root's uio_ivshmem device first with INTx (root
# configuration qemu-arm64-its, an SPI through the distributor) and then with
# MSI-X (qemu-arm64-its-msix, a virtual LPI the hypervisor injects,
# arch/arm64/gicv3-its-virtdev.c). The sender is inmates/demos/ivshmem-bench
# in qemu-ivshmem-demo1, the receiver bench/guest/ivshmem-root (uio_ivshmem's
# irq_counter: Linux's IRQ entry path included).
#
#   sh msix-guest.sh <count> <gap us>
C=/etc/warden
I=/usr/share/warden/inmates
S=/sys/devices/warden
count=${1:-200}
gap=${2:-2000}

fail() { echo "BENCH error $*"; exit 1; }
cell_id() { for d in $S/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }

modprobe warden || fail "modprobe warden"
modprobe uio_ivshmem || fail "modprobe uio_ivshmem"
for mode in intx msix; do
	case $mode in
	intx) root=qemu-arm64-its; dev=0001:00:00.0 ;;
	msix) root=qemu-arm64-its-msix; dev=0001:ff:00.0 ;;
	esac
	warden enable $C/$root.cell || fail "warden enable $root"
	uio=$(ls /sys/bus/pci/devices/$dev/uio 2>/dev/null)
	[ -n "$uio" ] || fail "$dev has no /dev/uioN"
	if [ $mode = msix ] && [ ! -d /sys/bus/pci/devices/$dev/msi_irqs ]; then
		fail "$dev does not use MSI-X"
	fi
	warden cell create $C/qemu-ivshmem-demo1.cell || fail "create demo1 ($mode)"
	warden cell load ivshmem-demo1 $I/ivshmem-bench.bin -s "role=send peer=0 count=$count gap=$gap exit=off" -a 0x1000 ||
		fail "load the cell's sender"
	warden cell start ivshmem-demo1 || fail "start the cell's sender"
	ivshmem-root recv -d /dev/$uio -p 1 -n $count | sed "s/^/BENCH $mode cell-to-root /" || fail "root receiver"
	id=$(cell_id ivshmem-demo1)
	waited=0
	while [ "$(cat $S/cells/$id/state)" != "shut down" ]; do
		sleep 1
		waited=$((waited + 1))
		[ $waited -lt 900 ] || fail "ivshmem-demo1 did not finish within 900 s"
	done
	warden cell destroy ivshmem-demo1
	warden disable || fail "warden disable ($mode)"
done
echo "BENCH done"
