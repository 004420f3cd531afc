/* SPDX-License-Identifier: ISC */
/* probe.c: the limit for a connect probe: socket, connect, close, exit.
 *
 * usage: probe PATH      exit 0 if a server accepted, 1 if not.
 * Built static with musl, like udsbox; what `uds-connect -z` is measured against.
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;
	if (argc != 2 || strlen(argv[1]) >= sizeof sa.sun_path)
		return 100;
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		return 1;
	close(fd);
	return 0;
}
