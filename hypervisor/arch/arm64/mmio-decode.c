/* Decoding a stage-2 data abort syndrome into an MMIO access (ARM ARM D17.2.40). */
#include <asm/traps.h>

#define ISS_ISV		(1UL << 24)
#define ISS_SAS_SHIFT	22
#define ISS_SSE		(1UL << 21)
#define ISS_SRT_SHIFT	16
#define ISS_SF		(1UL << 15)
#define ISS_S1PTW	(1UL << 7)
#define ISS_WNR		(1UL << 6)
#define HPFAR_FIPA_MASK	0x00000ffffffffff0ULL

void dabt_decode(u64 esr, u64 hpfar, u64 far, struct dabt_info *info)
{
	info->ipa = ((hpfar & HPFAR_FIPA_MASK) << 8) | (far & 0xfff);
	info->valid = esr & ISS_ISV;
	info->size = 1U << ((esr >> ISS_SAS_SHIFT) & 3);
	info->reg = (esr >> ISS_SRT_SHIFT) & 0x1f;
	info->is_write = esr & ISS_WNR;
	info->sign_extend = esr & ISS_SSE;
	info->sixty_four = esr & ISS_SF;
	info->stage1_walk = esr & ISS_S1PTW;
}

u64 dabt_load_value(const struct dabt_info *info, u64 raw)
{
	unsigned int bits = info->size * 8;
	u64 v;

	/* The common case: a zero-extending load of a Wn from a 32-bit register. */
	if (bits == 32 && !info->sign_extend && !info->sixty_four)
		return raw & 0xffffffffULL;
	v = bits == 64 ? raw : raw & ((1ULL << bits) - 1);

	if (info->sign_extend && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	if (!info->sixty_four)
		v &= 0xffffffffULL;
	return v;
}

/*
 * Emulate a decoded access through @mmio: a store's value comes from @x (the
 * guest's x0-x30; 31 is the zero register), a load's result goes there,
 * extended as the instruction asks. Anything but MMIO_HANDLED leaves the
 * registers as they were.
 */
enum mmio_result dabt_emulate(struct mmio_regions *mmio,
			      const struct dabt_info *info, u64 *x)
{
	struct mmio_access acc;
	enum mmio_result res;

	acc.address = info->ipa;
	acc.size = info->size;
	acc.is_write = info->is_write;
	acc.value = info->is_write && info->reg != 31 ? x[info->reg] : 0;
	if (acc.is_write && acc.size < 8)
		acc.value &= (1ULL << (acc.size * 8)) - 1;
	res = mmio_dispatch(mmio, &acc);
	if (res == MMIO_HANDLED && !acc.is_write && info->reg != 31)
		x[info->reg] = dabt_load_value(info, acc.value);
	return res;
}
