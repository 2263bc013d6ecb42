#!/usr/bin/env bash
# The GICv3 ITS behind the hypervisor (issue 17, "The ITS behind the
# hypervisor"). The board has the ITS (scripts/qemu-run --its) and a
# virtio-rng-pci whose MSI-X go through it; the root configuration comes from
# "warden config create", which maps the ITS into the root. The root attacks
# with nothing but busybox devmem (iomem=relaxed), as the issue's reviewer did:
#  - GITS_BASER0/CBASER writes while the ITS is enabled are ignored; with the
#    (emulated) ITS disabled, a device table or a command queue in hypervisor
#    memory is refused, a queue in RAM the root owns is accepted;
#  - from its own queue the root sends MAPD with ITTs in hypervisor memory,
#    I/O space, beyond RAM and in a running cell's RAM, MAPC/MOVALL to a
#    cell's CPU or to no redistributor, MAPTI with a pINTID that is no LPI,
#    INT beyond the event ids, VMAPP and an unknown command: each is refused
#    with one line naming command, field and value, and CREADR passes them;
#  - the control: a MAPD + MAPTI with the ITT in the root's own RAM is
#    forwarded, and the ITS writes the entry there (the primitive is real);
#  - GICR_PROPBASER/PENDBASER pointed at hypervisor or cell memory are refused;
#  - a cell that maps the ITS (configs/arm64/qemu-its-thief.c), or whose RAM
#    holds the root's ITS collection table or an ITT the root mapped, is
#    refused with a reason naming the table and its address;
#  - after each round the root goes back to Linux's queue, virtio-rng keeps
#    delivering (/dev/hwrng) with its MSIs counted, an affinity change (Linux
#    sends MOVI/SYNC through the shadow queue) moves them, and after disable
#    the ITS is Linux's again with MSIs still arriving.
. "$(dirname "$0")/lib.sh"

qemu_test its-attacks --timeout 500 --its --qemu-arg -device --qemu-arg virtio-rng-pci \
	--append "iomem=relaxed" <<'EOF'
sysfs=/sys/devices/warden
C=/etc/warden
I=/usr/share/warden/inmates
ITS=$((0x08080000))
GICR0=$((0x080a0000))		# CPU 0's redistributor (stride 0x20000)
Q=$((0x7e000000))		# the root's own queue: RAM for cells, no cell's
HV=$((0x7fc00000))		# the hypervisor's memory
DEMO_RAM=$((0x7fa00000))	# qemu-uart-demo's RAM (CPU 3)
ATTACK_RAM=$((0x7f800000))	# qemu-attack's RAM (CPU 2)
hx() { printf '0x%x' "$1"; }
rd32() { printf '0x%x' "$(devmem "$(hx "$1")" 32)"; }
wr32() { devmem "$(hx "$1")" 32 "$(hx "$2")"; }
its_rd() { rd32 $((ITS + $1)); }
its_wr() { wr32 $((ITS + $1)) "$2"; }
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }
rng_irqs() { awk '/virtio0-input/ { n = 0; for (i = 2; i <= 5; i++) n += $i; print n }' /proc/interrupts; }
rng_read() { timeout 30 dd if=/dev/hwrng of=/tmp/rng bs=64 count=20 2>/dev/null && [ "$(wc -c </tmp/rng)" -eq 1280 ]; }
# The hypervisor's log since mark() (the ring wraps: by content, not line count).
mark() { MARK=$(warden console | tail -1); }
since() { warden console | awk -v m="$MARK" '$0 == m { out = ""; f = 1; next } f { out = out $0 "\n" } END { printf "%s", out }'; }
# One command at queue slot N: eight 32-bit words, DW0 low first.
cmd() { # SLOT W0 W1 W2 W3 W4 W5 W6 W7
	s=$(($1 * 32)); shift
	for w in "$@"; do wr32 $((Q + s)) "$w"; s=$((s + 4)); done
}
# Send slots [FROM, TO): CWRITER = TO * 32, then CREADR must be there.
send() {
	its_wr 0x88 $(($2 * 32))
	t_eq "CREADR passed slots $1-$(($2 - 1))" "$(its_rd 0x90)" "$(hx $(($2 * 32)))"
}
refused() { # WHAT REGEX
	t_match "$1" "$2" "$(since)"
}
root_ok() { # WHAT
	t_check "$1: hwrng delivers" rng_read
	t_check "$1: the root still works" sh -c 'seq 1 300 | sort -n | tail -1 | grep -q 300'
	t_eq "$1: Warden still enabled" "$(t_read $sysfs/enabled)" 1
}
# Linux's queue, as the emulated ITS has it: saved, and put back after an attack.
save_linux() {
	CB_LO=$(its_rd 0x80) CB_HI=$(its_rd 0x84) POS=$(its_rd 0x88)
	t_log "Linux's GITS_CBASER $CB_HI:$CB_LO, queue position $POS"
}
back_to_linux() {
	its_wr 0x0 0
	its_wr 0x80 "$CB_LO"; its_wr 0x84 "$CB_HI"
	its_wr 0x90 "$POS"; its_wr 0x88 "$POS"
	its_wr 0x0 1
	t_eq "back on Linux's queue: CBASER" "$(its_rd 0x80)" "$CB_LO"
	t_eq "back on Linux's queue: CREADR at Linux's position" "$(its_rd 0x90)" "$POS"
}
own_queue() { # put the root's queue at Q (one page), emulated ITS disabled meanwhile
	its_wr 0x0 0
	its_wr 0x80 $((Q | 0x400)); its_wr 0x84 0xb8000000
	its_wr 0x0 1
}

