#!/usr/bin/env bash
# The platform matrix: one guest boot per CPU model / board variant, each a
# smoke test of the whole life cycle on that platform: enable (the hypervisor
# reports the CPU's physical address size and the stage-2 geometry it chose),
# create, run and destroy a cell, one isolation attack (attack.bin
# mode=root-write must stop the attack cell), the root still working,
# disable, and every root CPU back online.
#
#   CPU / board             PA bits  stage 2                    extra
#   cortex-a53              40       level 1, 2 root tables     root config with a device at 1 TiB
#                                                               refused at enable, a cell with a
#                                                               1 TiB IPA at create
#   cortex-a57              44       level 0                    1 TiB IPA accepted
#   cortex-a72              44       level 0
#   cortex-a76 (vh=0)       40       level 1, 2 root tables     the same refusals
#   neoverse-n1 (vh=0)      48       level 0                    1 TiB IPA accepted
#   max (vh=0)              48       level 0                    SVE, PAuth, MTE... for the root
#   cortex-a53, GICv2       40       level 1, 2 root tables     root qemu-arm64-gicv2.cell
#   cortex-a57, GICv2       44       level 0                    1 TiB IPA accepted; GICv2 root
#   a57, 4 GiB, ITS, MSI    44       level 0                    root config from "warden config
#        (virtio-rng-pci)                                       create", hypervisor and a cell's
#                                                               RAM above 4 GiB, MSIs (LPIs) of
#                                                               the root's virtio-rng keep coming
#                                                               while enabled and after disable
#
# ARMv8.1+ models have VHE: Linux would run at EL2 and Warden refuses it, so
# those rows boot with id_aa64mmfr1.vh=0 (Linux stays at EL1).
# One kernel series (6.1) is enough: the platform differences are in
# the CPU and the board, not in the kernel.
. "$(dirname "$0")/lib.sh"

rows=$WT_SCRIPTS/matrix
mkdir -p "$rows"

# The smoke test every row runs; the row's expectations come first (ROW_*).
smoke() {
	cat <<'EOF'
C=/etc/warden
I=/usr/share/warden/inmates
sysfs=/sys/devices/warden
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }
root_works() { seq 1 500 | sort -n | tail -1 | grep -q 500; }

row_setup
t_check "modprobe warden" modprobe warden || exit 1
t_check "enable" warden enable $ROW_ROOT || exit 1
t_match "the hypervisor uses the CPU's physical address size" \
	"CPU: $ROW_BITS-bit physical addresses; stage 2: $ROW_BITS-bit IPA, start level $ROW_SL, $ROW_ROOTS root table" \
	"$(warden console)"
row_enabled
t_check "create $ROW_CELL" warden cell create $C/$ROW_CELL_CONFIG.cell
t_check "load $ROW_CELL" warden cell load $ROW_CELL $I/uart-demo.bin -s "console=both period=20000 count=3" -a 0x1000
t_check "start $ROW_CELL" sh -c "warden cell start $ROW_CELL && sleep 1"
t_eq "$ROW_CELL runs" "$(t_read $sysfs/cells/$(cell_id $ROW_CELL)/state)" running
t_match "$ROW_CELL ran its program (3 lines on the hypervisor console)" "uart-demo: done" "$(warden console)"

t_check "attack cell set up (root-write)" sh -c "warden cell create $C/qemu-attack.cell &&
	warden cell load attack $I/attack.bin -s mode=root-write -a 0x1000 &&
	warden cell start attack && sleep 1"
t_eq "root-write stops the attack cell" "$(t_read $sysfs/cells/$(cell_id attack)/state)" failed
t_match "the hypervisor names the refused access" "cell 'attack': CPU 2: refused .* at 0x" "$(warden console)"
t_eq "$ROW_CELL still runs" "$(t_read $sysfs/cells/$(cell_id $ROW_CELL)/state)" running
t_check "the root still works" root_works
t_check "destroy the attack cell" warden cell destroy attack
t_check "destroy $ROW_CELL" warden cell destroy $ROW_CELL
row_extra
t_check "disable" warden disable
t_eq "every root CPU back online" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "the root works after disable" root_works
row_after
EOF
}

