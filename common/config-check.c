// SPDX-License-Identifier: GPL-2.0
/*
 * The one validator for system and cell configurations (config-check.h).
 *
 * It is compiled into the driver, the tool, the host unit tests and the
 * hypervisor, so it uses nothing but (v)snprintf/memcmp/memset/strnlen (below),
 * never allocates, and reads the blob only after proving each read is inside
 * it. Every finding is one line naming the object; the messages are part of
 * the interface (tests assert them verbatim, users grep for them).
 *
 * Two ways in: wd_check_system()/wd_check_cell() keep the first error of one
 * configuration (the driver, "enable", "cell create"); wd_check_set() reports
 * every error and warning of a system and its cells, also between them (the
 * "config check" command). Both run the same checks in the same order.
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
 *  - hypervisor (__WARDEN_FREESTANDING__): it links its own (v)snprintf, memcmp,
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
#include <stdarg.h>
int snprintf(char *buf, __SIZE_TYPE__ size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, __SIZE_TYPE__ size, const char *fmt, va_list ap);
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
#ifndef EEXIST
#define EEXIST		17
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
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
/* POSIX, not ISO C (hidden by -std=c11); the same declaration as the C library's */
size_t strnlen(const char *s, size_t maxlen);
#endif

#include "warden/config-check.h"

/* Text only ever printed (the hypervisor packs it: scripts/msg-pack, wd/printk.h). */
#ifndef MSG_TEXT
#define MSG_TEXT(text)	text
#endif
#include "warden/ivshmem.h"

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

/* GIC interrupt IDs: 0-15 SGIs, 16-31 PPIs (each CPU's own), then SPIs up to 1019. */
#define WD_CHECK_FIRST_SPI		32U
#define WD_CHECK_LAST_SPI		1019U

/* MMIO frames of the GIC the hypervisor emulates or keeps for itself. */
#define WD_CHECK_GICD_SIZE		0x10000ULL
#define WD_CHECK_GICR_SIZE_PER_CPU	0x20000ULL	/* RD_base + SGI_base frames */
#define WD_CHECK_GICV2_FRAME_SIZE	0x2000ULL
/* A GICv2 distributor is one 4 KiB frame; SoCs put other devices right after it. */
#define WD_CHECK_GICV2_GICD_SIZE	0x1000ULL

/* The hypervisor maps exactly one page of its own as a cell's comm region. */
#define WD_CHECK_COMM_SIZE		0x1000ULL

/* An ivshmem device uses a state table, a common region, then one region per peer. */
#define WD_CHECK_IVSHMEM_FIXED_REGIONS	2U

#define WD_MEM_KNOWN_FLAGS \
	(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA | WD_MEM_IO | \
	 WD_MEM_COMM_REGION | WD_MEM_LOADABLE | WD_MEM_ROOTSHARED | \
	 WD_MEM_NO_HUGEPAGES | WD_MEM_IO_UNALIGNED | WD_MEM_IO_ACCESS_FLAGS)

/* Flags that only mean something for trapped (sub-page) I/O regions. */
#define WD_MEM_IO_ACCESS_FLAGS \
	(WD_MEM_IO_UNALIGNED | WD_MEM_IO_8 | WD_MEM_IO_16 | WD_MEM_IO_32 | WD_MEM_IO_64)

#define WD_CELL_KNOWN_FLAGS \
	(WD_CELL_PASSIVE_COMMREG | WD_CELL_TEST_DEVICE | WD_CELL_AARCH32 | \
	 WD_CELL_VIRTUAL_CONSOLE_PERMITTED | WD_CELL_VIRTUAL_CONSOLE_ACTIVE)

/*
 * Where findings go. The single-configuration API keeps the first error in
 * @res and ignores warnings; wd_check_set() passes every finding to @report.
 * Either way all checks run: a finding never stops the ones after it, only
 * a header or size error stops the checks of that blob (nothing else can be
 * read safely then).
 */
struct check_ctx {
	struct wd_check_result *res;		/* NULL in set mode */
	wd_check_report_fn report;		/* NULL in single mode */
	void *report_ctx;
	int blob;
	unsigned int errors;
	char msg[WD_CHECK_MSG_LEN];

	/* NULL when checking a cell configuration on its own */
	const struct wd_system_config *sys;
	/* sys->hypervisor_memory is valid: regions can be compared with it */
	int hv_ok;
	/* the cell is the root cell (the system's own descriptor) */
	int is_root;
	/* Put before messages about one array entry: "" or "cell 'demo': " */
	const char *prefix;
	/* Put before messages about the cell itself: "root cell " or "cell 'demo': " */
	const char *subject;
	char name_buf[WD_CELL_NAME_LEN + 16];
};

/*
 * The hypervisor checks one cell configuration on its own (wd_check_cell()):
 * never with a system configuration, never the root cell. As constants there,
 * the checks that need either one are dropped from its image (about 1 KB);
 * wd_check_system() and wd_check_set() are left out of that build so nothing
 * can reach them with a context these constants would misread.
 */
#ifdef __WARDEN_FREESTANDING__
#define CTX_SYS(ctx)		((void)(ctx), (const struct wd_system_config *)0)
#define CTX_IS_ROOT(ctx)	((void)(ctx), 0)
#define CTX_HV_OK(ctx)		((void)(ctx), 0)
/* ... no report callback (only a result), and no warning reaches emit() (CK_WARN). */
#define CTX_REPORT(ctx)		((void)(ctx), (wd_check_report_fn)0)
#define CK_SEVERITY(code)	((void)(code), WD_CHECK_ERROR)
#else
#define CTX_SYS(ctx)		((ctx)->sys)
#define CTX_IS_ROOT(ctx)	((ctx)->is_root)
#define CTX_HV_OK(ctx)		((ctx)->hv_ok)
#define CTX_REPORT(ctx)		((ctx)->report)
#define CK_SEVERITY(code)	((enum wd_check_severity)((code) & 1))
#endif
/* A helper of the system and set checks only (unused in the hypervisor's build). */
#define SYSTEM_ONLY		__attribute__((unused))

static int emit(struct check_ctx *ctx, enum wd_check_severity sev, enum wd_check_kind kind,
		int err)
{
	if (sev == WD_CHECK_ERROR) {
		ctx->errors++;
		if (ctx->res && !ctx->res->error) {
			ctx->res->error = err;
			ctx->res->kind = kind;
			(void)snprintf(ctx->res->msg, sizeof(ctx->res->msg), "%s", ctx->msg);
		}
	}
	if (CTX_REPORT(ctx))
		ctx->report(ctx->report_ctx, sev, kind, ctx->blob, ctx->msg);
	return sev == WD_CHECK_ERROR ? err : 0;
}

/*
 * One finding: the message into ctx->msg, then emit(). A function, not
 * snprintf() and emit() at every call site (about a hundred of them): the
 * severity, kind and errno travel in one int (CK_CODE) so that the format's
 * arguments still have as many registers as they had with snprintf().
 */
#define CK_CODE(sev, kind, err)	((unsigned int)(-(err)) << 8 | (unsigned int)(kind) << 1 | (sev))

static int __attribute__((format(printf, 3, 4)))
ck_report(struct check_ctx *ctx, unsigned int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(ctx->msg, sizeof(ctx->msg), fmt, ap);
	va_end(ap);
	return emit(ctx, CK_SEVERITY(code),
		    (enum wd_check_kind)((code >> 1) & 0x7f), -(int)(code >> 8));
}

/* Report an error and evaluate to @err. */
#define CK_ERR(ctx, kind, err, ...)						\
	ck_report((ctx), CK_CODE(WD_CHECK_ERROR, (kind), (err)), __VA_ARGS__)

#ifdef __WARDEN_FREESTANDING__
/*
 * The hypervisor's only way in is wd_check_cell(): one configuration, no
 * report callback, so a warning changes nothing (emit() drops it) and is not
 * even formatted. "0 &&" keeps the format and its arguments type-checked.
 */
#define CK_WARN(ctx, kind, ...)							\
	((void)(0 && ck_report((ctx), CK_CODE(WD_CHECK_WARNING, (kind), 0), __VA_ARGS__)))
#else
#define CK_WARN(ctx, kind, ...)							\
	((void)ck_report((ctx), CK_CODE(WD_CHECK_WARNING, (kind), 0), __VA_ARGS__))
#endif

_Static_assert(WD_CHECK_KIND_COUNT <= 0x80 && WD_CHECK_ERROR == 0 && WD_CHECK_WARNING == 1,
	       "CK_CODE: one bit of severity, seven of kind");

static void ctx_init(struct check_ctx *ctx, struct wd_check_result *res,
		     wd_check_report_fn report, void *report_ctx, int blob)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->res = res;
	ctx->report = report;
	ctx->report_ctx = report_ctx;
	ctx->blob = blob;
	ctx->prefix = "";
	ctx->subject = "";
	if (res) {
		memset(res, 0, sizeof(*res));
		res->kind = WD_CHECK_OK;
	}
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
	[WD_CHECK_IVSHMEM] = "ivshmem",
};

const char *wd_check_kind_name(enum wd_check_kind kind)
{
	if ((unsigned int)kind >= WD_CHECK_KIND_COUNT || !kind_names[kind])
		return "unknown";
	return kind_names[kind];
}

const char *wd_check_severity_name(enum wd_check_severity sev)
{
	return sev == WD_CHECK_WARNING ? "warning" : "error";
}

const char *wd_arch_name(unsigned int arch)
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