t_check "virtio-rng on virtio-pci" sh -c "modprobe virtio_pci && modprobe virtio_rng && test -c /dev/hwrng"
t_match "its MSIs go through the ITS" ITS "$(grep virtio0 /proc/interrupts)"
t_check "config create (live)" warden config create -o /tmp/root.cell
t_match "the root config maps the ITS" "0x0*8080000" "$(warden config dump /tmp/root.cell)"
t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable /tmp/root.cell || exit 1
t_match "the hypervisor took the ITS over" "ITS 0x8080000: taken over: command queue shadowed" "$(warden console)"
before=$(rng_irqs)
root_ok "enabled"
t_check "virtio-rng's MSIs arrive while enabled" test "$(rng_irqs)" -gt "$before"
save_linux
t_eq "GITS_CTLR reads enabled" "$(( $(its_rd 0x0) & 1 ))" 1
t_eq "GITS_TYPER: no virtual LPIs (GICv4) for the root" "$(( $(its_rd 0x8) & 2 ))" 0

# 1. Tables and queue registers.
mark
BASER0_LO=$(its_rd 0x100)
its_wr 0x100 $(( (BASER0_LO & 0xfff) | HV ))
refused "GITS_BASER0 write while enabled: ignored" "GITS_BASER0 write 0x.* ignored: the ITS is enabled"
t_eq "GITS_BASER0 unchanged" "$(its_rd 0x100)" "$BASER0_LO"
its_wr 0x80 $((HV | 0x400))
refused "GITS_CBASER write while enabled: ignored" "GITS_CBASER write 0x.* ignored: the ITS is enabled"
t_eq "GITS_CBASER unchanged" "$(its_rd 0x80)" "$CB_LO"
its_wr 0x0 0
t_eq "the root disables the (emulated) ITS" "$(( $(its_rd 0x0) & 1 ))" 0
mark
its_wr 0x100 $(( (BASER0_LO & 0xfff) | HV | 0x10000 ))
refused "GITS_BASER0 -> hypervisor memory: refused" \
	"root GITS_BASER0 0x[0-9a-f]* refused: device table 0x7fc10000-0x[0-9a-f]* is not RAM the root alone owns"
