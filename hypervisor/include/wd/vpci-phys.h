/*
 * Physical PCI functions a cell owns, on the cell's virtual PCI host
 * (core/vpci-phys.c: where they appear, their filtered configuration space;
 * core/vpci-msix.c: the MSI-X table and PBA trapped and shadowed).
 */
#ifndef WD_VPCI_PHYS_H
#define WD_VPCI_PHYS_H

#include <wd/types.h>
#include <wd/mmio.h>
#include <warden/cell-config.h>

struct cell;

#define VPCI_PHYS_MAX_MSIX	64	/* MSI-X entries shadowed per function */
#define VPCI_PHYS_MAX_CAPS	16	/* capabilities shown per function */
#define VPCI_PHYS_NUM_BARS	6

/* Standard capability ids and registers (PCI Local Bus 3.0, PCIe 4.0). */
#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_EXP		0x10
#define PCI_CAP_ID_MSIX		0x11
#define PCI_EXP_CAP_LEN		0x3c
#define PCI_MSIX_CAP_LEN	12
#define PCI_MSIX_CTRL_ENABLE	0x8000	/* in the 16-bit Message Control */
#define PCI_MSIX_CTRL_MASKALL	0x4000
#define PCI_MSIX_CTRL_SIZE	0x07ff
#define PCI_MSIX_BIR		0x7
#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_ENTRY_MASKED	0x1
#define PCI_BAR_IO		0x1
#define PCI_BAR_64		0x4	/* memory BAR type bits 2:1 == 10b */
#define PCI_BAR_TYPE_MASK	0x6

struct vpci_phys_fn;

/* One trapped page range of a function's MSI-X table or PBA. */
struct vpci_msix_trap {
	struct vpci_phys_fn *fn;
	u64 ipa;		/* where the cell sees it (0: no trap) */
	u64 phys;
	u64 size;		/* whole pages */
	volatile u8 *va;	/* the hypervisor's device mapping */
};

/* A physical function on a cell's virtual PCI host. */
struct vpci_phys_fn {
	const struct wd_pci_device *cfg;
	struct cell *cell;
	u16 vbdf;			/* where the cell sees it (vpci_phys_vbdf) */
	bool has_devid;			/* devid is known (vpci_phys_devid) */
	u32 devid;			/* its MSIs' physical ITS device id */
	char name[16];			/* "dddd:bb:dd.f", for log lines */
	volatile u8 *ecam;		/* the function's 4 KiB of the physical ECAM */
	/* Capabilities shown, in list order: offset and length in bytes. */
	unsigned int num_caps;
	u8 cap_off[VPCI_PHYS_MAX_CAPS];
	u8 cap_len[VPCI_PHYS_MAX_CAPS];
	u8 msix_cap;			/* 0: no MSI-X */
	/* BARs as the cell sees them: the assigned (guest) value, the sizing mask. */
	u32 bar_value[VPCI_PHYS_NUM_BARS];
	u32 bar_mask[VPCI_PHYS_NUM_BARS];	/* 0: the BAR reads as 0 */
	bool bar_sizing[VPCI_PHYS_NUM_BARS];	/* last write was all ones */
	u16 intx_off;			/* the cell's INTx Disable (physically always set) */
	/* MSI-X, the cell's view. */
	u16 msix_ctrl;			/* ENABLE | MASKALL as the cell wrote them */
	unsigned int num_vectors;
	u64 table_phys, pba_phys;
	u32 msix[VPCI_PHYS_MAX_MSIX][4];	/* address lo/hi, data, vector control */
	struct vpci_msix_trap trap[2];	/* table pages, PBA pages (if elsewhere) */
	void *arch_msi;			/* the arch's mapping of its MSIs, if any */
};

struct vpci_phys {
	unsigned int num;
	struct vpci_phys_fn fn[];
};

/*
 * Where a physical function appears on a cell's virtual host (bus 0 only):
 * one on the root bus keeps its device and function number; one on bus B
 * behind a root port (which the cell does not see) is device 0 of its link
 * and appears as device B: 02:00.0 becomes 00:02.0. false: no place for it
 * (bus beyond 31, or a device number other than 0 behind a port).
 */
static inline bool vpci_phys_vbdf(u16 pbdf, u16 *vbdf)
{
	unsigned int bus = pbdf >> 8, dev = (pbdf >> 3) & 0x1f;

	if (bus == 0) {
		*vbdf = pbdf;
		return true;
	}
	if (bus > 31 || dev != 0)
		return false;
	*vbdf = (u16)((bus << 3) | (pbdf & 7));
	return true;
}

/*
 * The ITS device id of requester id @rid (the physical BDF) through the
 * msi-map the driver passed in @h: 0, -ENODEV (no map passed), -ENOENT
 * (the map leaves @rid out). core/vpci-devid.c
 */
struct wd_fw_header;
int vpci_phys_devid(const struct wd_fw_header *h, u16 rid, u32 *devid);

/* Cell life cycle, from vpci.c and cell-create.c. */
int vpci_phys_create(struct cell *cell);
int vpci_phys_trap(struct cell *cell);		/* after the stage 2 is mapped */
void vpci_phys_reset(struct cell *cell);	/* cell->vpci set, its lock held */
void vpci_phys_destroy(struct cell *cell);
/*
 * Configuration accesses (vpci_ecam_access checks size and alignment and
 * holds the vpci lock): the function at virtual @vbdf, or NULL; the dword
 * at @reg (a multiple of 4) as the cell sees it; a write of the dword
 * @value, the cell's bytes (@bytes) merged into what it read.
 */
struct vpci_phys_fn *vpci_phys_fn_at(struct cell *cell, u16 vbdf);
u32 vpci_phys_cfg_read(const struct vpci_phys_fn *fn, unsigned int reg);
void vpci_phys_cfg_write(struct vpci_phys_fn *fn, unsigned int reg, u32 value, u32 bytes);

/* [start, start + size) is inside one device region of @c, away from hypervisor memory. */
bool vpci_phys_in_io(const struct wd_cell_desc *c, u64 start, u64 size);

/* A physical memory BAR's address (with the next one if 64-bit), 0 for I/O. */
u64 vpci_phys_bar_addr(const struct vpci_phys_fn *fn, unsigned int n);

/* core/vpci-msix.c */
int vpci_msix_setup(struct vpci_phys_fn *fn);
void vpci_msix_reset(struct vpci_phys_fn *fn);
void vpci_msix_release(struct vpci_phys_fn *fn);
/* Message Control written by the cell (ENABLE | MASKALL). */
void vpci_msix_control(struct vpci_phys_fn *fn, u16 ctrl);
enum mmio_result vpci_msix_access(void *fn, struct mmio_access *acc);
/*
 * Where an MSI of the cell's entry goes physically: 0 and the physical
 * address/data when the cell's address is its own virtual ITS's doorbell
 * and the hypervisor routed (device, event) to the cell; an error keeps
 * the physical entry masked (arch code).
 */
int arch_vpci_msix_route(struct vpci_phys_fn *fn, unsigned int entry,
			 u64 *addr, u32 *data);
/*
 * Create: map the function's MSIs for the cell if the machine can route
 * them (0 also when it cannot: its entries then stay masked; an error is a
 * refusal, logged). Release: undo it, every late message dropped
 * (idempotent; after the cell's streams abort, before the function goes
 * back to the root).
 */
int arch_vpci_msi_create(struct vpci_phys_fn *fn);
void arch_vpci_msi_release(struct vpci_phys_fn *fn);
/* Destroy, once the cell's streams are aborted: arch_vpci_msi_release() for each. */
void vpci_phys_msi_release(struct cell *cell);

#endif
