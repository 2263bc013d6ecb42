#!/usr/bin/env bash
# ivshmem-net throughput next to a veth pair, in one boot: root -> Linux cell
# over the network link (qemu-arm64.cell's 00:01.0, qemu-linux-demo with
# ivshmem-net.ko, "warden cell linux"), then root -> root over a veth pair
# whose second end is in another network namespace (so that the traffic
# crosses the pair instead of the loopback). The same TCP sender and
# counting receiver (tests/qemu/ivshmem/ivnet-xfer, "blast" / "serve
# discard") and the same amount of data for both; each interface keeps its
# default MTU (ivshmem-net 65535, veth 1500), as a user gets them.
# Writes out/bench/ivnet.json (figures ivnet_mbps, veth_mbps,
# ivnet_veth_ratio) and keeps the consoles in out/bench/ivnet{,-cell}.log.
#
# bench/ivnet.sh [--kernel 6.1|6.12] [--mib N] [--runs N]
#
# Under -icount shift=0,sleep=off like the other parts: MB/s are per second
# of virtual time (1 ns per instruction), so the figures count instructions
# per byte moved, not the host's speed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
export OUT
series=6.1
mib=16
runs=3

die() { echo "bench/ivnet.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) series=${2:?}; shift 2 ;;
	--mib) mib=${2:?}; shift 2 ;;
	--runs) runs=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
case "$mib$runs" in *[!0-9]*|'') die "--mib and --runs want numbers" ;; esac

for f in warden.bin warden "$series/warden.ko" "$series/ivshmem/ivshmem-net.ko" \
	configs/qemu-arm64.cell configs/qemu-linux-demo.cell inmates/linux-loader.bin; do
	[ -e "$OUT/$f" ] || die "$OUT/$f is missing: run 'make' first"
done
mkdir -p "$OUT/bench/ivnet"
work=$OUT/bench/ivnet
src=$top/tests/qemu/ivshmem
aarch64-linux-gnu-gcc -O2 -Wall -static -o "$work/ivnet-xfer" "$src/ivnet-xfer.c"

# The cell's initramfs: the tests' (net-cell-init serves port 5001 discarding).
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp}
cp "$top/.cache/busybox" "$stage/bin/busybox"
cp "$src/net-cell-init" "$stage/init"
cp "$OUT/$series/ivshmem/ivshmem-net.ko" "$work/ivnet-xfer" "$stage/"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$work/cell-initramfs.gz"

cat >"$work/guest.sh" <<EOF
mib=$mib
runs=$runs
EOF
cat >>"$work/guest.sh" <<'EOF'
set -u
fail() { echo "IVNET-BENCH error: $*"; exit 1; }
wait_for() { local n=$1; shift; while [ $n -gt 0 ]; do "$@" && return 0; sleep 1; n=$((n - 1)); done; return 1; }
no_tentative() { ! ip -6 addr show dev "$1" | grep -q tentative; }
rate() { sed -n 's/.*: \([0-9.]*\) MB\/s;.*/\1/p'; }

modprobe warden && modprobe ivshmem-net && modprobe veth || fail "modprobe"
warden enable /etc/warden/qemu-arm64.cell || fail "enable"
eth=$(ls /sys/bus/pci/devices/0001:00:01.0/net)
ip link set "$eth" up && ip -6 addr add fe80::1/64 dev "$eth" || fail "$eth"
warden cell linux /etc/warden/qemu-linux-demo.cell /root/Image -i /root/cell-initramfs.gz \
	-c "console=ttyAMA0 cma=0" || fail "cell linux"
wait_for 300 sh -c "[ \$(cat /sys/class/net/$eth/carrier) = 1 ]" || fail "no carrier"
wait_for 30 no_tentative "$eth" || fail "DAD"
wait_for 30 ping -c 1 -W 2 -I "$eth" fe80::2 >/dev/null || fail "no ping"

# veth: vA here, vB in a namespace of its own with the receiver.
unshare -n sleep 100000 &
ns=$!
sleep 1
before=$(ls /sys/class/net)
ip link add vA type veth peer name vB || fail "veth"
# busybox's ip may name the peer itself: the new interface that is not vA.
vB=
for n in $(ls /sys/class/net); do
	case " $(echo $before) vA " in *" $n "*) ;; *) vB=$n ;; esac