t_eq "GITS_BASER0 unchanged" "$(its_rd 0x100)" "$BASER0_LO"
its_wr 0x80 $((HV | 0x400))
refused "GITS_CBASER -> hypervisor memory: refused" \
	"root GITS_CBASER 0x[0-9a-f]* refused: command queue 0x7fc00000-0x7fc0[0-9a-f]* is not RAM the root alone owns"
t_eq "GITS_CBASER unchanged" "$(its_rd 0x80)" "$CB_LO"
its_wr 0x80 $((0x09000000 | 0x400))
refused "GITS_CBASER -> the UART (I/O): refused" "root GITS_CBASER 0x[0-9a-f]* refused: command queue 0x9000000-"
its_wr 0x0 1
back_to_linux
root_ok "after the table attacks"

# 2. Commands from the root's own queue.
mark
own_queue
t_eq "own queue accepted: CBASER" "$(its_rd 0x80)" "$(hx $((Q | 0x400)))"
t_eq "own queue: CREADR reset" "$(its_rd 0x90)" 0x0
t_eq "own queue: no refusal" "$(since | grep -c refused)" 0
#   slot W0 (cmd)  W1 (devid) W2 (DW1 lo) W3      W4 (DW2 lo)       W5          W6 W7
cmd 0  0x08 0x20  4  0          $((HV + 0x10000)) 0x80000000  0 0	# MAPD ITT hypervisor
cmd 1  0x08 0x20  4  0          0                 0x80000001  0 0	# MAPD ITT beyond RAM
cmd 2  0x08 0x20  0  0          0x09000000        0x80000000  0 0	# MAPD ITT on the UART
cmd 3  0x09 0     0  0          $((77 << 16 | 1)) 0x80000000  0 0	# MAPC to no redistributor
cmd 4  0x0a 0x20  0  100        0                 0           0 0	# MAPTI pINTID 100
cmd 5  0x29 0     0  0          0                 0           0 0	# VMAPP
cmd 6  0xff 0     0  0          0                 0           0 0	# unknown
cmd 7  0x03 0x20  70000 0       0                 0           0 0	# INT beyond the event ids
cmd 8  0x08 0x20  16 0          $((Q + 0x800))    0x80000000  0 0	# MAPD: 17 event bits
send 0 9
out=$(since)
t_match "MAPD ITT in hypervisor memory refused" "root command MAPD at queue offset 0x0 refused: ITT_addr 0x7fc10000: the ITT is not RAM the root alone owns" "$out"
t_match "MAPD ITT beyond RAM refused" "command MAPD at queue offset 0x20 refused: ITT_addr 0x100000000:" "$out"
t_match "MAPD ITT on the UART refused" "command MAPD at queue offset 0x40 refused: ITT_addr 0x9000000:" "$out"
t_match "MAPC to no redistributor refused" "command MAPC at queue offset 0x60 refused: RDbase 0x4d: no redistributor" "$out"
t_match "MAPTI with pINTID 100 refused" "command MAPTI at queue offset 0x80 refused: pINTID 0x64: not an LPI" "$out"
t_match "VMAPP refused" "command VMAPP at queue offset 0xa0 refused: command 0x29: GICv4" "$out"
t_match "unknown command refused" "command unknown at queue offset 0xc0 refused: command 0xff" "$out"
t_match "INT beyond the event ids refused" "command INT at queue offset 0xe0 refused: EventID 0x11170" "$out"
t_match "MAPD with more event bits than the ITS has refused" "command MAPD at queue offset 0x100 refused: Size 0x10" "$out"
t_eq "nine refusals, one line each" "$(echo "$out" | grep -c 'refused:')" 9