const char *wd_console_type_name(unsigned int type)
{
	/* Characters, not pointers: no relocation each in the hypervisor's image. */
	static const char names[][11] = {
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

	if (type >= sizeof(names) / sizeof(names[0]) || !names[type][0])
		return "unknown";
	return names[type];
}

SYSTEM_ONLY static const char *iommu_type_name(unsigned int type)
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

/* Do the inclusive ranges [a, a_end] and [b, b_end] share a byte? */
static int ranges_meet(__u64 a, __u64 a_end, __u64 b, __u64 b_end)
{
	return a <= b_end && b <= a_end;
}

/* Can the region's ranges be computed (non-zero, no wrap on either side)? */
static int region_sane(const struct wd_mem_region *r)
{
	return r->size && !wraps(r->phys_start, r->size) && !wraps(r->virt_start, r->size);
}

/* Does region @r lie physically in [start, start + size)? Both sane. */
static int phys_meets(const struct wd_mem_region *r, __u64 start, __u64 size)
{
	return ranges_meet(r->phys_start, last_byte(r->phys_start, r->size), start,
			   last_byte(start, size));
}

/* "CPU 3" or "CPUs 2-3" */
SYSTEM_ONLY static void range_text(char *buf, unsigned int len, const char *noun, unsigned int first,
		       unsigned int last)
{
	if (first == last)
		(void)snprintf(buf, len, "%s %u", noun, first);
	else
		(void)snprintf(buf, len, "%ss %u-%u", noun, first, last);
}

/* The PCI address of a device, "00:01.0" */
#define BDF_FMT			"%02x:%02x.%x"
#define BDF_ARGS(bdf)		(unsigned int)(bdf) >> 8, ((unsigned int)(bdf) >> 3) & 0x1f, \
				(unsigned int)(bdf) & 7

/* ---- One configuration: header and size */

/*
 * Signature, architecture and revision of a system (@want_system) or cell
 * header. @subject: "" for the configuration itself, "root cell " for the root cell
 * descriptor inside a system configuration.
 */
static int check_format(struct check_ctx *ctx, const char *sig, unsigned int arch,
			unsigned int rev, int want_system, const char *subject)
{
	const char *want_sig = want_system ? WD_SYSTEM_SIGNATURE : WD_CELL_SIGNATURE;
	char found[WD_SIGNATURE_LEN + 1];
	const char *why = "";

	if (memcmp(sig, want_sig, WD_SIGNATURE_LEN) != 0) {
		printable(found, sig, WD_SIGNATURE_LEN, 0);
		if (!*subject) {
			if (want_system && memcmp(sig, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) == 0)
				why = MSG_TEXT(" (this is a cell configuration, not a system configuration)");
			else if (!want_system &&
				 memcmp(sig, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) == 0)
				why = MSG_TEXT(" (this is a system configuration, not a cell configuration)");
			else
				why = want_system ? MSG_TEXT(" (not a system configuration)") :
						    MSG_TEXT(" (not a cell configuration)");
		}
		return CK_ERR(ctx, WD_CHECK_SIGNATURE, -ENOEXEC,
			      "%ssignature \"%s\" is not \"%.5s\"%s", subject, found, want_sig,
			      why);
	}
	if (rev != WD_CONFIG_REVISION)
		return CK_ERR(ctx, WD_CHECK_REVISION, -ENOEXEC,
			      "%srevision %u is not supported (expected %u)", subject, rev,
			      WD_CONFIG_REVISION);
	if (arch != WD_ARCH_ARM64)
		return CK_ERR(ctx, WD_CHECK_ARCHITECTURE, -ENOEXEC,
			      "%sarchitecture %u (%s) is not arm64", subject, arch,
			      wd_arch_name(arch));
	return 0;
}

/*
 * Does the blob hold exactly the configuration its counts describe? All sizes
 * are computed in 64 bits from 32-bit counts (at most 2^32 * 56 bytes each),
 * so no count can make the sum wrap.
 */
static int check_size(struct check_ctx *ctx, __u64 need, __u64 size, const char *what)
{
	if (need > size)
		return CK_ERR(ctx, WD_CHECK_SIZE_MISMATCH, -EOVERFLOW,
			      "%s arrays need %llu bytes but the file has %llu", what,
			      (unsigned long long)need, (unsigned long long)size);
	/* Whole and consistent, but more than the hypervisor takes. */
	if (need > WD_CHECK_MAX_CONFIG_SIZE)
		return CK_ERR(ctx, WD_CHECK_SIZE_MISMATCH, -E2BIG,
			      "configuration of %llu bytes exceeds the limit of %u bytes",
			      (unsigned long long)need, WD_CHECK_MAX_CONFIG_SIZE);
	if (size > need)
		return CK_ERR(ctx, WD_CHECK_SIZE_MISMATCH, -E2BIG,
			      "file has %llu bytes but the configuration ends at byte %llu (%llu trailing bytes)",
			      (unsigned long long)size, (unsigned long long)need,
			      (unsigned long long)(size - need));
	return 0;
}

#ifndef __WARDEN_FREESTANDING__
/* Are the root cell descriptor's signature, architecture and revision all zero? */
static int root_format_unset(const struct wd_cell_desc *root)
{
	static const char zero[WD_SIGNATURE_LEN];

	return !memcmp(root->signature, zero, WD_SIGNATURE_LEN) && !root->architecture &&
	       !root->revision;
}

/* The system configuration if its header and arrays can be read, else NULL (reported). */
static const struct wd_system_config *system_header(struct check_ctx *ctx, const void *blob,
						    __u64 size)
{
	const struct wd_system_config *sys = blob;

	/* Enough for signature, architecture and revision: report those first. */
	if (size < 8) {
		CK_ERR(ctx, WD_CHECK_TRUNCATED, -EINVAL,
		       "system configuration is %llu bytes, shorter than its %u-byte header",
		       (unsigned long long)size, (unsigned int)sizeof(*sys));
		return 0;
	}
	if (check_format(ctx, sys->signature, sys->architecture, sys->revision,
			 1, ""))
		return 0;
	if (size < sizeof(*sys)) {
		CK_ERR(ctx, WD_CHECK_TRUNCATED, -EINVAL,
		       "system configuration is %llu bytes, shorter than its %u-byte header",
		       (unsigned long long)size, (unsigned int)sizeof(*sys));
		return 0;
	}
	/*
	 * Jailhouse's own root-cell sources set only the system header's
	 * signature, architecture and revision; Jailhouse never reads the
	 * root cell descriptor's. All three zero means "the header's apply";
	 * anything else must be right.
	 */
	if (!root_format_unset(&sys->root_cell) &&
	    check_format(ctx, sys->root_cell.signature, sys->root_cell.architecture,
			 sys->root_cell.revision, 0, "root cell "))
		return 0;
	if (check_size(ctx, wd_system_config_size(sys), size, "root cell"))
		return 0;
	return sys;
}

#endif /* !__WARDEN_FREESTANDING__ */

/* The cell configuration if its header and arrays can be read, else NULL (reported). */
static const struct wd_cell_desc *cell_header(struct check_ctx *ctx, const void *blob,
					      __u64 size)
{
	const struct wd_cell_desc *cell = blob;

	if (size < 8) {
		CK_ERR(ctx, WD_CHECK_TRUNCATED, -EINVAL,
		       "cell configuration is %llu bytes, shorter than its %u-byte header",
		       (unsigned long long)size, (unsigned int)sizeof(*cell));
		return 0;
	}
	if (check_format(ctx, cell->signature, cell->architecture, cell->revision,
			 0, ""))
		return 0;
	if (size < sizeof(*cell)) {
		CK_ERR(ctx, WD_CHECK_TRUNCATED, -EINVAL,
		       "cell configuration is %llu bytes, shorter than its %u-byte header",
		       (unsigned long long)size, (unsigned int)sizeof(*cell));
		return 0;
	}
	if (check_size(ctx, wd_cell_config_size(cell), size, "cell"))
		return 0;
	return cell;
}

/* ---- One configuration: the cell descriptor and its arrays */

/* @what: "root cell" or "cell" */
static void check_name(struct check_ctx *ctx, const struct wd_cell_desc *cell, const char *what)
{
	__SIZE_TYPE__ len = strnlen(cell->name, WD_CELL_NAME_LEN);

	if (len == WD_CELL_NAME_LEN)
		CK_ERR(ctx, WD_CHECK_NAME, -EINVAL,
		       "%s name is not NUL-terminated within %u bytes", what, WD_CELL_NAME_LEN);
	else if (len == 0)
		CK_ERR(ctx, WD_CHECK_NAME, -EINVAL, "%s name is empty", what);
}

static void check_cpu_set(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const __u8 *set = wd_cell_cpu_set(cell);
	unsigned int i;

	if (cell->cpu_set_size == 0) {
		CK_ERR(ctx, WD_CHECK_CPU_SET, -EINVAL, "%sCPU set is empty (cpu_set_size 0)",
		       ctx->subject);
		return;
	}
	if (cell->cpu_set_size > WD_CHECK_MAX_CPU_SET_SIZE) {
		CK_ERR(ctx, WD_CHECK_CPU_SET, -E2BIG,
		       "%sCPU set of %u bytes is larger than the %u-byte maximum",
		       ctx->subject, cell->cpu_set_size, WD_CHECK_MAX_CPU_SET_SIZE);
		return;
	}
	if (cell->cpu_set_size % WD_CHECK_CPU_SET_UNIT) {
		CK_ERR(ctx, WD_CHECK_CPU_SET, -EINVAL,
		       "%sCPU set size %u is not a multiple of %u bytes (a bitmap of unsigned longs)",
		       ctx->subject, cell->cpu_set_size, WD_CHECK_CPU_SET_UNIT);
		return;
	}
	for (i = 0; i < cell->cpu_set_size; i++)
		if (set[i])
			return;
	CK_ERR(ctx, WD_CHECK_CPU_SET, -EINVAL, "%sCPU set has no CPU", ctx->subject);
}

/* Everything about one memory region that does not involve another region. */
static int check_mem_region(struct check_ctx *ctx, unsigned int n,
			    const struct wd_mem_region *r)
{
	__u64 flags = r->flags;
	unsigned long long phys = r->phys_start, virt = r->virt_start, size = r->size;

	/*
	 * A size-0 region is a placeholder that maps nothing: Jailhouse's
	 * configurations keep array slots that way (the unused output regions
	 * of an ivshmem device, regions a board variant does not have). Only
	 * its flags must still be known ones.
	 */
	if (r->size == 0) {
		if (flags & ~(__u64)WD_MEM_KNOWN_FLAGS)
			return CK_ERR(ctx, WD_CHECK_MEM_FLAGS, -EINVAL,
				      "%smemory region #%u (phys 0x%llx, virt 0x%llx, size 0) has unknown flags 0x%llx",
				      ctx->prefix, n, phys, virt,
				      (unsigned long long)(flags & ~(__u64)WD_MEM_KNOWN_FLAGS));
		return 0;
	}
	if (wraps(r->phys_start, r->size))
		return CK_ERR(ctx, WD_CHECK_MEM_SIZE, -EOVERFLOW,
			      "%smemory region #%u (phys 0x%llx, size 0x%llx) wraps around the address space",
			      ctx->prefix, n, phys, size);
	if (wraps(r->virt_start, r->size))
		return CK_ERR(ctx, WD_CHECK_MEM_SIZE, -EOVERFLOW,
			      "%smemory region #%u (virt 0x%llx, size 0x%llx) wraps around the address space",
			      ctx->prefix, n, virt, size);

	if (flags & ~(__u64)WD_MEM_KNOWN_FLAGS)
		return CK_ERR(ctx, WD_CHECK_MEM_FLAGS, -EINVAL,
			      "%smemory region #%u (phys 0x%llx-0x%llx) has unknown flags 0x%llx",
			      ctx->prefix, n, phys, (unsigned long long)last_byte(phys, size),
			      (unsigned long long)(flags & ~(__u64)WD_MEM_KNOWN_FLAGS));
	if ((flags & WD_MEM_IO_ACCESS_FLAGS) && !(flags & WD_MEM_IO))
		return CK_ERR(ctx, WD_CHECK_MEM_FLAGS, -EINVAL,
			      "%smemory region #%u (phys 0x%llx-0x%llx) has I/O access flags 0x%llx but not IO",
			      ctx->prefix, n, phys, (unsigned long long)last_byte(phys, size),
			      (unsigned long long)(flags & WD_MEM_IO_ACCESS_FLAGS));

	/*
	 * Jailhouse traps and emulates I/O regions whose guest address or size
	 * is not page aligned; Warden maps every region into the stage-2
	 * tables, page by page, and refuses them (hypervisor/core/cell.c).
	 */
	if ((flags & WD_MEM_IO) && (!is_page_aligned(r->virt_start) || !is_page_aligned(r->size)))
		return CK_ERR(ctx, WD_CHECK_MEM_SUBPAGE, -EOPNOTSUPP,
			      "%smemory region #%u (phys 0x%llx, virt 0x%llx, size 0x%llx) is a sub-page I/O region: Warden maps whole pages and does not support sub-page regions",
			      ctx->prefix, n, phys, virt, size);
	/*
	 * virt_start, size, phys_start: the first one not page aligned is named.
	 * The comm region's phys_start is ignored: the hypervisor provides the page.
	 */
	if (!is_page_aligned(r->virt_start | r->size) ||
	    (!(flags & WD_MEM_COMM_REGION) && !is_page_aligned(r->phys_start))) {
		const char *field = MSG_TEXT("phys_start");
		unsigned long long v = phys;

		if (!is_page_aligned(r->virt_start)) {
			field = MSG_TEXT("virt_start");
			v = virt;
		} else if (!is_page_aligned(r->size)) {
			field = MSG_TEXT("size");
			v = size;
		}
		return CK_ERR(ctx, WD_CHECK_MEM_ALIGNMENT, -EINVAL,
			      "%smemory region #%u %s 0x%llx is not page aligned",
			      ctx->prefix, n, field, v);
	}

	/* CELL_LOAD copies images only into regions flagged WRITE and LOADABLE. */
	if ((flags & WD_MEM_LOADABLE) && (flags & (WD_MEM_IO | WD_MEM_COMM_REGION)))
		return CK_ERR(ctx, WD_CHECK_LOADABLE, -EINVAL,
			      "%smemory region #%u (phys 0x%llx-0x%llx) is LOADABLE and %s: images are loaded into RAM only",
			      ctx->prefix, n, phys, (unsigned long long)last_byte(phys, size),
			      (flags & WD_MEM_IO) ? "IO" : "the comm region");
	if ((flags & WD_MEM_LOADABLE) && !(flags & WD_MEM_WRITE))
		return CK_ERR(ctx, WD_CHECK_LOADABLE, -EINVAL,
			      "%smemory region #%u (phys 0x%llx-0x%llx) is LOADABLE but not WRITE: no image can be loaded into it",
			      ctx->prefix, n, phys, (unsigned long long)last_byte(phys, size));
	if ((flags & WD_MEM_LOADABLE) && CTX_IS_ROOT(ctx))
		CK_WARN(ctx, WD_CHECK_LOADABLE,
			"%smemory region #%u (phys 0x%llx-0x%llx) is LOADABLE, but the root cell is never loaded",
			ctx->prefix, n, phys, (unsigned long long)last_byte(phys, size));
	if ((flags & WD_MEM_IO) && (flags & WD_MEM_EXECUTE))
		CK_WARN(ctx, WD_CHECK_MEM_FLAGS,
			"%smemory region #%u (phys 0x%llx-0x%llx) is both IO and EXECUTE",
			ctx->prefix, n, phys, (unsigned long long)last_byte(phys, size));
	if ((flags & WD_MEM_COMM_REGION) && CTX_IS_ROOT(ctx))
		CK_WARN(ctx, WD_CHECK_COMM_REGION,
			"%smemory region #%u is a comm region: the root cell has none, it is ignored",
			ctx->prefix, n);
	return 0;
}

/*
 * The GIC frames the hypervisor emulates (distributor, redistributors) or
 * keeps for itself (GICv2 hypervisor interface, virtual CPU interface, CPU
 * interface it maps the virtual one over): none may be a memory region, or
 * the cell would program the GIC behind the hypervisor's back.
 */
static void check_gic_unmapped(struct check_ctx *ctx, unsigned int n,
			       const struct wd_mem_region *r)
{
	const struct wd_arm_platform *arm = &CTX_SYS(ctx)->platform.arm;
	const struct wd_cell_desc *root = &CTX_SYS(ctx)->root_cell;
	struct {
		const char *what;
		__u64 base, size;
	} frame[4];
	unsigned int i, nframes = 0, ncpus = 0, cpu;

	for (cpu = 0; cpu < root->cpu_set_size * 8 && cpu < WD_CHECK_MAX_CPU_SET_SIZE * 8; cpu++)
		if (wd_cell_has_cpu(root, cpu))
			ncpus = cpu + 1;
	frame[nframes].what = MSG_TEXT("distributor");
	frame[nframes].base = arm->gicd_base;
	frame[nframes++].size = arm->gic_version == 3 ? WD_CHECK_GICD_SIZE : WD_CHECK_GICV2_GICD_SIZE;
	if (arm->gic_version == 3) {
		frame[nframes].what = MSG_TEXT("redistributors");
		frame[nframes].base = arm->gicr_base;
		frame[nframes++].size = WD_CHECK_GICR_SIZE_PER_CPU * (ncpus ? ncpus : 1);
	} else {
		frame[nframes].what = MSG_TEXT("CPU interface");
		frame[nframes].base = arm->gicc_base;
		frame[nframes++].size = WD_CHECK_GICV2_FRAME_SIZE;
		frame[nframes].what = MSG_TEXT("hypervisor interface");
		frame[nframes].base = arm->gich_base;
		frame[nframes++].size = WD_CHECK_GICV2_FRAME_SIZE;
		frame[nframes].what = MSG_TEXT("virtual CPU interface");
		frame[nframes].base = arm->gicv_base;
		frame[nframes++].size = WD_CHECK_GICV2_FRAME_SIZE;
	}
	for (i = 0; i < nframes; i++) {
		if (!frame[i].base || wraps(frame[i].base, frame[i].size) ||
		    !phys_meets(r, frame[i].base, frame[i].size))
			continue;
		CK_ERR(ctx, WD_CHECK_GIC, -EINVAL,
		       "%smemory region #%u (phys 0x%llx-0x%llx) maps the GIC %s 0x%llx-0x%llx, which only the hypervisor may access",
		       ctx->prefix, n, (unsigned long long)r->phys_start,
		       (unsigned long long)last_byte(r->phys_start, r->size), frame[i].what,
		       (unsigned long long)frame[i].base,
		       (unsigned long long)last_byte(frame[i].base, frame[i].size));
		return;
	}
	/* GICv4 frames are twice as large: the hypervisor refuses such a region there. */
	if (arm->gic_version == 3 && arm->gicr_base &&
	    phys_meets(r, arm->gicr_base + frame[1].size, frame[1].size))
		CK_WARN(ctx, WD_CHECK_GIC,
			"%smemory region #%u (phys 0x%llx-0x%llx) is where a GICv4's redistributor frames (0x%llx bytes each) would be: refused on such a board",
			ctx->prefix, n, (unsigned long long)r->phys_start,
			(unsigned long long)last_byte(r->phys_start, r->size),
			WD_CHECK_GICR_SIZE_PER_CPU * 2);
}

static void check_mem_regions(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell);
	unsigned int i, j, comm = ~0U, loadable = 0;

	for (i = 0; i < cell->num_memory_regions; i++)
		check_mem_region(ctx, i, &mem[i]);

	/*
	 * Guest-physical overlaps make the cell's view ambiguous: an error.
	 * The same physical memory twice in one cell is legal (an alias) but
	 * rarely meant: a warning. The comm region's phys_start means nothing.
	 */
	for (i = 0; i < cell->num_memory_regions; i++) {
		__u64 a = mem[i].virt_start, a_end;

		if (!region_sane(&mem[i]))
			continue;
		a_end = last_byte(a, mem[i].size);
		for (j = i + 1; j < cell->num_memory_regions; j++) {
			__u64 b = mem[j].virt_start, b_end;

			if (!region_sane(&mem[j]))
				continue;
			b_end = last_byte(b, mem[j].size);
			if (ranges_meet(a, a_end, b, b_end))
				CK_ERR(ctx, WD_CHECK_MEM_OVERLAP, -EINVAL,
				       "%smemory regions #%u (virt 0x%llx-0x%llx) and #%u (virt 0x%llx-0x%llx) overlap in guest-physical space",
				       ctx->prefix, i, (unsigned long long)a,
				       (unsigned long long)a_end, j, (unsigned long long)b,
				       (unsigned long long)b_end);
		}
	}
	for (i = 0; i < cell->num_memory_regions; i++) {
		if (!region_sane(&mem[i]) || (mem[i].flags & WD_MEM_COMM_REGION))
			continue;
		for (j = i + 1; j < cell->num_memory_regions; j++) {
			if (!region_sane(&mem[j]) || (mem[j].flags & WD_MEM_COMM_REGION) ||
			    !phys_meets(&mem[i], mem[j].phys_start, mem[j].size))
				continue;
			CK_WARN(ctx, WD_CHECK_MEM_OVERLAP,
				"%smemory regions #%u (phys 0x%llx-0x%llx) and #%u (phys 0x%llx-0x%llx) overlap in host-physical space: the same memory appears twice",
				ctx->prefix, i, (unsigned long long)mem[i].phys_start,
				(unsigned long long)last_byte(mem[i].phys_start, mem[i].size), j,
				(unsigned long long)mem[j].phys_start,
				(unsigned long long)last_byte(mem[j].phys_start, mem[j].size));
		}
	}

	if (CTX_SYS(ctx) && CTX_HV_OK(ctx)) {
		const struct wd_mem_region *hv = &CTX_SYS(ctx)->hypervisor_memory;

		for (i = 0; i < cell->num_memory_regions; i++) {
			if (!region_sane(&mem[i]) || (mem[i].flags & WD_MEM_COMM_REGION) ||
			    !phys_meets(&mem[i], hv->phys_start, hv->size))
				continue;
			CK_ERR(ctx, WD_CHECK_HV_OVERLAP, -EBUSY,
			       "%smemory region #%u (phys 0x%llx-0x%llx) overlaps hypervisor memory 0x%llx-0x%llx",
			       ctx->prefix, i, (unsigned long long)mem[i].phys_start,
			       (unsigned long long)last_byte(mem[i].phys_start, mem[i].size),
			       (unsigned long long)hv->phys_start,
			       (unsigned long long)last_byte(hv->phys_start, hv->size));
		}
	}
	if (CTX_SYS(ctx))
		for (i = 0; i < cell->num_memory_regions; i++)
			if (region_sane(&mem[i]) && !(mem[i].flags & WD_MEM_COMM_REGION))
				check_gic_unmapped(ctx, i, &mem[i]);

	if (CTX_IS_ROOT(ctx))
		return;
	/*
	 * The hypervisor maps one comm page per cell, at the first comm region.
	 * Placeholders (size 0) map nothing and count for nothing.
	 */
	for (i = 0; i < cell->num_memory_regions; i++) {
		if (!mem[i].size)
			continue;
		if (mem[i].flags & WD_MEM_LOADABLE)
			loadable++;
		if (!(mem[i].flags & WD_MEM_COMM_REGION))
			continue;
		if (comm != ~0U) {
			CK_ERR(ctx, WD_CHECK_COMM_REGION, -EINVAL,
			       "%smemory regions #%u and #%u are both comm regions: a cell has one",
			       ctx->prefix, comm, i);
			continue;
		}
		comm = i;
		if (mem[i].size > WD_CHECK_COMM_SIZE)
			CK_WARN(ctx, WD_CHECK_COMM_REGION,
				"%scomm region #%u is 0x%llx bytes, but the hypervisor maps one page (0x%llx) there",
				ctx->prefix, i, (unsigned long long)mem[i].size,
				(unsigned long long)WD_CHECK_COMM_SIZE);
	}
	if (comm == ~0U && !(cell->flags & WD_CELL_PASSIVE_COMMREG))
		CK_WARN(ctx, WD_CHECK_COMM_REGION,
			"%sno comm region, and the cell is not passive (PASSIVE_COMMREG): it cannot be asked before a shutdown, it is stopped without asking",
			ctx->subject);
	if (!loadable)
		CK_WARN(ctx, WD_CHECK_LOADABLE,
			"%sno memory region is LOADABLE: no image can be loaded into the cell",
			ctx->subject);
}

