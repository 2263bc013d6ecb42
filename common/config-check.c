// SPDX-License-Identifier: GPL-2.0
/*
 * The one validator for system and cell configurations (config-check.h).
 *
 * It is compiled into the driver, the tool, the host unit tests and the
 * hypervisor, so it uses nothing but snprintf/memcmp/memset/strnlen (below),
 * never allocates, and reads the blob only after proving each read is inside
 * it. Every failure fills in one message naming the object; the messages are
 * part of the interface (tests assert them verbatim, users grep for them).
 *
 * Order of the checks: what decides how to read the rest comes first
 * (signature, revision, architecture, then whether the arrays fit), so that a
 * caller holding only the fixed-size header can run the check on it and get
 * every header error before the size error (the driver does this before it
 * copies the rest of a configuration it only has a pointer to).
 */

/*
 * The environment, inline so that the file builds wherever it is copied or
 * symlinked (the driver's Kbuild tree): only the include path to
 * include/warden is assumed.
 *  - Linux driver (__KERNEL__): the kernel's headers;
 *  - hypervisor (__WARDEN_FREESTANDING__): it links its own snprintf, memcmp,
 *    memset and strnlen; declared here so nothing depends on the name of a
 *    hypervisor header. Errors are Linux errno values everywhere (they travel
 *    through hypercalls and ioctls);
 *  - tool and host unit tests: the C library.
 */
#if defined(__KERNEL__)
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#elif defined(__WARDEN_FREESTANDING__)
int snprintf(char *buf, __SIZE_TYPE__ size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int memcmp(const void *a, const void *b, __SIZE_TYPE__ n);
void *memset(void *s, int c, __SIZE_TYPE__ n);
__SIZE_TYPE__ strnlen(const char *s, __SIZE_TYPE__ maxlen);
#ifndef E2BIG
#define E2BIG		7
#endif
#ifndef ENOEXEC
#define ENOEXEC		8
#endif
#ifndef EBUSY
#define EBUSY		16
#endif
#ifndef EINVAL
#define EINVAL		22
#endif
#ifndef ENOSPC
#define ENOSPC		28
#endif
#ifndef ERANGE
#define ERANGE		34
#endif
#ifndef EOVERFLOW
#define EOVERFLOW	75
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP	95
#endif
#else
#include <errno.h>
#include <stdio.h>
#include <string.h>
/* POSIX, not ISO C (hidden by -std=c11); the same declaration as the C library's */
size_t strnlen(const char *s, size_t maxlen);
#endif

#include "warden/config-check.h"

/* Granule of stage-2 mappings: regions that are mapped must be multiples of it. */
#define WD_CHECK_PAGE_SIZE		0x1000ULL

/*
 * The smallest hypervisor memory accepted. The image, per-CPU data for up to
 * CONFIG_WD_MAX_CPUS CPUs, the console ring, the configuration copy and a page
 * pool must fit; anything under 1 MiB cannot hold them in any build. The driver
 * still checks the exact need of the image it loads.
 */
#define WD_CHECK_MIN_HV_MEMORY		0x100000ULL

/* A CPU set larger than this (bytes, i.e. 1024 CPUs) is a corrupt count. */
#define WD_CHECK_MAX_CPU_SET_SIZE	128U

/* The CPU set is a bitmap of 64-bit unsigned longs on arm64. */
#define WD_CHECK_CPU_SET_UNIT		8U

#define WD_MEM_KNOWN_FLAGS \
	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA | WD_MEM_IO | \
	 WD_MEM_COMM_REGION | WD_MEM_LOADABLE | WD_MEM_ROOTSHARED | \
	 WD_MEM_NO_HUGEPAGES | WD_MEM_IO_UNALIGNED | WD_MEM_IO_ACCESS_FLAGS)

/* Flags that only mean something for trapped (sub-page) I/O regions. */
#define WD_MEM_IO_ACCESS_FLAGS \
	(WD_MEM_IO_UNALIGNED | WD_MEM_IO_8 | WD_MEM_IO_16 | WD_MEM_IO_32 | WD_MEM_IO_64)

