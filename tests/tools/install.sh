#!/usr/bin/env bash
# "make install" into a staging directory, and what it installs: the tool
# (runs, --version, --help of every command), the manual page (renders
# without warnings, names every command) and the bash completion (completes
# commands, sub-commands, options from --help, .cell files and cell names).
# Prints "ok - install: ..." / "not ok - install: ..." lines.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$top/out}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

ok() { echo "ok - install: $*"; }
nok() { echo "not ok - install: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else nok "$what"; fi; }

if ! log=$(make --no-print-directory -s -C "$top" OUT="$OUT" install DESTDIR="$stage" PREFIX=/usr 2>&1); then
	echo "$log" | tail -20
	nok "make install DESTDIR=... PREFIX=/usr failed"
	exit 1
fi
ok "make install DESTDIR=... PREFIX=/usr"

bin=$stage/usr/sbin/warden
man=$stage/usr/share/man/man8/warden.8
comp=$stage/usr/share/bash-completion/completions/warden
check "tool installed executable as sbin/warden" test -x "$bin"
check "sbin/jailhouse is a link to it" test "$(readlink "$stage/usr/sbin/jailhouse")" = warden
check "called as jailhouse it says so" \
	grep -q '^jailhouse (Warden) ' <<<"$("$stage/usr/sbin/jailhouse" --version)"
check "manual page installed as share/man/man8/warden.8" cmp -s "$man" "$top/doc/warden.8"
check "completion installed as share/bash-completion/completions/warden" \
	cmp -s "$comp" "$top/tools/warden.bash-completion"

# --version: the version and the configuration revision.
v=$("$bin" --version)
check "warden --version: '$v'" \
	grep -qE '^warden [0-9]+\.[0-9]+.*, configuration revision 14$' <<<"$v"

# Every command and sub-command explains itself with --help, exit status 0,
# starting with its usage line.
bad=()
for c in "" enable disable info console cell "cell create" "cell load" "cell start" \
	"cell shutdown" "cell destroy" "cell linux" "cell list" "cell stats" config "config check" \
	"config create" "config dump"; do
	# shellcheck disable=SC2086
	out=$("$bin" $c --help 2>&1) && [[ $out == "usage: warden${c:+ $c}"* ]] || bad+=("'$c'")
done
if [ ${#bad[@]} -eq 0 ]; then ok "--help of the tool and every command"; else nok "--help missing or failing for: ${bad[*]}"; fi
# The overviews name every command and sub-command.
missing=()
for w in enable disable info console "cell create|load|start|shutdown|destroy|linux|list|stats" \
	"config check|create|dump"; do
	"$bin" --help | grep -qF -- "$w" || missing+=("'$w'")
done
for w in check create dump; do "$bin" config --help | grep -qE "^  $w " || missing+=("config $w"); done
for w in create load start shutdown destroy linux list stats; do
	"$bin" cell --help | grep -qE "^  $w " || missing+=("cell $w")
done
if [ ${#missing[@]} -eq 0 ]; then ok "the overviews name every command"; else nok "overviews lack ${missing[*]}"; fi
"$bin" no-such-command >/dev/null 2>&1
check "unknown command: exit status 2" test $? -eq 2

# The manual page renders without a warning and documents every command.
if command -v groff >/dev/null; then
	warn=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
	check "manual page renders without warnings${warn:+: $warn}" test -z "$warn"
	text=$(groff -man -Tutf8 "$man" 2>/dev/null | sed 's/.\x08//g')
	missing=()
	for c in enable disable info console "cell create" "cell load" "cell start" "cell shutdown" \
		"cell destroy" "cell linux" "cell list" "cell stats" "config check" "config create" "config dump" \
		"EXIT STATUS" FILES EXAMPLES; do
		grep -qF -- "$c" <<<"$text" || missing+=("'$c'")
	done
	if [ ${#missing[@]} -eq 0 ]; then ok "manual page covers every command"; else nok "manual page lacks ${missing[*]}"; fi
else
	nok "groff not installed (groff-base comes from scripts/setup)"
fi

# The completion, as bash loads it, with the installed tool first in PATH.
cells=$stage/sys
mkdir -p "$cells/cells/0" "$cells/cells/1" "$stage/cfg/sub"
echo qemu-arm64 >"$cells/cells/0/name"
echo uart-demo >"$cells/cells/1/name"
touch "$stage/cfg/a.cell" "$stage/cfg/b.cell" "$stage/cfg/notes.txt"
complete_words() {
	(cd "$stage/cfg" && PATH=$stage/usr/sbin:$PATH WARDEN_SYSFS=$cells bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
		_warden; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$comp" "$@")
}
expect() {
	local want=$1 got
	shift
	got=$(complete_words "$@")
	check "completion of '$*' is '$want'" test "$got" = "$want "
	[ "$got" = "$want " ] || echo "# got: '$got'"
}
expect "cell config console" warden c
expect "create destroy linux list load shutdown start stats" warden cell ""
expect "check create dump" warden config ""
expect "--help --json" warden config dump --
expect "--help --no-check" warden enable --
expect "a.cell b.cell" warden enable ""
expect "a.cell b.cell" warden config check a.cell ""
expect "0 1 qemu-arm64 uart-demo" warden cell start ""
expect "uart-demo" warden cell destroy u
expect "a.cell b.cell" warden cell linux ""
expect "notes.txt" warden cell linux a.cell n
expect "arm64" warden cell linux a.cell Image -a ""
expect "--arch --cmdline --dtb --help --initrd --write-params" warden cell linux --
(source "$comp" && complete -p warden | grep -q -- '-F _warden') 2>/dev/null
check "completion registers _warden for warden" test $? -eq 0
expect "--c --cell --dtb --help --iomem --ivshmem --ivshmem-base --mem-hv --mem-inmates --name --ram --vpci-ecam --vpci-irq-base" warden config create --
