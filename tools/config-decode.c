// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding a configuration blob into text or JSON (config-decode.h).
 *
 * One walk over the configuration drives both formats through a small
 * emitter, so the text view and the JSON document always hold the same
 * fields. The input is untrusted (any file, or the fuzzer's bytes): every
 * read is proven to lie inside the blob first, from 64-bit offsets that 32-bit
 * counts cannot overflow; arrays that the counts announce but the blob does not
 * hold are reported as cut short, never read.
 */
#include <stdio.h>
#include <string.h>

#include "config-decode.h"
#include "dump-out.h"

/* ---- names */

static const struct flag_name mem_flags[] = {
	{ WD_MEM_READ, "READ" },
	{ WD_MEM_WRITE, "WRITE" },
	{ WD_MEM_EXECUTE, "EXECUTE" },
	{ WD_MEM_DMA, "DMA" },
	{ WD_MEM_IO, "IO" },
	{ WD_MEM_COMM_REGION, "COMM_REGION" },
	{ WD_MEM_LOADABLE, "LOADABLE" },
	{ WD_MEM_ROOTSHARED, "ROOTSHARED" },
	{ WD_MEM_NO_HUGEPAGES, "NO_HUGEPAGES" },
	{ WD_MEM_IO_UNALIGNED, "IO_UNALIGNED" },
	{ WD_MEM_IO_8, "IO_8" },
	{ WD_MEM_IO_16, "IO_16" },
	{ WD_MEM_IO_32, "IO_32" },
	{ WD_MEM_IO_64, "IO_64" },
	{ 0, NULL }
};

static const struct flag_name cell_flags[] = {
	{ WD_CELL_PASSIVE_COMMREG, "PASSIVE_COMMREG" },
	{ WD_CELL_TEST_DEVICE, "TEST_DEVICE" },
	{ WD_CELL_AARCH32, "AARCH32" },
	{ WD_CELL_VIRTUAL_CONSOLE_PERMITTED, "VIRTUAL_CONSOLE_PERMITTED" },
	{ WD_CELL_VIRTUAL_CONSOLE_ACTIVE, "VIRTUAL_CONSOLE_ACTIVE" },
	{ 0, NULL }
};

static const struct flag_name sys_flags[] = {
	{ WD_SYS_VIRTUAL_DEBUG_CONSOLE, "VIRTUAL_DEBUG_CONSOLE" },
	{ 0, NULL }
};

static const struct flag_name con_flags[] = {
	{ WD_CON_ACCESS_MMIO, "ACCESS_MMIO" },
	{ WD_CON_REGDIST_4, "REGDIST_4" },
	{ WD_CON_INVERTED_GATE, "INVERTED_GATE" },
	{ 0, NULL }
};

static const struct flag_name msi_flags[] = {
	{ 0x1, "64BIT" },
	{ 0x2, "MASKABLE" },
	{ 0, NULL }
};

static const struct flag_name pci_cap_flags[] = {
	{ WD_PCICAPS_WRITE, "WRITE" },
	{ 0, NULL }
};

static const char *iommu_type_name(unsigned int type)
{
	switch (type) {
	case WD_IOMMU_AMD:
		return "AMD";
	case WD_IOMMU_INTEL:
		return "INTEL";
	case WD_IOMMU_SMMUV3:
		return "SMMUV3";
	case WD_IOMMU_PVU:
		return "PVU";
	case WD_IOMMU_ARM_MMU500:
		return "ARM_MMU500";
	}
	return "unknown";
}

static const char *pci_type_name(unsigned int type)
{
	switch (type) {
	case WD_PCI_TYPE_DEVICE:
		return "DEVICE";
	case WD_PCI_TYPE_BRIDGE:
		return "BRIDGE";
	case WD_PCI_TYPE_IVSHMEM:
		return "IVSHMEM";
	}
	return "unknown";
}

/* ---- the configuration */

static void dump_console(struct out *o, const char *key, const struct wd_console *c)
{
	out_obj_begin(o, key, 1);
	out_put_enum(o, "type", c->type, wd_console_type_name(c->type));
	out_put_x(o, "address", c->address);
	out_put_x(o, "size", c->size);
	out_put_flags(o, "flags", c->flags, con_flags);
	out_put_u(o, "divider", c->divider);
	out_put_u(o, "gate_nr", c->gate_nr);
	out_put_x(o, "clock_reg", c->clock_reg);
	out_obj_end(o);
}

static void dump_mem_region(struct out *o, const char *key, const struct wd_mem_region *r)
{
	out_obj_begin(o, key, 1);
	out_put_x(o, "phys_start", r->phys_start);
	out_put_x(o, "virt_start", r->virt_start);
	out_put_x(o, "size", r->size);
	out_put_flags(o, "flags", r->flags, mem_flags);
	out_obj_end(o);
}

static void dump_irqchip(struct out *o, const char *key, const struct wd_irqchip *chip)
{
	__u8 bitmap[sizeof(chip->pin_bitmap)];
	unsigned int i;

	out_obj_begin(o, key, 1);
	out_put_x(o, "address", chip->address);
	out_put_u(o, "id", chip->id);
	out_put_u(o, "pin_base", chip->pin_base);
	for (i = 0; i < 4; i++) {
		char k[16];

		snprintf(k, sizeof(k), "pin_bitmap%u", i);
		out_put_x(o, k, chip->pin_bitmap[i]);
	}
	/* The words are little-endian in the file; as bytes they are one bitmap. */
	memcpy(bitmap, chip->pin_bitmap, sizeof(bitmap));
	out_put_bits(o, "pins", bitmap, sizeof(bitmap), chip->pin_base);
	out_obj_end(o);
}

static void dump_pci_device(struct out *o, const char *key, const struct wd_pci_device *d)
{
	char bdf[32];
	unsigned int i;

	out_obj_begin(o, key, 1);
	out_put_enum(o, "type", d->type, pci_type_name(d->type));
	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%x", d->domain, d->bdf >> 8,
		 (d->bdf >> 3) & 0x1f, d->bdf & 7);
	out_put_str(o, "address", bdf, sizeof(bdf));
	out_put_u(o, "domain", d->domain);
	out_put_x(o, "bdf", d->bdf);
	out_put_u(o, "iommu", d->iommu);
	for (i = 0; i < 6; i++) {
		char k[16];

		snprintf(k, sizeof(k), "bar_mask%u", i);
		out_put_x(o, k, d->bar_mask[i]);
	}
	out_put_u(o, "caps_start", d->caps_start);
	out_put_u(o, "num_caps", d->num_caps);
	out_put_u(o, "num_msi_vectors", d->num_msi_vectors);
	out_put_flags(o, "msi_flags", d->msi_flags, msi_flags);
	out_put_u(o, "num_msix_vectors", d->num_msix_vectors);
	out_put_x(o, "msix_region_size", d->msix_region_size);
	out_put_x(o, "msix_address", d->msix_address);
	out_put_u(o, "shmem_regions_start", d->shmem_regions_start);
	out_put_u(o, "shmem_dev_id", d->shmem_dev_id);
	out_put_u(o, "shmem_peers", d->shmem_peers);
	out_put_x(o, "shmem_protocol", d->shmem_protocol);
	out_obj_end(o);
}

