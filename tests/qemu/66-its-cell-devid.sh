#!/usr/bin/env bash
# The root may not name the ITS device id of a cell's physical PCI function
# (issue 17, "device ids owned per cell"; hypervisor/arch/arm64/gicv3-its-cell.c),
# seen from the root with nothing but busybox devmem. 96-cell-pci.sh's board
# (SMMUv3, edu 00:01.0 and 01:00.0, virtio-rng 02:00.0 for the cell pci-rng)
# plus a second virtio-rng-pci behind a third root port (03:00.0, device id
# 0x300) that stays the root's; root configuration qemu-smmu-devid.
#  - while pci-rng (configs/arm64/qemu-pci-rng.c) owns 02:00.0, the root's
#    MAPD (valid and not), MAPTI, MAPI, INT, DISCARD, MOVI, CLEAR and INV
#    naming device id 0x200, sent from the root's own command queue, are each
#    refused with one line naming the field and the reason, CREADR passes
#    them, and the ITS writes nothing into the ITT the MAPD named;
#  - in the same batch an INT for the root's own device 0x300 goes through:
#    its interrupt count rises (an ITS-generated MSI), and afterwards the
#    root's virtio-rng delivers random bytes with MSIs on Linux's queue;
#  - after destroy (02:00.0 back with the root, then released from its
#    driver so that the root's commands disturb nothing) the same commands
#    are forwarded (MAPI aside: its pINTID is its EventID, no LPI): no
#    refusal, and the ITS writes the ITT entry; 02:00.0
#    bound again works for the root with its MSIs.
# One kernel series per CPU model (CI time): 6.1 on cortex-a57, 6.12 on
# cortex-a72 (not a 48-bit CPU: QEMU's SMMUv3 outputs 44 bits).
. "$(dirname "$0")/lib.sh"

board=(--iommu smmuv3 --device edu,dma_mask=0xffffffffffffffff
	--device pcie-root-port,id=rp1,chassis=1 --device edu,dma_mask=0xffffffffffffffff,bus=rp1
	--device pcie-root-port,id=rp2,chassis=2 --device virtio-rng-pci,bus=rp2,iommu_platform=on
	--device pcie-root-port,id=rp3,chassis=3 --device virtio-rng-pci,bus=rp3,iommu_platform=on
	--add "$WT_TOP/tests/qemu/guest/its-queue.sh:/usr/share/warden/its-queue.sh")
append="initcall_blacklist=arm_smmu_driver_init deferred_probe_timeout=1 iomem=relaxed"

cat >"$WT_SCRIPTS/its-cell-devid.sh" <<'EOF'
. /usr/share/warden/its-queue.sh
sysfs=/sys/devices/warden
C=/etc/warden
I=/usr/share/warden/inmates
cell_rng=/sys/bus/pci/devices/0000:02:00.0
root_rng=/sys/bus/pci/devices/0000:03:00.0
ITT=$((Q + 0x800))
# Interrupts counted for one PCI function (all its MSI-X vectors, all CPUs).
msis() {
	local n=0 i c
	for i in $(ls $1/msi_irqs 2>/dev/null); do
		c=$(awk -v i="$i:" '$1 == i { s = 0; for (k = 2; k <= 5; k++) s += $k; print s }' /proc/interrupts)
		n=$((n + ${c:-0}))
	done
	echo $n
}
rng_ok() { test "$(timeout 20 head -c 64 /dev/hwrng | od -An -tx1 | wc -w)" -eq 64; }
bound() { test -e $1/driver; }
wait_bound() { for i in $(seq 1 100); do bound $1 && return 0; sleep 0.2; done; return 1; }

t_check "virtio-pci and virtio-rng" sh -c "modprobe virtio_pci && modprobe virtio_rng"
t_check "both virtio-rng functions probed" sh -c "wait_bound() { for i in \$(seq 1 100); do test -e \$1/driver && return 0; sleep 0.2; done; return 1; }; wait_bound $cell_rng && wait_bound $root_rng"
t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable (qemu-smmu-devid)" warden enable $C/qemu-smmu-devid.cell || exit 1
t_check "the root's hwrng works" rng_ok
save_linux
pool0=$(t_read $sysfs/mem_pool_used)

t_check "create pci-rng (02:00.0)" warden cell create $C/qemu-pci-rng.cell || exit 1
t_match "02:00.0 sends its MSIs as ITS device id 0x200" \
	"cell 'pci-rng': PCI device 0000:02:00.0 sends its MSIs as ITS device id 0x200" "$(warden console)"
t_check "load pci-demo" warden cell load pci-rng $I/pci-demo.bin
t_check "start pci-demo" warden cell start pci-rng
for i in $(seq 1 150); do warden console | grep -q 'pci-demo: done' && break; sleep 0.2; done
t_match "pci-demo ran (its device did DMA through the SMMU)" "pci-demo: virtio request done" "$(warden console)"
t_check "the root's virtio-rng (03:00.0) is the current hwrng" rng_ok

