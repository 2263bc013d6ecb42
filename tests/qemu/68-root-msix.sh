#!/usr/bin/env bash
# MSI-X for the root's ivshmem devices on the board with the GICv3 ITS
# (issue 15, "MSI-X where a cell has MSIs"), one guest per kernel series.
# The root runs qemu-arm64-its-msix (its ivshmem devices have an MSI-X
# table): warden.ko registers the virtual host at bus 0xff with the ITS's
# MSI domain, Linux's ITS driver maps the vectors with ordinary commands,
# the hypervisor interprets those for the virtual device ids (never the
# physical ITS) and turns a doorbell aimed at the root into the mapped LPI.
#   - both devices enumerate at 0001:ff:xx.0 and their interrupts are ITS
#     MSIs in /proc/interrupts (no INTx SPI is taken);
#   - doorbells to itself (warden ivshmem demo) arrive as MSI-X interrupts,
#     counted per vector; none of Linux's ITS commands is refused; the
#     root's physical MSIs (virtio-rng through the ITS) keep arriving; a
#     vector whose address is not the ITS's translater raises nothing;
#   - a bare-metal cell (ivshmem-demo inmate) and the root ring each other;
#   - ivshmem-net root <-> a Linux cell (qemu-linux-vits, MSI-X through its
#     vITS): ping both ways and 1 MiB with its checksum, the root's side on
#     MSI-X;
#   - disable removes everything; enable/disable cycles leave the pool and
#     Linux's interrupts as they were, and the vectors work again after.
. "$(dirname "$0")/lib.sh"

helpers=$WT_OUT/tests/ivshmem
src=$WT_TOP/tests/qemu/ivshmem
mkdir -p "$helpers"
aarch64-linux-gnu-gcc -O2 -Wall -static -o "$helpers/jh-ivshmem-demo" "$src/jh-ivshmem-demo.c" &&
aarch64-linux-gnu-gcc -O2 -Wall -static -o "$helpers/ivnet-xfer" "$src/ivnet-xfer.c" ||
	{ echo "not ok - 68-root-msix: cannot build the fixtures"; exit 1; }

cell_initramfs() {	# SERIES: busybox, the net cell's init, the module, ivnet-xfer
	local series=$1 stage out=$helpers/cell-initramfs-$1.gz
	stage=$(mktemp -d)
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp}
	cp "$WT_TOP/.cache/busybox" "$stage/bin/busybox"
	cp "$src/net-cell-init" "$stage/init"
	cp "$WT_OUT/$series/ivshmem/ivshmem-net.ko" "$stage/ivshmem-net.ko" || return 1
	cp "$helpers/ivnet-xfer" "$stage/ivnet-xfer"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
	rm -rf "$stage"
}

kernels=${WARDEN_TEST_KERNELS:-"6.1 6.12"}
for series in $kernels; do
	if ! cell_initramfs "$series"; then
		echo "not ok - [$series] root-msix: $series/ivshmem/ivshmem-net.ko not built"
		WT_FAILED=1
		continue
	fi
	# The Linux cell's destroy scrubs 128 MiB while the root waits (see
	# 67-vits-linux.sh): no RCU stall or soft lockup reports for it.
	qemu_test root-msix --kernels "$series" --timeout 900 --its \
		--qemu-arg -device --qemu-arg virtio-rng-pci \
		--append "iomem=relaxed rcupdate.rcu_cpu_stall_suppress=1 nosoftlockup" \
		--uart1 "$WT_LOGS/root-msix-cell-$series.log" \
		--add "$WT_TOP/.cache/linux-$series/vmlinuz:/root/Image" \
		--add "$helpers/cell-initramfs-$series.gz:/root/cell-initramfs.gz" \
		--add "$helpers/ivnet-xfer:/usr/bin/ivnet-xfer" \
		--add "$helpers/jh-ivshmem-demo:/root/jh-ivshmem-demo" <<'EOF'
sysfs=/sys/devices/warden
root_cell=/etc/warden/qemu-arm64-its-msix.cell
dev0=/sys/bus/pci/devices/0001:ff:00.0
dev1=/sys/bus/pci/devices/0001:ff:01.0
state0=0x7fb00000	# network link: state of peer 0 (the root)
state1=0x7fb00004	# peer 1 (the Linux cell)

wait_for() {	# SECONDS DESCRIPTION COMMAND...: poll once a second
	local n=$1 what=$2
	shift 2
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 1
		n=$((n - 1))
	done
	t_log "gave up waiting for $what"
	return 1
}
irq_count() {	# IRQ: its count over all CPUs
	awk -v i="$1:" '$1 == i { s = 0; for (c = 2; c <= 5; c++) s += $c; print s }' /proc/interrupts
}
msi_of() { ls "$1/msi_irqs" 2>/dev/null | head -n 1; }
rng_read() { timeout 30 dd if=/dev/hwrng of=/tmp/rng bs=64 count=20 2>/dev/null && [ "$(wc -c </tmp/rng)" -eq 1280 ]; }
no_refusal() { ! warden console | grep -q "root command .* refused"; }
carrier() { [ "$(cat /sys/class/net/$eth/carrier 2>/dev/null)" = "$1" ]; }

