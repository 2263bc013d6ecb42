/*
 * Host unit tests of the ITS command checker and the table ranges
 * (hypervisor/arch/arm64/gicv3-its-cmd.c): every ITS command type, accepted
 * with valid fields and refused with ITT addresses in hypervisor memory, in a
 * cell's memory, in I/O space or beyond the limits, collections aimed at a
 * CPU that is not the root's, GICv4 and unknown commands; what is forwarded
 * is re-encoded (the root's reserved bits never reach the ITS).
 *
 * The fake machine: root RAM 0x40000000-0x7fbfffff (Linux's and the RAM for
 * cells), hypervisor 0x7fc00000-0x7fffffff, a UART at 0x09000000 (I/O), one
 * cell with RAM 0x7f000000-0x7f0fffff; CPUs 0-1 the root's, CPU 2 the cell's
 * (RDbase = processor number, GITS_TYPER.PTA = 0).
 */
#include "check.h"
#include <stdint.h>
#include "../../hypervisor/arch/arm64/gicv3-its-cmd.c"

#define HV_START	0x7fc00000ULL
#define HV_SIZE		0x00400000ULL
#define CELL_RAM	0x7f000000ULL

static struct {
	struct wd_cell_desc d;
	__u8 cpus[8];
	struct wd_mem_region m[3];
} __attribute__((packed)) root_desc, cell_desc;

static bool fake_root_ram(void *ctx, u64 start, u64 size)
{
	return its_inside_ram(&root_desc.d, start, size) &&
	       !overlap(start, size, HV_START, HV_SIZE) &&
	       !its_touches_cell(&cell_desc.d, start, size);
}

static enum its_rd_owner fake_rd(void *ctx, u64 rdbase)
{
	if (rdbase < 2)
		return ITS_RD_ROOT;
	return rdbase < 4 ? ITS_RD_OTHER : ITS_RD_NONE;
}

/* Device 0x10 was mapped with 5 event id bits (32 events). */
static unsigned int fake_events(void *ctx, u32 devid)
{
	return devid == 0x10 ? 5 : 0;
}

/* A cell's physical PCI function sends its MSIs as device id 0x200. */
static bool fake_cell_device(void *ctx, u32 devid)
{
	return devid == 0x200;
}

static const struct its_limits lim = {
	.num_devices = 1 << 16,
	.num_collections = 64,
	.event_bits = 16,
	.lpi_bits = 16,
	.ite_size = 8,
	.root_ram = fake_root_ram,
	.rd_owner = fake_rd,
	.device_event_bits = fake_events,
	.cell_device = fake_cell_device,
	.cell_lpis = 256,	/* 65280..65535 */
	.cell_icids = 8,	/* 56..63 */
};

static u64 in[4], out[4];
static struct its_verdict v;

static int cmd(u64 dw0, u64 dw1, u64 dw2, u64 dw3)
{
	in[0] = dw0;
	in[1] = dw1;
	in[2] = dw2;
	in[3] = dw3;
	return its_cmd_check(&lim, in, out, &v);
}

#define DEV(d)		((u64)(d) << 32)
#define V		(1ULL << 63)
#define RD(n)		((u64)(n) << 16)

static void setup(void)
{
	root_desc.d.cpu_set_size = 8;
	root_desc.d.num_memory_regions = 3;
	root_desc.m[0] = (struct wd_mem_region){ 0x40000000, 0x40000000, 0x30000000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE | WD_MEM_DMA };
	root_desc.m[1] = (struct wd_mem_region){ 0x70000000, 0x70000000, 0x0fc00000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_DMA };
	root_desc.m[2] = (struct wd_mem_region){ 0x09000000, 0x09000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO };
	cell_desc.d.cpu_set_size = 8;
	cell_desc.d.num_memory_regions = 2;
	cell_desc.m[0] = (struct wd_mem_region){ CELL_RAM, 0, 0x100000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE };
	/* A comm region is the hypervisor's page, not memory the cell takes. */
	cell_desc.m[1] = (struct wd_mem_region){ 0, 0x80000000, 0x1000,
		WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION };
}

