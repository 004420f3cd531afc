/* SPDX-License-Identifier: ISC */
/* seedcli.c: the client of the "seed" protocol, the classic pattern in which
 * a UNIX stream server learns who its client is from the file the client
 * bound its socket to.
 *
 * usage: seedcli [-d DIR] SERVER-PATH
 *
 * It binds a stream socket to DIR/PID (DIR: -d, else $SEEDCLI_DIR, else
 * /var/tmp), with the file's mode 0700, connects to SERVER-PATH, sends its
 * stdin, shuts down its write side at EOF and writes to stdout everything the
 * server sends until the server closes. Both directions move at once, so a
 * large input never deadlocks against a server that replies as it reads.
 *
 * The server (seedsrv, or any server of the pattern) stat()s and unlinks the
 * bound file; if it is still there when seedcli ends, seedcli removes it.
 * Exit: 0 done; 1 no server (absent or refusing); 100 usage; 111 other errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "tool.h"

static char local[sizeof ((struct sockaddr_un *)0)->sun_path];

static void cleanup(void)
{
	if (local[0])
		unlink(local);
}

static void die(int code, const char *what, const char *arg)
{
	fprintf(stderr, "seedcli: %s%s%s: %s\n", what, arg ? " " : "", arg ? arg : "", strerror(errno));
	cleanup();
	exit(code);
}

static int fill(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa->sun_path)
		return -1;
	strcpy(sa->sun_path, path);
	return 0;
}

#define put tool_put

int main(int argc, char **argv)
{
	const char *dir = getenv("SEEDCLI_DIR");
	struct sockaddr_un sa;
	char buf[65536], out[65536];
	size_t off = 0, pend = 0;
	int opt, s, in_open = 1;

	while ((opt = getopt(argc, argv, "d:")) != -1) {
		if (opt == 'd')
			dir = optarg;
		else
			goto usage;
	}
	if (optind + 1 != argc)
		goto usage;
	if (!dir || !*dir)
		dir = "/var/tmp";
	signal(SIGPIPE, SIG_IGN);

	if (snprintf(local, sizeof local, "%s/%ld", dir, (long)getpid()) >= (int)sizeof local) {
		fprintf(stderr, "seedcli: local path too long\n");
		return 100;
	}
	if (fill(&sa, argv[optind]) < 0) {
		local[0] = 0;
		fprintf(stderr, "seedcli: server path too long\n");
		return 100;
	}

	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0)
		die(111, "socket", 0);
	{
		struct sockaddr_un me;
		fill(&me, local);
		unlink(local); /* a stale file of an earlier process with this pid */
		if (bind(s, (struct sockaddr *)&me, sizeof me) < 0) {
			char keep[sizeof local];
			strcpy(keep, local);
			local[0] = 0; /* not ours: never remove it */
			die(111, "bind", keep);
		}
		if (chmod(local, S_IRWXU) < 0)
			die(111, "chmod", local);
	}
	if (connect(s, (struct sockaddr *)&sa, sizeof sa) < 0)
		die(errno == ENOENT || errno == ECONNREFUSED ? 1 : 111, "connect", argv[optind]);

	/* the socket is non-blocking from here: stdin is read only when all
	 * of the last read has gone out, and replies are read meanwhile */
	if (fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) < 0)
		die(111, "fcntl", 0);
	for (;;) {
		struct pollfd pf[2] = { { s, POLLIN, 0 }, { 0, POLLIN, 0 } };
		int n = in_open && !pend ? 2 : 1;
		if (pend)
			pf[0].events |= POLLOUT;
		if (poll(pf, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die(111, "poll", 0);
		}
		if (pf[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(s, buf, sizeof buf);
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r < 0)
				die(111, "read from", argv[optind]);
			if (r == 0)
				break;
			if (put(1, buf, (size_t)r) < 0)
				die(111, "write to", "stdout");
		}
		if (pend && (pf[0].revents & POLLOUT)) {
			ssize_t w = write(s, out + off, pend);
			if (w < 0 && errno != EINTR && errno != EAGAIN)
				die(111, "write to", argv[optind]);
			if (w > 0) {
				off += (size_t)w;
				pend -= (size_t)w;
			}
		}
		if (n == 2 && pf[1].revents) {
			ssize_t r = read(0, out, sizeof out);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				die(111, "read from", "stdin");
			if (r == 0) {
				in_open = 0;
				if (shutdown(s, SHUT_WR) < 0)
					die(111, "shutdown", argv[optind]);
			} else {
				off = 0;
				pend = (size_t)r;
			}
		}
	}
	cleanup();
	return 0;
usage:
	fputs("usage: seedcli [-d DIR] SERVER-PATH\n", stderr);
	return 100;
}
