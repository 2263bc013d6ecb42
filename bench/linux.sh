#!/usr/bin/env bash
# Linux-cell benchmarks, in QEMU with -icount shift=0,sleep=off (the virtual
# clock counts instructions, 1 ns each). Writes out/bench/linux.json (schema:
# {"part": "linux", "figures": [...]}) and prints a summary; consoles in
# out/bench/linux-{bare,root,cell}.log.
#
# bench/linux.sh [--kernel 6.1|6.12]
#
#   overhead    bench/guest/workload (32 MiB streaming + integer mixing, 3
#               runs) in the Linux cell (qemu-linux-demo, 2 CPUs, booted by
#               "warden cell linux" with the cell initramfs) against the same
#               kernel and initramfs booted bare on a 2-CPU board of 128 MiB;
#               ratio of the medians of its CLOCK_MONOTONIC time (virtual:
#               instructions of all vCPUs, so it counts exits, not cache or
#               TLB effects; the runs start 1 s after the cell's init reports
#               and the root sleeps through them, so that only the cell runs).
#   boot        virtual time from "warden cell linux" to the cell's init
#               writing its first report line (polled every 10 ms by the root).
#
# Needs "make" first.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
export OUT
series=6.1

die() { echo "bench/linux.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
kernel=$top/.cache/linux-$series/vmlinuz
for f in warden.bin warden "$series/warden.ko" configs/qemu-linux-demo.cell inmates/linux-loader.bin; do
	[ -e "$OUT/$f" ] || die "$OUT/$f is missing: run 'make' first"
done
[ -e "$kernel" ] || die "no $kernel"
make -s -C "$top/bench/guest" OUT="$OUT" || die "building bench/guest failed"
mkdir -p "$OUT/bench"
rd=$OUT/bench/cell-work.gz
"$top/scripts/mkcellinitramfs" -o "$rd" --add "$OUT/bench/guest/workload:/bin/workload" ||
	die "building the cell initramfs failed"
icount=(-icount shift=0,sleep=off)
bare_log=$OUT/bench/linux-bare.log
root_log=$OUT/bench/linux-root.log
cell_log=$OUT/bench/linux-cell.log

# Bare: the same kernel and initramfs on a 2-CPU board at EL1, no hypervisor.
echo "bench/linux.sh: $series bare on 2 CPUs (log: $bare_log)" >&2
timeout 1500 qemu-system-aarch64 -machine virt,gic-version=3,its=off -cpu cortex-a57 \
	-smp 2 -m 128M -nographic -no-reboot -nic none "${icount[@]}" \
	-kernel "$kernel" -initrd "$rd" -append "console=ttyAMA0 quiet panic=-1 wdcell=work,poweroff" \
	-monitor none -serial "file:$bare_log" </dev/null >/dev/null 2>&1 ||
	die "the bare boot failed or timed out (see $bare_log)"

# In the cell: the root polls the report page for the first line, then waits.
echo "bench/linux.sh: $series in the Linux cell (logs: $root_log, $cell_log)" >&2
"$top/scripts/qemu-run" --kernel "$series" --timeout 1500 --uart1 "$cell_log" \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--add "$kernel:/root/Image" --add "$rd:/root/cell.gz" -- '
	modprobe warden && warden enable /etc/warden/qemu-arm64.cell || exit 1
	cell-report clear >/dev/null
	t0=$(cut -d" " -f1 /proc/uptime)
	warden cell linux /etc/warden/qemu-linux-demo.cell /root/Image -i /root/cell.gz \
		-c "console=ttyAMA0 quiet wdreport=0x7c010000 wdcell=work" || exit 1
	while [ "$(devmem 0x7c010004 32)" = 0x00000000 ]; do sleep 0.01; done
	t1=$(cut -d" " -f1 /proc/uptime)
	echo "BOOT_TO_INIT $t0 $t1"
	# The exits of both cells around the timed runs; the root sleeps through
	# them (the cell waits 1 s before its workload, which takes under 1 s).
	exits() {
		local c k
		for c in /sys/devices/warden/cells/*; do
			for k in total mmio management hypercall maintenance virt_irq virt_sgi psci smccc; do
				echo "EXITS $1 $(cat $c/name) $k $(cat $c/statistics/vmexits_$k)"
			done
		done
	}
	exits before
	sleep 8
	exits after
	cell-report wait work= 1400 || exit 1
	warden cell destroy linux-demo && warden disable' >"$root_log" 2>&1 ||
	die "the cell run failed (see $root_log)"

python3 - "$bare_log" "$cell_log" "$root_log" "$OUT/bench/linux.json" "$series" <<'PY'
import json, re, statistics, sys

bare_log, cell_log, root_log, out, series = sys.argv[1:6]

def runs(path):
    text = open(path, errors="replace").read()
    return [int(m.group(1)) for m in re.finditer(r"WORKLOAD \d+ (\d+) [0-9a-f]+", text)]

bare, cell = runs(bare_log), runs(cell_log)
exits = {}
for m in re.finditer(r"EXITS (before|after) (\S+) (\w+) (\d+)", open(root_log, errors="replace").read()):
    exits.setdefault(m.group(2), {}).setdefault(m.group(3), {})[m.group(1)] = int(m.group(4))
window_exits = {name: {k: v["after"] - v["before"] for k, v in kinds.items()
                       if "after" in v and "before" in v}
                for name, kinds in exits.items()}
if not bare or not cell:
    sys.exit("bench/linux.sh: no workload timings (bare %d, cell %d)" % (len(bare), len(cell)))
m = re.search(r"BOOT_TO_INIT ([0-9.]+) ([0-9.]+)", open(root_log, errors="replace").read())
if not m:
    sys.exit("bench/linux.sh: no boot time in the root's log")
boot_ms = round((float(m.group(2)) - float(m.group(1))) * 1000)
b, c = statistics.median(bare), statistics.median(cell)
figures = [
    {"id": "linux_cell_workload_ratio",
     "title": "Workload in the Linux cell / same kernel bare, 2 CPUs",
     "unit": "ratio", "value": round(c / b, 5), "better": "lower",
     "target": {"op": "<=", "value": 1.01},
     "stats": {"bare_ns": bare, "cell_ns": cell, "bare_median_ns": b, "cell_median_ns": c,
               "vmexits_in_window": window_exits},
     "note": "bench/guest/workload -m 32 -n 3 in the cell's init and bare, 1 s after the "
             "init's report; CLOCK_MONOTONIC, i.e. virtual time under icount: the "
             "instructions of ALL vCPUs (QEMU has one instruction clock; no per-CPU count "
             "exists, its PMU's instruction event reads the same clock), so the root sleeps "
             "through the runs (its exits in the window show it idle); "
             "vmexits_in_window: each cell's exits from the init's report to 8 s later"},
    {"id": "linux_cell_boot_to_init_ms",
     "title": "warden cell linux to the cell's init (virtual time)",
     "unit": "ms", "value": boot_ms, "better": "lower",
     "note": "root's /proc/uptime before the command and when the cell's first report "
             "line appears; includes decompressing nothing (raw Image), loading "
             "33-44 MiB, the kernel's boot with quiet and the init's first probes"},
]
with open(out, "w") as f:
    json.dump({"part": "linux", "kernel": series, "figures": figures}, f, indent=1)
    f.write("\n")
for fig in figures:
    t = fig.get("target")
    verdict = ""
    if t:
        verdict = "  (target <= %s: %s)" % (t["value"], "met" if fig["value"] <= t["value"] else "MISSED")
    print("%-60s %14s %s%s" % (fig["title"], fig["value"], fig["unit"], verdict))
for name, kinds in sorted(window_exits.items()):
    print("vmexits around the runs, cell %-12s %s" % (name, " ".join(
        "%s=%d" % (k, v) for k, v in sorted(kinds.items()) if v)))
print("wrote " + out)
PY
