// SPDX-License-Identifier: GPL-2.0
/*
 * warden config create on the running system: the stream IDs of the PCI
 * functions Linux has past the host's first bus. The device tree's
 * iommu-map covers every requester ID the host could use, and fdt-scan.c
 * keeps only the first bus's (a full map would be 65536 stream IDs); a
 * device behind a root port or a switch (bus 1 and up) would otherwise have
 * no stream ID in the root cell, and its DMA would stop at enable. Each
 * function in /sys/bus/pci/devices of the host's domain is mapped through
 * the host node's iommu-map (and iommu-map-mask) as the SMMU sees it.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "config-create.h"

#define LIVE_PCI	"/sys/bus/pci/devices"

/* @rid through the iommu-map of @node: 1 and *@sid, or 0 if it maps nowhere. */
static int map_rid(const void *fdt, int node, __u32 rid, __u32 *sid)
{
	const fdt32_t *p = fdt_getprop(fdt, node, "iommu-map", NULL);
	const fdt32_t *mask = fdt_getprop(fdt, node, "iommu-map-mask", NULL);
	int len, i;

	if (!p)
		return 0;
	fdt_getprop(fdt, node, "iommu-map", &len);
	if (mask)
		rid &= fdt32_to_cpu(*mask);
	for (i = 0; (i + 4) * 4 <= len; i += 4) {
		__u32 base = fdt32_to_cpu(p[i]), n = fdt32_to_cpu(p[i + 3]);

		if (rid >= base && rid - base < n) {
			*sid = fdt32_to_cpu(p[i + 2]) + (rid - base);
			return 1;
		}
	}
	return 0;
}

static int have_sid(const struct dt_info *dt, __u32 sid)
{
	unsigned int i;

	for (i = 0; i < dt->n_sids; i++)
		if (dt->sids[i] == sid)
			return 1;
	return 0;
}

void cc_live_pci_sids(const void *fdt, struct dt_info *dt)
{
	unsigned int domain, bus, slot, fn;
	struct dirent *e;
	int node;
	DIR *d;
	__u32 sid;

	if (!dt->pci.found || !dt->n_smmu)
		return;
	node = fdt_path_offset(fdt, dt->pci.path);
	d = opendir(LIVE_PCI);
	if (node < 0 || !d) {
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d))) {
		if (sscanf(e->d_name, "%x:%x:%x.%x", &domain, &bus, &slot, &fn) != 4 ||
		    domain != dt->pci.domain || bus == dt->pci.bus_start ||
		    bus < dt->pci.bus_start || bus > dt->pci.bus_end)
			continue;
		if (!map_rid(fdt, node, bus << 8 | slot << 3 | fn, &sid) || have_sid(dt, sid))
			continue;
		if (dt->n_sids == DT_MAX_SIDS) {
			cc_detail("stream ID 0x%x of PCI device %s: more than %u stream IDs, left out",
				  sid, e->d_name, DT_MAX_SIDS);
			continue;
		}
		dt->sids[dt->n_sids++] = sid;
		if (cc_verbose)
			fprintf(stderr, CC_PREFIX "stream ID 0x%x: PCI device %s on bus %u (" LIVE_PCI ")\n",
				sid, e->d_name, bus);
	}
	closedir(d);
}