/* Fills in res->msg and returns the error; a macro because only snprintf is available. */
#define FAIL(res, kind, err, ...)						\
	((void)snprintf((res)->msg, sizeof((res)->msg), __VA_ARGS__),		\
	 fail_set((res), (kind), (err)))

struct check_ctx {
	struct wd_check_result *res;
	/* NULL when checking a cell configuration on its own */
	const struct wd_system_config *sys;
	/* Put before messages about one array entry: "" or "cell 'demo': " */
	const char *prefix;
	/* Put before messages about the cell itself: "root cell " or "cell 'demo': " */
	const char *subject;
	char name_buf[WD_CELL_NAME_LEN + 16];
};

static int fail_set(struct wd_check_result *res, enum wd_check_kind kind, int err)
{
	res->error = err;
	res->kind = kind;
	return err;
}

static void result_init(struct wd_check_result *res)
{
	memset(res, 0, sizeof(*res));
	res->kind = WD_CHECK_OK;
}

static const char *const kind_names[WD_CHECK_KIND_COUNT] = {
	[WD_CHECK_OK] = "ok",
	[WD_CHECK_TRUNCATED] = "truncated",
	[WD_CHECK_SIGNATURE] = "signature",
	[WD_CHECK_REVISION] = "revision",
	[WD_CHECK_ARCHITECTURE] = "architecture",
	[WD_CHECK_SIZE_MISMATCH] = "size-mismatch",
	[WD_CHECK_CPU_SET] = "cpu-set",
	[WD_CHECK_MEM_ALIGNMENT] = "mem-alignment",
	[WD_CHECK_MEM_SIZE] = "mem-size",
	[WD_CHECK_MEM_OVERLAP] = "mem-overlap",
	[WD_CHECK_MEM_FLAGS] = "mem-flags",
	[WD_CHECK_HV_MEMORY] = "hv-memory",
	[WD_CHECK_HV_OVERLAP] = "hv-overlap",
	[WD_CHECK_IRQCHIP] = "irqchip",
	[WD_CHECK_GIC] = "gic",
	[WD_CHECK_CONSOLE] = "console",
	[WD_CHECK_NAME] = "name",
	[WD_CHECK_PCI] = "pci",
	[WD_CHECK_IOMMU] = "iommu",
	[WD_CHECK_MEM_SUBPAGE] = "mem-subpage",
	[WD_CHECK_COMM_REGION] = "comm-region",
	[WD_CHECK_LOADABLE] = "loadable",
	[WD_CHECK_ENTRY] = "entry",
	[WD_CHECK_CELL_FLAGS] = "cell-flags",
	[WD_CHECK_STREAM_ID] = "stream-id",
	[WD_CHECK_UNUSED] = "unused",
	[WD_CHECK_CPU_NOT_IN_ROOT] = "cpu-not-in-root",
	[WD_CHECK_CPU_CONFLICT] = "cpu-conflict",
	[WD_CHECK_ROOT_CPU] = "root-cpu",
	[WD_CHECK_MEM_NOT_IN_ROOT] = "mem-not-in-root",
	[WD_CHECK_MEM_CONFLICT] = "mem-conflict",
	[WD_CHECK_IRQ_NOT_IN_ROOT] = "irq-not-in-root",
	[WD_CHECK_IRQ_CONFLICT] = "irq-conflict",
};

const char *wd_check_severity_name(enum wd_check_severity sev)
{
	return sev == WD_CHECK_WARNING ? "warning" : "error";
}

const char *wd_check_kind_name(enum wd_check_kind kind)
{
	if ((unsigned int)kind >= WD_CHECK_KIND_COUNT || !kind_names[kind])
		return "unknown";
	return kind_names[kind];
}

static const char *arch_name(unsigned int arch)
{
	switch (arch) {
	case WD_ARCH_X86:
		return "x86";
	case WD_ARCH_ARM:
		return "arm";
	case WD_ARCH_ARM64:
		return "arm64";
	default:
		return "unknown";
	}
}

