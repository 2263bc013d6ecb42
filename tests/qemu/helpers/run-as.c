// SPDX-License-Identifier: GPL-2.0
/*
 * run-as UID CMD [ARGS...]: run CMD as user and group UID with no
 * supplementary groups, so without any capability (the guest's busybox
 * setpriv cannot change ids). Built statically by the tests that need it.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned int id;

	if (argc < 3) {
		fprintf(stderr, "usage: run-as UID CMD [ARGS...]\n");
		return 2;
	}
	id = (unsigned int)strtoul(argv[1], NULL, 0);
	if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id)) {
		perror("run-as");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
