#!/usr/bin/env bash
# DMA isolation with the board's SMMUv3 (scripts/qemu-run --iommu smmuv3):
# QEMU's "edu" PCI device is a DMA engine that anyone who owns its BAR can
# aim anywhere. Without an SMMU in the configuration it writes into the
# hypervisor's console ring (the control: the attack is real). With
# configs/arm64/qemu-smmu.c:
#  - the root's devices keep working (virtio-rng through /dev/hwrng, edu
#    copies inside root RAM), the SMMU's registers are not the root's;
#  - the root aims edu at hypervisor memory (write and read), at the
#    console ring the root may only read, and at a running cell's RAM:
#    nothing arrives, every fault is logged with stream id 0x8, address and
#    owner, and counted in cells/0/dma_faults;
#  - a cell that owns edu (qemu-smmu-dma.c, inmates/demos/dma-demo.c) copies
#    inside its own RAM, then aims at root RAM, hypervisor memory and
#    uart-demo's RAM: nothing arrives there, the faults are the cell's. The
#    driver gave it the device with bus mastering on (the root had it off)
#    and puts the root's command register back after destroy;
#  - a cell that owns virtio-rng (qemu-smmu-rng.c): the driver releases the
#    device from virtio-pci at create and has it probed again after destroy,
#    /dev/hwrng works again without any step in the root; a cell listing a
#    PCI device the root does not have, or one another cell has, is refused
#    with its BDF;
#  - a cell claiming a stream id another cell has, or one the root lacks,
#    is refused with its own message; so is a cell with stream ids on a
#    system without an SMMU, a system configuration naming a unit the board
#    does not have, and enable while Linux's own SMMU driver has the unit;
#  - 50 create/destroy rounds of the edu cell leave the page pool as it was
#    and the stream with the root; disable gives the SMMU back (off);
#  - warden config create on this board yields a configuration with the
#    unit and the stream ids that isolates the same way;
#  - hand-back (issue 17): a device with no reset method is refused at
#    create; at destroy the cell's stream aborts before its memory goes
#    back, the driver resets the device (bus reset for edu behind its root
#    port, FLR for virtio-rng) with bus mastering off, and only then returns
#    the stream and re-probes; a transfer the cell queues when asked to shut
#    down lands nowhere (also under -icount, smmu-linger, where a driver
#    that skips the reset lets it land);
#  - stream ids match devices: a cell whose device's stream id (through the
#    device tree's iommu-map) is not the cell's, or whose stream id is
#    another device's, is refused naming the device;
#  - the SMMU refusal's recipe, followed literally (smmu-recipe: booted with
#    exactly the kernel arguments of the hint), gives a root whose virtio-rng
#    behind the SMMU works under Warden; so does the hint of a configuration
#    without the unit (the same arguments, and 'warden config create').
# Linux boots with initcall_blacklist=arm_smmu_driver_init (the SMMU is the
# hypervisor's); the board has the ITS (edu needs it) and the root's Linux
# uses it: virtio-rng's interrupts are MSIs (LPIs), with Warden too, and
# after the device came back from a cell. Devices behind an SMMU whose Linux driver
# does not load wait for deferred_probe_timeout (10 s by default) before
# their drivers probe: 1 s here.
. "$(dirname "$0")/lib.sh"

# virtio-pci and virtio-rng are modules in Debian's 6.1 kernel, virtio-rng in
# 6.12 (xz-compressed, which busybox insmod cannot read): into the guest.
mods=$WT_OUT/tests/smmu-mods
rm -rf "$mods"
mkdir -p "$mods/6.1" "$mods/6.12"
for f in "$WT_TOP"/.cache/linux-6.1/root/lib/modules/*/kernel/drivers/virtio/virtio_pci*.ko \
	 "$WT_TOP"/.cache/linux-6.1/root/lib/modules/*/kernel/drivers/char/hw_random/virtio-rng.ko; do
	[ -f "$f" ] && cp "$f" "$mods/6.1/"
