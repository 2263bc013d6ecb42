#!/usr/bin/env bash
# A cell's two CPUs race on its virtual ITS (issue 17, "MSIs for cells":
# device ids, event ids and the vITS's state under concurrent guest input;
# hypervisor/arch/arm64/vits.c) on the board with the GICv3 ITS:
#  - GICD_TYPER as a cell reads it (inmates/demos/vits-race.c prints it): a
#    cell without PCI devices (qemu-uart-demo, no vITS) reads LPIS 0 and
#    IDbits 9 (INTIDs up to 1023); the race cell (qemu-vits-race, ivshmem
#    with MSI-X, so a vITS) LPIS 1 and IDbits 15;
#  - vits-race on CPUs 1-2: both CPUs at once move CWRITER, write MAPD,
#    MAPTI, MAPI, DISCARD, MOVI, MOVALL, INT, CLEAR, INV, INVALL, SYNC, MAPC
#    and garbage on the same device and events, switch GITS_CBASER and
#    GITS_CTLR under each other's feet, enable and disable LPIs and rewrite
#    PROPBASER at each other's redistributors, SETLPIR/CLRLPIR, ring their
#    own MSI-X doorbell and mask it, while the root rings the cell's
#    doorbell (devmem on its ivshmem BAR 0) without pause;
#  - afterwards a clean command sequence works: 16 INTs each arrive once on
#    the CPU their collection names, 8 doorbells each arrive; the hypervisor
#    took no fault, the cell and uart-demo (CPU 3) are still running and
#    uart-demo's CPU still takes its timer ticks (its exits go on), the root's MSIs
#    (virtio-rng through the physical ITS) still arrive; the cell is
#    destroyed, created again and its fresh vITS works at once (no lock was
#    left held, nothing of the old state survives); the page pool is back.
# One kernel series per CPU model (CI time): 6.1 on cortex-a72, 6.12 on
# cortex-a76 (Linux kept at EL1 with vh=0).
. "$(dirname "$0")/lib.sh"

cat >"$WT_SCRIPTS/vits-race.sh" <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden
mark_con() { warden console | tail -n 1 > /tmp/con.mark; }
since() {
	warden console | awk -v last="$(cat /tmp/con.mark)" \
		'{ l[NR] = $0 } $0 == last { m = NR } END { for (i = m + 1; i <= NR; i++) print l[i] }'
}
wait_for() { # PATTERN SECONDS
	local end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le $end ]; do
		since | grep -q -- "$1" && return 0
		sleep 0.3
	done
	return 1
}
rng_read() { timeout 30 dd if=/dev/hwrng of=/tmp/rng bs=64 count=20 2>/dev/null && [ "$(wc -c </tmp/rng)" -eq 1280 ]; }
root_ok() {
	t_check "$1: the root still works" sh -c 'seq 1 300 | sort -n | tail -1 | grep -q 300'
	t_check "$1: the root's MSIs (virtio-rng through the ITS) still arrive" rng_read
}
cell_state() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && cat $d/state; done; }

t_check "virtio-rng on virtio-pci (MSI-X through the physical ITS)" sh -c "modprobe virtio_pci && modprobe virtio_rng && test -c /dev/hwrng"
t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable (root with the ITS)" warden enable $C/qemu-arm64-its.cell || exit 1
pool0=$(t_read $sysfs/mem_pool_used)

# ---- GICD_TYPER in a cell without a vITS (no PCI device)
mark_con
t_check "create uart-demo (CPU 3, no PCI device)" warden cell create $C/qemu-uart-demo.cell
t_check "load vits-race typer" warden cell load uart-demo $I/vits-race.bin -s "typer console=hvc" -a 0x1000
t_check "start it" warden cell start uart-demo
wait_for "vits-race: GICD_TYPER" 20
t_match "a cell without a vITS reads GICD_TYPER without LPIs: LPIS 0, IDbits 9" \
	"vits-race: GICD_TYPER 0x[0-9a-f]+ LPIS 0 IDbits 9$" "$(since)"
t_check "destroy it" warden cell destroy uart-demo

