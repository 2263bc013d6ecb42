#!/usr/bin/env bash
# Attacks on cell management, next to a bystander (uart-demo, CPU 3): a cell
# that keeps its CPU from parking (destroy must park it for real or fail and
# keep it), memory a destroyed cell leaves behind (scrubbed), a ROOTSHARED
# region over a running cell's RAM (refused), size-0 placeholder regions
# (accepted), management calls in parallel and a CPU brought online while a
# cell is created. After each: root, bystander and hypervisor keep working,
# CPUs come back to Linux, the page pool returns to its starting figure.
. "$(dirname "$0")/lib.sh"

qemu_test mgmt-attacks --kernels 6.1 --timeout 500 <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden
state() { t_read $sysfs/cells/$1/state; }
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }
online() { cat /sys/devices/system/cpu/online; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable $C/qemu-arm64.cell || exit 1
pool0=$(cat $sysfs/mem_pool_used)
t_check "create uart-demo" warden cell create $C/qemu-uart-demo.cell
t_check "load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "period=50000" -a 0x1000
t_check "start uart-demo" warden cell start uart-demo
demo=$(cell_id uart-demo)
pool1=$(cat $sysfs/mem_pool_used)

bystanders_ok() { # WHAT
	t_eq "$1: uart-demo still running" "$(state $demo)" running
	t_check "$1: the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
	t_eq "$1: Warden still enabled" "$(t_read $sysfs/enabled)" 1
}
cpu2_back() { # WHAT: CPU 2 is Linux's again and runs Linux code
	t_eq "$1: CPU 2 back online in Linux" "$(online)" 0-2
	t_check "$1: CPU 2 runs Linux code" taskset -c 2 sh -c 'seq 1 200 | sort -n | tail -1 | grep -q 200'
	t_eq "$1: page pool back to its figure" "$(cat $sysfs/mem_pool_used)" "$pool1"
}
mgmt_cell() { # CONFIG MODE: create, load attack-mgmt, start
	warden cell create $C/$1 >/dev/null &&
	warden cell load $2 $I/attack-mgmt.bin -s "mode=$3" -a 0x1000 &&
	warden cell start $2 && sleep 1
}

# --- size-0 placeholder regions (Jailhouse's absent ivshmem peers)
t_check "size-0: a cell with size-0 regions is created" warden cell create $C/qemu-mgmt-empty.cell
t_check "size-0: it loads and starts" sh -c "warden cell load mgmt-empty $I/attack-mgmt.bin -s mode=scrub-fill -a 0x1000 && warden cell start mgmt-empty && sleep 1"
t_eq "size-0: it runs" "$(state $(cell_id mgmt-empty))" running
t_check "size-0: destroy" warden cell destroy mgmt-empty
bystanders_ok size-0
cpu2_back size-0

# --- scrub: what a destroyed cell wrote must not reach the root
t_check "scrub: attack cell fills its RAM" mgmt_cell qemu-attack.cell attack scrub-fill
t_match "scrub: the pattern was written" "attack-mgmt: scrub-fill filled 0x8000-0xffff" "$(warden console)"
t_check "scrub: destroy" warden cell destroy attack
t_match "scrub: the hypervisor reports the scrub" "cell 'attack': 64 KiB of memory scrubbed in [0-9]+ us" "$(warden console)"
for a in 0x7f808000 0x7f80c000 0x7f80fffc; do
	t_eq "scrub: root reads zero at $a (uncached)" "$(devmem $a 32)" 0x00000000
done
bystanders_ok scrub
cpu2_back scrub

# --- a ROOTSHARED region over a running cell's RAM
t_expect_fail "rootshared-overlap: create refused, naming uart-demo" \
	"memory region #1 \(phys 0x7fa00000-0x7fa0ffff\) overlaps .*uart-demo" \
	warden cell create $C/qemu-mgmt-overlap.cell
t_eq "rootshared-overlap: no cell created" "$(cell_id mgmt-overlap)" ""
bystanders_ok rootshared-overlap
cpu2_back rootshared-overlap

# --- never-park: event SGI blocked, CPU loops on hypercalls
t_check "never-park: attack cell set up" mgmt_cell qemu-attack.cell attack never-park
log=$(warden console)
t_match "never-park: the cell runs its loop" "attack-mgmt: never-park looping" "$log"
blocked=$(echo "$log" | sed -n 's/.*never-park ISACTIVER0=.* event SGI active=\([01]\).*/\1/p' | tail -1)
t_log "never-park: event SGI blocked by the cell: ${blocked:-?}"
if warden cell destroy attack; then
	t_ok "never-park: destroy succeeded"
	[ "$blocked" = 1 ] && t_match "never-park: the CPU was forced through its revoked memory" \
		"CPU 2 did not answer the park request: revoking" "$(warden console)"
	t_eq "never-park: the cell is gone" "$(cell_id attack)" ""
	cpu2_back never-park
else
	t_match "never-park: destroy failed with a reason naming CPU 2" "CPU 2 did not park" "$(dmesg | tail -20)"
	t_eq "never-park: the cell stays (failed)" "$(state $(cell_id attack))" failed
	t_eq "never-park: CPU 2 stays with it" "$(online)" 0-1
fi
bystanders_ok never-park

# --- parallel management calls: two creates for CPU 2, destroys in between
for i in 1 2 3 4; do
	warden cell create $C/qemu-attack.cell >/dev/null 2>&1 &
	warden cell create $C/qemu-mgmt-empty.cell >/dev/null 2>&1 &
	wait
	n=0
	for c in attack mgmt-empty; do [ -n "$(cell_id $c)" ] && n=$((n + 1)); done
	t_eq "parallel $i: exactly one of two creates for CPU 2 won" "$n" 1
	for c in attack mgmt-empty; do
		[ -n "$(cell_id $c)" ] && warden cell destroy $c &
	done
	warden cell list >/dev/null &
	wait
done
bystanders_ok parallel
cpu2_back parallel

# --- CPU online race: bring CPU 2 online while a cell for it is created
for i in 1 2 3; do
	warden cell create $C/qemu-attack.cell >/dev/null 2>&1 &
	for j in 1 2 3 4 5 6 7 8; do echo 1 > /sys/devices/system/cpu/cpu2/online 2>/dev/null; done
	wait
	if [ -n "$(cell_id attack)" ]; then
		t_eq "online-race $i: the cell has CPU 2, Linux does not" "$(online)" 0-1
		t_check "online-race $i: destroy" warden cell destroy attack
	else
		t_log "online-race $i: create lost the race"
		echo 1 > /sys/devices/system/cpu/cpu2/online 2>/dev/null
	fi
	t_eq "online-race $i: CPU 2 is Linux's" "$(online)" 0-2
done
bystanders_ok online-race
cpu2_back online-race

# --- last: a CPU that sleeps with every SGI/PPI blocked cannot be forced
t_check "never-park-wfi: attack cell set up" mgmt_cell qemu-attack.cell attack never-park-wfi
log=$(warden console)
blocked=$(echo "$log" | sed -n 's/.*never-park-wfi ISACTIVER0=.* event SGI active=\([01]\).*/\1/p' | tail -1)
t_log "never-park-wfi: event SGI blocked by the cell: ${blocked:-?}"
if [ "$blocked" = 1 ]; then
	t_expect_fail "never-park-wfi: destroy fails, naming cell and CPU" \
		"cell 'attack': CPU 2 did not park within" warden cell destroy attack
	t_eq "never-park-wfi: the cell stays (failed)" "$(state $(cell_id attack))" failed
	t_eq "never-park-wfi: CPU 2 stays with it, not with Linux" "$(online)" 0-1
	t_expect_fail "never-park-wfi: a retry fails the same way" "did not park" warden cell destroy attack
	bystanders_ok never-park-wfi
	t_check "destroy uart-demo" warden cell destroy uart-demo
	t_expect_fail "disable refused while the stuck cell exists" "non-root cell" warden disable
else
	t_check "never-park-wfi: destroy" warden cell destroy attack
	bystanders_ok never-park-wfi
	cpu2_back never-park-wfi
	t_check "destroy uart-demo" warden cell destroy uart-demo
	t_eq "all CPUs back" "$(online)" 0-3
	t_eq "page pool back to its starting figure" "$(cat $sysfs/mem_pool_used)" "$pool0"
	t_check "disable" warden disable
fi
EOF
qemu_done
