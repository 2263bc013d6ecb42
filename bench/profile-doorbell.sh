#!/usr/bin/env bash
# Profile of the hypervisor's part of the doorbell latencies: runs the
# doorbell benchmark's guest script (bench/ivshmem-guest.sh, few doorbells)
# with QEMU logging every instruction executed at EL2 (-accel
# tcg,one-insn-per-tb=on -d exec,nochain, filtered to the hypervisor's
# addresses), then bench/profile_doorbell.py prints each path through EL2
# (doorbell exit on the sender's CPU, interrupt exit on the receiver's) with
# its instructions per stay and by function. Not part of "make bench"; takes
# several minutes and a few hundred MB of temporary trace.
#
# bench/profile-doorbell.sh [--kernel 6.1|6.12] [--gic 2|3] [--count N]
#     -> out/bench/profile-doorbell[-gicv2].txt
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
export OUT
series=6.1 gic=3 count=20
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--gic) gic=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	*) echo "bench/profile-doorbell.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
suffix=
[ "$gic" = 3 ] || suffix=-gicv2

work=$(mktemp -d "${TMPDIR:-/tmp}/warden-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT/bench"
cp "$OUT/hypervisor/warden.elf" "$work/warden.elf"
make -s -C "$top/bench/guest" OUT="$OUT"
make -s -C "$top/bench/kmod" KDIR="$top/.cache/linux-$series/headers" \
	BUILD="$OUT/$series/bench-kmod" >/dev/null

"$top/scripts/qemu-run" --kernel "$series" --gic "$gic" --timeout 3000 \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--qemu-arg -accel --qemu-arg tcg,one-insn-per-tb=on \
	--qemu-arg -d --qemu-arg exec,nochain \
	--qemu-arg -dfilter --qemu-arg 0x7fc00000+0x400000 \
	--qemu-arg -D --qemu-arg "$work/exec.log" \
	--add "$top/bench/ivshmem-guest.sh:/bench/ivshmem-guest.sh" \
	--add "$OUT/bench/guest/ivshmem-root:/usr/bin/ivshmem-root" \
	--add "$OUT/$series/bench-kmod/irq_entry_bench.ko:/root/irq_entry_bench.ko" \
	-- "sh /bench/ivshmem-guest.sh $count 2000 $gic" \
	>"$work/console.log" 2>&1 || {
	cp "$work/console.log" "$OUT/bench/profile-doorbell-console.log"
	echo "bench/profile-doorbell.sh: the guest run failed; see $OUT/bench/profile-doorbell-console.log" >&2
	exit 1
}
{
	grep -a "^BENCH" "$work/console.log" | grep -v samples || true
	python3 "$top/bench/profile_doorbell.py" "$work/exec.log" "$work/warden.elf"
} | tee "$OUT/bench/profile-doorbell$suffix.txt"