static const char *console_type_name(unsigned int type)
{
	static const char *const names[] = {
		[WD_CON_TYPE_NONE] = "NONE",
		[WD_CON_TYPE_EFIFB] = "EFIFB",
		[WD_CON_TYPE_8250] = "8250",
		[WD_CON_TYPE_PL011] = "PL011",
		[WD_CON_TYPE_XUARTPS] = "XUARTPS",
		[WD_CON_TYPE_MVEBU] = "MVEBU",
		[WD_CON_TYPE_HSCIF] = "HSCIF",
		[WD_CON_TYPE_SCIFA] = "SCIFA",
		[WD_CON_TYPE_IMX] = "IMX",
		[WD_CON_TYPE_IMX_LPUART] = "IMX_LPUART",
		[WD_CON_TYPE_SCIF] = "SCIF",
	};

	if (type >= sizeof(names) / sizeof(names[0]))
		return "unknown";
	return names[type];
}

static const char *iommu_type_name(unsigned int type)
{
	switch (type) {
	case WD_IOMMU_AMD:
		return "AMD";
	case WD_IOMMU_INTEL:
		return "Intel";
	case WD_IOMMU_SMMUV3:
		return "SMMUv3";
	case WD_IOMMU_PVU:
		return "PVU";
	case WD_IOMMU_ARM_MMU500:
		return "MMU-500";
	default:
		return "unknown";
	}
}

/*
 * Copy at most @n bytes of untrusted text into @dst (n + 1 bytes) so it can be
 * quoted in a message: quotes and non-printable bytes become '?'. With
 * @stop_at_nul the copy ends at a NUL; without, every byte is shown (a
 * signature is a fixed 5-byte field).
 */
static void printable(char *dst, const char *src, unsigned int n, int stop_at_nul)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];

		if (!c && stop_at_nul)
			break;
		dst[i] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\'') ? (char)c : '?';
	}
	dst[i] = '\0';
}

static int is_page_aligned(__u64 v)
{
	return (v & (WD_CHECK_PAGE_SIZE - 1)) == 0;
}

/* Inclusive end of [start, start + size); size is non-zero and does not wrap. */
static __u64 last_byte(__u64 start, __u64 size)
{
	return start + size - 1;
}

static int wraps(__u64 start, __u64 size)
{
	return size && start + size - 1 < start;
}

/*
 * Signature, architecture and revision of a system or cell header.
 * @subject: "" for the configuration itself, "root cell " for the root cell
 * descriptor inside a system configuration.
 */
static int check_format(struct wd_check_result *res, const char *sig, unsigned int arch,
			unsigned int rev, const char *want_sig, const char *subject)
{
	char found[WD_SIGNATURE_LEN + 1];
	const char *why = "";

	if (memcmp(sig, want_sig, WD_SIGNATURE_LEN) != 0) {
		printable(found, sig, WD_SIGNATURE_LEN, 0);
		if (!*subject) {
			int want_system = memcmp(want_sig, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) == 0;

			if (want_system && memcmp(sig, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) == 0)
				why = " (this is a cell configuration, not a system configuration)";
			else if (!want_system &&
				 memcmp(sig, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) == 0)
				why = " (this is a system configuration, not a cell configuration)";
			else
				why = want_system ? " (not a system configuration)" :
						    " (not a cell configuration)";
		}
		return FAIL(res, WD_CHECK_SIGNATURE, -ENOEXEC,
			    "%ssignature \"%s\" is not \"%.5s\"%s", subject, found, want_sig, why);
	}
	if (rev != WD_CONFIG_REVISION)
		return FAIL(res, WD_CHECK_REVISION, -ENOEXEC,
			    "%srevision %u is not supported (expected %u)", subject, rev,
			    WD_CONFIG_REVISION);
	if (arch != WD_ARCH_ARM64)
		return FAIL(res, WD_CHECK_ARCHITECTURE, -ENOEXEC,
			    "%sarchitecture %u (%s) is not arm64", subject, arch, arch_name(arch));
	return 0;
}

