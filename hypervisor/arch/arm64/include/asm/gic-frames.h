#ifndef ASM_GIC_FRAMES_H
#define ASM_GIC_FRAMES_H

struct wd_cell_desc;

/*
 * gic-frames-check.c: -EINVAL, with a reason, if a memory region of @c
 * meets the redistributor frames as the hardware has them (after gicv3_init).
 */
int gic_check_frames(const struct wd_cell_desc *c);

#endif