t_check "virtio-rng on virtio-pci (MSI-X through the physical ITS)" sh -c "modprobe virtio_pci && modprobe virtio_rng && test -c /dev/hwrng"
t_check "modprobe warden" modprobe warden || exit 1
t_check "modprobe uio_ivshmem" modprobe uio_ivshmem
t_check "modprobe ivshmem-net" modprobe ivshmem-net
t_dmesg_mark
t_check "warden enable $root_cell" warden enable $root_cell || exit 1
t_match "the host is at bus ff with MSI-X" 'virtual PCI: host bridge for domain 0001, bus ff, .*MSI-X through the ITS' "$(t_dmesg_since)"

# ---- enumeration and interrupts
t_check "0001:ff:00.0 is there" test -d $dev0 || exit 1
t_check "0001:ff:01.0 is there" test -d $dev1
t_eq "00.0 is bound to uio_ivshmem" "$(basename "$(readlink $dev0/driver)")" uio_ivshmem
t_eq "01.0 is bound to ivshmem-net" "$(basename "$(readlink $dev1/driver)")" ivshmem-net
irq0=$(msi_of $dev0); irq1=$(msi_of $dev1)
t_match "00.0 has an MSI-X vector" '^[0-9]+$' "$irq0"
t_match "01.0 has an MSI-X vector" '^[0-9]+$' "$irq1"
t_log "$(grep -E "^ *($irq0|$irq1):" /proc/interrupts)"
t_match "00.0's vector is an ITS MSI" "^ *$irq0: .*ITS-(MSI|PCI-MSIX)" "$(cat /proc/interrupts)"
t_match "01.0's vector is an ITS MSI" "^ *$irq1: .*ITS-(MSI|PCI-MSIX)" "$(cat /proc/interrupts)"
t_check "no INTx SPI (INTID 128/129) taken" sh -c '! grep -q "GICv3 12[89] " /proc/interrupts'
t_match "uio_ivshmem says MSI-X" 'uio_ivshmem 0001:ff:00.0: peer 0 of 3, .*MSI-X' "$(t_dmesg_since)"
t_check "no root ITS command refused (the virtual devices' mapped)" no_refusal

# ---- doorbells to itself: vector 0 of 00.0
before=$(irq_count $irq0)
out=$(warden ivshmem demo -t 0 -n 5 -i 100 -w 60 2>&1)
t_check "warden ivshmem demo: 5 doorbells to itself, 5 interrupts" test $? -eq 0
t_match "it reports them" 'done: 5 interrupts received, 5 doorbells sent' "$out"
after=$(irq_count $irq0)
t_eq "the MSI-X vector counted 5 interrupts" "$((after - before))" 5
t_match "the hypervisor delivered them as the vector's LPI" \
	"ITS: root ivshmem 00:00.0 \(device id 0xff00\): first MSI, event 0 -> LPI [0-9]+ on CPU [0-3]" "$(warden console)"
t_check "the root's physical MSIs still arrive" rng_read

# ---- the vector's address must be the ITS's GITS_TRANSLATER: anything else
# (here the ITS's control frame, written behind Linux's back) goes nowhere.
bar1=$(sed -n 2p $dev0/resource | cut -d' ' -f1)
lo=$(devmem $bar1 32)
t_eq "vector 0's address is the ITS's GITS_TRANSLATER (0x08090040)" "$lo" 0x08090040
devmem $bar1 32 0x08080040
before=$(irq_count $irq0)
warden ivshmem demo -t 0 -n 1 -i 100 -w 3 >/dev/null 2>&1
t_eq "a doorbell on a vector aimed elsewhere raises nothing" "$(( $(irq_count $irq0) - before ))" 0
devmem $bar1 32 $lo
t_check "the translater again: the doorbell arrives" sh -c "warden ivshmem demo -t 0 -n 1 -i 100 -w 20 >/dev/null 2>&1"

# ---- a bare-metal peer rings the root, the root rings it
t_check "create ivshmem-demo1" warden cell create /etc/warden/qemu-ivshmem-demo1.cell
t_check "load the ivshmem-demo inmate (target=0)" warden cell load ivshmem-demo1 \
	/usr/share/warden/inmates/ivshmem-demo.bin -s "period=300 target=0" -a 0x1000
