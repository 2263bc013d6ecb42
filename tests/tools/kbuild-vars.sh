#!/usr/bin/env bash
# The build takes the variables kernel developers pass (ARCH, CROSS_COMPILE,
# KDIR, V), as the README documents them:
#   - the custom-kernel line, "make KDIR=<kernel build> ARCH=arm64
#     CROSS_COMPILE=aarch64-linux-gnu-", builds the module against the cached
#     6.12 headers (the module only: the cheap part; its vermagic must be
#     6.12's), and a dry run of the same line for everything else finds a rule
#     for every object (ARCH=arm64 once replaced the hypervisor's object list);
#   - ARCH other than arm64 is refused with a message that says why;
#   - V=1 shows the compiler's command line, and without V the short form.
# Builds into a temporary OUT; prints "ok - kbuild: ..." / "not ok - kbuild: ...".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok() { echo "ok - kbuild: $*"; }
nok() { echo "not ok - kbuild: $*"; failed=1; }

KDIR=$top/.cache/linux-6.12/headers
CROSS=aarch64-linux-gnu-
[ -f "$KDIR/Makefile" ] || { nok "no 6.12 headers in .cache (scripts/setup)"; exit 1; }
command -v "${CROSS}gcc" >/dev/null || { nok "no ${CROSS}gcc (scripts/setup)"; exit 1; }
cd "$top" || exit 1

# The documented line, module only.
if nice make -s KDIR="$KDIR" ARCH=arm64 CROSS_COMPILE=$CROSS OUT="$tmp/out" driver \
	>"$tmp/driver.log" 2>&1 && [ -s "$tmp/out/custom/warden.ko" ]; then
	ok "make KDIR=<6.12 headers> ARCH=arm64 CROSS_COMPILE=$CROSS driver: out/custom/warden.ko"
	vermagic=$(grep -a -o 'vermagic=[^ ]*' "$tmp/out/custom/warden.ko" | head -n 1)
	release=$(cat "$KDIR/include/config/kernel.release" 2>/dev/null)
	if [ -n "$release" ] && [ "$vermagic" = "vermagic=$release" ]; then
		ok "the module is built for the kernel KDIR names ($release)"
	else
		nok "module vermagic '$vermagic', KDIR's kernel '$release'"
	fi
else
	nok "the documented custom-kernel line does not build the module: $(grep -m1 -iE 'error|no rule' "$tmp/driver.log")"
fi

# The same line for everything else, as a dry run: every object has a rule.
if make -n KDIR="$KDIR" ARCH=arm64 CROSS_COMPILE=$CROSS OUT="$tmp/dry" \
	hypervisor tools configs inmates >"$tmp/dry.log" 2>&1; then
	ok "make -n KDIR=... ARCH=arm64 CROSS_COMPILE=$CROSS: a rule for every target"
else
	nok "make -n with ARCH=arm64: $(grep -m1 -E 'No rule|Error|error' "$tmp/dry.log")"
fi
if grep -q "${CROSS}gcc .*-c -o $tmp/dry/hypervisor/arch/sysreg-trap.o" "$tmp/dry.log"; then
	ok "with ARCH=arm64 the hypervisor's arm64 objects are still built"
else
	nok "with ARCH=arm64 no hypervisor arch object is built"
fi

# ARCH=arm (or anything but arm64): refused, naming the reason.
if make -n ARCH=arm OUT="$tmp/arm" hypervisor >"$tmp/arm.log" 2>&1; then
	nok "ARCH=arm is accepted"
elif grep -q 'ARCH=arm: Warden is built for arm64 only' "$tmp/arm.log"; then
	ok "ARCH=arm is refused: $(grep -m1 -o 'Warden is built for arm64 only' "$tmp/arm.log")"
else
	nok "ARCH=arm refused without the reason: $(head -n 1 "$tmp/arm.log")"
fi

# V=1: the command line; without V: the short form. One small object each.
obj=$tmp/v/hypervisor/core/string.o
make -C hypervisor OUT="$tmp/v" CROSS_COMPILE=$CROSS V=1 "$obj" >"$tmp/v1.log" 2>&1
# (the C files are compiled from their copies with packed messages, scripts/msg-pack)
if grep -q "${CROSS}gcc .* -c -o $obj [^ ]*/packed/hypervisor/core/string.c" "$tmp/v1.log"; then
	ok "V=1 shows the compiler's command line"
else
	nok "V=1 does not show the command: $(head -n 2 "$tmp/v1.log" | tr '\n' ' ')"
fi
rm -f "$obj"
make -C hypervisor OUT="$tmp/v" CROSS_COMPILE=$CROSS "$obj" >"$tmp/v0.log" 2>&1
if grep -q '^  CC      hypervisor/core/string.c$' "$tmp/v0.log" && ! grep -q "${CROSS}gcc" "$tmp/v0.log"; then
	ok "without V the short form"
else
	nok "without V: $(head -n 2 "$tmp/v0.log" | tr '\n' ' ')"
fi
exit $failed