# row NAME BITS START_LEVEL ROOT_TABLES IPA41(refused|accepted|-) [qemu-run options]
# $ROW_OVERRIDES (guest shell) may redefine ROW_* and the row_* hooks.
row() {
	local name=$1 bits=$2 sl=$3 roots=$4 ipa41=$5
	shift 5
	# WARDEN_MATRIX_ROWS="cortex-a53 4g-its-msi" runs only those rows.
	case " ${WARDEN_MATRIX_ROWS:-$name} " in *" $name "*) ;; *) return 0 ;; esac
	{
		echo "ROW_BITS=$bits ROW_SL=$sl ROW_ROOTS=$roots"
		echo 'ROW_ROOT=/etc/warden/qemu-arm64.cell ROW_CELL=uart-demo ROW_CELL_CONFIG=qemu-uart-demo'
		echo 'row_setup() { :; }; row_enabled() { :; }; row_extra() { :; }; row_after() { :; }'
		case $ipa41 in
		refused) cat <<'EOF'
row_setup() {
	t_check "modprobe warden (before the refused enable)" modprobe warden
	t_expect_fail "a root config with a device at 1 TiB is refused at enable (40-bit CPU)" \
		"cell 'pa41-root': memory region #12 \(phys 0x10000000000-0x10000000fff\) is beyond the CPU.s 40-bit physical address space \(max 0xffffffffff\)" \
		warden enable $C/qemu-reason-pa41.cell
	t_eq "... and Warden is not enabled" "$(cat $sysfs/enabled)" 0
}
row_extra() {
	t_expect_fail "a cell at guest address 1 TiB is refused (40-bit CPU)" \
		"memory region #0 \(virt 0x10000000000-.*beyond the CPU.s 40-bit physical address space" \
		warden cell create $C/qemu-reason-ipa41.cell
}
EOF
		;;
		accepted) cat <<'EOF'
row_extra() {
	t_check "a cell at guest address 1 TiB is accepted" warden cell create $C/qemu-reason-ipa41.cell
	t_check "... and destroyed" warden cell destroy ipa-41bit
}
EOF
		;;
		esac
		[ -z "${ROW_OVERRIDES:-}" ] || printf '%s\n' "$ROW_OVERRIDES"
		smoke
	} >"$rows/$name.sh"
	qemu_test "matrix-$name" --kernels 6.1 --timeout 240 --script "$rows/$name.sh" "$@"
}

vh0="id_aa64mmfr1.vh=0"

row cortex-a53 40 1 2 refused --cpu cortex-a53
row cortex-a57 44 0 1 accepted --cpu cortex-a57
row cortex-a72 44 0 1 - --cpu cortex-a72
row cortex-a76-vh0 40 1 2 refused --cpu cortex-a76 --append "$vh0"
row neoverse-n1-vh0 48 0 1 accepted --cpu neoverse-n1 --append "$vh0"
row max-vh0 48 0 1 - --cpu max --append "$vh0"

# GICv2 (GIC-400 class, with the virtualization extensions): the ZynqMP /
# i.MX 8M pairing (Cortex-A53) and the Cortex-A57; the root on
# qemu-arm64-gicv2.cell, the same cells and attack as the GICv3 rows.
ROW_OVERRIDES=$(cat <<'EOF'
ROW_ROOT=/etc/warden/qemu-arm64-gicv2.cell
row_enabled() {
	t_match "the hypervisor drives a GICv2" "GICv2: 288 interrupts, 4 CPU interfaces" "$(warden console)"
}
EOF
)
row cortex-a53-gicv2 40 1 2 - --cpu cortex-a53 --gic 2
row cortex-a57-gicv2 44 0 1 accepted --cpu cortex-a57 --gic 2
unset ROW_OVERRIDES

