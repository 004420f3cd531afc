/* SPDX-License-Identifier: ISC */
/* ref_server.c: the reference for udsbox's built-in service benchmarks.
 *
 * usage: ref_server [-e | -w] [-p] PATH
 *
 * The least a UNIX-socket uppercasing server can do: one thread, one
 * level-triggered epoll set, nonblocking sockets, one recv and one send per
 * readiness event, the reply to each read sent at once (a-z upper-cased;
 * -e: unchanged), the connection closed at EOF once nothing is pending. A
 * short send parks the rest and stops reading that client until it drains.
 * -w upper-cases a word at a time (SWAR, 8 bytes per step on 64-bit, 4 on
 * ARMv7) instead of a byte at a time: the prototype of a change suggested
 * for uds-serve, measured by the bulk section of bench/run.sh.
 * -p asks every accepted client for its credentials (getsockopt SO_PEERCRED),
 * as uds-serve does for -A, -C and -v: it prices that one system call.
 * Nothing else: no limits, no credentials, no logging, no signal handling.
 * It stands for the limit that uds-serve's built-in service is measured against.
 * Built static with musl (-O2) for the host and for ARMv7, like udsbox.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#define BUF 16384           /* one read, as uds-serve's built-in services */
#define MAXFD 65536

static struct pend { char *buf; unsigned off, len; } pend[MAXFD];
static char buf[BUF];
static int ep, echo, swar, cred;

static void die(const char *what)
{
	const char *e = strerror(errno);
	(void)!write(2, "ref_server: ", 12);
	(void)!write(2, what, strlen(what));
	(void)!write(2, ": ", 2);
	(void)!write(2, e, strlen(e));
	(void)!write(2, "\n", 1);
	exit(111);
}

/* a-z to A-Z, a byte at a time: what uds-serve does */
static void upper_bytes(unsigned char *p, size_t n)
{
	for (; n; n--, p++)
		if ((unsigned)(*p - 'a') < 26u)
			*p = (unsigned char)(*p - 32);
}

/* The same, a machine word at a time. For each byte b of the word, with
   h = b & 0x7f: h + 0x1f has bit 7 set iff h >= 'a', h + 0x05 iff h > 'z'; no
   carry crosses a byte. A lower-case letter (and b < 0x80) gets 0x20 cleared. */
static void upper_swar(unsigned char *p, size_t n)
{
	typedef unsigned long W;
	const W ones = (W)-1 / 0xff, high = ones * 0x80;
	for (; n >= sizeof(W); n -= sizeof(W), p += sizeof(W)) {
		W w, h, m;
		memcpy(&w, p, sizeof w);
		h = w & ~high;
		m = (h + ones * (0x80 - 'a')) & ~(h + ones * (0x80 - 'z' - 1)) & ~w & high;
		w ^= m >> 2;
		memcpy(p, &w, sizeof w);
	}
	upper_bytes(p, n);
}

static void ctl(int op, int fd, unsigned ev)
{
	struct epoll_event e = { .events = ev, .data.fd = fd };
	if (epoll_ctl(ep, op, fd, &e) < 0)
		die("epoll_ctl");
}

static void drop(int fd)
{
	free(pend[fd].buf);
	pend[fd].buf = 0;
	close(fd);
}

static void serve(int fd)
{
	struct pend *p = &pend[fd];
	ssize_t r, w;
	if (p->buf) {   /* parked reply: drain it, then read again */
		w = send(fd, p->buf + p->off, p->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR)
				drop(fd);
			return;
		}
		p->off += (unsigned)w;
		p->len -= (unsigned)w;
		if (!p->len) {
			free(p->buf);
			p->buf = 0;
			ctl(EPOLL_CTL_MOD, fd, EPOLLIN);
		}
		return;
	}
	r = recv(fd, buf, BUF, MSG_DONTWAIT);
	if (r <= 0) {
		if (!r || (errno != EAGAIN && errno != EINTR))
			drop(fd);
		return;
	}
	if (swar)
		upper_swar((unsigned char *)buf, (size_t)r);
	else if (!echo)
		upper_bytes((unsigned char *)buf, (size_t)r);
	w = send(fd, buf, (size_t)r, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w == r)
		return;
	if (w < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			drop(fd);
			return;
		}
		w = 0;
	}
	p->len = (unsigned)(r - w);
	p->off = 0;
	p->buf = malloc(p->len);
	if (!p->buf)
		die("malloc");
	memcpy(p->buf, buf + w, p->len);
	ctl(EPOLL_CTL_MOD, fd, EPOLLOUT);
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev[64];
	int lfd;
	int opt;
	while ((opt = getopt(argc, argv, "ewp")) != -1)
		switch (opt) {
		case 'e': echo = 1; break;
		case 'w': swar = 1; break;
		case 'p': cred = 1; break;
		default: goto usage;
		}
	argv += optind - 1;
	argc -= optind - 1;
	if (argc != 2 || strlen(argv[1]) >= sizeof sa.sun_path) {
	usage:
		(void)!write(2, "usage: ref_server [-e | -w] [-p] PATH\n", 38);
		return 100;
	}
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 64) < 0)
		die("listen");
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		die("epoll_create1");
	ctl(EPOLL_CTL_ADD, lfd, EPOLLIN);
	for (;;) {
		int n = epoll_wait(ep, ev, 64, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (int k = 0; k < n; k++) {
			int fd = ev[k].data.fd;
			if (fd != lfd) {
				serve(fd);
				continue;
			}
			for (;;) {
				int c = accept4(lfd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (c < 0)
					break;   /* EAGAIN, or out of fds: try at the next event */
				if (c >= MAXFD) {
					close(c);
					continue;
				}
				if (cred) {
					struct ucred cr;
					socklen_t cl = sizeof cr;
					if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
						close(c);
						continue;
					}
				}
				ctl(EPOLL_CTL_ADD, c, EPOLLIN);
			}
		}
	}
}