done
for f in "$WT_TOP"/.cache/linux-6.12/root/lib/modules/*/kernel/drivers/char/hw_random/virtio-rng.ko.xz; do
	[ -f "$f" ] && xz -dc "$f" >"$mods/6.12/virtio-rng.ko"
done

# edu 00:01.0 is the root's; the devices cells get are alone behind PCIe
# root ports, where a bus (edu) or function-level (virtio) reset can quiesce
# them before they go back to the root: edu 01:00.0, virtio-rng 02:00.0.
board=(--iommu smmuv3 --device edu,dma_mask=0xffffffffffffffff
	--device pcie-root-port,id=rp1,chassis=1 --device edu,dma_mask=0xffffffffffffffff,bus=rp1
	--device pcie-root-port,id=rp2,chassis=2 --device virtio-rng-pci,bus=rp2
	--add "$mods:/root/mods")

qemu_test smmu --timeout 400 "${board[@]}" \
	--append "initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 iomem=relaxed" <<'EOF'
sysfs=/sys/devices/warden
C=/etc/warden
I=/usr/share/warden/inmates
edu=/sys/bus/pci/devices/0000:00:01.0
bar=0x10000000
edu2=/sys/bus/pci/devices/0000:01:00.0	# the cells' edu, behind a root port
bar2=0x10100000
marker=0x214b434154544121		# "!ATTACK!"
case $(uname -r) in 6.1.*) mods=/root/mods/6.1 ;; *) mods=/root/mods/6.12 ;; esac
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }
state() { t_read $sysfs/cells/$1/state; }
# PCI_COMMAND of a device (its sysfs directory); set its low byte.
pci_cmd() { printf 0x%04x $(od -An -tu2 -j4 -N2 $1/config); }
set_cmd() { printf "\\x$(printf %02x $2)\\x00" | dd of=$1/config bs=1 seek=4 count=2 conv=notrunc 2>/dev/null; }
faults() { t_read $sysfs/cells/$1/dma_faults; }

# One edu transfer: SRC DST BYTES CMD (1: RAM to device, 3: device to RAM),
# on the edu at $bar (on_edu2 CMD...: the one at $bar2).
on_edu2() { local b=$bar; bar=$bar2; "$@"; local r=$?; bar=$b; return $r; }
edu_dma() {
	devmem $((bar + 0x80)) 64 $1 && devmem $((bar + 0x88)) 64 $2 &&
	devmem $((bar + 0x90)) 64 $3 && devmem $((bar + 0x98)) 64 $4 || return 1
	i=0
	while [ $(( $(devmem $((bar + 0x98)) 64) & 1 )) -ne 0 ]; do
		i=$((i + 1)); [ $i -lt 50 ] || return 1; sleep 0.1
	done
}
# Copy 64 bytes of root RAM through the device: SRC DST.
edu_copy() { edu_dma $1 0x40000 64 1 && edu_dma 0x40000 $2 64 3; }
fill() { # ADDR VALUE: 8 words
	for o in 0 8 16 24 32 40 48 56; do devmem $(($1 + o)) 64 $2; done
}
# virtio's MSIs (LPIs through the ITS) so far, all CPUs.
lpis() { grep ITS /proc/interrupts | grep virtio | awk '{for (i = 2; i <= 5; i++) s += $i} END {print s + 0}'; }
rng_ok() { test "$(timeout 20 head -c 64 /dev/hwrng | od -An -tx1 | wc -w)" -eq 64; }
root_ok() {
	t_check "$1: the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
	t_check "$1: virtio-rng still gives the root random bytes (DMA)" rng_ok
	t_eq "$1: Warden still enabled" "$(t_read $sysfs/enabled)" 1
}
bar=$((bar))
bar2=$((bar2))

for m in virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio-rng; do
	[ -f $mods/$m.ko ] && insmod $mods/$m.ko
done
t_eq "edu is 00:01.0 with BAR0 at 0x10000000 (as qemu-smmu-noreset.c says)" \
	"$(head -1 $edu/resource | cut -d' ' -f1)" 0x0000000010000000
t_eq "the second edu is 01:00.0 with BAR0 at 0x10100000 (as qemu-smmu-dma.c says)" \
	"$(head -1 $edu2/resource | cut -d' ' -f1)" 0x0000000010100000
t_match "... whose reset is a bus reset (it is alone behind its root port)" bus "$(cat $edu2/reset_method)"
t_eq "the root's edu has no reset method" "$(cat $edu/reset_method 2>/dev/null)" ""
for i in $(seq 1 100); do grep -q virtio /sys/class/misc/hw_random/rng_current && break; sleep 0.2; done
t_match "virtio-rng is the root's hardware RNG" virtio "$(t_read /sys/class/misc/hw_random/rng_current)"
t_check "virtio-rng works without Warden" rng_ok
set_cmd $edu 6		# memory and bus mastering: no Linux driver does it for the root
set_cmd $edu2 6
t_check "modprobe warden" modprobe warden || exit 1

# Where the hypervisor's console ring lands: hypervisor base + console_offset (+16: the text).
off=$(od -An -tu8 -j40 -N8 /lib/firmware/warden.bin | tr -d ' ')
ring=$((0x7fc00000 + off + 16))
hv_first=$(od -An -tx8 -N8 /lib/firmware/warden.bin | tr -d ' ')
fill 0x7f000000 $marker

# Control: no SMMU in the configuration, so the device writes where it is told.
t_check "control: enable without an SMMU unit (qemu-arm64 with the ITS)" warden enable $C/qemu-arm64-its.cell
t_check "control: edu DMA into the console ring" edu_copy 0x7f000000 $ring
t_match "control: without the SMMU the device's bytes land in hypervisor memory" '!ATTACK!' \
	"$(warden console | head -c 400)"
t_check "control: disable" warden disable

t_expect_fail -F "a system configuration with an SMMU the board does not have is refused" \
	"IOMMU unit #0: no SMMUv3 at 0x9070000 on this system" warden enable $C/qemu-smmu-bad-absent.cell
t_eq "... and Warden is not enabled" "$(t_read $sysfs/enabled)" 0
t_check "warden enable with the SMMU" warden enable $C/qemu-smmu.cell || exit 1
t_match "the hypervisor took the SMMU" 'SMMUv3: DMA isolation on, 258 stream id' "$(warden console)"
pool0=$(t_read $sysfs/mem_pool_used)
t_expect_status "the SMMU's registers are not the root's (SIGBUS)" 135 devmem 0x09050000 32
t_match "virtio-rng's interrupts are MSIs through the ITS" ITS "$(grep virtio /proc/interrupts)"
n0=$(lpis)
t_check "virtio-rng works with Warden (its DMA through the root's stage 2)" rng_ok
t_check "... and its MSIs reach the root as LPIs (was $n0)" test "$(lpis)" -gt "$n0"

fill 0x7f001000 0
t_check "root: edu copy inside root RAM" edu_copy 0x7f000000 0x7f001000
t_eq "root: the copy arrived" "$(devmem 0x7f001000 64)" 0x214B434154544121

t_check "root: edu DMA into the console ring (read-only for the root)" edu_copy 0x7f000000 $ring
t_eq "root: the fault is counted for the root cell" "$(faults 0)" 16
log=$(warden console)
t_match "root: logged as a permission fault of stream 0x8" \
	"DMA fault F_PERMISSION: stream id 0x8 \(cell 'qemu-smmu'\) write at $(printf 0x%x $ring)" "$log"
t_match "root: the burst is folded into one line" "and 15 more F_PERMISSION faults of stream id 0x8" "$log"
t_match "root: nothing landed in the ring, its first line is intact" '^.?Warden hypervisor: initializing' \
	"$(warden console | head -2)"
t_check "root: edu DMA writes hypervisor memory 0x7fc00000" edu_dma 0x40000 0x7fc00000 64 3
t_check "root: edu DMA reads hypervisor memory 0x7fc00000" edu_dma 0x7fc00000 0x40000 64 1
fill 0x7f002000 0
t_check "root: edu buffer to root RAM" edu_dma 0x40000 0x7f002000 64 3
got=$(devmem 0x7f002000 64 | tr A-F a-f)
t_log "the device read $got from 0x7fc00000, whose first word is 0x$hv_first"
t_check "root: what the device read is not the hypervisor's image" test "$got" != "0x$hv_first"
log=$(warden console)
t_match "root: the write is logged" "F_TRANSLATION: stream id 0x8 \(cell 'qemu-smmu'\) write at 0x7fc00000" "$log"
t_match "root: the read is logged" "F_TRANSLATION: stream id 0x8 \(cell 'qemu-smmu'\) read at 0x7fc00000" "$log"
root_ok "root attack"

t_check "create uart-demo (a bystander with RAM at 0x7fa00000)" warden cell create $C/qemu-uart-demo.cell
t_check "load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "period=50000" -a 0x1000
t_check "start uart-demo" warden cell start uart-demo
demo=$(cell_id uart-demo)
t_check "root: edu DMA into uart-demo's RAM" edu_dma 0x40000 0x7fa00000 64 3
t_match "root: refused, logged" "F_TRANSLATION: stream id 0x8 \(cell 'qemu-smmu'\) write at 0x7fa00000" \
	"$(warden console)"
t_eq "root attack on a cell: uart-demo still running" "$(state $demo)" running

# The device goes to a cell. The root leaves bus mastering off: the driver
# must switch it on for the cell, which has no configuration space.
fill 0x7f003000 0
root_faults=$(faults 0)
set_cmd $edu2 2
t_expect_fail -F "a device without a reset method is refused at create, naming it" \
	"cell 'dma-noreset': PCI device 0000:00:01.0 has no reset method" \
	warden cell create $C/qemu-smmu-noreset.cell
t_eq "... and CPU 2 stays online" "$(cat /sys/devices/system/cpu/online)" 0-2
t_expect_fail -F "a device whose stream id is not the cell's is refused, naming device and stream" \
	"cell 'dma-wrong-sid': PCI device 0000:01:00.0 issues DMA as stream id 0x100 (device tree iommu-map), which is not one of the cell's stream ids" \
	warden cell create $C/qemu-smmu-bad-sid.cell
t_expect_fail -F "a stream id of another device (virtio-rng's) is refused, naming that device" \
	"cell 'dma-other-sid': stream id 0x200 is the DMA stream of PCI device 0000:02:00.0, which is not one of the cell's devices" \
	warden cell create $C/qemu-smmu-bad-othersid.cell
t_match "virtio-rng kept its driver" virtio-pci "$(readlink /sys/bus/pci/devices/0000:02:00.0/driver)"
t_eq "... and CPU 2 stays online" "$(cat /sys/devices/system/cpu/online)" 0-2
t_check "create dma-demo (edu 01:00.0's BAR and stream id 0x100)" warden cell create $C/qemu-smmu-dma.cell
t_match "the stream moved" "1 stream id\(s\) moved to cell 'dma-demo'" "$(warden console)"
t_match "the driver logged edu going to the cell" "0000:01:00.0: warden: to cell 'dma-demo' \(no driver\)" "$(dmesg)"
t_eq "edu has memory decoding and bus mastering for the cell" "$(pci_cmd $edu2)" 0x0006
t_expect_status "the root lost edu's BAR (SIGBUS)" 135 devmem $bar2 32
t_check "load dma-demo" warden cell load dma-demo $I/dma-demo.bin \
	-s "targets=0x7f003000,0x7fc00000,0x7fa00000 marker=$marker" -a 0x1000
t_check "start dma-demo" warden cell start dma-demo
dma=$(cell_id dma-demo)
for i in $(seq 1 50); do warden console | grep -q 'dma-demo: done' && break; sleep 0.2; done
log=$(warden console)
t_match "cell: edu copy inside the cell's own RAM works" 'dma-demo: copy ok' "$log"
t_eq "cell: nothing arrived in root RAM 0x7f003000" "$(devmem 0x7f003000 64)" 0x0000000000000000
t_eq "cell: 3 x 16 faults counted for dma-demo" "$(faults $dma)" 48
t_match "cell: the write to root RAM is logged with the cell" \
	"F_TRANSLATION: stream id 0x100 \(cell 'dma-demo'\) write at 0x7f003000" "$log"
t_match "cell: the write to hypervisor memory is logged" \
	"F_TRANSLATION: stream id 0x100 \(cell 'dma-demo'\) write at 0x7fc00000" "$log"
t_match "cell: the write to uart-demo's RAM is logged" \
	"F_TRANSLATION: stream id 0x100 \(cell 'dma-demo'\) write at 0x7fa00000" "$log"
t_eq "cell: no fault counted for the root" "$(faults 0)" "$root_faults"
t_match "cell: cell list names the cell's DMA faults" "dma-demo .*\\(48 DMA faults\\)" "$(warden cell list)"
t_match "cell: cell stats shows them" "Cell 'dma-demo' .*, DMA faults 48" "$(warden cell stats dma-demo --once)"
t_match "cell: the root's line shows its own" "^0 .*\\($root_faults DMA faults\\)" "$(warden cell list)"
t_eq "cell: dma-demo keeps running" "$(state $dma)" running
t_eq "cell: uart-demo still running" "$(state $demo)" running
t_match "cell: the hypervisor's first log line is intact" '^.?Warden hypervisor: initializing' \
	"$(warden console | head -2)"
root_ok "cell attack"

t_check "destroy uart-demo (its CPU 3 for the next cells)" warden cell destroy uart-demo
t_expect_fail -F "a stream id another cell owns is refused" \
	"cell 'dma-thief': stream id 0x100 belongs to cell 'dma-demo'" \
	warden cell create $C/qemu-smmu-bad-taken.cell
t_expect_fail -F "a stream id the root does not have is refused" \
	"cell 'dma-unknown': stream id 0x1000 is not one of the root cell's" \
	warden cell create $C/qemu-smmu-bad-unknown.cell
t_expect_fail -F "a PCI device the root does not have is refused, naming it" \
	"cell 'pci-absent': PCI device 0000:00:1f.0 is not in the root cell's Linux" \
	warden cell create $C/qemu-smmu-bad-nodev.cell
t_match "... with ENODEV" "No such device" "$(cat $T_ERR)"
t_eq "... and CPU 3 stays online" "$(cat /sys/devices/system/cpu/online)" 0-1,3
t_expect_fail -F "a PCI device another cell has is refused" \
	"cell 'pci-thief': PCI device 0000:01:00.0 belongs to cell 'dma-demo'" \
	warden cell create $C/qemu-smmu-bad-pcitaken.cell
t_eq "... and edu keeps bus mastering for dma-demo" "$(pci_cmd $edu2)" 0x0006
t_check "destroy dma-demo" warden cell destroy dma-demo
t_match "the driver reset edu with a bus reset before the root got it" \
	"0000:01:00.0: warden: reset after cell 'dma-demo'" "$(dmesg)"
t_match "the driver logged edu coming back" "0000:01:00.0: warden: back from cell 'dma-demo' \(no driver\)" "$(dmesg)"
log=$(warden console)
t_match "destroy left the stream aborting first" "1 stream id\(s\) of cell 'dma-demo' abort until their devices are reset" "$log"
t_match "... and the driver returned it after the reset" "stream id 0x100 is the root cell's again" "$log"
t_eq "edu's command register is the root's again (bus mastering off)" "$(pci_cmd $edu2)" 0x0002
set_cmd $edu2 6
t_check "root: edu's BAR is the root's again" devmem $bar2 32
fill 0x7f001000 0
t_check "root: edu works for the root again" on_edu2 edu_copy 0x7f000000 0x7f001000
t_eq "root: the copy arrived" "$(devmem 0x7f001000 64)" 0x214B434154544121

# Each destroy resets edu (a bus reset: Linux waits for the link), so 20.
rounds=0
for i in $(seq 1 20); do
	warden cell create $C/qemu-smmu-dma.cell >/dev/null && warden cell destroy dma-demo >/dev/null &&
		rounds=$((rounds + 1))
done
t_eq "20 create/destroy rounds of dma-demo" $rounds 20
t_eq "the page pool is as before the cells" "$(t_read $sysfs/mem_pool_used)" $pool0
fill 0x7f001000 0
set_cmd $edu2 6
t_check "root: edu still the root's after the rounds" on_edu2 edu_copy 0x7f000000 0x7f001000
t_eq "root: the copy arrived" "$(devmem 0x7f001000 64)" 0x214B434154544121
# The issue's reproducer: the cell queues one more transfer, aimed at root
# RAM, when asked to shut down (the root had bus mastering on). Its stream
# aborts before its memory goes back, the device is reset before the stream
# is the root's, and bus mastering stays off until a driver wants it: even
# with the root switching it on at once, nothing lands.
fill 0x7f003000 0
set_cmd $edu2 6
dones=$(warden console | grep -c 'dma-demo: done')	# this run's is the next
t_check "create dma-demo again" warden cell create $C/qemu-smmu-dma.cell
t_check "load it with linger=0x7f003000" warden cell load dma-demo $I/dma-demo.bin \
	-s "linger=0x7f003000 marker=$marker" -a 0x1000
t_check "start it" warden cell start dma-demo
for i in $(seq 1 150); do [ "$(warden console | grep -c 'dma-demo: done')" -gt "$dones" ] && break; sleep 0.2; done
t_check "destroy it" warden cell destroy dma-demo
t_eq "linger: bus mastering off after the reset, though the root had it on" "$(pci_cmd $edu2)" 0x0002
set_cmd $edu2 6		# the root switches it on at once
sleep 1
t_match "the cell queued the transfer when asked to shut down" \
	"dma-demo: shutting down with a transfer to 0x7f003000 queued" "$(warden console)"
t_eq "linger: nothing landed in root RAM 0x7f003000" "$(devmem 0x7f003000 64)" 0x0000000000000000
fill 0x7f001000 0
t_check "linger: edu works for the root afterwards" on_edu2 edu_copy 0x7f000000 0x7f001000
t_eq "linger: the copy arrived" "$(devmem 0x7f001000 64)" 0x214B434154544121
t_eq "linger: still nothing at 0x7f003000" "$(devmem 0x7f003000 64)" 0x0000000000000000
# A device the root's Linux drives: the driver lets it go before the cell
# and has it probed again after, nothing done by hand in the root.
rng=/sys/bus/pci/devices/0000:02:00.0
t_match "virtio-rng (02:00.0) is driven by virtio-pci" virtio-pci "$(readlink $rng/driver)"
t_check "create rng-owner (stream id 0x200, virtio-rng's BARs)" warden cell create $C/qemu-smmu-rng.cell
t_check "virtio-rng has no Linux driver while the cell owns it" test ! -e $rng/driver
t_match "the driver logged the release" \
	"0000:02:00.0: warden: to cell 'rng-owner', driver virtio-pci released" "$(dmesg)"
t_eq "bus mastering and memory decoding left on for the cell" $(( $(pci_cmd $rng) & 6 )) 6
t_match "virtio-rng's stream moved" "1 stream id\(s\) moved to cell 'rng-owner'" "$(warden console)"
t_expect_status "the root lost virtio-rng's BAR (SIGBUS)" 135 devmem 0x10300000 32
t_check "destroy rng-owner" warden cell destroy rng-owner
t_match "virtio-rng is driven by virtio-pci again" virtio-pci "$(readlink $rng/driver)"
t_match "it was reset first (it has a function-level reset behind its port)" \
	"0000:02:00.0: warden: reset after cell 'rng-owner'" "$(dmesg)"
t_match "the driver logged the return" \
	"0000:02:00.0: warden: back from cell 'rng-owner', driver virtio-pci" "$(dmesg)"
for i in $(seq 1 100); do grep -q virtio /sys/class/misc/hw_random/rng_current && break; sleep 0.2; done
n0=$(lpis)
root_ok "end"
t_check "virtio-rng's MSIs after it came back from the cell (was $n0)" test "$(lpis)" -gt "$n0"

t_check "disable" warden disable
t_eq "all CPUs back" "$(cat /sys/devices/system/cpu/online)" 0-3
t_eq "the SMMU is off again (CR0)" "$(devmem 0x09050020 32)" 0x00000000
t_eq "and in bypass, as Linux left it (GBPA.ABORT clear)" $(( $(devmem 0x09050044 32) & 0x100000 )) 0
fill 0x7f001000 0
t_check "root: edu copy after disable" edu_copy 0x7f000000 0x7f001000
t_eq "root: the copy arrived" "$(devmem 0x7f001000 64)" 0x214B434154544121
t_check "virtio-rng after disable" rng_ok

t_check "enable without an SMMU unit" warden enable $C/qemu-arm64-its.cell
t_expect_fail -F "a cell with stream ids on a system without an SMMU is refused" \
	"cell 'dma-demo': 1 stream id(s), but the system configuration has no SMMUv3 unit to isolate them" \
	warden cell create $C/qemu-smmu-dma.cell
t_check "disable again" warden disable

# The root configuration config create derives from this board: unit and stream ids.
t_check "config create on this board" warden config create -o /tmp/root.cell
t_check "enable with it" warden enable /tmp/root.cell
t_match "it has the SMMU, bus 0's stream ids and those of edu 01:00.0 and virtio-rng 02:00.0" \
	'SMMUv3: DMA isolation on, 258 stream id' "$(warden console)"
fill 0x7f001000 0
t_check "root: edu copy with the created configuration" edu_copy 0x7f000000 0x7f001000
t_eq "root: the copy arrived" "$(devmem 0x7f001000 64)" 0x214B434154544121
t_check "root: edu DMA into hypervisor memory" edu_dma 0x40000 0x7fc00000 64 3
t_match "refused and logged" "F_TRANSLATION: stream id 0x8 \(cell '[^']*'\) write at 0x7fc00000" "$(warden console)"
t_check "disable at the end" warden disable
EOF

# A unit in the device tree where the board has nothing (QEMU's device tree
# with one more "arm,smmu-v3" node, disabled, at 0x09070000): the driver
# lets enable through and the hypervisor's first read there is an external
# abort (QEMU's virt board, like many buses, aborts where nothing answers;
# Linux's own read gets SIGBUS). The hypervisor survives it and refuses the
# unit naming its address; enable then works with the board's real unit.
dtb=$WT_OUT/tests/smmu-absent.dtb
if ! "${QEMU:-qemu-system-aarch64}" -machine virt,virtualization=on,gic-version=3,its=on,iommu=smmuv3,dumpdtb=$dtb.orig \
	-cpu cortex-a57 -smp 4 -m 1G -display none -nic none -serial null -serial null \
	-device edu,dma_mask=0xffffffffffffffff -device virtio-rng-pci >/dev/null 2>&1 ||
   ! { dtc -q -I dtb -O dts $dtb.orig | sed '$d' &&
       printf '\tsmmuv3@9070000 {\n\t\tcompatible = "arm,smmu-v3";\n\t\treg = <0x00 0x9070000 0x00 0x20000>;\n\t\tstatus = "disabled";\n\t};\n};\n'; } |
     dtc -q -I dts -O dtb -o $dtb; then
	echo "not ok - smmu-absent: could not make the device tree"
	WT_FAILED=1
fi
qemu_test smmu-absent --kernels 6.1 --timeout 200 "${board[@]}" --qemu-arg -dtb --qemu-arg "$dtb" \
	--append "initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 iomem=relaxed" <<'EOF'
t_match "the device tree has the extra unit" smmuv3@9070000 "$(ls /proc/device-tree)"
t_check "modprobe warden" modprobe warden || exit 1
t_expect_status "nothing answers at 0x09070000: Linux's read is a bus error" 135 devmem 0x09070000 32
t_expect_fail -F "the hypervisor survives the abort and refuses the unit, naming its address" \
	"IOMMU unit #0: no SMMUv3 at 0x9070000 (reading IDR0 was an external abort" \
	warden enable /etc/warden/qemu-smmu-bad-absent.cell
t_eq "all CPUs online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_eq "not enabled" "$(cat /sys/devices/warden/enabled)" 0
t_check "enable with the board's unit afterwards" warden enable /etc/warden/qemu-smmu.cell
t_match "the hypervisor took that unit" 'SMMUv3: DMA isolation on' "$(warden console)"
t_check "the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
t_check "disable" warden disable
EOF

# Linux's own arm-smmu-v3 driver has the unit: enable is refused, with the way out.
qemu_test smmu-linux --kernels 6.1 --timeout 200 "${board[@]}" <<'EOF'
t_match "Linux's SMMU driver has the unit" 'arm-smmu-v3' "$(dmesg | grep -i smmu)"
t_check "modprobe warden" modprobe warden || exit 1
t_expect_fail -F "enable is refused" "SMMU 0x9050000 is in use by Linux's arm-smmu-v3 driver" \
	warden enable /etc/warden/qemu-smmu.cell
t_match "with a hint" 'initcall_blacklist=arm_smmu_driver_init' "$(cat $T_ERR)"
# The kernel arguments the hint tells the user to boot with, for smmu-recipe.
t_log "RECIPE: $(tr '\n' ' ' <$T_ERR | sed -n 's/.*hint: boot Linux with \([^(]*\) (.*/\1/p')"
# A configuration without the unit: the driver's refusal (platform-check.c),
# whose hint says to write one with the unit and boot with the same arguments.
t_expect_fail -F "a root configuration without the unit is refused too, naming it" \
	"the SMMU at 0x09050000 (/smmuv3@9050000) is used by Linux (driver arm-smmu-v3)" \
	warden enable /etc/warden/qemu-arm64-its.cell
