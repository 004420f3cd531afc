/* SPDX-License-Identifier: ISC */
/* uds_serve_builtin.c: uds-serve's built-in services (upper, echo, discard),
   on every socket type, answering from the shared scratch area. */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include "uds_serve.h"

/* upper: a machine word at a time. In each byte of h (its top bit cleared)
   'a'..'z' is where h + (0x80 - 'a') has the top bit set and h + (0x80 - 'z' - 1)
   has not; no sum carries into the next byte. Bytes with the top bit set in w
   are left alone, and 0x80 >> 2 is the 0x20 that tells the cases apart. */
static void transform(unsigned char *p, size_t n)
{
	typedef unsigned long W;
	const W ones = (W)-1 / 0xff, high = ones * 0x80;
	if (S.service != UPPER)
		return;
	for (; n >= sizeof(W); n -= sizeof(W), p += sizeof(W)) {
		W w, h;
		memcpy(&w, p, sizeof w);
		h = w & ~high;
		w ^= ((h + ones * (0x80 - 'a')) & ~(h + ones * (0x80 - 'z' - 1)) & ~w & high) >> 2;
		memcpy(p, &w, sizeof w);
	}
	for (; n; n--, p++)
		if ((unsigned)(*p - 'a') < 26u)
			*p = (unsigned char)(*p - 32);
}

int freeslot(void)
{
	for (int s = 0; s < UB_PENDSLOTS; s++)
		if (!slotused[s])
			return s;
	return -1;
}

/* Wait for the client to be writable (ev EPOLLOUT) or readable again; a
   connection whose watch cannot be changed is closed, never left spinning. */
void watch(unsigned i, unsigned ev)
{
	if (epctl(EPOLL_CTL_MOD, conns[i].fd, ev, i) < 0)
		cut(i);
}

/* Take what was peeked and answered. The data is queued, so a failure is
   spurious: tried again a few times, then the connection is closed, since a
   message answered and still queued would be answered twice. */
ssize_t consume(int fd, size_t n)
{
	ssize_t r;
	int tries = 0;
	do r = recv(fd, SCRATCH, n, MSG_DONTWAIT);
	while (r < 0 && (errno == EINTR || errno == EAGAIN) && ++tries < 4);
	return r;
}

/* One event on a built-in connection. The reply to what was read is sent at
   once; what the client does not take is parked in a slot, and the client is
   not read again until it is gone. With no slot free (or for seqpacket, whose
   messages must go whole), the data is only peeked at, and consumed as far
   as the reply went out: a client that does not read then waits in the
   kernel's buffers, and holds nothing the others need. */
