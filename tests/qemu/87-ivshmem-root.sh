#!/usr/bin/env bash
# The root cell's side of inter-cell communication, one guest per kernel series:
#   - after enable the root's Linux enumerates its ivshmem devices on the
#     virtual PCI domain (warden.ko's host bridge), with the INTx lines of the
#     root's vpci_irq_base; at disable they go away cleanly, also while a
#     program holds the UIO device open; enable/disable cycles with the
#     drivers loaded leave the pool as it was;
#   - uio_ivshmem.ko gives Jailhouse's map layout, and a program written the
#     way Jailhouse's tools/demos/ivshmem-demo.c is (tests/qemu/ivshmem/
#     jh-ivshmem-demo.c) runs on it, alone and against the bare-metal
#     ivshmem-demo inmate in a cell (doorbells both ways, each side reading
#     the other's output section); "warden ivshmem demo" rings the root's
#     own doorbell and counts the interrupts;
#   - ivshmem-net.ko binds the network link and starts the handshake (INIT
#     in the state table while the peer is absent).
. "$(dirname "$0")/lib.sh"

helpers=$WT_OUT/tests/ivshmem
src=$WT_TOP/tests/qemu/ivshmem
mkdir -p "$helpers"
aarch64-linux-gnu-gcc -O2 -Wall -static -o "$helpers/jh-ivshmem-demo" "$src/jh-ivshmem-demo.c" ||
	{ echo "not ok - 87-ivshmem-root: cannot build the fixture"; exit 1; }

qemu_test ivshmem-root --timeout 400 --append iomem=relaxed \
	--add "$helpers/jh-ivshmem-demo:/root/jh-ivshmem-demo" <<'EOF'
sysfs=/sys/devices/warden
# The root configuration with a demo link (00:00.0, 3 peers, root = peer 0)
# and a network link (00:01.0, 2 peers) on virtual PCI domain 1.
root_cell=/etc/warden/qemu-arm64.cell
dev0=/sys/bus/pci/devices/0001:00:00.0
dev1=/sys/bus/pci/devices/0001:00:01.0

t_check "modprobe warden" modprobe warden || exit 1
t_check "modprobe uio_ivshmem (and uio)" modprobe uio_ivshmem
t_check "modprobe ivshmem-net" modprobe ivshmem-net
t_check "no ivshmem device before enable" test ! -e $dev0
t_check "warden enable $root_cell" warden enable $root_cell || exit 1

# ---- enumeration
t_check "0001:00:00.0 is there" test -d $dev0
t_check "0001:00:01.0 is there" test -d $dev1
t_eq "00.0 vendor" "$(t_read $dev0/vendor)" 0x110a
t_eq "00.0 device" "$(t_read $dev0/device)" 0x4106
t_eq "00.0 class: generic protocol" "$(t_read $dev0/class)" 0xff0000
t_eq "01.0 class: network protocol" "$(t_read $dev1/class)" 0xff0001
t_eq "00.0 subsystem vendor" "$(t_read $dev0/subsystem_vendor)" 0x110a
t_match "the host bridge is warden's" 'warden-vpci' "$(readlink -f $dev0)"
t_match "00.0 BAR0 is assigned in the window after the ECAM" '^0x0000000008f0[0-9a-f]000 ' "$(head -1 $dev0/resource)"
# INTx: pin A (slot 0) and B (slot 1) are SPIs 96 and 97: INTIDs 128, 129.
irq0=$(t_read $dev0/irq); irq1=$(t_read $dev1/irq)
t_match "00.0 uses INTID 128 (SPI 96, pin A)" "^ *$irq0: .*GICv3 128 Edge" "$(cat /proc/interrupts)"
t_match "01.0 uses INTID 129 (SPI 97, pin B)" "^ *$irq1: .*GICv3 129 Edge" "$(cat /proc/interrupts)"
t_eq "00.0 is bound to uio_ivshmem" "$(basename "$(readlink $dev0/driver)")" uio_ivshmem
t_eq "01.0 is bound to ivshmem-net" "$(basename "$(readlink $dev1/driver)")" ivshmem-net

