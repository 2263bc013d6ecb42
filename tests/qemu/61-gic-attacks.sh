#!/usr/bin/env bash
# GIC emulation attacks (issue 9, issue 11 item 3): inmates/demos/attack-gic.c
# in the attack cell (CPU 2) next to uart-demo (CPU 3) and the root (CPUs
# 0-1). The event SGI set active on the cell's own redistributor must not keep
# destroy from parking the CPU; accesses of a width or alignment the GIC does
# not allow stop the cell (never the hypervisor); the hypervisor's SGI/PPI
# and the LPI registers stay out of a cell's reach; a Jailhouse-style inmate
# (inmates/demos/jh-gic-demo.c) finds its redistributor by the PIDR2/TYPER
# walk and takes timer interrupts. After each round the root, the bystander
# and the hypervisor still work, and CPU 2 comes back to Linux and runs there.
. "$(dirname "$0")/lib.sh"

qemu_test gic-attacks --kernels 6.1 --timeout 600 <<'EOF'
sysfs=/sys/devices/warden
I=/usr/share/warden/inmates
C=/etc/warden
state() { t_read $sysfs/cells/$1/state; }
cell_id() { for d in $sysfs/cells/*; do [ "$(cat $d/name)" = "$1" ] && basename $d; done; }

t_check "modprobe warden" modprobe warden || exit 1
t_check "warden enable" warden enable $C/qemu-arm64.cell || exit 1
t_check "create uart-demo" warden cell create $C/qemu-uart-demo.cell
t_check "load uart-demo" warden cell load uart-demo $I/uart-demo.bin -s "period=50000" -a 0x1000
t_check "start uart-demo" warden cell start uart-demo
demo=$(cell_id uart-demo)

attack() { # IMAGE ARGS: create, load, start the attack cell, wait a moment
	warden cell create $C/qemu-attack.cell >/dev/null &&
	warden cell load attack $I/$1.bin -s "$2" -a 0x1000 &&
	warden cell start attack && sleep 1
}
# The cell runs in an emulator next to three other CPUs: wait for what it
# prints, or for its state, instead of a fixed time (up to ~20 s).
wait_console() { # REGEX
	i=0
	while [ $i -lt 100 ] && ! warden console | grep -qE "$1"; do sleep 0.2; i=$((i+1)); done
}
wait_state() { # ID STATE
	i=0
	while [ $i -lt 100 ] && [ "$(state $1)" != "$2" ]; do sleep 0.2; i=$((i+1)); done
}
bystanders_ok() { # WHAT
	t_eq "$1: uart-demo still running" "$(state $demo)" running
	t_check "$1: the root still works" sh -c 'seq 1 500 | sort -n | tail -1 | grep -q 500'
	t_eq "$1: Warden still enabled" "$(t_read $sysfs/enabled)" 1
}
cpu2_back() { # WHAT: CPU 2 is Linux's again and runs Linux code
	echo 1 > /sys/devices/system/cpu/cpu2/online 2>/dev/null
	t_eq "$1: CPU 2 online in Linux" "$(t_read /sys/devices/system/cpu/cpu2/online)" 1
	t_check "$1: a task runs on CPU 2" taskset -c 2 sh -c 'seq 1 200 | sort -n | tail -1 | grep -q 200'
	before=$(t_irq_counts arch_timer | awk '{ print $3 }')
	taskset -c 2 sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'
	after=$(t_irq_counts arch_timer | awk '{ print $3 }')
	t_log "$1: CPU 2 timer interrupts $before -> $after"
	t_check "$1: CPU 2 takes interrupts in Linux" test "${after:-0}" -gt "${before:-0}"
}

# 1. The escape: SGI 15 active on its own redistributor, then a loop of
# root-only hypercalls, or a loop without exits. Destroy must still park CPU 2.
for loop in hvc spin; do
	m="sgi15-active loop=$loop"
	t_check "$m: attack cell set up" attack attack-gic "mode=sgi15-active loop=$loop"
	id=$(cell_id attack)
	wait_console "sgi15-active looping"
	t_match "$m: the cell's view: SGI 15 not active" 'sgi15-active ISACTIVER0 after=0x0$' "$(warden console | grep 'ISACTIVER0 after' | tail -1)"
	t_eq "$m: the cell runs on" "$(state $id)" running
	bystanders_ok "$m"
	t_check "$m: destroy works" timeout 30 warden cell destroy attack
	cpu2_back "$m"
done

# 2. Refused widths and alignments on its own frame stop the cell, nothing else.
stopped() { # ARGS WHAT
	t_check "$2: attack cell set up" attack attack-gic "$1"
	id=$(cell_id attack)
	wait_state $id failed
	t_eq "$2: the attack cell is stopped (failed)" "$(state $id)" failed
	t_match "$2: the hypervisor names the refused access" "cell 'attack': CPU 2: refused .* at 0x" "$(warden console | tail -5)"
	bystanders_ok "$2"
	t_check "$2: destroy" warden cell destroy attack
}
stopped "mode=width:isenabler:8" "8-bit read of GICR_ISENABLER0"
stopped "mode=width:isenabler:16 write=1" "16-bit write of GICR_ISENABLER0"
stopped "mode=width:ctlr:64" "64-bit read of GICR_CTLR"
stopped "mode=width:ipriority:16 write=1" "16-bit write of GICR_IPRIORITYR"
stopped "mode=unaligned-gicd" "unaligned 32-bit store to GICD+0x421 (MMU on, Normal)"
t_match "unaligned-gicd: logged as misaligned" "4-byte write \(misaligned\) at 0x8000421" "$(warden console | tail -5)"
stopped "mode=unaligned-gicr" "unaligned 32-bit load from its GICR frame (MMU on, Normal)"
cpu2_back "widths"

# 3. Allowed, but the hypervisor's state and the LPI registers stay out of reach.
survived() { # ARGS WHAT PATTERN [IMAGE]
	t_check "$2: attack cell set up" attack "${4:-attack-gic}" "$1"
	id=$(cell_id attack)
	wait_console "$3"
	t_eq "$2: the attack cell keeps running" "$(state $id)" running
	t_match "$2: result" "$3" "$(warden console)"
	bystanders_ok "$2"
	t_check "$2: destroy" warden cell destroy attack
}
survived "mode=width:ipriority:8" "byte read of GICR_IPRIORITYR" "ipriority:8 survived"
survived "mode=width:typer:64" "64-bit read of GICR_TYPER" "value 0x2[0-9a-f]{8}"
survived "mode=sgi15-config" "SGI 15 / PPI 25 priority, config, enable" \
	"SGI15 prio byte=0x0 PPI25 prio byte=0x0"
t_match "sgi15-config: PPI 25 and SGI 15 masked in every word read" \
	"IPRIORITYR3=0x00f0f0f0 IPRIORITYR6=0xf0f000f0 ICFGR1=0x[0-9a-f]{8} ISENABLER0=0x00000000" \
	"$(warden console)"
survived "mode=lpi" "LPI registers of its own frame" \
	"PROPBASER=0x0 PENDBASER=0x0 CTLR=0x0 WAKER=0x0"
survived "mode=irouter-half" "IROUTER halves of the root's SPI 33" "IROUTER33 reads 0x0"

# 4. A Jailhouse-style inmate finds its redistributor and takes timer interrupts.
survived "count=5" "jh-gic-demo: took 5 timer interrupts" "done, 5 interrupts" jh-gic-demo
t_match "jh-gic-demo: found its redistributor by the PIDR2/TYPER walk" \
	"redistributor of MPIDR 0x2 is frame 2 at 0x80e0000 \(PIDR2 0x[0-9a-f]*[34][0-9a-f]\)" "$(warden console)"
cpu2_back "end"

t_check "destroy uart-demo" warden cell destroy uart-demo
t_eq "all CPUs back" "$(cat /sys/devices/system/cpu/online)" 0-3
t_check "disable" warden disable
t_check "after disable: tasks run on CPUs 2 and 3" sh -c 'taskset -c 2 true && taskset -c 3 true'
EOF
qemu_done
