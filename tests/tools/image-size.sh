#!/usr/bin/env bash
# The hypervisor image fits its budget with the committed defconfig:
#   - builds the hypervisor alone into a temporary OUT with an autoconf.h made
#     from defconfig (not whatever .config the developer has), and the build
#     itself must pass its size check (scripts/image-size, WD_IMAGE_LIMIT);
#   - checks out/warden.bin against WD_IMAGE_LIMIT once more here, and that
#     every driver defconfig selects (the UARTs, CONFIG_WD_UART_*) is linked;
#   - the checker refuses the same image against a limit one byte smaller,
#     so that a budget that is exceeded does fail the build.
# Prints "ok - image-size: ..." / "not ok - image-size: ...".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - image-size: $*"; }
nok() { echo "not ok - image-size: $*"; failed=1; }
CROSS=aarch64-linux-gnu-
command -v "${CROSS}gcc" >/dev/null || { nok "no ${CROSS}gcc (scripts/setup)"; exit 1; }

limit=$(sed -n 's/^WD_IMAGE_LIMIT := \([0-9]*\)$/\1/p' "$top/hypervisor/Makefile")
[ -n "$limit" ] || { nok "no WD_IMAGE_LIMIT in hypervisor/Makefile"; exit 1; }

# defconfig -> autoconf.h, as kconfig writes it (bool y -> 1, int as is).
awk '/^CONFIG_[A-Z0-9_]*=/ { split($0, kv, "="); v = kv[2]; if (v == "y") v = 1;
	print "#define " kv[1] " " v }' "$top/defconfig" >"$tmp/autoconf.h"
grep -q CONFIG_WD_MAX_CPUS "$tmp/autoconf.h" || { nok "defconfig gave no CONFIG_WD_MAX_CPUS"; exit 1; }

if nice make -s -C "$top/hypervisor" OUT="$tmp/out" AUTOCONF="$tmp/autoconf.h" \
	>"$tmp/build.log" 2>&1 && [ -s "$tmp/out/warden.bin" ]; then
	ok "defconfig build passes its size check: $(grep -m1 'warden.bin:' "$tmp/build.log" | sed 's/^ *//')"
else
	nok "defconfig build failed: $(grep -m1 -E 'error' "$tmp/build.log")"
	exit 1
fi

bytes=$(stat -c %s "$tmp/out/warden.bin")
if [ "$bytes" -le "$limit" ]; then
	ok "warden.bin $bytes bytes <= $limit (goal 102400)"
else
	nok "warden.bin $bytes bytes > $limit"
fi

missing=
"${CROSS}nm" "$tmp/out/hypervisor/warden.elf" >"$tmp/nm.txt"
for sym in $(sed -n 's/^CONFIG_WD_UART_\([A-Z0-9_]*\)=y$/\1/p' "$top/defconfig"); do
	name=uart_$(echo "$sym" | tr 'A-Z' 'a-z')
	grep -qw "$name" "$tmp/nm.txt" || missing="$missing $name"
done
if [ -z "$missing" ]; then
	ok "every UART driver defconfig selects is in the image"
else
	nok "defconfig selects UART drivers the image lacks:$missing"
fi

if CROSS_COMPILE=$CROSS "$top/scripts/image-size" "$tmp/out/hypervisor/warden.elf" \
	"$tmp/out/warden.bin" $((bytes - 1)) >"$tmp/over.log" 2>&1; then
	nok "scripts/image-size accepts a $bytes-byte image against a limit of $((bytes - 1))"
elif grep -q "1 over its limit" "$tmp/over.log"; then
	ok "scripts/image-size refuses the image against a limit one byte smaller"
else
	nok "scripts/image-size failed without saying by how much: $(cat "$tmp/over.log")"
fi
exit $failed
