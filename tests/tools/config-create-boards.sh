#!/usr/bin/env bash
# "warden config create" on every device tree Debian's 6.1 arm64 kernel
# package ships (.cache/linux-6.1/root/usr/lib/linux-image-*/<vendor>/*.dtb,
# 577 boards), then one "warden config check" over every configuration it
# wrote. Asserts:
#   - no crash: config create exits 0 or 1 on every tree (never a signal);
#   - at least 95 % of the trees give a configuration that passes the check;
#   - every refusal is one line that names its cause (no empty stderr);
#   - the whole run takes less than 60 s of CPU time (the processor time of
#     every command it runs: on a machine shared by several builds the wall
#     clock says more about the others; the wall time is printed too).
# Where the tree's /memory is empty or missing (the bootloader fills it in),
# config create must refuse naming --ram; then the board's RAM is given with
# --ram: the empty /memory node's base when it has one, else the SoC
# family's DRAM base from its reference manual, 1 GiB.
# Prints "ok - boards: ..." / "not ok - boards: ..." lines and the tally.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$top/out}
W=$OUT/host/warden
GOAL_PERCENT=95
TIME_LIMIT=60
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
failed=0

ok() { echo "ok - boards: $*"; }
nok() { echo "not ok - boards: $*"; failed=1; }

[ -x "$W" ] || { nok "no $W (make tools)"; exit 1; }
command -v fdtget >/dev/null || { nok "no fdtget (device-tree-compiler, scripts/setup)"; exit 1; }
mapfile -t dtbs < <(find -L "$top/.cache/linux-6.1/root/usr/lib" -name '*.dtb' 2>/dev/null | sort)
[ "${#dtbs[@]}" -gt 500 ] || { nok "only ${#dtbs[@]} device trees under .cache/linux-6.1 (scripts/setup)"; exit 1; }

# The DRAM base of boards whose tree has no /memory node at all, by SoC family.
family_ram_base() { # ROOT-COMPATIBLE...
	case " $* " in
	*" rockchip,"* | *" marvell,armada-ap806"* | *" marvell,armada3710"* | *" brcm,bcm2711"*) echo 0x0 ;;
	*" allwinner,sun50i-"* | *" fsl,imx8mq"* | *" fsl,imx8mm"* | *" fsl,imx8mn"* | *" fsl,imx8mp"*) echo 0x40000000 ;;
	*" amd,seattle"*) echo 0x8000000000 ;;
	*) echo 0x80000000 ;;	# Layerscape, i.MX 8QXP/8QM/93 and most others
	esac
}

# The --ram for a tree config create refused for want of RAM (its refusal in
# $tmp/err): the empty /memory node's base the refusal suggests, else the
# SoC family's.
ram_arg() { # DTB
	local hint
	hint=$(grep -o -- '--ram 0x[0-9a-f]*:1G' "$tmp/err" | head -n 1)
	if grep -q 'its /memory is empty' "$tmp/err" && [ -n "$hint" ]; then
		echo "$hint"
	else
		echo "--ram $(family_ram_base $(fdtget "$1" / compatible 2>/dev/null)):1G"
	fi
}

start=$(date +%s)
total=0 created=0 crashed=0 silent=0 with_ram=0
: >"$tmp/refused"
mkdir -p "$tmp/cells"
for dtb in "${dtbs[@]}"; do
	b=$(basename "$dtb" .dtb)
	total=$((total + 1))
	"$W" config create --dtb "$dtb" -o "$tmp/cells/$b.cell" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'no RAM in the device tree' "$tmp/err"; then
		if ! grep -q -- '--ram BASE:SIZE' "$tmp/err"; then
			nok "$b: the refusal for want of RAM does not name --ram"
		fi
		with_ram=$((with_ram + 1))
		# shellcheck disable=SC2046 # "--ram BASE:SIZE", two words
		"$W" config create --dtb "$dtb" $(ram_arg "$dtb") -o "$tmp/cells/$b.cell" \
			>/dev/null 2>"$tmp/err"
		rc=$?
	fi
	if [ $rc -eq 0 ]; then
		created=$((created + 1))
	elif [ $rc -eq 1 ]; then
		if [ -s "$tmp/err" ]; then
			echo "$b: $(tail -n 1 "$tmp/err")" >>"$tmp/refused"
		else
			silent=$((silent + 1))
			echo "# $b: refused without a message" >&2
		fi
	else
		crashed=$((crashed + 1))
		echo "# $b: config create exited with $rc" >&2
	fi
done

# One check over everything written; each file gets "FILE: ok" or its errors.
passed=0
if [ $created -gt 0 ]; then
	"$W" config check "$tmp"/cells/*.cell >"$tmp/check" 2>&1
	# Passing: no error (a warning, e.g. about GICv2, is no failure).
	bad=$(grep ': error:' "$tmp/check" | sed 's/: error:.*//' | sort -u | wc -l)
	passed=$((created - bad))
	grep ': error:' "$tmp/check" | sed 's/^/# check: /' | head -n 20 >&2
fi
elapsed=$(( $(date +%s) - start ))
# CPU seconds of this shell and its children, from "times" ("0m1.234s" pairs).
times >"$tmp/times"
cpu=$(awk '{ for (i = 1; i <= NF; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } }
	END { printf "%d", s + 0.999 }' "$tmp/times")

echo "# boards: $total device trees ($with_ram with --ram), $created configurations written, $passed pass config check, $((total - created)) refused, $crashed crashed, ${cpu}s CPU, ${elapsed}s wall"
echo "# boards: refusals by cause:"
sed -E 's/^[^:]*: //; s/0x[0-9a-f]+/X/g; s/[0-9]+ MiB/N MiB/g' "$tmp/refused" | cut -c1-140 |
	sort | uniq -c | sort -rn | sed 's/^/#   /'

[ $crashed -eq 0 ] && ok "no crash on $total device trees" || nok "$crashed device trees crash config create"
[ $silent -eq 0 ] && ok "every refusal names its cause" || nok "$silent refusals without a message"
[ "$passed" -eq "$created" ] && ok "every configuration written passes config check" ||
	nok "$((created - passed)) written configurations fail config check"
if [ $((passed * 100)) -ge $((total * GOAL_PERCENT)) ]; then
	ok "$passed of $total ($((passed * 100 / total)) %) give a checked configuration (goal $GOAL_PERCENT %)"
else
	nok "$passed of $total ($((passed * 100 / total)) %) give a checked configuration, below $GOAL_PERCENT %"
fi
[ "$cpu" -lt $TIME_LIMIT ] && ok "all $total in ${cpu}s of CPU time (< ${TIME_LIMIT}s; ${elapsed}s wall)" ||
	nok "all $total took ${cpu}s of CPU time (limit ${TIME_LIMIT}s)"
exit $failed