/* @what: "root cell" or "cell" */
static int check_name(struct wd_check_result *res, const struct wd_cell_desc *cell,
		      const char *what)
{
	__SIZE_TYPE__ len = strnlen(cell->name, WD_CELL_NAME_LEN);

	if (len == WD_CELL_NAME_LEN)
		return FAIL(res, WD_CHECK_NAME, -EINVAL,
			    "%s name is not NUL-terminated within %u bytes", what,
			    WD_CELL_NAME_LEN);
	if (len == 0)
		return FAIL(res, WD_CHECK_NAME, -EINVAL, "%s name is empty", what);
	return 0;
}

/*
 * Does the blob hold exactly the configuration its counts describe? All sizes
 * are computed in 64 bits from 32-bit counts (at most 2^32 * 56 bytes each),
 * so no count can make the sum wrap.
 */
static int check_size(struct wd_check_result *res, __u64 need, __u64 size, const char *what)
{
	if (need > size)
		return FAIL(res, WD_CHECK_SIZE_MISMATCH, -EOVERFLOW,
			    "%s arrays need %llu bytes but the file has %llu", what,
			    (unsigned long long)need, (unsigned long long)size);
	if (size > need)
		return FAIL(res, WD_CHECK_SIZE_MISMATCH, -E2BIG,
			    "file has %llu bytes but the configuration ends at byte %llu (%llu trailing bytes)",
			    (unsigned long long)size, (unsigned long long)need,
			    (unsigned long long)(size - need));
	return 0;
}

static int check_cpu_set(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const __u8 *set = wd_cell_cpu_set(cell);
	unsigned int i;

	if (cell->cpu_set_size == 0)
		return FAIL(ctx->res, WD_CHECK_CPU_SET, -EINVAL,
			    "%sCPU set is empty (cpu_set_size 0)", ctx->subject);
	if (cell->cpu_set_size > WD_CHECK_MAX_CPU_SET_SIZE)
		return FAIL(ctx->res, WD_CHECK_CPU_SET, -E2BIG,
			    "%sCPU set of %u bytes is larger than the %u-byte maximum",
			    ctx->subject, cell->cpu_set_size, WD_CHECK_MAX_CPU_SET_SIZE);
	if (cell->cpu_set_size % WD_CHECK_CPU_SET_UNIT)
		return FAIL(ctx->res, WD_CHECK_CPU_SET, -EINVAL,
			    "%sCPU set size %u is not a multiple of %u bytes (a bitmap of unsigned longs)",
			    ctx->subject, cell->cpu_set_size, WD_CHECK_CPU_SET_UNIT);
	for (i = 0; i < cell->cpu_set_size; i++)
		if (set[i])
			return 0;
	return FAIL(ctx->res, WD_CHECK_CPU_SET, -EINVAL, "%sCPU set has no CPU", ctx->subject);
}

