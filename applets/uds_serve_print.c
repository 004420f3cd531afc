/* SPDX-License-Identifier: ISC */
/* uds_serve_print.c: -I print, a sink that writes what clients send to
   stdout and answers nothing: a line a message (dgram, seqpacket), a line a
   line (stream), two clients' lines never mixed. While stdout is slow every
   client waits, in the kernel's buffers: nothing that was read is dropped. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include "uds_serve.h"

/* All of buf to stdout. While it is full, nothing else is done but the
   signals (SIGTERM still ends the server), so no client is read meanwhile.
   No write may block (ub_trywrite), even on a descriptor that could not be
   made non-blocking of our own (see ub_nbopen). */
void print_out(const unsigned char *buf, size_t n)
{
	while (n) {
		ssize_t w = ub_trywrite(S.out, buf, n);
		if (w > 0) {
			buf += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EAGAIN) {
			struct pollfd p[2] = { { .fd = S.out, .events = POLLOUT },
			                       { .fd = S.sigfd, .events = POLLIN } };
			if (poll(p, 2, -1) > 0 && p[1].revents)
				signals();
		} else if (w < 0 && errno != EINTR)
			ub_diesys(UB_EXIT_SYS, "unable to write to stdout", (char *)0);
	}
}

/* A message as one line (its newline, if it ends with one, is the line's
   end), escaped (ub_esc) so that no client can write two lines, or a
   terminal's controls; a stream's lines end at their own newlines. */
void print_msg(const unsigned char *buf, size_t n)
{
	char out[4096];
	size_t o, k;
	if (n && buf[n - 1] == '\n')
		n--;
	do {
		k = n;
		o = ub_esc(out, sizeof out - 1, buf, &k, S.type == SOCK_STREAM ? UB_ESC_LINES : 0);
		buf += k;
		n -= k;
		if (!n)
			out[o++] = '\n';
		print_out((const unsigned char *)out, o);
	} while (n);
}

/* One event on a stream client. A line begun waits in the client's slot for
   its end; with no slot free, the data is only peeked at, its whole lines
   written and consumed, and the client waits (for a slot, or for its own
   end) with the rest in the kernel's buffers. A line that fills a slot or
   the scratch area, or the last one of a client that left, is written as
   it is, with a newline. */
void serve_print(unsigned i, unsigned ev)
{
	struct conn *c = &conns[i];
	int slot = c->slot != NOSLOT ? c->slot : freeslot(), peek = slot < 0;
	unsigned char *buf = peek ? SCRATCH : POOL + (size_t)slot * UB_PENDSIZE;
	size_t have = c->slot != NOSLOT ? c->len : 0;
	size_t room = (peek ? UB_IOBUF : UB_PENDSIZE) - 1 - have;   /* 1: for a newline */
	size_t end, n;
	ssize_t r;
	c->blocked = 0;
	r = recv(c->fd, buf + have, room, MSG_DONTWAIT | (peek ? MSG_PEEK : 0));
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r < 0 && rest(i))
		return;
	if (r <= 0) {   /* the end, or a reset: conn_free writes a line begun */
		r ? cut(i) : conn_free(i);
		return;
	}
	c->rests = 0;
	c->last = S.idle ? ub_now() : 0;
	n = have + (size_t)r;
	for (end = n; end && buf[end - 1] != '\n'; end--)
		;
	if (!end && ((size_t)r == room || (peek && (ev & (EPOLLRDHUP | EPOLLHUP)))))
		end = n;
	if (end)
		print_msg(buf, end);
	if (peek) {
		if (end && consume(c->fd, end) < 0)
			conn_free(i);
		else if (end < n) {
			c->blocked = 2;   /* a line begun and no slot for it: wait */
			watch(i, EPOLLRDHUP);
		}
		return;
	}
	if (end < n) {
		ub_shift(buf, end, n - end);
		c->slot = (unsigned char)slot;
		slotused[slot] = 1;
		c->len = (unsigned short)(n - end);
	} else if (c->slot != NOSLOT)
		slot_release(c);
}