t_log "RECIPE2: $(tr '\n' ' ' <$T_ERR | sed -n "s/.*hint: add the unit to the configuration ('warden config create' finds it) and boot Linux with \(.*\) so that Warden.*/\1/p")"
t_eq "not enabled" "$(cat /sys/devices/warden/enabled)" 0
t_check "the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
EOF

# The hint followed literally: a root booted with exactly its arguments (and
# nothing else) gets Warden on with the SMMU and virtio-rng working behind it,
# without waiting the 10 s Linux defers the devices of an absent IOMMU driver.
recipe=$(sed -n 's/.*# RECIPE: //p' "$WT_LOGS/smmu-linux-6.1.log" 2>/dev/null | tr -d '\r' | head -1)
recipe2=$(sed -n 's/.*# RECIPE2: //p' "$WT_LOGS/smmu-linux-6.1.log" 2>/dev/null | tr -d '\r' | head -1)
if [ -n "$recipe" ] && [ "$recipe" = "$recipe2" ]; then
	echo "ok - smmu-recipe: both refusals' hints name the same kernel arguments"
else
	echo "not ok - smmu-recipe: the hints differ: '$recipe' (unit in use by Linux) and '$recipe2' (unit not in the configuration)"
	WT_FAILED=1
fi
if [ -z "$recipe" ]; then
	echo "not ok - smmu-recipe: no recipe in the refusal's hint (smmu-linux-6.1.log)"
	WT_FAILED=1
