#!/usr/bin/env bash
# "warden cell linux -w" on the host: the device tree it generates for
# qemu-linux-demo from the device trees QEMU's virt board dumps (GICv3 with 4
# CPUs, GICv2 with the virtualization extensions), decompiled with dtc and
# checked node by node; the virtual PCI host for a cell with an ivshmem device
# (system configuration from WARDEN_SYSTEM_CONFIG); -d patching; the printed
# commands; a gzip'ed kernel; and the refusals, which must come before anything
# is written. Prints "ok - cell-linux: ..." / "not ok - cell-linux: ..." lines.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$top/out}
W=$OUT/host/warden
CELL=$OUT/configs/qemu-linux-demo.cell
SYS=$OUT/configs/qemu-arm64.cell
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

ok() { echo "ok - cell-linux: $*"; }
nok() { echo "not ok - cell-linux: $*"; failed=1; }
check() {
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then ok "$name"; else nok "$name: $(head -n 3 "$tmp/out" | tr '\n' ' ')"; fi
}
# has NAME FILE FIXED-STRING...: ok when FILE contains each string
has() {
	local name=$1 file=$2 s
	shift 2
	for s in "$@"; do
		grep -qF -- "$s" "$file" || { nok "$name: no '$s' in $(basename "$file")"; return; }
	done
	ok "$name"
}
lacks() {
	local name=$1 file=$2 s
	shift 2
	for s in "$@"; do
		! grep -qF -- "$s" "$file" || { nok "$name: '$s' in $(basename "$file")"; return; }
	done
	ok "$name"
}
# refused NAME REGEX CMD...: fails, says REGEX, writes no -w file
refused() {
	local name=$1 re=$2
	shift 2
	rm -f "$tmp/refused.dtb"
	if "$@" -w "$tmp/refused.dtb" >"$tmp/out" 2>&1; then
		nok "$name: succeeded"
	elif ! grep -qE -- "$re" "$tmp/out"; then
		nok "$name: no '$re' in: $(head -n 2 "$tmp/out" | tr '\n' ' ')"
	elif [ -e "$tmp/refused.dtb" ]; then
		nok "$name: wrote the parameters file anyway"
	else
		ok "$name"
	fi
}

for f in "$W" "$CELL" "$SYS"; do [ -e "$f" ] || { nok "no $f (make)"; exit 1; }; done
command -v dtc >/dev/null || { nok "no dtc (device-tree-compiler, scripts/setup)"; exit 1; }
command -v qemu-system-aarch64 >/dev/null || { nok "no qemu-system-aarch64"; exit 1; }

dump_dtb() { # FILE MACHINE-OPTS
	qemu-system-aarch64 -machine "virt,virtualization=on,$2,dumpdtb=$1" -cpu cortex-a57 \
		-smp 4 -m 1G -nic none -display none -monitor none -serial null -serial null \
		>"$tmp/qemu.log" 2>&1 && [ -s "$1" ]
}
dump_dtb "$tmp/v3.dtb" gic-version=3,its=off || { nok "QEMU did not dump a GICv3 tree"; exit 1; }
dump_dtb "$tmp/v2.dtb" gic-version=2 || { nok "QEMU did not dump a GICv2 tree"; exit 1; }

# A kernel for the tool: a fake Image header (text_offset 0, image_size 20
# MiB, little-endian, 4K pages) and 1 MiB of content.
python3 - "$tmp/Image" <<'PY'
import struct, sys
hdr = struct.pack('<IIQQQQQQI', 0x91005a4d, 0, 0, 20 << 20, 0xa, 0, 0, 0, 0x644d5241) + b'\0' * 4
open(sys.argv[1], 'wb').write(hdr + bytes(range(256)) * 4096)
PY
head -c 100000 /dev/urandom >"$tmp/initrd"
export WARDEN_SYSTEM_CONFIG=$SYS

# ---- GICv3, generated
export WARDEN_ROOT_FDT=$tmp/v3.dtb
check "-w with a generated tree (GICv3)" \
	"$W" cell linux "$CELL" "$tmp/Image" -i "$tmp/initrd" -c "console=ttyAMA0 quiet" -w "$tmp/v3-cell.dtb"
