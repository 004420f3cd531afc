/* SPDX-License-Identifier: ISC */
/* memwriter.c: the limit for pushing bytes into a UNIX socket.
 *
 * usage: memwriter PATH [BYTES]   (default 1 GiB)
 *
 * Connects, write(2)s BYTES from one 64 KiB buffer of zeros (the size of
 * uds-connect's relay buffer and of a default pipe) straight into the socket,
 * half-closes, and waits for the server's EOF. No stdin, no copy, no poll.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

static char buf[65536];

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned long long left = argc > 2 ? strtoull(argv[2], 0, 10) : 1ULL << 30;
	int fd;
	if (argc < 2 || strlen(argv[1]) >= sizeof sa.sun_path)
		return 100;
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return 1;
	while (left) {
		ssize_t w = write(fd, buf, left < sizeof buf ? (size_t)left : sizeof buf);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return 111;
		}
		left -= (unsigned long long)w;
	}
	shutdown(fd, SHUT_WR);
	while (read(fd, buf, sizeof buf) > 0)
		;
	return 0;
}