/* Is @irq set in one of @cell's irqchips (only those at @gicd, unless it is 0)? */
SYSTEM_ONLY static int claims_irq(const struct wd_cell_desc *cell, __u64 irq, __u64 gicd)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell);
	unsigned int n;

	for (n = 0; n < cell->num_irqchips; n++, chip++) {
		__u64 bit = irq - chip->pin_base;

		if ((gicd && chip->address != gicd) || irq < chip->pin_base ||
		    bit >= WD_IRQCHIP_PINS)
			continue;
		if ((chip->pin_bitmap[bit / 32] >> (bit % 32)) & 1)
			return 1;
	}
	return 0;
}

static void check_irqchips(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_irqchip *chip = wd_cell_irqchips(cell);
	unsigned int i, bit;

	for (i = 0; i < cell->num_irqchips; i++) {
		int lowest = -1, highest = -1;

		if (chip[i].pin_base % 32)
			CK_ERR(ctx, WD_CHECK_IRQCHIP, -EINVAL,
			       "%sirqchip #%u pin_base %u is not a multiple of 32",
			       ctx->prefix, i, chip[i].pin_base);
		if (CTX_SYS(ctx) && chip[i].address != CTX_SYS(ctx)->platform.arm.gicd_base)
			CK_ERR(ctx, WD_CHECK_IRQCHIP, -EINVAL,
			       "%sirqchip #%u address 0x%llx is not the GIC distributor 0x%llx",
			       ctx->prefix, i, (unsigned long long)chip[i].address,
			       (unsigned long long)CTX_SYS(ctx)->platform.arm.gicd_base);
		if (!CTX_SYS(ctx) && chip[i].address == 0)
			CK_ERR(ctx, WD_CHECK_IRQCHIP, -EINVAL,
			       "%sirqchip #%u has address 0 (expected the GIC distributor)",
			       ctx->prefix, i);

		for (bit = 0; bit < WD_IRQCHIP_PINS; bit++) {
			if (!((chip[i].pin_bitmap[bit / 32] >> (bit % 32)) & 1))
				continue;
			if (lowest < 0)
				lowest = (int)bit;
			highest = (int)bit;
		}
		if (highest < 0)
			continue;
		if ((__u64)chip[i].pin_base + (unsigned int)highest > WD_CHECK_LAST_SPI)
			CK_ERR(ctx, WD_CHECK_IRQCHIP, -EINVAL,
			       "%sirqchip #%u claims interrupt %llu, beyond the last SPI %u",
			       ctx->prefix, i,
			       (unsigned long long)chip[i].pin_base + (unsigned int)highest,
			       WD_CHECK_LAST_SPI);
		/* SGIs and PPIs are banked per CPU: the hypervisor gives cells only SPIs. */
		if (!CTX_IS_ROOT(ctx) &&
		    (__u64)chip[i].pin_base + (unsigned int)lowest < WD_CHECK_FIRST_SPI)
			CK_ERR(ctx, WD_CHECK_IRQCHIP, -EINVAL,
			       "%sirqchip #%u claims interrupt %u, an SGI or PPI: only SPIs (32-1019) can be given to a cell",
			       ctx->prefix, i, chip[i].pin_base + (unsigned int)lowest);
	}
}