else
	echo "# smmu-recipe: booting with: $recipe"
	qemu_test smmu-recipe --kernels 6.1 --timeout 200 "${board[@]}" --append "$recipe" <<'EOF'
case $(uname -r) in 6.1.*) mods=/root/mods/6.1 ;; *) mods=/root/mods/6.12 ;; esac
for m in virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio-rng; do
	[ -f $mods/$m.ko ] && insmod $mods/$m.ko
done
t_match "Linux's SMMU driver stayed out" "initcall_blacklist=arm_smmu_driver_init" "$(cat /proc/cmdline)"
t_check "virtio-rng is the root's hardware RNG within 5 s" sh -c \
	'for i in $(seq 1 25); do grep -q virtio /sys/class/misc/hw_random/rng_current && exit 0; sleep 0.2; done; exit 1'
t_log "virtio-rng ready at uptime $(cut -d' ' -f1 /proc/uptime) s"
t_check "modprobe warden" modprobe warden || exit 1
t_check "enable with the SMMU" warden enable /etc/warden/qemu-smmu.cell
t_match "the hypervisor has the SMMU" 'SMMUv3: DMA isolation on' "$(warden console)"
t_check "virtio-rng gives random bytes under Warden (DMA through the SMMU)" \
	sh -c 'test "$(timeout 20 head -c 64 /dev/hwrng | od -An -tx1 | wc -w)" -eq 64'
