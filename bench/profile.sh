#!/usr/bin/env bash
# Profile of the hypervisor paths the cell benchmarks time: runs the bench
# cell (as bench/cell.sh does, smaller) with QEMU logging every instruction
# the hypervisor and the inmate execute (-accel tcg,one-insn-per-tb=on
# -d exec,nochain, filtered to their addresses), then bench/profile.py
# prints EL2 instructions per exit by function and address range for the
# hypercall, trapped MMIO and timer interrupt paths. Takes a few minutes and
# about 1 GB of temporary trace; not part of "make bench".
#
# bench/profile.sh [--kernel 6.1|6.12]     -> out/bench/profile.txt
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
export OUT
series=6.1
case "${1:-}" in --kernel) series=${2:?}; shift 2 ;; esac
[ $# -eq 0 ] || { echo "bench/profile.sh: unknown argument '$1'" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/warden-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT/bench"
# Symbols of exactly the image that runs (out/ may be rebuilt meanwhile).
cp "$OUT/hypervisor/warden.elf" "$work/warden.elf"
cp "$OUT/obj/inmates/cell/bench.elf" "$work/bench.elf"
sum0=$(sha1sum <"$OUT/warden.bin")

"$top/scripts/qemu-run" --kernel "$series" --timeout 1200 --uart1 "$work/uart1.log" \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--qemu-arg -accel --qemu-arg tcg,one-insn-per-tb=on \
	--qemu-arg -d --qemu-arg exec,nochain \
	--qemu-arg -dfilter --qemu-arg 0x7fc00000+0x400000,0+0x10000 \
	--qemu-arg -D --qemu-arg "$work/exec.log" \
	--add "$top/bench/cell-guest.sh:/bench/cell-guest.sh" \
	-- "sh /bench/cell-guest.sh 'run=hvc,mmio,timer batches=1 count=200' 0" \
	>"$work/console.log" 2>&1 || {
	cp "$work/console.log" "$OUT/bench/profile-console.log"
	echo "bench/profile.sh: the guest run failed; see $OUT/bench/profile-console.log" >&2
	exit 1
}
[ "$(sha1sum <"$OUT/warden.bin")" = "$sum0" ] ||
	echo "bench/profile.sh: warning: out/warden.bin changed during the run; names may be off" >&2
{
	grep -a "bench: \(start\|timer \)" "$work/uart1.log" || true
	python3 "$top/bench/profile.py" "$work/exec.log" "$work/warden.elf" "$work/bench.elf"
} | tee "$OUT/bench/profile.txt"
