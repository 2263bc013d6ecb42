#!/usr/bin/env bash
# The code that runs with the EL2 MMU off is built for strict alignment, and
# the check that says so can fail (scripts/mmu-off-check, run after every
# link of the hypervisor):
#   - on the image "make" built (out/hypervisor/warden.elf, built here when
#     missing), the check passes with the files that carry the pragma;
#   - it fails, naming the function, when one of those files (core/pool.c,
#     whose allocator arch_early_init calls) is left out of the list, and when
#     only setup.c is named (the paging code would run unchecked);
#   - every file with the pragma has it behind __WARDEN_FREESTANDING__ (the
#     host unit tests compile some of them natively) and after its last
#     #include (a header's inline function above the pragma would be built
#     without it);
#   - arch_early_init itself still reads the packed configuration a byte at
#     a time (the pragma reached LTO's code), and the configuration checker,
#     which runs with the MMU on and reads every field, does not (the flag
#     is really gone elsewhere).
# Prints "ok - mmu-off-check: ..." / "not ok - mmu-off-check: ...".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$top/out}
CROSS=aarch64-linux-gnu-
failed=0
ok() { echo "ok - mmu-off-check: $*"; }
nok() { echo "not ok - mmu-off-check: $*"; failed=1; }
command -v "${CROSS}gcc" >/dev/null || { nok "no ${CROSS}gcc (scripts/setup)"; exit 1; }

elf=$OUT/hypervisor/warden.elf
if [ ! -s "$elf" ]; then
	nice make -s -C "$top" hypervisor >/dev/null 2>&1 || { nok "the hypervisor does not build"; exit 1; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

files=$(cd "$top/hypervisor" && grep -rl '^#pragma GCC target("strict-align")' --include=*.c . | sed 's|^\./||' | sort)
if CROSS_COMPILE=$CROSS "$top/scripts/mmu-off-check" "$elf" "$top" >"$tmp/ok.log" 2>&1; then
	ok "the image passes with the strict-alignment files: $(echo $files)"
else
	nok "the image fails the check: $(head -3 "$tmp/ok.log")"
fi

without_pool=$(echo "$files" | grep -v '^core/pool.c$')
if CROSS_COMPILE=$CROSS "$top/scripts/mmu-off-check" "$elf" "$top" $without_pool >"$tmp/pool.log" 2>&1; then
	nok "the check passes without core/pool.c"
elif grep -q "pool_.*core/pool.c) runs with the MMU off but is not built with -mstrict-align" "$tmp/pool.log"; then
	ok "without core/pool.c the check fails and names the pool's functions"
else
	nok "without core/pool.c the check fails without naming them: $(head -2 "$tmp/pool.log")"
fi
if CROSS_COMPILE=$CROSS "$top/scripts/mmu-off-check" "$elf" "$top" arch/arm64/early-init.c >"$tmp/one.log" 2>&1; then
	nok "the check passes with early-init.c alone"
elif grep -q "paging.c) runs with the MMU off" "$tmp/one.log"; then
	ok "with early-init.c alone the check fails on the paging code"
else
	nok "with early-init.c alone: $(head -2 "$tmp/one.log")"
fi

bad=
for f in $files; do
	awk '/^#include/ { inc = NR } /^#ifdef __WARDEN_FREESTANDING__/ { ifd = NR }
	     /^#pragma GCC target\("strict-align"\)/ { p = NR }
	     END { exit !(p && ifd == p - 1 && inc < ifd) }' "$top/hypervisor/$f" || bad="$bad $f"
done
if [ -z "$bad" ] && [ -n "$files" ]; then
	ok "each pragma is after the file's #includes and only for the hypervisor build"
else
	nok "pragma misplaced or unguarded in:$bad"
fi

# A packed field assembled from bytes: ldrb, ldrb, orr xN, xA, xB, lsl #8.
dis() { "${CROSS}objdump" -d --no-show-raw-insn "$elf" | awk -v f="<$1>:" '$2 == f { p = 1; next } /^$/ { p = 0 } p'; }
bytewise() { dis "$1" | grep -cE 'orr\s+[wx][0-9]+, [wx][0-9]+, [wx][0-9]+, lsl #8$'; }
early=$(bytewise arch_early_init)
check=$(bytewise wd_check_cell)
if [ "$early" -ge 1 ] && [ "$check" -eq 0 ]; then
	ok "arch_early_init assembles packed fields from bytes ($early), wd_check_cell (MMU on) does not"
else
	nok "packed fields from bytes: arch_early_init $early (want >= 1), wd_check_cell $check (want 0)"
fi
exit $failed
