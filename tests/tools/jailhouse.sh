#!/usr/bin/env bash
# The tool called as "jailhouse" on the host (no driver): Jailhouse's names
# (/dev/jailhouse, /sys/devices/jailhouse, "jailhouse:" in messages), its
# command lines and exit statuses (0 success, anything else failure), and
# "config check" of configurations written the way Jailhouse's are
# (configs/arm64/jh-*.c: root cell descriptor zeroed, size-0 regions, ivshmem
# devices, which it names as absent). The driver side is
# tests/qemu/85-jailhouse.sh. Prints "ok - jailhouse: ..." / "not ok - ..." lines.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$top/out}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset WARDEN_DEVICE WARDEN_SYSFS

ok() { echo "ok - jailhouse: $*"; }
nok() { echo "not ok - jailhouse: $*"; }
# expect STATUS-TEST WHAT REGEX CMD...: the exit status (0, or "fail" for any
# other) and a regex that stdout+stderr must match.
expect() {
	local want=$1 what=$2 re=$3 st out
	shift 3
	out=$("$@" 2>&1)
	st=$?
	if { [ "$want" = 0 ] && [ $st -ne 0 ]; } || { [ "$want" = fail ] && [ $st -eq 0 ]; }; then
		nok "$what: exit status $st: $(head -c 300 <<<"$out")"
	elif ! grep -qE -- "$re" <<<"$out"; then
		nok "$what: output does not match '$re': $(head -c 300 <<<"$out")"
	else
		ok "$what (exit status $st)"
	fi
}

[ -x "$OUT/host/warden" ] || { nok "no $OUT/host/warden (make tools)"; exit 1; }
ln -s "$OUT/host/warden" "$tmp/jailhouse"
J=$tmp/jailhouse
W=$OUT/host/warden
ROOT=$OUT/configs/jh-qemu-arm64.cell
CELL=$OUT/configs/jh-inmate-demo.cell

expect 0 "--help names the tool jailhouse" '^usage: jailhouse ' "$J" --help
expect 0 "cell --help speaks of 'jailhouse cell'" 'usage: jailhouse cell COMMAND' "$J" cell --help
expect 0 "--version says it is Warden" '^jailhouse \(Warden\) .*configuration revision 14' "$J" --version
expect fail "no command: usage error" '^usage: jailhouse' "$J"
expect fail "unknown command" "^jailhouse: unknown command 'frobnicate'" "$J" frobnicate
expect fail "cell start without a cell" '^jailhouse: cell start: missing cell' "$J" cell start
expect fail "cell load without an image" 'nothing to load' "$J" cell load 1
expect fail "cell load: -a before any image" 'must follow an image' "$J" cell load 1 -a 0x1000
expect fail "cell shutdown with an extra argument" "unexpected argument 'x'" "$J" cell shutdown 1 x
# Without the driver: Jailhouse's device and sysfs names are the ones tried.
expect fail "enable without the module: /dev/jailhouse is opened" \
	'^jailhouse: the warden module is not loaded \(modprobe warden\): no /dev/jailhouse$' "$J" enable "$ROOT"
expect fail "cell list without the module reads /sys/devices/jailhouse" \
	'^jailhouse: the warden module is not loaded \(modprobe warden\): no /sys/devices/jailhouse$' "$J" cell list
expect fail "disable without the module" '^jailhouse: ' "$J" disable
WARDEN_SYSFS=$tmp/nosuch expect fail "WARDEN_SYSFS still overrides the jailhouse path" \
	'not loaded' "$J" cell list

# Configurations in Jailhouse's style
expect 0 "config check of a root config with a zeroed root cell descriptor and ivshmem links" \
	"0 errors, 0 warnings" "$J" config check "$ROOT"
expect 0 "config check of root and cell together: the link's peers agree" \
	'2 files, 0 errors, 0 warnings' "$J" config check "$ROOT" "$CELL"
expect 0 "config check --strict: no warning about the ivshmem devices" '0 warnings' \
	"$J" config check --strict "$ROOT" "$CELL"
expect 0 "config dump shows the zeroed root cell descriptor as unset" "architecture: 0 \(unset: the system header's apply\)" "$W" config dump "$ROOT"
expect 0 "config dump shows the size-0 regions" 'size 0x0|size *0\b|0x0 bytes' "$W" config dump "$ROOT"

# What Jailhouse's configurations have that Warden must keep refusing
cp "$ROOT" "$tmp/badroot.cell"
printf 'XHCLL' | dd of="$tmp/badroot.cell" bs=1 seek=356 conv=notrunc 2>/dev/null
expect fail "a wrong root cell signature is still refused" \
	'root cell signature "XHCLL" is not "JHCLL"' "$J" config check "$tmp/badroot.cell"
cp "$ROOT" "$tmp/rev.cell"
printf '\016\000' | dd of="$tmp/rev.cell" bs=1 seek=$((356 + 6)) conv=notrunc 2>/dev/null
expect fail "revision without signature in the root cell descriptor is refused" \
	'root cell signature "\?\?\?\?\?" is not "JHCLL"' "$J" config check "$tmp/rev.cell"
