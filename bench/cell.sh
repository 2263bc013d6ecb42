#!/usr/bin/env bash
# Cell-side benchmarks: inmates/demos/bench.c run in the "bench" cell
# (configs/arm64/qemu-bench.c, CPU 3) over a root Linux, and the same program
# run bare on QEMU's board with no hypervisor, both under
# "-icount shift=0,sleep=off" (one guest instruction = 1 ns of virtual time).
# Writes out/bench/cell.json (schema: see bench/report.py); the raw output
# stays in out/bench/cell-uart1.log (the inmate in the cell), cell-console.log
# (the root's console) and bare.log.
#
# bench/cell.sh [--kernel 6.1|6.12] [--count N] [--period US] [--batches N]
#               [--busy S] [--gic 2|3]
#
#   --count    timer interrupts recorded (default 1000; one more is dropped)
#   --period   their period in us of virtual time (default 1000)
#   --batches  batches of 1000 hypercalls / MMIO reads (default 100)
#   --busy     seconds of the CPU-bound root workload (default 1)
#   --gic      the board's GIC (default 3); with 2 the same board with a GICv2
#              (gic-version=2, root qemu-arm64-gicv2.cell, bare run too), and
#              the results go to out/bench/gicv2/ instead of out/bench/
#
# Needs "make" first (image, module, tool, configurations, inmates).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
export OUT
QEMU=${QEMU:-qemu-system-aarch64}
series=6.1
count=1000
period=1000
batches=100
busy=1
gic=3

die() { echo "bench/cell.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	--period) period=${2:?}; shift 2 ;;
	--batches) batches=${2:?}; shift 2 ;;
	--busy) busy=${2:?}; shift 2 ;;
	--gic) gic=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,21s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
for v in "$count" "$period" "$batches" "$busy"; do
	case "$v" in ''|*[!0-9]*) die "'$v' is not a number" ;; esac
done

for f in warden.bin warden inmates/bench.bin inmates/bare/bench.bin \
	configs/qemu-bench.cell "$series/warden.ko"; do
	[ -e "$OUT/$f" ] || die "$OUT/$f is missing: run 'make' first"
done
case "$gic" in 2|3) ;; *) die "--gic wants 2 or 3, not '$gic'" ;; esac
dir=$OUT/bench root=qemu-arm64 bare_args=
if [ "$gic" = 2 ]; then
	dir=$OUT/bench/gicv2 root=qemu-arm64-gicv2 bare_args=" gic=2"
fi
mkdir -p "$dir"
rm -f "$dir/cell.json"

icount=(-icount shift=0,sleep=off)
args="count=$count period=$period batches=$batches"

# ---- bare: QEMU's board at EL1, as "make -C inmates run-bare" runs it
echo "bench/cell.sh: bare board, GICv$gic ($args)"
timeout 300 "$QEMU" -machine virt,gic-version=$gic -cpu cortex-a57 -smp 1 -m 1G \
	-nographic -no-reboot -monitor none "${icount[@]}" \
	-kernel "$OUT/inmates/bare/bench.bin" -append "$args$bare_args" \
	</dev/null >"$dir/bare.log" 2>&1 ||
	die "the bare run failed (status $?); see $dir/bare.log"

# ---- in a cell over the root Linux
echo "bench/cell.sh: in a cell over Linux $series, GICv$gic ($args)"
rm -f "$dir/cell-uart1.log"
"$top/scripts/qemu-run" --kernel "$series" --timeout 900 --gic "$gic" \
	--uart1 "$dir/cell-uart1.log" \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--add "$top/bench/cell-guest.sh:/bench/cell-guest.sh" \
	-- "sh /bench/cell-guest.sh '$args' $busy $root" \
	>"$dir/cell-console.log" 2>&1 ||
	die "the guest run failed (status $?); see $dir/cell-console.log"

python3 "$top/bench/cell_parse.py" --cell "$dir/cell-uart1.log" \
	--bare "$dir/bare.log" --console "$dir/cell-console.log" \
	-o "$dir/cell.json" || die "could not read the benchmark output"
echo "bench/cell.sh: wrote $dir/cell.json"