static void test_mapd(void)
{
	CHECK_EQ("MAPD: ITT in root RAM accepted", cmd(ITS_CMD_MAPD | DEV(8), 4, V | 0x60000000, 0), 0);
	CHECK_EQ("MAPD: re-encoded with ITT and size", out[2], V | 0x60000000);
	CHECK_EQ("MAPD: device id kept", out[0], ITS_CMD_MAPD | DEV(8));
	CHECK_EQ("MAPD: ITT at the top of root RAM accepted",
		 cmd(ITS_CMD_MAPD | DEV(8), 0, V | (HV_START - 16), 0), 0);
	CHECK_EQ("MAPD: ITT in hypervisor memory refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 4, V | (HV_START + 0x10000), 0), -EINVAL);
	CHECK_STR("MAPD: the refusal names the field", v.field, "ITT_addr");
	CHECK_EQ("MAPD: the refusal names the address", v.value, HV_START + 0x10000);
	CHECK_STR("MAPD: the refusal names the command", v.cmd, "MAPD");

	/* A cell's function's device id: no command of the root may name it. */
	CHECK_EQ("MAPD of a cell's function's device id refused",
		 cmd(ITS_CMD_MAPD | DEV(0x200), 4, V | 0x60000000, 0), -EINVAL);
	CHECK_STR("... the refusal names the field", v.field, "DeviceID");
	CHECK_STR("... and why", v.why, "a cell's PCI function holds it");
	CHECK_EQ("... and the device id", v.value, 0x200);
	CHECK_EQ("MAPD V=0 (unmap) of it refused", cmd(ITS_CMD_MAPD | DEV(0x200), 0, 0, 0), -EINVAL);
	CHECK_EQ("MAPTI of it refused", cmd(ITS_CMD_MAPTI | DEV(0x200), 0x2000ULL << 32, 0, 0), -EINVAL);
	CHECK_EQ("MAPI of it refused", cmd(ITS_CMD_MAPI | DEV(0x200), 0x2000, 0, 0), -EINVAL);
	CHECK_EQ("MOVI of it refused", cmd(ITS_CMD_MOVI | DEV(0x200), 0, 0, 0), -EINVAL);
	CHECK_EQ("INT of it refused", cmd(ITS_CMD_INT | DEV(0x200), 0, 0, 0), -EINVAL);
	CHECK_EQ("CLEAR of it refused", cmd(ITS_CMD_CLEAR | DEV(0x200), 0, 0, 0), -EINVAL);
	CHECK_EQ("INV of it refused", cmd(ITS_CMD_INV | DEV(0x200), 0, 0, 0), -EINVAL);
	CHECK_EQ("DISCARD of it refused", cmd(ITS_CMD_DISCARD | DEV(0x200), 0, 0, 0), -EINVAL);
	CHECK_EQ("its neighbour 0x201 is the root's", cmd(ITS_CMD_INT | DEV(0x201), 0, 0, 0), 0);
	CHECK_EQ("... and 0x1ff", cmd(ITS_CMD_MAPD | DEV(0x1ff), 4, V | 0x60000000, 0), 0);
	CHECK_EQ("MAPD: ITT running into hypervisor memory refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 5, V | (HV_START - 0x100), 0), -EINVAL);
	CHECK_EQ("MAPD: ITT in a cell's memory refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 4, V | (CELL_RAM + 0x1000), 0), -EINVAL);
	CHECK_EQ("MAPD: ITT running into a cell's memory refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 15, V | (CELL_RAM - 0x100), 0), -EINVAL);
	CHECK_EQ("MAPD: ITT on a UART (I/O) refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 0, V | 0x09000000, 0), -EINVAL);
	CHECK_EQ("MAPD: ITT outside every region refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 0, V | 0x100000000ULL, 0), -EINVAL);
	CHECK_EQ("MAPD: ITT at the top of the address space refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 15, V | GENMASK_ULL(51, 8), 0), -EINVAL);
	CHECK_EQ("MAPD: ITT across two root regions refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 5, V | (0x70000000 - 0x100), 0), -EINVAL);
	CHECK_EQ("MAPD: more event bits than the ITS has refused",
		 cmd(ITS_CMD_MAPD | DEV(8), 16, V | 0x60000000, 0), -EINVAL);
	CHECK_STR("MAPD: size refusal names Size", v.field, "Size");
	CHECK_EQ("MAPD: device id beyond the ITS refused",
		 cmd(ITS_CMD_MAPD | DEV(1 << 16), 0, V | 0x60000000, 0), -EINVAL);
	CHECK_STR("MAPD: device refusal names DeviceID", v.field, "DeviceID");
	CHECK_EQ("MAPD unmap (V=0) accepted, even with a hypervisor ITT address",
		 cmd(ITS_CMD_MAPD | DEV(8), 4, HV_START, 0), 0);
	CHECK_EQ("MAPD unmap: no address forwarded", out[2], 0);
	CHECK_EQ("MAPD: reserved bits dropped",
		 cmd(ITS_CMD_MAPD | DEV(8) | 0xff00, 4 | 0xffffffe0ULL, V | 0x60000000 | 0x7f0000000000000ULL, ~0ULL), 0);
	CHECK("MAPD: re-encoded without reserved bits",
	      out[0] == (ITS_CMD_MAPD | DEV(8)) && out[1] == 4 && out[2] == (V | 0x60000000) && out[3] == 0);
}

static void test_mapc(void)
{
	CHECK_EQ("MAPC to a root CPU accepted", cmd(ITS_CMD_MAPC, 0, V | RD(1) | 3, 0), 0);
	CHECK_EQ("MAPC: re-encoded", out[2], V | RD(1) | 3);
	CHECK_EQ("MAPC to a cell's CPU refused", cmd(ITS_CMD_MAPC, 0, V | RD(2) | 3, 0), -EINVAL);
	CHECK_STR("MAPC: refusal names RDbase", v.field, "RDbase");
	CHECK_EQ("MAPC to no redistributor refused", cmd(ITS_CMD_MAPC, 0, V | RD(100), 0), -EINVAL);
	CHECK_EQ("MAPC: collection beyond the ITS refused", cmd(ITS_CMD_MAPC, 0, V | RD(0) | 64, 0), -EINVAL);
	CHECK_EQ("MAPC unmap of a collection accepted", cmd(ITS_CMD_MAPC, 0, RD(2) | 5, 0), 0);
	CHECK_EQ("MAPC unmap: no target forwarded", out[2], 5);
}

static void test_mapti_mapi(void)
{
	CHECK_EQ("MAPTI accepted", cmd(ITS_CMD_MAPTI | DEV(8), 3 | (8200ULL << 32), 2, 0), 0);
	CHECK("MAPTI: re-encoded", out[1] == (3 | (8200ULL << 32)) && out[2] == 2);
	CHECK_EQ("MAPTI: pINTID below the LPIs refused",
		 cmd(ITS_CMD_MAPTI | DEV(8), 3 | (1023ULL << 32), 2, 0), -EINVAL);
	CHECK_STR("MAPTI: refusal names pINTID", v.field, "pINTID");
	CHECK_EQ("MAPTI: pINTID beyond IDbits refused",
		 cmd(ITS_CMD_MAPTI | DEV(8), 3 | (65536ULL << 32), 2, 0), -EINVAL);
	CHECK_EQ("MAPTI: event beyond the device's (5 bits) refused",
		 cmd(ITS_CMD_MAPTI | DEV(0x10), 32 | (8200ULL << 32), 2, 0), -EINVAL);
	CHECK_STR("MAPTI: refusal names EventID", v.field, "EventID");
	CHECK_EQ("MAPTI: the last pINTID below the cells' accepted",
		 cmd(ITS_CMD_MAPTI | DEV(8), 3 | (65279ULL << 32), 2, 0), 0);
	CHECK_EQ("MAPTI: the first pINTID of the cells' refused",
		 cmd(ITS_CMD_MAPTI | DEV(8), 3 | (65280ULL << 32), 2, 0), -EINVAL);
	CHECK_STR("... the refusal says why", v.why, "kept for cells' MSIs");
	CHECK_EQ("MAPTI: the last pINTID refused", cmd(ITS_CMD_MAPTI | DEV(8), 3 | (65535ULL << 32), 2, 0), -EINVAL);
	CHECK_EQ("MAPI: an event number in the cells' pINTIDs refused",
		 cmd(ITS_CMD_MAPI | DEV(8), 65300, 2, 0), -EINVAL);
	CHECK_EQ("MAPTI: onto the cells' first ICID refused",
		 cmd(ITS_CMD_MAPTI | DEV(8), 3 | (8200ULL << 32), 56, 0), -EINVAL);
	CHECK_STR("... the refusal names the ICID", v.field, "ICID");
	CHECK_EQ("MAPTI: onto ICID 55 accepted", cmd(ITS_CMD_MAPTI | DEV(8), 3 | (8200ULL << 32), 55, 0), 0);
	CHECK_EQ("MAPTI: last event of the device accepted",
		 cmd(ITS_CMD_MAPTI | DEV(0x10), 31 | (8200ULL << 32), 2, 0), 0);
	CHECK_EQ("MAPTI: collection beyond the ITS refused",
		 cmd(ITS_CMD_MAPTI | DEV(8), 3 | (8200ULL << 32), 64, 0), -EINVAL);
	CHECK_EQ("MAPTI: device beyond the ITS refused",
		 cmd(ITS_CMD_MAPTI | DEV(0x10000), 3 | (8200ULL << 32), 2, 0), -EINVAL);
	CHECK_EQ("MAPI accepted (EventID an LPI)", cmd(ITS_CMD_MAPI | DEV(8), 8192, 1, 0), 0);
	CHECK_EQ("MAPI: EventID that is no LPI refused", cmd(ITS_CMD_MAPI | DEV(8), 5, 1, 0), -EINVAL);
	CHECK_EQ("MAPI: pINTID not forwarded from DW1 high", cmd(ITS_CMD_MAPI | DEV(8), 8192 | (9000ULL << 32), 1, 0), 0);
	CHECK_EQ("MAPI: re-encoded DW1", out[1], 8192);
}

static void test_event_cmds(void)
{
	static const struct { unsigned int c; const char *name; } cmds[] = {
		{ ITS_CMD_INT, "INT" }, { ITS_CMD_CLEAR, "CLEAR" },
		{ ITS_CMD_INV, "INV" }, { ITS_CMD_DISCARD, "DISCARD" },
		{ ITS_CMD_MOVI, "MOVI" },
	};
	char name[96];
	unsigned int i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(name, sizeof(name), "%s accepted", cmds[i].name);
		CHECK_EQ(name, cmd(cmds[i].c | DEV(8), 7, 1, 0), 0);
		snprintf(name, sizeof(name), "%s: name", cmds[i].name);
		CHECK_STR(name, v.cmd, cmds[i].name);
		snprintf(name, sizeof(name), "%s: device beyond the ITS refused", cmds[i].name);
		CHECK_EQ(name, cmd(cmds[i].c | DEV(1 << 20), 7, 1, 0), -EINVAL);
		snprintf(name, sizeof(name), "%s: event beyond the device's refused", cmds[i].name);
		CHECK_EQ(name, cmd(cmds[i].c | DEV(0x10), 40, 1, 0), -EINVAL);
		snprintf(name, sizeof(name), "%s: event beyond the ITS refused", cmds[i].name);
		CHECK_EQ(name, cmd(cmds[i].c | DEV(8), 1 << 16, 1, 0), -EINVAL);
	}
	CHECK_EQ("MOVI: collection beyond the ITS refused", cmd(ITS_CMD_MOVI | DEV(8), 7, 99, 0), -EINVAL);
	CHECK_EQ("INT: re-encoded without DW2", cmd(ITS_CMD_INT | DEV(8), 7, ~0ULL, 0), 0);
	CHECK_EQ("INT: DW2 zero", out[2], 0);
}

static void test_collection_cmds(void)
{
	CHECK_EQ("SYNC on a root CPU accepted", cmd(ITS_CMD_SYNC, 0, RD(0), 0), 0);
	CHECK_EQ("SYNC on a cell's CPU accepted (changes nothing)", cmd(ITS_CMD_SYNC, 0, RD(3), 0), 0);
	CHECK_EQ("SYNC on no redistributor refused", cmd(ITS_CMD_SYNC, 0, RD(9), 0), -EINVAL);
	CHECK_EQ("INVALL accepted", cmd(ITS_CMD_INVALL, 0, 5, 0), 0);
	CHECK_EQ("INVALL: collection beyond refused", cmd(ITS_CMD_INVALL, 0, 0xffff, 0), -EINVAL);
	CHECK_EQ("INVALL of a cells' ICID refused", cmd(ITS_CMD_INVALL, 0, 63, 0), -EINVAL);
	CHECK_EQ("MAPC of a cells' ICID refused", cmd(ITS_CMD_MAPC, 0, V | RD(0) | 60, 0), -EINVAL);
	CHECK_EQ("MAPC unmap of a cells' ICID refused", cmd(ITS_CMD_MAPC, 0, 56, 0), -EINVAL);
	CHECK_EQ("MOVI onto a cells' ICID refused", cmd(ITS_CMD_MOVI | DEV(8), 3, 57, 0), -EINVAL);
	CHECK_EQ("MOVALL between root CPUs accepted", cmd(ITS_CMD_MOVALL, 0, RD(0), RD(1)), 0);
	CHECK("MOVALL: re-encoded", out[2] == RD(0) && out[3] == RD(1));
	CHECK_EQ("MOVALL from a cell's CPU refused (its pLPIs are the cell's)",
		 cmd(ITS_CMD_MOVALL, 0, RD(2), RD(1)), -EINVAL);
	CHECK_STR("... the refusal names the redistributor", v.field, "RDbase");
	CHECK_EQ("MOVALL to a cell's CPU refused", cmd(ITS_CMD_MOVALL, 0, RD(0), RD(2)), -EINVAL);
	CHECK_EQ("MOVALL from no redistributor refused", cmd(ITS_CMD_MOVALL, 0, RD(50), RD(0)), -EINVAL);
}

static void test_refused_types(void)
{
	static const unsigned int v4[] = {
		ITS_CMD_VMOVI, ITS_CMD_VMOVP, ITS_CMD_VSGI, ITS_CMD_VSYNC, ITS_CMD_VMAPP,
		ITS_CMD_VMAPTI, ITS_CMD_VMAPI, ITS_CMD_VINVALL, ITS_CMD_INVDB,
	};
	char name[64];
	unsigned int i;

	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		snprintf(name, sizeof(name), "%s refused (GICv4)", its_cmd_name(v4[i]));
		CHECK_EQ(name, cmd(v4[i] | DEV(8), 0, V | 0x60000000, 0), -EPERM);
	}
	CHECK_STR("VMAPP: named", (cmd(ITS_CMD_VMAPP, 0, 0, 0), v.cmd), "VMAPP");
	for (i = 0; i < 256; i++) {
		switch (i) {
		case ITS_CMD_MOVI: case ITS_CMD_INT: case ITS_CMD_CLEAR: case ITS_CMD_SYNC:
		case ITS_CMD_MAPD: case ITS_CMD_MAPC: case ITS_CMD_MAPTI: case ITS_CMD_MAPI:
		case ITS_CMD_INV: case ITS_CMD_INVALL: case ITS_CMD_MOVALL: case ITS_CMD_DISCARD:
			continue;
		}
		if (cmd(i, 0, 0, 0) != -EPERM)
			break;
	}
	CHECK_EQ("every other opcode refused", i, 256);
}

static void test_ranges(void)
{
	u64 s, n;

	CHECK("CBASER: range", its_cbaser_range(GITS_CBASER_VALID | 0x7f000000 | 15, &s, &n) &&
	      s == 0x7f000000 && n == 0x10000);
	CHECK("CBASER: not valid", !its_cbaser_range(0x7f000000, &s, &n));
	/* Device table, 64 KiB pages, 2 pages, at 0x1_2345_0000 | PA[51:48] = 1. */
	CHECK("BASER: 64 KiB pages, high address bits",
	      its_baser_range(GITS_BASER_VALID | 1ULL << 56 | 7ULL << 48 | 0x123450000ULL |
			      1ULL << 12 | 2ULL << 8 | 1, &s, &n) &&
	      s == (0x123450000ULL | 1ULL << 48) && n == 0x20000);
	CHECK("BASER: 4 KiB pages", its_baser_range(GITS_BASER_VALID | 4ULL << 56 | 0x7f001000 | 0,
						     &s, &n) && s == 0x7f001000 && n == 0x1000);
	CHECK("BASER: no type, no table", !its_baser_range(GITS_BASER_VALID | 0x7f001000, &s, &n));
	CHECK("PROPBASER: IDbits 15: 56 KiB", gicr_propbaser_range(0x7f000000 | 15, 16, &s, &n) &&
	      s == 0x7f000000 && n == 0x10000 - 8192);
	CHECK("PROPBASER: IDbits capped by the GIC's", gicr_propbaser_range(0x7f000000 | 31, 16, &s, &n) &&
	      n == 0x10000 - 8192);
	CHECK("PROPBASER: IDbits too small: no LPIs", !gicr_propbaser_range(0x7f000000 | 5, 16, &s, &n));
	CHECK("PENDBASER: 8 KiB for 16 bits", gicr_pendbaser_range(0x7f010000 | 0xf80, 15, 16, &s, &n) &&
	      s == 0x7f010000 && n == 0x2000);
	CHECK("root RAM: hypervisor memory is not", !fake_root_ram(NULL, HV_START, 0x1000));
	CHECK("root RAM: a cell's is not", !fake_root_ram(NULL, CELL_RAM + 0x80000, 0x1000));
	CHECK("root RAM: Linux's is", fake_root_ram(NULL, 0x40000000, 0x1000));
	CHECK("root RAM: empty range is not", !fake_root_ram(NULL, 0x40000000, 0));
	CHECK("root RAM: wrapping range is not", !fake_root_ram(NULL, ~0xfffULL, 0x2000));
}

int main(void)
{
	setup();
	test_mapd();
	test_mapc();
	test_mapti_mapi();
	test_event_cmds();
	test_collection_cmds();
	test_refused_types();
	test_ranges();
	return check_failures ? 1 : 0;
}