/*
 * The ivshmem-v2 memory rules (the hypervisor enforces them at create with
 * the same code): the state table is the hypervisor's to write, each output
 * section is writable only by its owner, every output section has the same
 * size, and the link's memory is not also other memory of the cell. Sections
 * not back to back in the guest get a warning: drivers compute their
 * addresses by summing the sizes. A cell's link memory stays the root's too
 * (ROOTSHARED): the root has the regions as well, and so do the other peers.
 */
static void check_ivshmem_link(struct check_ctx *ctx, const struct wd_cell_desc *cell,
			       const struct wd_pci_device *dev)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell);
	unsigned int first = dev->shmem_regions_start, n = 2U + dev->shmem_peers;
	unsigned int k, r, other;
	__u64 next_virt = 0;
	__u32 size;
	/* "cell 'demo': ivshmem 00:01.0: ", formatted once for every message below */
	char lead[sizeof(ctx->name_buf) + 24];

	(void)snprintf(lead, sizeof(lead), "%sivshmem " BDF_FMT ": ", ctx->prefix,
		       BDF_ARGS(dev->bdf));

	if (dev->shmem_peers > WD_IVSHMEM_MAX_PEERS)
		CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
		       "%s%u peers, at most %u are supported",
		       lead, dev->shmem_peers, WD_IVSHMEM_MAX_PEERS);
	for (k = 0; k < 2; k++) {
		size = ~dev->bar_mask[k] + 1;
		if ((k == 0 || dev->bar_mask[k]) &&
		    (!dev->bar_mask[k] || (size & (size - 1)) || size < 0x1000))
			CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
			       "%sBAR %u mask 0x%08x is not that of a power-of-two size of at least 4 KiB",
			       lead, k, dev->bar_mask[k]);
	}
	if (dev->bar_mask[1] && (dev->num_msix_vectors < 1 ||
				 dev->num_msix_vectors > WD_IVSHMEM_MAX_MSIX))
		CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
		       "%s%u MSI-X vectors, 1 to %u are supported",
		       lead, dev->num_msix_vectors,
		       WD_IVSHMEM_MAX_MSIX);
	if (mem[first].size < 4ULL * dev->shmem_peers)
		CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
		       "%smemory region #%u (state table) of 0x%llx bytes is too small for %u peers",
		       lead, first,
		       (unsigned long long)mem[first].size, dev->shmem_peers);
	for (k = 0; k < n; k++) {
		const struct wd_mem_region *m = &mem[first + k];
		const char *what = k == 0 ? MSG_TEXT("state table") :
				   k == 1 ? MSG_TEXT("read/write section") :
				   MSG_TEXT("output section");

		r = first + k;
		if (!m->size)
			continue;
		if (k == 0 && (m->flags & WD_MEM_WRITE))
			CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
			       "%smemory region #%u (state table) is writable: only the hypervisor writes it",
			       lead, r);
		if (k >= 2 && k - 2 != dev->shmem_dev_id && (m->flags & WD_MEM_WRITE))
			CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
			       "%smemory region #%u (output section of peer %u) is writable, but this is peer %u",
			       lead, r, k - 2, dev->shmem_dev_id);
		if (k >= 3 && m->size != mem[first + 2].size)
			CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
			       "%smemory region #%u (output section of peer %u) has size 0x%llx, peer 0's has 0x%llx",
			       lead, r, k - 2,
			       (unsigned long long)m->size,
			       (unsigned long long)mem[first + 2].size);
		if (m->flags & WD_MEM_IO)
			CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
			       "%smemory region #%u (%s) is I/O memory",
			       lead, r, what);
		if (!CTX_IS_ROOT(ctx) && !(m->flags & WD_MEM_ROOTSHARED))
			CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
			       "%smemory region #%u (%s) is not ROOTSHARED: the cell would take the link's memory from the root cell",
			       lead, r, what);
		if (k > 0 && m->virt_start != next_virt)
			CK_WARN(ctx, WD_CHECK_IVSHMEM,
				"%smemory region #%u (%s) is at guest 0x%llx, not right after the previous section (0x%llx): drivers look for it there",
			       lead, r, what,
			       (unsigned long long)m->virt_start, (unsigned long long)next_virt);
		next_virt = m->virt_start + m->size;
		for (other = 0; other < cell->num_memory_regions; other++) {
			const struct wd_mem_region *o = &mem[other];

			if ((other >= first && other < first + n) || !o->size ||
			    (o->flags & WD_MEM_COMM_REGION) || !region_sane(o))
				continue;
			if (phys_meets(o, m->phys_start, m->size)) {
				CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
				       "%smemory region #%u (%s, phys 0x%llx-0x%llx) overlaps memory region #%u",
				       lead, r, what,
				       (unsigned long long)m->phys_start,
				       (unsigned long long)last_byte(m->phys_start, m->size), other);
				break;
			}
		}
	}
}