static void dump_pci_cap(struct out *o, const char *key, const struct wd_pci_capability *c)
{
	out_obj_begin(o, key, 1);
	out_put_x(o, "id", c->id & ~WD_PCI_EXT_CAP);
	out_put_bool(o, "extended", !!(c->id & WD_PCI_EXT_CAP));
	out_put_x(o, "start", c->start);
	out_put_u(o, "len", c->len);
	out_put_flags(o, "flags", c->flags, pci_cap_flags);
	out_obj_end(o);
}

/*
 * An array of @count entries of @esize bytes at @*off in the blob, of which
 * only those inside it are shown; @*off moves past the whole array as
 * announced. Entries are copied out so no struct pointer points past the end.
 */
typedef void (*dump_entry_fn)(struct out *o, const char *key, const void *entry);

static void dump_array(struct out *o, const char *key, const __u8 *blob, size_t len, __u64 *off,
		       __u64 count, size_t esize, dump_entry_fn fn)
{
	__u64 present = 0, i;

	if (*off < len)
		present = (len - *off) / esize;
	if (present > count)
		present = count;
	out_arr_begin(o, key, count, present);
	for (i = 0; i < present; i++) {
		char k[32];

		snprintf(k, sizeof(k), "#%llu", (unsigned long long)i);
		fn(o, k, blob + *off + i * esize);
	}
	out_arr_end(o);
	*off += count * esize;
}

static void entry_mem(struct out *o, const char *k, const void *p)
{
	struct wd_mem_region r;

	memcpy(&r, p, sizeof(r));
	dump_mem_region(o, k, &r);
}

static void entry_cache(struct out *o, const char *k, const void *p)
{
	struct wd_cache_region c;

	memcpy(&c, p, sizeof(c));
	out_obj_begin(o, k, 1);
	out_put_x(o, "start", c.start);
	out_put_x(o, "size", c.size);
	out_put_u(o, "type", c.type);
	out_put_x(o, "flags", c.flags);
	out_obj_end(o);
}

static void entry_irqchip(struct out *o, const char *k, const void *p)
{
	struct wd_irqchip chip;

	memcpy(&chip, p, sizeof(chip));
	dump_irqchip(o, k, &chip);
}