t_check "start ivshmem-demo1" warden cell start ivshmem-demo1
before=$(irq_count $irq0)
/root/jh-ivshmem-demo -d /dev/uio0 -t 1 >/tmp/jh.out 2>&1 &
jh=$!
sleep 6
kill $jh; wait $jh 2>/dev/null
jhout=$(cat /tmp/jh.out)
t_log "$(echo "$jhout" | grep -c 'Interrupt #') interrupts on the root, vector count +$(( $(irq_count $irq0) - before ))"
t_match "the root took the cell's doorbells on MSI-X (Interrupt #3 or later)" '^Interrupt #([3-9]|[1-9][0-9]+)$' "$jhout"
t_check "the MSI-X vector counted them" test "$(( $(irq_count $irq0) - before ))" -ge 3
# Jailhouse's convention on MSI-X: ring vector ID + 1. The cell's device
# has INTx (one vector): that doorbell is dropped, as the spec says.
t_match "the Jailhouse-style demo saw MSI-X and rang vector 1" 'Sending interrupt 1 to peer 1' "$jhout"
received() { warden console | grep 'ivshmem-demo: round' | tail -n 1 | sed -n 's/.* received \([0-9]*\) .*/\1/p'; }
r0=$(received)
out=$(warden ivshmem demo -t 1 -n 5 -i 200 -w 30 2>&1)
t_check "warden ivshmem demo: 5 doorbells to the cell (vector 0), 5 of its interrupts on MSI-X" test $? -eq 0
sleep 1
r1=$(received)
t_log "the cell's count: ${r0:-?} -> ${r1:-?}"
t_check "the cell took the root's doorbells (>= 3 more interrupts)" test "$(( ${r1:-0} - ${r0:-0} ))" -ge 3
t_check "destroy ivshmem-demo1" warden cell destroy ivshmem-demo1

# ---- ivshmem-net root <-> Linux cell, the root's end on MSI-X
eth=$(ls $dev1/net 2>/dev/null)
t_match "the root's end of the link is an interface" '^eth[0-9]+$' "$eth"
t_check "ip link set $eth up" ip link set $eth up
t_check "fe80::1 on $eth" ip -6 addr add fe80::1/64 dev $eth
t_check "warden cell linux qemu-linux-vits" warden cell linux /etc/warden/qemu-linux-vits.cell /root/Image \
	-i /root/cell-initramfs.gz -c "console=ttyAMA0 cma=0"
if t_check "the link comes up (carrier within 240 s)" wait_for 240 carrier carrier 1; then
	before=$(irq_count $irq1)
	t_check "DAD done" wait_for 20 DAD sh -c "! ip -6 addr show dev $eth | grep -q tentative"
	out=$(ping -c 3 -W 5 -I $eth fe80::2 2>&1)
	t_check "ping fe80::2 (the cell) over ivshmem-net" test $? -eq 0
	t_log "$(echo "$out" | tail -2)"
	t_check "1 MiB of random data" dd if=/dev/urandom of=/tmp/data bs=1M count=1 2>/dev/null
	sum=$(sha256sum /tmp/data | cut -d' ' -f1)
	out=$(ivnet-xfer send fe80::2 $eth 5000 /tmp/data 2>&1)
	t_log "$out"
	t_match "the cell received every byte with the same SHA-256" "peer got: 1048576 $sum\$" "$out"
	t_check "the root's MSI-X vector of the net link counted the cell's doorbells" \
		test "$(( $(irq_count $irq1) - before ))" -gt 0
fi
t_check "warden cell destroy linux-demo" warden cell destroy linux-demo
t_check "no root ITS command refused" no_refusal

# ---- disable: devices, vectors and the host go
t_dmesg_mark
t_check "warden disable" warden disable
t_check "00.0 is gone" test ! -e $dev0
t_check "01.0 is gone" test ! -e $dev1
t_check "their vectors are gone" sh -c "! grep -qE '^ *($irq0|$irq1):' /proc/interrupts"
t_check "the root's physical MSIs still arrive after disable" rng_read

# ---- cycles: devices, MSI-X and the pool each time the same
first=
ok=1
for i in 1 2 3; do
	warden enable $root_cell || { ok=0; t_log "cycle $i: enable failed"; break; }
	used=$(t_read $sysfs/mem_pool_used)
	[ -n "$first" ] || first=$used
	[ "$used" = "$first" ] || { ok=0; t_log "cycle $i: mem_pool_used $used, first $first"; }
	v=$(msi_of $dev0)
	[ -n "$v" ] && [ -e /dev/uio0 ] || { ok=0; t_log "cycle $i: no MSI-X vector"; }
	if [ -n "$v" ]; then
		b=$(irq_count $v)
		warden ivshmem demo -t 0 -n 2 -i 100 -w 30 >/dev/null 2>&1 ||
			{ ok=0; t_log "cycle $i: the demo failed"; }
		[ "$(( $(irq_count $v) - b ))" = 2 ] || { ok=0; t_log "cycle $i: vector count +$(( $(irq_count $v) - b ))"; }
	fi
	warden disable || { ok=0; t_log "cycle $i: disable failed"; break; }
	[ ! -e $dev0 ] && [ ! -e $dev1 ] || { ok=0; t_log "cycle $i: devices left behind"; }
done
t_eq "3 enable/disable cycles: MSI-X doorbells work each time, pool usage constant, nothing left" "$ok" 1
t_check "the root's physical MSIs still arrive" rng_read
t_check "modprobe -r uio_ivshmem ivshmem-net warden" modprobe -r uio_ivshmem ivshmem-net warden
EOF
done
qemu_done
