/*
 * Host unit tests of the configuration validator (common/config-check.c):
 * one or more cases per error kind, each asserting kind, errno and the exact
 * message, all derived from a good configuration built here; plus the
 * properties the callers rely on (header-only use by the driver, no read past
 * the blob, no count that wraps the size computation).
 *
 * Build: cc -I include -I common -I tests/unit -D__WARDEN_HOST_TEST__
 *        tests/unit/test-config-check.c   (add -fsanitize=address,undefined to
 *        catch reads outside the blob: every blob is a malloc of its exact size)
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "../../common/config-check.c"

#include "config-blobs.h"

static int run(const void *blob, size_t size, int is_cell, struct wd_check_result *res)
{
	/* An exact-size heap copy, so a sanitizer sees any read past the end. */
	void *copy = malloc(size ? size : 1);
	int err;

	memcpy(copy, blob, size);
	err = is_cell ? wd_check_cell(copy, size, res) : wd_check_system(copy, size, res);
	free(copy);
	return err;
}

static void expect_blob(const char *name, const void *blob, size_t size, int is_cell,
			enum wd_check_kind kind, int error, const char *msg)
{
	struct wd_check_result res;
	char label[160];
	int ret;

	memset(&res, 0x5a, sizeof(res));
	ret = run(blob, size, is_cell, &res);
	snprintf(label, sizeof(label), "%s: kind %s", name, wd_check_kind_name(kind));
	CHECK_EQ(label, res.kind, kind);
	snprintf(label, sizeof(label), "%s: errno", name);
	CHECK(label, ret == error && res.error == error);
	snprintf(label, sizeof(label), "%s: message", name);
	CHECK_STR(label, res.msg, msg);
}

static void expect(const char *name, const struct spec *s, int is_cell,
		   enum wd_check_kind kind, int error, const char *msg)
{
	static __u8 buf[MAX_BLOB];
	size_t n = build(s, is_cell, buf);

	expect_blob(name, buf, n, is_cell, kind, error, msg);
}

#define OK(name, s, is_cell) expect(name, s, is_cell, WD_CHECK_OK, 0, "")

static void test_good(void)
{
	struct spec s;

	good_system(&s);
	OK("good system configuration", &s, SYS);
	good_cell(&s);
	OK("good cell configuration", &s, CELL);

	/* Accepted corner cases */
	good_system(&s);
	s.mem[1] = region(0xfffffffffffff000ULL, 0xfffffffffffff000ULL, 0x1000, RWIO);
	OK("region ending at the last address", &s, SYS);
	good_system(&s);
	s.mem[2] = region(0x40000000, 0x90000000, 0x1000, RWXD);
	OK("two regions with the same physical memory (alias)", &s, SYS);
	good_system(&s);
	s.mem[3] = region(0x09001000, 0x09001000, 0x1000, RWIO);
	OK("regions adjacent in both spaces", &s, SYS);
	good_system(&s);
	s.sys.debug_console.type = WD_CON_TYPE_NONE;
	s.sys.debug_console.address = 0;
	OK("no debug console", &s, SYS);
	good_system(&s);
	s.sys.debug_console.type = WD_CON_TYPE_8250;
	OK("8250 debug console", &s, SYS);
	good_system(&s);
	s.sys.platform.arm.gic_version = 2;
	s.sys.platform.arm.gicr_base = 0;
	s.sys.platform.arm.gicc_base = 0x08010000;
	s.sys.platform.arm.gich_base = 0x08030000;
	s.sys.platform.arm.gicv_base = 0x08040000;
	OK("GICv2 with its four bases", &s, SYS);
	good_system(&s);
	s.cpus[0] = 0;
	s.cpus[7] = 0x80;	/* CPU 63 */
	OK("CPU set with only its last bit", &s, SYS);
	good_system(&s);
	s.pci[0].caps_start = 7;
	s.pci[0].num_caps = 0;
	OK("PCI device without capabilities ignores caps_start", &s, SYS);
	good_cell(&s);
	s.mem[2].phys_start = 0x7fc00000;	/* a comm region's phys_start means nothing */
	OK("comm region with any phys_start", &s, CELL);
	good_system(&s);
	s.mem[2].size = 0x0fc00000;
	s.mem[2].flags |= WD_MEM_COMM_REGION;
	s.mem[2].phys_start = 0x7fc00000;
	OK("comm region is not compared with hypervisor memory", &s, SYS);
	good_cell(&s);
	s.mem[0].phys_start = 0x7fc00000;
	OK("a lone cell is not compared with any hypervisor memory", &s, CELL);
}

static void test_truncated(void)
{
	static __u8 buf[MAX_BLOB];
	struct spec s;
	size_t n;

	good_system(&s);
	n = build(&s, SYS, buf);
	expect_blob("system cut inside its header", buf, 300, SYS, WD_CHECK_TRUNCATED, -EINVAL,
		    "system configuration is 300 bytes, shorter than its 488-byte header");
	expect_blob("system of 4 bytes", buf, 4, SYS, WD_CHECK_TRUNCATED, -EINVAL,
		    "system configuration is 4 bytes, shorter than its 488-byte header");
	expect_blob("empty system blob", buf, 0, SYS, WD_CHECK_TRUNCATED, -EINVAL,
		    "system configuration is 0 bytes, shorter than its 488-byte header");
	/* Cut in the arrays: the header is whole, so the count check speaks. */
	expect_blob("system cut inside its arrays", buf, n - 10, SYS, WD_CHECK_SIZE_MISMATCH,
		    -EOVERFLOW, "root cell arrays need 760 bytes but the file has 750");

	good_cell(&s);
	build(&s, CELL, buf);
	expect_blob("cell cut inside its header", buf, 100, CELL, WD_CHECK_TRUNCATED, -EINVAL,
		    "cell configuration is 100 bytes, shorter than its 132-byte header");
}