static void entry_pio(struct out *o, const char *k, const void *p)
{
	struct wd_pio_region pio;

	memcpy(&pio, p, sizeof(pio));
	out_obj_begin(o, k, 1);
	out_put_x(o, "base", pio.base);
	out_put_x(o, "length", pio.length);
	out_obj_end(o);
}

static void entry_pci_device(struct out *o, const char *k, const void *p)
{
	struct wd_pci_device d;

	memcpy(&d, p, sizeof(d));
	dump_pci_device(o, k, &d);
}

static void entry_pci_cap(struct out *o, const char *k, const void *p)
{
	struct wd_pci_capability c;

	memcpy(&c, p, sizeof(c));
	dump_pci_cap(o, k, &c);
}

static void entry_stream_id(struct out *o, const char *k, const void *p)
{
	struct wd_stream_id s;

	memcpy(&s, p, sizeof(s));
	out_obj_begin(o, k, 1);
	out_put_x(o, "id", s.id);
	out_obj_end(o);
}

/*
 * Signature, architecture and revision: the first 8 bytes of either kind.
 * All zero in a root cell descriptor (@root) is how Jailhouse's sources leave
 * it: the system header's values apply, which the architecture's name says.
 */
static void dump_format(struct out *o, const __u8 *hdr, int root)
{
	static const __u8 unset[8];
	__u16 rev;

	out_put_str(o, "signature", (const char *)hdr, WD_SIGNATURE_LEN);
	if (root && !memcmp(hdr, unset, sizeof(unset)))
		out_put_enum(o, "architecture", 0, "unset: the system header's apply");
	else
		out_put_enum(o, "architecture", hdr[5], wd_arch_name(hdr[5]));
	memcpy(&rev, hdr + 6, sizeof(rev));
	out_put_u(o, "revision", rev);
}

/* The cell descriptor at @off (its 132 bytes are inside the blob) and its arrays. */
static void dump_cell(struct out *o, const __u8 *blob, size_t len, __u64 off)
{
	struct wd_cell_desc c;
	__u64 end, cpu_bytes = 0;

	memcpy(&c, blob + off, sizeof(c));
	dump_format(o, blob + off, off != 0);
	out_put_str(o, "name", c.name, sizeof(c.name));
	out_put_u(o, "id", c.id);
	out_put_flags(o, "flags", c.flags, cell_flags);
	out_put_u(o, "vpci_irq_base", c.vpci_irq_base);
	out_put_x(o, "cpu_reset_address", c.cpu_reset_address);
	out_put_u(o, "msg_reply_timeout", c.msg_reply_timeout);
	dump_console(o, "console", &c.console);

	out_put_u(o, "cpu_set_size", c.cpu_set_size);
	end = off + sizeof(c);
	if (end < len)
		cpu_bytes = len - end < c.cpu_set_size ? len - end : c.cpu_set_size;
	out_put_bits(o, "cpus", blob + end, cpu_bytes, 0);
	if (cpu_bytes < c.cpu_set_size)
		out_put_bool(o, "cpu_set_cut_short", 1);
	end += c.cpu_set_size;

	dump_array(o, "memory_regions", blob, len, &end, c.num_memory_regions,
		   sizeof(struct wd_mem_region), entry_mem);
	dump_array(o, "cache_regions", blob, len, &end, c.num_cache_regions,
		   sizeof(struct wd_cache_region), entry_cache);
	dump_array(o, "irqchips", blob, len, &end, c.num_irqchips,
		   sizeof(struct wd_irqchip), entry_irqchip);
	dump_array(o, "pio_regions", blob, len, &end, c.num_pio_regions,
		   sizeof(struct wd_pio_region), entry_pio);
	dump_array(o, "pci_devices", blob, len, &end, c.num_pci_devices,
		   sizeof(struct wd_pci_device), entry_pci_device);
	dump_array(o, "pci_caps", blob, len, &end, c.num_pci_caps,
		   sizeof(struct wd_pci_capability), entry_pci_cap);
	dump_array(o, "stream_ids", blob, len, &end, c.num_stream_ids,
		   sizeof(struct wd_stream_id), entry_stream_id);
}

