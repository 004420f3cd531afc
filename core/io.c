/* SPDX-License-Identifier: ISC */
/* io.c: the one place that handles EINTR, EAGAIN and short writes. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include "core.h"

ssize_t ub_read(int fd, void *buf, size_t n)
{
	ssize_t r;
	do r = read(fd, buf, n); while (r < 0 && errno == EINTR);
	return r;
}

/* Everything or an error, whether fd blocks or not. */
int ub_writeall(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && ub_waitfd(fd, POLLOUT, -1) >= 0)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One non-blocking send that never raises SIGPIPE. */
ssize_t ub_send(int fd, const void *buf, size_t n)
{
	ssize_t r;
	do r = send(fd, buf, n, MSG_NOSIGNAL | MSG_DONTWAIT); while (r < 0 && errno == EINTR);
	return r;
}

int ub_waitfd(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r;
	do r = poll(&p, 1, ms); while (r < 0 && errno == EINTR);
	return r;
}

int ub_nonblock(int fd, int on)
{
	int fl = ub_fcntl(fd, F_GETFL, 0);
	if (fl < 0)
		return -1;
	return ub_fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* One write that never blocks, on a descriptor that may be blocking and
   shared with others (stderr, stdout): a socket takes MSG_DONTWAIT; anything
   else is written only when poll says it takes something now, a pipe's page
   at most (a writable pipe has a free page). -1 with EAGAIN when it would
   block, with EPIPE when poll says the reader is gone (no write, so no
   SIGPIPE either). */
ssize_t ub_trywrite(int fd, const void *buf, size_t n)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	ssize_t w = send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w >= 0 || errno != ENOTSOCK)
		return w;
	errno = EAGAIN;
	if (poll(&p, 1, 0) != 1)
		return -1;
	if (p.revents != POLLOUT) {
		errno = EPIPE;
		return -1;
	}
	return write(fd, buf, n > 4096 ? 4096 : n);
}

/* shutdown(SHUT_WR), which an interruption must not leave undone. */
void ub_halfclose(int fd)
{
	while (shutdown(fd, SHUT_WR) < 0 && errno == EINTR)
		;
}

/* strchr(3): libc's rests on a word-at-a-time strchrnul of 142 bytes. */
char *ub_strchr(const char *s, int c)
{
	for (; *s != (char)c; s++)
		if (!*s)
			return 0;
	return (char *)s;
}

void *ub_memchr(const void *p, int c, size_t n)
{
	const unsigned char *s = p;
	for (; n; n--, s++)
		if (*s == (unsigned char)c)
			return (void *)s;
	return 0;
}

/* memmove for the one overlap we have: a buffer's tail moved to its start. */
void ub_shift(unsigned char *buf, size_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = buf[off + i];
}

/* Make sure 0, 1 and 2 are open, so no socket of ours ever lands on them. */
void ub_stdfds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (ub_fcntl(fd, F_GETFD, 0) < 0 && ub_open("/dev/null", O_RDWR) < 0)
			_exit(UB_EXIT_SYS);
}

/* The scratch area shared by all applets (only one runs in a process). */
unsigned char ub_scratch[2 * UB_IOBUF + UB_PENDSLOTS * UB_PENDSIZE];