static void test_signature(void)
{
	struct spec s;

	good_system(&s);
	memcpy(s.sys.signature, "JHSYX", 5);
	expect("system signature", &s, SYS, WD_CHECK_SIGNATURE, -ENOEXEC,
	       "signature \"JHSYX\" is not \"JHSYS\" (not a system configuration)");
	memcpy(s.sys.signature, "J\0\x01\"S", 5);
	expect("unprintable signature", &s, SYS, WD_CHECK_SIGNATURE, -ENOEXEC,
	       "signature \"J???S\" is not \"JHSYS\" (not a system configuration)");

	good_cell(&s);
	{
		static __u8 buf[MAX_BLOB];
		size_t n = build(&s, CELL, buf);

		expect_blob("cell configuration given as system", buf, n, SYS,
			    WD_CHECK_SIGNATURE, -ENOEXEC,
			    "signature \"JHCLL\" is not \"JHSYS\" (this is a cell configuration, not a system configuration)");
	}
	good_system(&s);
	{
		static __u8 buf[MAX_BLOB];
		size_t n = build(&s, SYS, buf);

		expect_blob("system configuration given as cell", buf, n, CELL,
			    WD_CHECK_SIGNATURE, -ENOEXEC,
			    "signature \"JHSYS\" is not \"JHCLL\" (this is a system configuration, not a cell configuration)");
	}
	good_cell(&s);
	memcpy(s.sys.root_cell.signature, "XXXXX", 5);
	expect("cell signature", &s, CELL, WD_CHECK_SIGNATURE, -ENOEXEC,
	       "signature \"XXXXX\" is not \"JHCLL\" (not a cell configuration)");

	good_system(&s);
	memcpy(s.sys.root_cell.signature, "JHCLX", 5);
	expect("root cell signature", &s, SYS, WD_CHECK_SIGNATURE, -ENOEXEC,
	       "root cell signature \"JHCLX\" is not \"JHCLL\"");
}

static void test_revision(void)
{
	struct spec s;

	good_system(&s);
	s.sys.revision = 13;
	expect("system revision", &s, SYS, WD_CHECK_REVISION, -ENOEXEC,
	       "revision 13 is not supported (expected 14)");
	good_system(&s);
	s.sys.root_cell.revision = 15;
	expect("root cell revision", &s, SYS, WD_CHECK_REVISION, -ENOEXEC,
	       "root cell revision 15 is not supported (expected 14)");
	good_cell(&s);
	s.sys.root_cell.revision = 0;
	expect("cell revision", &s, CELL, WD_CHECK_REVISION, -ENOEXEC,
	       "revision 0 is not supported (expected 14)");
}

static void test_architecture(void)
{
	struct spec s;

	good_system(&s);
	s.sys.architecture = WD_ARCH_X86;
	expect("x86 system", &s, SYS, WD_CHECK_ARCHITECTURE, -ENOEXEC,
	       "architecture 0 (x86) is not arm64");
	s.sys.architecture = WD_ARCH_ARM;
	expect("arm system", &s, SYS, WD_CHECK_ARCHITECTURE, -ENOEXEC,
	       "architecture 1 (arm) is not arm64");
	s.sys.architecture = 200;
	expect("unknown architecture", &s, SYS, WD_CHECK_ARCHITECTURE, -ENOEXEC,
	       "architecture 200 (unknown) is not arm64");
	good_system(&s);
	s.sys.root_cell.architecture = WD_ARCH_X86;
	expect("x86 root cell", &s, SYS, WD_CHECK_ARCHITECTURE, -ENOEXEC,
	       "root cell architecture 0 (x86) is not arm64");
	good_cell(&s);
	s.sys.root_cell.architecture = WD_ARCH_ARM;
	expect("arm cell", &s, CELL, WD_CHECK_ARCHITECTURE, -ENOEXEC,
	       "architecture 1 (arm) is not arm64");
}

static void test_size(void)
{
	static __u8 buf[MAX_BLOB + 64];
	struct wd_system_config *h = (struct wd_system_config *)buf;
	struct wd_cell_desc *c;
	struct spec s;
	size_t n;

	good_system(&s);
	n = build(&s, SYS, buf);
	h->root_cell.num_memory_regions = 0xffffffff;
	expect_blob("memory region count near 2^32", buf, n, SYS, WD_CHECK_SIZE_MISMATCH,
		    -EOVERFLOW, "root cell arrays need 137438954072 bytes but the file has 760");

	/* Every count at its maximum: the 64-bit sum must not wrap to a small value. */
	n = build(&s, SYS, buf);
	h->root_cell.cpu_set_size = 0xffffffff;
	h->root_cell.num_memory_regions = 0xffffffff;
	h->root_cell.num_cache_regions = 0xffffffff;
	h->root_cell.num_irqchips = 0xffffffff;
	h->root_cell.num_pio_regions = 0xffffffff;
	h->root_cell.num_pci_devices = 0xffffffff;
	h->root_cell.num_pci_caps = 0xffffffff;
	h->root_cell.num_stream_ids = 0xffffffff;
	expect_blob("all counts at 2^32-1", buf, n, SYS, WD_CHECK_SIZE_MISMATCH, -EOVERFLOW,
		    "root cell arrays need 639950127443 bytes but the file has 760");

	n = build(&s, SYS, buf);
	memset(buf + n, 0, 7);
	expect_blob("trailing bytes", buf, n + 7, SYS, WD_CHECK_SIZE_MISMATCH, -E2BIG,
		    "file has 767 bytes but the configuration ends at byte 760 (7 trailing bytes)");

	good_cell(&s);
	n = build(&s, CELL, buf);
	c = (struct wd_cell_desc *)buf;
	c->num_irqchips = 100;
	expect_blob("cell irqchip count", buf, n, CELL, WD_CHECK_SIZE_MISMATCH, -EOVERFLOW,
		    "cell arrays need 3436 bytes but the file has 268");

	/*
	 * The driver holds only the fixed header at first: checking it alone
	 * gives the header's errors first, then the size the whole needs.
	 */
	good_system(&s);
	build(&s, SYS, buf);
	expect_blob("header alone", buf, sizeof(struct wd_system_config), SYS,
		    WD_CHECK_SIZE_MISMATCH, -EOVERFLOW,
		    "root cell arrays need 760 bytes but the file has 488");
	h->revision = 1;
	expect_blob("header alone with a bad revision", buf, sizeof(struct wd_system_config),
		    SYS, WD_CHECK_REVISION, -ENOEXEC, "revision 1 is not supported (expected 14)");
}

static void test_name(void)
{
	struct spec s;

	good_system(&s);
	memset(s.sys.root_cell.name, 0, sizeof(s.sys.root_cell.name));
	expect("empty root cell name", &s, SYS, WD_CHECK_NAME, -EINVAL, "root cell name is empty");
	memset(s.sys.root_cell.name, 'a', sizeof(s.sys.root_cell.name));
	expect("unterminated root cell name", &s, SYS, WD_CHECK_NAME, -EINVAL,
	       "root cell name is not NUL-terminated within 32 bytes");
	good_cell(&s);
	memset(s.sys.root_cell.name, 'x', sizeof(s.sys.root_cell.name));
	expect("unterminated cell name", &s, CELL, WD_CHECK_NAME, -EINVAL,
	       "cell name is not NUL-terminated within 32 bytes");
	s.sys.root_cell.name[0] = 0;
	expect("empty cell name", &s, CELL, WD_CHECK_NAME, -EINVAL, "cell name is empty");
	/* 31 characters is the longest name; quotes are shown as '?' in messages */
	good_cell(&s);
	memset(s.sys.root_cell.name, 'n', 31);
	s.sys.root_cell.name[0] = '\'';
	s.sys.root_cell.name[31] = 0;
	s.cpu_set_size = 0;
	expect("longest cell name, quoted safely", &s, CELL, WD_CHECK_CPU_SET, -EINVAL,
	       "cell '?nnnnnnnnnnnnnnnnnnnnnnnnnnnnnn': CPU set is empty (cpu_set_size 0)");
}

