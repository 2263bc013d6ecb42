# Guest side of the integration tests: /usr/share/warden/testlib.sh.
#
# tests/qemu/lib.sh boots a guest and runs, there,
#     . /usr/share/warden/testlib.sh; t_begin NAME; ( . SCRIPT ); t_end
# The functions below print one console line per result,
#     TEST ok - NAME
#     TEST not ok - NAME: WHY
# which the host turns into "ok - [6.1] TEST-NAME: NAME" lines. Results are
# also appended to $T_RESULTS so that t_end can count them even though the
# script runs in a subshell. Everything else a function prints (the commands
# it ran and their output) is for the log only.
#
#   t_ok NAME                      record a pass
#   t_fail NAME WHY                record a failure
#   t_check NAME CMD...            pass if CMD exits 0
#   t_expect_fail [-E|-F] NAME REGEX CMD...
#                                  pass if CMD exits non-zero (not by a signal)
#                                  and its stderr or the kernel log lines it
#                                  caused match the extended regex REGEX (with
#                                  -F: contain the string REGEX). Afterwards
#                                  $T_ERR holds CMD's stderr and $T_DMESG the
#                                  kernel log lines it caused.
#   t_expect_status NAME N CMD...  pass if CMD exits with status N
#   t_eq NAME GOT WANT             pass if the strings are equal
#   t_match NAME REGEX STRING      pass if STRING matches the extended regex
#   t_log TEXT                     a comment line in the log
#   t_read FILE                    print FILE's content (or "<unreadable FILE>")
#   t_irq_counts REGEX             per-CPU sums of the /proc/interrupts rows
#                                  whose text matches REGEX, one per online
#                                  CPU column, space-separated
#   t_grew NAME "BEFORE" "AFTER"   pass if every column of AFTER (counts as
#                                  printed by t_irq_counts) is larger than the
#                                  same column of BEFORE
#   t_cpu_mask LIST                the hex mask of a CPU list such as "0-2,5"
#   t_dmesg_mark / t_dmesg_since   kernel log lines printed after the mark
#   t_busy_start N / t_busy_stop   N busy-looping processes (one per CPU when
#                                  N is the CPU count), pids in $T_BUSY_PIDS

T_RESULTS=/tmp/testlib.results
T_OUT=/tmp/testlib.out
T_ERR=/tmp/testlib.err
T_DMESG=/tmp/testlib.dmesg
T_DMESG_MARK=0
T_BUSY_PIDS=

# One line, whatever the input: newlines become " / ".
t__line() { printf '%s\n' "$*" | awk 'NF { printf "%s%s", (n++ ? " / " : ""), $0 }'; }

t_ok() {
	echo "ok" >>$T_RESULTS
	printf 'TEST ok - %s\n' "$(t__line "$1")"
}

t_fail() {
	echo "not ok" >>$T_RESULTS
	printf 'TEST not ok - %s: %s\n' "$(t__line "$1")" "$(t__line "${2:-failed}")"
}

t_log() { printf '# %s\n' "$*"; }

# Show a command's captured output in the log, indented, at most 40 lines each.
t__show() {
	[ -s $T_OUT ] && head -n 40 $T_OUT | sed 's/^/  | /'
	[ -s $T_ERR ] && head -n 40 $T_ERR | sed 's/^/  ! /'
	return 0
}

# The last non-empty line of stderr, else of stdout: the likeliest reason.
t__why() {
	local f
	for f in $T_ERR $T_OUT; do
		if grep -q '[^[:space:]]' $f; then
			grep '[^[:space:]]' $f | tail -n 1
			return
		fi
	done
	echo "no output"
}

t_check() {
	local name=$1 st
	shift
	t_log "$name: $(t__short "$*")"
	"$@" >$T_OUT 2>$T_ERR
	st=$?
	t__show
	if [ $st -eq 0 ]; then
		t_ok "$name"
	else
		t_fail "$name" "'$*' exited $st: $(t__why)"
	fi
	return $st
}

t_expect_status() {
	local name=$1 want=$2 st
	shift 2
	t_log "$name: $* (want exit status $want)"
	"$@" >$T_OUT 2>$T_ERR
	st=$?
	t__show
	if [ $st -eq "$want" ]; then
		t_ok "$name"
	else
		t_fail "$name" "'$*' exited $st, want $want: $(t__why)"
		return 1
	fi
}

