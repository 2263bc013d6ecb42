#!/usr/bin/env bash
# "warden config dump" on the host: the shipped configurations decode (text
# and JSON) with the facts their sources state; the broken ones from
# mkbadcfg and the fuzzer's edge inputs are shown as far as they go and fail
# with exactly the validator's message; usage errors exit 2.
# Prints "ok - dump: ..." / "not ok - dump: ..." lines.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$top/out}
W=$OUT/host/warden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - dump: $*"; }
nok() { echo "not ok - dump: $*"; }

[ -x "$W" ] || { nok "no $W (make tools)"; exit 1; }

# Every shipped configuration: exit 0, text says valid, JSON parses and holds
# every array the header announces.
for f in "$OUT"/configs/*.cell; do
	n=$(basename "$f")
	if ! "$W" config dump "$f" >"$tmp/text" 2>"$tmp/err"; then
		nok "$n: text dump failed: $(cat "$tmp/err")"
		continue
	fi
	if ! "$W" config dump --json "$f" >"$tmp/json" 2>"$tmp/err"; then
		nok "$n: JSON dump failed: $(cat "$tmp/err")"
		continue
	fi
	if ! python3 - "$tmp/json" "$f" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["valid"] is True and "error" not in d, "not valid"
assert d["file_size"] == os.path.getsize(sys.argv[2]) == d["config_size"], "sizes"
cell = d["root_cell"] if d["type"] == "system" else d
assert d["type"] in ("system", "cell") and d["revision"] == 14 and d["architecture_name"] == "arm64"
for k in ("memory_regions", "cache_regions", "irqchips", "pio_regions", "pci_devices",
          "pci_caps", "stream_ids"):
    assert isinstance(cell[k], list), k
assert cell["cpus"] and cell["cpu_set_size"] > 0, "cpus"
for r in cell["memory_regions"]:
    assert int(r["flags"], 16) == 0 or r["flags_names"], "flag names"
PY
	then
		nok "$n: JSON document incomplete or not JSON"
	elif ! grep -q '^valid: yes$' "$tmp/text"; then
		nok "$n: text does not say 'valid: yes'"
	else
		ok "$n: text and JSON"
	fi
done

# Facts from the sources (configs/arm64/*.c, /work/shared layout): the root
# cell and the uart demo, field by field.
"$W" config dump --json "$OUT/configs/qemu-arm64.cell" >"$tmp/root.json" 2>/dev/null
"$W" config dump --json "$OUT/configs/qemu-uart-demo.cell" >"$tmp/uart.json" 2>/dev/null
if python3 - "$tmp/root.json" "$tmp/uart.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
u = json.load(open(sys.argv[2]))
assert s["type"] == "system" and s["signature"] == "JHSYS"
assert s["hypervisor_memory"]["phys_start"] == "0x7fc00000"
assert s["hypervisor_memory"]["size"] == "0x400000"
assert s["debug_console"]["type_name"] == "PL011"
assert s["debug_console"]["address"] == "0x9000000"
arm = s["platform"]["arm"]
assert arm["gic_version"] == 3 and arm["maintenance_irq"] == 25
assert arm["gicd_base"] == "0x8000000" and arm["gicr_base"] == "0x80a0000"
assert s["platform"]["pci_mmconfig_base"] == "0x8e00000"
r = s["root_cell"]
assert r["name"] == "qemu-arm64" and r["cpus"] == [0, 1, 2, 3]
ram = r["memory_regions"][0]
assert ram["phys_start"] == "0x40000000" and ram["size"] == "0x30000000"
assert {"READ", "WRITE", "EXECUTE", "DMA"} <= set(ram["flags_names"])
assert u["type"] == "cell" and u["name"] == "uart-demo"
assert u["flags_names"] == ["VIRTUAL_CONSOLE_PERMITTED"]
m = u["memory_regions"]
assert m[0]["phys_start"] == "0x7fa00000" and m[0]["virt_start"] == "0x0"
assert "LOADABLE" in m[0]["flags_names"]
assert [x for x in m if "COMM_REGION" in x["flags_names"]][0]["virt_start"] == "0x80000000"
chip = u["irqchips"][0]
assert chip["address"] == "0x8000000" and chip["pin_base"] == 32
assert chip["pins"] == [32 + i for i in range(128) if int(chip["pin_bitmap%d" % (i // 32)], 16) >> (i % 32) & 1]
PY
then
	ok "root cell and uart-demo fields match their sources"
else
	nok "root cell and uart-demo fields do not match their sources"
fi
grep -q '^  cpus: 0-3$' <(sed -n '/^root_cell:/,$p' <("$W" config dump "$OUT/configs/qemu-arm64.cell")) &&
	ok "text: CPU set as a range (cpus: 0-3)" || nok "text: root cell CPU set not shown as 0-3"

# Broken configurations: exit 1, the validator's message on stderr, still a
# JSON document with "valid": false and the same message.
shopt -s nullglob
bad=("$OUT"/tests/configs/*.cell)
[ ${#bad[@]} -gt 0 ] || nok "no broken configurations in $OUT/tests/configs (make configs)"
for f in "${bad[@]}"; do
	n=$(basename "$f" .cell)
	msg=$(cat "${f%.cell}.msg")
	"$W" config dump "$f" >"$tmp/text" 2>"$tmp/err"
	st=$?
	if [ -z "$msg" ]; then
		[ $st -eq 0 ] && ok "$n: accepted by the validator, exit 0" || nok "$n: exit $st for a valid file"
		continue
	fi
	if [ $st -ne 1 ]; then
		nok "$n: exit $st, not 1"
	elif [ "$(cat "$tmp/err")" != "warden: config dump: $f: $msg" ]; then
		nok "$n: stderr '$(cat "$tmp/err")' is not the validator's '$msg'"
	elif "$W" config dump --json "$f" >"$tmp/json" 2>/dev/null; ! python3 -c '
import json, sys
d = json.load(open(sys.argv[2]))
assert d["valid"] is False and d["error"]["message"] == sys.argv[1]' "$msg" "$tmp/json"; then
		nok "$n: JSON document missing or wrong"
	else
		ok "$n: shown, then fails with the validator's message"
	fi
done

# Inputs cut short anywhere: still well-formed output, exit 1.
for f in "$top"/tests/fuzz/corpus/edge-*.bin; do
	n=$(basename "$f")
	"$W" config dump --json "$f" >"$tmp/json" 2>/dev/null
	st=$?
	if [ $st -eq 1 ] && python3 -m json.tool "$tmp/json" >/dev/null 2>&1; then
		ok "$n: JSON document, exit 1"
	else
		nok "$n: exit $st or not JSON"
	fi
done
head -c 600 "$OUT/configs/qemu-arm64.cell" >"$tmp/cut.cell"
"$W" config dump "$tmp/cut.cell" >"$tmp/text" 2>/dev/null
grep -q 'memory_regions: 21, only 3 inside the file' "$tmp/text" &&
	ok "a cut file shows the entries it holds (3 of 21 memory regions)" ||
	nok "a cut file: '$(grep memory_regions "$tmp/text")'"

# Usage.
usage() {
	local want=$1
	shift
	"$W" config dump "$@" >/dev/null 2>&1
	local st=$?
	[ $st -eq "$want" ] && ok "config dump $*: exit $want" || nok "config dump $*: exit $st, not $want"
}
usage 2
usage 2 --yaml "$OUT/configs/qemu-arm64.cell"
usage 2 "$OUT/configs/qemu-arm64.cell" "$OUT/configs/qemu-uart-demo.cell"
usage 1 "$tmp/no-such-file.cell"
usage 0 --help