static void test_hv_memory(void)
{
	struct spec s;

	good_system(&s);
	s.sys.hypervisor_memory.size = 0;
	expect("hypervisor memory missing", &s, SYS, WD_CHECK_HV_MEMORY, -EINVAL,
	       "hypervisor memory is missing (size 0)");
	good_system(&s);
	s.sys.hypervisor_memory.phys_start = 0x7fc00800;
	expect("hypervisor memory start unaligned", &s, SYS, WD_CHECK_HV_MEMORY, -EINVAL,
	       "hypervisor memory 0x7fc00800 size 0x400000 is not page aligned");
	good_system(&s);
	s.sys.hypervisor_memory.size = 0x400100;
	expect("hypervisor memory size unaligned", &s, SYS, WD_CHECK_HV_MEMORY, -EINVAL,
	       "hypervisor memory 0x7fc00000 size 0x400100 is not page aligned");
	good_system(&s);
	s.sys.hypervisor_memory.size = 0x10000;
	expect("hypervisor memory too small", &s, SYS, WD_CHECK_HV_MEMORY, -ENOSPC,
	       "hypervisor memory 0x7fc00000-0x7fc0ffff is 64 KiB, less than the 1024 KiB minimum");
	good_system(&s);
	s.sys.hypervisor_memory.phys_start = 0xffffffffffc00000ULL;
	s.sys.hypervisor_memory.size = 0x800000;
	expect("hypervisor memory wraps", &s, SYS, WD_CHECK_HV_MEMORY, -EOVERFLOW,
	       "hypervisor memory 0xffffffffffc00000 size 0x800000 wraps around the address space");
}

static void test_hv_overlap(void)
{
	struct spec s;

	good_system(&s);
	s.mem[2] = region(0x7fb00000, 0x7fb00000, 0x200000, RWXD);
	expect("region overlapping hypervisor memory", &s, SYS, WD_CHECK_HV_OVERLAP, -EBUSY,
	       "memory region #2 (phys 0x7fb00000-0x7fcfffff) overlaps hypervisor memory 0x7fc00000-0x7fffffff");
	good_system(&s);
	s.sys.hypervisor_memory.phys_start = 0x60000000;
	expect("hypervisor memory inside RAM", &s, SYS, WD_CHECK_HV_OVERLAP, -EBUSY,
	       "memory region #0 (phys 0x40000000-0x6fffffff) overlaps hypervisor memory 0x60000000-0x603fffff");
	good_system(&s);
	s.mem[1] = region(0x7ffff000, 0x09000000, 0x1000, RWIO);
	expect("last page of hypervisor memory", &s, SYS, WD_CHECK_HV_OVERLAP, -EBUSY,
	       "memory region #1 (phys 0x7ffff000-0x7fffffff) overlaps hypervisor memory 0x7fc00000-0x7fffffff");
}

static void test_console(void)
{
	struct spec s;

	good_system(&s);
	s.sys.debug_console.type = WD_CON_TYPE_XUARTPS;
	expect("unsupported console type", &s, SYS, WD_CHECK_CONSOLE, -EOPNOTSUPP,
	       "debug console type 4 (XUARTPS) is not supported (NONE, PL011 or 8250)");
	s.sys.debug_console.type = 0x77;
	expect("unknown console type", &s, SYS, WD_CHECK_CONSOLE, -EOPNOTSUPP,
	       "debug console type 119 (unknown) is not supported (NONE, PL011 or 8250)");
	good_system(&s);
	s.sys.debug_console.address = 0;
	expect("console without address", &s, SYS, WD_CHECK_CONSOLE, -EINVAL,
	       "debug console PL011 has address 0");
	good_system(&s);
	s.sys.debug_console.size = 0;
	expect("console without size", &s, SYS, WD_CHECK_CONSOLE, -EINVAL,
	       "debug console PL011 at 0x9000000 has size 0");
}

static void test_gic(void)
{
	struct spec s;

	good_system(&s);
	s.sys.platform.arm.gic_version = 4;
	expect("GIC version 4", &s, SYS, WD_CHECK_GIC, -EOPNOTSUPP,
	       "GIC version 4 is not supported (2 or 3)");
	good_system(&s);
	s.sys.platform.arm.gicd_base = 0;
	expect("no GICD", &s, SYS, WD_CHECK_GIC, -EINVAL, "GICv3 distributor base gicd_base is 0");
	good_system(&s);
	s.sys.platform.arm.gicr_base = 0;
	expect("no GICR", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "GICv3 redistributor base gicr_base is 0");
	good_system(&s);
	s.sys.platform.arm.gic_version = 2;
	expect("GICv2 without GICC", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "GICv2 CPU interface base gicc_base is 0");
	s.sys.platform.arm.gicc_base = 0x08010000;
	expect("GICv2 without GICH", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "GICv2 hypervisor interface base gich_base is 0");
	s.sys.platform.arm.gich_base = 0x08030000;
	expect("GICv2 without GICV", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "GICv2 virtual CPU interface base gicv_base is 0");
	good_system(&s);
	s.sys.platform.arm.maintenance_irq = 40;
	expect("maintenance interrupt not a PPI", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "GIC maintenance interrupt 40 is not a PPI (16-31)");
}

static void test_iommu(void)
{
	struct spec s;

	good_system(&s);
	s.sys.platform.iommu_units[3].type = 9;
	expect("unknown IOMMU type", &s, SYS, WD_CHECK_IOMMU, -EINVAL,
	       "IOMMU unit #3 has unknown type 9");
	good_system(&s);
	s.sys.platform.iommu_units[1].type = WD_IOMMU_INTEL;
	expect("x86 IOMMU", &s, SYS, WD_CHECK_IOMMU, -EOPNOTSUPP,
	       "IOMMU unit #1 type 2 (Intel) does not exist on arm64");
	good_system(&s);
	s.sys.platform.iommu_units[0].base = 0;
	expect("IOMMU without base", &s, SYS, WD_CHECK_IOMMU, -EINVAL,
	       "IOMMU unit #0 (SMMUv3) has base 0");
	good_system(&s);
	s.sys.platform.iommu_units[0].size = 0;
	expect("IOMMU without size", &s, SYS, WD_CHECK_IOMMU, -EINVAL,
	       "IOMMU unit #0 (SMMUv3) at 0x9050000 has size 0");
}

