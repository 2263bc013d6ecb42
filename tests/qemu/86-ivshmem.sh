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
# The console is a ring: remember its last line, print what came after it
# (everything if that line has scrolled away).
mark_con() { warden console | tail -n 1 > /tmp/con.mark; }
since() {
	warden console | awk -v last="$(cat /tmp/con.mark)" \
		'{ l[NR] = $0 } $0 == last { m = NR } END { for (i = m + 1; i <= NR; i++) print l[i] }'
}
wait_for() { # PATTERN SECONDS: until the console since the mark has it
	local end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le $end ]; do
		since | grep -q -- "$1" && return 0
		sleep 0.2
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
# (The first letters of a line may mix with the hypervisor's own lines.)
wait_for "device 00:00.0 id 1 " 20
t_match "demo1 found its device: 00:00.0, id 1 of 3, INTx SPI 148" \
	"device 00:00.0 id 1 peers 3 protocol 0x0000 irq 148" "$(since)"
t_match "the vendor capability locates the sections" \
	"state table 0x7faf0000 rw 0x7faf1000 \(0x9000\) in 0x7fafa000 out 0x7fafc000 \(0x2000\)" "$(since)"
mark_con
t_check "start demo2" warden cell start ivshmem-demo2
wait_for "device 00:00.0 id 2 " 20
t_match "demo2 found its device: id 2, INTx SPI 152" \
	"device 00:00.0 id 2 peers 3 protocol 0x0000 irq 152" "$(since)"
wait_for "round 4 " 30
t_match "the state table says both cells are up (1+1, 2+1), the root 0" \
	"states 0 2 3" "$(since)"
t_match "doorbells arrive as interrupts" "ivshmem-demo: round [0-9]+ rang 0 [12] received [1-9]" "$(since)"
t_match "each reads the other's output section" "in 0 [0-9]+ [0-9]+" "$(since)"
t_match "sysfs: the root's demo link, all three peers up" \
	"^0001:00:00.0 peer 0 of 3 protocol 0x0000 states 0 2 3$" "$(cat $sysfs/cells/0/ivshmem)"
t_match "sysfs: the root's network link, peer 1 absent" \
	"^0001:00:01.0 peer 0 of 2 protocol 0x0001 states 0 -$" "$(cat $sysfs/cells/0/ivshmem)"
t_eq "sysfs: demo1's device" "$(cat $sysfs/cells/1/ivshmem)" \
	"0001:00:00.0 peer 1 of 3 protocol 0x0000 states 0 2 3"
t_match "cell list shows each cell's links" \
	"ivshmem-demo2 +running +3.*ivshmem 0001:00:00.0 peer 2 of 3 protocol 0x0000 states 0 2 3" \
	"$(warden cell list | tr '\n' ' ')"
t_match "cell stats shows them" "ivshmem 0001:00:00.0 peer 1 of 3 protocol 0x0000 states 0 2 3" \
	"$(warden cell stats ivshmem-demo1 --once)"

# ---- a peer shuts down, comes back, is destroyed and re-created
mark_con
t_check "shut demo2 down" warden cell shutdown ivshmem-demo2
wait_for "states 0 2 0 " 10
t_match "demo1 sees peer 2 at state 0 in the table" "round [0-9]+ rang 0 2 received [0-9]+ states 0 2 0 " "$(since)"
t_match "demo1 was interrupted for it" "terrupt [0-9]+, states 0 2 0" "$(since)"
t_eq "sysfs: a shut-down peer reads 0" "$(cat $sysfs/cells/1/ivshmem)" \
	"0001:00:00.0 peer 1 of 3 protocol 0x0000 states 0 2 0"
t_check "load demo2 again" warden cell load ivshmem-demo2 $I/ivshmem-demo.bin -s "period=300 write=77" -a 0x1000
mark_con
t_check "restart demo2" warden cell start ivshmem-demo2
wait_for "in 0 [0-9]* 77" 20
t_match "peer 2 is back (state 3)" "states 0 2 3" "$(since)"
t_match "demo1 reads demo2's new output" "in 0 [0-9]+ 77" "$(since)"
mark_con
t_check "destroy demo2" warden cell destroy ivshmem-demo2
wait_for "terrupt [0-9]*, states 0 2 0" 10
t_match "destroyed: demo1 interrupted, peer 2 reads 0" "terrupt [0-9]+, states 0 2 0" "$(since)"
t_eq "sysfs: a destroyed peer is absent" "$(cat $sysfs/cells/1/ivshmem)" \
	"0001:00:00.0 peer 1 of 3 protocol 0x0000 states 0 2 -"
t_check "re-create demo2" warden cell create $C/qemu-ivshmem-demo2.cell
t_check "load it" warden cell load ivshmem-demo2 $I/ivshmem-demo.bin -s "period=300" -a 0x1000
mark_con
t_check "start it" warden cell start ivshmem-demo2
wait_for "states 0 2 3" 20
t_match "the re-created peer joined the link" "states 0 2 3" "$(since)"
t_match "the states changed for demo1: an interrupt" "terrupt [0-9]+, states 0 2 3" "$(since)"
wait_for "round [0-9]* rang 0 1 received [1-9]" 10
t_match "the re-created peer gets demo1's doorbells" "round [0-9]+ rang 0 1 received [1-9]" "$(since)"

# ---- attacks from peer 2 (the attack inmate in demo2); demo1 quieter now
t_check "demo1: rounds every second, no line per interrupt" sh -c \
	"warden cell shutdown ivshmem-demo1 && warden cell load ivshmem-demo1 $I/ivshmem-demo.bin -s 'period=1000 quiet' -a 0x1000 && warden cell start ivshmem-demo1"