cp "$tmp/out" "$tmp/v3.cmds"
dtc -I dtb -O dts -o "$tmp/v3-cell.dts" "$tmp/v3-cell.dtb" 2>"$tmp/dtc.err" &&
	ok "dtc reads it back" || nok "dtc reads it back: $(head -n 2 "$tmp/dtc.err")"
d=$tmp/v3-cell.dts
has "hypervisor node" "$d" 'compatible = "jailhouse,cell";'
has "the cell's CPUs 2 and 3, their MPIDRs and the root's compatible" "$d" \
	'cpu@2 {' 'reg = <0x02>;' 'cpu@3 {' 'reg = <0x03>;' 'compatible = "arm,cortex-a57";' 'enable-method = "psci";'
lacks "no other CPU" "$d" 'cpu@0 {' 'cpu@1 {'
has "its RAM only (not the loader's, the shared page or the comm region)" "$d" \
	'memory@70000000 {' 'reg = <0x00 0x70000000 0x00 0x8000000>;'
lacks "no comm region, no loader region, no shared page in memory" "$d" '0x80000000 0x00 0x1000' '0x7c010000'
has "GICv3: distributor and exactly the redistributor frames of CPUs 2-3" "$d" \
	'compatible = "arm,gic-v3";' 'reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80e0000 0x00 0x40000>;'
has "timer with the root's PPIs" "$d" 'interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b 0x04 0x01 0x0a 0x04>;'
has "PSCI over SMC" "$d" 'method = "smc";'
has "UART1 with its interrupt and clocks, the clock provider copied" "$d" \
	'pl011@9040000 {' 'interrupts = <0x00 0x08 0x04>;' 'clocks = <0x8000 0x8000>;' \
	'apb-pclk {' 'phandle = <0x8000>;' 'clock-frequency = <0x16e3600>;'
lacks "no root UART, no virtio" "$d" 'pl011@9000000' 'virtio_mmio'
has "a PCI host for the network link with the root (ivshmem 00:01.0)" "$d" 'pci@8e00000 {'
has "aliases and chosen: console, bootargs, initramfs" "$d" 'serial0 = "/pl011@9040000";' \
	'stdout-path = "/pl011@9040000";' 'bootargs = "console=ttyAMA0 quiet";' \
	'linux,initrd-start = <0x00 0x71410000>;' 'linux,initrd-end = <0x00 0x714286a0>;'
has "the printed commands (loader, parameters, kernel, initramfs, tree, start)" "$tmp/v3.cmds" \
	"warden cell create $CELL" \
	"warden cell load linux-demo linux-loader.bin -a 0x0 -s \"kernel=0x70000000 dtb=0x71400000\" -a 0x1000 $tmp/Image -a 0x70000000 $tmp/initrd -a 0x71410000 $tmp/v3-cell.dtb -a 0x71400000" \
	"warden cell start linux-demo"

# ---- the same by Jailhouse's name and long options
ln -s "$W" "$tmp/jailhouse"
check "jailhouse cell linux, long options" \
	"$tmp/jailhouse" cell linux "$CELL" "$tmp/Image" --initrd "$tmp/initrd" \
	--cmdline "console=ttyAMA0 quiet" --write-params "$tmp/jh.dtb"
cmp -s "$tmp/jh.dtb" "$tmp/v3-cell.dtb" && ok "the same tree" || nok "the same tree"
grep -q "^jailhouse cell load" "$tmp/out" && ok "commands say jailhouse" || nok "commands say jailhouse"

# ---- gzip'ed kernel: the same layout
gzip -c "$tmp/Image" >"$tmp/Image.gz"
check "a gzip'ed Image" "$W" cell linux "$CELL" "$tmp/Image.gz" -i "$tmp/initrd" -c "console=ttyAMA0 quiet" -w "$tmp/gz.dtb"
cmp -s "$tmp/gz.dtb" "$tmp/v3-cell.dtb" && ok "  the same tree" || nok "  the same tree"
has "  and a note to load its content" "$tmp/out" "is gzip-compressed"