static void test_cpu_set(void)
{
	struct spec s;

	good_system(&s);
	s.cpu_set_size = 0;
	expect("empty root CPU set", &s, SYS, WD_CHECK_CPU_SET, -EINVAL,
	       "root cell CPU set is empty (cpu_set_size 0)");
	good_system(&s);
	s.cpu_set_size = 256;
	expect("oversized CPU set", &s, SYS, WD_CHECK_CPU_SET, -E2BIG,
	       "root cell CPU set of 256 bytes is larger than the 128-byte maximum");
	good_system(&s);
	s.cpu_set_size = 12;
	expect("CPU set not in unsigned longs", &s, SYS, WD_CHECK_CPU_SET, -EINVAL,
	       "root cell CPU set size 12 is not a multiple of 8 bytes (a bitmap of unsigned longs)");
	good_system(&s);
	s.cpus[0] = 0;
	expect("CPU set without CPUs", &s, SYS, WD_CHECK_CPU_SET, -EINVAL,
	       "root cell CPU set has no CPU");
	good_cell(&s);
	s.cpus[0] = 0;
	expect("cell CPU set without CPUs", &s, CELL, WD_CHECK_CPU_SET, -EINVAL,
	       "cell 'demo': CPU set has no CPU");
}

static void test_mem_size(void)
{
	struct spec s;

	good_system(&s);
	s.mem[2] = region(0xfffffffffff00000ULL, 0x70000000, 0x200000, RWXD);
	expect("region wrapping physically", &s, SYS, WD_CHECK_MEM_SIZE, -EOVERFLOW,
	       "memory region #2 (phys 0xfffffffffff00000, size 0x200000) wraps around the address space");
	good_cell(&s);
	s.mem[0] = region(0x7fa00000, 0xffffffffffff0000ULL, 0x20000, RWXD);
	expect("cell region wrapping in guest space", &s, CELL, WD_CHECK_MEM_SIZE, -EOVERFLOW,
	       "cell 'demo': memory region #0 (virt 0xffffffffffff0000, size 0x20000) wraps around the address space");
}

static void test_mem_flags(void)
{
	struct spec s;

	good_system(&s);
	s.mem[0].flags |= 0x200;
	expect("unknown region flag", &s, SYS, WD_CHECK_MEM_FLAGS, -EINVAL,
	       "memory region #0 (phys 0x40000000-0x6fffffff) has unknown flags 0x200");
	good_system(&s);
	s.mem[2].flags |= 0x100000ULL << 4;
	expect("unknown high region flag", &s, SYS, WD_CHECK_MEM_FLAGS, -EINVAL,
	       "memory region #2 (phys 0x70000000-0x7fbfffff) has unknown flags 0x1000000");
	good_cell(&s);
	s.mem[0].flags |= WD_MEM_IO_32 | WD_MEM_IO_UNALIGNED;
	expect("I/O access flags on RAM", &s, CELL, WD_CHECK_MEM_FLAGS, -EINVAL,
	       "cell 'demo': memory region #0 (phys 0x7fa00000-0x7fa0ffff) has I/O access flags 0x48000 but not IO");
}

static void test_mem_alignment(void)
{
	struct spec s;

	good_system(&s);
	s.mem[0].phys_start = 0x40000800;
	expect("unaligned physical start", &s, SYS, WD_CHECK_MEM_ALIGNMENT, -EINVAL,
	       "memory region #0 phys_start 0x40000800 is not page aligned");
	good_system(&s);
	s.mem[1].phys_start = 0x09000100;	/* IO, but mapped: virt and size are aligned */
	expect("unaligned physical start of a mapped I/O region", &s, SYS,
	       WD_CHECK_MEM_ALIGNMENT, -EINVAL,
	       "memory region #1 phys_start 0x9000100 is not page aligned");
	good_cell(&s);
	s.mem[0].virt_start = 0x800;
	expect("unaligned guest start of RAM", &s, CELL, WD_CHECK_MEM_ALIGNMENT, -EINVAL,
	       "cell 'demo': memory region #0 virt_start 0x800 is not page aligned");
	good_cell(&s);
	s.mem[0].size = 0x10800;
	expect("unaligned size of RAM", &s, CELL, WD_CHECK_MEM_ALIGNMENT, -EINVAL,
	       "cell 'demo': memory region #0 size 0x10800 is not page aligned");
}

static void test_mem_overlap(void)
{
	struct spec s;

	good_system(&s);
	s.mem[3] = region(0x7fe00000, 0x6ffff000, 0x2000, RWXD);
	expect("regions overlapping in guest space", &s, SYS, WD_CHECK_MEM_OVERLAP, -EINVAL,
	       "memory regions #0 (virt 0x40000000-0x6fffffff) and #3 (virt 0x6ffff000-0x70000fff) overlap in guest-physical space");
	good_cell(&s);
	s.mem[1] = region(0x09040000, 0x80000000, 0x1000, RWIO);
	expect("cell regions at the same guest address", &s, CELL, WD_CHECK_MEM_OVERLAP, -EINVAL,
	       "cell 'demo': memory regions #1 (virt 0x80000000-0x80000fff) and #2 (virt 0x80000000-0x80000fff) overlap in guest-physical space");
}

static void test_irqchip(void)
{
	struct spec s;

	good_system(&s);
	s.irq[1].pin_base = 40;
	expect("pin_base not a multiple of 32", &s, SYS, WD_CHECK_IRQCHIP, -EINVAL,
	       "irqchip #1 pin_base 40 is not a multiple of 32");
	good_system(&s);
	s.irq[0].address = 0x08010000;
	expect("irqchip not at the distributor", &s, SYS, WD_CHECK_IRQCHIP, -EINVAL,
	       "irqchip #0 address 0x8010000 is not the GIC distributor 0x8000000");
	good_cell(&s);
	s.irq[0].address = 0;
	expect("cell irqchip without address", &s, CELL, WD_CHECK_IRQCHIP, -EINVAL,
	       "cell 'demo': irqchip #0 has address 0 (expected the GIC distributor)");
}

