#!/usr/bin/env bash
# "warden config create" on the host, from device trees QEMU's virt board
# dumps (1, 4 and 8 CPUs; GICv3 and GICv2 with virtualization=on; one with an
# SMMUv3) and from a made-up board (bus ranges, 8250, reserved memory): the
# derived values in the generated C, the C compiled with
# configs/Makefile's flags into the very bytes of the generated .cell, config
# check on the result, the Linux RAM from an --iomem file, and refusals.
# Prints "ok - create: ..." / "not ok - create: ..." lines.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$top/out}
W=$OUT/host/warden
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

ok() { echo "ok - create: $*"; }
nok() { echo "not ok - create: $*"; failed=1; }
# check NAME CMD...: ok when CMD succeeds
check() {
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else nok "$name: $(head -n 3 "$tmp/out" | tr '\n' ' ')"; fi
}
# has NAME FILE REGEX...: ok when FILE has a line matching each extended REGEX
has() {
	local name=$1 file=$2 re
	shift 2
	for re in "$@"; do
		grep -Eq -- "$re" "$file" || { nok "$name: no line matching '$re' in $(basename "$file")"; return; }
	done
	ok "$name"
}

[ -x "$W" ] || { nok "no $W (make tools)"; exit 1; }
command -v qemu-system-aarch64 >/dev/null || { nok "no qemu-system-aarch64 (scripts/setup)"; exit 1; }

# The rules of configs/Makefile for a configuration source (flags as there).
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
CFG_CFLAGS="-O2 -Wall -Wextra -Werror -fno-pic -fno-common -fno-asynchronous-unwind-tables -fno-stack-protector -I$top/include"
compile_cell() { # SOURCE.c OUT.cell
	"${CROSS_COMPILE}gcc" $CFG_CFLAGS -c -o "$2.o" "$1" &&
		"${CROSS_COMPILE}objcopy" -O binary --only-section=.rodata "$2.o" "$2"
}

dump_dtb() { # FILE MACHINE-OPTS SMP
	qemu-system-aarch64 -machine "virt,virtualization=on,$2,dumpdtb=$1" -cpu cortex-a57 \
		-smp "$3" -m 1G -nic none -display none -monitor none -serial null -serial null \
		>"$tmp/qemu.log" 2>&1 && [ -s "$1" ]
}

