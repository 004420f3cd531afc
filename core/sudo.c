/* SPDX-License-Identifier: ISC */
/* sudo.c: the exec service's wire protocol, s6-sudo's version 1.0, for both
   ends (uds-serve -x, uds-connect -x). Every integer is big-endian.

   server -> client  "s6-sudo b v1.0\n"                        15 bytes, raw
   client -> server  one message: u32 length, u16 descriptor count, then
                     "s6-sudo a v1.0\n", u32 argc, u32 envc, u32 arglen,
                     u32 envlen, the arguments and the variables, each
                     NUL-ended; fds 0, 1 and 2 ride with it (SCM_RIGHTS)
   server -> client  1 byte: 0 once the command runs, else an errno
   server -> client  u32: the command's wait status, at its end           */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "core.h"

const char ub_sudo_banner_s[] = "s6-sudo b v1.0\n";
/* a request's header, its length to come, and the client's banner */
static const unsigned char head[6 + 15] = "\0\0\0\0\0\3s6-sudo a v1.0\n";
#define banner_c (head + 6)
#define BANNER 15
#define FIXED (BANNER + 16)   /* the banner and four counts */

unsigned ub_be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

void ub_put32(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A block of n NUL-ended strings: exactly n NULs, the last byte one of them. */
static int strings(const unsigned char *p, size_t len, unsigned n)
{
	size_t nuls = 0;
	for (size_t i = 0; i < len; i++)
		nuls += !p[i];
	return nuls == n && (!len || !p[len - 1]) ? 0 : -1;
}

/* The body of a request (after its 6-byte header) into r; 0, or -1 if it is
   malformed in any way. The strings stay where they are, in p. */
int ub_sudo_parse(const unsigned char *p, size_t n, struct ub_sudoreq *r)
{
	size_t al, el;
	if (n < FIXED || memcmp(p, banner_c, BANNER))
		return -1;
	r->argc = ub_be32(p + BANNER);
	r->envc = ub_be32(p + BANNER + 4);
	al = ub_be32(p + BANNER + 8);
	el = ub_be32(p + BANNER + 12);
	if (al > n - FIXED || el != n - FIXED - al)
		return -1;
	r->args = (const char *)p + FIXED;
	r->env = r->args + al;
	r->envlen = el;
	return strings(p + FIXED, al, r->argc) || strings(p + FIXED + al, el, r->envc) ? -1 : 0;
}

/* The server's read of one request into buf (cap bytes), within ms (-1: no
   limit). The three descriptors must come with it, no more, no fewer: they
   land in fds[] (close-on-exec), or, on any failure, are closed. While it
   waits, wfd readable asks stop() (if given) whether to give up. Returns the
   body's length, or -1 with errno (EPROTO: not a request we take;
   ECANCELED: stop() said so). */
ssize_t ub_sudo_recv(int fd, unsigned char *buf, size_t cap, int fds[3], int ms,
                     int wfd, int (*stop)(void))
{
	size_t have = 0, want = 6;
	unsigned nfds = 0, hdrfds = 0;
	int keep[4];
	unsigned long long end = ub_now() + (unsigned)ms;
	int bad = 0;
	while (have < want) {
		union ub_cmsgbuf cm;
		struct iovec iov = { buf + have, want - have };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cm,
			.msg_controllen = sizeof cm };
		unsigned long long now = ub_now();
		struct pollfd pf[2] = { { .fd = fd, .events = POLLIN }, { .fd = wfd, .events = POLLIN } };
		ssize_t r;
		/* without a limit too: a recvmsg that found nothing would spin */
		if ((ms >= 0 && now >= end) || !(r = poll(pf, 2, ms < 0 ? -1 : (int)(end - now)))) {
			errno = ETIMEDOUT;
			goto fail;
		}
		if (r > 0 && pf[1].revents && stop && stop()) {
			errno = ECANCELED;
			goto fail;
		}
		if (r < 0 || !pf[0].revents)
			continue;
		r = ub_recvmsg(fd, &m, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0) {
			if (!r)
				errno = EPIPE;
			goto fail;
		}
		/* a fourth is kept only to be refused (and closed) with the rest */
		ub_cmsg(&m, 0, keep, &nfds, 4);
		if (nfds > 3 || m.msg_flags & MSG_CTRUNC)
			bad = 1;
		have += (size_t)r;
		if (want == 6 && have == 6) {
			want += ub_be32(buf);
			hdrfds = (unsigned)buf[4] << 8 | buf[5];
			if (want > cap || want < 6 + FIXED || hdrfds != 3)
				bad = 1;
		}
		if (bad) {
			errno = EPROTO;
			goto fail;
		}
	}
	if (nfds == 3) {
		memcpy(fds, keep, sizeof keep - sizeof *keep);
		return (ssize_t)(want - 6);
	}
	errno = EPROTO;
fail:
	while (nfds)
		close(keep[--nfds]);
	return -1;
}

/* Are the client's three what they claim: fd 0 open for reading, 1 and 2
   for writing, none O_PATH (whose access mode bits say nothing)? fl0-fl2:
   their F_GETFL values; -1 (not open) has every bit, O_PATH's too. */
static int can(int fl, int mode)
{
	return !(fl & O_PATH) && ((fl & O_ACCMODE) == mode || (fl & O_ACCMODE) == O_RDWR);
}

int ub_sudo_fdsok(int fl0, int fl1, int fl2)
{
	return can(fl0, O_RDONLY) && can(fl1, O_WRONLY) && can(fl2, O_WRONLY);
}

/* Every string after the other, from where it is: one write each. */
static int putstrings(int fd, char *const *v)
{
	for (; v && *v; v++)
		if (ub_writeall(fd, *v, strlen(*v) + 1) < 0)
			return -1;
	return 0;
}

static void counts(char *const *v, unsigned *n, size_t *len)
{
	for (*n = 0, *len = 0; v && v[*n]; (*n)++)
		*len += strlen(v[*n]) + 1;
}

/* The client's request: the header, the counts and fds 0-2 in one sendmsg,
   then the strings. fd must be blocking. */
int ub_sudo_send(int fd, char *const *argv, char *const *envp)
{
	unsigned char h[6 + FIXED];
	union ub_cmsgbuf cm;
	struct cmsghdr *c = &cm.h;
	unsigned argc, envc;
	size_t al, el;
	counts(argv, &argc, &al);
	counts(envp, &envc, &el);
	if (al + el > 0xffffffffUL - FIXED) {
		errno = E2BIG;
		return -1;
	}
	memcpy(h, head, sizeof head);
	ub_put32(h, (unsigned)(FIXED + al + el));
	ub_put32(h + 6 + BANNER, argc);
	ub_put32(h + 10 + BANNER, envc);
	ub_put32(h + 14 + BANNER, (unsigned)al);
	ub_put32(h + 18 + BANNER, (unsigned)el);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(3 * sizeof(int));
	memcpy(CMSG_DATA(c), (const int[3]){ 0, 1, 2 }, 3 * sizeof(int));
	struct iovec iov = { h, sizeof h };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = c,
		.msg_controllen = CMSG_SPACE(3 * sizeof(int)) };
	ssize_t w;
	do w = sendmsg(fd, &m, MSG_NOSIGNAL); while (w < 0 && errno == EINTR);
	/* the descriptors went with the first byte; the rest as it comes */
	if (w < 0 || ub_writeall(fd, h + w, sizeof h - (size_t)w) < 0)
		return -1;
	return putstrings(fd, argv) || putstrings(fd, envp) ? -1 : 0;
}