static void test_pci(void)
{
	struct spec s;

	good_system(&s);
	s.pci[0].caps_start = 1;
	expect("PCI capabilities past the array", &s, SYS, WD_CHECK_PCI, -ERANGE,
	       "PCI device #0 (00:01.0) uses capabilities #1-#2 but the cell has 2");
	good_system(&s);
	s.pci[0].caps_start = 0xffff;
	s.pci[0].num_caps = 0xffff;
	expect("PCI capability indices near 2^16", &s, SYS, WD_CHECK_PCI, -ERANGE,
	       "PCI device #0 (00:01.0) uses capabilities #65535-#131069 but the cell has 2");
	good_system(&s);
	s.pci[0].type = 7;
	s.pci[0].bdf = 0x1a3b;
	expect("unknown PCI device type", &s, SYS, WD_CHECK_PCI, -EINVAL,
	       "PCI device #0 (1a:07.3) has unknown type 7");
}

static void test_subpage(void)
{
	struct spec s;

	good_system(&s);
	s.mem[3] = region(0x09030800, 0x09030800, 0x100, RWIO | WD_MEM_IO_32);
	expect("sub-page I/O region", &s, SYS, WD_CHECK_MEM_SUBPAGE, -EOPNOTSUPP,
	       "memory region #3 (phys 0x9030800, virt 0x9030800, size 0x100) is a sub-page I/O region: Warden maps whole pages and does not support sub-page regions");
	good_cell(&s);
	s.mem[1].size = 0x1800;
	expect("I/O region of a page and a half", &s, CELL, WD_CHECK_MEM_SUBPAGE, -EOPNOTSUPP,
	       "cell 'demo': memory region #1 (phys 0x9040000, virt 0x9040000, size 0x1800) is a sub-page I/O region: Warden maps whole pages and does not support sub-page regions");
}

static void test_comm_region(void)
{
	struct spec s;

	good_cell(&s);
	s.mem[3] = region(0, 0x80001000, 0x1000, WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION);
	s.n_mem = 4;
	expect("two comm regions", &s, CELL, WD_CHECK_COMM_REGION, -EINVAL,
	       "cell 'demo': memory regions #2 and #3 are both comm regions: a cell has one");
}

static void test_loadable(void)
{
	struct spec s;

	good_cell(&s);
	s.mem[0].flags &= ~(__u64)WD_MEM_WRITE;
	expect("LOADABLE without WRITE", &s, CELL, WD_CHECK_LOADABLE, -EINVAL,
	       "cell 'demo': memory region #0 (phys 0x7fa00000-0x7fa0ffff) is LOADABLE but not WRITE: no image can be loaded into it");
	good_cell(&s);
	s.mem[1].flags |= WD_MEM_LOADABLE;
	expect("LOADABLE I/O region", &s, CELL, WD_CHECK_LOADABLE, -EINVAL,
	       "cell 'demo': memory region #1 (phys 0x9040000-0x9040fff) is LOADABLE and IO: images are loaded into RAM only");
	good_cell(&s);
	s.mem[2].flags |= WD_MEM_LOADABLE;
	expect("LOADABLE comm region", &s, CELL, WD_CHECK_LOADABLE, -EINVAL,
	       "cell 'demo': memory region #2 (phys 0x0-0xfff) is LOADABLE and the comm region: images are loaded into RAM only");
}

static void test_cell_flags(void)
{
	struct spec s;

	good_cell(&s);
	s.sys.root_cell.flags = WD_CELL_AARCH32;
	expect("AArch32 cell", &s, CELL, WD_CHECK_CELL_FLAGS, -EOPNOTSUPP,
	       "cell 'demo': flag AARCH32 (0x4): AArch32 cells are not supported");
	good_cell(&s);
	s.sys.root_cell.flags = WD_CELL_PASSIVE_COMMREG | 0x100;
	expect("unknown cell flag", &s, CELL, WD_CHECK_CELL_FLAGS, -EINVAL,
	       "cell 'demo': flags 0x101 have unknown bits 0x100");
	good_system(&s);
	s.sys.root_cell.flags = 0x20000000;
	expect("unknown root cell flag", &s, SYS, WD_CHECK_CELL_FLAGS, -EINVAL,
	       "root cell flags 0x20000000 have unknown bits 0x20000000");
	good_system(&s);
	s.sys.flags = WD_SYS_VIRTUAL_DEBUG_CONSOLE | 0x8;
	expect("unknown system flag", &s, SYS, WD_CHECK_CELL_FLAGS, -EINVAL,
	       "system flags 0x9 have unknown bits 0x8");
}

static void test_stream_ids(void)
{
	struct spec s;

	good_cell(&s);
	s.sids[0].id = 0x10;
	s.sids[1].id = 0x11;
	s.sids[2].id = 0x10;
	s.n_sids = 3;
	expect("stream id twice in a cell", &s, CELL, WD_CHECK_STREAM_ID, -EINVAL,
	       "cell 'demo': stream ids #0 and #2 are both 0x10");
	s.sids[2].id = 0x12;
	OK("three different stream ids", &s, CELL);
}

static void test_gic_mapped(void)
{
	struct spec s;

	good_system(&s);
	s.mem[3] = region(0x08000000, 0x08000000, 0x1000, RWIO);
	expect("region over the GIC distributor", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "memory region #3 (phys 0x8000000-0x8000fff) maps the GIC distributor 0x8000000-0x800ffff, which only the hypervisor may access");
	good_system(&s);
	s.mem[3] = region(0x08100000, 0x08100000, 0x20000, RWIO);
	expect("region over the last redistributor of 4 CPUs", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "memory region #3 (phys 0x8100000-0x811ffff) maps the GIC redistributors 0x80a0000-0x811ffff, which only the hypervisor may access");
	s.mem[3] = region(0x08120000, 0x08120000, 0x20000, RWIO);
	OK("region right after the redistributors of 4 CPUs", &s, SYS);
	good_system(&s);
	s.sys.platform.arm.gic_version = 2;
	s.sys.platform.arm.gicr_base = 0;
	s.sys.platform.arm.gicc_base = 0x08010000;
	s.sys.platform.arm.gich_base = 0x08030000;
	s.sys.platform.arm.gicv_base = 0x08040000;
	s.mem[3] = region(0x08030000, 0x08030000, 0x1000, RWIO);
	expect("region over the GICv2 hypervisor interface", &s, SYS, WD_CHECK_GIC, -EINVAL,
	       "memory region #3 (phys 0x8030000-0x8030fff) maps the GIC hypervisor interface 0x8030000-0x8031fff, which only the hypervisor may access");
}

