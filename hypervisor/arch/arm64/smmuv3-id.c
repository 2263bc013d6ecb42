/*
 * Is there an SMMUv3 at all where the system configuration says? Before the
 * hypervisor writes a single register of a unit it reads the ID registers
 * and judges them here. Where no device answers, a bus returns zeros (QEMU's
 * unassigned I/O, many interconnects) or all ones, and some other device
 * returns whatever its registers hold: none of that may be taken for an SMMU
 * and programmed. A pure function of the values read, so that the host unit
 * tests (tests/unit/test-smmu-id.c) feed it every case.
 */
#include <wd/printk.h>
#include <asm/smmuv3.h>

#define IDR0_S2P		(1U << 0)
#define IDR0_S1P		(1U << 1)
#define IDR0_TTF(v)		(((v) >> 2) & 3)
#define IDR1_SIDSIZE(v)		((v) & 0x3f)
#define AIDR_ARCH_MAJOR(v)	(((v) >> 4) & 0xf)

const char *smmuv3_id_implausible(u32 idr0, u32 idr1, u32 aidr)
{
	if (idr0 == 0)
		return MSG_TEXT("IDR0 reads 0");
	if (idr0 == ~0U || idr1 == ~0U || aidr == ~0U)
		return MSG_TEXT("ID registers read all ones");
	/* An SMMU translates at least one stage, in at least one format. */
	if (!(idr0 & (IDR0_S1P | IDR0_S2P)) || IDR0_TTF(idr0) == 0)
		return MSG_TEXT("IDR0 names no translation stage or table format");
	if (IDR1_SIDSIZE(idr1) > 32)
		return MSG_TEXT("IDR1.SIDSIZE above 32");
	/* SMMUv3.x: ArchMajorRev 0, bits [31:8] reserved (zero). */
	if (AIDR_ARCH_MAJOR(aidr) != 0 || (aidr >> 8))
		return MSG_TEXT("AIDR is not an SMMUv3's");
	return 0;
}