# ---- GICv2
export WARDEN_ROOT_FDT=$tmp/v2.dtb
check "-w with a generated tree (GICv2)" "$W" cell linux "$CELL" "$tmp/Image" -w "$tmp/v2-cell.dtb"
dtc -I dtb -O dts -o "$tmp/v2-cell.dts" "$tmp/v2-cell.dtb" 2>/dev/null
has "GICv2: distributor and GICC (where the cell finds the virtual CPU interface)" "$tmp/v2-cell.dts" \
	'compatible = "arm,cortex-a15-gic";' 'reg = <0x00 0x8000000 0x00 0x10000 0x00 0x8010000 0x00 0x2000>;'
lacks "no initramfs, no bootargs" "$tmp/v2-cell.dts" 'linux,initrd-start' 'bootargs'

# ---- a cell with an ivshmem device: the virtual PCI host
export WARDEN_ROOT_FDT=$tmp/v3.dtb
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
cat >"$tmp/pci.c" <<'C'
#include <warden/cell-config.h>
const struct {
	struct wd_cell_desc cell;
	__u64 cpus[1];
	struct wd_mem_region mem_regions[8];
	struct wd_irqchip irqchips[1];
	struct wd_pci_device pci_devices[1];
} __attribute__((packed)) config = {
	.cell = {
		.signature = WD_CELL_SIGNATURE, .architecture = WD_ARCH_ARM64,
		.revision = WD_CONFIG_REVISION, .name = "pci-linux",
		.flags = WD_CELL_PASSIVE_COMMREG, .cpu_set_size = 8,
		.num_memory_regions = 8, .num_irqchips = 1, .num_pci_devices = 1,
		.vpci_irq_base = 108,
		.console = { .address = 0x09040000, .size = 0x1000, .type = WD_CON_TYPE_PL011,
			     .flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4 },
	},
	.cpus = { 0xc },
	.mem_regions = {
		{ 0x7c000000, 0, 0x10000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_LOADABLE },
		{ 0x70000000, 0x70000000, 0x8000000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
						    WD_MEM_DMA | WD_MEM_LOADABLE },
		{ 0x09040000, 0x09040000, 0x1000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO },
		/* the link: state table, (no) common section, peer 0's and our output */
		{ 0x7fb00000, 0x7fb00000, 0x1000, WD_MEM_READ | WD_MEM_ROOTSHARED },
		{ 0 },
		{ 0x7fb01000, 0x7fb01000, 0x7f000, WD_MEM_READ | WD_MEM_ROOTSHARED },
		{ 0x7fb80000, 0x7fb80000, 0x7f000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED },
		{ 0, 0x80000000, 0x1000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION },
	},
	.irqchips = { { .address = 0x08000000, .pin_base = 32,
			.pin_bitmap = { 1U << 8, 0, 0, 0xfU << 12 } } },
	.pci_devices = { { .type = WD_PCI_TYPE_IVSHMEM, .domain = 1, .bdf = 0x08,
			   .bar_mask = { 0xfffff000 }, .shmem_regions_start = 3,
			   .shmem_dev_id = 1, .shmem_peers = 2,
			   .shmem_protocol = 1 } },
};
C
if "${CROSS_COMPILE}gcc" -O2 -fno-pic -fno-common -fno-asynchronous-unwind-tables -fno-stack-protector \
	-I"$top/include" -c -o "$tmp/pci.o" "$tmp/pci.c" 2>"$tmp/cc.err" &&
   "${CROSS_COMPILE}objcopy" -O binary --only-section=.rodata "$tmp/pci.o" "$tmp/pci.cell"; then
	check "-w for a cell with an ivshmem device" "$W" cell linux "$tmp/pci.cell" "$tmp/Image" -w "$tmp/pci.dtb"
	dtc -I dtb -O dts -o "$tmp/pci.dts" "$tmp/pci.dtb" 2>/dev/null
	has "pci-host-ecam-generic at the system configuration's ECAM, domain 1" "$tmp/pci.dts" \
		'pci@8e00000 {' 'compatible = "pci-host-ecam-generic";' 'device_type = "pci";' \
		'reg = <0x00 0x8e00000 0x00 0x100000>;' 'bus-range = <0x00 0x00>;' 'linux,pci-domain = <0x01>;'
	has "INTx pins A-D to SPIs vpci_irq_base 108..111, edge" "$tmp/pci.dts" \
		'interrupt-map-mask = <0x00 0x00 0x00 0x07>;' \
		'interrupt-map = <0x00 0x00 0x00 0x01 0x8007 0x00 0x00 0x00 0x6c 0x01 0x00 0x00 0x00 0x02 0x8007 0x00 0x00 0x00 0x6d 0x01 0x00 0x00 0x00 0x03 0x8007 0x00 0x00 0x00 0x6e 0x01 0x00 0x00 0x00 0x04 0x8007 0x00 0x00 0x00 0x6f 0x01>;'
	has "a 32-bit memory window after the ECAM" "$tmp/pci.dts" \
		'ranges = <0x2000000 0x00 0x8f00000 0x00 0x8f00000 0x00 0x10000>;'
	WARDEN_SYSTEM_CONFIG=/nonexistent "$W" cell linux "$tmp/pci.cell" "$tmp/Image" -w "$tmp/nopci.dtb" >"$tmp/out" 2>&1
	has "without the system configuration: a warning, no PCI host" "$tmp/out" "no PCI host in its tree"
