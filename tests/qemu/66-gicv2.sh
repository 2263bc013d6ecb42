#!/usr/bin/env bash
# GICv2 (issue 18): QEMU virt with gic-version=2,virtualization=on
# (scripts/qemu-run --gic 2), the root on configs/arm64/qemu-arm64-gicv2.c.
#  - Life cycle: enable; timer interrupts and IPIs on every CPU while
#    enabled; a root SPI (the PL031 RTC's alarm) delivered; a CPU offline and
#    online; disable, and every CPU back with its interrupts.
#  - Cells: uart-demo, gic-demo (timer interrupts through the list registers
#    and the virtual CPU interface), smp-demo (SGIs between a cell's CPUs
#    through the trapped GICD_SGIR), the Jailhouse-style jh-gic-demo (picks
#    its GIC from the comm region), jh-inmate's comm region checks (gic=2).
#  - Attacks on the distributor (inmates/demos/attack-gicv2.c) next to the
#    uart-demo bystander: the root's SPIs disabled, pended, activated,
#    reprioritised and routed away; the distributor switched off; SGI floods
#    at every CPU interface; the hypervisor's SGI and the maintenance PPI;
#    widths and alignment; an SPI routed to a root CPU; an SGI left pending
#    and another left active across destroy. After each: the root, its SPI,
#    the bystander and the hypervisor still work.
#  - 20 create/start/destroy rounds leave the pools as they were.
. "$(dirname "$0")/lib.sh"

qemu_test gicv2 --timeout 900 --gic 2 <<'EOF2'
sysfs=/sys/devices/warden
C=/etc/warden
I=/usr/share/warden/inmates
cpu=/sys/devices/system/cpu
state() { t_read $sysfs/cells/$1/state; }
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }
root_works() { seq 1 500 | sort -n | tail -1 | grep -q 500; }
# Up to a minute: the emulator shares a loaded machine.
wait_console() { # REGEX
	i=0
	while [ $i -lt 300 ] && ! warden console | grep -qE "$1"; do sleep 0.2; i=$((i+1)); done
}
wait_state() { # ID STATE
	i=0
	while [ $i -lt 100 ] && [ "$(state $1)" != "$2" ]; do sleep 0.2; i=$((i+1)); done
}
# A root SPI end to end: the PL031's alarm interrupt (SPI 34) fires once.
rtc_irqs() { t_irq_counts rtc-pl031 | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; print s }'; }
rtc_fires() { # WHAT
	local before after i=0
	before=$(rtc_irqs)
	echo 0 > /sys/class/rtc/rtc0/wakealarm
	echo +2 > /sys/class/rtc/rtc0/wakealarm
	after=$before
	while [ $i -lt 60 ] && [ "$after" -le "$before" ]; do
		sleep 0.2; i=$((i+1)); after=$(rtc_irqs)
	done
	t_log "$1: rtc-pl031 interrupts $before -> $after"
	t_check "$1: the root's SPI (RTC alarm) is delivered" test "$after" -gt "$before"
}

t_eq "the guest has 4 CPUs" "$(grep -c ^processor /proc/cpuinfo)" 4
t_match "Linux drives a GICv2" "GICv2" "$(grep -m1 arch_timer /proc/interrupts)"
t_check "config check --strict: the GICv2 root configuration" warden config check --strict $C/qemu-arm64-gicv2.cell
t_check "config check --strict: a Jailhouse-style ZynqMP (GIC-400) configuration" \
	warden config check --strict $C/jh-zynqmp-gicv2.cell
t_check "modprobe warden" modprobe warden || exit 1
t_check "enable qemu-arm64-gicv2" warden enable $C/qemu-arm64-gicv2.cell || exit 1
t_match "the hypervisor runs the GICv2" "GICv2: 288 interrupts, 4 CPU interfaces, maintenance IRQ 25" "$(warden console)"
pool0=$(t_read $sysfs/mem_pool_used)