static void test_irq_range(void)
{
	struct spec s;

	good_system(&s);
	irqchip(&s.irq[1], 0x08000000, 992);
	expect("irqchip past the last SPI", &s, SYS, WD_CHECK_IRQCHIP, -EINVAL,
	       "irqchip #1 claims interrupt 1119, beyond the last SPI 1019");
	s.irq[1].pin_bitmap[0] = 0x0fffffff;	/* 992..1019 */
	s.irq[1].pin_bitmap[1] = 0;
	s.irq[1].pin_bitmap[2] = 0;
	s.irq[1].pin_bitmap[3] = 0;
	OK("irqchip up to SPI 1019", &s, SYS);
	good_cell(&s);
	irqchip(&s.irq[0], 0x08000000, 0);
	memset(s.irq[0].pin_bitmap, 0, sizeof(s.irq[0].pin_bitmap));
	s.irq[0].pin_bitmap[0] = 1U << 27;
	expect("cell claims the virtual timer PPI", &s, CELL, WD_CHECK_IRQCHIP, -EINVAL,
	       "cell 'demo': irqchip #0 claims interrupt 27, an SGI or PPI: only SPIs (32-1019) can be given to a cell");
	good_system(&s);
	irqchip(&s.irq[0], 0x08000000, 0);
	OK("the root cell may list SGIs and PPIs", &s, SYS);
}

static void test_pci_more(void)
{
	struct spec s;

	good_system(&s);
	s.pci[1] = s.pci[0];
	s.pci[1].num_caps = 0;
	s.n_pci = 2;
	expect("two PCI devices at one address", &s, SYS, WD_CHECK_PCI, -EINVAL,
	       "PCI devices #0 and #1 are both 0000:00:01.0");
	s.pci[1].domain = 1;
	OK("same BDF in another domain", &s, SYS);
	good_system(&s);
	s.pci[0].iommu = 8;
	expect("PCI device names IOMMU unit 8", &s, SYS, WD_CHECK_PCI, -ERANGE,
	       "PCI device #0 (00:01.0) names IOMMU unit 8, but there are 8");
	good_system(&s);
	s.sys.platform.pci_mmconfig_base = 0;
	expect("PCI devices without PCI configuration space", &s, SYS, WD_CHECK_PCI, -EINVAL,
	       "root cell 1 PCI devices, but the system has no PCI configuration space (pci_mmconfig_base 0)");

	/* ivshmem: state table, common region, one output region per peer */
	good_system(&s);
	s.pci[0].type = WD_PCI_TYPE_IVSHMEM;
	s.pci[0].shmem_regions_start = 1;
	s.pci[0].shmem_peers = 2;
	expect("ivshmem regions past the array", &s, SYS, WD_CHECK_PCI, -ERANGE,
	       "ivshmem PCI device #0 (00:01.0) uses memory regions #1-#4 but the cell has 4");
	s.pci[0].shmem_regions_start = 4;
	s.pci[0].bar_mask[0] = 0xfffff000;
	s.mem[2].size = 0x0fb00000;
	s.mem[4] = region(0x7fb00000, 0x7fb00000, 0x1000, WD_MEM_READ);
	s.mem[5] = region(0x7fb01000, 0x7fb01000, 0x1000, WD_MEM_READ | WD_MEM_WRITE);
	s.mem[6] = region(0x7fb02000, 0x7fb02000, 0x1000, WD_MEM_READ | WD_MEM_WRITE);
	s.mem[7] = region(0x7fb03000, 0x7fb03000, 0x1000, WD_MEM_READ);
	s.n_mem = 8;
	OK("ivshmem with 2 peers and 4 regions", &s, SYS);
	s.mem[5] = region(0, 0, 0, 0);
	s.mem[6].virt_start = s.mem[6].phys_start = 0x7fb01000;
	s.mem[7].virt_start = s.mem[7].phys_start = 0x7fb02000;
	OK("ivshmem common region may be empty (Jailhouse leaves it so)", &s, SYS);
	s.mem[2].size = 0x0fc00000;
	s.mem[4].virt_start = 0xa0000000;
	s.mem[6].virt_start = 0xa0001000;
	s.mem[7].virt_start = 0xa0002000;
	expect("ivshmem memory inside the root's RAM region", &s, SYS, WD_CHECK_IVSHMEM, -EINVAL,
	       "ivshmem 00:01.0: memory region #4 (state table, phys 0x7fb00000-0x7fb00fff) overlaps memory region #2");
	good_system(&s);
	s.pci[0].type = WD_PCI_TYPE_IVSHMEM;
	s.pci[0].shmem_peers = 2;
	s.pci[0].shmem_dev_id = 2;
	expect("ivshmem peer id out of range", &s, SYS, WD_CHECK_PCI, -EINVAL,
	       "ivshmem PCI device #0 (00:01.0) has peer id 2, but only 2 peers");
	s.pci[0].shmem_dev_id = 0;
	s.pci[0].shmem_peers = 0;
	expect("ivshmem without peers", &s, SYS, WD_CHECK_PCI, -EINVAL,
	       "ivshmem PCI device #0 (00:01.0) has 0 peers");
	good_cell(&s);
	s.pci[0].type = WD_PCI_TYPE_IVSHMEM;
	s.pci[0].bdf = 0x0010;	/* 00:02.0 */
	s.pci[0].shmem_peers = 1;
	s.n_pci = 1;
	expect("ivshmem uses the comm region", &s, CELL, WD_CHECK_PCI, -EINVAL,
	       "cell 'demo': ivshmem PCI device #0 (00:02.0) uses memory region #2, the comm region");
}

static void test_iommu_overlap(void)
{
	struct spec s;

	good_system(&s);
	s.sys.platform.iommu_units[2] = s.sys.platform.iommu_units[0];
	s.sys.platform.iommu_units[2].base = 0x09060000;
	expect("two IOMMU units overlap", &s, SYS, WD_CHECK_IOMMU, -EINVAL,
	       "IOMMU units #0 (0x9050000-0x906ffff) and #2 (0x9060000-0x907ffff) overlap");
	s.sys.platform.iommu_units[2].base = 0x09050000;
	expect("two IOMMU units at one base", &s, SYS, WD_CHECK_IOMMU, -EINVAL,
	       "IOMMU units #0 (0x9050000-0x906ffff) and #2 (0x9050000-0x906ffff) overlap");
	s.sys.platform.iommu_units[2].base = 0x09070000;
	OK("two adjacent IOMMU units", &s, SYS);
	good_system(&s);
	s.sys.platform.iommu_units[0].base = 0xffffffffffff0000ULL;
	expect("IOMMU unit wraps", &s, SYS, WD_CHECK_IOMMU, -EOVERFLOW,
	       "IOMMU unit #0 (SMMUv3) at 0xffffffffffff0000 size 0x20000 wraps around the address space");
}