for gic in 3 2; do
	for smp in 1 4 8; do
		t="gicv$gic-smp$smp"
		dtb=$tmp/$t.dtb
		opts="gic-version=$gic"
		[ $gic -eq 3 ] && opts="$opts,its=off"
		if ! dump_dtb "$dtb" "$opts" $smp; then
			nok "$t: QEMU did not dump a device tree: $(tail -n 1 "$tmp/qemu.log")"
			continue
		fi
		if ! "$W" config create -v --dtb "$dtb" --name "$t" --c "$tmp/$t.c" --cell "$tmp/$t.cell" \
			>"$tmp/$t.out" 2>"$tmp/$t.err"; then
			nok "$t: config create failed: $(tail -n 1 "$tmp/$t.err")"
			continue
		fi
		ok "$t: config create --dtb"
		c=$tmp/$t.c
		mask=$(printf '0x%x' $(((1 << smp) - 1)))
		mpidrs=$(for n in $(seq 0 $((smp - 1))); do printf ' 0x%x' "$n"; done)
		has "$t: $smp CPUs, cpu set $mask, MPIDRs from /cpus" "$c" \
			"^ \* $smp CPUs?, MPIDR:$mpidrs\$" "^	__u64 cpus\[1\];" "^		$mask,	/\* CPUs? 0"
		if [ $gic -eq 3 ]; then
			has "$t: GICv3 distributor and redistributors" "$c" '\.gic_version = 3,' \
				'\.gicd_base = 0x08000000,' '\.gicr_base = 0x080a0000,'
			if grep -q 'gic[chv]_base' "$c"; then nok "$t: GICv2 interfaces in a GICv3 config"; fi
		else
			has "$t: GICv2 distributor, CPU, hypervisor and virtual CPU interfaces" "$c" \
				'\.gic_version = 2,' '\.gicd_base = 0x08000000,' '\.gicc_base = 0x08010000,' \
				'\.gich_base = 0x08030000,' '\.gicv_base = 0x08040000,'
		fi
		has "$t: maintenance interrupt 25 (PPI 9)" "$c" '\.maintenance_irq = 25,'
		has "$t: debug console PL011 at 0x09000000 from stdout-path" "$c" \
			'^		/\* /pl011@9000000 \(arm,pl011, stdout-path\) \*/' \
			'\.address = 0x09000000,' '\.type = WD_CON_TYPE_PL011,' \
			'\.flags = WD_CON_ACCESS_MMIO \| WD_CON_REGDIST_4,'
		# 1 GiB at 0x40000000: 4 MiB hypervisor at the top, 252 MiB for cells below, rest Linux.
		if grep -A5 'hypervisor_memory = {' "$c" | grep -q 'phys_start = 0x7fc00000' &&
			grep -A5 'RAM for Linux' "$c" | grep -q 'size = 0x30000000' &&
			grep -A5 'RAM for cells' "$c" | grep -q 'phys_start = 0x70000000' &&
			grep -A5 'RAM for cells' "$c" | grep -q 'size = 0x0fc00000' &&
			grep -A2 'hypervisor_memory = {' "$c" | grep -q 'size = 0x00400000'; then
			ok "$t: RAM 0x40000000-0x6fffffff Linux, 0x70000000-0x7fbfffff cells, 4 MiB hypervisor at 0x7fc00000"
		else
			nok "$t: RAM split is not 768M Linux / 252M cells / 4M hypervisor"
		fi
		# SPIs: UART0 1, RTC 2, PCI INTx 3-6, GPIO 7, UART1 8, virtio-mmio 16-47.
		has "$t: the root owns its devices' SPIs (INTIDs 33-40, 48-79)" "$c" \
			'\.pin_base = 32,' '\.pin_bitmap = \{ 0xffff01fe, 0x0000ffff, 0x00000000, 0x00000000 \},'
		has "$t: device regions (UARTs, virtio-mmio row, PCI ECAM and windows)" "$c" \
			'/\* /pl011@9040000 \(arm,pl011\) \*/' \
			'/\* /virtio_mmio@a000000 \(virtio,mmio\) and 31 more \*/' \
			'/\* /pcie@10000000 \(PCI ECAM\) \*/' '\.phys_start = 0x4010000000,' \
			'/\* /pcie@10000000 \(64-bit MMIO window\) \*/'
		has "$t: PCI host: mmconfig base and bus range" "$c" \
			'\.pci_mmconfig_base = 0x4010000000,' '\.pci_mmconfig_end_bus = 255,'
		if grep -q '0x080a0000\|0x08000000,$' <(grep -A1 'phys_start' "$c"); then
			nok "$t: the GIC is mapped as a memory region"
		fi
		has "$t: with -v, stderr names the nodes it could not classify" "$tmp/$t.err" \
			'^warden: config create: /gpio-keys: no registers and no interrupts'
		if compile_cell "$c" "$tmp/$t.fromc.cell" 2>"$tmp/cc.err" &&
			cmp -s "$tmp/$t.fromc.cell" "$tmp/$t.cell"; then
			ok "$t: the C source compiles (configs/Makefile flags) into the same bytes as the .cell"
		else
			nok "$t: the C source does not compile into the .cell: $(head -n 2 "$tmp/cc.err")"
		fi
		if [ $gic -eq 3 ]; then
			check "$t: config check passes" "$W" config check "$tmp/$t.cell"
		else
			# GICv2 with the virtualization extensions runs Warden (issue 18):
			# no warning, the four bases from the device tree, a clean check.
			if grep -q 'not supported by Warden' "$tmp/$t.err"; then
				nok "$t: create still warns that GICv2 is not supported"
			else
				ok "$t: create does not warn about the GICv2"
			fi
			has "$t: the GICv2 CPU, hypervisor and virtual CPU interfaces" "$c" \
				'\.gicc_base = 0x08010000,' '\.gich_base = 0x08030000,' '\.gicv_base = 0x08040000,'
			check "$t: config check --strict passes a GICv2 configuration" \
				"$W" config check --strict "$tmp/$t.cell"
		fi
	done
done