# ---- the root on GICv2
t1=$(t_irq_counts arch_timer); i1=$(t_irq_counts 'IPI|Function call|Rescheduling')
for c in 0 1 2 3; do taskset -c $c sh -c 'seq 1 300 | sort -n >/dev/null'; done
sleep 1
t_grew "timer interrupts on every CPU while enabled" "$t1" "$(t_irq_counts arch_timer)"
t_grew "IPIs on every CPU while enabled (GICD_SGIR trapped)" "$i1" "$(t_irq_counts 'IPI|Function call|Rescheduling')"
rtc_fires "enabled"
t_check "CPU 1 offline" sh -c "echo 0 > $cpu/cpu1/online"
t_check "CPU 1 online again" sh -c "echo 1 > $cpu/cpu1/online"
t_check "a task runs on CPU 1" taskset -c 1 sh -c 'seq 1 200 | sort -n | tail -1 | grep -q 200'

# ---- cells
t_check "create uart-demo" warden cell create $C/qemu-uart-demo.cell
t_check "load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "console=both period=50000" -a 0x1000
t_check "start uart-demo" warden cell start uart-demo
demo=$(cell_id uart-demo)
t_eq "uart-demo runs" "$(state $demo)" running
t_check "destroy uart-demo" warden cell destroy uart-demo

t_check "create gic-demo" warden cell create $C/qemu-gic-demo.cell
t_check "load gic-demo" warden cell load gic-demo $I/gic-demo.bin -s "period=5000 report=100" -a 0x1000
t_check "start gic-demo" warden cell start gic-demo
sleep 3
id=$(cell_id gic-demo)
irqs=$(t_read $sysfs/cells/$id/statistics/vmexits_virt_irq)
t_log "gic-demo: $irqs virtual interrupts"
t_check "gic-demo received timer interrupts (>= 100)" test "$irqs" -ge 100
t_check "destroy gic-demo" warden cell destroy gic-demo

t_check "create smp-demo (CPUs 2-3)" warden cell create $C/qemu-smp-demo.cell
t_check "load smp-demo (2 rounds)" warden cell load smp-demo $I/smp-demo.bin -s "rounds=2 console=hvc" -a 0x1000
t_check "start smp-demo" warden cell start smp-demo
wait_console "smp-demo: done"
t_eq "smp-demo running" "$(state $(cell_id smp-demo))" running
t_eq "smp-demo: CPU 3 got the SGI from CPU 2 in both rounds (GICD_SGIR within the cell)" \
	"$(warden console | grep -c 'smp-demo: CPU 0x3 got SGI')" 2
t_match "smp-demo: done" "smp-demo: done" "$(warden console)"
t_check "destroy smp-demo" warden cell destroy smp-demo
t_eq "CPUs 2-3 back" "$(cat $cpu/online)" 0-3

t_check "create attack (for jh-gic-demo)" warden cell create $C/qemu-attack.cell
t_check "load jh-gic-demo" warden cell load attack $I/jh-gic-demo.bin -s "count=5" -a 0x1000
t_check "start jh-gic-demo" warden cell start attack
wait_console "jh-gic-demo: done"
t_match "jh-gic-demo picked the GICv2 from the comm region" "jh-gic-demo: GICv2, distributor at 0x8000000 \(PIDR2 0x[0-9a-f]*\), CPU interface at 0x8010000" "$(warden console)"
t_match "jh-gic-demo took its timer interrupts" "jh-gic-demo: done, 5 interrupts" "$(warden console)"
t_check "destroy jh-gic-demo" warden cell destroy attack

# Jailhouse's inmate-demo style cell: the comm region names the GICv2.
t_check "create jh-inmate-demo" warden cell create $C/jh-inmate-demo.cell
t_check "load jh-inmate (gic=2)" warden cell load jh-inmate-demo $I/jh-inmate.bin -s "jh-test gic=2" -a 0x1000
t_check "start jh-inmate" warden cell start jh-inmate-demo
wait_console "jh-inmate: all [0-9]* checks passed|jh-inmate: FAIL"
t_match "jh-inmate: every check passed (comm region gic_version 2, gicd, gicc; no gicr)" \
	"jh-inmate: all [0-9]* checks passed" "$(warden console)"