# The root's own queue: nine commands naming 0x200, then an INT for its own 0x300.
t_eq "the ITT page is zero before" "$(rd32 $ITT)" 0x0
root0=$(msis $root_rng)
mark
own_queue
t_eq "own queue accepted" "$(its_rd 0x80)" "$(hx $((Q | 0x400)))"
#   slot W0 (cmd)  W1 (devid) W2 (DW1 lo) W3 (DW1 hi)  W4 (DW2 lo)       W5          W6 W7
cmd 0  0x08 0x200  1  0          $ITT              0x80000000  0 0	# MAPD V=1, ITT in root RAM
cmd 1  0x0a 0x200  0  8300       0                 0           0 0	# MAPTI event 0 -> LPI 8300
cmd 2  0x0b 0x200  1  0          0                 0           0 0	# MAPI event 1
cmd 3  0x03 0x200  0  0          0                 0           0 0	# INT event 0
cmd 4  0x0f 0x200  0  0          0                 0           0 0	# DISCARD event 0
cmd 5  0x01 0x200  0  0          1                 0           0 0	# MOVI event 0 -> ICID 1
cmd 6  0x04 0x200  0  0          0                 0           0 0	# CLEAR event 0
cmd 7  0x0c 0x200  0  0          0                 0           0 0	# INV event 0
cmd 8  0x08 0x200  0  0          0                 0           0 0	# MAPD V=0
cmd 9  0x03 0x300  0  0          0                 0           0 0	# INT: the root's 03:00.0, event 0
cmd 10 0x05 0      0  0          0                 0           0 0	# SYNC CPU 0
send 0 11
out=$(since)
for c in "MAPD:0x0" "MAPTI:0x20" "MAPI:0x40" "INT:0x60" "DISCARD:0x80" "MOVI:0xa0" "CLEAR:0xc0" "INV:0xe0" "MAPD:0x100"; do
	t_match "${c%%:*} naming the cell's device id refused (queue offset ${c#*:})" \
		"root command ${c%%:*} at queue offset ${c#*:} refused: DeviceID 0x200: a cell's PCI function holds it" "$out"
done
t_eq "nine refusals, one line each; the root's own INT and SYNC forwarded" "$(echo "$out" | grep -c 'refused:')" 9
t_eq "the ITS wrote nothing into the ITT the MAPD named" "$(rd32 $ITT) $(rd32 $((ITT + 4)))" "0x0 0x0"
back_to_linux
t_check "the root's INT for its own device 0x300 arrived: 03:00.0's interrupt count rose from $root0" \
	test "$(msis $root_rng)" -gt "$root0"
root1=$(msis $root_rng)
t_check "the root's hwrng (03:00.0) after the refusals" rng_ok
t_check "... with its MSIs" test "$(msis $root_rng)" -gt "$root1"
t_eq "pci-rng still running" "$(warden cell list | grep -c 'pci-rng.*running')" 1
t_check "destroy pci-rng" warden cell destroy pci-rng
t_eq "the page pool is back" "$(t_read $sysfs/mem_pool_used)" "$pool0"

# The device id is the root's again: the same commands are forwarded. Linux
# lets go of 02:00.0 first (its driver's ITS mapping goes), so that they
# change nothing Linux uses.
t_check "02:00.0 probed again for the root" wait_bound $cell_rng
t_check "02:00.0 released from virtio-pci" sh -c "echo 0000:02:00.0 > $cell_rng/driver/unbind"
# MAPI's pINTID is its EventID (1: no LPI): event 1 gets a MAPTI instead.
cmd 2  0x0a 0x200  1  8301       0                 0           0 0	# MAPTI event 1 -> LPI 8301
mark
own_queue
send 0 3
t_check "MAPD and MAPTI forwarded: the ITS wrote the ITT entry for device 0x200 into the root's RAM" \
	test "$(rd32 $ITT)" != 0x0
send 3 9
out=$(since)
t_eq "no refusal: the device id is the root's again" "$(echo "$out" | grep -c 'refused')" 0
back_to_linux
cell1=$(msis $cell_rng)
t_check "02:00.0 bound to virtio-pci again" sh -c "echo 0000:02:00.0 > /sys/bus/pci/drivers/virtio-pci/bind"
t_check "... probed" wait_bound $cell_rng
# Each virtio-rng in turn as the current hwrng: 02:00.0's MSIs arrive again.
cur=$(cat /sys/class/misc/hw_random/rng_current)
for r in $(cat /sys/class/misc/hw_random/rng_available); do
	[ "$r" = none ] && continue	# 6.12 lists "none" too
	echo $r > /sys/class/misc/hw_random/rng_current
	t_check "hwrng $r works" rng_ok
done
echo $cur > /sys/class/misc/hw_random/rng_current
t_check "02:00.0's MSIs arrive for the root again ($cell1 before)" test "$(msis $cell_rng)" -gt "$cell1"
t_check "disable" warden disable
t_check "hwrng after disable" rng_ok
EOF

for series in ${WARDEN_TEST_KERNELS:-6.1 6.12}; do
	case $series in
	6.1) qemu_test its-cell-devid --kernels 6.1 --timeout 400 "${board[@]}" \
		--append "$append" --script "$WT_SCRIPTS/its-cell-devid.sh" ;;
	*) qemu_test its-cell-devid@cortex-a72 --kernels "$series" --timeout 400 "${board[@]}" \
		--cpu cortex-a72 --append "$append" --script "$WT_SCRIPTS/its-cell-devid.sh" ;;
	esac
done
qemu_done
