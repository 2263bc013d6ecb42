/*
 * Host unit tests of the hypervisor's judgement of an SMMUv3 unit's ID
 * registers (hypervisor/arch/arm64/smmuv3-id.c): what a bus returns where no
 * SMMU is (zeros, all ones) or another device's registers are refused before
 * the unit is programmed; QEMU's SMMUv3 and plausible hardware values pass.
 */
#include "check.h"
#include "../../hypervisor/arch/arm64/smmuv3-id.c"

/* As QEMU 10's smmuv3 reads (stage 1+2, AArch64, 16-bit stream ids, v3.1). */
#define QEMU_IDR0	0x08001c2fU
#define QEMU_IDR1	0x00e73010U
#define QEMU_AIDR	0x1U

static void refused(const char *name, u32 idr0, u32 idr1, u32 aidr, const char *why)
{
	const char *got = smmuv3_id_implausible(idr0, idr1, aidr);

	CHECK_STR(name, got ? got : "(accepted)", why);
}

int main(void)
{
	CHECK("QEMU's SMMUv3 is accepted", !smmuv3_id_implausible(QEMU_IDR0, QEMU_IDR1, QEMU_AIDR));
	CHECK("a stage-2-only SMMUv3.0 is accepted",
	      !smmuv3_id_implausible(0x1 | (2 << 2), 16, 0x0));
	CHECK("SMMUv3.3 is accepted", !smmuv3_id_implausible(QEMU_IDR0, QEMU_IDR1, 0x3));
	refused("nothing there (all zeros)", 0, 0, 0, "IDR0 reads 0");
	refused("IDR0 zero alone is refused (IDR1 and AIDR plausible)", 0, QEMU_IDR1, QEMU_AIDR,
		"IDR0 reads 0");
	refused("all ones", ~0U, ~0U, ~0U, "ID registers read all ones");
	refused("IDR1 all ones", QEMU_IDR0, ~0U, QEMU_AIDR, "ID registers read all ones");
	refused("AIDR all ones", QEMU_IDR0, QEMU_IDR1, ~0U, "ID registers read all ones");
	refused("no stage at all", QEMU_IDR0 & ~3U, QEMU_IDR1, QEMU_AIDR,
		"IDR0 names no translation stage or table format");
	refused("no table format (TTF 0)", QEMU_IDR0 & ~0xcU, QEMU_IDR1, QEMU_AIDR,
		"IDR0 names no translation stage or table format");
	refused("SIDSIZE 33", QEMU_IDR0, (QEMU_IDR1 & ~0x3fU) | 33, QEMU_AIDR,
		"IDR1.SIDSIZE above 32");
	refused("AIDR of another architecture major revision", QEMU_IDR0, QEMU_IDR1, 0x10,
		"AIDR is not an SMMUv3's");
	refused("AIDR with reserved bits set", QEMU_IDR0, QEMU_IDR1, 0x101,
		"AIDR is not an SMMUv3's");
	return check_failures ? 1 : 0;
}
