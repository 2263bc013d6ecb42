// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for what a caller without privileges gets (the guest's
 * busybox setpriv changes neither ids nor the bounding set):
 *   run-as --no-sys-admin CMD [ARGS...]
 *	run CMD as root but without CAP_SYS_ADMIN (dropped from the bounding
 *	set, so the exec does not give it back);
 *   run-as --uid UID --read FILE
 *	as user and group UID (no supplementary groups), open FILE for
 *	reading: exit 0 if that worked, 1 with the error otherwise. FILE's
 *	directory is opened before the ids change (the guest's / is 0700):
 *	only FILE's own permissions are tested.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned int id;
	int fd, dir;
	char *slash;

	if (argc >= 3 && !strcmp(argv[1], "--no-sys-admin")) {
		if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0)) {
			perror("run-as: PR_CAPBSET_DROP");
			return 2;
		}
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		return 127;
	}
	if (argc == 5 && !strcmp(argv[1], "--uid") && !strcmp(argv[3], "--read")) {
		id = (unsigned int)strtoul(argv[2], NULL, 0);
		slash = strrchr(argv[4], '/');
		if (!slash || slash == argv[4]) {
			fprintf(stderr, "run-as: %s: want an absolute path below /\n", argv[4]);
			return 2;
		}
		*slash = 0;
		dir = open(argv[4], O_RDONLY | O_DIRECTORY);
		*slash = '/';
		if (dir < 0) {
			perror("run-as: directory");
			return 2;
		}
		if (setgroups(0, NULL) || setresgid(id, id, id) || setresuid(id, id, id)) {
			perror("run-as");
			return 2;
		}
		fd = openat(dir, slash + 1, O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "run-as: %s: %s\n", argv[4], strerror(errno));
			return 1;
		}
		close(fd);
		return 0;
	}
	fprintf(stderr, "usage: run-as --no-sys-admin CMD [ARGS...] | --uid UID --read FILE\n");
	return 2;
}