# SMMUv3: a platform IOMMU unit, not mapped into the root; PCI stream IDs of bus 0.
if dump_dtb "$tmp/smmu.dtb" "gic-version=3,its=off,iommu=smmuv3" 4 &&
	"$W" config create -v --dtb "$tmp/smmu.dtb" -o "$tmp/smmu.c" >/dev/null 2>"$tmp/smmu.err" &&
	"$W" config create --dtb "$tmp/smmu.dtb" -o "$tmp/smmu.cell" >/dev/null 2>&1; then
	has "smmuv3: IOMMU unit 0 is the SMMUv3 at 0x09050000" "$tmp/smmu.c" \
		'\.type = WD_IOMMU_SMMUV3,' '\.base = 0x09050000,' '\.size = 0x20000,' \
		'struct wd_stream_id stream_ids\[256\];' '\{ \.id = 0x0 \}' '\{ \.id = 0xff \},'
	if grep -A1 'phys_start' "$tmp/smmu.c" | grep -q '0x09050000'; then
		nok "smmuv3: the SMMU is mapped into the root cell"
	else
		ok "smmuv3: the SMMU is not mapped into the root cell"
	fi
	has "smmuv3: stderr says what it did with the iommu-map and the unit" "$tmp/smmu.err" \
		'/pcie@10000000: iommu-map entry RID 0x0..0xffff: kept the 256 stream IDs of bus 0, left out 65280' \
		'/smmuv3@9050000: SMMUv3 unit #0 belongs to the hypervisor'
	check "smmuv3: config check passes" "$W" config check "$tmp/smmu.cell"
else
	nok "smmuv3: config create failed: $(tail -n 1 "$tmp/smmu.err" 2>/dev/null)"
fi

# Linux's RAM from an iomem file (as /proc/iomem with mem=512M): the rest is for cells.
dtb=$tmp/gicv3-smp4.dtb
printf '%s\n' '09000000-09000fff : pl011@9000000' '40000000-5fffffff : System RAM' \
	'  40210000-41b9ffff : Kernel code' >"$tmp/iomem"
if "$W" config create --dtb "$dtb" --iomem "$tmp/iomem" -o "$tmp/iomem.c" >/dev/null 2>&1; then
	if grep -A4 'RAM for Linux' "$tmp/iomem.c" | grep -q 'size = 0x20000000' &&
		grep -A4 'RAM for cells' "$tmp/iomem.c" | grep -q 'phys_start = 0x60000000' &&
		grep -A4 'RAM for cells' "$tmp/iomem.c" | grep -q 'size = 0x1fc00000'; then
		ok "iomem: Linux keeps its System RAM, the cells get the rest below the hypervisor"
	else
		nok "iomem: wrong RAM split for System RAM 0x40000000-0x5fffffff"
	fi
else
	nok "iomem: config create --iomem failed"
fi
printf '40000000-7fffffff : System RAM\n' >"$tmp/iomem-all"
"$W" config create --dtb "$dtb" --iomem "$tmp/iomem-all" -o "$tmp/x.cell" >/dev/null 2>"$tmp/err"
st=$?
if [ $st -eq 1 ] && grep -q 'no 4 MiB of RAM outside Linux.s for the hypervisor: boot Linux with mem=' "$tmp/err" &&
	[ ! -e "$tmp/x.cell" ]; then
	ok "iomem: Linux owning all RAM is refused, nothing written"
else
	nok "iomem: Linux owning all RAM: status $st, $(head -n 1 "$tmp/err")"
fi
printf '00000000-00000000 : System RAM\n' >"$tmp/iomem-zero"
"$W" config create --dtb "$dtb" --iomem "$tmp/iomem-zero" -o "$tmp/x.cell" >/dev/null 2>"$tmp/err"
if [ $? -eq 1 ] && grep -q 'shows no addresses (not root?)' "$tmp/err"; then
	ok "iomem: an unprivileged /proc/iomem (zero addresses) is refused"
else
	nok "iomem: zero addresses not refused: $(head -n 1 "$tmp/err")"
fi

