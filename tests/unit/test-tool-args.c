/*
 * Host unit tests of the warden tool's logic that does not need a driver:
 * address and cell arguments, the "cell load" item list, picking the driver's
 * reason out of the kernel log, hints, following the console, and the tool
 * called as "jailhouse" (its names, Jailhouse's command lines).
 */
#include "check.h"

#include "../../tools/args.c"
#include "../../tools/explain.c"
#include "../../tools/util.c"
#include "../../tools/console.c"
#include "../../common/config-check.c"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))

static void test_parse_addr(void)
{
	__u64 v;

	CHECK("addr 0", wd_parse_addr("0", &v) == 0 && v == 0);
	CHECK("addr decimal", wd_parse_addr("4096", &v) == 0 && v == 4096);
	CHECK("addr leading zero is decimal", wd_parse_addr("010", &v) == 0 && v == 10);
	CHECK("addr hex", wd_parse_addr("0x7fc00000", &v) == 0 && v == 0x7fc00000);
	CHECK("addr hex upper case", wd_parse_addr("0XABCdef", &v) == 0 && v == 0xabcdef);
	CHECK("addr largest hex",
	      wd_parse_addr("0xffffffffffffffff", &v) == 0 && v == 0xffffffffffffffffULL);
	CHECK("addr largest decimal",
	      wd_parse_addr("18446744073709551615", &v) == 0 && v == 0xffffffffffffffffULL);
	v = 77;
	CHECK("addr decimal overflow", wd_parse_addr("18446744073709551616", &v) == -1 && v == 77);
	CHECK("addr hex overflow", wd_parse_addr("0x10000000000000000", &v) == -1);
	CHECK("addr empty", wd_parse_addr("", &v) == -1);
	CHECK("addr bare 0x", wd_parse_addr("0x", &v) == -1);
	CHECK("addr negative", wd_parse_addr("-1", &v) == -1);
	CHECK("addr plus sign", wd_parse_addr("+5", &v) == -1);
	CHECK("addr leading space", wd_parse_addr(" 12", &v) == -1);
	CHECK("addr trailing garbage", wd_parse_addr("12abc", &v) == -1);
	CHECK("addr hex digit in decimal", wd_parse_addr("1f", &v) == -1);
	CHECK("addr bad hex digit", wd_parse_addr("0x12g", &v) == -1);
	CHECK("addr suffix", wd_parse_addr("64K", &v) == -1);
}

static void test_cell_ref(void)
{
	struct wd_cell_id id;
	char err[128];
	int i;

	i = 0;
	CHECK("cell by name", wd_parse_cell_ref(2, ARGV("demo", "x"), &i, &id, err, sizeof(err)) == 0 &&
	      id.id == WD_CELL_ID_BY_NAME && strcmp(id.name, "demo") == 0 && i == 1);
	i = 1;
	CHECK("cell by ID", wd_parse_cell_ref(2, ARGV("start", "3"), &i, &id, err, sizeof(err)) == 0 &&
	      id.id == 3 && id.name[0] == 0 && i == 2);
	i = 0;
	CHECK("cell by --name with digits",
	      wd_parse_cell_ref(2, ARGV("--name", "42"), &i, &id, err, sizeof(err)) == 0 &&
	      id.id == WD_CELL_ID_BY_NAME && strcmp(id.name, "42") == 0 && i == 2);
	i = 0;
	CHECK("cell ID 2^31-1", wd_parse_cell_ref(1, ARGV("2147483647"), &i, &id, err, sizeof(err)) == 0 &&
	      id.id == 2147483647);
	i = 0;
	CHECK("cell ID out of range",
	      wd_parse_cell_ref(1, ARGV("2147483648"), &i, &id, err, sizeof(err)) == -1);
	CHECK_STR("cell ID out of range: message", err, "cell ID 2147483648 is out of range");
	i = 0;
	CHECK("cell name of 31 characters",
	      wd_parse_cell_ref(1, ARGV("abcdefghijklmnopqrstuvwxyz01234"), &i, &id, err,
				sizeof(err)) == 0 && strlen(id.name) == 31);
	i = 0;
	CHECK("cell name of 32 characters",
	      wd_parse_cell_ref(1, ARGV("abcdefghijklmnopqrstuvwxyz012345"), &i, &id, err,
				sizeof(err)) == -1);
	CHECK_STR("cell name too long: message", err,
		  "cell name 'abcdefghijklmnopqrstuvwxyz012345' is longer than 31 characters");
	i = 1;
	CHECK("cell missing", wd_parse_cell_ref(1, ARGV("start"), &i, &id, err, sizeof(err)) == -1);
	CHECK_STR("cell missing: message", err, "missing cell (NAME or ID)");
	i = 0;
	CHECK("--name without name", wd_parse_cell_ref(1, ARGV("--name"), &i, &id, err, sizeof(err)) == -1);
	CHECK_STR("--name without name: message", err, "--name needs a cell name");
	i = 0;
	CHECK("option instead of cell", wd_parse_cell_ref(1, ARGV("-x"), &i, &id, err, sizeof(err)) == -1);
	CHECK_STR("option instead of cell: message", err,
		  "unknown option '-x' where the cell (NAME or ID) belongs");
}

