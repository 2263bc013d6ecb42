#!/usr/bin/env bash
# The root's interrupts through the GICv3 ITS, with and without Warden, in one
# boot with an ITS and a virtio-rng-pci device whose MSI-X the ITS delivers
# (scripts/qemu-run --its), under -icount shift=0,sleep=off (1 instruction =
# 1 ns of virtual time):
#
#   command     one ITS command as the root's Linux issues it: bench/kmod's
#               its_bench.ko calls irq_set_irqchip_state(PENDING, false) on
#               virtio-rng's LPI with interrupts masked, which Linux's ITS
#               driver turns into CLEAR + SYNC and waits for; under Warden
#               both go through the hypervisor's shadow queue (trapped
#               CWRITER, copied, checked, re-encoded, executed, CREADR
#               updated). Per command = the pair / 2.
#   round trip  irq_set_irqchip_state(PENDING, true) (INT + SYNC) until the
#               LPI's handler has run on the same CPU: the commands plus the
#               MSI delivery (under Warden: the exit to EL2 and the injection
#               of the virtual LPI) and Linux's interrupt path.
#   delivery    round trip - command pair (medians): the MSI's delivery.
#   overhead    bench/guest/workload (as bench/root.sh) without and with
#               Warden, alternately, with the ITS emulated: ratio of the
#               medians (target: within 1 %).
#
# Without Warden first, then "warden enable" with a root configuration made
# live by "warden config create" (it maps the ITS, which the hypervisor then
# takes over), the same again. Counter-tick resolution (16 instructions).
# Writes out/bench/its.json; the console stays in out/bench/its.log.
#
# bench/its.sh [--kernel 6.1|6.12] [--count N] [--runs N]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
export OUT
series=6.1
count=100
runs=3

die() { echo "bench/its.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,29s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
case "$count$runs" in *[!0-9]*|'') die "--count and --runs want numbers" ;; esac

for f in warden.bin warden "$series/warden.ko"; do
	[ -e "$OUT/$f" ] || die "$OUT/$f is missing: run 'make' first"
done
make -s -C "$top/bench/guest" OUT="$OUT" || die "building bench/guest failed"
make -s -C "$top/bench/kmod" KDIR="$top/.cache/linux-$series/headers" \
	BUILD="$OUT/$series/bench-kmod" >/dev/null || die "building bench/kmod failed"
mkdir -p "$OUT/bench"
log=$OUT/bench/its.log