# ---- the bystander, then the race
t_check "create uart-demo again, the bystander" warden cell create $C/qemu-uart-demo.cell
t_check "load uart-demo (its output to UART1)" warden cell load uart-demo $I/uart-demo.bin -s "period=500000" -a 0x1000
t_check "start uart-demo" warden cell start uart-demo
mark_con
t_check "create vits-race (CPUs 1-2, ivshmem with MSI-X)" warden cell create $C/qemu-vits-race.cell
t_match "the cell got a vITS" "vITS cell 'vits-race': at 0x8080000, 1 devices, 2 collections" "$(since)"
t_check "load vits-race" warden cell load vits-race $I/vits-race.bin -s "rounds=3000 settle=3" -a 0x1000
# No result line while the race runs: the hypervisor's vITS log lines share
# the console and could cut one in two. The outcomes are checked afterwards.
warden cell start vits-race >/dev/null 2>&1; start_st=$?
wait_for "vits-race: racing" 30
typer_out=$(since)
# The root rings peer 2 (the cell) vector 0 through its end of the link, nonstop.
dev=/sys/bus/pci/devices/0001:00:00.0
echo 1 > $dev/enable 2>/dev/null
bar0=$(awk 'NR == 1 { print $1; exit }' $dev/resource)
if [ -n "$bar0" ]; then
	( while :; do devmem $((bar0 + 12)) 32 $((2 << 16)); done ) &
	ringer=$!
fi
wait_for "vits-race: race done" 400
[ -z "$bar0" ] || { kill $ringer; wait $ringer 2>/dev/null; }
wait_for "vits-race: done" 60
out=$(since)
t_eq "start it" "$start_st" 0
t_match "a cell with a vITS reads GICD_TYPER with LPIs: LPIS 1, IDbits 15" \
	"vits-race: GICD_TYPER 0x[0-9a-f]+ LPIS 1 IDbits 15$" "$typer_out"
t_check "the root's ivshmem BAR 0 is known (its doorbells rang during the race)" test -n "$bar0"
t_log "$(echo "$out" | grep 'vits-race: race done')"
t_match "the race ended on both CPUs" "vits-race: race done: both CPUs finished" "$out"
t_match "afterwards a clean command sequence is done" "vits-race: final: commands done" "$out"
t_match "16 INTs: each once, on the CPU its collection names" \
	"vits-race: final: 16 of 16 INTs arrived on their CPUs, 0 elsewhere, 0 twice" "$out"
t_match "8 doorbells (MSI-X through the vITS): each arrives" "vits-race: final: 8 of 8 doorbells as LPI 8300" "$out"
t_check "the hypervisor took no fault" sh -c "! warden console | grep -qiE 'FATAL|exception|panic'"
t_eq "vits-race still runs" "$(cell_state vits-race)" running
t_eq "uart-demo still runs" "$(cell_state uart-demo)" running
# ... and makes progress: its CPU's exits (a timer tick per 10 ms slice of
# its sleep) go on. It used to freeze here: a stale tick stopped its timer
# (inmates/lib/timer.c, timer_sleep_tick).
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }
exits3() { cat $sysfs/cells/$(cell_id uart-demo)/statistics/cpu3/vmexits_total; }
e0=$(exits3); sleep 2; e1=$(exits3)
t_check "uart-demo's CPU 3 still takes its timer ticks: exits $e0 -> $e1 in 2 s" test "$e1" -gt $((e0 + 20))
root_ok "after the race"

# ---- no lock left held, no state kept: destroy, create, a fresh vITS works.
t_check "destroy vits-race" warden cell destroy vits-race
mark_con
t_check "create vits-race again" warden cell create $C/qemu-vits-race.cell
t_check "load vits-race, no race" warden cell load vits-race $I/vits-race.bin -s "rounds=0 settle=0" -a 0x1000
warden cell start vits-race >/dev/null 2>&1; start_st=$?
wait_for "vits-race: done" 60
out=$(since)
t_eq "start it" "$start_st" 0
t_match "the fresh vITS: 16 of 16 INTs" \
	"vits-race: final: 16 of 16 INTs arrived on their CPUs, 0 elsewhere, 0 twice" "$out"
t_match "... 8 of 8 doorbells" "vits-race: final: 8 of 8 doorbells as LPI 8300" "$out"
t_check "destroy both" sh -c "warden cell destroy vits-race && warden cell destroy uart-demo"
t_eq "page pool back after destroy" "$(t_read $sysfs/mem_pool_used)" "$pool0"
t_check "disable" warden disable
t_check "the root's MSIs after disable" rng_read
EOF

vh0="id_aa64mmfr1.vh=0"
for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
	case $series in
	6.1) qemu_test vits-race@cortex-a72 --kernels 6.1 --timeout 700 --cpu cortex-a72 --its \
		--qemu-arg -device --qemu-arg virtio-rng-pci --append "iomem=relaxed" \
		--script "$WT_SCRIPTS/vits-race.sh" ;;
	*) qemu_test vits-race@cortex-a76 --kernels "$series" --timeout 700 --cpu cortex-a76 --its \
		--qemu-arg -device --qemu-arg virtio-rng-pci --append "iomem=relaxed $vh0" \
		--script "$WT_SCRIPTS/vits-race.sh" ;;
	esac
done
qemu_done