static void check_ivshmem(struct check_ctx *ctx, const struct wd_cell_desc *cell,
			  const char *pdev, const struct wd_pci_device *dev)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell);
	__u64 first = dev->shmem_regions_start;
	__u64 end = first + WD_CHECK_IVSHMEM_FIXED_REGIONS + dev->shmem_peers;
	__u64 r;

	if (dev->shmem_peers == 0) {
		CK_ERR(ctx, WD_CHECK_PCI, -EINVAL,
		       "%sivshmem %s has 0 peers", ctx->prefix, pdev);
		return;
	}
	if (dev->shmem_dev_id >= dev->shmem_peers)
		CK_ERR(ctx, WD_CHECK_PCI, -EINVAL,
		       "%sivshmem %s has peer id %u, but only %u peers",
		       ctx->prefix, pdev, dev->shmem_dev_id, dev->shmem_peers);
	if (end > cell->num_memory_regions) {
		CK_ERR(ctx, WD_CHECK_PCI, -ERANGE,
		       "%sivshmem %s uses memory regions #%llu-#%llu but the cell has %u",
		       ctx->prefix, pdev, (unsigned long long)first,
		       (unsigned long long)end - 1, cell->num_memory_regions);
		return;
	}
	for (r = first; r < end; r++)
		if (mem[r].flags & WD_MEM_COMM_REGION) {
			CK_ERR(ctx, WD_CHECK_PCI, -EINVAL,
			       "%sivshmem %s uses memory region #%llu, the comm region",
			       ctx->prefix, pdev, (unsigned long long)r);
			return;
		}
	check_ivshmem_link(ctx, cell, dev);
}

static void check_pci_devices(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_pci_device *dev = wd_cell_pci_devices(cell);
	unsigned int i, j;

	for (i = 0; i < cell->num_pci_devices; i++) {
		unsigned int end = (unsigned int)dev[i].caps_start + dev[i].num_caps;
		/* "PCI device #3 (00:01.0)", formatted once for the messages below */
		char pdev[40];

		(void)snprintf(pdev, sizeof(pdev), "PCI device #%u (" BDF_FMT ")", i,
			       BDF_ARGS(dev[i].bdf));

		if (dev[i].type != WD_PCI_TYPE_DEVICE && dev[i].type != WD_PCI_TYPE_BRIDGE &&
		    dev[i].type != WD_PCI_TYPE_IVSHMEM) {
			CK_ERR(ctx, WD_CHECK_PCI, -EINVAL,
			       "%s%s has unknown type %u",
			       ctx->prefix, pdev, dev[i].type);
			continue;
		}
		if (dev[i].num_caps && end > cell->num_pci_caps)
			CK_ERR(ctx, WD_CHECK_PCI, -ERANGE,
			       "%s%s uses capabilities #%u-#%u but the cell has %u",
			       ctx->prefix, pdev, dev[i].caps_start, end - 1,
			       cell->num_pci_caps);
		if (dev[i].iommu >= WD_IOMMU_MAX_UNITS)
			CK_ERR(ctx, WD_CHECK_PCI, -ERANGE,
			       "%s%s names IOMMU unit %u, but there are %u",
			       ctx->prefix, pdev, dev[i].iommu,
			       WD_IOMMU_MAX_UNITS);
		if (dev[i].type == WD_PCI_TYPE_IVSHMEM)
			check_ivshmem(ctx, cell, pdev, &dev[i]);
	}
	for (i = 0; i < cell->num_pci_devices; i++)
		for (j = i + 1; j < cell->num_pci_devices; j++)
			if (dev[i].domain == dev[j].domain && dev[i].bdf == dev[j].bdf)
				CK_ERR(ctx, WD_CHECK_PCI, -EINVAL,
				       "%sPCI devices #%u and #%u are both %04x:" BDF_FMT,
				       ctx->prefix, i, j, dev[i].domain, BDF_ARGS(dev[i].bdf));
	if (CTX_SYS(ctx) && cell->num_pci_devices && !CTX_SYS(ctx)->platform.pci_mmconfig_base)
		CK_ERR(ctx, WD_CHECK_PCI, -EINVAL,
		       "%s%u PCI devices, but the system has no PCI configuration space (pci_mmconfig_base 0)",
		       ctx->subject, cell->num_pci_devices);
}

static void check_stream_ids(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_stream_id *sid = wd_cell_stream_ids(cell);
	unsigned int i, j;

	for (i = 0; i < cell->num_stream_ids; i++)
		for (j = i + 1; j < cell->num_stream_ids; j++)
			if (sid[i].id == sid[j].id) {
				CK_ERR(ctx, WD_CHECK_STREAM_ID, -EINVAL,
				       "%sstream ids #%u and #%u are both 0x%x",
				       ctx->prefix, i, j, sid[i].id);
				break;
			}
	if (CTX_SYS(ctx) && cell->num_stream_ids) {
		for (i = 0; i < WD_IOMMU_MAX_UNITS; i++)
			if (CTX_SYS(ctx)->platform.iommu_units[i].type)
				return;
		CK_WARN(ctx, WD_CHECK_STREAM_ID,
			"%s%u stream ids, but the system has no IOMMU unit to use them",
			ctx->subject, cell->num_stream_ids);
	}
}

static void check_cell_flags(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	__u32 flags = cell->flags;

	if (flags & ~(__u32)WD_CELL_KNOWN_FLAGS)
		CK_ERR(ctx, WD_CHECK_CELL_FLAGS, -EINVAL, "%sflags 0x%x have unknown bits 0x%x",
		       ctx->subject, flags, flags & ~(__u32)WD_CELL_KNOWN_FLAGS);
	/* The hypervisor runs guests in AArch64 only (an AArch32 exit is fatal). */
	if (flags & WD_CELL_AARCH32)
		CK_ERR(ctx, WD_CHECK_CELL_FLAGS, -EOPNOTSUPP,
		       "%sflag AARCH32 (0x%x): AArch32 cells are not supported", ctx->subject,
		       WD_CELL_AARCH32);
	if ((flags & WD_CELL_VIRTUAL_CONSOLE_ACTIVE) &&
	    !(flags & WD_CELL_VIRTUAL_CONSOLE_PERMITTED))
		CK_WARN(ctx, WD_CHECK_CELL_FLAGS,
			"%sVIRTUAL_CONSOLE_ACTIVE without VIRTUAL_CONSOLE_PERMITTED: its console hypercalls are refused",
			ctx->subject);
}

/* Arrays that exist in the format for x86 only. */
static void check_unused(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	if (cell->num_pio_regions)
		CK_WARN(ctx, WD_CHECK_UNUSED,
			"%s%u PIO regions: arm64 has no port I/O, they are ignored", ctx->subject,
			cell->num_pio_regions);
	if (cell->num_cache_regions)
		CK_WARN(ctx, WD_CHECK_UNUSED,
			"%s%u cache regions: cache partitioning is not supported, they are ignored",
			ctx->subject, cell->num_cache_regions);
}

/* The region of @cell whose guest range holds [addr, addr + size), or -1. */
static int guest_region_of(const struct wd_cell_desc *cell, __u64 addr, __u64 size)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell);
	unsigned int n;

	if (!size || wraps(addr, size))
		return -1;
	for (n = 0; n < cell->num_memory_regions; n++)
		if (region_sane(&mem[n]) && !(mem[n].flags & WD_MEM_COMM_REGION) &&
		    addr >= mem[n].virt_start &&
		    last_byte(addr, size) <= last_byte(mem[n].virt_start, mem[n].size))
			return (int)n;
	return -1;
}

/* Where a non-root cell starts, and where it prints. */
static void check_entry_and_console(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	const struct wd_console *con = &cell->console;
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell);
	int n = guest_region_of(cell, cell->cpu_reset_address, 4);

	if (n < 0 || !(mem[n].flags & WD_MEM_EXECUTE) || (mem[n].flags & WD_MEM_IO))
		CK_WARN(ctx, WD_CHECK_ENTRY,
			"%scpu_reset_address 0x%llx is not in executable memory of the cell: its first instruction faults",
			ctx->subject, (unsigned long long)cell->cpu_reset_address);

	if (con->type == WD_CON_TYPE_NONE) {
		if (!(cell->flags & WD_CELL_VIRTUAL_CONSOLE_PERMITTED))
			CK_WARN(ctx, WD_CHECK_CONSOLE,
				"%sno console (type NONE) and no VIRTUAL_CONSOLE_PERMITTED: the cell cannot print",
				ctx->subject);
		return;
	}
	if (guest_region_of(cell, con->address, con->size ? con->size : 1) < 0)
		CK_WARN(ctx, WD_CHECK_CONSOLE,
			"%sconsole %s at 0x%llx (size 0x%x) is not in a memory region of the cell: it cannot reach it",
			ctx->subject, wd_console_type_name(con->type),
			(unsigned long long)con->address, con->size);
}

