/*
 * For the unit tests of other parts that link vpci.c or cell-create.c: the
 * cells there own no physical PCI function with a configuration space (as
 * without a physical ECAM). test-hv-vpci-phys.c tests the real ones.
 */
#include <wd/vpci-phys.h>

int vpci_phys_create(struct cell *cell) { return 0; }
int vpci_phys_trap(struct cell *cell) { return 0; }
void vpci_phys_reset(struct cell *cell) { }
#ifndef VPCI_PHYS_MSI_RELEASE_RECORDED	/* test-hv-mgmt-dma.c records these */
void vpci_phys_destroy(struct cell *cell) { }
void vpci_phys_msi_release(struct cell *cell) { }
#endif
struct vpci_phys_fn *vpci_phys_fn_at(struct cell *cell, u16 vbdf) { return NULL; }
u32 vpci_phys_cfg_read(const struct vpci_phys_fn *fn, unsigned int reg) { return 0; }
void vpci_phys_cfg_write(struct vpci_phys_fn *fn, unsigned int reg, u32 value, u32 bytes) { }
