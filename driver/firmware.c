// SPDX-License-Identifier: GPL-2.0
/*
 * Loading the hypervisor image (warden.bin) and checking its header before any
 * byte of it is used: a damaged or foreign file must be refused with a
 * message, not jumped into.
 */
#include <linux/firmware.h>
#include <linux/string.h>

#include "warden.h"

static int wd_firmware_check(const struct firmware *fw)
{
	const struct wd_fw_header *h = (const void *)fw->data;
	u64 ring_end;

	if (fw->size < sizeof(*h)) {
		pr_err("%s: %zu bytes, shorter than its header (%zu bytes)\n",
		       WD_FW_NAME, fw->size, sizeof(*h));
		return -ENOEXEC;
	}
	if (memcmp(h->signature, WD_FW_SIGNATURE, sizeof(h->signature))) {
		pr_err("%s: bad signature \"%.8s\" (expected \"%s\"): not a Warden image\n",
		       WD_FW_NAME, h->signature, WD_FW_SIGNATURE);
		return -ENOEXEC;
	}
	if (h->header_version != WD_FW_HEADER_VERSION) {
		pr_err("%s: header version %u, this driver needs %u: rebuild driver and image together\n",
		       WD_FW_NAME, h->header_version, WD_FW_HEADER_VERSION);
		return -EPROTO;
	}
	if (h->image_size < sizeof(*h) || h->image_size > fw->size) {
		pr_err("%s: image_size %llu does not fit the file (%zu bytes)\n",
		       WD_FW_NAME, h->image_size, fw->size);
		return -ENOEXEC;
	}
	if (h->core_size < h->image_size || h->core_size % WD_HV_PAGE_SIZE) {
		pr_err("%s: core_size 0x%llx is smaller than the image (0x%llx) or not 4 KiB aligned\n",
		       WD_FW_NAME, h->core_size, h->image_size);
		return -ENOEXEC;
	}
	if (h->entry_vectors % 2048 || h->entry_vectors + 2048 > h->image_size) {
		pr_err("%s: entry vectors at offset 0x%llx are not 2 KiB aligned inside the image\n",
		       WD_FW_NAME, h->entry_vectors);
		return -ENOEXEC;
	}
	ring_end = h->console_offset + sizeof(struct wd_console_ring);
	if (h->console_offset < sizeof(*h) || h->console_offset % 8 ||
	    ring_end < h->console_offset || ring_end > h->core_size) {
		pr_err("%s: console ring at offset 0x%llx overlaps the header, is misaligned or is outside the core (0x%llx bytes)\n",
		       WD_FW_NAME, h->console_offset, h->core_size);
		return -ENOEXEC;
	}
	/* 0: an image without a reason record (refusals then say less). */
	if (h->reason_offset &&
	    (h->reason_offset < sizeof(*h) || h->reason_offset % 8 ||
	     h->reason_offset + sizeof(struct wd_reason) < h->reason_offset ||
	     h->reason_offset + sizeof(struct wd_reason) > h->core_size)) {
		pr_err("%s: reason record at offset 0x%llx overlaps the header, is misaligned or is outside the core (0x%llx bytes)\n",
		       WD_FW_NAME, h->reason_offset, h->core_size);
		return -ENOEXEC;
	}
	if (h->max_cpus == 0 || h->max_cpus > WD_FW_MAX_CPUS) {
		pr_err("%s: max_cpus %u is outside 1..%u\n", WD_FW_NAME,
		       h->max_cpus, WD_FW_MAX_CPUS);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * The checked image, kept from the first successful load until the module
 * goes: the firmware loader's file lookup costs more instructions than the
 * whole rest of an enable (millions on Linux 6.12). A new warden.bin is picked
 * up by reloading the module. Callers hold wd_lock.
 */
static const struct firmware *wd_fw;

/* The checked image; the driver keeps it (callers must not release it). */
int wd_firmware_get(const struct firmware **fw)
{
	int err;

	if (!wd_fw) {
		/* Our own message below is the one line; no firmware_class warnings. */
		err = firmware_request_nowarn(&wd_fw, WD_FW_NAME, wd_misc_dev);
		if (err) {
			wd_fw = NULL;
			pr_err("cannot load the hypervisor image %s (error %d); install it as /lib/firmware/%s\n",
			       WD_FW_NAME, err, WD_FW_NAME);
			return err;
		}
		err = wd_firmware_check(wd_fw);
		if (err) {
			release_firmware(wd_fw);
			wd_fw = NULL;
			return err;
		}
	}
	*fw = wd_fw;
	return 0;
}

void wd_firmware_free(void)
{
	release_firmware(wd_fw);
	wd_fw = NULL;
}