# A made-up board: a simple-bus with its own "ranges", an 8250 console through
# an alias, interrupts-extended, a device behind a GPIO interrupt controller,
# disabled nodes, a bus without ranges, reserved memory (no-map, reusable,
# dynamic) and MPIDRs with Aff1.
if command -v dtc >/dev/null; then
cat >"$tmp/board.dts" <<'DTS'
/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	interrupt-parent = <&gic>;
	aliases { serial0 = "/soc/serial@1000"; };
	chosen { stdout-path = "serial0:115200n8"; };
	memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x40000000>; };
	reserved-memory {
		#address-cells = <2>; #size-cells = <2>; ranges;
		fw@7e000000 { reg = <0x0 0x7e000000 0x0 0x100000>; no-map; };
		cma@50000000 { compatible = "shared-dma-pool"; reusable; reg = <0x0 0x50000000 0x0 0x1000000>; };
		dyn { compatible = "shared-dma-pool"; size = <0x0 0x100000>; };
	};
	cpus {
		#address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0x0>; enable-method = "psci"; };
		cpu@100 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0x100>; enable-method = "psci"; };
		cpu@200 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0x200>; enable-method = "psci"; status = "disabled"; };
	};
	gic: interrupt-controller@8000000 {
		compatible = "arm,gic-v3"; interrupt-controller; #interrupt-cells = <3>;
		reg = <0x0 0x8000000 0x0 0x10000>, <0x0 0x80a0000 0x0 0xf60000>;
		interrupts = <1 9 4>;
	};
	soc {
		compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>;
		ranges = <0x0 0x0 0x20000000 0x1000000>;
		serial@1000 { compatible = "ns16550a"; reg = <0x1000 0x100>; reg-shift = <2>; interrupts = <0 5 4>; };
		dev@2000 { compatible = "acme,widget"; reg = <0x2000 0x2000>; interrupts-extended = <&gic 0 6 4>; };
		gpio: gpio@5000 { compatible = "acme,gpio"; reg = <0x5000 0x100>; interrupt-controller; #interrupt-cells = <2>; interrupts = <0 7 4>; };
		button@6000 { compatible = "acme,button"; reg = <0x6000 0x100>; interrupt-parent = <&gpio>; interrupts = <3 1>; };
		off@7000 { compatible = "acme,off"; reg = <0x7000 0x100>; status = "disabled"; interrupts = <0 9 4>; };
	};
	nobus {
		#address-cells = <1>; #size-cells = <1>;
		lost@100 { compatible = "acme,lost"; reg = <0x100 0x100>; };
	};
};
DTS
if dtc -q -I dts -O dtb -o "$tmp/board.dtb" "$tmp/board.dts" &&
	"$W" config create -v --dtb "$tmp/board.dtb" --mem-inmates 16M --c "$tmp/board.c" \
		--cell "$tmp/board.cell" >/dev/null 2>"$tmp/board.err"; then
	b=$tmp/board.c
	has "board: 2 enabled CPUs, MPIDR 0x0 0x100" "$b" '^ \* 2 CPUs, MPIDR: 0x0 0x100$' '^		0x3,	/\* CPUs 0-1 \*/'
	has "board: 8250 console through the serial0 alias, translated by the bus ranges" "$b" \
		'/\* /soc/serial@1000 \(ns16550a, stdout-path\) \*/' '\.address = 0x20001000,' \
		'\.type = WD_CON_TYPE_8250,' '\.flags = WD_CON_ACCESS_MMIO \| WD_CON_REGDIST_4,'
	has "board: registers translated through the simple-bus ranges" "$b" \
		'/\* /soc/dev@2000 \(acme,widget\) \*/' '\.phys_start = 0x20002000,' '\.size = 0x00002000,'
	has "board: SPIs 5 (interrupts), 6 (interrupts-extended), 7; not the disabled node's 9" "$b" \
		'\.pin_bitmap = \{ 0x000000e0, 0x00000000, 0x00000000, 0x00000000 \},'
	if grep -q '0x20007000' "$b"; then nok "board: a disabled device is mapped"; else ok "board: disabled devices are left out"; fi
	# 1 GiB, no-map 0x7e000000-0x7e0fffff: the hypervisor and 16 MiB of cells above it,
	# Linux around the no-map hole, the reusable CMA pool stays Linux's.
	if grep -A4 'RAM for cells' "$b" | grep -q 'phys_start = 0x7ec00000' &&
		grep -A4 'RAM for cells' "$b" | grep -q 'size = 0x01000000' &&
		grep -A2 'hypervisor_memory' "$b" | grep -q 'phys_start = 0x7fc00000' &&
		[ "$(grep -A4 'RAM for Linux' "$b" | grep -Ec 'phys_start = 0x40000000|size = 0x3e000000|phys_start = 0x7e100000|size = 0x00b00000')" -eq 4 ]; then
		ok "board: RAM minus no-map reserved memory; hypervisor and cells above the hole"
	else
		nok "board: wrong RAM split around /reserved-memory"
	fi
	has "board: with -v, one stderr line per node it could not use" "$tmp/board.err" \
		'^warden: config create: /reserved-memory/dyn: reserved memory placed by Linux at boot' \
		'^warden: config create: /soc/button@6000: interrupts through /soc/gpio@5000 \(not the GIC\): not assigned' \
		'^warden: config create: /nobus/lost@100: reg cannot be translated to a CPU address: not mapped'
	if compile_cell "$b" "$tmp/board.fromc.cell" 2>/dev/null && cmp -s "$tmp/board.fromc.cell" "$tmp/board.cell"; then
		ok "board: the C source compiles into the same bytes as the .cell"
	else
		nok "board: the C source does not compile into the .cell"
	fi