# 4 GiB of RAM (Linux gets the 3 GiB below 4 GiB), GICv3 with the ITS and a
# PCI device that uses MSI-X: the root configuration comes from the live
# system, the hypervisor's and the cell's memory lie above 4 GiB.
ROW_OVERRIDES=$(cat <<'EOF'
ROW_ROOT=/tmp/root.cell ROW_CELL=uart-high ROW_CELL_CONFIG=qemu-uart-high
rng_irqs() { awk '/virtio0-input/ { n = 0; for (i = 2; i <= 5; i++) n += $i; print n }' /proc/interrupts; }
rng_read() { timeout 30 dd if=/dev/hwrng of=/tmp/rng bs=64 count=20 2>/dev/null && [ "$(wc -c </tmp/rng)" -eq 1280 ]; }
row_setup() {
	t_check "virtio-rng on virtio-pci" sh -c "modprobe virtio_pci && modprobe virtio_rng && test -c /dev/hwrng"
	t_check "config create (live)" warden config create -o /tmp/root.cell
	t_match "the root config has the ITS" "0x0*8080000" "$(warden config dump /tmp/root.cell)"
	t_match "the hypervisor memory is above 4 GiB" "0x13fc00000" "$(warden config dump /tmp/root.cell)"
	t_check "hwrng before enable" rng_read
	before=$(rng_irqs)
}
row_enabled() {
	t_check "hwrng while enabled" rng_read
	mid=$(rng_irqs)
	t_log "virtio-rng MSIs: $before before enable, $mid after reading while enabled"
	t_check "its MSIs (LPIs) reached the root while enabled" test "$mid" -gt "$before"
	# Its MSIs on CPU 3, which leaves Linux for the cell: Linux moves them
	# while reads go on in the background, through create, attack, destroy.
	irq=$(awk -F: '/virtio0-input/ { gsub(/ /, "", $1); print $1 }' /proc/interrupts)
	t_check "virtio-rng MSIs routed to CPU 3" sh -c "echo 8 >/proc/irq/$irq/smp_affinity"
	(i=0; while [ ! -e /tmp/rng-stop ] && [ $i -lt 200 ]; do
		rng_read || echo "read $i failed"; i=$((i + 1)); done; echo "$i reads") >/tmp/rng-bg 2>&1 &
	bg=$!
}
row_extra() {
	touch /tmp/rng-stop
	wait $bg
	t_log "background hwrng: $(cat /tmp/rng-bg)"
	t_check "hwrng reads during cell create, attack and destroy all worked" \
		sh -c "! grep -q failed /tmp/rng-bg && grep -q reads /tmp/rng-bg"
}
row_after() {
	t_check "hwrng after disable" rng_read
	t_check "its MSIs arrive after disable" test "$(rng_irqs)" -gt "$mid"
}
EOF
)
row 4g-its-msi 44 0 1 - --cpu cortex-a57 --mem 4G --append mem=3G --its \
	--qemu-arg -device --qemu-arg virtio-rng-pci
unset ROW_OVERRIDES

# An ARMv8.1 CPU booted without vh=0: Linux runs at EL2 (VHE), and enable is
# refused with the way out (boot with id_aa64mmfr1.vh=0 kvm-arm.mode=none).
case " ${WARDEN_MATRIX_ROWS:-vhe-refused} " in *" vhe-refused "*)
qemu_test matrix-vhe-refused --kernels 6.1 --timeout 240 --cpu neoverse-n1 <<'EOF'
t_check "modprobe warden" modprobe warden || exit 1
t_expect_fail "enable refused: Linux runs at EL2 (VHE)" "Linux runs at EL2 \(VHE\)" \
	warden enable /etc/warden/qemu-arm64.cell
out=$(warden enable /etc/warden/qemu-arm64.cell 2>&1)
t_match "the hint names id_aa64mmfr1.vh=0" "hint: .*id_aa64mmfr1.vh=0 kvm-arm.mode=none" "$out"
t_eq "not enabled" "$(cat /sys/devices/warden/enabled)" 0
EOF
;; esac

qemu_done