static void test_console_in_hv(void)
{
	struct spec s;

	good_system(&s);
	s.sys.debug_console.address = 0x7fd00000;
	expect("debug console inside hypervisor memory", &s, SYS, WD_CHECK_CONSOLE, -EINVAL,
	       "debug console PL011 at 0x7fd00000 is inside hypervisor memory");
}

/*
 * Jailhouse's own configurations, as its C sources produce them: the root
 * cell descriptor's signature, architecture and revision left zero, size-0
 * placeholder regions anywhere, ivshmem devices with nothing behind them.
 */
static void test_jailhouse_style(void)
{
	static __u8 buf[MAX_BLOB];
	struct wd_system_config *h = (struct wd_system_config *)buf;
	struct spec s;
	size_t n;

	good_system(&s);
	memset(s.sys.root_cell.signature, 0, WD_SIGNATURE_LEN);
	s.sys.root_cell.architecture = 0;
	s.sys.root_cell.revision = 0;
	OK("root cell descriptor with signature, architecture and revision all zero", &s, SYS);
	memcpy(s.sys.root_cell.signature, "JHCLL", 5);
	expect("root cell with a signature but revision 0", &s, SYS, WD_CHECK_REVISION,
	       -ENOEXEC, "root cell revision 0 is not supported (expected 14)");
	memset(s.sys.root_cell.signature, 0, WD_SIGNATURE_LEN);
	s.sys.root_cell.revision = WD_CONFIG_REVISION;
	expect("root cell with revision 14 but no signature", &s, SYS, WD_CHECK_SIGNATURE,
	       -ENOEXEC, "root cell signature \"?????\" is not \"JHCLL\"");
	s.sys.root_cell.revision = 0;
	s.sys.root_cell.architecture = WD_ARCH_ARM64;
	expect("root cell with only the architecture set", &s, SYS, WD_CHECK_SIGNATURE,
	       -ENOEXEC, "root cell signature \"?????\" is not \"JHCLL\"");
	good_system(&s);
	s.sys.signature[0] = 0;
	memset(s.sys.root_cell.signature, 0, WD_SIGNATURE_LEN);
	s.sys.root_cell.revision = 0;
	s.sys.root_cell.architecture = 0;
	expect("the system header must still be right", &s, SYS, WD_CHECK_SIGNATURE,
	       -ENOEXEC, "signature \"?HSYS\" is not \"JHSYS\" (not a system configuration)");
	/* the header-only check the driver runs first passes as well */
	good_system(&s);
	memset(s.sys.root_cell.signature, 0, WD_SIGNATURE_LEN);
	s.sys.root_cell.architecture = 0;
	s.sys.root_cell.revision = 0;
	build(&s, SYS, buf);
	expect_blob("zeroed root descriptor, header alone", buf, sizeof(struct wd_system_config),
		    SYS, WD_CHECK_SIZE_MISMATCH, -EOVERFLOW,
		    "root cell arrays need 760 bytes but the file has 488");

	/* Size-0 placeholders: anywhere, with any known flags, in any cell */
	good_system(&s);
	s.mem[1].size = 0;
	OK("size-0 I/O region in the root cell", &s, SYS);
	s.mem[4] = region(0, 0, 0, 0);
	s.n_mem = 5;
	OK("all-zero region in the root cell", &s, SYS);
	s.mem[4] = region(0x123, 0x70000456, 0, RWXD | WD_MEM_LOADABLE);
	OK("size-0 region with unaligned addresses and flags", &s, SYS);
	s.mem[4].flags = 1ULL << 40;
	expect("size-0 region with unknown flags", &s, SYS, WD_CHECK_MEM_FLAGS, -EINVAL,
	       "memory region #4 (phys 0x123, virt 0x70000456, size 0) has unknown flags 0x10000000000");
	good_cell(&s);
	s.mem[3] = region(0x7fa00000, 0x1000, 0, RWXD);
	s.n_mem = 4;
	OK("size-0 region overlapping the cell's RAM", &s, CELL);
	s.mem[3] = region(0, 0x90000000, 0, WD_MEM_READ | WD_MEM_COMM_REGION);
	OK("size-0 comm region next to the real one is a placeholder", &s, CELL);
	s.mem[0].size = 0;
	s.mem[3] = region(0x7fb00000, 0, 0x10000, RWXD | WD_MEM_LOADABLE);
	OK("size-0 first RAM region, RAM in another", &s, CELL);

	/* One size limit for driver, tool and hypervisor */
	good_system(&s);
	n = build(&s, SYS, buf);
	h->root_cell.num_memory_regions = (WD_CHECK_MAX_CONFIG_SIZE - 400) / 32;
	expect_blob("configuration over the size limit", buf, n, SYS, WD_CHECK_SIZE_MISMATCH,
		    -EOVERFLOW, "root cell arrays need 262360 bytes but the file has 760");
	{
		/* the same counts with the bytes there: the limit */
		__u8 *big = calloc(1, 262360);

		memcpy(big, buf, n);
		expect_blob("whole configuration over the size limit", big, 262360, SYS,
			    WD_CHECK_SIZE_MISMATCH, -E2BIG,
			    "configuration of 262360 bytes exceeds the limit of 262144 bytes");
		free(big);
	}

	/* ivshmem devices: the link memory rules (a 2-peer link, this cell is peer 1) */
	good_cell(&s);
	s.mem[3] = region(0x7faf0000, 0x7faf0000, 0x1000, WD_MEM_READ | WD_MEM_ROOTSHARED);
	s.mem[4] = region(0, 0, 0, 0);
	s.mem[5] = region(0x7faf1000, 0x7faf1000, 0x1000, WD_MEM_READ | WD_MEM_ROOTSHARED);
	s.mem[6] = region(0x7faf2000, 0x7faf2000, 0x1000, RWXD | WD_MEM_ROOTSHARED);
	s.n_mem = 7;
	s.pci[0].type = WD_PCI_TYPE_IVSHMEM;
	s.pci[0].bdf = 0x0008;
	s.pci[0].bar_mask[0] = 0xfffff000;
	s.pci[0].shmem_regions_start = 3;
	s.pci[0].shmem_dev_id = 1;
	s.pci[0].shmem_peers = 2;
	s.n_pci = 1;
	OK("cell with an ivshmem device and an empty R/W section", &s, CELL);
	s.mem[3].flags |= WD_MEM_WRITE;
	expect("ivshmem: a writable state table", &s, CELL, WD_CHECK_IVSHMEM, -EINVAL,
	       "cell 'demo': ivshmem 00:01.0: memory region #3 (state table) is writable: only the hypervisor writes it");
	s.mem[3].flags &= ~(__u64)WD_MEM_WRITE;
	s.mem[5].flags |= WD_MEM_WRITE;
	expect("ivshmem: another peer's output writable", &s, CELL, WD_CHECK_IVSHMEM, -EINVAL,
	       "cell 'demo': ivshmem 00:01.0: memory region #5 (output section of peer 0) is writable, but this is peer 1");
	s.mem[5].flags &= ~(__u64)WD_MEM_WRITE;
	s.mem[6].size = 0x2000;
	expect("ivshmem: output sections of different sizes", &s, CELL, WD_CHECK_IVSHMEM, -EINVAL,
	       "cell 'demo': ivshmem 00:01.0: memory region #6 (output section of peer 1) has size 0x2000, peer 0's has 0x1000");
	s.mem[6].size = 0x1000;
	s.mem[6].virt_start = 0x7faf3000;
	OK("ivshmem: sections not back to back are only a warning", &s, CELL);
	s.mem[6].virt_start = 0x7faf2000;
	s.mem[5].flags &= ~(__u64)WD_MEM_ROOTSHARED;
	expect("ivshmem: cell link memory not root-shared", &s, CELL, WD_CHECK_IVSHMEM, -EINVAL,
	       "cell 'demo': ivshmem 00:01.0: memory region #5 (output section) is not ROOTSHARED: the cell would take the link's memory from the root cell");
	s.mem[5].flags |= WD_MEM_ROOTSHARED;
	s.mem[0] = region(0x7faf0000, 0, 0x10000, RWXD | WD_MEM_LOADABLE);
	expect("ivshmem: link memory overlapping the cell's RAM", &s, CELL, WD_CHECK_IVSHMEM,
	       -EINVAL,
	       "cell 'demo': ivshmem 00:01.0: memory region #3 (state table, phys 0x7faf0000-0x7faf0fff) overlaps memory region #0");
	s.mem[0] = region(0x7fa00000, 0, 0x10000, RWXD | WD_MEM_LOADABLE);
	s.pci[0].bar_mask[0] = 0xfffff800;
	expect("ivshmem: a BAR smaller than a page", &s, CELL, WD_CHECK_IVSHMEM, -EINVAL,
	       "cell 'demo': ivshmem 00:01.0: BAR 0 mask 0xfffff800 is not that of a power-of-two size of at least 4 KiB");
	s.pci[0].bar_mask[0] = 0xfffff000;
	s.pci[0].bar_mask[1] = 0xfffff000;
	s.pci[0].num_msix_vectors = 17;
	expect("ivshmem: too many MSI-X vectors", &s, CELL, WD_CHECK_IVSHMEM, -EINVAL,
	       "cell 'demo': ivshmem 00:01.0: 17 MSI-X vectors, 1 to 16 are supported");
	s.pci[0].num_msix_vectors = 2;
	OK("ivshmem with MSI-X", &s, CELL);
	s.pci[0].shmem_peers = 13;
	s.pci[0].bar_mask[1] = 0;
	expect("ivshmem: more peers than the regions", &s, CELL, WD_CHECK_PCI, -ERANGE,
	       "cell 'demo': ivshmem PCI device #0 (00:01.0) uses memory regions #3-#17 but the cell has 7");
}

