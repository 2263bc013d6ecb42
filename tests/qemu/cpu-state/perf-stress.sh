# Manual reproduction aid for the once-seen perf WARNING in event_function()
# (not run by the suite). Guest script: VARIANT=warden (cells take CPUs 2 and
# 3 in turns), control (Linux CPU hotplug of CPUs 2 and 3, no Warden) or none;
# perf-loop (perf-loop.c) runs on CPU 2 next to a busy task meanwhile. E.g.:
#   aarch64-linux-gnu-gcc -O2 -static -o /tmp/perf-loop tests/qemu/cpu-state/perf-loop.c
#   taskset -c 1 nice -n 10 scripts/qemu-run --cpu max --append id_aa64mmfr1.vh=0 \
#     --machine-opts mte=on --timeout 400 --add /tmp/perf-loop:/root/perf-loop \
#     --add tests/qemu/cpu-state/perf-stress.sh:/root/s.sh -- 'VARIANT=warden SECS=120 sh /root/s.sh'
# (taskset -c 1: all vCPUs on one host CPU, like a loaded CI host.)
C=/etc/warden
nw() { dmesg | grep -c 'WARNING: CPU'; }
if [ "$VARIANT" = warden ]; then
	modprobe warden && warden enable $C/qemu-arm64.cell || exit 1
	take2() { warden cell create $C/qemu-attack.cell >/dev/null && warden cell load attack $I/attack-state.bin -s "mode=fill" -a 0x1000 >/dev/null && warden cell start attack >/dev/null && sleep 0.3; warden cell destroy attack >/dev/null; }
	take3() { warden cell create $C/qemu-uart-demo.cell >/dev/null 2>&1 && warden cell load uart-demo $I/attack-state.bin -s "mode=irq-get irq=40 console=hvc" -a 0x1000 >/dev/null && warden cell start uart-demo >/dev/null && sleep 0.3; warden cell destroy uart-demo >/dev/null 2>&1; }
elif [ "$VARIANT" = control ]; then
	take2() { echo 0 > /sys/devices/system/cpu/cpu2/online; sleep 0.3; echo 1 > /sys/devices/system/cpu/cpu2/online; }
	take3() { echo 0 > /sys/devices/system/cpu/cpu3/online; sleep 0.3; echo 1 > /sys/devices/system/cpu/cpu3/online; }
else
	take2() { sleep 0.3; }; take3() { sleep 0.3; }
fi
end=$(( $(date +%s) + ${SECS:-150} ))
( while [ $(date +%s) -lt $end ]; do take3; sleep 0.1; done ) &
n=0; bad=0
while [ $(date +%s) -lt $end ]; do
	n=$((n + 1))
	take2
	taskset -c 2 sh -c 'while :; do :; done' & sp=$!
	taskset -c 2 /root/perf-loop 150 | grep -v ' 0 with' || bad=$((bad + 1))
	kill $sp; wait $sp 2>/dev/null
done
wait
echo "== $VARIANT: $n batches of 150, batches with a context out: $bad, warnings: $(nw)"
[ "$VARIANT" = warden ] && warden disable
dmesg | grep -B2 -A30 'WARNING: CPU' | head -40
exit 0
