# Guest-side helpers for tests that make the root send raw ITS commands with
# busybox devmem (iomem=relaxed) through the ITS the hypervisor shadows
# (gicv3-its.c): sourced by the guest script after testlib.sh.
#
#   ITS, Q           the ITS (QEMU virt: 0x08080000) and the root's own queue
#                    page (set Q before use: RAM the root owns, no cell's)
#   cmd SLOT W0..W7  one command at queue slot SLOT, eight 32-bit words
#   send FROM TO     CWRITER to slot TO; checks that CREADR got there
#   save_linux       remember Linux's GITS_CBASER and queue position
#   own_queue        the root's queue at Q (the ITS disabled meanwhile)
#   back_to_linux    Linux's queue back, at its position, the ITS enabled
#   mark / since     the hypervisor's log lines since mark
ITS=$((0x08080000))
Q=${Q:-$((0x7e000000))}
hx() { printf '0x%x' "$1"; }
rd32() { printf '0x%x' "$(devmem "$(hx "$1")" 32)"; }
wr32() { devmem "$(hx "$1")" 32 "$(hx "$2")"; }
its_rd() { rd32 $((ITS + $1)); }
its_wr() { wr32 $((ITS + $1)) "$2"; }
mark() { MARK=$(warden console | tail -1); }
since() { warden console | awk -v m="$MARK" '$0 == m { out = ""; f = 1; next } f { out = out $0 "\n" } END { printf "%s", out }'; }
cmd() {
	local s=$(($1 * 32)) w
	shift
	for w in "$@"; do wr32 $((Q + s)) "$w"; s=$((s + 4)); done
}
send() {
	its_wr 0x88 $(($2 * 32))
	t_eq "CREADR passed slots $1-$(($2 - 1))" "$(its_rd 0x90)" "$(hx $(($2 * 32)))"
}
save_linux() {
	CB_LO=$(its_rd 0x80) CB_HI=$(its_rd 0x84) POS=$(its_rd 0x88)
	t_log "Linux's GITS_CBASER $CB_HI:$CB_LO, queue position $POS"
}
own_queue() {
	its_wr 0x0 0
	its_wr 0x80 $((Q | 0x400)); its_wr 0x84 0xb8000000
	its_wr 0x0 1
}
back_to_linux() {
	its_wr 0x0 0
	its_wr 0x80 "$CB_LO"; its_wr 0x84 "$CB_HI"
	its_wr 0x90 "$POS"; its_wr 0x88 "$POS"
	its_wr 0x0 1
	t_eq "back on Linux's queue at its position" "$(its_rd 0x80) $(its_rd 0x90)" "$CB_LO $POS"
}
