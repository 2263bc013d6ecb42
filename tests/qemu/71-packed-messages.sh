#!/usr/bin/env bash
# The hypervisor's message texts are packed at build time (scripts/msg-pack:
# fragments become bytes 0x80-0xff that vsnprintf expands again). What the
# root sees must be the plain text, and text made at run time must print as
# it is, bytes >= 0x80 included:
#   - a cell whose name holds UTF-8 and the bytes 0x80 and 0xff (the first
#     and last token): the hypervisor console names it with exactly those
#     bytes when it is destroyed, and the reason of a refused CELL_CREATE
#     that names it reaches the tool's stderr and the kernel log with them;
#   - the console, the reason and the kernel log hold no other byte >= 0x80
#     (a token left unexpanded would be one).
. "$(dirname "$0")/lib.sh"

qemu_test packed-messages <<'EOF'
sysfs=/sys/devices/warden
C=/etc/warden
name=$(printf 'caf\303\251\200\377x')
# Bytes >= 0x80 in a file, counted (busybox grep has no byte classes).
high() { od -An -v -tx1 "$1" | tr -s ' ' '\n' | grep -c '^[89a-f][0-9a-f]$'; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable $C/qemu-arm64.cell || exit 1
warden console >/tmp/con0
t_match "the console has the enable lines in plain text" \
	"Page pool: [0-9]+ of [0-9]+ pages used after root cell set-up" "$(cat /tmp/con0)"
t_eq "the console after enable has no byte >= 0x80" "$(high /tmp/con0)" 0

# uart-demo under the name caf<e-acute><0x80><0xff>x (name: offset 8).
cp $C/qemu-uart-demo.cell /tmp/named.cell
printf 'caf\303\251\200\377x\000' | dd of=/tmp/named.cell bs=1 seek=8 conv=notrunc 2>/dev/null
t_check "create the cell with bytes >= 0x80 in its name" warden cell create /tmp/named.cell

# A cell overlapping its memory (as in 50-cells): refused, the reason names it.
cp $C/qemu-attack.cell /tmp/overlap.cell
printf '\000\000\240\177' | dd of=/tmp/overlap.cell bs=1 seek=140 conv=notrunc 2>/dev/null
t_dmesg_mark
warden cell create /tmp/overlap.cell >/tmp/r.out 2>/tmp/r.err
st=$?
t_dmesg_since >/tmp/r.dmesg
sed 's/^/  ! /' /tmp/r.err
t_eq "the overlapping cell is refused" "$st" 1
t_eq "stderr names the cell with its bytes" \
	"$(grep -F "overlaps cell '$name'" /tmp/r.err | grep -c 'hypervisor refused CELL_CREATE')" 1
t_eq "the kernel log has the same reason" "$(grep -cF "overlaps cell '$name'" /tmp/r.dmesg)" 1
t_eq "stderr has no other byte >= 0x80 (4 per name)" \
	"$(high /tmp/r.err)" $((4 * $(grep -cF "$name" /tmp/r.err)))

t_check "destroy the cell" warden cell destroy 1
warden console >/tmp/con
t_eq "the console names it with its bytes as they are" \
	"$(grep -F "cell '$name': " /tmp/con | grep -c 'KiB of memory scrubbed in')" 1
t_eq "the console has no other byte >= 0x80 (4 per name)" \
	"$(high /tmp/con)" $((4 * $(grep -cF "$name" /tmp/con)))
t_check "warden disable" warden disable
EOF
qemu_done
