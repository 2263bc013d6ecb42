# Host side of the integration tests; sourced by tests/qemu/*.sh.
#
# A test script boots guests through scripts/qemu-run and runs a guest script
# in each, written with the guest library (scripts/guest/testlib.sh, in the
# guest at /usr/share/warden/testlib.sh: t_ok, t_fail, t_check,
# t_expect_fail, ...):
#
#     . "$(dirname "$0")/lib.sh"
#     qemu_test lifecycle --append iomem=relaxed <<'EOF'
#     t_check "load the driver" modprobe warden
#     EOF
#     qemu_done
#
# qemu_test NAME [--script FILE] [--kernels "6.1 6.12"] [--timeout SECONDS]
#           [--no-build-check] [scripts/qemu-run options...]
#   Runs the guest script (FILE, or the here-document on stdin) once per kernel
#   series (default: $WARDEN_TEST_KERNELS, else "6.1 6.12"), each in a fresh
#   guest, with the console logged to out/tests/logs/NAME-SERIES.log. Prints
#   "ok - [SERIES] NAME: CHECK" / "not ok - [SERIES] NAME: CHECK: WHY" for each
#   guest result, and a "not ok" of its own when the guest died (timeout,
#   panic: with the end of the log), when the kernel logged an oops, BUG or
#   WARNING, or when result lines went missing. Returns non-zero on any failure.
#   Unless --no-build-check, a series whose build products (warden.bin, the
#   tool, configs/qemu-arm64.cell, SERIES/warden.ko) are missing is reported
#   "not ok" without booting. --timeout (default 120) applies to each guest.
# qemu_done
#   Exits the test script: 0 if every qemu_test passed.
# qemu_require FILE...
#   Prints "not ok" for each missing host file (something not built yet) and
#   returns non-zero if any is missing.
# wt_ivnet_prepare SERIES
#   For ivshmem-net between the root and a Linux cell (67-vits-linux.sh,
#   89-ivshmem-net.sh): builds ivnet-xfer (tests/qemu/ivshmem/ivnet-xfer.c)
#   and the cell's initramfs for SERIES (busybox, ivshmem/net-cell-init as
#   /init, SERIES's ivshmem-net.ko, ivnet-xfer) into $WT_IVNET
#   (cell-initramfs-SERIES.gz, ivnet-xfer); prints "not ok" and returns
#   non-zero when one of them cannot be made.
#
# WARDEN_TEST_QEMU_ARGS (environment): more scripts/qemu-run options for every
# guest (e.g. "--cpu cortex-a72"; a later --cpu wins); WARDEN_TEST_TAG: a
# suffix for the test names and logs of such a run (e.g. "@cortex-a72").

WT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WT_OUT=${OUT:-$WT_TOP/out}
WT_LOGS=$WT_OUT/tests/logs
WT_SCRIPTS=$WT_OUT/tests/scripts
WT_IVNET=$WT_OUT/tests/ivshmem
WT_FAILED=0
mkdir -p "$WT_LOGS" "$WT_SCRIPTS"

# Kernel messages that mean the guest kernel is unhealthy whatever the test
# checked: an oops, a BUG, a WARN, a panic, a soft/hard lockup, an RCU stall.
# And the hypervisor's own report of an exception it could not handle.
WT_KERNEL_TROUBLE='Internal error:|Unable to handle kernel|BUG:|WARNING: CPU:|Kernel panic|Call trace:|soft lockup|hard LOCKUP|rcu_(sched|preempt) (self-)?detected stall|hung_task|FATAL: exception'

qemu_require() {
	local f missing=0
	for f in "$@"; do
		if [ ! -e "$f" ]; then
			echo "not ok - $(basename "$0" .sh): needs $f (not built)"
			missing=1
		fi
	done
	[ $missing -eq 0 ] || WT_FAILED=1
	return $missing
}

qemu_test() {
	local name=$1${WARDEN_TEST_TAG:-} script= kernels=${WARDEN_TEST_KERNELS:-"6.1 6.12"} timeout=120
	local opts=() series build_check=1
	shift
	while [ $# -gt 0 ]; do
		case "$1" in
		--no-build-check) build_check=0; shift ;;
		--script) script=$2; shift 2 ;;
		--kernels) kernels=$2; shift 2 ;;
		--timeout) timeout=$2; shift 2 ;;
		*) opts+=("$1"); shift ;;
		esac
	done
	if [ -z "$script" ]; then
		# Kept after the run (for a look at what the guest ran).
		script="$WT_SCRIPTS/$name.sh"
		cat >"$script.$$"
		mv "$script.$$" "$script"
	fi
	local rc=0
	for series in $kernels; do
		if [ $build_check -eq 1 ] && ! wt_built "$name" "$series"; then
			rc=1
			continue
		fi
		wt_run_one "$name" "$series" "$script" "$timeout" "${opts[@]}" || rc=1
	done
	[ $rc -eq 0 ] || WT_FAILED=1
	return $rc
}