else
	nok "board: config create failed: $(tail -n 1 "$tmp/board.err" 2>/dev/null)"
fi
"$W" config create --dtb "$tmp/board.dtb" -o "$tmp/r.c" >/dev/null 2>"$tmp/err"
if [ $? -eq 0 ] && tail -n 1 "$tmp/err" | grep -Eq -- 'to act on: the default RAM for cells \(252 MiB\) would leave Linux less than the cells get \(27 MiB free below the hypervisor memory at 0x7fc00000\): the cells get 13 MiB, half of that' &&
	grep -A4 'RAM for cells' "$tmp/r.c" | grep -q 'size = 0x00d00000'; then
	ok "board: the default 252 MiB for cells does not fit above the no-map hole: half of it, 13 MiB, said last"
else
	nok "board: default --mem-inmates: $(tail -n 1 "$tmp/err")"
fi
refuse_board() { "$W" config create --dtb "$tmp/board.dtb" "$@" -o "$tmp/r.cell" >/dev/null 2>"$tmp/err"; }
if ! refuse_board --mem-inmates 64M && [ ! -e "$tmp/r.cell" ] &&
	grep -q -- '--mem-inmates 64 MiB does not fit below the hypervisor memory at 0x7fc00000 (27 MiB free there): give --mem-inmates 27 MiB or less (13 MiB leaves Linux half)' "$tmp/err"; then
	ok "board: a --mem-inmates that does not fit is refused, naming the size that does"
else
	nok "board: --mem-inmates 64M: $(tail -n 1 "$tmp/err")"
fi
# Without -v: no per-node line, their count, then what to act on (last).
"$W" config create --dtb "$tmp/board.dtb" --mem-inmates 16M -o "$tmp/q.cell" >/dev/null 2>"$tmp/err"
if ! grep -q '/nobus/lost@100' "$tmp/err" &&
	grep -q '^warden: config create: [0-9]* device tree nodes need nothing or cannot be assigned (-v lists them)$' "$tmp/err"; then
	ok "board: without -v the per-node lines are only counted"
else
	nok "board: without -v: $(head -n 2 "$tmp/err" | tr '\n' ' ')"
fi
else
	nok "board: no dtc (device-tree-compiler, scripts/setup)"
fi

# Refusals: each exits non-zero with one specific line and writes nothing.
refuse() { # NAME STATUS REGEX ARGS...
	local name=$1 want=$2 re=$3 st
	shift 3
	rm -f "$tmp/r.cell"
	"$W" config create "$@" >/dev/null 2>"$tmp/err"
	st=$?
	if [ $st -eq "$want" ] && grep -Eq -- "$re" "$tmp/err" && [ ! -e "$tmp/r.cell" ]; then
		ok "refused: $name"
	else
		nok "refused: $name: status $st (want $want), stderr: $(head -n 1 "$tmp/err")"
	fi
}
refuse "--mem-inmates larger than the RAM below the hypervisor" 1 \
	'--mem-inmates 2048 MiB does not fit below the hypervisor memory at 0x7fc00000' \
	--dtb "$dtb" --mem-inmates 2G -o "$tmp/r.cell"
refuse "hypervisor memory below the validator's minimum" 1 \
	'fails the check, not written: .*hypervisor memory' --dtb "$dtb" --mem-hv 64K -o "$tmp/r.cell"
refuse "a size that is not whole pages" 1 'multiples of 4 KiB' \
	--dtb "$dtb" --mem-hv 4097 -o "$tmp/r.cell"
refuse "a name longer than 31 characters" 1 'must have 1 to 31 characters' \
	--dtb "$dtb" --name abcdefghijklmnopqrstuvwxyz0123456789 -o "$tmp/r.cell"