else
	nok "compiling the PCI fixture: $(head -n 3 "$tmp/cc.err")"
fi

# ---- -d: a given tree patched (memory, chosen)
dtc -I dts -O dtb -o "$tmp/given.dtb" - <<'DTS' 2>/dev/null
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>; model = "given";
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x1000>; };
    chosen { bootargs = "old"; };
};
DTS
check "-d: the given tree is patched" "$W" cell linux "$CELL" "$tmp/Image" -d "$tmp/given.dtb" -i "$tmp/initrd" -c "new args" -w "$tmp/patched.dtb"
dtc -I dtb -O dts -o "$tmp/patched.dts" "$tmp/patched.dtb" 2>/dev/null
has "  memory is the cell's, chosen has bootargs and initrd, the rest stays" "$tmp/patched.dts" \
	'model = "given";' 'reg = <0x00 0x70000000 0x00 0x8000000>;' 'bootargs = "new args";' \
	'linux,initrd-start = <0x00 0x71410000>;'

# ---- refusals, before anything is written
refused "not an arm64 Image" "not an arm64 Image" "$W" cell linux "$CELL" "$tmp/initrd"
dd if=/dev/zero of="$tmp/big" bs=1M count=90 2>/dev/null
refused "too big for the cell: kernel needs N MiB, the cell has M" \
	"kernel needs 143 MiB, the cell has 128" "$W" cell linux "$CELL" "$tmp/Image" -i "$tmp/big"
refused "not a cell configuration" "qemu-arm64.cell" "$W" cell linux "$SYS" "$tmp/Image"
refused "-d that is no device tree" "not a flattened device tree" "$W" cell linux "$CELL" "$tmp/Image" -d "$tmp/initrd"
WARDEN_ROOT_FDT=$tmp/initrd refused "no root device tree" "cannot read the root's device tree" \
	"$W" cell linux "$CELL" "$tmp/Image"
printf '\037\213\010\000\000\000\000\000\000\003garbage-garbage-garbage' >"$tmp/bad.gz"
refused "corrupt gzip" "not an arm64 Image: gzip, but" "$W" cell linux "$CELL" "$tmp/bad.gz"
"$W" cell linux "$CELL" >"$tmp/out" 2>&1; st=$?
[ $st -eq 2 ] && grep -q "needs CELLCONFIG and KERNEL" "$tmp/out" && ok "missing KERNEL: usage error" || nok "missing KERNEL: status $st"
"$W" cell linux "$CELL" "$tmp/Image" -a x86 >"$tmp/out" 2>&1; st=$?
[ $st -eq 2 ] && grep -q "arm64 only" "$tmp/out" && ok "-a x86: usage error" || nok "-a x86: status $st"
"$W" cell linux --help >"$tmp/out" 2>&1 && grep -q -- "--write-params" "$tmp/out" && ok "--help" || nok "--help"

exit $failed
