#!/usr/bin/env bash
# A cell's physical PCI function on the cell's virtual PCI host (issue 17,
# "MSIs for cells", parts 1 and 2): virtio-rng-pci, alone behind a PCIe root
# port at 02:00.0, goes to a bare-metal inmate (configs/arm64/qemu-pci-rng.c,
# inmates/demos/pci-demo.c) that
#  - finds it at 00:02.0 (a function behind a root port is device <bus> of
#    the virtual bus 0), with its real ids and class, the capability list
#    filtered to vendor-specific, MSI-X and PCI Express ones (no power
#    management), no ROM, no INTx, no extended capabilities; the root's edu
#    (00:01.0) is not there;
#  - sizes BAR1 and BAR4/5 (the masks of the configuration) and gets the
#    assigned addresses back;
#  - writes every offset of the 4 KiB, widths 1, 2 and 4, all ones and zeros:
#    the device's configuration space, read by the root through sysfs, is
#    the same afterwards except the command register and MSI-X Message
#    Control bits the cell may set; the bus numbers of the root port are
#    unchanged;
#  - drives one virtio-rng request (modern virtio-pci through the vendor
#    capabilities, virtqueue in its RAM) and gets random bytes by DMA through
#    the SMMU, and the completion as an MSI: MSI-X entry 0 aimed at its
#    virtual ITS, which maps the event to LPI 8200; the hypervisor routes the
#    device's message through the physical ITS (a pLPI of its own, taken at
#    EL2) to the cell's vLPI;
#  - enables MSI-X and writes its trapped table with a foreign doorbell (the
#    distributor's GICD_SETSPI_NSR) and data, unmasked: it reads its own values
#    back, and the device's table, read by the root, stays masked and empty;
# then the device goes back to the root, whose virtio-rng and MSIs work again,
# and 10 create/destroy rounds leave the page pool as it was.
. "$(dirname "$0")/lib.sh"

# iommu_platform=on: without it QEMU's virtio devices do their DMA beside the
# emulated SMMU (as if VIRTIO_F_ACCESS_PLATFORM were a promise of the guest),
# and the cell's request would land at its guest address taken as physical.
mods=$WT_OUT/tests/cell-pci-mods
rm -rf "$mods"
mkdir -p "$mods/6.1" "$mods/6.12"
for f in "$WT_TOP"/.cache/linux-6.1/root/lib/modules/*/kernel/drivers/virtio/virtio_pci*.ko \
	 "$WT_TOP"/.cache/linux-6.1/root/lib/modules/*/kernel/drivers/char/hw_random/virtio-rng.ko; do
	[ -f "$f" ] && cp "$f" "$mods/6.1/"
