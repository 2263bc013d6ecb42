#!/usr/bin/env bash
# Cell -> root doorbell latency with the root's ivshmem device on MSI-X
# against INTx, on the board with the GICv3 ITS, in one boot
# (bench/msix-guest.sh), under "-icount shift=0,sleep=off" (one instruction
# = 1 ns of virtual time): from just before the sender's doorbell write in
# the cell (inmates/demos/ivshmem-bench) to the entry of uio_ivshmem's
# interrupt handler in the root (Linux's IRQ entry path included). INTx is
# an SPI the hypervisor makes pending in the distributor, which the GIC
# then signals to the root's CPU (an exit, then injection); MSI-X is the
# LPI Linux mapped for the vector, put straight into the target CPU's list
# register as a virtual LPI after the event SGI (gicv3-its-virtdev.c).
# Resolution one counter tick (16 instructions). Writes out/bench/msix.json
# (figures doorbell_latency_cell_root_its_intx, doorbell_latency_cell_root_msix);
# the raw output stays in out/bench/msix-console.log.
#
# bench/msix.sh [--kernel 6.1|6.12] [--count N] [--gap US]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
export OUT
series=6.1
count=200
gap=2000

die() { echo "bench/msix.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	--gap) gap=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
for v in "$count" "$gap"; do
	case "$v" in ''|*[!0-9]*) die "'$v' is not a number" ;; esac
done
for f in warden.bin warden inmates/ivshmem-bench.bin configs/qemu-ivshmem-demo1.cell \
	configs/qemu-arm64-its.cell configs/qemu-arm64-its-msix.cell "$series/warden.ko"; do
	[ -e "$OUT/$f" ] || die "$OUT/$f is missing: run 'make' first"
done
mkdir -p "$OUT/bench"
rm -f "$OUT/bench/msix.json"
make -s -C "$top/bench/guest" OUT="$OUT" || die "building bench/guest failed"

echo "bench/msix.sh: cell -> root, INTx then MSI-X, over Linux $series (count=$count gap=$gap us)"
"$top/scripts/qemu-run" --kernel "$series" --timeout 900 --its \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--add "$top/bench/msix-guest.sh:/bench/msix-guest.sh" \
	--add "$OUT/bench/guest/ivshmem-root:/usr/bin/ivshmem-root" \
	-- "sh /bench/msix-guest.sh $count $gap" \
	>"$OUT/bench/msix-console.log" 2>&1 ||
	die "the guest run failed (status $?); see $OUT/bench/msix-console.log"

log=$OUT/bench/msix-console.log
intx=$(grep -a "BENCH intx cell-to-root ivshmem-root: latency" "$log" | tail -1) ||
	die "no INTx latency line; see $log"
msix=$(grep -a "BENCH msix cell-to-root ivshmem-root: latency" "$log" | tail -1) ||
	die "no MSI-X latency line; see $log"
python3 - "$intx" "$msix" "$log" "$OUT/bench/msix.json" <<'PY'
import json, re, statistics, sys
intx, msix, log, out = sys.argv[1:5]

def fields(l):
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", l)}

def samples(prefix):
    vals = []
    for l in open(log, errors="replace"):
        if l.startswith(prefix + " samples"):
            vals += [int(v) for v in l.split(" samples", 1)[1].split()]
    return vals

figures = []
for fid, title, l, prefix, how in (
        ("doorbell_latency_cell_root_its_intx", "Doorbell latency cell -> root, INTx (ITS board)",
         intx, "BENCH intx cell-to-root ivshmem-root:", "INTx, an SPI (root configuration qemu-arm64-its)"),
        ("doorbell_latency_cell_root_msix", "Doorbell latency cell -> root, MSI-X",
         msix, "BENCH msix cell-to-root ivshmem-root:",
         "MSI-X, a virtual LPI (root configuration qemu-arm64-its-msix)")):
    f = fields(l)
    resolution = round(1e9 / f["freq"]) if f.get("freq") else 16
    vals = samples(prefix)
    st = {"n": f["n"], "min": f["min"], "mean": f["avg"], "max": f["max"]}
    if len(vals) == f["n"]:
        st["median"] = statistics.median(vals)
    figures.append({"id": fid, "title": title, "unit": "instructions", "better": "lower",
                    "value": f["avg"], "resolution": resolution, "stats": st,
                    "note": "mean of %d doorbells from just before the cell's doorbell write to the entry "
                            "of uio_ivshmem's handler in the root, %s; virtual time under -icount "
                            "shift=0 (whole machine)" % (f["n"], how)})
json.dump({"part": "msix", "figures": figures}, open(out, "w"), indent=1)
for f in figures:
    s = f["stats"]
    print("bench/msix.sh: %s: min %s avg %s max %s instructions (n=%s)"
          % (f["title"].lower(), s["min"], s["mean"], s["max"], s["n"]))
PY
echo "bench/msix.sh: wrote $OUT/bench/msix.json"