static void test_kind_names(void)
{
	unsigned int i, j;
	int ok = 1;

	for (i = 0; i < WD_CHECK_KIND_COUNT; i++) {
		const char *n = wd_check_kind_name((enum wd_check_kind)i);

		if (!n || !*n || strcmp(n, "unknown") == 0)
			ok = 0;
		for (j = 0; j < i; j++)
			if (strcmp(n, wd_check_kind_name((enum wd_check_kind)j)) == 0)
				ok = 0;
	}
	CHECK("every kind has its own name", ok);
	CHECK_STR("kind name of signature", wd_check_kind_name(WD_CHECK_SIGNATURE), "signature");
	CHECK_STR("kind name of hv-overlap", wd_check_kind_name(WD_CHECK_HV_OVERLAP),
		  "hv-overlap");
	CHECK_STR("kind name out of range", wd_check_kind_name(WD_CHECK_KIND_COUNT), "unknown");
}

/*
 * Random corruption of good configurations (seeded, so reproducible): the
 * validator must never read past the blob (run with a sanitizer to see that)
 * and must either accept or give a negative errno, a kind and a message.
 */
static void test_mutations(void)
{
	static __u8 good[2][MAX_BLOB], buf[MAX_BLOB];
	size_t n[2];
	struct spec s;
	__u32 rng = 12345;
	unsigned int i, k, bad = 0, rejected = 0;

	good_system(&s);
	n[0] = build(&s, SYS, good[0]);
	good_cell(&s);
	n[1] = build(&s, CELL, good[1]);

	for (i = 0; i < 20000; i++) {
		int is_cell = i & 1;
		size_t len = n[is_cell];
		struct wd_check_result res;
		int ret;

		memcpy(buf, good[is_cell], len);
		for (k = 0; k < 1 + i % 4; k++) {
			rng = rng * 1103515245 + 12345;
			buf[(rng >> 8) % len] ^= (__u8)(1u << ((rng >> 4) & 7));
		}
		rng = rng * 1103515245 + 12345;
		if ((rng >> 16) % 8 == 0)
			len = (rng >> 3) % len;
		ret = run(buf, len, is_cell, &res);
		if (ret) {
			rejected++;
			if (ret >= 0 || res.error != ret || res.kind == WD_CHECK_OK ||
			    !res.msg[0] || strnlen(res.msg, sizeof(res.msg)) == sizeof(res.msg))
				bad++;
		} else if (res.kind != WD_CHECK_OK || res.msg[0]) {
			bad++;
		}
	}
	CHECK("mutated configurations give an errno, a kind and a message", bad == 0);
	/* about 57% with the seed above; a validator that let most through would fail */
	CHECK("most mutations are caught", rejected > 20000 / 3);
}

int main(void)
{
	test_good();
	test_truncated();
	test_signature();
	test_revision();
	test_architecture();
	test_size();
	test_name();
	test_hv_memory();
	test_hv_overlap();
	test_console();
	test_gic();
	test_iommu();
	test_cpu_set();
	test_mem_size();
	test_mem_flags();
	test_mem_alignment();
	test_mem_overlap();
	test_irqchip();
	test_pci();
	test_subpage();
	test_comm_region();
	test_loadable();
	test_cell_flags();
	test_stream_ids();
	test_gic_mapped();
	test_irq_range();
	test_pci_more();
	test_iommu_overlap();
	test_console_in_hv();
	test_jailhouse_style();
	test_kind_names();
	test_mutations();
	return CHECK_DONE();
}