/* Everything about one memory region that does not involve another region. */
static int check_mem_region(struct check_ctx *ctx, unsigned int n, const struct wd_mem_region *r)
{
	__u64 flags = r->flags;
	int subpage;

	if (r->size == 0)
		return FAIL(ctx->res, WD_CHECK_MEM_SIZE, -EINVAL,
			    "%smemory region #%u (phys 0x%llx, virt 0x%llx) has size 0",
			    ctx->prefix, n, (unsigned long long)r->phys_start,
			    (unsigned long long)r->virt_start);
	if (wraps(r->phys_start, r->size))
		return FAIL(ctx->res, WD_CHECK_MEM_SIZE, -EOVERFLOW,
			    "%smemory region #%u (phys 0x%llx, size 0x%llx) wraps around the address space",
			    ctx->prefix, n, (unsigned long long)r->phys_start,
			    (unsigned long long)r->size);
	if (wraps(r->virt_start, r->size))
		return FAIL(ctx->res, WD_CHECK_MEM_SIZE, -EOVERFLOW,
			    "%smemory region #%u (virt 0x%llx, size 0x%llx) wraps around the address space",
			    ctx->prefix, n, (unsigned long long)r->virt_start,
			    (unsigned long long)r->size);

	if (flags & ~(__u64)WD_MEM_KNOWN_FLAGS)
		return FAIL(ctx->res, WD_CHECK_MEM_FLAGS, -EINVAL,
			    "%smemory region #%u (phys 0x%llx-0x%llx) has unknown flags 0x%llx",
			    ctx->prefix, n, (unsigned long long)r->phys_start,
			    (unsigned long long)last_byte(r->phys_start, r->size),
			    (unsigned long long)(flags & ~(__u64)WD_MEM_KNOWN_FLAGS));
	if ((flags & WD_MEM_IO_ACCESS_FLAGS) && !(flags & WD_MEM_IO))
		return FAIL(ctx->res, WD_CHECK_MEM_FLAGS, -EINVAL,
			    "%smemory region #%u (phys 0x%llx-0x%llx) has I/O access flags 0x%llx but not IO",
			    ctx->prefix, n, (unsigned long long)r->phys_start,
			    (unsigned long long)last_byte(r->phys_start, r->size),
			    (unsigned long long)(flags & WD_MEM_IO_ACCESS_FLAGS));

	/*
	 * An I/O region whose guest address or size is not page aligned is
	 * trapped and emulated access by access instead of mapped, so it may
	 * start anywhere. Everything else goes into the stage-2 tables.
	 */
	subpage = (flags & WD_MEM_IO) &&
		  (!is_page_aligned(r->virt_start) || !is_page_aligned(r->size));
	if (subpage)
		return 0;
	if (!is_page_aligned(r->virt_start))
		return FAIL(ctx->res, WD_CHECK_MEM_ALIGNMENT, -EINVAL,
			    "%smemory region #%u virt_start 0x%llx is not page aligned (only IO regions may be sub-page)",
			    ctx->prefix, n, (unsigned long long)r->virt_start);
	if (!is_page_aligned(r->size))
		return FAIL(ctx->res, WD_CHECK_MEM_ALIGNMENT, -EINVAL,
			    "%smemory region #%u size 0x%llx is not page aligned (only IO regions may be sub-page)",
			    ctx->prefix, n, (unsigned long long)r->size);
	/* The comm region's phys_start is ignored: the hypervisor provides the page. */
	if (!(flags & WD_MEM_COMM_REGION) && !is_page_aligned(r->phys_start))
		return FAIL(ctx->res, WD_CHECK_MEM_ALIGNMENT, -EINVAL,
			    "%smemory region #%u phys_start 0x%llx is not page aligned",
			    ctx->prefix, n, (unsigned long long)r->phys_start);
	return 0;
}

static int check_mem_regions(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell);
	unsigned int i, j;
	int err;

	for (i = 0; i < cell->num_memory_regions; i++) {
		err = check_mem_region(ctx, i, &mem[i]);
		if (err)
			return err;
	}

	/*
	 * Guest-physical overlaps make the cell's view ambiguous. The same
	 * physical memory may appear twice (aliases are legitimate), so the
	 * host side is not compared within a cell.
	 */
	for (i = 0; i < cell->num_memory_regions; i++) {
		__u64 a = mem[i].virt_start, a_end = last_byte(a, mem[i].size);

		for (j = i + 1; j < cell->num_memory_regions; j++) {
			__u64 b = mem[j].virt_start, b_end = last_byte(b, mem[j].size);

			if (a <= b_end && b <= a_end)
				return FAIL(ctx->res, WD_CHECK_MEM_OVERLAP, -EINVAL,
					    "%smemory regions #%u (virt 0x%llx-0x%llx) and #%u (virt 0x%llx-0x%llx) overlap in guest-physical space",
					    ctx->prefix, i, (unsigned long long)a,
					    (unsigned long long)a_end, j, (unsigned long long)b,
					    (unsigned long long)b_end);
		}
	}

	if (!ctx->sys)
		return 0;

	for (i = 0; i < cell->num_memory_regions; i++) {
		const struct wd_mem_region *hv = &ctx->sys->hypervisor_memory;
		__u64 a = mem[i].phys_start, a_end = last_byte(a, mem[i].size);
		__u64 h = hv->phys_start, h_end = last_byte(h, hv->size);

		if (mem[i].flags & WD_MEM_COMM_REGION)
			continue;
		if (a <= h_end && h <= a_end)
			return FAIL(ctx->res, WD_CHECK_HV_OVERLAP, -EBUSY,
				    "%smemory region #%u (phys 0x%llx-0x%llx) overlaps hypervisor memory 0x%llx-0x%llx",
				    ctx->prefix, i, (unsigned long long)a, (unsigned long long)a_end,
				    (unsigned long long)h, (unsigned long long)h_end);
	}
	return 0;
}

