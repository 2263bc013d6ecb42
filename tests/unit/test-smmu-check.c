/*
 * Host unit tests of the validator's DMA-isolation checks
 * (common/config-check.c: check_smmu_registers, check_stream_ids_in_root):
 * the root cell may not map an SMMU's registers, and a cell's stream ids
 * must be the root cell's. The same rules the hypervisor enforces
 * (hypervisor/arch/arm64/smmuv3.c), with the same wording.
 */
#include "check.h"
#include "../../common/config-check.c"
#include "config-blobs.h"

static char findings[4096];

static void collect(void *ctx, enum wd_check_severity sev, enum wd_check_kind kind, int blob,
		    const char *msg)
{
	char line[400];

	snprintf(line, sizeof(line), "%d %s [%s] %s\n", blob, wd_check_severity_name(sev),
		 wd_check_kind_name(kind), msg);
	strncat(findings, line, sizeof(findings) - strlen(findings) - 1);
}

/* Findings of the set (system @sys, one cell @cell or none), as lines. */
static unsigned int run(const struct spec *sys, const struct spec *cell)
{
	static __u8 sys_buf[MAX_BLOB], cell_buf[MAX_BLOB];
	const void *cells[1] = { cell_buf };
	__u64 sizes[1];
	__u64 sys_len = build(sys, SYS, sys_buf);

	findings[0] = 0;
	if (cell)
		sizes[0] = build(cell, CELL, cell_buf);
	return wd_check_set(sys_buf, sys_len, cells, sizes, cell ? 1 : 0, collect, NULL);
}

int main(void)
{
	struct spec sys, cell;
	unsigned int errors;

	good_system(&sys);
	sys.sids[0].id = 0x8;
	sys.sids[1].id = 0x10;
	sys.n_sids = 2;
	good_cell(&cell);
	cell.sids[0].id = 0x10;
	cell.n_sids = 1;
	errors = run(&sys, &cell);
	CHECK_EQ("a cell with one of the root's stream ids: no error", errors, 0);
	CHECK_STR("... and no finding", findings, "");

	cell.sids[1].id = 0x1000;
	cell.n_sids = 2;
	errors = run(&sys, &cell);
	CHECK_EQ("a stream id the root does not have: one error", errors, 1);
	CHECK_STR("... named with the cell and the id", findings,
		  "0 error [stream-id] cell 'demo': stream id 0x1000 is not one of the root cell's\n");

	good_system(&sys);
	sys.mem[4] = region(0x09050000, 0x09050000, 0x20000, RWIO);
	sys.n_mem = 5;
	errors = run(&sys, NULL);
	CHECK_EQ("a root region over the SMMU's registers: one error", errors, 1);
	CHECK_STR("... naming region and unit", findings,
		  "-1 error [iommu] root cell memory region #4 (phys 0x9050000-0x906ffff) maps the registers of IOMMU unit #0 (SMMUv3 at 0x9050000), which only the hypervisor may use\n");

	sys.mem[4] = region(0x09060000, 0x09060000, 0x1000, RWIO);
	errors = run(&sys, NULL);
	CHECK_EQ("a root region over the SMMU's second register page: one error", errors, 1);

	sys.mem[4] = region(0x09070000, 0x09070000, 0x1000, RWIO);
	errors = run(&sys, NULL);
	CHECK_EQ("a root region right after the SMMU: no error", errors, 0);

	good_system(&sys);
	sys.sys.platform.iommu_units[0].base = 0x7fff0000;
	errors = run(&sys, NULL);
	CHECK_EQ("an SMMU inside hypervisor memory: one error", errors, 1);
	CHECK_STR("... naming unit and hypervisor memory", findings,
		  "-1 error [iommu] IOMMU unit #0 (SMMUv3 at 0x7fff0000-0x8000ffff) is inside hypervisor memory 0x7fc00000-0x7fffffff\n");
	sys.sys.platform.iommu_units[0].base = 0x80000000;
	errors = run(&sys, NULL);
	CHECK_EQ("an SMMU right after hypervisor memory: no error", errors, 0);

	/* GICv4 redistributor frames are 0x40000: where they would be, a warning. */
	good_system(&sys);
	sys.mem[4] = region(0x08120000, 0x08120000, 0x1000, RWIO);
	sys.n_mem = 5;
	errors = run(&sys, NULL);
	CHECK_EQ("a root region where a GICv4's frames would be: no error", errors, 0);
	CHECK("... but a warning naming it",
	      strstr(findings, "memory region #4 (phys 0x8120000-0x8120fff) is where a GICv4's redistributor frames (0x40000 bytes each) would be") != NULL);

	return check_failures ? 1 : 0;
}
