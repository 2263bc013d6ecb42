/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inmate image layout (see include/inmate/layout.h). Preprocessed with
 * -DINMATE_LOAD_ADDR=<address the image runs at>.
 */
#include <inmate/layout.h>

OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)
ENTRY(_start)

SECTIONS
{
	. = INMATE_LOAD_ADDR;
	.head : { KEEP(*(.head)) }

	/* Moving backwards here fails the link: the entry code is too big. */
	. = INMATE_LOAD_ADDR + INMATE_VECTORS_OFFSET;
	.vectors : { KEEP(*(.vectors)) }

	. = INMATE_LOAD_ADDR + INMATE_CMDLINE_OFFSET;
	/* lib/cmdline.c's zero-filled page */
	.cmdline : { KEEP(*(.cmdline)) }

	. = INMATE_LOAD_ADDR + INMATE_TEXT_OFFSET;
	.text : { *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }

	/* Cleared by the entry code, 8 bytes at a time. */
	. = ALIGN(8);
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		. = ALIGN(8);
		__bss_end = .;
	}

	. = ALIGN(16);
	.stacks (NOLOAD) : {
		. += INMATE_MAX_CPUS * INMATE_STACK_SIZE;
		__stacks_end = .;
	}
	__image_end = .;

	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.ARM.attributes) }
}

ASSERT(SIZEOF(.cmdline) == INMATE_CMDLINE_SIZE, "the .cmdline page must be exactly 4 KiB")
ASSERT(__image_end - INMATE_LOAD_ADDR <= INMATE_RAM_SIZE,
       "image, bss and stacks exceed the 64 KiB RAM of the demo cells")