static int check_irqchips(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell);
	unsigned int i;

	for (i = 0; i < cell->num_irqchips; i++) {
		if (chip[i].pin_base % 32)
			return FAIL(ctx->res, WD_CHECK_IRQCHIP, -EINVAL,
				    "%sirqchip #%u pin_base %u is not a multiple of 32",
				    ctx->prefix, i, chip[i].pin_base);
		if (ctx->sys && chip[i].address != ctx->sys->platform.arm.gicd_base)
			return FAIL(ctx->res, WD_CHECK_IRQCHIP, -EINVAL,
				    "%sirqchip #%u address 0x%llx is not the GIC distributor 0x%llx",
				    ctx->prefix, i, (unsigned long long)chip[i].address,
				    (unsigned long long)ctx->sys->platform.arm.gicd_base);
		if (!ctx->sys && chip[i].address == 0)
			return FAIL(ctx->res, WD_CHECK_IRQCHIP, -EINVAL,
				    "%sirqchip #%u has address 0 (expected the GIC distributor)",
				    ctx->prefix, i);
	}
	return 0;
}

static int check_pci_devices(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_pci_device *dev = wd_cell_pci_devices(cell);
	unsigned int i;

	for (i = 0; i < cell->num_pci_devices; i++) {
		unsigned int bdf = dev[i].bdf;
		unsigned int end = (unsigned int)dev[i].caps_start + dev[i].num_caps;

		if (dev[i].type != WD_PCI_TYPE_DEVICE && dev[i].type != WD_PCI_TYPE_BRIDGE &&
		    dev[i].type != WD_PCI_TYPE_IVSHMEM)
			return FAIL(ctx->res, WD_CHECK_PCI, -EINVAL,
				    "%sPCI device #%u (%02x:%02x.%x) has unknown type %u",
				    ctx->prefix, i, bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7,
				    dev[i].type);
		if (dev[i].num_caps && end > cell->num_pci_caps)
			return FAIL(ctx->res, WD_CHECK_PCI, -ERANGE,
				    "%sPCI device #%u (%02x:%02x.%x) uses capabilities #%u-#%u but the cell has %u",
				    ctx->prefix, i, bdf >> 8, (bdf >> 3) & 0x1f, bdf & 7,
				    dev[i].caps_start, end - 1, cell->num_pci_caps);
	}
	return 0;
}

/* The checks shared by the root cell (with @ctx->sys) and a lone cell. */
static int check_cell_body(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	int err;

	err = check_cpu_set(ctx, cell);
	if (!err)
		err = check_mem_regions(ctx, cell);
	if (!err)
		err = check_irqchips(ctx, cell);
	if (!err)
		err = check_pci_devices(ctx, cell);
	return err;
}

