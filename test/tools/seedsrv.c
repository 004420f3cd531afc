/* SPDX-License-Identifier: ISC */
/* seedsrv.c: the server of the "seed" protocol: it authenticates each client
 * by the file the client bound its stream socket to, then uppercases.
 *
 * usage: seedsrv [-s MS] SOCKET-PATH
 *
 * It listens on SOCKET-PATH (a stale file there is removed first) and, once
 * listening, writes "listening" and a newline to stdout. Then, one client
 * after the other:
 *   - waits MS milliseconds (-s, default 0) before accept(), as a busy server
 *     would: a client must not count on being accepted soon;
 *   - takes the client's bound path from accept's address and stat()s it: it
 *     must exist and be a socket, else "seedsrv: a bad filename: PATH: REASON"
 *     goes to stderr and the client is closed without a byte;
 *   - writes "client uid UID" (the file's owner) to stdout, unlinks the file;
 *   - reads until the client's EOF, writing back every byte with a-z mapped
 *     to A-Z, and closes.
 * SIGTERM or SIGINT: remove SOCKET-PATH and exit 0.
 */
#include <errno.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "tool.h"

static const char *listen_path;

static void on_term(int sig)
{
	(void)sig;
	unlink(listen_path);
	_exit(0);
}

static void fatal(const char *what)
{
	fprintf(stderr, "seedsrv: fatal: %s %s: %s\n", what, listen_path, strerror(errno));
	exit(111);
}

#define put tool_put

/* check the client's bound path; 0 and its uid in *uid if it is good */
static int identify(const struct sockaddr_un *sa, socklen_t len, uid_t *uid)
{
	char path[sizeof sa->sun_path + 1];
	size_t n = 0;
	struct stat st;

	if (len > offsetof(struct sockaddr_un, sun_path))
		n = len - offsetof(struct sockaddr_un, sun_path);
	if (n > sizeof sa->sun_path)
		n = sizeof sa->sun_path;
	memcpy(path, sa->sun_path, n);
	path[n] = 0;
	if (n == 0 || path[0] == 0) {
		fprintf(stderr, "seedsrv: a bad filename: %s\n",
			n ? "(abstract address)" : "(unbound client)");
		return -1;
	}
	if (stat(path, &st) < 0) {
		fprintf(stderr, "seedsrv: a bad filename: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		fprintf(stderr, "seedsrv: a bad filename: %s: not a socket\n", path);
		return -1;
	}
	*uid = st.st_uid;
	printf("client uid %ld\n", (long)st.st_uid);
	fflush(stdout);
	if (unlink(path) < 0)
		fprintf(stderr, "seedsrv: warning: unable to unlink %s: %s\n", path, strerror(errno));
	return 0;
}

static void serve(int c)
{
	char buf[65536];
	for (;;) {
		ssize_t r = read(c, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] = (char)(buf[i] - 'a' + 'A');
		if (put(c, buf, (size_t)r) < 0)
			return;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa;
	struct sigaction act;
	long delay = 0;
	int opt, s;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt == 's')
			delay = atol(optarg);
		else
			goto usage;
	}
	if (optind + 1 != argc)
		goto usage;
	listen_path = argv[optind];
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(listen_path) >= sizeof sa.sun_path) {
		fprintf(stderr, "seedsrv: fatal: path too long\n");
		return 100;
	}
	strcpy(sa.sun_path, listen_path);

	memset(&act, 0, sizeof act);
	act.sa_handler = on_term;
	sigemptyset(&act.sa_mask);
	sigaction(SIGTERM, &act, 0);
	sigaction(SIGINT, &act, 0);
	signal(SIGPIPE, SIG_IGN);

	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0)
		fatal("socket for");
	unlink(listen_path);
	if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0)
		fatal("bind");
	if (listen(s, 16) < 0)
		fatal("listen on");
	printf("listening\n");
	fflush(stdout);

	for (;;) {
		struct sockaddr_un peer;
		socklen_t len = sizeof peer;
		uid_t uid;
		int c;
		if (delay > 0) {
			struct timespec ts = { delay / 1000, (delay % 1000) * 1000000L };
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
		memset(&peer, 0, sizeof peer);
		c = accept(s, (struct sockaddr *)&peer, &len);
		if (c < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fatal("accept on");
		}
		if (identify(&peer, len, &uid) == 0)
			serve(c);
		close(c);
	}
usage:
	fputs("usage: seedsrv [-s MS] SOCKET-PATH\n", stderr);
	return 100;
}
