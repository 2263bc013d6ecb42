#!/usr/bin/env bash
# MSIs for cells (issue 17; issue 15's "MSI-X where a cell has MSIs"): on the
# board with the GICv3 ITS, a cell with a PCI device gets a virtual ITS at the
# ITS's address. The bare-metal vits-demo inmate (inmates/demos/vits-demo.c):
#  - in qemu-vits-demo (CPUs 2-3): programs the vITS (MAPD, MAPC, MAPTI),
#    enables LPIs, INT delivers LPI 8224 on its first CPU and 8225 on the
#    second, 24 INTs at once (more than the 4 list registers) all arrive, its
#    ivshmem device's MSI-X vector to GITS_TRANSLATER delivers its own
#    doorbell and the root's (devmem on the root's BAR 0) as LPI 8226;
#  - in qemu-vits-attack (CPU 3) next to ivshmem-demo1 (CPU 2), whose
#    ivshmem-demo rings peer 2 every round: the doorbells arrive as LPIs;
#  - the attack variant: CBASER at root RAM, hypervisor memory, the comm
#    region and the GIC, PROPBASER at hypervisor memory, ids out of range,
#    collections on root CPUs, GICv4/unknown/random commands, a CPU write to
#    GITS_TRANSLATER: each refused with a log line, the cell's vITS still
#    works, ivshmem-demo1 keeps running, the root keeps working;
#  - destroy returns the page pool exactly; the root's virtio-rng MSIs
#    (physical ITS) keep arriving throughout.
. "$(dirname "$0")/lib.sh"

qemu_test vits --timeout 600 --its --qemu-arg -device --qemu-arg virtio-rng-pci \
	--append "iomem=relaxed" <<'EOF'
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
t_check "the root's MSIs before enable" rng_read
t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable (root with the ITS)" warden enable $C/qemu-arm64-its.cell || exit 1
pool0=$(t_read $sysfs/mem_pool_used)

# ---- two CPUs, INT, the burst, MSI-X doorbells
mark_con
t_check "create vits-demo (CPUs 2-3, ivshmem with MSI-X)" warden cell create $C/qemu-vits-demo.cell
t_match "the cell got a vITS at the ITS's address" "vITS cell 'vits-demo': at 0x8080000, 1 devices, 2 collections" "$(since)"
t_check "load vits-demo" warden cell load vits-demo $I/vits-demo.bin -s "wait=40" -a 0x1000
t_check "start it" warden cell start vits-demo
wait_for "waiting .* s for doorbells" 40
out=$(since)
t_match "GITS_TYPER: Physical, 8-byte ITEs, 8 event bits, 16 device bits, HCC 2" \
	"GITS_TYPER 0x201e771 \(HCC 2\), device 00:00.0" "$out"
t_match "both CPUs up, commands done" "vits-demo: 2 CPUs, commands done" "$out"
t_match "INT: LPI 8224 on the first CPU" "vits-demo: CPU 0x2 got LPI 8224" "$out"
t_match "INT: LPI 8225 on the second CPU" "vits-demo: CPU 0x3 got LPI 8225" "$out"
t_match "24 LPIs at once, more than the list registers: none lost" "vits-demo: 24 of 24 LPIs arrived" "$out"
t_match "its own doorbell through MSI-X arrives as LPI 8226" "doorbell 1 as LPI 8226 on CPU 0x2" "$out"
t_check "the vITS refused nothing" sh -c "! since | grep -q 'skipped'"
# The root rings peer 2 vector 0 through its own device (00.0 of the demo link).
dev=/sys/bus/pci/devices/0001:00:00.0
echo 1 > $dev/enable 2>/dev/null
bar0=$(awk 'NR == 1 { print $1; exit }' $dev/resource)
t_check "the root's ivshmem BAR 0 is known" test -n "$bar0"
for i in 1 2 3; do devmem $((bar0 + 12)) 32 $((2 << 16)); sleep 0.3; done
wait_for "doorbell 4 as LPI 8226" 10
t_match "the root's doorbells arrive in the cell as LPIs (MSI-X)" "doorbell 4 as LPI 8226 on CPU 0x2" "$(since)"
root_ok "after vits-demo"
t_check "destroy vits-demo" warden cell destroy vits-demo
t_eq "page pool back after destroy" "$(t_read $sysfs/mem_pool_used)" "$pool0"