# The control: valid commands go through, and the ITS does write the ITT.
t_eq "the ITT page is zero before" "$(rd32 $((Q + 0x800)))" 0x0
cmd 9  0x08 0x21  1  0          $((Q + 0x800))    0x80000000  0 0	# MAPD ITT in root RAM
cmd 10 0x0a 0x21  0  8300       0                 0           0 0	# MAPTI event 0 -> LPI 8300
cmd 11 0x05 0     0  0          0                 0           0 0	# SYNC CPU 0
mark
send 9 12
cmd 12 0x08 0x21  0  0          0                 0           0 0	# MAPD V=0: unmapped again
send 12 13
t_eq "valid commands: no refusal" "$(since | grep -c refused)" 0
t_log "ITT entry the ITS wrote at $(hx $((Q + 0x800))): $(rd32 $((Q + 0x800))) $(rd32 $((Q + 0x804))) $(rd32 $((Q + 0x808)))"
t_check "the ITS wrote the ITT entry into the root's own RAM (the primitive is real)" \
	test "$(rd32 $((Q + 0x800)))" != 0x0

# A queue full of garbage (the empty rest of the page): skipped, and the log
# gets the first refusals and a count, not one line per slot.
mark
send 13 127
t_match "a page of garbage: refused, the log keeps to a count" "[0-9]* more root commands refused" "$(since)"
t_check "... at most 16 lines of refusals" test "$(since | grep -c 'refused:')" -le 16

# 3. Cells: their RAM and their CPUs are out of the root's reach; and a cell
# cannot take memory the GIC writes for the root.
# The root's own tables (the ITS gets copies of them at disable): in RAM
# for cells that no cell has yet, accepted; then no cell may take that RAM.
back_to_linux
BASER1_LO=$(its_rd 0x108)
its_wr 0x0 0
its_wr 0x108 $(( (BASER1_LO & 0xffff) | DEMO_RAM ))
its_wr 0x0 1
t_eq "a collection table in (not yet a cell's) RAM for cells accepted" \
	"$(its_rd 0x108)" "$(hx $(( (BASER1_LO & 0xffff) | DEMO_RAM )))"
t_expect_fail "a cell over the root's collection table is refused" \
	"cell 'uart-demo': memory region #0 \(phys 0x7fa00000-0x7fa0ffff\) holds the root's collection table at 0x7fa00000-0x7fa0ffff" \
	warden cell create $C/qemu-uart-demo.cell
its_wr 0x0 0
its_wr 0x108 "$BASER1_LO"
its_wr 0x0 1
t_eq "the collection table back where Linux had it" "$(its_rd 0x108)" "$BASER1_LO"
# Linux sends commands while a cell is created (its CPU goes offline): the
# root's queue is Linux's then, and the attacker's only in between.
own_queue
t_eq "own queue again" "$(its_rd 0x80)" "$(hx $((Q | 0x400)))"
cmd 0  0x08 0x22  3  0          $((ATTACK_RAM + 0x100)) 0x80000000 0 0	# MAPD ITT in RAM for cells
mark
send 0 1
t_eq "an ITT in RAM no cell has yet: accepted" "$(since | grep -c refused)" 0
back_to_linux
t_expect_fail "a cell over an ITT the root mapped is refused" \
	"cell 'attack': memory region #0 \(phys 0x7f800000-0x7f80ffff\) holds the root's ITT of device 0x22 at 0x7f800100-0x7f8001[0-9a-f]*" \
	warden cell create $C/qemu-attack.cell
own_queue
cmd 0  0x08 0x22  0  0          0                 0           0 0	# MAPD V=0: unmapped
send 0 1
back_to_linux
t_expect_fail "a cell that maps the ITS is refused" \
	"cell 'its-thief': memory region #1 \(phys 0x8080000-0x809ffff\) maps the GIC ITS at 0x8080000, which is the hypervisor's" \
	warden cell create $C/qemu-its-thief.cell