t_check "jh-inmate: no check failed" sh -c "! warden console | grep 'jh-inmate: FAIL'"
t_check "destroy jh-inmate-demo" warden cell destroy jh-inmate-demo

# ---- attacks on the distributor, next to a bystander
t_check "bystander uart-demo" sh -c "warden cell create $C/qemu-uart-demo.cell &&
	warden cell load uart-demo $I/uart-demo.bin -s period=50000 -a 0x1000 && warden cell start uart-demo"
demo=$(cell_id uart-demo)
attack() { # ARGS: create, load, start attack-gicv2 in the attack cell
	warden cell create $C/qemu-attack.cell >/dev/null &&
	warden cell load attack $I/attack-gicv2.bin -s "$1" -a 0x1000 &&
	warden cell start attack
}
bystanders_ok() { # WHAT
	t_eq "$1: uart-demo still running" "$(state $demo)" running
	t_check "$1: the root still works" root_works
	t_eq "$1: Warden still enabled" "$(t_read $sysfs/enabled)" 1
}
cpu2_back() { # WHAT
	echo 1 > $cpu/cpu2/online 2>/dev/null
	t_eq "$1: CPU 2 online in Linux" "$(t_read $cpu/cpu2/online)" 1
	before=$(t_irq_counts arch_timer | awk '{ print $3 }')
	taskset -c 2 sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'
	after=$(t_irq_counts arch_timer | awk '{ print $3 }')
	t_check "$1: CPU 2 takes interrupts in Linux ($before -> $after)" test "${after:-0}" -gt "${before:-0}"
	t_check "$1: CPU 2 takes IPIs (a task moved there runs)" taskset -c 2 sh -c 'seq 1 200 | sort -n | tail -1 | grep -q 200'
}
survives() { # MODE EXPECT-REGEX
	t_check "$1: attack cell set up" attack "mode=$1"
	id=$(cell_id attack)
	wait_console "attack-gicv2: $1 survived"
	t_match "$1: what the cell sees" "$2" "$(warden console | grep "attack-gicv2: $1 " | tail -3)"
	t_eq "$1: the cell runs on" "$(state $id)" running
	[ -z "${hook:-}" ] || $hook
	bystanders_ok "$1"
	rtc_fires "$1"
	t_check "$1: destroy" warden cell destroy attack
	cpu2_back "$1"
}
survives spi "attack-gicv2: spi ISENABLER1 0x0 ISPENDR1 0x0 IPRIORITYR8 0x0 ITARGETSR8 0x0"
survives ctlr-off "attack-gicv2: ctlr-off CTLR after 0x1"
# The root's CPUs 0 and 1 count the virtual SGIs they get; the flood's
# 200000 must not be among them (read before CPU 2 returns with its own).
root_sgis() { echo $(( $(t_read $sysfs/cells/0/statistics/cpu0/vmexits_virt_sgi) + $(t_read $sysfs/cells/0/statistics/cpu1/vmexits_virt_sgi) )); }
flood_hook() {
	s1=$(root_sgis)
	t_log "root CPUs 0-1: virtual SGIs $s0 -> $s1 during the flood"
	t_check "sgi-flood: the flood did not reach the root CPUs (< 5000 virtual SGIs meanwhile)" test $((s1 - s0)) -lt 5000
	f=$(t_read $sysfs/cells/$id/statistics/vmexits_virt_sgi)
	t_check "sgi-flood: the cell got its own SGIs (list 0xff names itself too): $f" test "$f" -ge 100000
}
s0=$(root_sgis)
hook=flood_hook
survives sgi-flood "attack-gicv2: sgi-flood sent 100000 x 2"
hook=
survives sgi15 "attack-gicv2: sgi15 ISENABLER0 0x[0-9a-f]* \(SGI 15: 0, PPI 25: 0\) ISACTIVER0 0x0$"