attack() { # MODE EXPECT-STATE PATTERN [ARGS]
	warden cell shutdown ivshmem-demo2 >/dev/null 2>&1
	warden cell load ivshmem-demo2 $I/attack-ivshmem.bin -s "mode=$1 $4" -a 0x1000 || return 1
	mark_con
	warden cell start ivshmem-demo2 || return 1
	wait_for "attack-ivshmem: $1 survived\|stopped (failed)" 60
	sleep 1
	t_eq "attack $1: demo2 is $2" "$(t_read $sysfs/cells/2/state)" "$2"
	t_match "attack $1: $3" "$3" "$(since)"
	t_eq "attack $1: demo1 still runs" "$(t_read $sysfs/cells/1/state)" running
	t_check "attack $1: the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
}
attack doorbell-flood running "50000 doorbells rung" "count=50000"
mark_con
wait_for "demo: round" 10
t_match "after the flood demo1 goes on with its rounds" "ivshmem-demo: round [0-9]+" "$(since)"
attack state-flood running "20000 state writes" "count=20000"
attack write-output failed "refused 4-byte write at 0x7fafc000.*cell stopped \(failed\)"
attack write-state failed "refused 4-byte write at 0x7faf0000.*cell stopped \(failed\)"
attack probe-config running "probe-config done: [0-9]+ all-ones reads, ECAM 0x8e00000, id 2, vendor/device 0x4106110a"
attack probe-wide failed "refused 8-byte read \(not permitted\) at 0x8e00000.*cell stopped \(failed\)"
attack probe-misaligned failed "refused 4-byte read \(misaligned\) at 0x8e00002.*cell stopped \(failed\)"
t_check "destroy the attacker" warden cell destroy ivshmem-demo2
t_check "destroy demo1" warden cell destroy ivshmem-demo1
t_eq "page pool back to the value after enable" "$(t_read $sysfs/mem_pool_used)" "$pool0"
t_eq "remap pool back too" "$(t_read $sysfs/remap_pool_used)" "$remap0"

# ---- a Jailhouse-style ivshmem inmate (fixture jh-ivshmem-demo) in both cells
t_check "create both cells again" sh -c "warden cell create $C/qemu-ivshmem-demo1.cell && warden cell create $C/qemu-ivshmem-demo2.cell"
t_check "load jh-ivshmem-demo into both" sh -c "warden cell load ivshmem-demo1 $I/jh-ivshmem-demo.bin -s period=300 -a 0x1000 && warden cell load ivshmem-demo2 $I/jh-ivshmem-demo.bin -s period=300 -a 0x1000"
mark_con
t_check "start demo1, then demo2" sh -c "warden cell start ivshmem-demo1 && sleep 0.5 && warden cell start ivshmem-demo2"
wait_for "IVSHMEM: got interrupt 0 (#3)" 30
out=$(since)
t_match "jh demo: found the device at 00:00.0" "IVSHMEM: Found device at 00:00.0" "$out"
t_match "jh demo: IDs 1 and 2 from the ID register" "IVSHMEM: ID is 1" "$out"
t_match "jh demo: ... 2" "IVSHMEM: ID is 2" "$out"
t_match "jh demo: max. peers 3" "IVSHMEM: max. peers is 3" "$out"
t_match "jh demo: the state table through the vendor capability" "IVSHMEM: state table is at 0x7faf0000" "$out"
t_match "jh demo: R/W section after it" "IVSHMEM: R/W section is at 0x7faf1000" "$out"
t_match "jh demo: input sections after that" "IVSHMEM: input sections start at 0x7fafa000" "$out"
t_match "jh demo: peer 2's output section" "IVSHMEM: output section is at 0x7fafe000" "$out"
t_match "jh demo: peer 1 rings peer 2" "IVSHMEM: sending IRQ 0 to peer 2" "$out"
t_match "jh demo: peer 2 counts the interrupts" "IVSHMEM: got interrupt 0 \(#3\)" "$out"
t_match "jh demo: the state table has both (ID + 1), the root 0" "state\[0\] = 0 state\[1\] = 2 state\[2\] = 3" "$out"
t_match "jh demo: peer 1 got the state change of peer 2 and wrote 10 into its output" \
	"in@0x2000 = 10 " "$out"
t_check "destroy both" sh -c "warden cell destroy ivshmem-demo1 && warden cell destroy ivshmem-demo2"
t_eq "page pool back once more" "$(t_read $sysfs/mem_pool_used)" "$pool0"

# ---- create/destroy cycles with the links present
ok=1
for i in 1 2 3 4 5 6 7 8; do
	warden cell create $C/qemu-ivshmem-demo1.cell >/dev/null &&
	warden cell create $C/qemu-ivshmem-demo2.cell >/dev/null &&
	warden cell load ivshmem-demo1 $I/ivshmem-demo.bin -s "period=50 quiet" -a 0x1000 >/dev/null &&
	warden cell load ivshmem-demo2 $I/ivshmem-demo.bin -s "period=50 quiet" -a 0x1000 >/dev/null &&
	warden cell start ivshmem-demo1 >/dev/null && warden cell start ivshmem-demo2 >/dev/null &&
	sleep 0.3 &&
	warden cell destroy ivshmem-demo1 >/dev/null && warden cell destroy ivshmem-demo2 >/dev/null || { ok=0; break; }
	[ "$(t_read $sysfs/mem_pool_used)" = "$pool0" ] || { ok=0; break; }
	[ "$(t_read $sysfs/remap_pool_used)" = "$remap0" ] || { ok=0; break; }
done
t_eq "8 create/start/destroy cycles of both peers, pools exact each time" "$ok/$i" "1/8"
t_check "disable" warden disable
t_check "enable again (the root's links again)" warden enable $C/qemu-arm64.cell
t_check "disable again" warden disable
EOF
done
qemu_done