void serve_conn(unsigned i)
{
	struct conn *c = &conns[i];
	ssize_t r, w;
	int slot = -1, peek = 0, eof = 0, resting = 0;
	if (c->slot != NOSLOT) {
		w = ub_send(c->fd, POOL + (size_t)c->slot * UB_PENDSIZE + c->off, c->len);
		if (w < 0) {
			if (errno != EAGAIN && !rest(i))
				cut(i);
			return;
		}
		c->rests = 0;
		c->last = S.idle ? ub_now() : 0;
		c->off = (unsigned short)(c->off + w);
		c->len = (unsigned short)(c->len - w);
		if (c->len)
			return;
		slotused[c->slot] = 0;
		c->slot = NOSLOT;
		watch(i, EPOLLIN | EPOLLRDHUP);
		return;
	}
	if (c->blocked) {
		/* the client reads again: so may we */
		c->blocked = 0;
		watch(i, EPOLLIN | EPOLLRDHUP);
		return;
	}
	if (S.service < DISCARD) {
		if (S.type != SOCK_SEQPACKET)
			slot = freeslot();
		peek = slot < 0;
	}
	/* seqpacket never parks, so its messages may fill the whole scratch area */
	if (S.type == SOCK_SEQPACKET)
		/* SO_PASSCRED is inherited from the listening socket */
		r = ub_msgread(c->fd, SCRATCH, sizeof ub_scratch - 1, MSG_DONTWAIT | (peek ? MSG_PEEK : 0), &eof);
	else {
		r = recv(c->fd, SCRATCH, S.service == DISCARD || peek ? UB_IOBUF : UB_PENDSIZE,
		         MSG_DONTWAIT | (peek ? MSG_PEEK : 0));
		eof = !r;
	}
	if (r < 0) {
		if (errno != EAGAIN && errno != EINTR && !rest(i))
			cut(i);
		return;
	}
	if (eof) {
		conn_free(i);   /* EOF, and nothing is pending */
		return;
	}
	c->last = S.idle ? ub_now() : 0;
	if (S.service == PRINT)
		print_msg(SCRATCH, (size_t)r);   /* seqpacket: a message a line */
	if (S.service >= DISCARD) {
		c->rests = 0;
		return;
	}
	transform(SCRATCH, (size_t)r);
	w = ub_send(c->fd, SCRATCH, (size_t)r);
	if (w >= 0)
		c->rests = 0;
	else if (errno != EAGAIN) {
		if (!rest(i)) {
			cut(i);
			return;
		}
		/* a peeked message is read again after the rest, a read one is
		   parked and sent after it */
		if (peek)
			return;
		resting = 1;
	}
	if (peek) {
		/* consume what went out; a seqpacket message goes whole or not at
		   all, an empty one too (left queued, it would be read forever) */
		if (w >= 0 && (w > 0 || !r) && consume(c->fd, (size_t)w) < 0)
			cut(i);
		else if (w < r || w < 0) {
			c->blocked = 1;
			watch(i, EPOLLOUT);
		}
		return;
	}
	if (w < 0)
		w = 0;
	if (w == r)
		return;
	c->slot = (unsigned char)slot;
	slotused[slot] = 1;
	c->off = 0;
	c->len = (unsigned short)(r - w);
	memcpy(POOL + (size_t)slot * UB_PENDSIZE, SCRATCH + w, c->len);
	if (!resting)
		watch(i, EPOLLOUT);
}

void serve_dgram(void)
{
	for (int k = 0; k < 64; k++) {
		struct sockaddr_un sa;
		union ub_cmsgbuf cm;
		struct iovec iov = { SCRATCH, sizeof ub_scratch - 1 };   /* 1: print's newline */
		struct msghdr m = { .msg_name = &sa, .msg_namelen = sizeof sa, .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = &cm, .msg_controllen = sizeof cm };
		struct ucred cr = { 0, UB_NOID, UB_NOID };
		ssize_t r = ub_recvmsg(S.lfd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				starve("unable to receive");
			return;
		}
		ub_cmsg(&m, &cr, 0, 0, 0);   /* passed descriptors are closed here */
		if (m.msg_flags & MSG_TRUNC) {
			ub_info("drop datagram larger than the buffer", (char *)0);
			continue;
		}
		if (!ub_allowed(S.rules, S.nrules, cr.uid, cr.gid, 0, 0)) {
			info3("refuse", (unsigned long)cr.pid, cr.uid, cr.gid);
			continue;
		}
		if (S.service == PRINT)   /* no reply: any sender will do, bound or not */
			print_msg(SCRATCH, (size_t)r);
		if (S.service >= DISCARD)
			continue;
		if (m.msg_namelen <= sizeof(sa_family_t)) {
			ub_info("drop datagram from unbound sender", (char *)0);
			continue;
		}
		if (m.msg_namelen == S.melen && !memcmp(&sa, &S.me, S.melen))
			continue;   /* our own reply, come back: never answer it */
		transform(SCRATCH, (size_t)r);
		/* a sender whose queue stays full loses the reply: the server never
		   waits on one client */
		for (int tries = 0; ub_reply(S.lfd, SCRATCH, (size_t)r, &sa, m.msg_namelen, cr.uid, &S.self) < 0;) {
			if (errno != EINTR && (errno != EAGAIN || ++tries > 2)) {
				info3(errno == EPERM ? "refuse to reply to" : "reply dropped for",
				      (unsigned long)cr.pid, cr.uid, cr.gid);
				break;
			}
		}
	}
}