t_check "sgi-left: attack cell set up" attack "mode=sgi-left"
wait_console "attack-gicv2: sgi-left acknowledged"
t_match "sgi-left: SGI 4 acknowledged (active), SGI 3 behind it" "sgi-left acknowledged INTID 4 " "$(warden console | grep 'sgi-left acknowledged' | tail -1)"
bystanders_ok "sgi-left"
t_check "sgi-left: destroy works" timeout 30 warden cell destroy attack
cpu2_back "sgi-left"
rtc_fires "sgi-left"

stopped() { # MODE [CONFIG CELL]
	local cfg=${2:-qemu-attack} name=${3:-attack}
	t_check "$1: cell set up" sh -c "warden cell create $C/$cfg.cell >/dev/null &&
		warden cell load $name $I/attack-gicv2.bin -s mode=$1 -a 0x1000 && warden cell start $name"
	id=$(cell_id $name)
	wait_state $id failed
	t_eq "$1: the cell is stopped (failed)" "$(state $id)" failed
	t_match "$1: the hypervisor names the refused access" "cell '$name': CPU [23]: refused .* at 0x80" "$(warden console | tail -6)"
	t_check "$1: the root still works" root_works
	t_check "$1: destroy" warden cell destroy $name
}
stopped width
stopped unaligned
bystanders_ok "width, unaligned"
t_check "destroy the bystander" warden cell destroy uart-demo
stopped route-root qemu-gic-demo gic-demo
t_match "route-root: the hypervisor names the route" "cell 'gic-demo': ITARGETSR of IRQ 40 to CPU targets 0x1 refused" "$(warden console | tail -8)"
t_check "route-own: cell set up" sh -c "warden cell create $C/qemu-gic-demo.cell >/dev/null &&
	warden cell load gic-demo $I/attack-gicv2.bin -s 'mode=route-own console=hvc' -a 0x1000 && warden cell start gic-demo"
wait_console "attack-gicv2: route-own survived"
t_match "route-own: its own CPU interface reads back" "route-own ITARGETSR40 0x8 own 0x8" "$(warden console | grep 'route-own ITARGETSR40' | tail -1)"
t_check "route-own: destroy" warden cell destroy gic-demo
rtc_fires "after the attacks"

# ---- rounds, then disable
fails=0
for n in $(seq 1 20); do
	warden cell create $C/qemu-uart-demo.cell >/dev/null 2>&1 &&
	warden cell load uart-demo $I/uart-demo.bin >/dev/null 2>&1 &&
	warden cell start uart-demo >/dev/null 2>&1 &&
	warden cell destroy uart-demo >/dev/null 2>&1 || fails=$((fails + 1))
done
t_eq "20 create/load/start/destroy rounds succeed" "$fails" 0
t_eq "pool usage back to its value after enable" "$(t_read $sysfs/mem_pool_used)" "$pool0"
t_eq "every CPU in the root" "$(cat $cpu/online)" 0-3
t_check "disable" warden disable
t_eq "every root CPU online after disable" "$(cat $cpu/online)" 0-3
t1=$(t_irq_counts arch_timer); i1=$(t_irq_counts 'IPI|Function call|Rescheduling')
for c in 0 1 2 3; do taskset -c $c sh -c 'seq 1 300 | sort -n >/dev/null'; done
sleep 1
t_grew "timer interrupts on every CPU after disable" "$t1" "$(t_irq_counts arch_timer)"
t_grew "IPIs on every CPU after disable" "$i1" "$(t_irq_counts 'IPI|Function call|Rescheduling')"
rtc_fires "after disable"
t_check "enable again" warden enable $C/qemu-arm64-gicv2.cell
t_check "disable again" warden disable
EOF2
qemu_done
