#!/usr/bin/env bash
# The hypervisor image fits its budget with the committed defconfig:
#   - builds the hypervisor alone into a temporary OUT with an autoconf.h made
#     from defconfig (not whatever .config the developer has), and the build
#     itself must pass its size check (scripts/image-size, WD_IMAGE_LIMIT);
#   - checks out/warden.bin against WD_IMAGE_LIMIT once more here, and that
#     every driver defconfig selects (the UARTs, CONFIG_WD_UART_*) is linked;
#   - the checker refuses the same image against a limit one byte smaller,
#     so that a budget that is exceeded does fail the build;
#   - the relocations warden.bin carries (.relocs, scripts/pack-relocs) are
#     exactly the linker's R_AARCH64_RELATIVE ones in warden.elf, read back
#     from the image with od, and the packer refuses a table with room
#     for one relocation fewer.
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
	ok "warden.bin $bytes bytes <= $limit (the goal)"
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
# .relocs: (offset, addend) pairs of 32-bit words at its address (linked at 0).
elf=$tmp/out/hypervisor/warden.elf
raddr= rsize=
while read -r _ name _ addr _ size _; do
	[ "$name" = .relocs ] && { raddr=$((16#$addr)); rsize=$((16#$size)); }
done < <("${CROSS}readelf" -SW "$elf" | sed 's/^ *\[ *[0-9]*\]/[]/')
"${CROSS}readelf" -rW "$elf" | while read -r off _ type val _; do
	[ "$type" = R_AARCH64_RELATIVE ] && echo "$((16#$off)) $((16#$val))"
done | sort -n >"$tmp/want.txt"
od -An -v -t u4 -j "${raddr:-0}" -N "${rsize:-0}" "$tmp/out/warden.bin" | tr -s ' \n' '\n\n' | sed '/^$/d' |
	paste -d' ' - - | sort -n >"$tmp/got.txt"
if [ -n "$raddr" ] && [ -s "$tmp/want.txt" ] && cmp -s "$tmp/want.txt" "$tmp/got.txt"; then
	ok "warden.bin carries the $(wc -l <"$tmp/want.txt") relocations of warden.elf, packed"
else
	nok "the packed relocations in warden.bin differ from warden.elf's (.relocs at ${raddr:-?}, ${rsize:-?} bytes; $(wc -l <"$tmp/want.txt") wanted, $(wc -l <"$tmp/got.txt") found)"
fi
# The same image and ELF with room for one relocation fewer: refused.
cp "$tmp/out/warden.bin" "$tmp/short.bin"
python3 - "$elf" "$tmp/short.elf" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
shoff, = struct.unpack_from("<Q", data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
strtab_off = struct.unpack_from("<Q", data, shoff + shstrndx * shentsize + 0x18)[0]
for i in range(shnum):
    h = shoff + i * shentsize
    name_off, = struct.unpack_from("<I", data, h)
    end = data.index(b"\0", strtab_off + name_off)
    if data[strtab_off + name_off:end] == b".relocs":
        size, = struct.unpack_from("<Q", data, h + 0x20)
        struct.pack_into("<Q", data, h + 0x20, size - 8)
open(sys.argv[2], "wb").write(data)
PY
dd if=/dev/zero of="$tmp/short.bin" bs=1 seek="${raddr:-0}" count="${rsize:-0}" conv=notrunc status=none
if "$top/scripts/pack-relocs" "$tmp/short.elf" "$tmp/short.bin" >"$tmp/short.log" 2>&1; then
	nok "scripts/pack-relocs accepts room for one relocation fewer than the image has"
elif grep -q "the two links disagree" "$tmp/short.log"; then
	ok "scripts/pack-relocs refuses room for one relocation fewer"
else
	nok "scripts/pack-relocs failed without saying why: $(cat "$tmp/short.log")"
fi
exit $failed