/* The checks of a cell descriptor: the root cell (with ctx->sys) or any other cell. */
static void check_cell_body(struct check_ctx *ctx, const struct wd_cell_desc *cell)
{
	check_cpu_set(ctx, cell);
	check_mem_regions(ctx, cell);
	check_irqchips(ctx, cell);
	check_pci_devices(ctx, cell);
	check_stream_ids(ctx, cell);
	check_cell_flags(ctx, cell);
	check_unused(ctx, cell);
	if (!CTX_IS_ROOT(ctx))
		check_entry_and_console(ctx, cell);
}

/* ---- The platform part of a system configuration */

static int hv_memory_ok(const struct wd_mem_region *hv)
{
	return hv->size >= WD_CHECK_MIN_HV_MEMORY && !wraps(hv->phys_start, hv->size) &&
	       is_page_aligned(hv->phys_start) && is_page_aligned(hv->size);
}

#ifndef __WARDEN_FREESTANDING__
static void check_hypervisor_memory(struct check_ctx *ctx, const struct wd_mem_region *hv)
{
	unsigned long long start = hv->phys_start, size = hv->size;

	if (hv->size == 0)
		CK_ERR(ctx, WD_CHECK_HV_MEMORY, -EINVAL, "hypervisor memory is missing (size 0)");
	else if (wraps(hv->phys_start, hv->size))
		CK_ERR(ctx, WD_CHECK_HV_MEMORY, -EOVERFLOW,
		       "hypervisor memory 0x%llx size 0x%llx wraps around the address space",
		       start, size);
	else if (!is_page_aligned(hv->phys_start) || !is_page_aligned(hv->size))
		CK_ERR(ctx, WD_CHECK_HV_MEMORY, -EINVAL,
		       "hypervisor memory 0x%llx size 0x%llx is not page aligned", start, size);
	else if (hv->size < WD_CHECK_MIN_HV_MEMORY)
		CK_ERR(ctx, WD_CHECK_HV_MEMORY, -ENOSPC,
		       "hypervisor memory 0x%llx-0x%llx is %llu KiB, less than the %llu KiB minimum",
		       start, (unsigned long long)last_byte(start, size), size >> 10,
		       (unsigned long long)(WD_CHECK_MIN_HV_MEMORY >> 10));
}

static void check_debug_console(struct check_ctx *ctx, const struct wd_system_config *sys)
{
	const struct wd_console *con = &sys->debug_console;
	const struct wd_mem_region *hv = &sys->hypervisor_memory;

	switch (con->type) {
	case WD_CON_TYPE_NONE:
		return;
	/* The UARTs the hypervisor has a driver for (hypervisor/core/uart-*.c). */
	case WD_CON_TYPE_PL011:
	case WD_CON_TYPE_8250:
	case WD_CON_TYPE_XUARTPS:
	case WD_CON_TYPE_MVEBU:
	case WD_CON_TYPE_HSCIF:
	case WD_CON_TYPE_SCIF:
	case WD_CON_TYPE_IMX:
	case WD_CON_TYPE_IMX_LPUART:
		break;
	default:
		CK_ERR(ctx, WD_CHECK_CONSOLE, -EOPNOTSUPP,
		       "debug console type %u (%s) is not supported (NONE, PL011, 8250, XUARTPS, MVEBU, HSCIF, SCIF, IMX, IMX_LPUART)",
		       con->type, wd_console_type_name(con->type));
		return;
	}
	if (con->address == 0)
		CK_ERR(ctx, WD_CHECK_CONSOLE, -EINVAL, "debug console %s has address 0",
		       wd_console_type_name(con->type));
	else if (con->size == 0)
		CK_ERR(ctx, WD_CHECK_CONSOLE, -EINVAL, "debug console %s at 0x%llx has size 0",
		       wd_console_type_name(con->type), (unsigned long long)con->address);
	else if (hv_memory_ok(hv) && !wraps(con->address, con->size) &&
		 ranges_meet(con->address, last_byte(con->address, con->size), hv->phys_start,
			     last_byte(hv->phys_start, hv->size)))
		CK_ERR(ctx, WD_CHECK_CONSOLE, -EINVAL,
		       "debug console %s at 0x%llx is inside hypervisor memory",
		       wd_console_type_name(con->type), (unsigned long long)con->address);
}

static void check_gic(struct check_ctx *ctx, const struct wd_arm_platform *arm)
{
	unsigned int v = arm->gic_version;

	if (v != 2 && v != 3) {
		CK_ERR(ctx, WD_CHECK_GIC, -EOPNOTSUPP, "GIC version %u is not supported (2 or 3)",
		       v);
		return;
	}
	if (arm->gicd_base == 0)
		CK_ERR(ctx, WD_CHECK_GIC, -EINVAL, "GICv%u distributor base gicd_base is 0", v);
	if (v == 3 && arm->gicr_base == 0)
		CK_ERR(ctx, WD_CHECK_GIC, -EINVAL, "GICv3 redistributor base gicr_base is 0");
	if (v == 2 && arm->gicc_base == 0)
		CK_ERR(ctx, WD_CHECK_GIC, -EINVAL, "GICv2 CPU interface base gicc_base is 0");
	if (v == 2 && arm->gich_base == 0)
		CK_ERR(ctx, WD_CHECK_GIC, -EINVAL,
		       "GICv2 hypervisor interface base gich_base is 0 (a GICv2 without the virtualization extensions cannot run Warden)");
	if (v == 2 && arm->gicv_base == 0)
		CK_ERR(ctx, WD_CHECK_GIC, -EINVAL,
		       "GICv2 virtual CPU interface base gicv_base is 0 (a GICv2 without the virtualization extensions cannot run Warden)");
	if (arm->maintenance_irq < 16 || arm->maintenance_irq > 31)
		CK_ERR(ctx, WD_CHECK_GIC, -EINVAL,
		       "GIC maintenance interrupt %u is not a PPI (16-31)", arm->maintenance_irq);
}

/* A unit worth comparing with others: known arm64 type, base and size set, no wrap. */
static int iommu_sane(const struct wd_iommu *u)
{
	return (u->type == WD_IOMMU_SMMUV3 || u->type == WD_IOMMU_PVU ||
		u->type == WD_IOMMU_ARM_MMU500) && u->base && u->size && !wraps(u->base, u->size);
}

static void check_iommu_units(struct check_ctx *ctx, const struct wd_platform *pf)
{
	unsigned int i, j;

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
			CK_ERR(ctx, WD_CHECK_IOMMU, -EOPNOTSUPP,
			       "IOMMU unit #%u type %u (%s) does not exist on arm64", i, u->type,
			       iommu_type_name(u->type));
			continue;
		default:
			CK_ERR(ctx, WD_CHECK_IOMMU, -EINVAL, "IOMMU unit #%u has unknown type %u",
			       i, u->type);
			continue;
		}
		if (u->base == 0)
			CK_ERR(ctx, WD_CHECK_IOMMU, -EINVAL, "IOMMU unit #%u (%s) has base 0", i,
			       iommu_type_name(u->type));
		else if (u->size == 0)
			CK_ERR(ctx, WD_CHECK_IOMMU, -EINVAL,
			       "IOMMU unit #%u (%s) at 0x%llx has size 0", i,
			       iommu_type_name(u->type), (unsigned long long)u->base);
		else if (wraps(u->base, u->size))
			CK_ERR(ctx, WD_CHECK_IOMMU, -EOVERFLOW,
			       "IOMMU unit #%u (%s) at 0x%llx size 0x%x wraps around the address space",
			       i, iommu_type_name(u->type), (unsigned long long)u->base, u->size);
	}
	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++) {
		const struct wd_iommu *a = &pf->iommu_units[i];

		if (!iommu_sane(a))
			continue;
		for (j = i + 1; j < WD_IOMMU_MAX_UNITS; j++) {
			const struct wd_iommu *b = &pf->iommu_units[j];

			if (iommu_sane(b) &&
			    ranges_meet(a->base, last_byte(a->base, a->size), b->base,
					last_byte(b->base, b->size)))
				CK_ERR(ctx, WD_CHECK_IOMMU, -EINVAL,
				       "IOMMU units #%u (0x%llx-0x%llx) and #%u (0x%llx-0x%llx) overlap",
				       i, (unsigned long long)a->base,
				       (unsigned long long)last_byte(a->base, a->size), j,
				       (unsigned long long)b->base,
				       (unsigned long long)last_byte(b->base, b->size));
		}
	}
}

/*
 * DMA isolation (hypervisor/arch/arm64/smmuv3.c): an SMMU's registers are the
 * hypervisor's, and a cell's stream ids move out of the root cell's set.
 */
static void check_smmu_registers(struct check_ctx *ctx, const struct wd_system_config *sys)
{
	const struct wd_mem_region *mem = wd_cell_mem_regions(&sys->root_cell);
	unsigned int i, n;

	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++) {
		const struct wd_iommu *u = &sys->platform.iommu_units[i];

		if (iommu_sane(u) && region_sane(&sys->hypervisor_memory) &&
		    phys_meets(&sys->hypervisor_memory, u->base, u->size))
			CK_ERR(ctx, WD_CHECK_IOMMU, -EINVAL,
			       "IOMMU unit #%u (%s at 0x%llx-0x%llx) is inside hypervisor memory 0x%llx-0x%llx",
			       i, iommu_type_name(u->type), (unsigned long long)u->base,
			       (unsigned long long)last_byte(u->base, u->size),
			       (unsigned long long)sys->hypervisor_memory.phys_start,
			       (unsigned long long)last_byte(sys->hypervisor_memory.phys_start,
							    sys->hypervisor_memory.size));
		for (n = 0; iommu_sane(u) && n < sys->root_cell.num_memory_regions; n++)
			if (region_sane(&mem[n]) && !(mem[n].flags & WD_MEM_COMM_REGION) &&
			    phys_meets(&mem[n], u->base, u->size))
				CK_ERR(ctx, WD_CHECK_IOMMU, -EINVAL,
				       "root cell memory region #%u (phys 0x%llx-0x%llx) maps the registers of IOMMU unit #%u (%s at 0x%llx), which only the hypervisor may use",
				       n, (unsigned long long)mem[n].phys_start,
				       (unsigned long long)last_byte(mem[n].phys_start, mem[n].size),
				       i, iommu_type_name(u->type), (unsigned long long)u->base);
	}
}