t_expect_fail() {
	local mode=-E name pattern st
	case $1 in -E|-F) mode=$1; shift ;; esac
	name=$1 pattern=$2
	shift 2
	t_log "$name: $* (must fail with /$pattern/)"
	t_dmesg_mark
	"$@" >$T_OUT 2>$T_ERR
	st=$?
	t__show
	t_dmesg_since >$T_DMESG
	[ -s $T_DMESG ] && sed 's/^/  k /' $T_DMESG | head -n 40
	if [ $st -eq 0 ]; then
		t_fail "$name" "'$*' succeeded, must fail"
	elif [ $st -gt 128 ]; then
		t_fail "$name" "'$*' was killed by signal $((st - 128))"
	elif grep -q $mode -- "$pattern" $T_ERR $T_DMESG; then
		t_ok "$name"
		return 0
	else
		t_fail "$name" "'$*' exited $st but neither stderr nor dmesg matches /$pattern/; stderr: $(t__why)"
	fi
	return 1
}

# A value as shown in a failure: one line, at most 300 characters.
t__short() {
	local v
	v=$(t__line "$1")
	[ ${#v} -le 300 ] && printf '%s' "$v" || printf '%s...' "$(printf '%s' "$v" | cut -c1-300)"
}

t_eq() {
	if [ "$2" = "$3" ]; then
		t_ok "$1"
	else
		t_fail "$1" "got '$(t__short "$2")', want '$(t__short "$3")'"
		return 1
	fi
}

t_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		t_ok "$1"
	else
		t_fail "$1" "'$(t__short "$3")' does not match /$2/"
		return 1
	fi
}

t_read() {
	if [ -r "$1" ]; then
		cat "$1" 2>/dev/null || printf '<unreadable %s>' "$1"
	else
		printf '<missing %s>' "$1"
	fi
}

t_dmesg_mark() { T_DMESG_MARK=$(dmesg | wc -l); }
t_dmesg_since() { dmesg | tail -n +$((T_DMESG_MARK + 1)); }

t_irq_counts() {
	awk -v re="$1" '
		NR == 1 { ncpu = NF; next }
		$0 ~ re {
			for (i = 2; i <= ncpu + 1; i++) {
				if ($i !~ /^[0-9]+$/) break
				sum[i] += $i
			}
		}
		END {
			for (i = 2; i <= ncpu + 1; i++)
				printf "%s%d", (i > 2 ? " " : ""), sum[i]
			print ""
		}' /proc/interrupts
}

t_grew() {
	local name=$1 stuck
	stuck=$(echo "$2 / $3" | awk '{
		n = (NF - 1) / 2
		for (i = 1; i <= n; i++)
			if ($(n + 1 + i) + 0 <= $i + 0)
				printf "%sCPU%d %d->%d", (k++ ? ", " : ""), i - 1, $i, $(n + 1 + i)
		if (n < 1 || NF != 2 * n + 1)
			printf "bad counts"
	}')
	if [ -z "$stuck" ]; then
		t_ok "$name"
	else
		t_fail "$name" "no growth on $stuck (before: $2; after: $3)"
		return 1
	fi
}

t_cpu_mask() {
	echo "$1" | awk -F, '{
		m = 0
		for (i = 1; i <= NF; i++) {
			n = split($i, r, "-")
			lo = r[1]; hi = (n > 1 ? r[2] : r[1])
			for (c = lo; c <= hi; c++) {
				b = 1	# busybox awk has no "^"
				for (j = 0; j < c; j++) b *= 2
				m += b
			}
		}
		printf "%x\n", m
	}'
}

t_busy_start() {
	local i=0
	while [ $i -lt "$1" ]; do
		busybox sh -c 'while :; do :; done' &
		T_BUSY_PIDS="$T_BUSY_PIDS $!"
		i=$((i + 1))
	done
}

t_busy_stop() {
	[ -n "$T_BUSY_PIDS" ] && kill $T_BUSY_PIDS 2>/dev/null
	wait $T_BUSY_PIDS 2>/dev/null
	T_BUSY_PIDS=
	return 0
}

t_begin() {
	: >$T_RESULTS
	# Keep the kernel's chatter off the console while tests print their
	# result lines (errors and worse still show); t_end dumps the whole log.
	echo 4 >/proc/sys/kernel/printk
	echo "TEST begin ${1:-} on $(uname -r)"
}

t_end() {
	local pass fail
	pass=$(grep -c '^ok$' $T_RESULTS)
	fail=$(grep -c '^not ok$' $T_RESULTS)
	if [ -r /sys/devices/warden/console ]; then
		echo "---- hypervisor console (/sys/devices/warden/console) ----"
		cat /sys/devices/warden/console 2>&1
	fi
	echo "---- dmesg ----"
	dmesg
	echo "---- end of dmesg ----"
	echo "TEST end $pass $fail"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}
