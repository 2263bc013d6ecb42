#!/usr/bin/env bash
# The hypervisor's layering (asm/irqchip.h): the GIC drivers call nothing of
# the core and the arm64 glue that call them, so that no circle of the
# file-level call graph (scripts/hv-callgraph.py) holds a GIC file and a core
# or glue file. Proven able to fail on a copy where a GIC driver calls back
# into the core. Prints "ok - layering: ..." / "not ok - layering: ...".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - layering: $*"; }
nok() { echo "not ok - layering: $*"; failed=1; }

GIC='arch/arm64/(gicv[23]-[a-z-]*|gic-[a-z-]*|irqchip)\.c'
UPPER='hypervisor/core/(cell[a-z-]*|control|hypercall)\.c|arch/arm64/(setup|traps|psci)\.c'

if python3 "$top/scripts/hv-callgraph.py" --forbid "$GIC,$UPPER" "$top" >"$tmp/out" 2>&1; then
	ok "no call circle joins the GIC drivers and the core or the arm64 glue ($(grep -c '^circle' "$tmp/out") circles elsewhere)"
else
	nok "$(grep -m1 -E '^forbidden|Error' "$tmp/out")"
fi

# The same check on a copy whose CPU interface code (both GICs') calls the core directly.
mkdir -p "$tmp/t/hypervisor" "$tmp/t/common"
cp -r "$top/hypervisor/core" "$top/hypervisor/arch" "$tmp/t/hypervisor/"
cp "$top/common/"*.c "$tmp/t/common/"
sed -i 's/irqchip_host->event(pc);/cpu_handle_event(pc);/' "$tmp/t/hypervisor/arch/arm64/gic-vcpu.c"
if grep -q 'cpu_handle_event(pc);' "$tmp/t/hypervisor/arch/arm64/gic-vcpu.c" &&
	! python3 "$top/scripts/hv-callgraph.py" --forbid "$GIC,$UPPER" "$tmp/t" >"$tmp/out2" 2>&1 &&
	grep -q '^forbidden' "$tmp/out2"; then
	ok "a GIC driver that calls cpu_handle_event() directly is caught"
else
	nok "a direct call from gic-vcpu.c into control.c was not caught"
fi
exit $failed