head -c 4000 "$dtb" >"$tmp/cut.dtb"
refuse "a truncated device tree" 1 'not a flattened device tree|corrupt device tree' \
	--dtb "$tmp/cut.dtb" -o "$tmp/r.cell"
refuse "a missing device tree" 1 'cannot read .*/none.dtb: No such file' \
	--dtb "$tmp/none.dtb" -o "$tmp/r.cell"
refuse "an output that is neither .c nor .cell" 2 "output '.*r.bin' is neither .c nor .cell" \
	--dtb "$dtb" -o "$tmp/r.bin"
refuse "no output" 2 'no output' --dtb "$dtb"
refuse "a bad size" 2 "bad --mem-hv '4X'" --dtb "$dtb" --mem-hv 4X -o "$tmp/r.cell"
for bad in 0x80000000 0x80000000:0 '0x80000000:1G,' x:1G 0xffffffffffff0000:1M; do
	refuse "a bad --ram '$bad'" 2 "bad --ram '$bad' \\(BASE:SIZE" --dtb "$dtb" --ram "$bad" -o "$tmp/r.cell"
done
refuse "--ram below the hypervisor's need" 1 'no RAM block of 4 MiB for the hypervisor' \
	--dtb "$dtb" --ram 0x40000000:2M -o "$tmp/r.cell"

# --ram replaces /memory: two banks, the hypervisor and the cells at the top of the higher one.
if "$W" config create --dtb "$dtb" --ram 0x40000000:256M,0x60000000:512M -o "$tmp/ram.c" \
	>/dev/null 2>"$tmp/err"; then
	if grep -A2 'hypervisor_memory' "$tmp/ram.c" | grep -q 'phys_start = 0x7fc00000' &&
		[ "$(grep -A4 'RAM for Linux' "$tmp/ram.c" | grep -Ec 'phys_start = 0x40000000|phys_start = 0x60000000|size = 0x10000000')" -eq 4 ] &&
		grep -A4 'RAM for cells' "$tmp/ram.c" | grep -q 'phys_start = 0x70000000'; then
		ok "--ram 0x40000000:256M,0x60000000:512M: Linux in both banks, hypervisor and cells at the top"
	else
		nok "--ram: wrong RAM split in $(basename "$tmp/ram.c")"
	fi
else
	nok "--ram: config create failed: $(tail -n 1 "$tmp/err")"