/* Without an IOMMU unit, check_stream_ids() warns that they are unused. */
static void check_stream_ids_in_root(struct check_ctx *ctx, const struct wd_system_config *sys,
				     const struct wd_cell_desc *cell)
{
	const struct wd_cell_desc *root = &sys->root_cell;
	const struct wd_stream_id *rs = wd_cell_stream_ids(root), *cs = wd_cell_stream_ids(cell);
	unsigned int i, j;

	for (i = 0; i < WD_IOMMU_MAX_UNITS && !sys->platform.iommu_units[i].type; i++)
		;
	if (i == WD_IOMMU_MAX_UNITS)
		return;
	for (i = 0; i < cell->num_stream_ids; i++) {
		for (j = 0; j < root->num_stream_ids && rs[j].id != cs[i].id; j++)
			;
		if (j == root->num_stream_ids)
			CK_ERR(ctx, WD_CHECK_STREAM_ID, -EBUSY,
			       "%sstream id 0x%x is not one of the root cell's", ctx->prefix,
			       cs[i].id);
	}
}

/* Everything after the header of a readable system configuration. */
static void check_system_body(struct check_ctx *ctx, const struct wd_system_config *sys)
{
	check_name(ctx, &sys->root_cell, "root cell");
	check_hypervisor_memory(ctx, &sys->hypervisor_memory);
	check_debug_console(ctx, sys);
	check_gic(ctx, &sys->platform.arm);
	check_iommu_units(ctx, &sys->platform);
	if (sys->flags & ~(__u32)WD_SYS_VIRTUAL_DEBUG_CONSOLE)
		CK_ERR(ctx, WD_CHECK_CELL_FLAGS, -EINVAL,
		       "system flags 0x%x have unknown bits 0x%x", sys->flags,
		       sys->flags & ~(__u32)WD_SYS_VIRTUAL_DEBUG_CONSOLE);

	ctx->sys = sys;
	ctx->hv_ok = hv_memory_ok(&sys->hypervisor_memory);
	ctx->is_root = 1;
	ctx->prefix = "";
	ctx->subject = "root cell ";
	check_cell_body(ctx, &sys->root_cell);
	check_smmu_registers(ctx, sys);
}

#endif /* !__WARDEN_FREESTANDING__ */

/* Everything after the header of a readable cell configuration. @sys: context or NULL. */
static void check_cell_rest(struct check_ctx *ctx, const struct wd_cell_desc *cell,
			    const struct wd_system_config *sys)
{
	char name[WD_CELL_NAME_LEN + 1];

	check_name(ctx, cell, "cell");
	ctx->sys = sys;
	ctx->hv_ok = sys && hv_memory_ok(&sys->hypervisor_memory);
	ctx->is_root = 0;
	printable(name, cell->name, WD_CELL_NAME_LEN, 1);
	(void)snprintf(ctx->name_buf, sizeof(ctx->name_buf), "cell '%s': ", name);
	ctx->prefix = ctx->name_buf;
	ctx->subject = ctx->name_buf;
	check_cell_body(ctx, cell);
}

#ifndef __WARDEN_FREESTANDING__
int wd_check_system(const void *blob, __u64 size, struct wd_check_result *res)
{
	struct check_ctx ctx;
	const struct wd_system_config *sys;

	ctx_init(&ctx, res, 0, 0, WD_CHECK_BLOB_SYSTEM);
	sys = system_header(&ctx, blob, size);
	if (sys)
		check_system_body(&ctx, sys);
	return res->error;
}

#endif /* !__WARDEN_FREESTANDING__ */

int wd_check_cell(const void *blob, __u64 size, struct wd_check_result *res)
{
	struct check_ctx ctx;
	const struct wd_cell_desc *cell;

	ctx_init(&ctx, res, 0, 0, 0);
	cell = cell_header(&ctx, blob, size);
	if (cell)
		check_cell_rest(&ctx, cell, 0);
	return res->error;
}

#ifndef __WARDEN_FREESTANDING__
/* ---- A set of configurations: cells against the root cell and each other */

/* Highest CPU number + 1 worth looking at in @cell (bounded: a corrupt size was reported). */
static unsigned int cpu_limit(const struct wd_cell_desc *cell)
{
	unsigned int bytes = cell->cpu_set_size;

	if (bytes > WD_CHECK_MAX_CPU_SET_SIZE)
		bytes = WD_CHECK_MAX_CPU_SET_SIZE;
	return bytes * 8;
}

/* A blob the set checks can read (header and size right), without reporting anything. */
static const struct wd_cell_desc *readable_cell(const void *blob, __u64 size)
{
	const struct wd_cell_desc *cell = blob;

	if (!blob || size < sizeof(*cell) ||
	    memcmp(cell->signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) != 0 ||
	    cell->revision != WD_CONFIG_REVISION || cell->architecture != WD_ARCH_ARM64 ||
	    wd_cell_config_size(cell) != size)
		return 0;
	return cell;
}

/*
 * Reports runs of consecutive numbers for which a test held: "CPU 3",
 * "SPIs 40-47". Feed it every number in increasing order, then flush().
 */
struct run {
	unsigned int first, last;
	int open;
};

/* Adds @x if @hit; returns 1 when a finished run [first, last] is ready to report. */
static int run_step(struct run *run, unsigned int x, int hit, unsigned int *first,
		    unsigned int *last)
{
	if (hit) {
		if (!run->open || x != run->last + 1) {
			int done = run->open;

			*first = run->first;
			*last = run->last;
			run->first = x;
			run->last = x;
			run->open = 1;
			return done;
		}
		run->last = x;
		return 0;
	}
	if (!run->open)
		return 0;
	*first = run->first;
	*last = run->last;
	run->open = 0;
	return 1;
}

static void set_cell_ctx(struct check_ctx *ctx, const struct wd_cell_desc *cell, int blob,
			 char *name)
{
	ctx->blob = blob;
	printable(name, cell->name, WD_CELL_NAME_LEN, 1);
	(void)snprintf(ctx->name_buf, sizeof(ctx->name_buf), "cell '%s': ", name);
	ctx->prefix = ctx->name_buf;
	ctx->subject = ctx->name_buf;
}

/*
 * The peers of a link (ivshmem devices of two cells at one BDF) must agree:
 * the same number of peers, different peer ids, the same memory (each
 * region at the same physical address with the same size). Both devices
 * passed check_ivshmem (their regions exist).
 */
static void check_link_pair(struct check_ctx *ctx, const struct wd_cell_desc *a,
			    const char *a_name, const struct wd_cell_desc *b, const char *b_name)
{
	const struct wd_pci_device *ad = wd_cell_pci_devices(a), *bd = wd_cell_pci_devices(b);
	const struct wd_mem_region *am = wd_cell_mem_regions(a), *bm = wd_cell_mem_regions(b);
	unsigned int i, j, k;

	for (j = 0; j < b->num_pci_devices; j++)
		for (i = 0; i < a->num_pci_devices; i++) {
			const struct wd_pci_device *x = &ad[i], *y = &bd[j];

			if (x->type != WD_PCI_TYPE_IVSHMEM || y->type != WD_PCI_TYPE_IVSHMEM ||
			    x->bdf != y->bdf)
				continue;
			if (x->shmem_peers != y->shmem_peers) {
				CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
				       "%sivshmem " BDF_FMT ": %u peers, cell '%s' says %u",
				       ctx->prefix, BDF_ARGS(y->bdf), y->shmem_peers, a_name,
				       x->shmem_peers);
				continue;
			}
			if (x->shmem_dev_id == y->shmem_dev_id)
				CK_ERR(ctx, WD_CHECK_IVSHMEM, -EBUSY,
				       "%sivshmem " BDF_FMT ": peer id %u is cell '%s' too",
				       ctx->prefix, BDF_ARGS(y->bdf), y->shmem_dev_id, a_name);
			if ((__u64)x->shmem_regions_start + 2 + x->shmem_peers > a->num_memory_regions ||
			    (__u64)y->shmem_regions_start + 2 + y->shmem_peers > b->num_memory_regions)
				continue;
			for (k = 0; k < 2U + y->shmem_peers; k++) {
				const struct wd_mem_region *p = &am[x->shmem_regions_start + k];
				const struct wd_mem_region *q = &bm[y->shmem_regions_start + k];

				if ((p->size || q->size) &&
				    (p->phys_start != q->phys_start || p->size != q->size)) {
					CK_ERR(ctx, WD_CHECK_IVSHMEM, -EINVAL,
					       "%sivshmem " BDF_FMT ": memory region #%u is phys 0x%llx size 0x%llx, cell '%s' has phys 0x%llx size 0x%llx there",
					       ctx->prefix, BDF_ARGS(y->bdf),
					       y->shmem_regions_start + k,
					       (unsigned long long)q->phys_start,
					       (unsigned long long)q->size, a_name,
					       (unsigned long long)p->phys_start,
					       (unsigned long long)p->size);
					break;
				}
			}
		}
	(void)b_name;
}

