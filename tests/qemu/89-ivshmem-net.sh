#!/usr/bin/env bash
# ivshmem-net between the root and a Linux cell, one guest per kernel series
# (the cell runs the same kernel as the root): the root loads ivshmem-net.ko
# for its end of the network link (qemu-arm64.cell, 00:01.0), boots
# qemu-linux-demo with "warden cell linux" and an initramfs that loads the
# same module (tests/qemu/ivshmem/net-cell-init); then, over IPv6 link-local
# addresses: the handshake reaches RUN on both ends, ping both ways... from
# the root, a 4 MiB transfer whose SHA-256 the cell computes, the link going
# down and up on the root's side, and the cell destroyed: the root's end
# falls back to waiting (INIT) and loses its carrier, then disable.
. "$(dirname "$0")/lib.sh"

kernels=${WARDEN_TEST_KERNELS:-"6.1 6.12"}
for series in $kernels; do
	wt_ivnet_prepare "$series" || continue
	# RCU's stall and soft lockup reports stay on: destroy scrubs the
	# cell's 128 MiB before it holds the root's CPUs (README, "Destroy
	# without the long root pause"), so the root no longer stops for it.
	qemu_test ivshmem-net --kernels "$series" --timeout 900 \
		--append "iomem=relaxed" \
		--uart1 "$WT_LOGS/ivshmem-net-cell-$series.log" \
		--add "$WT_TOP/.cache/linux-$series/vmlinuz:/root/Image" \
		--add "$WT_IVNET/cell-initramfs-$series.gz:/root/cell-initramfs.gz" \
		--add "$WT_IVNET/ivnet-xfer:/usr/bin/ivnet-xfer" <<'EOF'
root_cell=/etc/warden/qemu-arm64.cell
cell=/etc/warden/qemu-linux-demo.cell
dev=/sys/bus/pci/devices/0001:00:01.0
state0=0x7fb00000	# state table entry of peer 0 (the root)
state1=0x7fb00004	# peer 1 (the cell)

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
carrier() { [ "$(cat /sys/class/net/$eth/carrier 2>/dev/null)" = "$1" ]; }
no_tentative() { ! ip -6 addr show dev $eth | grep -q tentative; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "modprobe ivshmem-net" modprobe ivshmem-net || exit 1
t_check "warden enable $root_cell" warden enable $root_cell || exit 1
eth=$(ls $dev/net 2>/dev/null)
t_match "the root's end of the link is an interface" '^eth[0-9]+$' "$eth" || exit 1
t_check "ip link set $eth up" ip link set $eth up
t_check "fe80::1 on $eth" ip -6 addr add fe80::1/64 dev $eth
t_eq "the root waits in INIT" "$(devmem $state0 32)" 0x00000001
t_eq "default MTU: the largest the data area allows" "$(cat /sys/class/net/$eth/mtu)" 65535
# Both ends verify every checksum in software (the cell through
# ivnet_rxcsum=off, net-cell-init), as Jailhouse's receiver does: a wrong
# checksum from the sender's copy-and-sum loses the segment and the
# transfers below stall.
t_check "rx checksumming off on the root's end" ivnet-xfer rxcsum $eth off

t_check "warden cell linux qemu-linux-demo" warden cell linux $cell /root/Image \
	-i /root/cell-initramfs.gz -c "console=ttyAMA0 cma=0 ivnet_rxcsum=off" || exit 1
t_check "the link comes up (carrier within 240 s)" wait_for 240 carrier carrier 1 || exit 1
t_eq "the root is in RUN" "$(devmem $state0 32)" 0x00000003
t_eq "the cell is in RUN" "$(devmem $state1 32)" 0x00000003
t_check "fe80::1 is usable (DAD done)" wait_for 20 DAD no_tentative

out=$(ping -c 3 -W 5 -I $eth fe80::2 2>&1)
t_check "ping fe80::2 (the cell) over ivshmem-net" test $? -eq 0
t_log "$(echo "$out" | tail -2)"
t_match "3 replies" '3 packets transmitted, 3 (packets )?received' "$out"
t_check "ping with 30000-byte packets" ping -c 2 -W 5 -s 30000 -I $eth fe80::2
# Larger than the MTU (65535): fragments in both directions.
t_check "ping with 65500-byte packets (fragmented)" ping -c 2 -W 5 -s 65500 -I $eth fe80::2

t_check "4 MiB of random data" dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
sum=$(sha256sum /tmp/data | cut -d' ' -f1)
out=$(ivnet-xfer send fe80::2 $eth 5000 /tmp/data 2>&1)
t_check "ivnet-xfer: 4 MiB to the cell" test $? -eq 0
t_log "$out"
t_match "the cell received every byte with the same SHA-256" "peer got: 4194304 $sum\$" "$out"
t_eq "no TCP checksum errors at the root" \
	"$(awk '/^Tcp:/ { if (n++) print $NF }' /proc/net/snmp)" 0

# The root's side goes down and up: both ends reset and come back.
t_check "ip link set $eth down" ip link set $eth down
# Down is RESET; the handshake then runs again and leaves the root READY.
t_check "down: operstate down" wait_for 10 down sh -c "[ \$(cat /sys/class/net/$eth/operstate) = down ]"
t_check "down: the root's end redoes the handshake and waits in READY" \
	wait_for 30 READY sh -c "[ \$(devmem $state0 32) = 0x00000002 ]"
# Back with Jailhouse's default MTU on this end while the cell keeps 65535:
# MTUs are not negotiated, and frames larger than the receiver's MTU
# (the cell's 30000-byte echo replies) must still arrive.
t_check "MTU 16384 (Jailhouse's default) while down" ip link set $eth mtu 16384
t_check "ip link set $eth up again" ip link set $eth up
t_check "the link comes back" wait_for 60 carrier carrier 1
t_check "ping after the link came back" wait_for 20 ping ping -c 1 -W 3 -I $eth fe80::2
t_check "ping with 30000-byte packets, MTUs 16384 here and 65535 there" \
	ping -c 2 -W 5 -s 30000 -I $eth fe80::2
out=$(ivnet-xfer send fe80::2 $eth 5000 /tmp/data 2>&1)
t_match "the 4 MiB again, same SHA-256" "peer got: 4194304 $sum\$" "$out"

# The cell goes away: its state reads 0, the root loses its carrier and
# waits for a new peer.
t_check "warden cell destroy linux-demo" warden cell destroy linux-demo
t_eq "the cell's state is 0" "$(devmem $state1 32)" 0x00000000
t_check "the root loses its carrier" wait_for 20 carrier carrier 0
t_check "the root waits in INIT again" wait_for 20 INIT sh -c "[ \$(devmem $state0 32) = 0x00000001 ]"
t_check "warden disable" warden disable
t_check "the interface is gone" test ! -e /sys/class/net/$eth
EOF
done
qemu_done
