/*
 * The image header (struct wd_fw_header in include/warden/firmware.h). Sizes
 * and offsets come from the linker script as absolute symbols, so they need no
 * relocation; the driver reads them before the image runs.
 */
#include <asm/layout.h>

	.section .header, "a"
	.ascii	"WARDENHV"
	.word	1				/* header_version */
	.word	CONFIG_WD_MAX_CPUS		/* max_cpus */
	.quad	__image_file_size		/* image_size */
	.quad	__core_size			/* core_size */
	.quad	__entry_vectors_offset		/* entry_vectors */
	.quad	__console_offset		/* console_offset */
	/* filled in by the driver: online_cpus .. cpu_mpidr[64] */
	.fill	8 + 8 + 8 + 8 + 64 * 8, 1, 0
	.quad	__reason_offset			/* reason_offset */
	/* filled in by the driver: pci_ecam_phys .. pci_ecam_reserved */
	.fill	16, 1, 0
	/* filled in by the driver: pci_msi_map_flags .. pci_msi_map[4] */
	.fill	16 + 4 * 16, 1, 0
