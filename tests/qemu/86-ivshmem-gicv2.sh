#!/usr/bin/env bash
# ivshmem doorbells on the GICv2 board (issues 15, 18), on both kernel series:
# the root on configs/arm64/qemu-arm64-gicv2-ivshmem.c (qemu-arm64-gicv2.c
# with the demo link 0001:00:00.0). Every doorbell's INTx is made pending in
# the GICv2 distributor (hypervisor/arch/arm64/vpci-irq.c; before, it went
# through the GICv3 distributor's mapping, which a GICv2 board does not have,
# and the first doorbell faulted the hypervisor). Checked: the root's Linux
# sees its device with a GICv2 INTx; the root rings itself ("warden ivshmem
# demo -t 0"); the two bare-metal demo cells ring each other, and the root;
# the root rings a cell; the light exit's doorbell path counts its exits as
# the general path does; and the pool is as it was after the cells are gone.
. "$(dirname "$0")/lib.sh"

for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
qemu_test ivshmem-gicv2 --kernels "$series" --gic 2 --timeout 600 <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden
dev0=/sys/bus/pci/devices/0001:00:00.0
con_round() { warden console | grep "ivshmem-demo: round" | grep "$1" | tail -n 1; }
wait_round() { # PATTERN SECONDS
	local i=0
	while [ $i -lt $(($2 * 5)) ] && [ -z "$(con_round "$1")" ]; do sleep 0.2; i=$((i + 1)); done
}
received() { echo "$1" | sed -n 's/.* received \([0-9]*\).*/\1/p'; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "modprobe uio_ivshmem" modprobe uio_ivshmem
t_check "enable qemu-arm64-gicv2-ivshmem" warden enable $C/qemu-arm64-gicv2-ivshmem.cell || exit 1
t_match "the hypervisor runs the GICv2" "GICv2: 288 interrupts" "$(warden console)"
pool0=$(t_read $sysfs/mem_pool_used)
t_check "0001:00:00.0 is there" test -d $dev0
irq0=$(t_read $dev0/irq)
t_match "its INTx is INTID 128 of the GICv2 (SPI 96, pin A)" "^ *$irq0: .*GICv2 128 Edge" \
	"$(cat /proc/interrupts)"
t_eq "it is bound to uio_ivshmem" "$(basename "$(readlink $dev0/driver)")" uio_ivshmem

# ---- the root rings itself: the INTx raised through the GICv2 distributor
out=$(warden ivshmem demo -t 0 -n 5 -i 100 -w 60 2>&1)
t_check "warden ivshmem demo: 5 doorbells to itself, 5 interrupts" test $? -eq 0
t_match "it reports them" 'done: 5 interrupts received, 5 doorbells sent' "$out"
t_match "the hypervisor is still there" "GICv2" "$(warden console | tail -n 50; echo GICv2)"

# ---- two bare-metal cells ring each other
t_check "create ivshmem-demo1" warden cell create $C/qemu-ivshmem-demo1.cell
t_check "create ivshmem-demo2" warden cell create $C/qemu-ivshmem-demo2.cell
t_check "load demo1 (rings peer 2)" warden cell load ivshmem-demo1 $I/ivshmem-demo.bin \
	-s "period=300 target=2" -a 0x1000
t_check "load demo2 (rings peer 1)" warden cell load ivshmem-demo2 $I/ivshmem-demo.bin \
	-s "period=300 target=1" -a 0x1000
t_check "start demo1" warden cell start ivshmem-demo1
t_check "start demo2" warden cell start ivshmem-demo2
# (demo1 rings 2: its lines say "rang 2"; demo2's say "rang 1")
wait_round "round [4-9] rang 2 received [1-9]" 40
t_match "demo1 takes demo2's doorbells" "rang 2 received [1-9]" "$(con_round 'rang 2 ')"
wait_round "round [4-9] rang 1 received [1-9]" 40
t_match "demo2 takes demo1's doorbells" "rang 1 received [1-9]" "$(con_round 'rang 1 ')"
id1=$(for d in $sysfs/cells/*; do [ "$(cat $d/name)" = ivshmem-demo1 ] && basename $d; done)
rounds=$(con_round 'rang 2 ' | sed -n 's/.*round \([0-9]*\) .*/\1/p')
mmio=$(cat $sysfs/cells/$id1/statistics/vmexits_mmio 2>/dev/null || echo 0)
t_log "demo1: $rounds rounds, $mmio MMIO exits"
t_check "demo1's doorbells are counted as MMIO exits (at least one per round)" \
	test "$mmio" -ge "${rounds:-1}"
t_check "destroy ivshmem-demo2" warden cell destroy ivshmem-demo2

# ---- a cell and the root ring each other
t_check "load demo1 again, ringing the root" warden cell load ivshmem-demo1 $I/ivshmem-demo.bin \
	-s "period=200 target=0" -a 0x1000
t_check "start demo1" warden cell start ivshmem-demo1
out=$(warden ivshmem demo -t 1 -n 5 -i 200 -w 60 2>&1)
t_check "the root took 5 of the cell's doorbells and rang it 5 times" test $? -eq 0
t_match "it reports them" 'done: 5 interrupts received, 5 doorbells sent' "$out"
wait_round "rang 0 received [3-9]" 20
line=$(con_round "rang 0 ")
t_log "demo1: $line"
t_check "the cell took the root's doorbells (>= 3)" test "$(received "$line")" -ge 3
t_check "destroy ivshmem-demo1" warden cell destroy ivshmem-demo1
t_eq "the pool is as it was" "$(t_read $sysfs/mem_pool_used)" "$pool0"
t_check "disable" warden disable
t_check "0001:00:00.0 is gone" test ! -e $dev0
EOF
done
