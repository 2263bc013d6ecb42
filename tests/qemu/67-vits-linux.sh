#!/usr/bin/env bash
# A Linux cell with MSIs (issue 17, "MSIs for cells"): ivshmem-net between the
# root and a Linux cell on the board with the GICv3 ITS, one guest per kernel
# series. The root runs qemu-arm64-its; the cell is qemu-linux-vits
# (qemu-linux-demo with the MSI-X table on its ivshmem-net device), so it has
# a virtual ITS, "warden cell linux" describes it (msi-controller, msi-map)
# and the cell's Linux probes it, enables LPIs on both CPUs and gives
# ivshmem-net an MSI-X vector: the root's doorbells reach the cell as
# virtual LPIs through vits_deliver. Then what 89-ivshmem-net checks: the
# handshake, ping both ways, 4 MiB with its SHA-256, the link down and up,
# destroy. The vITS refuses none of Linux's commands; the root's own MSIs
# (virtio-rng, physical ITS) keep arriving.
. "$(dirname "$0")/lib.sh"

kernels=${WARDEN_TEST_KERNELS:-"6.1 6.12"}
for series in $kernels; do
	wt_ivnet_prepare "$series" || continue
	# Destroying the cell scrubs its 128 MiB while the root's CPUs wait
	# (README, "Linux in a cell": known limits; 20-30 s on a loaded
	# host): RCU's stall and the soft lockup detectors would report that
	# pause, which is not what this test is about.
	qemu_test vits-linux --kernels "$series" --timeout 900 --its --qemu-arg -device --qemu-arg virtio-rng-pci \
		--append "iomem=relaxed rcupdate.rcu_cpu_stall_suppress=1 nosoftlockup" \
		--uart1 "$WT_LOGS/vits-linux-cell-$series.log" \
		--add "$WT_TOP/.cache/linux-$series/vmlinuz:/root/Image" \
		--add "$WT_IVNET/cell-initramfs-$series.gz:/root/cell-initramfs.gz" \
		--add "$WT_IVNET/ivnet-xfer:/usr/bin/ivnet-xfer" <<'EOF'
root_cell=/etc/warden/qemu-arm64-its.cell
cell=/etc/warden/qemu-linux-vits.cell
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

rng_read() { timeout 30 dd if=/dev/hwrng of=/tmp/rng bs=64 count=20 2>/dev/null && [ "$(wc -c </tmp/rng)" -eq 1280 ]; }
t_check "virtio-rng on virtio-pci (MSI-X through the physical ITS)" sh -c "modprobe virtio_pci && modprobe virtio_rng && test -c /dev/hwrng"
t_check "modprobe warden" modprobe warden || exit 1
t_check "modprobe ivshmem-net" modprobe ivshmem-net || exit 1
t_check "warden enable $root_cell" warden enable $root_cell || exit 1
eth=$(ls $dev/net 2>/dev/null)
t_match "the root's end of the link is an interface" '^eth[0-9]+$' "$eth" || exit 1
t_check "ip link set $eth up" ip link set $eth up
t_check "fe80::1 on $eth" ip -6 addr add fe80::1/64 dev $eth
t_eq "the root waits in INIT" "$(devmem $state0 32)" 0x00000001

t_check "warden cell linux qemu-linux-vits" warden cell linux $cell /root/Image \
	-i /root/cell-initramfs.gz -c "console=ttyAMA0 cma=0" || exit 1
t_match "the cell has a vITS" "vITS cell 'linux-demo': at 0x8080000, 1 devices, 2 collections" "$(warden console)"
t_check "the link comes up (carrier within 240 s)" wait_for 240 carrier carrier 1 || exit 1
t_eq "the root is in RUN" "$(devmem $state0 32)" 0x00000003
t_eq "the cell is in RUN" "$(devmem $state1 32)" 0x00000003
t_check "fe80::1 is usable (DAD done)" wait_for 20 DAD no_tentative
t_match "the root's doorbells reach the cell as MSI-X through its vITS" \
	"vITS cell 'linux-demo': first MSI of 00:01.0: event 0 -> LPI [0-9]+ on CPU [23]" "$(warden console)"
t_check "Linux's ITS commands: none refused or skipped" sh -c "! warden console | grep -q \"vITS cell 'linux-demo'.*skipped\""
t_check "the root's MSIs still arrive" rng_read

out=$(ping -c 3 -W 5 -I $eth fe80::2 2>&1)
t_check "ping fe80::2 (the cell) over ivshmem-net" test $? -eq 0
t_log "$(echo "$out" | tail -2)"
t_match "3 replies" '3 packets transmitted, 3 (packets )?received' "$out"
# Larger than an MTU: fragments in both directions.
t_check "ping with 30000-byte packets" ping -c 2 -W 5 -s 30000 -I $eth fe80::2

t_check "4 MiB of random data" dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
sum=$(sha256sum /tmp/data | cut -d' ' -f1)
out=$(ivnet-xfer send fe80::2 $eth 5000 /tmp/data 2>&1)
t_check "ivnet-xfer: 4 MiB to the cell" test $? -eq 0
t_log "$out"
t_match "the cell received every byte with the same SHA-256" "peer got: 4194304 $sum\$" "$out"

# The root's side goes down and up: both ends reset and come back.
t_check "ip link set $eth down" ip link set $eth down
# Down is RESET; the handshake then runs again and leaves the root READY.
t_check "down: operstate down" wait_for 10 down sh -c "[ \$(cat /sys/class/net/$eth/operstate) = down ]"
t_check "down: the root's end redoes the handshake and waits in READY" \
	wait_for 30 READY sh -c "[ \$(devmem $state0 32) = 0x00000002 ]"
t_check "ip link set $eth up again" ip link set $eth up
t_check "the link comes back" wait_for 60 carrier carrier 1
t_check "ping after the link came back" wait_for 20 ping ping -c 1 -W 3 -I $eth fe80::2
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
