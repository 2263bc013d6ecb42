/* SPDX-License-Identifier: GPL-2.0 */
/* The root cell's virtual PCI host bridge (vpci-host.c). */
#ifndef WARDEN_VPCI_HOST_H
#define WARDEN_VPCI_HOST_H

struct wd_system_config;

/*
 * After enable: register the host bridge over the hypervisor's emulated
 * ECAM window if the configuration has one and the root cell has ivshmem
 * devices (0 when there is nothing to register). Before disable: unbind and
 * remove its devices while the hypervisor still emulates them.
 */
int wd_vpci_host_add(const struct wd_system_config *config);
void wd_vpci_host_remove(void);

#endif