t_check "disable" warden disable
# The other hint: a configuration written for this machine.
t_check "warden config create (the hint of the configuration without the unit)" \
	warden config create -o /tmp/this.cell
t_check "enable with it" warden enable /tmp/this.cell
t_match "the hypervisor has the SMMU" 'SMMUv3: DMA isolation on' "$(warden console)"
t_check "virtio-rng gives random bytes under Warden with it" \
	sh -c 'test "$(timeout 20 head -c 64 /dev/hwrng | od -An -tx1 | wc -w)" -eq 64'
t_check "disable again" warden disable
EOF
fi

# The issue's reproducer where time is instructions (-icount): edu starts a
# transfer 100 ms of virtual time after its command, and a hand-back that
# skipped the reset and restored bus mastering lets it land in root RAM
# (seen with such a driver: 1 round in 3). QEMU's edu has no reset of its
# own: a bus reset leaves its queued transfer running, and Linux does not
# wait after the reset (edu has no power management); the driver's 100 ms
# with the stream aborting and bus mastering off after the reset is what
# stops it here. Four rounds.
qemu_test smmu-linger --kernels 6.1 --timeout 900 "${board[@]}" \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--append "initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 iomem=relaxed" <<'EOF'
C=/etc/warden
I=/usr/share/warden/inmates
edu2=/sys/bus/pci/devices/0000:01:00.0
set_cmd() { printf "\\x$(printf %02x $2)\\x00" | dd of=$1/config bs=1 seek=4 count=2 conv=notrunc 2>/dev/null; }
# The root port's driver enables its window (deferred behind the SMMU: 1 s).
t_check "the root port above edu has its driver" sh -c \
	'for i in $(seq 1 100); do [ -e /sys/bus/pci/devices/0000:00:02.0/driver ] && exit 0; sleep 0.2; done; exit 1'