t_check "create uart-demo" warden cell create $C/qemu-uart-demo.cell
t_check "load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "period=50000" -a 0x1000
t_check "start uart-demo" warden cell start uart-demo
own_queue
cmd 0  0x08 0x20  4  0          $((DEMO_RAM + 0x1000)) 0x80000000 0 0	# MAPD ITT in the cell's RAM
cmd 1  0x09 0     0  0          $((3 << 16 | 1))  0x80000000  0 0	# MAPC to CPU 3 (the cell's)
cmd 2  0x0e 0     0  0          $((0 << 16))      0  $((3 << 16)) 0	# MOVALL CPU 0 -> CPU 3
cmd 3  0x09 0     0  0          $((1 << 16 | 1))  0x80000000  0 0	# MAPC to CPU 1 (the root's): fine
mark
send 0 4
out=$(since)
t_match "MAPD ITT in a running cell's RAM refused" "command MAPD at queue offset 0x0 refused: ITT_addr 0x7fa01000: the ITT is not RAM the root alone owns" "$out"
t_match "MAPC to the cell's CPU refused" "command MAPC at queue offset 0x20 refused: RDbase 0x3: not a CPU the root runs" "$out"
t_match "MOVALL to the cell's CPU refused" "command MOVALL at queue offset 0x40 refused: RDbase 0x3: not a CPU the root runs" "$out"
t_eq "three refusals (MAPC to a root CPU forwarded)" "$(echo "$out" | grep -c 'refused:')" 3
back_to_linux

# 4. The redistributors' LPI tables (the root's own frame, CPU 0).
mark
PROP_LO=$(rd32 $((GICR0 + 0x70)))
PEND_LO=$(rd32 $((GICR0 + 0x78)))
wr32 $((GICR0 + 0x70)) $(( HV | (PROP_LO & 0xfff) ))
refused "GICR_PROPBASER -> hypervisor memory refused" "GICR: root GICR_PROPBASER 0x[0-9a-f]* refused: LPI table 0x7fc00000-"
wr32 $((GICR0 + 0x78)) $(( DEMO_RAM | (PEND_LO & 0xffff) ))
refused "GICR_PENDBASER -> the cell's RAM refused" "GICR: root GICR_PENDBASER 0x[0-9a-f]* refused: LPI table 0x7fa00000-"
t_eq "GICR_PROPBASER unchanged" "$(rd32 $((GICR0 + 0x70)))" "$PROP_LO"
t_eq "GICR_PENDBASER unchanged" "$(rd32 $((GICR0 + 0x78)))" "$PEND_LO"
PROP=$(rd32 $((GICR0 + 0x70)))
t_log "CPU 0 GICR_PROPBASER $PROP GICR_PENDBASER $PEND_LO"

# 5. The root's MSIs after all this: delivery, and a move (MOVI through the shadow queue).
t_eq "uart-demo still running" "$(t_read $sysfs/cells/$(cell_id uart-demo)/state)" running
root_ok "after the command attacks"
irq=$(awk -F: '/virtio0-input/ { gsub(/ /, "", $1); print $1 }' /proc/interrupts)
t_check "virtio-rng's MSIs moved to CPU 1" sh -c "echo 2 >/proc/irq/$irq/smp_affinity"
cpu1=$(awk '/virtio0-input/ { print $3 }' /proc/interrupts)
t_check "hwrng after the move" rng_read
t_check "the MSIs now arrive at CPU 1" test "$(awk '/virtio0-input/ { print $3 }' /proc/interrupts)" -gt "$cpu1"
t_check "destroy uart-demo" warden cell destroy uart-demo
t_check "disable" warden disable
t_match "the ITS went back to Linux" "ITS 0x8080000: given back to Linux" "$(dmesg | tail -40; cat /sys/devices/warden/console 2>/dev/null)"
n=$(rng_irqs)
t_check "hwrng after disable" rng_read
t_check "its MSIs arrive after disable" test "$(rng_irqs)" -gt "$n"
EOF

qemu_done