static void dump_platform(struct out *o, const struct wd_platform *pf)
{
	unsigned int i, used = 0;

	out_obj_begin(o, "platform", 0);
	out_put_x(o, "pci_mmconfig_base", pf->pci_mmconfig_base);
	out_put_u(o, "pci_mmconfig_end_bus", pf->pci_mmconfig_end_bus);
	out_put_bool(o, "pci_is_virtual", pf->pci_is_virtual);
	out_put_u(o, "pci_domain", pf->pci_domain);

	/* Slots of type 0 are unused; only the others are shown, with their slot number. */
	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++)
		used += pf->iommu_units[i].type != 0;
	out_arr_begin(o, "iommu_units", used, used);
	for (i = 0; i < WD_IOMMU_MAX_UNITS; i++) {
		const struct wd_iommu *u = &pf->iommu_units[i];
		char k[16], data[2 * sizeof(u->type_data) + 1];
		unsigned int j;

		if (!u->type)
			continue;
		snprintf(k, sizeof(k), "#%u", i);
		out_obj_begin(o, k, 1);
		out_put_u(o, "unit", i);
		out_put_enum(o, "type", u->type, iommu_type_name(u->type));
		out_put_x(o, "base", u->base);
		out_put_x(o, "size", u->size);
		for (j = 0; j < sizeof(u->type_data); j++)
			snprintf(data + 2 * j, 3, "%02x", u->type_data[j]);
		out_put_str(o, "type_data", data, sizeof(data));
		out_obj_end(o);
	}
	out_arr_end(o);

	out_obj_begin(o, "arm", 0);
	out_put_u(o, "gic_version", pf->arm.gic_version);
	out_put_u(o, "maintenance_irq", pf->arm.maintenance_irq);
	out_put_x(o, "gicd_base", pf->arm.gicd_base);
	out_put_x(o, "gicc_base", pf->arm.gicc_base);
	out_put_x(o, "gich_base", pf->arm.gich_base);
	out_put_x(o, "gicv_base", pf->arm.gicv_base);
	out_put_x(o, "gicr_base", pf->arm.gicr_base);
	out_obj_end(o);
	out_obj_end(o);
}

static void dump_system(struct out *o, const __u8 *blob, size_t len)
{
	struct wd_system_config s;

	memcpy(&s, blob, sizeof(s));
	out_put_flags(o, "flags", s.flags, sys_flags);
	out_obj_begin(o, "hypervisor_memory", 0);
	out_put_x(o, "phys_start", s.hypervisor_memory.phys_start);
	out_put_x(o, "virt_start", s.hypervisor_memory.virt_start);
	out_put_x(o, "size", s.hypervisor_memory.size);
	out_put_flags(o, "flags", s.hypervisor_memory.flags, mem_flags);
	out_obj_end(o);
	dump_console(o, "debug_console", &s.debug_console);
	dump_platform(o, &s.platform);
	out_obj_begin(o, "root_cell", 0);
	dump_cell(o, blob, len, offsetof(struct wd_system_config, root_cell));
	out_obj_end(o);
}

int wd_config_decode(FILE *out, const void *data, size_t len, const char *label,
		     unsigned int flags, struct wd_check_result *res)
{
	const __u8 *blob = data;
	struct out o;
	const char *type = "unknown";
	size_t header = 0;
	int is_cell = 0;

	memset(&o, 0, sizeof(o));
	o.f = out;
	o.json = !!(flags & WD_DUMP_JSON);

	/* Judged as "config check" does: a cell by its signature, anything else as a system. */
	if (len >= WD_SIGNATURE_LEN && memcmp(blob, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) == 0) {
		is_cell = 1;
		type = "cell";
		header = sizeof(struct wd_cell_desc);
		wd_check_cell(blob, len, res);
	} else {
		if (len >= WD_SIGNATURE_LEN &&
		    memcmp(blob, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) == 0) {
			type = "system";
			header = sizeof(struct wd_system_config);
		}
		wd_check_system(blob, len, res);
	}

	if (o.json) {
		fputc('{', out);
		out_push(&o, 0);
	}
	out_put_str(&o, "file", label, strlen(label));
	out_put_str(&o, "type", type, strlen(type));
	out_put_u(&o, "file_size", len);
	if (header && len >= header) {
		struct wd_cell_desc c;
		__u64 size;

		/* The announced size, from the counts (the validator compares it with the file). */
		memcpy(&c, blob + (is_cell ? 0 : offsetof(struct wd_system_config, root_cell)),
		       sizeof(c));
		size = wd_cell_config_size(&c);
		if (is_cell) {
			out_put_u(&o, "config_size", size);
			dump_cell(&o, blob, len, 0);
		} else {
			dump_format(&o, blob, 0);
			size += sizeof(struct wd_system_config) - sizeof(struct wd_cell_desc);
			out_put_u(&o, "config_size", size);
			dump_system(&o, blob, len);
		}
	} else {
		if (len >= 8)
			dump_format(&o, blob, 0);
		if (header)
			out_put_bool(&o, "header_cut_short", 1);
	}

	out_put_bool(&o, "valid", res->error == 0);
	if (res->error) {
		out_obj_begin(&o, "error", 1);
		out_put_str(&o, "kind", wd_check_kind_name(res->kind), 64);
		out_field(&o, "errno");
		fprintf(out, "%d", -res->error);
		out_field_end(&o);
		out_put_str(&o, "message", res->msg, sizeof(res->msg));
		out_obj_end(&o);
	}
	if (o.json)
		fputs("\n}\n", out);
	return res->error ? 1 : 0;
}
