#!/usr/bin/env bash
# Broken system configurations, made by the configs build from the good root
# cell (tests/tools/mkbadcfg.c -> out/tests/configs/NAME.cell, with NAME.msg:
# the validator's message for it, empty when only the running system can see
# the problem). Each is enabled twice: checked by the tool (its stderr must
# carry the message) and with --no-check (the driver's own check: the kernel
# log must carry it). Every attempt fails, leaves nothing behind (not
# enabled, /proc/iomem unchanged), and a good enable works right after.
. "$(dirname "$0")/lib.sh"

bad="$WT_OUT/tests/configs"
missing=
for n in bad-signature bad-revision bad-arch truncated bad-array-count hv-too-small \
	hv-in-ram hv-not-reserved subpage-region gic-mapped; do
	[ -f "$bad/$n.cell" ] && [ -f "$bad/$n.msg" ] || missing="$missing out/tests/configs/$n.{cell,msg}"
done
if [ -n "$missing" ]; then
	echo "not ok - bad-config: not built:$missing"
	exit 1
fi

qemu_test bad-config --add "$bad:/etc/warden/bad" <<'EOF'
sysfs=/sys/devices/warden
dir=/etc/warden/bad
: >/tmp/messages

t_check "modprobe warden" modprobe warden || exit 1
iomem0=$(cat /proc/iomem)

# Only the driver can tell that hypervisor memory is RAM Linux uses.
driver_only_msg() {
	case $1 in
	hv-not-reserved) echo "overlaps Linux RAM" ;;
	esac
}

for cell in $dir/*.cell; do
	name=$(basename $cell .cell)
	msg=$(cat $dir/$name.msg)
	if [ -z "$msg" ]; then
		msg=$(driver_only_msg $name)
		[ -n "$msg" ] || { t_fail "$name: expected message" "empty $name.msg"; continue; }
	fi

	# Checked by the tool: its stderr carries the validator's message.
	t_expect_fail -F "$name: enable refused with its message" "$msg" warden enable $cell
	seen=$(grep . $T_ERR | tail -n 1)
	[ -n "$seen" ] || seen=$(sed 's/^\[ *[0-9.]*\] //' $T_DMESG | tail -n 1)
	echo "$seen" >>/tmp/messages
	t_eq "$name: not enabled afterwards" "$(t_read $sysfs/enabled)" 0
	t_eq "$name: /proc/iomem unchanged" "$(cat /proc/iomem)" "$iomem0"

	# Straight to the driver. The ioctl passes only a pointer, so the driver
	# sizes the blob from its counts: it cannot know a file was cut short
	# (it reads on into the tool's buffer) and sees absurd counts as too big.
	mode=-F pat=$msg
	case $name in
	truncated) mode=-E pat='warden: ' ;;
	bad-array-count) mode=-E pat='exceeds the limit' ;;
	esac
	t_expect_fail $mode "$name (--no-check): the driver refuses it" "$pat" \
		warden enable --no-check $cell
	t_check "$name (--no-check): the kernel log says why" grep -q $mode -- "$pat" $T_DMESG
	t_eq "$name (--no-check): not enabled afterwards" "$(t_read $sysfs/enabled)" 0
	t_eq "$name (--no-check): /proc/iomem unchanged" "$(cat /proc/iomem)" "$iomem0"
done

t_log "messages:"
sed 's/^/#   /' /tmp/messages
t_eq "every bad configuration has its own message" \
	"$(sort -u /tmp/messages | grep -c .)" "$(ls $dir/*.cell | wc -l)"

t_check "a good enable works right after" warden enable /etc/warden/qemu-arm64.cell
t_eq "enabled" "$(t_read $sysfs/enabled)" 1
t_check "warden disable" warden disable
EOF

qemu_done
