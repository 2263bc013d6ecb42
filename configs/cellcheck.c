/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Build-time check of a freshly extracted .cell: its size must be exactly what
 * its header's counts describe (so objcopy picked up the configuration and
 * nothing else), and the validator must accept it. A configuration in
 * configs/ that fails either does not get built.
 *
 *   cellcheck FILE.cell SOURCE.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config-check.h>

int main(int argc, char **argv)
{
	static unsigned char buf[1 << 20];
	struct wd_check_result res;
	unsigned long long need;
	size_t n;
	FILE *f;
	int is_cell;

	if (argc != 3) {
		fprintf(stderr, "usage: cellcheck FILE.cell SOURCE.c\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);

	is_cell = n >= WD_SIGNATURE_LEN && memcmp(buf, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) == 0;
	if (n < (is_cell ? sizeof(struct wd_cell_desc) : sizeof(struct wd_system_config))) {
		fprintf(stderr, "%s: only %zu bytes of configuration in the object's .rodata\n",
			argv[2], n);
		return 1;
	}
	need = is_cell ? wd_cell_config_size((const struct wd_cell_desc *)buf) :
			 wd_system_config_size((const struct wd_system_config *)buf);
	if (need != n) {
		fprintf(stderr, "%s: .rodata has %zu bytes but the configuration's counts describe %llu "
			"(is \"config\" the only read-only data, and are the counts right?)\n",
			argv[2], n, need);
		return 1;
	}
	if (is_cell ? wd_check_cell(buf, n, &res) : wd_check_system(buf, n, &res)) {
		fprintf(stderr, "%s: %s [%s]\n", argv[2], res.msg, wd_check_kind_name(res.kind));
		return 1;
	}
	return 0;
}
