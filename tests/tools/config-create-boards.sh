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
# WARDEN_BOARDS_SERIES=6.12 measures the other cached kernel's trees instead.
series=${WARDEN_BOARDS_SERIES:-6.1}
mapfile -t dtbs < <(find -L "$top/.cache/linux-$series/root/usr/lib" -name '*.dtb' 2>/dev/null | sort)
[ "${#dtbs[@]}" -gt 500 ] || { nok "only ${#dtbs[@]} device trees under .cache/linux-$series (scripts/setup)"; exit 1; }

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
		# shellcheck disable=SC2046 # one word per compatible string
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

# ---- What particular boards must get (the values their manuals and
# Jailhouse's own configurations use).
dtb_of() { printf '%s\n' "${dtbs[@]}" | grep -m1 "/$1\.dtb\$"; }
# board NAME DTB-BASENAME "OPTIONS" REGEX...: created, and each REGEX in its C source
board() {
	local name=$1 dtb re
	dtb=$(dtb_of "$2")
	[ -n "$dtb" ] || { nok "$name: no $2.dtb"; return; }
	# shellcheck disable=SC2086 # options word-split on purpose
	if ! "$W" config create --dtb "$dtb" $3 -o "$tmp/one.c" >"$tmp/one.out" 2>"$tmp/one.err"; then
		nok "$name: refused: $(tail -n 1 "$tmp/one.err")"
		return
	fi
	shift 3
	for re in "$@"; do
		grep -Eq -- "$re" "$tmp/one.c" || { nok "$name: no line matching '$re'"; return; }
	done
	ok "$name"
}
# refused NAME DTB-BASENAME REGEX: refused, the last stderr line matching REGEX
refused() {
	local dtb
	dtb=$(dtb_of "$2")
	[ -n "$dtb" ] || { nok "$1: no $2.dtb"; return; }
	if "$W" config create --dtb "$dtb" -o "$tmp/one.cell" >/dev/null 2>"$tmp/one.err"; then
		nok "$1: accepted"
	elif tail -n 1 "$tmp/one.err" | grep -Eq -- "$3"; then
		ok "$1"
	else
		nok "$1: $(tail -n 1 "$tmp/one.err")"
	fi
}

board "ZynqMP zcu102: GIC-400 CPU interfaces at their 64 KiB-aliased contiguous frames, xuartps console" \
	zynqmp-zcu102-rev1.0 "" '\.gic_version = 2,' '\.gicc_base = 0xf902f000,' \
	'\.gich_base = 0xf9040000,' '\.gicv_base = 0xf906f000,' \
	'\.address = 0xff000000,' '\.type = WD_CON_TYPE_XUARTPS,'
board "Raspberry Pi 4 (--ram): the mini UART as an 8250 with 32-bit registers" \
	bcm2711-rpi-4-b "--ram 0x0:1G" '\.address = 0xfe215040,' '\.type = WD_CON_TYPE_8250,' \
	'\.flags = WD_CON_ACCESS_MMIO \| WD_CON_REGDIST_4,'
if [ "$(wc -l <"$tmp/one.err")" -le 3 ] &&
	tail -n 1 "$tmp/one.err" | grep -q 'to act on: enable-method spin-table, not psci: .*: /cpus/cpu@0, /cpus/cpu@1, /cpus/cpu@2, /cpus/cpu@3$'; then
	ok "Raspberry Pi 4: what to act on (spin-table CPUs) comes last, in one line; the per-node lines only with -v"
else
	nok "Raspberry Pi 4: stderr has $(wc -l <"$tmp/one.err") lines, last: $(tail -n 1 "$tmp/one.err")"
fi
refused "Raspberry Pi 4 without --ram: refused, naming --ram and the empty /memory's base" bcm2711-rpi-4-b \
	'its /memory is empty .*--ram BASE:SIZE.*e\.g\. --ram 0x0:1G'
board "Qualcomm MSM8916 (--ram): qcom,msm-qgic2 is a GICv2 with its GICH and GICV" msm8916-mtp \
	"--ram 0x80000000:1G" \
	'\.gic_version = 2,' '\.gicd_base = 0x0?b000000,' '\.gicc_base = 0x0?b002000,' \
	'\.gich_base = 0x0?b001000,' '\.gicv_base = 0x0?b004000,'
refused "hi3798cv200-poplar: its GIC-400 describes no GICH/GICV: refused with that reason" \
	hi3798cv200-poplar 'GICv2 \(arm,gic-400\) describes no virtualization extensions'
refused "Raspberry Pi 3: no GIC, refused naming its interrupt controllers" bcm2837-rpi-3-b \
	'no GIC: .*this board.s interrupt controller is brcm,bcm2836-armctrl-ic under brcm,bcm2836-l1-intc'
board "i.MX 8M Mini: i.MX UART console" imx8mm-evk "--ram 0x40000000:2G" \
	'\.address = 0x30890000,' '\.type = WD_CON_TYPE_IMX,'
board "i.MX 8QXP: LPUART console" imx8qxp-mek "--ram 0x80000000:2G" \
	'\.address = 0x5a060000,' '\.type = WD_CON_TYPE_IMX_LPUART,'
board "RZ/G2M: SCIF console" r8a774a1-hihope-rzg2m "" '\.address = 0xe6e88000,' '\.type = WD_CON_TYPE_SCIF,'
board "Armada 3720: MVEBU console" armada-3720-espressobin "" '\.address = 0xd0012000,' '\.type = WD_CON_TYPE_MVEBU,'
board "Tegra210: its 16550 with 32-bit registers" tegra210-p2371-2180 "" '\.address = 0x70006000,' \
	'\.type = WD_CON_TYPE_8250,' '\.flags = WD_CON_ACCESS_MMIO \| WD_CON_REGDIST_4,'
long=$(printf '%s\n' "${dtbs[@]}" | awk -F/ '{ b = $NF; sub(/\.dtb$/, "", b); if (length(b) > 31) { print b; exit } }')
if [ -n "$long" ] && "$W" config create --dtb "$(dtb_of "$long")" --ram 0x40000000:1G -o "$tmp/$long.c" >/dev/null 2>&1 &&
	n=$(sed -n 's/^[[:space:]]*\.name = "\(.*\)",$/\1/p' "$tmp/$long.c" | head -n 1) &&
	[ -n "$n" ] && [ ${#n} -le 31 ] && [ "${long#"$n"}" != "$long" ]; then
	ok "a ${#long}-character file name gives the cell name '$n' (${#n} characters)"
else
	nok "no valid cell name derived from '${long:-no long file name}'"
fi
refused_name() { "$W" config create --dtb "$(dtb_of msm8916-mtp)" --ram 0x80000000:1G --name "$1" -o "$tmp/n.cell" >/dev/null 2>"$tmp/one.err"; }
if ! refused_name "a-name-that-is-far-too-long-for-a-cell" && grep -q "cell name 'a-name-that-is-far-too-long-for-a-cell' (--name) must have 1 to 31 characters" "$tmp/one.err"; then
	ok "an explicit --name that is too long is refused, not shortened"
else
	nok "--name too long: $(tail -n 1 "$tmp/one.err")"
fi
exit $failed
