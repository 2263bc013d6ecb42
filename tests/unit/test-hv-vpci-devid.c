/*
 * Host unit tests of the ITS device id of a physical PCI function
 * (hypervisor/core/vpci-devid.c) from the msi-map the driver copies into the
 * image header: no map passed, the identity (no msi-map), offsets, a mask,
 * several entries, the edges of each entry, requester ids left out, and a
 * header whose entry count is out of range.
 */
#include "check.h"
#include "../../hypervisor/core/vpci-devid.c"

static struct wd_fw_header h;

static int id(u16 rid, u32 *devid)
{
	*devid = 0xdeadbeef;
	return vpci_phys_devid(&h, rid, devid);
}

int main(void)
{
	u32 d;

	CHECK_EQ("an older driver passed nothing: no device id", id(0x0200, &d), -ENODEV);
	CHECK_EQ("... and nothing written", d, 0xdeadbeef);

	h.pci_msi_map_flags = WD_FW_MSI_MAP_VALID;
	CHECK_EQ("no msi-map: found", id(0x0200, &d), 0);
	CHECK_EQ("... the requester id itself (QEMU virt)", d, 0x0200);

	h.pci_msi_map_num = 1;
	h.pci_msi_map_mask = 0xffffffff;
	h.pci_msi_map[0] = (struct wd_fw_msi_map){ 0x0100, 0x8000, 0x100, 0 };
	CHECK_EQ("one entry, first requester id", id(0x0100, &d), 0);
	CHECK_EQ("... its devid_base", d, 0x8000);
	CHECK_EQ("last requester id of the entry", id(0x01ff, &d), 0);
	CHECK_EQ("... devid_base + length - 1", d, 0x80ff);
	CHECK_EQ("one past the entry: left out", id(0x0200, &d), -ENOENT);
	CHECK_EQ("just below the entry: left out", id(0x00ff, &d), -ENOENT);
	CHECK_EQ("... and nothing written", d, 0xdeadbeef);

	h.pci_msi_map_mask = 0x00ff;	/* only devfn counts */
	CHECK_EQ("mask: bus 2 looks like bus 0 ...", id(0x0208, &d), -ENOENT);
	h.pci_msi_map[0] = (struct wd_fw_msi_map){ 0, 0x40, 0x100, 0 };
	CHECK_EQ("... and maps through the entry", id(0x0208, &d), 0);
	CHECK_EQ("... to devid_base + devfn", d, 0x48);

	h.pci_msi_map_mask = 0xffff;
	h.pci_msi_map_num = 3;
	h.pci_msi_map[0] = (struct wd_fw_msi_map){ 0x0000, 0x0, 0x100, 0 };
	h.pci_msi_map[1] = (struct wd_fw_msi_map){ 0x0100, 0x20000, 0x80, 0 };
	h.pci_msi_map[2] = (struct wd_fw_msi_map){ 0x0300, 0x30000, 0x100, 0 };
	CHECK_EQ("three entries: the second", id(0x0110, &d), 0);
	CHECK_EQ("... its offset", d, 0x20010);
	CHECK_EQ("the third", id(0x0301, &d), 0);
	CHECK_EQ("... its offset", d, 0x30001);
	CHECK_EQ("between entries (0x180..0x2ff): left out", id(0x0200, &d), -ENOENT);
	CHECK_EQ("an empty entry maps nothing",
		 (h.pci_msi_map[0].length = 0, id(0x0000, &d)), -ENOENT);

	h.pci_msi_map_num = WD_FW_MSI_MAP_MAX + 1;
	CHECK_EQ("more entries than the header holds: refused", id(0x0110, &d), -ENODEV);

	return CHECK_DONE();
}