# ---- UIO maps: Jailhouse's layout
uio=$(ls $dev0/uio)
t_eq "the UIO device is uio0" "$uio" uio0
maps=/sys/class/uio/uio0/maps
t_eq "map0 is the registers" "$(t_read $maps/map0/name)" registers
t_eq "map0 size" "$(t_read $maps/map0/size)" 0x0000000000001000
t_eq "map1 is the state table" "$(t_read $maps/map1/name)" state_table
t_eq "map1 address" "$(t_read $maps/map1/addr)" 0x000000007faf0000
t_eq "map1 size" "$(t_read $maps/map1/size)" 0x0000000000001000
t_eq "map2 is the R/W section" "$(t_read $maps/map2/name)" rw_section
t_eq "map2 address" "$(t_read $maps/map2/addr)" 0x000000007faf1000
t_eq "map2 size" "$(t_read $maps/map2/size)" 0x0000000000009000
t_eq "map3 is the input sections" "$(t_read $maps/map3/name)" input_sections
t_eq "map3 address" "$(t_read $maps/map3/addr)" 0x000000007fafa000
t_eq "map3 size: 3 peers' outputs" "$(t_read $maps/map3/size)" 0x0000000000006000
t_eq "map4 is the own output section" "$(t_read $maps/map4/name)" output_section
t_eq "map4 address: peer 0's" "$(t_read $maps/map4/addr)" 0x000000007fafa000
t_eq "map4 size" "$(t_read $maps/map4/size)" 0x0000000000002000
t_check "no map5" test ! -e $maps/map5

# ---- the tool's view
list=$(warden ivshmem list)
t_log "$list"
t_match "warden ivshmem list: 00.0 on /dev/uio0" '0001:00:00.0 .* uio_ivshmem +/dev/uio0' "$list"
t_match "warden ivshmem list: 01.0 is an interface" '0001:00:01.0 .* ivshmem-net +interface eth' "$list"

# ---- the Jailhouse-style demo: it maps everything, sets its state, rings
# peer 1 (absent: the doorbell goes nowhere) and keeps running.
/root/jh-ivshmem-demo -d /dev/uio0 >/tmp/jh.out 2>&1 &
jh=$!
sleep 3
t_check "the Jailhouse-style demo keeps running" kill -0 $jh
t_match "it reads ID 0" '^ID = 0$' "$(cat /tmp/jh.out)"
t_match "it reads 3 peers" '^Maximum peers = 3$' "$(cat /tmp/jh.out)"
t_match "its own state is 1 in the state table" '^state\[0\] = 1$' "$(cat /tmp/jh.out)"
t_match "it rings peer 1" 'Sending interrupt 0 to peer 1' "$(cat /tmp/jh.out)"
t_eq "the state table says 1 for peer 0 (devmem)" "$(devmem 0x7faf0000 32)" 0x00000001
kill $jh; wait $jh 2>/dev/null
t_eq "closing the device sets the state back to 0" "$(devmem 0x7faf0000 32)" 0x00000000

# ---- doorbells to itself: interrupts arrive through read()
before=$(awk -v i="$irq0:" '$1 == i { s = 0; for (c = 2; c <= 5; c++) s += $c; print s }' /proc/interrupts)
out=$(warden ivshmem demo -t 0 -n 5 -i 100 -w 60 2>&1)
t_check "warden ivshmem demo: 5 doorbells to itself, 5 interrupts" test $? -eq 0
t_match "it reports them" 'done: 5 interrupts received, 5 doorbells sent' "$out"
t_match "the R/W section holds its count" 'rw: 5 0 0' "$out"
t_match "its output section holds count * 10" 'outputs: 50 0 0' "$out"
after=$(awk -v i="$irq0:" '$1 == i { s = 0; for (c = 2; c <= 5; c++) s += $c; print s }' /proc/interrupts)
t_eq "the INTx line counted 5 interrupts" "$((after - before))" 5
t_eq "its state is back to 0 after it ends" "$(devmem 0x7faf0000 32)" 0x00000000

# ---- against a bare-metal peer: the ivshmem-demo inmate as peer 1
# (qemu-ivshmem-demo1, CPU 2) rings the root every 300 ms; the
# Jailhouse-style demo on the root rings peer 1 every second.
con_rounds() { warden console | grep 'ivshmem-demo: round' | tail -n 1; }
t_check "create ivshmem-demo1" warden cell create /etc/warden/qemu-ivshmem-demo1.cell
t_check "load the ivshmem-demo inmate (target=0)" warden cell load ivshmem-demo1 \
	/usr/share/warden/inmates/ivshmem-demo.bin -s "period=300 target=0" -a 0x1000