static int check_hypervisor_memory(struct wd_check_result *res, const struct wd_mem_region *hv)
{
	if (hv->size == 0)
		return FAIL(res, WD_CHECK_HV_MEMORY, -EINVAL, "hypervisor memory is missing (size 0)");
	if (wraps(hv->phys_start, hv->size))
		return FAIL(res, WD_CHECK_HV_MEMORY, -EOVERFLOW,
			    "hypervisor memory 0x%llx size 0x%llx wraps around the address space",
			    (unsigned long long)hv->phys_start, (unsigned long long)hv->size);
	if (!is_page_aligned(hv->phys_start) || !is_page_aligned(hv->size))
		return FAIL(res, WD_CHECK_HV_MEMORY, -EINVAL,
			    "hypervisor memory 0x%llx size 0x%llx is not page aligned",
			    (unsigned long long)hv->phys_start, (unsigned long long)hv->size);
	if (hv->size < WD_CHECK_MIN_HV_MEMORY)
		return FAIL(res, WD_CHECK_HV_MEMORY, -ENOSPC,
			    "hypervisor memory 0x%llx-0x%llx is %llu KiB, less than the %llu KiB minimum",
			    (unsigned long long)hv->phys_start,
			    (unsigned long long)last_byte(hv->phys_start, hv->size),
			    (unsigned long long)(hv->size >> 10),
			    (unsigned long long)(WD_CHECK_MIN_HV_MEMORY >> 10));
	return 0;
}

static int check_debug_console(struct wd_check_result *res, const struct wd_console *con)
{
	switch (con->type) {
	case WD_CON_TYPE_NONE:
		return 0;
	case WD_CON_TYPE_PL011:
	case WD_CON_TYPE_8250:
		break;
	default:
		return FAIL(res, WD_CHECK_CONSOLE, -EOPNOTSUPP,
			    "debug console type %u (%s) is not supported (NONE, PL011 or 8250)",
			    con->type, console_type_name(con->type));
	}
	if (con->address == 0)
		return FAIL(res, WD_CHECK_CONSOLE, -EINVAL, "debug console %s has address 0",
			    console_type_name(con->type));
	if (con->size == 0)
		return FAIL(res, WD_CHECK_CONSOLE, -EINVAL,
			    "debug console %s at 0x%llx has size 0", console_type_name(con->type),
			    (unsigned long long)con->address);
	return 0;
}

static int check_gic(struct wd_check_result *res, const struct wd_arm_platform *arm)
{
	unsigned int v = arm->gic_version;

	if (v != 2 && v != 3)
		return FAIL(res, WD_CHECK_GIC, -EOPNOTSUPP,
			    "GIC version %u is not supported (2 or 3)", v);
	if (arm->gicd_base == 0)
		return FAIL(res, WD_CHECK_GIC, -EINVAL, "GICv%u distributor base gicd_base is 0", v);
	if (v == 3 && arm->gicr_base == 0)
		return FAIL(res, WD_CHECK_GIC, -EINVAL,
			    "GICv3 redistributor base gicr_base is 0");
	if (v == 2 && arm->gicc_base == 0)
		return FAIL(res, WD_CHECK_GIC, -EINVAL, "GICv2 CPU interface base gicc_base is 0");
	if (v == 2 && arm->gich_base == 0)
		return FAIL(res, WD_CHECK_GIC, -EINVAL,
			    "GICv2 hypervisor interface base gich_base is 0");
	if (v == 2 && arm->gicv_base == 0)
		return FAIL(res, WD_CHECK_GIC, -EINVAL,
			    "GICv2 virtual CPU interface base gicv_base is 0");
	if (arm->maintenance_irq < 16 || arm->maintenance_irq > 31)
		return FAIL(res, WD_CHECK_GIC, -EINVAL,
			    "GIC maintenance interrupt %u is not a PPI (16-31)", arm->maintenance_irq);
	return 0;
}

static int check_iommu_units(struct wd_check_result *res, const struct wd_platform *pf)
{
	unsigned int i;

	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++) {
		const struct wd_iommu *u = &pf->iommu_units[i];

		switch (u->type) {
		case 0:		/* unused slot */
			continue;
		case WD_IOMMU_SMMUV3:
		case WD_IOMMU_PVU:
		case WD_IOMMU_ARM_MMU500:
			break;
		case WD_IOMMU_AMD:
		case WD_IOMMU_INTEL:
			return FAIL(res, WD_CHECK_IOMMU, -EOPNOTSUPP,
				    "IOMMU unit #%u type %u (%s) does not exist on arm64", i,
				    u->type, iommu_type_name(u->type));
		default:
			return FAIL(res, WD_CHECK_IOMMU, -EINVAL,
				    "IOMMU unit #%u has unknown type %u", i, u->type);
		}
		if (u->base == 0)
			return FAIL(res, WD_CHECK_IOMMU, -EINVAL, "IOMMU unit #%u (%s) has base 0",
				    i, iommu_type_name(u->type));
		if (u->size == 0)
			return FAIL(res, WD_CHECK_IOMMU, -EINVAL,
				    "IOMMU unit #%u (%s) at 0x%llx has size 0", i,
				    iommu_type_name(u->type), (unsigned long long)u->base);
	}
	return 0;
}