cmd="dmesg -n 1
fail() { echo \"ITS-BENCH error \$*\"; exit 1; }
modprobe virtio_pci && modprobe virtio_rng || fail virtio-rng
irq=\$(awk '/ITS/ && /virtio0/ { sub(\":\", \"\", \$1); print \$1; exit }' /proc/interrupts)
[ -n \"\$irq\" ] || fail 'no virtio0 interrupt through the ITS'
measure() {
	dmesg -c >/dev/null
	insmod /root/its_bench.ko irq=\$irq count=$count || fail \"its_bench (\$1)\"
	rmmod its_bench
	dmesg | grep 'its-bench:' | sed \"s/^.*its-bench:/ITS-BENCH \$1/\"
}
measure bare
warden config create -o /tmp/root.cell >/dev/null || fail 'config create'
modprobe warden || fail 'modprobe warden'
warden enable /tmp/root.cell || fail enable
warden console | grep -q 'ITS .*taken over' || fail 'the hypervisor did not take the ITS over'
measure warden
warden disable || fail disable
i=0
while [ \$i -lt $runs ]; do
	workload -n 1 | sed 's/^WORKLOAD/ITS-BENCH wl off/' || fail workload
	warden enable /tmp/root.cell || fail enable
	workload -n 1 | sed 's/^WORKLOAD/ITS-BENCH wl on/' || fail workload
	warden disable || fail disable
	i=\$((i + 1))
done
echo ITS-BENCH done"

echo "bench/its.sh: booting $series with an ITS (log: $log)" >&2
"$top/scripts/qemu-run" --kernel "$series" --its --timeout 1200 --append "iomem=relaxed quiet" \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--qemu-arg -device --qemu-arg virtio-rng-pci \
	--add "$OUT/$series/bench-kmod/its_bench.ko:/root/its_bench.ko" \
	--add "$OUT/bench/guest/workload:/usr/bin/workload" -- "$cmd" >"$log" 2>&1 ||
	{ grep -a 'ITS-BENCH' "$log" >&2 || true; die "the guest failed (see $log)"; }
grep -aq 'ITS-BENCH done' "$log" || die "the guest did not finish (see $log)"

python3 - "$log" "$OUT/bench/its.json" "$series" <<'PY'
import json, re, statistics, sys
log, out, series = sys.argv[1:4]
m = {}
wl = {"off": [], "on": []}
for line in open(log, errors="replace"):
    r = re.search(r"ITS-BENCH (bare|warden) (command|roundtrip) (.*)", line)
    if r:
        m[(r.group(1), r.group(2))] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", r.group(3))}
    r = re.search(r"ITS-BENCH wl (off|on) \d+ (\d+)", line)
    if r:
        wl[r.group(1)].append(int(r.group(2)))
need = [(w, k) for w in ("bare", "warden") for k in ("command", "roundtrip")]
if any(k not in m for k in need) or not wl["off"] or not wl["on"]:
    sys.exit("bench/its.sh: results missing in the log")
freq = m[("bare", "command")]["freq"]
tick = 1e9 / freq                       # ns = instructions per counter tick
def insn(w, k, stat="median"):
    return round(m[(w, k)][stat] * tick)
res = round(tick)
figs = []
def fig(fid, title, value, note, target=None, unit="instructions", resolution=res):
    f = {"id": fid, "title": title, "unit": unit, "value": value, "better": "lower",
         "resolution": resolution, "note": note}
    if target:
        f["target"] = target
    figs.append(f)
for w, who in (("bare", "without Warden"), ("warden", "with Warden")):
    c = m[(w, "command")]
    fig("its_command_" + w, "ITS command, root, " + who, round(insn(w, "command") / 2),
        "irq_set_irqchip_state(PENDING, false) = CLEAR + SYNC issued and waited for, "
        "interrupts masked; median of %d pairs / 2 (pair min %d max %d instructions)"
        % (c["n"], insn(w, "command", "min"), insn(w, "command", "max")),
        resolution=round(res / 2))
for w, who in (("bare", "without Warden"), ("warden", "with Warden")):
    fig("its_msi_roundtrip_" + w, "ITS INT round trip to the handler, root, " + who,
        insn(w, "roundtrip"),
        "irq_set_irqchip_state(PENDING, true) = INT + SYNC, until virtio-rng's LPI "
        "handler ran on the same CPU; median of %d" % m[(w, "roundtrip")]["n"])
for w, who in (("bare", "without Warden"), ("warden", "with Warden")):
    fig("its_msi_delivery_" + w, "Root MSI (LPI) delivery, " + who,
        insn(w, "roundtrip") - insn(w, "command"),
        "round trip - CLEAR/SYNC pair (medians): the LPI from pending to the handler "
        "done, under Warden the exit to EL2 and the injection included")
off, on = statistics.median(wl["off"]), statistics.median(wl["on"])
fig("its_root_overhead_ratio", "Root workload with Warden / without, ITS emulated",
    round(on / off, 5),
    "bench/guest/workload -n 1, %d runs each, alternately, 4 CPUs, ITS and virtio-rng "
    "present; virtual time (instructions)" % len(wl["off"]),
    target={"op": "<=", "value": 1.01}, unit="ratio", resolution=None)
figs[-1].pop("resolution")
figs[-1]["stats"] = {"off_ns": wl["off"], "on_ns": wl["on"]}
with open(out, "w") as f:
    json.dump({"part": "its", "kernel": series, "figures": figs}, f, indent=1)
    f.write("\n")
for f in figs:
    print("%-60s %10s %s" % (f["title"], f["value"], f["unit"]))
print("wrote " + out)
PY