/* @cell (blob @blob) against the root cell of @sys. */
static void check_against_root(struct check_ctx *ctx, const struct wd_system_config *sys,
			       const struct wd_cell_desc *cell)
{
	const struct wd_cell_desc *root = &sys->root_cell;
	const struct wd_mem_region *mem = wd_cell_mem_regions(cell);
	const struct wd_mem_region *rmem = wd_cell_mem_regions(root);
	const struct wd_console *con = &sys->debug_console;
	__u64 gicd = sys->platform.arm.gicd_base;
	struct run run = { 0, 0, 0 };
	unsigned int x, first, last, n, m, limit = cpu_limit(cell);
	char what[48];

	for (x = 0; x <= limit; x++) {
		int hit = x < limit && wd_cell_has_cpu(cell, x) && !wd_cell_has_cpu(root, x);

		if (run_step(&run, x, hit, &first, &last)) {
			range_text(what, sizeof(what), "CPU", first, last);
			CK_ERR(ctx, WD_CHECK_CPU_NOT_IN_ROOT, -EBUSY,
			       "%s%s %s not in the root cell", ctx->subject, what,
			       first == last ? "is" : "are");
		}
	}

	/* The hypervisor moves each region out of exactly one root region. */
	for (n = 0; n < cell->num_memory_regions; n++) {
		if (!region_sane(&mem[n]) || (mem[n].flags & WD_MEM_COMM_REGION))
			continue;
		for (m = 0; m < root->num_memory_regions; m++)
			if (region_sane(&rmem[m]) && !(rmem[m].flags & WD_MEM_COMM_REGION) &&
			    mem[n].phys_start >= rmem[m].phys_start &&
			    last_byte(mem[n].phys_start, mem[n].size) <=
			    last_byte(rmem[m].phys_start, rmem[m].size))
				break;
		if (m == root->num_memory_regions)
			CK_ERR(ctx, WD_CHECK_MEM_NOT_IN_ROOT, -EINVAL,
			       "%smemory region #%u (phys 0x%llx-0x%llx) is not inside one memory region of the root cell",
			       ctx->prefix, n, (unsigned long long)mem[n].phys_start,
			       (unsigned long long)last_byte(mem[n].phys_start, mem[n].size));
		else if (con->type != WD_CON_TYPE_NONE && con->size &&
			 !wraps(con->address, con->size) &&
			 !(mem[n].flags & WD_MEM_ROOTSHARED) &&
			 phys_meets(&mem[n], con->address, con->size))
			CK_WARN(ctx, WD_CHECK_CONSOLE,
				"%smemory region #%u (phys 0x%llx-0x%llx) takes the hypervisor's debug console %s 0x%llx away from the root cell",
				ctx->prefix, n, (unsigned long long)mem[n].phys_start,
				(unsigned long long)last_byte(mem[n].phys_start, mem[n].size),
				wd_console_type_name(con->type), (unsigned long long)con->address);
	}

	run.open = 0;
	for (x = WD_CHECK_FIRST_SPI; x <= WD_CHECK_LAST_SPI + 1; x++) {
		int hit = x <= WD_CHECK_LAST_SPI && claims_irq(cell, x, 0) &&
			  !claims_irq(root, x, gicd);

		if (run_step(&run, x, hit, &first, &last)) {
			range_text(what, sizeof(what), "SPI", first, last);
			CK_ERR(ctx, WD_CHECK_IRQ_NOT_IN_ROOT, -EBUSY,
			       "%s%s %s not owned by the root cell", ctx->subject, what,
			       first == last ? "is" : "are");
		}
	}

	if (!memcmp(cell->name, root->name, WD_CELL_NAME_LEN))
		CK_ERR(ctx, WD_CHECK_NAME, -EEXIST, "%sthe root cell has the same name",
		       ctx->subject);
	check_stream_ids_in_root(ctx, sys, cell);
	check_link_pair(ctx, root, "root", cell, "");
}

/* Cell @b (the later one, ctx->blob) against cell @a; their printable names. */
static void check_pair(struct check_ctx *ctx, const struct wd_cell_desc *a, const char *a_name,
		       const struct wd_cell_desc *b, const char *b_name)
{
	const struct wd_mem_region *am = wd_cell_mem_regions(a), *bm = wd_cell_mem_regions(b);
	const struct wd_stream_id *as = wd_cell_stream_ids(a), *bs = wd_cell_stream_ids(b);
	const struct wd_pci_device *ad = wd_cell_pci_devices(a), *bd = wd_cell_pci_devices(b);
	struct run run = { 0, 0, 0 };
	unsigned int x, first, last, i, j, limit = cpu_limit(b);
	char what[48];

	if (!memcmp(a->name, b->name, WD_CELL_NAME_LEN))
		CK_ERR(ctx, WD_CHECK_NAME, -EEXIST, "two cells are named '%s'", b_name);

	for (x = 0; x <= limit; x++) {
		int hit = x < limit && wd_cell_has_cpu(b, x) && wd_cell_has_cpu(a, x);

		if (run_step(&run, x, hit, &first, &last)) {
			range_text(what, sizeof(what), "CPU", first, last);
			CK_ERR(ctx, WD_CHECK_CPU_CONFLICT, -EBUSY,
			       "cells '%s' and '%s' both use %s", a_name, b_name, what);
		}
	}

	/* Memory moves to one cell unless both share it with the root cell. */
	for (j = 0; j < b->num_memory_regions; j++) {
		if (!region_sane(&bm[j]) || (bm[j].flags & WD_MEM_COMM_REGION))
			continue;
		for (i = 0; i < a->num_memory_regions; i++) {
			if (!region_sane(&am[i]) || (am[i].flags & WD_MEM_COMM_REGION) ||
			    ((am[i].flags & bm[j].flags) & WD_MEM_ROOTSHARED) ||
			    !phys_meets(&bm[j], am[i].phys_start, am[i].size))
				continue;
			CK_ERR(ctx, WD_CHECK_MEM_CONFLICT, -EBUSY,
			       "%smemory region #%u (phys 0x%llx-0x%llx) overlaps memory region #%u (phys 0x%llx-0x%llx) of cell '%s'",
			       ctx->prefix, j, (unsigned long long)bm[j].phys_start,
			       (unsigned long long)last_byte(bm[j].phys_start, bm[j].size), i,
			       (unsigned long long)am[i].phys_start,
			       (unsigned long long)last_byte(am[i].phys_start, am[i].size), a_name);
		}
	}

	run.open = 0;
	for (x = WD_CHECK_FIRST_SPI; x <= WD_CHECK_LAST_SPI + 1; x++) {
		int hit = x <= WD_CHECK_LAST_SPI && claims_irq(b, x, 0) && claims_irq(a, x, 0);

		if (run_step(&run, x, hit, &first, &last)) {
			range_text(what, sizeof(what), "SPI", first, last);
			CK_ERR(ctx, WD_CHECK_IRQ_CONFLICT, -EBUSY,
			       "cells '%s' and '%s' both claim %s", a_name, b_name, what);
		}
	}

	for (j = 0; j < b->num_stream_ids; j++)
		for (i = 0; i < a->num_stream_ids; i++)
			if (as[i].id == bs[j].id) {
				CK_ERR(ctx, WD_CHECK_STREAM_ID, -EBUSY,
				       "cells '%s' and '%s' both claim stream id 0x%x", a_name,
				       b_name, bs[j].id);
				break;
			}

	/* An ivshmem device appears in every peer; anything else belongs to one cell. */
	for (j = 0; j < b->num_pci_devices; j++) {
		if (bd[j].type == WD_PCI_TYPE_IVSHMEM)
			continue;
		for (i = 0; i < a->num_pci_devices; i++)
			if (ad[i].type != WD_PCI_TYPE_IVSHMEM && ad[i].domain == bd[j].domain &&
			    ad[i].bdf == bd[j].bdf) {
				CK_ERR(ctx, WD_CHECK_PCI, -EBUSY,
				       "cells '%s' and '%s' both claim PCI device %04x:" BDF_FMT,
				       a_name, b_name, bd[j].domain, BDF_ARGS(bd[j].bdf));
				break;
			}
	}
	check_link_pair(ctx, a, a_name, b, b_name);
}

/* Does some readable cell of the set use @cpu? */
static int set_uses_cpu(const void *const *cells, const __u64 *sizes, unsigned int n,
			unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct wd_cell_desc *c = readable_cell(cells[i], sizes[i]);

		if (c && cpu < cpu_limit(c) && wd_cell_has_cpu(c, cpu))
			return 1;
	}
	return 0;
}

unsigned int wd_check_set(const void *sys, __u64 sys_size, const void *const *cells,
			  const __u64 *sizes, unsigned int n, wd_check_report_fn report,
			  void *report_ctx)
{
	const struct wd_system_config *s = 0;
	struct check_ctx ctx;
	char a_name[WD_CELL_NAME_LEN + 1], b_name[WD_CELL_NAME_LEN + 1];
	unsigned int i, j, cpu, errors = 0, root_cpus = 0, root_kept = 0;

	if (!cells || !sizes)
		n = 0;

	if (sys) {
		ctx_init(&ctx, 0, report, report_ctx, WD_CHECK_BLOB_SYSTEM);
		s = system_header(&ctx, sys, sys_size);
		if (s)
			check_system_body(&ctx, s);
		errors += ctx.errors;
	}

	for (i = 0; i < n; i++) {
		const struct wd_cell_desc *c;

		ctx_init(&ctx, 0, report, report_ctx, (int)i);
		c = cell_header(&ctx, cells[i], sizes[i]);
		if (c)
			check_cell_rest(&ctx, c, s);
		errors += ctx.errors;
	}

	ctx_init(&ctx, 0, report, report_ctx, WD_CHECK_BLOB_SYSTEM);
	for (j = 0; j < n; j++) {
		const struct wd_cell_desc *b = readable_cell(cells[j], sizes[j]);

		if (!b)
			continue;
		set_cell_ctx(&ctx, b, (int)j, b_name);
		if (s)
			check_against_root(&ctx, s, b);
		for (i = 0; i < j; i++) {
			const struct wd_cell_desc *a = readable_cell(cells[i], sizes[i]);

			if (!a)
				continue;
			printable(a_name, a->name, WD_CELL_NAME_LEN, 1);
			check_pair(&ctx, a, a_name, b, b_name);
		}
	}

	/* The root cell runs on whatever CPUs the cells leave it; it needs one. */
	if (s && n) {
		for (cpu = 0; cpu < cpu_limit(&s->root_cell); cpu++) {
			if (!wd_cell_has_cpu(&s->root_cell, cpu))
				continue;
			root_cpus++;
			if (!set_uses_cpu(cells, sizes, n, cpu))
				root_kept++;
		}
		ctx.blob = WD_CHECK_BLOB_SYSTEM;
		if (root_cpus && !root_kept)
			CK_ERR(&ctx, WD_CHECK_ROOT_CPU, -EBUSY,
			       "the cells take all %u CPUs of the root cell: it must keep one",
			       root_cpus);
	}
	return errors + ctx.errors;
}

#endif /* !__WARDEN_FREESTANDING__ */