fi
# --ivshmem (issue 15): the links of configs/arm64/qemu-arm64.c, on the board
# QEMU dumps (GICv3, 4 CPUs): the demo link 00:00.0 (3 peers) and the
# network link 00:01.0 (veth) at the end of the RAM for cells, INTx at SPI
# 96/97. Proven against cells written for that root (qemu-ivshmem-demo1/2,
# qemu-linux-demo: Jailhouse's layout): config check joins their links.
ivdtb=$tmp/gicv3-smp4.dtb
CFGS=$OUT/configs
if "$W" config create --dtb "$ivdtb" --name qemu-arm64 --ivshmem 00:00.0:3 \
	--ivshmem 00:01.0:2:veth --c "$tmp/iv.c" --cell "$tmp/iv.cell" >/dev/null 2>"$tmp/err"; then
	ok "--ivshmem: config create with two links"
	check "--ivshmem: config check passes" "$W" config check "$tmp/iv.cell"
	"$W" config dump "$tmp/iv.cell" >"$tmp/iv.dump" 2>&1
	has "--ivshmem: dump shows the two ivshmem devices, their regions and peers" "$tmp/iv.dump" \
		'pci_devices: 2' \
		'#0: type 3 \(IVSHMEM\) address "0001:00:00.0" .* shmem_regions_start 13 shmem_dev_id 0 shmem_peers 3 shmem_protocol 0x0$' \
		'#1: type 3 \(IVSHMEM\) address "0001:00:01.0" .* shmem_regions_start 18 shmem_dev_id 0 shmem_peers 2 shmem_protocol 0x1$' \
		'vpci_irq_base: 96' 'pci_is_virtual: yes' 'pci_domain: 1'
	has "--ivshmem: the root owns the INTx SPIs and the 32 around them (INTIDs 128-159)" "$tmp/iv.dump" \
		'pin_base 32 pin_bitmap0 0xffff01fe pin_bitmap1 0xffff pin_bitmap2 0x0 pin_bitmap3 0xffffffff'
	has "--ivshmem: the links' memory where qemu-arm64.c has it (0x7faf0000, 0x7fb00000)" "$tmp/iv.c" \
		'/\* ivshmem 00:00.0: state table \*/' '\.phys_start = 0x7faf0000,' \
		'/\* ivshmem 00:00.0: output of peer 2 \*/' '\.phys_start = 0x7fafe000,' \
		'/\* ivshmem 00:01.0: state table \*/' '\.phys_start = 0x7fb00000,' \
		'/\* ivshmem 00:01.0: output of peer 1 \*/' '\.phys_start = 0x7fb80000,' \
		'\.size = 0x0faf0000,'
	if compile_cell "$tmp/iv.c" "$tmp/iv.fromc.cell" 2>"$tmp/cc.err" &&
		cmp -s "$tmp/iv.fromc.cell" "$tmp/iv.cell"; then
		ok "--ivshmem: the C source compiles into the same bytes as the .cell"
	else
		nok "--ivshmem: the C source does not compile into the .cell: $(head -n 2 "$tmp/cc.err")"
	fi
	if [ -e "$CFGS/qemu-ivshmem-demo1.cell" ]; then
		check "--ivshmem: the links join Jailhouse-layout demo cells (config check root+demo1+demo2)" \
			"$W" config check "$tmp/iv.cell" "$CFGS/qemu-ivshmem-demo1.cell" \
			"$CFGS/qemu-ivshmem-demo2.cell"
		check "--ivshmem: ... and the network link joins qemu-linux-demo" \
			"$W" config check "$tmp/iv.cell" "$CFGS/qemu-linux-demo.cell"
		# Elsewhere the root's link memory no longer matches the cells': refused.
		if "$W" config create --dtb "$ivdtb" --ivshmem 00:00.0:3 --ivshmem-base 0x7f000000 \
			-o "$tmp/iv2.c" >/dev/null 2>&1 && "$W" config create --dtb "$ivdtb" --ivshmem 00:00.0:3 \
			--ivshmem-base 0x7f000000 -o "$tmp/iv2.cell" >/dev/null 2>&1 &&
			grep -A2 'ivshmem 00:00.0: state table' "$tmp/iv2.c" | grep -q 'phys_start = 0x7f000000' &&
			[ "$(grep -c 'RAM for cells' "$tmp/iv2.c")" -eq 2 ] &&
			"$W" config check "$tmp/iv2.cell" >/dev/null 2>&1 &&
			! "$W" config check "$tmp/iv2.cell" "$CFGS/qemu-ivshmem-demo1.cell" >/dev/null 2>&1; then
			ok "--ivshmem-base: the link at 0x7f000000 splits the RAM for cells, passes check (and the demo cell no longer matches it)"
		else
			nok "--ivshmem-base 0x7f000000: not created there, fails check, or still matches the demo cell"
		fi
	else
		nok "--ivshmem: no $CFGS/qemu-ivshmem-demo1.cell (make configs)"
	fi
else
	nok "--ivshmem: config create failed: $(tail -n 1 "$tmp/err")"
fi
for bad in 00:00.0:1 00:00.0:13 00:00.0:3:veth 01:00.0 00:20.0 00:00.0:2:0x10000 x; do
	refuse "a bad --ivshmem '$bad'" 2 "bad --ivshmem '$bad'" --dtb "$ivdtb" --ivshmem "$bad" -o "$tmp/r.cell"
done
refuse "--vpci-ecam on RAM" 1 '--vpci-ecam 0x40000000: .* meets RAM or a device' \
	--dtb "$ivdtb" --ivshmem 00:00.0 --vpci-ecam 0x40000000 -o "$tmp/r.cell"
refuse "--vpci-irq-base on a device's SPI" 1 '--vpci-irq-base 0: SPI 1 \(INTID 33\) is a device' \
	--dtb "$ivdtb" --ivshmem 00:00.0 --vpci-irq-base 0 -o "$tmp/r.cell"
refuse "--ivshmem-base inside Linux's RAM" 1 "--ivshmem-base 0x40000000: .* meet memory region #0 \\(RAM for Linux" \
	--dtb "$ivdtb" --ivshmem 00:00.0 --ivshmem-base 0x40000000 -o "$tmp/r.cell"
check "--help" "$W" config create --help
exit $failed