done
for f in "$WT_TOP"/.cache/linux-6.12/root/lib/modules/*/kernel/drivers/char/hw_random/virtio-rng.ko.xz; do
	[ -f "$f" ] && xz -dc "$f" >"$mods/6.12/virtio-rng.ko"
done

board=(--iommu smmuv3 --device edu,dma_mask=0xffffffffffffffff
	--device pcie-root-port,id=rp1,chassis=1 --device edu,dma_mask=0xffffffffffffffff,bus=rp1
	--device pcie-root-port,id=rp2,chassis=2 --device virtio-rng-pci,bus=rp2,iommu_platform=on
	--add "$mods:/root/mods")

qemu_test cell-pci --timeout 400 "${board[@]}" \
	--append "initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 iomem=relaxed" <<'EOF'
sysfs=/sys/devices/warden
C=/etc/warden
I=/usr/share/warden/inmates
rng=/sys/bus/pci/devices/0000:02:00.0
case $(uname -r) in 6.1.*) mods=/root/mods/6.1 ;; *) mods=/root/mods/6.12 ;; esac
cfgdump() { od -An -tx1 -v -N256 $rng/config | tr -s ' \n' '  '; }
byte() { od -An -tu1 -j$2 -N1 $1/config | tr -d ' '; }
# Offset of capability $2 of device $1 (sysfs dir), or 0.
capof() {
	local c=$(byte $1 52) n=0
	while [ "$c" -ne 0 ] && [ $n -lt 48 ]; do
		[ "$(byte $1 $c)" -eq $2 ] && { echo $c; return; }
		c=$(byte $1 $((c + 1))); n=$((n + 1))
	done
	echo 0
}
lpis() { grep ITS /proc/interrupts | grep virtio | awk '{for (i = 2; i <= 5; i++) s += $i} END {print s + 0}'; }
rng_ok() { test "$(timeout 20 head -c 64 /dev/hwrng | od -An -tx1 | wc -w)" -eq 64; }
wait_done() { for i in $(seq 1 150); do warden console | grep -q 'pci-demo: done' && return 0; sleep 0.2; done; return 1; }

for m in virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio-rng; do
	[ -f $mods/$m.ko ] && insmod $mods/$m.ko
done
for i in $(seq 1 100); do grep -q virtio /sys/class/misc/hw_random/rng_current && break; sleep 0.2; done
t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable with the SMMU" warden enable $C/qemu-smmu.cell || exit 1
t_check "virtio-rng works for the root" rng_ok
msix=$(capof $rng 17)
t_check "virtio-rng has an MSI-X capability (at $msix)" test "$msix" -gt 0
port=$(dirname $(readlink -f $rng))
t_log "root port: $port"
port_bus0=$(od -An -tx1 -j24 -N3 $port/config)
pool0=$(t_read $sysfs/mem_pool_used)

t_check "create pci-rng (virtio-rng 02:00.0)" warden cell create $C/qemu-pci-rng.cell || exit 1
log=$(warden console)
t_match "the hypervisor puts 02:00.0 at 00:02.0 of the cell's virtual host" \
	"cell 'pci-rng': PCI device 0000:02:00.0 is 00:02.0 on its virtual host \([0-9]+ capabilities shown, 2 MSI-X vectors\)" "$log"
t_match "the hypervisor knows 02:00.0's ITS device id from the root's msi-map (QEMU virt: the requester id)" \
	"cell 'pci-rng': PCI device 0000:02:00.0 sends its MSIs as ITS device id 0x200[^0-9a-f]*$" "$log"
before=$(cfgdump)
t_check "load pci-demo" warden cell load pci-rng $I/pci-demo.bin
# The cell prints on the hypervisor's UART, which is also this console: no
# result line while it runs.
warden cell start pci-rng; st=$?
wait_done; done_st=$?
t_eq "start pci-demo" "$st" 0
t_eq "pci-demo finished" "$done_st" 0
log=$(warden console)
t_match "cell: ids and class are the device's" "pci-demo: 00:02.0 is 1af4:1044 class ff0000|pci-demo: 00:02.0 is 1af4:1044 class 00ff00" "$log"
t_match "cell: a function it does not own reads all ones" "pci-demo: other function reads 0xffffffff" "$log"
t_match "cell: no INTx, no ROM, no extended capabilities; capability list on" \
	"pci-demo: command 0x0[0-9a-f]{3} status 0x0[0-9a-f]1[0-9a-f] int 0x0000 rom 0x00000000 ext 0x00000000" "$log"
caps=$(echo "$log" | grep 'pci-demo: caps' | tail -1)
t_log "$caps"
t_match "cell: MSI-X and PCI Express capabilities shown" " 11@.* 10@| 10@.* 11@" "$caps"
t_check "cell: vendor-specific (virtio) capabilities shown" sh -c "echo '$caps' | grep -q ' 09@'"
t_check "cell: no power management, MSI or other capability" sh -c "! echo '$caps' | grep -Eq ' (0[0-8a-f]|1[2-9a-f]|[2-9a-f][0-9a-f])@'"
t_match "cell: BAR0 (I/O or absent) reads 0, sizing too" "pci-demo: BAR0 0x00000000 mask 0x00000000 back 0x00000000" "$log"
t_match "cell: BAR1 sized (4 KiB) and back at its address" "pci-demo: BAR1 0x10300000 mask 0xfffff000 back 0x10300000" "$log"
t_match "cell: BAR4 sized (16 KiB, 64-bit prefetchable)" "pci-demo: BAR4 0x0020000c mask 0xffffc00c back 0x0020000c" "$log"
t_match "cell: BAR5 (upper half) sized" "pci-demo: BAR5 0x00000080 mask 0xffffffff back 0x00000080" "$log"
t_match "cell: one virtio-rng request through the device it drives (queue in its RAM, DMA through the SMMU)" \
	"pci-demo: virtio request done: 32 bytes, (2[4-9]|3[0-2]) of them non-zero \(ACCESS_PLATFORM\)" "$log"
t_match "cell: the completion arrives as an MSI: LPI 8200 through its virtual ITS, on its CPU" \
	"pci-demo: completion by MSI-X: LPI 8200 on CPU 0x3 \(1 MSI, 0 other interrupts\)" "$log"
t_eq "cell: no DMA fault" "$(t_read $sysfs/cells/$(for d in $sysfs/cells/*; do [ "$(cat $d/name)" = pci-rng ] && basename $d; done)/dma_faults)" 0
t_match "cell: after the sweep, what the cell set back" \
	"pci-demo: after sweep command 0x0006 BAR1 0x10300000 BAR4 0x0020000c" "$log"
t_match "cell: its MSI-X table shadow holds what it wrote" \
	"pci-demo: MSI-X control 0x8001 table 0x10300000 entry0 08000040 00000000 00001234 00000000 entry1 deadbeefcafef00d" "$log"
after=$(cfgdump)
diffs=$(echo "$before" "|" "$after" | awk -F'|' '{n = split($1, a, " "); split($2, b, " ");
	for (i = 1; i <= n; i++) if (a[i] != b[i]) printf "%d ", i - 1}')
t_log "config bytes that changed: $diffs (MSI-X capability at $msix)"
t_check "device: only command and MSI-X control changed in its configuration space" \
	sh -c "for o in $diffs; do case \$o in 4|5|6|7|$((msix + 3))) ;; *) exit 1 ;; esac; done"
t_eq "device: command: memory, bus master, INTx disabled (the cell's INTx Disable is emulated)" \
	"$(od -An -tx2 -j4 -N2 $rng/config | tr -d ' ')" 0406
t_eq "device: MSI-X enabled as the cell asked" "$(( $(byte $rng $((msix + 3))) & 0xc0 ))" 128
t_eq "device: BAR1 where the root put it" "$(od -An -tx4 -j20 -N4 $rng/config | tr -d ' ')" 10300000
t_eq "root port: bus numbers unchanged" "$(od -An -tx1 -j24 -N3 $port/config)" "$port_bus0"
t_eq "device: its MSI-X entry 0 stays masked and empty" \
	"$(devmem 0x10300000 32) $(devmem 0x10300008 32) $(devmem 0x1030000c 32)" "0x00000000 0x00000000 0x00000001"
t_eq "device: its MSI-X entry 1 too" \
	"$(devmem 0x10300010 32) $(devmem 0x10300014 32) $(devmem 0x1030001c 32)" "0x00000000 0x00000000 0x00000001"
t_eq "pci-rng still running" "$(warden cell list | grep -c 'pci-rng.*running')" 1

n0=$(lpis)
t_check "destroy pci-rng" warden cell destroy pci-rng

# A rogue access to the trapped table: the cell is stopped, named; nothing else changes.
t_check "create pci-rng again" warden cell create $C/qemu-pci-rng.cell
t_check "load pci-demo rogue" warden cell load pci-rng $I/pci-demo.bin -s rogue -a 0x1000
warden cell start pci-rng; st=$?
sh -c 'for i in $(seq 1 150); do warden cell list | grep -q "pci-rng.*failed" && exit 0; sleep 0.2; done; exit 1'; fail_st=$?
t_eq "start it" "$st" 0
t_eq "it ran, and was stopped" "$fail_st" 0
t_match "rogue: a 2-byte store into the MSI-X table stops the cell, named" \
	"cell 'pci-rng': CPU 3: refused 2-byte write \(not permitted\) at 0x1030000c" "$(warden console)"
t_eq "rogue: the cell failed" "$(warden cell list | grep -c 'pci-rng.*failed')" 1
t_eq "rogue: the device's entry 0 is still masked" "$(devmem 0x1030000c 32)" 0x00000001
t_check "destroy the failed cell" warden cell destroy pci-rng
for i in $(seq 1 100); do grep -q virtio /sys/class/misc/hw_random/rng_current && break; sleep 0.2; done
t_check "virtio-rng works for the root again" rng_ok
t_check "... with its MSIs (was $n0)" test "$(lpis)" -gt "$n0"
for r in $(seq 1 10); do
	warden cell create $C/qemu-pci-rng.cell >/dev/null && warden cell destroy pci-rng >/dev/null || break
done
t_eq "10 create/destroy rounds" "$r" 10
t_eq "the page pool is as before" "$(t_read $sysfs/mem_pool_used)" "$pool0"
t_check "virtio-rng still works" rng_ok
t_check "disable" warden disable
EOF
