/*
 * The virtual PCI host every cell has (vpci.c: ECAM window, configuration
 * space, BAR decoding) and the ivshmem-v2 devices on it (ivshmem.c: register
 * block, links between cells, doorbells, the state table).
 */
#ifndef WD_VPCI_H
#define WD_VPCI_H

#include <wd/types.h>
#include <wd/mmio.h>
#include <wd/spinlock.h>
#include <warden/cell-config.h>
#include <warden/ivshmem.h>

struct cell;
struct ivshmem_link;

/* One ivshmem-v2 endpoint: a device of a cell's configuration. */
struct vpci_dev {
	const struct wd_pci_device *cfg;
	struct cell *cell;
	u16 bdf;
	u8 id;				/* shmem_dev_id: the peer number */
	u8 peers;			/* shmem_peers */
	u32 bar_size[2];		/* 0: the BAR is not implemented */
	u32 int_ctrl;			/* written by peers' CPUs too (one-shot): atomics */
	u32 state;
	unsigned int num_vectors;	/* MSI-X vectors, or 1 (INTx) */
	unsigned int intx_irq;		/* INTID of INTx, 0 with MSI-X */
	u32 msix[WD_IVSHMEM_MAX_MSIX][4];	/* address lo/hi, data, control */
	struct ivshmem_link *link;
	/*
	 * The configuration space as the cell reads it (dword by dword, built
	 * at reset, vpci.c) and the bits of each dword it may write: command,
	 * BARs, interrupt line, one-shot, MSI-X Enable and Function Mask live
	 * only here (VPCI_DW_*).
	 */
	u32 space[WD_IVSHMEM_CFG_SIZE / 4];
	u32 wmask[WD_IVSHMEM_CFG_SIZE / 4];
};

/* Dwords of vpci_dev.space the emulation reads back. */
#define VPCI_DW_COMMAND		(WD_PCI_COMMAND / 4)
#define VPCI_DW_BAR0		(WD_PCI_BAR0 / 4)
#define VPCI_DW_PRIV		(WD_IVSHMEM_CAP / 4)	/* byte 3: one-shot */
#define VPCI_DW_MSIX		(WD_IVSHMEM_MSIX_CAP / 4)

struct vpci_phys;

struct vpci {
	spinlock_t lock;		/* configuration space and register writes */
	struct vpci_phys *phys;		/* physical functions (vpci-phys.c), or NULL */
	u64 phys_pages;
	unsigned int num;
	struct vpci_dev dev[];
};

/* Cell life cycle (cell-create.c, cell-start-stop.c, cell-destroy.c, cell.c); see vpci.c. */
int vpci_cell_check(const struct wd_cell_desc *config);
int vpci_cell_create(struct cell *cell);
void vpci_cell_reset(struct cell *cell);
void vpci_cell_stopped(struct cell *cell);
void vpci_cell_destroy(struct cell *cell);
/* @cell's ivshmem device at @bdf, or NULL. */
struct vpci_dev *vpci_dev_at(struct cell *cell, u16 bdf);
/* How many of @c's pci_devices are of @type (WD_PCI_TYPE_*). */
unsigned int vpci_count(const struct wd_cell_desc *c, u8 type);
/* WD_INFO_CELL_IVSHMEM (include/warden/hypercall.h). */
long vpci_info(u64 arg);
/* The cell's INTx of its ivshmem devices: may @irq go to another cell? */
struct cell *vpci_irq_user(unsigned int irq);

/* ECAM window and BAR accesses (also the unit tests' entry points). */
enum mmio_result vpci_ecam_access(void *cell, struct mmio_access *acc);
enum mmio_result vpci_bar_access(void *cell, struct mmio_access *acc);
/*
 * The device of @cell whose BAR (*@bar, at offset *@off) holds @addr, as
 * vpci_bar_access finds it (memory decoding on, the first in the cell's
 * order); NULL: none.
 */
struct vpci_dev *vpci_bar_find(struct cell *cell, u64 addr, unsigned int *bar,
			       u64 *off);
/*
 * A 32-bit write of @value at @addr by the guest of CPU @pc, taken when it
 * is the doorbell this CPU's general path last found there and its cell's
 * MMIO layout has not changed since, with the general path's outcome; false
 * (nothing done) otherwise. For the light exit (ivshmem-fast.c).
 */
struct per_cpu;
bool ivshmem_doorbell_fast(struct per_cpu *pc, u64 addr, u32 value);
/* vpci_bar_access found @dev's Doorbell register at @addr for a 32-bit write. */
void ivshmem_doorbell_learn(u64 addr, struct vpci_dev *dev);

/* ivshmem.c */
int ivshmem_link_check(const struct wd_cell_desc *config,
		       const struct wd_pci_device *dev);
int ivshmem_attach(struct vpci_dev *dev);
void ivshmem_detach(struct vpci_dev *dev);
/* The peer is gone or stopped: state 0 in the table, peers told. */
void ivshmem_peer_down(struct vpci_dev *dev);
/* A doorbell register write of @value by @dev's cell. */
void ivshmem_doorbell(struct vpci_dev *dev, u32 value);
enum mmio_result ivshmem_reg_access(struct vpci_dev *dev, u64 off,
				    struct mmio_access *acc);
/* The state of peer @peer of @dev's link for the tool, -ENOENT: no such peer. */
long ivshmem_peer_state(const struct vpci_dev *dev, unsigned int peer);

/* Arch: make the SPI @irq pending (it is routed to its owner's CPUs). */
void arch_vpci_raise_spi(unsigned int irq);
/* Arch: the GIC's address an MSI-X message may target (SETSPI), or 0. */
u64 arch_vpci_msi_doorbell(void);
/*
 * Arch: an MSI-X message of @cell's device @bdf to any other address: an MSI
 * through the cell's virtual ITS if @addr is its GITS_TRANSLATER (event id
 * @data), else nothing.
 */
void arch_vpci_send_msi(struct cell *cell, u16 bdf, u64 addr, u32 data);

#endif