static void test_load_items(void)
{
	struct wd_load_item it[WD_MAX_LOAD_ITEMS];
	char err[160];
	char *many[WD_MAX_LOAD_ITEMS + 2];
	int n, k;

	n = wd_parse_load_items(1, ARGV("img"), 0, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("one image", n == 1 && strcmp(it[0].path, "img") == 0 && !it[0].string &&
	      it[0].addr == 0 && !it[0].has_addr);

	n = wd_parse_load_items(ARGC("load", "demo", "inmate.bin", "-a", "0x1000", "-s",
				     "console=ttyAMA0", "--address", "4096"),
				ARGV("load", "demo", "inmate.bin", "-a", "0x1000", "-s",
				     "console=ttyAMA0", "--address", "4096"),
				2, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("image and string with addresses", n == 2 &&
	      strcmp(it[0].path, "inmate.bin") == 0 && it[0].addr == 0x1000 && it[0].has_addr &&
	      !it[1].path && strcmp(it[1].string, "console=ttyAMA0") == 0 &&
	      it[1].addr == 4096 && it[1].has_addr);

	n = wd_parse_load_items(4, ARGV("a.bin", "--string", "x", "b.bin"), 0, it,
				WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("three items, default addresses", n == 3 && strcmp(it[0].path, "a.bin") == 0 &&
	      strcmp(it[1].string, "x") == 0 && strcmp(it[2].path, "b.bin") == 0 &&
	      !it[0].has_addr && !it[1].has_addr && !it[2].has_addr);

	n = wd_parse_load_items(2, ARGV("-a", "0"), 0, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("address first", n == -1);
	CHECK_STR("address first: message", err, "-a must follow an image or a -s STRING");

	n = wd_parse_load_items(5, ARGV("img", "-a", "1", "-a", "2"), 0, it, WD_MAX_LOAD_ITEMS,
				err, sizeof(err));
	CHECK("two addresses", n == -1);
	CHECK_STR("two addresses: message", err, "-a given twice for 'img'");

	n = wd_parse_load_items(5, ARGV("-s", "str", "-a", "1", "-a"), 0, it, WD_MAX_LOAD_ITEMS,
				err, sizeof(err));
	CHECK("two addresses for a string", n == -1);
	CHECK_STR("two addresses for a string: message", err, "-a given twice for the string");

	n = wd_parse_load_items(2, ARGV("img", "-a"), 0, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("address missing", n == -1);
	CHECK_STR("address missing: message", err, "-a needs an address");

	n = wd_parse_load_items(3, ARGV("img", "-a", "0x1000z"), 0, it, WD_MAX_LOAD_ITEMS, err,
				sizeof(err));
	CHECK("bad address", n == -1);
	CHECK_STR("bad address: message", err,
		  "invalid address '0x1000z' (decimal, or hexadecimal with 0x)");

	n = wd_parse_load_items(1, ARGV("-s"), 0, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("string missing", n == -1);
	CHECK_STR("string missing: message", err, "-s needs a string");

	n = wd_parse_load_items(2, ARGV("load", "demo"), 2, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("nothing to load", n == -1);
	CHECK_STR("nothing to load: message", err, "nothing to load (give an IMAGE or -s STRING)");

	n = wd_parse_load_items(2, ARGV("img", "-v"), 0, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("unknown option", n == -1);
	CHECK_STR("unknown option: message", err, "unknown option '-v'");

	for (k = 0; k < WD_MAX_LOAD_ITEMS + 1; k++)
		many[k] = "img";
	many[k] = NULL;
	n = wd_parse_load_items(WD_MAX_LOAD_ITEMS, many, 0, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("16 images", n == WD_MAX_LOAD_ITEMS);
	n = wd_parse_load_items(WD_MAX_LOAD_ITEMS + 1, many, 0, it, WD_MAX_LOAD_ITEMS, err,
				sizeof(err));
	CHECK("17 images", n == -1);
	CHECK_STR("17 images: message", err, "more than 16 images and strings");
}

static void test_klog(void)
{
	char log[] =
		"<6>[    1.000000] warden: loaded\n"
		"<6>[    2.000000] other: before the call\n"
		"<6>[    3.000000] warden: enabling on 4 CPUs\n"
		"<3>[    3.100000] warden: hypervisor memory 0x60000000-0x603fffff is System RAM\n"
		"<3>[    3.200000] warden: hypervisor console (last 9 bytes):\n"
		"<3>[    3.300000] warden: hv: panic\n"
		"<6>[    3.400000] warden: rolled back\n"
		"<6>[    3.500000] eth0: link up\n";
	char copy[sizeof(log)];
	char info_only[] = "<6>[ 9.0] warden: first\n<6>[ 9.1] warden: second\n<5>[ 9.2] x: y\n";
	char none[] = "<6>[ 9.0] kvm: nothing\nplain line\n";
	char bare[] = "<4>warden: no timestamps here\n";
	char *after;

	memcpy(copy, log, sizeof(log));
	after = wd_klog_after(copy, "<6>[    2.000000] other: before the call");
	CHECK("klog: new lines start after the mark",
	      strncmp(after, "\n<6>[    3.000000] warden: enabling", 34) == 0);
	CHECK_STR("klog: the error line, not the console replay or the later info line",
		  wd_klog_pick(after),
		  "warden: hypervisor memory 0x60000000-0x603fffff is System RAM");

	memcpy(copy, log, sizeof(log));
	after = wd_klog_after(copy, "<6>[    3.500000] eth0: link up");
	CHECK("klog: nothing new after the last line", wd_klog_pick(after) == NULL);

	memcpy(copy, log, sizeof(log));
	after = wd_klog_after(copy, "<6>[    0.500000] gone: wrapped away");
	CHECK("klog: mark gone, everything is new", after == copy);
	memcpy(copy, log, sizeof(log));
	CHECK("klog: a line that only contains the mark is not the mark",
	      wd_klog_after(copy, "warden: loaded") == copy);

	CHECK_STR("klog: newest info line when there is no error", wd_klog_pick(info_only),
		  "warden: second");
	CHECK("klog: no warden line", wd_klog_pick(none) == NULL);
	CHECK_STR("klog: line without timestamp", wd_klog_pick(bare),
		  "warden: no timestamps here");
}

/* A refused enable: per-CPU errors, the console replay, then the hypervisor's reason. */
static void test_klog_reason(void)
{
	char log[] =
		"<6>[    5.000000] other: before the call\n"
		"<3>[    5.100000] warden: CPU 1: entering the hypervisor failed with error -19\n"
		"<3>[    5.200000] warden: hypervisor console (last 80 bytes):\n"
		"<3>[    5.300000] warden: hv: CPU 1 (MPIDR 0x1): no GIC redistributor found among 1\n"
		"<3>[    5.400000] warden: CPU 1 (MPIDR 0x1): no GIC redistributor found among 1 (hypervisor refused ENABLE: -ENODEV)\n"
		"<6>[    5.500000] CPU1: Booted secondary processor\n";

	CHECK_STR("klog: the hypervisor's reason, not the per-CPU errors before it",
		  wd_klog_pick(wd_klog_after(log, "<6>[    5.000000] other: before the call")),
		  "warden: CPU 1 (MPIDR 0x1): no GIC redistributor found among 1 (hypervisor refused ENABLE: -ENODEV)");
}

static void test_hints(void)
{
	CHECK_STR("hint: KVM", wd_hint("enable", EBUSY, "warden: KVM owns EL2; boot with kvm-arm.mode=none"),
		  "boot Linux with kvm-arm.mode=none so that KVM leaves EL2 to Warden");
	CHECK_STR("hint: no EL2", wd_hint("enable", ENODEV, NULL),
		  "the CPUs did not start at EL2 (QEMU: -machine virtualization=on)");
	CHECK_STR("hint: an unsupported GIC is not an EL2 problem",
		  wd_hint("enable", ENODEV, "warden: GIC version 4 is not supported: Warden runs on a GICv2 or a GICv3 (hypervisor refused ENABLE: -ENODEV)"),
		  "compare the system configuration's GIC fields (gic_version, gicd/gicr/gicc/gich/gicv_base, maintenance_irq) with the device tree ('warden config create' writes them from it)");
	CHECK_STR("hint: GICv2 without virtualization extensions",
		  wd_hint("enable", ENODEV, "warden: GICv2 at 0x8000000 without the virtualization extensions (gicc_base 0x8010000, gich_base 0x0, gicv_base 0x0): Warden needs the GICH and GICV frames"),
		  "this GIC has no virtualization interface (GICH/GICV): Warden cannot partition this board");
	CHECK_STR("hint: VHE", wd_hint("enable", EBUSY, "warden: Linux runs at EL2 (VHE); boot it at EL1"),
		  "Linux itself runs at EL2 (VHE): boot it with id_aa64mmfr1.vh=0 kvm-arm.mode=none (it then runs at EL1), or use a CPU without VHE (QEMU: -cpu cortex-a57)");
	CHECK_STR("hint: beyond the CPU's physical addresses",
		  wd_hint("cell create", ERANGE, "warden: cell 'x': memory region #0 (virt 0x10000000000-0x1000000ffff) is beyond the CPU's 40-bit physical address space (max 0xffffffffff)"),
		  "this CPU cannot reach that address (its physical address size is in the message): leave the region out, or move it below the limit");
	CHECK_STR("hint: firmware", wd_hint("enable", ENOENT, NULL),
		  "is the hypervisor image installed as /lib/firmware/warden.bin?");
	CHECK_STR("hint: already enabled", wd_hint("enable", EEXIST, "warden: already enabled; disable it first"),
		  "run 'warden disable' first");
	CHECK_STR("hint: unknown cell", wd_hint("cell start", ENOENT, NULL),
		  "'warden cell list' shows the cells");
	CHECK_STR("hint: root", wd_hint("disable", EPERM, NULL), "run as root");
	CHECK("no EL2 hint for cell commands", wd_hint("cell start", ENODEV, NULL) == NULL);
	CHECK("no hint for a plain EINVAL", wd_hint("enable", EINVAL, "warden: revision 13 is not supported (expected 14)") == NULL);

	/* Hypervisor reasons (the driver's line after a refused hypercall) */
	CHECK_STR("hint: denied shutdown is not a permission problem",
		  wd_hint("cell destroy", EPERM, "warden: cell 'demo' denied the shutdown request (hypervisor refused CELL_DESTROY: -EPERM)"),
		  "the cell refuses to stop; it decides through its comm region: ask it (its own software) to allow shutdown, or reboot");
	CHECK_STR("hint: locked cell",
		  wd_hint("cell shutdown", EPERM, "warden: cell 'demo' is locked against shutdown (its comm region says running/locked) (hypervisor refused CELL_SET_LOADABLE: -EPERM)"),
		  "the cell has locked itself against shutdown through its comm region: ask it to unlock, or reboot");
	CHECK_STR("hint: running cell",
		  wd_hint("cell start", EBUSY, "warden: cell 'demo' is already running (hypervisor refused CELL_START: -EBUSY)"),
		  "stop it first with 'warden cell shutdown' (or destroy it)");
	CHECK_STR("hint: CPU of another cell",
		  wd_hint("cell create", EBUSY, "warden: cell 'b': CPU 3 is not in the root cell (cell 'a' has it) (hypervisor refused CELL_CREATE: -EBUSY)"),
		  "another cell has that CPU: destroy that cell first ('warden cell list' shows the cells)");
	CHECK_STR("hint: CPU still online",
		  wd_hint("cell create", EBUSY, "warden: cell 'b': CPU 2 is still online in the root cell (hypervisor refused CELL_CREATE: -EBUSY)"),
		  "take the CPU offline first (echo 0 > /sys/devices/system/cpu/cpuN/online)");
	CHECK_STR("hint: memory of another cell",
		  wd_hint("cell create", EBUSY, "warden: cell 'b': memory region #0 (phys 0x7fa00000-0x7fa0ffff) overlaps cell 'a' (its region #0, phys 0x7fa00000-0x7fa0ffff) (hypervisor refused CELL_CREATE: -EBUSY)"),
		  "destroy the other cell first, or give this cell memory or interrupts of its own");
	CHECK_STR("hint: SPI of another cell",
		  wd_hint("cell create", EBUSY, "warden: cell 'b': SPI 40 belongs to cell 'a' (hypervisor refused CELL_CREATE: -EBUSY)"),
		  "destroy the other cell first, or give this cell memory or interrupts of its own");
	CHECK_STR("hint: hypervisor out of memory",
		  wd_hint("cell create", ENOMEM, "warden: cell 'b': no memory for its state (page pool 255/256 used) (hypervisor refused CELL_CREATE: -ENOMEM)"),
		  "the hypervisor is out of memory: destroy cells, or give it more hypervisor_memory in the system configuration");
	CHECK("no hint for an unknown refusal",
	      wd_hint("cell create", EINVAL, "warden: cell 'b': memory region #1 (phys 0x1000, size 0x0) is empty, wraps or is not page aligned (hypervisor refused CELL_CREATE: -EINVAL)") == NULL);
}

#define NEW_PART(old, cur) console_new_part(old, strlen(old), cur, strlen(cur))

static void test_console_follow(void)
{
	CHECK_EQ("console: ring not full, text appended", NEW_PART("abc", "abcdef"), 3);
	CHECK_EQ("console: ring wrapped", NEW_PART("abcdef", "defgh"), 3);
	CHECK_EQ("console: nothing new", NEW_PART("abc\n", "abc\n"), 4);
	CHECK_EQ("console: no overlap (restarted)", NEW_PART("abc", "xyz"), 0);
	CHECK_EQ("console: first snapshot", NEW_PART("", "abc"), 0);
	CHECK_EQ("console: repeated text takes the largest overlap", NEW_PART("aaaa", "aaaab"), 4);
	CHECK_EQ("console: repeated lines", NEW_PART("ab\nab\n", "ab\nab\nab\n"), 6);
	CHECK_EQ("console: new snapshot shorter than the overlap", NEW_PART("xxabcd", "cd"), 2);
}

/* Called as "jailhouse": Jailhouse's device, sysfs and name, and its command lines. */
static void test_jailhouse_argv(void)
{
	struct wd_load_item it[WD_MAX_LOAD_ITEMS];
	struct wd_cell_id id;
	char err[160], text[256];
	int i, n;

	CHECK("argv[0] jailhouse", wd_prog_is_jailhouse("jailhouse"));
	CHECK("argv[0] /usr/sbin/jailhouse", wd_prog_is_jailhouse("/usr/sbin/jailhouse"));
	CHECK("argv[0] ./tools/jailhouse", wd_prog_is_jailhouse("./tools/jailhouse"));
	CHECK("argv[0] warden", !wd_prog_is_jailhouse("warden"));
	CHECK("argv[0] /opt/jailhouse/warden", !wd_prog_is_jailhouse("/opt/jailhouse/warden"));
	CHECK("argv[0] jailhouse-cell-list", !wd_prog_is_jailhouse("jailhouse-cell-list"));
	CHECK("argv[0] missing", !wd_prog_is_jailhouse(NULL));

	unsetenv("WARDEN_DEVICE");
	unsetenv("WARDEN_SYSFS");
	wd_set_prog("/usr/sbin/jailhouse");
	CHECK_STR("as jailhouse: the name", wd_prog, "jailhouse");
	CHECK_STR("as jailhouse: /dev/jailhouse", wd_device_path(), "/dev/jailhouse");
	CHECK_STR("as jailhouse: /sys/devices/jailhouse", wd_sysfs_root(), "/sys/devices/jailhouse");
	setenv("WARDEN_SYSFS", "/tmp/fake", 1);
	CHECK_STR("as jailhouse: WARDEN_SYSFS still overrides", wd_sysfs_root(), "/tmp/fake");
	unsetenv("WARDEN_SYSFS");
	wd_set_prog("warden");
	CHECK_STR("as warden: the name", wd_prog, "warden");
	CHECK_STR("as warden: /dev/warden", wd_device_path(), "/dev/warden");
	CHECK_STR("as warden: /sys/devices/warden", wd_sysfs_root(), "/sys/devices/warden");

	wd_usage_text("usage: warden cell start CELL\n\"warden cell --help\" (warden x) 'warden y'"
		      " wardens warden-x", "jailhouse", text, sizeof(text));
	CHECK_STR("usage text: the command name replaced where it starts a word", text,
		  "usage: jailhouse cell start CELL\n\"jailhouse cell --help\" (jailhouse x) 'jailhouse y'"
		  " wardens warden-x");
	wd_usage_text("usage: warden cell", "jailhouse", text, 12);
	CHECK_STR("usage text: cut to the buffer", text, "usage: ");

	/* jailhouse cell start 1 / jailhouse cell destroy 0x2 / --name */
	i = 1;
	CHECK("jailhouse cell start 1",
	      wd_parse_cell_ref(2, ARGV("start", "1"), &i, &id, err, sizeof(err)) == 0 &&
	      id.id == 1 && i == 2);
	i = 1;
	CHECK("jailhouse cell destroy 0x2 (an ID, as strtoll base 0 reads it)",
	      wd_parse_cell_ref(2, ARGV("destroy", "0x2"), &i, &id, err, sizeof(err)) == 0 &&
	      id.id == 2);
	i = 1;
	CHECK("0xg is a name", wd_parse_cell_ref(2, ARGV("start", "0xg"), &i, &id, err,
						  sizeof(err)) == 0 && id.id == WD_CELL_ID_BY_NAME);
	i = 1;
	CHECK("jailhouse cell shutdown --name NAME",
	      wd_parse_cell_ref(3, ARGV("shutdown", "--name", "jh-inmate-demo"), &i, &id, err,
				sizeof(err)) == 0 && id.id == WD_CELL_ID_BY_NAME &&
	      !strcmp(id.name, "jh-inmate-demo") && i == 3);

	/* jailhouse cell load NAME IMAGE [-a ADDR] [-s STRING -a ADDR]... */
	i = 1;
	CHECK("cell load: cell", wd_parse_cell_ref(8, ARGV("load", "jh-inmate-demo", "jh.bin", "-s",
							   "jh-test", "-a", "0x1000", "x.bin"),
						   &i, &id, err, sizeof(err)) == 0 && i == 2);
	n = wd_parse_load_items(8, ARGV("load", "jh-inmate-demo", "jh.bin", "-s", "jh-test", "-a",
					"0x1000", "x.bin"), 2, it, WD_MAX_LOAD_ITEMS, err,
				sizeof(err));
	CHECK_EQ("cell load IMAGE -s STRING -a 0x1000 IMAGE: 3 items", n, 3);
	CHECK("image without -a goes to 0", it[0].path && !strcmp(it[0].path, "jh.bin") &&
	      !it[0].has_addr && it[0].addr == 0);
	CHECK("-s STRING -a 0x1000", !it[1].path && !strcmp(it[1].string, "jh-test") &&
	      it[1].has_addr && it[1].addr == 0x1000);
	CHECK("last image at 0", !strcmp(it[2].path, "x.bin") && it[2].addr == 0);
	n = wd_parse_load_items(6, ARGV("load", "1", "--string", "a b", "--address", "4096"), 2,
				it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("--string and --address (long forms)", n == 1 && !strcmp(it[0].string, "a b") &&
	      it[0].addr == 4096);
	n = wd_parse_load_items(2, ARGV("load", "1"), 2, it, WD_MAX_LOAD_ITEMS, err, sizeof(err));
	CHECK("cell load without an image is a usage error", n == -1);
	n = wd_parse_load_items(4, ARGV("load", "1", "-a", "0x1000"), 2, it, WD_MAX_LOAD_ITEMS, err,
				sizeof(err));
	CHECK("-a before any image is a usage error", n == -1);
}

int main(void)
{
	test_parse_addr();
	test_cell_ref();
	test_load_items();
	test_klog();
	test_klog_reason();
	test_hints();
	test_console_follow();
	test_jailhouse_argv();
	return CHECK_DONE();
}