# ---- cell to cell: ivshmem-demo1 rings peer 2 (vits-attack's cell, CPU 3)
mark_con
t_check "create ivshmem-demo1 (CPU 2) and vits-attack (CPU 3)" sh -c \
	"warden cell create $C/qemu-ivshmem-demo1.cell && warden cell create $C/qemu-vits-attack.cell"
t_check "load both" sh -c "warden cell load ivshmem-demo1 $I/ivshmem-demo.bin -s 'period=300 rounds=0 quiet' -a 0x1000 && warden cell load vits-attack $I/vits-demo.bin -s 'wait=30' -a 0x1000"
t_check "start vits-attack, then demo1" sh -c "warden cell start vits-attack && sleep 1 && warden cell start ivshmem-demo1"
wait_for "doorbell 3 as LPI" 30
out=$(since)
t_match "one CPU: INT delivers there" "vits-demo: CPU 0x3 got LPI 8224" "$out"
t_match "demo1's doorbells to peer 2 arrive as LPIs on CPU 3" "doorbell 3 as LPI 8226 on CPU 0x3" "$out"

# ---- the attack variant, demo1 running next to it
t_check "shut vits-attack down" warden cell shutdown vits-attack
t_check "load the attack" warden cell load vits-attack $I/vits-demo.bin -s "attack" -a 0x1000
mark_con
t_check "start the attack" warden cell start vits-attack
wait_for "vits-attack: survived\|no LPI after\|stopped (failed)" 90
out=$(since)
t_match "CBASER at root RAM: not read" "command queue 0x40000000-.* is not in the cell's RAM" "$out"
t_match "CBASER at hypervisor memory: not read" "command queue 0x7fc00000-.* is not in the cell's RAM" "$out"
t_match "CBASER at the comm region: not read" "command queue 0x80000000-.* is not in the cell's RAM" "$out"
t_match "CREADR says stalled (bit 0)" "vits-attack: CBASER at 0x7fc00000: CREADR 0x1" "$out"
t_match "a device id not the cell's refused" "MAPD at 0x[0-9a-f]+ skipped: DeviceID 0xffff: not a PCI device of the cell" "$out"
t_match "MAPC to a root CPU refused" "MAPC at 0x[0-9a-f]+ skipped: RDbase 0x0: not a redistributor of the cell's CPUs" "$out"
t_match "GICv4 and unknown commands skipped" "command 0x29 \(VMAPP\) at 0x[0-9a-f]+ skipped" "$out"
t_match "the bad commands passed" "vits-attack: bad commands passed" "$out"
t_match "6000 random commands passed" "vits-attack: 6000 random commands passed" "$out"
t_match "the log is bounded: a count instead of a line each" "commands refused or skipped so far" "$out"
t_match "a CPU write to GITS_TRANSLATER ignored, logged" "CPU write to GITS_TRANSLATER .* ignored" "$out"
t_match "PROPBASER at hypervisor memory: logged" "GICR_PROPBASER 0x7fc0000d: LPI 8224's property byte is not in the cell's RAM" "$out"
t_match "... and delivers nothing" "with PROPBASER at the hypervisor's memory: 0 LPIs" "$out"
t_match "the vITS still works for the cell afterwards" "vits-attack: survived, LPI 8224" "$out"
t_eq "the attacker still runs" "$(cell_state vits-attack)" running
t_eq "ivshmem-demo1 still runs" "$(cell_state ivshmem-demo1)" running
mark_con
wait_for "ivshmem-demo: round" 10
t_match "demo1 goes on with its rounds" "ivshmem-demo: round [0-9]+" "$(since)"
root_ok "after the attack"
t_check "destroy both" sh -c "warden cell destroy vits-attack && warden cell destroy ivshmem-demo1"
t_eq "page pool back after destroy" "$(t_read $sysfs/mem_pool_used)" "$pool0"
t_check "disable" warden disable
t_check "the root's MSIs after disable" rng_read
EOF
qemu_done