t_check "modprobe warden" modprobe warden || exit 1
t_check "enable with the SMMU" warden enable $C/qemu-smmu.cell || exit 1
for round in 1 2 3 4; do
	for o in 0 8 16 24 32 40 48 56; do devmem $((0x7f003000 + o)) 64 0; done
	set_cmd $edu2 6
	dones=$(warden console | grep -c 'dma-demo: done')
	warden cell create $C/qemu-smmu-dma.cell &&
	warden cell load dma-demo $I/dma-demo.bin -s "linger=0x7f003000" -a 0x1000 &&
	warden cell start dma-demo || t_fail "round $round: dma-demo" "did not start"
	for i in $(seq 1 150); do [ "$(warden console | grep -c 'dma-demo: done')" -gt "$dones" ] && break; sleep 0.2; done
	t_match "round $round: the cell used edu" "dma-demo: copy ok" "$(warden console | tail -5)"
	t_check "round $round: destroy with a transfer queued" warden cell destroy dma-demo
	t_match "round $round: the cell queued it when asked to shut down" \
		"shutting down with a transfer to 0x7f003000 queued" "$(warden console | tail -6)"
	set_cmd $edu2 6
	sleep 1
	t_eq "round $round: nothing landed in root RAM 0x7f003000" "$(devmem 0x7f003000 64)" 0x0000000000000000
done
t_check "disable" warden disable
EOF
qemu_done