int wd_check_system(const void *blob, __u64 size, struct wd_check_result *res)
{
	const struct wd_system_config *sys = blob;
	struct check_ctx ctx;
	int err;

	result_init(res);

	/* Enough for signature, architecture and revision: report those first. */
	if (size < 8)
		return FAIL(res, WD_CHECK_TRUNCATED, -EINVAL,
			    "system configuration is %llu bytes, shorter than its %u-byte header",
			    (unsigned long long)size, (unsigned int)sizeof(*sys));
	err = check_format(res, sys->signature, sys->architecture, sys->revision,
			   WD_SYSTEM_SIGNATURE, "");
	if (err)
		return err;
	if (size < sizeof(*sys))
		return FAIL(res, WD_CHECK_TRUNCATED, -EINVAL,
			    "system configuration is %llu bytes, shorter than its %u-byte header",
			    (unsigned long long)size, (unsigned int)sizeof(*sys));
	err = check_format(res, sys->root_cell.signature, sys->root_cell.architecture,
			   sys->root_cell.revision, WD_CELL_SIGNATURE, "root cell ");
	if (!err)
		err = check_size(res, wd_system_config_size(sys), size, "root cell");
	if (!err)
		err = check_name(res, &sys->root_cell, "root cell");
	if (!err)
		err = check_hypervisor_memory(res, &sys->hypervisor_memory);
	if (!err)
		err = check_debug_console(res, &sys->debug_console);
	if (!err)
		err = check_gic(res, &sys->platform.arm);
	if (!err)
		err = check_iommu_units(res, &sys->platform);
	if (err)
		return err;

	memset(&ctx, 0, sizeof(ctx));
	ctx.res = res;
	ctx.sys = sys;
	ctx.prefix = "";
	ctx.subject = "root cell ";
	return check_cell_body(&ctx, &sys->root_cell);
}

int wd_check_cell(const void *blob, __u64 size, struct wd_check_result *res)
{
	const struct wd_cell_desc *cell = blob;
	struct check_ctx ctx;
	char name[WD_CELL_NAME_LEN + 1];
	int err;

	result_init(res);

	if (size < 8)
		return FAIL(res, WD_CHECK_TRUNCATED, -EINVAL,
			    "cell configuration is %llu bytes, shorter than its %u-byte header",
			    (unsigned long long)size, (unsigned int)sizeof(*cell));
	err = check_format(res, cell->signature, cell->architecture, cell->revision,
			   WD_CELL_SIGNATURE, "");
	if (err)
		return err;
	if (size < sizeof(*cell))
		return FAIL(res, WD_CHECK_TRUNCATED, -EINVAL,
			    "cell configuration is %llu bytes, shorter than its %u-byte header",
			    (unsigned long long)size, (unsigned int)sizeof(*cell));
	err = check_size(res, wd_cell_config_size(cell), size, "cell");
	if (!err)
		err = check_name(res, cell, "cell");
	if (err)
		return err;

	memset(&ctx, 0, sizeof(ctx));
	ctx.res = res;
	ctx.sys = 0;	/* no system context */
	printable(name, cell->name, WD_CELL_NAME_LEN, 1);
	(void)snprintf(ctx.name_buf, sizeof(ctx.name_buf), "cell '%s': ", name);
	ctx.prefix = ctx.name_buf;
	ctx.subject = ctx.name_buf;
	return check_cell_body(&ctx, cell);
}