done
[ -n "$vB" ] || fail "no veth peer"
ivnet-xfer netns "$vB" "$ns" || fail "moving $vB to the namespace"
ip link set vA up && ip -6 addr add fe80::1/64 dev vA
nsenter -t "$ns" -n sh -c "ip link set lo up; ip link set $vB up; ip -6 addr add fe80::2/64 dev $vB; ivnet-xfer serve 5001 discard </dev/null >/dev/null 2>&1 &" ||
	fail "nsenter"
wait_for 30 no_tentative vA || fail "DAD on vA"
wait_for 30 ping -c 1 -W 2 -I vA fe80::2 >/dev/null || fail "no ping over veth"

echo "IVNET-BENCH mtu ivnet=$(cat /sys/class/net/$eth/mtu) veth=$(cat /sys/class/net/vA/mtu)"
for r in $(seq 1 $runs); do
	for link in ivnet veth; do
		dev=$eth
		[ $link = veth ] && dev=vA
		out=$(ivnet-xfer blast fe80::2 "$dev" 5001 "$mib" 2>&1) || fail "$link run $r: $out"
		echo "IVNET-BENCH $link $r $(echo "$out" | rate) # $out"
	done
done
kill $ns
warden cell destroy linux-demo
warden disable
echo "IVNET-BENCH done"
EOF

log=$OUT/bench/ivnet.log
echo "bench/ivnet.sh: booting $series, $runs x $mib MiB each way (log: $log)" >&2
"$top/scripts/qemu-run" --kernel "$series" --timeout 2400 --append "iomem=relaxed quiet" \
	--qemu-arg -icount --qemu-arg shift=0,sleep=off \
	--uart1 "$OUT/bench/ivnet-cell.log" \
	--add "$top/.cache/linux-$series/vmlinuz:/root/Image" \
	--add "$work/cell-initramfs.gz:/root/cell-initramfs.gz" \
	--add "$work/ivnet-xfer:/usr/bin/ivnet-xfer" \
	--add "$work/guest.sh:/root/ivnet-bench.sh" -- "sh /root/ivnet-bench.sh" >"$log" 2>&1 ||
	{ grep -a 'IVNET-BENCH' "$log" >&2 || true; die "the guest failed (see $log)"; }
grep -aq 'IVNET-BENCH done' "$log" || die "the guest did not finish (see $log)"

python3 - "$log" "$OUT/bench/ivnet.json" "$series" "$mib" <<'PY'
import json, re, statistics, sys
log, out, series, mib = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rates = {"ivnet": [], "veth": []}
mtu = {}
for line in open(log, errors="replace"):
    m = re.search(r"IVNET-BENCH (ivnet|veth) \d+ ([0-9.]+)", line)
    if m:
        rates[m.group(1)].append(float(m.group(2)))
    m = re.search(r"IVNET-BENCH mtu ivnet=(\d+) veth=(\d+)", line)
    if m:
        mtu = {"ivnet": int(m.group(1)), "veth": int(m.group(2))}
if not rates["ivnet"] or not rates["veth"]:
    sys.exit("bench/ivnet.sh: no rates in the log")
iv, ve = statistics.median(rates["ivnet"]), statistics.median(rates["veth"])
note = (f"TCP, {mib} MiB per run from ivnet-xfer blast to a counting receiver, median of "
        f"{len(rates['ivnet'])} runs; MB/s of virtual time under -icount shift=0 "
        f"(instructions per byte, not host speed); default MTUs {mtu}")
figures = [
    {"id": "ivnet_mbps", "title": "ivshmem-net root -> Linux cell throughput",
     "unit": "MB/s", "value": round(iv, 3), "better": "higher",
     "stats": {"runs": rates["ivnet"]}, "note": note},
    {"id": "veth_mbps", "title": "veth pair inside the root, same board and run",
     "unit": "MB/s", "value": round(ve, 3), "better": "higher",
     "stats": {"runs": rates["veth"]}, "note": note},
    {"id": "ivnet_veth_ratio", "title": "ivshmem-net / veth throughput",
     "unit": "ratio", "value": round(iv / ve, 4), "better": "higher",
     "target": {"op": ">=", "value": 0.5}, "note": note},
]
with open(out, "w") as f:
    json.dump({"part": "ivnet", "kernel": series, "figures": figures}, f, indent=1)
    f.write("\n")
for fig in figures:
    print(f"{fig['title']:<60} {fig['value']:>10} {fig['unit']}")
print(f"wrote {out}")
PY
