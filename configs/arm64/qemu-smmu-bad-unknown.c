/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Always refused: stream id 0x1000 is not one of the root cell's
 * (qemu-smmu.c lists bus 0 and the functions 01:00.0 and 02:00.0 only), so
 * it cannot be moved to a cell.
 */
#define BAD_CELL_NAME	"dma-unknown"
#define BAD_STREAM_ID	0x1000	/* bus 0x10: not a stream id of the root cell */
#include "qemu-smmu-bad-taken.c"
