// SPDX-License-Identifier: GPL-2.0
/* warden config create: being written (issue 4). */
#include <stdio.h>

#include "warden.h"

int cmd_config_create(int argc, char **argv)
{
	fprintf(stderr, "warden: config create is not built yet\n");
	return 1;
}