qemu_done() {
	exit $WT_FAILED
}

wt_built() {
	local f missing=
	for f in warden.bin warden configs/qemu-arm64.cell "$2/warden.ko"; do
		[ -e "$WT_OUT/$f" ] || missing="$missing out/$f"
	done
	[ -z "$missing" ] && return 0
	echo "not ok - [$2] $1: not built:$missing"
	return 1
}

wt_run_one() {
	local name=$1 series=$2 script=$3 timeout=$4
	shift 4
	local log="$WT_LOGS/$name-$series.log" start=$SECONDS st tag="[$series] $name"
	local guest='. /usr/share/warden/testlib.sh; t_begin '"$name"'; ( . /tmp/test.sh ); t_end'

	# shellcheck disable=SC2086 # WARDEN_TEST_QEMU_ARGS: words on purpose
	OUT=$WT_OUT "$WT_TOP/scripts/qemu-run" --kernel "$series" --timeout "$timeout" "$@" \
		${WARDEN_TEST_QEMU_ARGS:-} --add "$script:/tmp/test.sh" -- "$guest" >"$log" 2>&1
	st=$?
	echo "# $tag: guest finished in $((SECONDS - start)) s with status $st; log: ${log#$WT_TOP/}"

	# The guest's result lines; a kernel message may precede one on its line.
	local results pass fail nres bad=0
	results=$(grep -ao 'TEST \(not \)\{0,1\}ok - .*' "$log" | sed "s/^TEST \(\(not \)\{0,1\}ok\) - /\1 - $tag: /")
	[ -z "$results" ] || printf '%s\n' "$results"
	nres=$(printf '%s' "$results" | grep -c '^\(not \)\{0,1\}ok - ')
	grep -q '^not ok - ' <<<"$results" && bad=1

	local endline
	endline=$(grep -ao 'TEST end [0-9]* [0-9]*' "$log" | tail -n 1)
	case $st in
	124|125)
		echo "not ok - $tag: the guest died ($(grep -a '^qemu-run: ' "$log" | tail -n 1 | sed 's/^qemu-run: //'))"
		wt_tail "$log"
		bad=1 ;;
	*)
		if [ -z "$endline" ]; then
			echo "not ok - $tag: the guest script did not finish (exit status $st)"
			wt_tail "$log"
			bad=1
		else
			set -- $endline
			pass=$3 fail=$4
			if [ $((pass + fail)) -ne "$nres" ]; then
				echo "not ok - $tag: the guest reported $((pass + fail)) results but $nres arrived intact (garbled console?)"
				bad=1
			elif [ "$nres" -eq 0 ]; then
				echo "not ok - $tag: the guest script reported no results"
				bad=1
			fi
		fi ;;
	esac

	local trouble
	trouble=$(grep -aE "$WT_KERNEL_TROUBLE" "$log" | head -n 5)
	if [ -n "$trouble" ]; then
		echo "not ok - $tag: the kernel reported trouble: $(head -n 1 <<<"$trouble" | sed 's/^\[ *[0-9.]*\] //')"
		sed 's/^/#   /' <<<"$trouble"
		bad=1
	fi
	return $bad
}

# The end of a log, as comment lines (dmesg dumps left out: they are long).
wt_tail() {
	grep -av '^@@qemu-run' "$1" | tail -n 25 | sed 's/^/#   /'
}

wt_ivnet_prepare() {
	local series=$1 src=$WT_TOP/tests/qemu/ivshmem stage
	local out=$WT_IVNET/cell-initramfs-$1.gz me
	me=$(basename "$0" .sh)
	mkdir -p "$WT_IVNET"
	if [ ! -x "$WT_IVNET/ivnet-xfer" ] || [ "$src/ivnet-xfer.c" -nt "$WT_IVNET/ivnet-xfer" ]; then
		aarch64-linux-gnu-gcc -O2 -Wall -static -o "$WT_IVNET/ivnet-xfer" "$src/ivnet-xfer.c" ||
			{ echo "not ok - $me: cannot build ivnet-xfer"; WT_FAILED=1; return 1; }
	fi
	if [ ! -e "$WT_OUT/$series/ivshmem/ivshmem-net.ko" ]; then
		echo "not ok - [$series] $me: $series/ivshmem/ivshmem-net.ko not built"
		WT_FAILED=1
		return 1
	fi
	stage=$(mktemp -d)
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp}
	cp "$WT_TOP/.cache/busybox" "$stage/bin/busybox"
	cp "$src/net-cell-init" "$stage/init"
	cp "$WT_OUT/$series/ivshmem/ivshmem-net.ko" "$stage/ivshmem-net.ko"
	cp "$WT_IVNET/ivnet-xfer" "$stage/ivnet-xfer"
	(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 >"$out"
	rm -rf "$stage"
}
