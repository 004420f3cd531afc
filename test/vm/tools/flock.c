/* SPDX-License-Identifier: ISC */
/* flock.c: the part of util-linux's flock that the suites use, for the
 * real-kernel VMs, whose busybox has no flock applet.
 *
 * usage: flock FILE COMMAND [ARG...]
 *
 * Takes an exclusive flock(2) on FILE (a directory too; a missing file is
 * created), waiting for it, and runs COMMAND holding it. util-linux forks
 * and waits for COMMAND; this one executes COMMAND in its own process with
 * the locked descriptor open, so the lock is held exactly while COMMAND
 * runs and killing the pid the shell got ends both.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

int main(int argc, char **argv)
{
	int fd;
	if (argc < 3) {
		fputs("usage: flock FILE COMMAND [ARG...]\n", stderr);
		return 64;
	}
	fd = open(argv[1], O_RDONLY | O_NOCTTY | O_CREAT, 0666);
	if (fd < 0 && errno == EISDIR)
		fd = open(argv[1], O_RDONLY | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "flock: cannot open %s: %s\n", argv[1], strerror(errno));
		return 66;
	}
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "flock: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "flock: failed to execute %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