t_check "start ivshmem-demo1" warden cell start ivshmem-demo1
/root/jh-ivshmem-demo -d /dev/uio0 -t 1 >/tmp/jh3.out 2>&1 &
jh=$!
sleep 6
t_check "the Jailhouse-style demo runs next to the cell" kill -0 $jh
kill $jh; wait $jh 2>/dev/null
jhout=$(cat /tmp/jh3.out)
t_log "$(echo "$jhout" | grep -c 'Interrupt #') interrupts on the root"
t_match "the root took the cell's doorbells (Interrupt #3 or later)" '^Interrupt #([3-9]|[1-9][0-9]+)$' "$jhout"
t_match "the root sees the cell's state (ID 1 + 1)" '^state\[1\] = 2$' "$jhout"
t_match "the root reads the cell's output section (its round number)" '^in@0x2000 = [1-9]' "$jhout"
t_match "the root rang peer 1" 'Sending interrupt 0 to peer 1' "$jhout"
line=$(con_rounds)
t_log "cell: $line"
received=$(echo "$line" | sed -n 's/.* received \([0-9]*\) .*/\1/p')
t_check "the cell took the root's doorbells (>= 3 interrupts)" test "${received:-0}" -ge 3
t_match "the cell read the root's output section (count * 10)" ' in [1-9][0-9]*0 ' "$line "
t_check "destroy ivshmem-demo1" warden cell destroy ivshmem-demo1
t_eq "its state reads 0 again" "$(devmem 0x7faf0004 32)" 0x00000000

# ---- the network link: handshake started, waiting for the peer
eth=$(ls $dev1/net)
t_match "ivshmem-net made an interface" '^eth[0-9]+$' "$eth"
t_eq "its state is INIT (1) while peer 1 is absent" "$(devmem 0x7fb00000 32)" 0x00000001
t_check "ip link set $eth up" ip link set $eth up
t_match "no carrier without the peer" 'NO-CARRIER' "$(ip link show $eth)"

# ---- disable with the UIO device open: everything goes
/root/jh-ivshmem-demo -d /dev/uio0 >/tmp/jh2.out 2>&1 &
jh=$!
sleep 1
t_dmesg_mark
t_check "warden disable while the UIO device is open" warden disable
t_check "00.0 is gone" test ! -e $dev0
t_check "01.0 is gone" test ! -e $dev1
t_check "/dev/uio0 is gone" test ! -e /dev/uio0
t_check "$eth is gone" test ! -e /sys/class/net/$eth
t_match "the host bridge went away" 'virtual PCI: host bridge removed' "$(t_dmesg_since)"
t_check "INTIDs 128/129 are free again" sh -c '! grep -q "GICv3 12[89] " /proc/interrupts'
kill $jh 2>/dev/null; wait $jh 2>/dev/null
t_check "modprobe -r uio_ivshmem" modprobe -r uio_ivshmem
t_check "modprobe -r ivshmem-net" modprobe -r ivshmem-net

# ---- cycles with the drivers loaded: devices come and go, the pool stays
t_check "modprobe uio_ivshmem again" modprobe uio_ivshmem
t_check "modprobe ivshmem-net again" modprobe ivshmem-net
first=
ok=1
for i in 1 2 3 4 5; do
	warden enable $root_cell || { ok=0; t_log "cycle $i: enable failed"; break; }
	used=$(t_read $sysfs/mem_pool_used)
	[ -n "$first" ] || first=$used
	[ "$used" = "$first" ] || { ok=0; t_log "cycle $i: mem_pool_used $used, first $first"; }
	[ -e /dev/uio0 ] && [ -n "$(ls $dev1/net 2>/dev/null)" ] ||
		{ ok=0; t_log "cycle $i: devices not bound"; }
	warden disable || { ok=0; t_log "cycle $i: disable failed"; break; }
	[ ! -e $dev0 ] && [ ! -e $dev1 ] || { ok=0; t_log "cycle $i: devices left behind"; }
done
t_eq "5 enable/disable cycles: devices bound each time, gone after, pool usage constant" "$ok" 1
t_check "modprobe -r warden" modprobe -r warden
EOF

qemu_done
