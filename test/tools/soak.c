/* SPDX-License-Identifier: ISC */
/* soak.c: a chaos soak client for udsbox's built-in upper service.
 *
 * usage: soak [-psW] [-H N] [-k K] [-n CONC] [-r SEED] [-t SECS] [-w SECS] [-x LIST] ADDRESS
 *
 * For SECS seconds (default 20) one process keeps CONC connections (default
 * 64 stream, 16 seqpacket) open to a `uds-serve -I upper` at ADDRESS, each
 * one a random client, started again as soon as one ends; then it lets the
 * last ones finish. Every byte of every reply is checked against the upper
 * case (a-z only) of what was sent.
 *
 * Clients (stream; seqpacket the same, counted in messages):
 *   normal   sends 0 to 4 MiB (mostly small) while reading, half-closes
 *            (SHUT_WR) and reads the whole reply up to the server's close
 *   slow     the same, reading a little at a time with pauses
 *   stall    the same, but reads nothing for 0.2 to 2.5 s after connecting
 *   abort    sends part of its data, reads for a moment, closes
 *   reset    sends part, then stops reading and closes with reply data unread
 *            and SO_LINGER 0: a client killed mid-transfer
 *   hangup   connects and closes at once
 * A seqpacket client sends 1 to 48 messages of 0 to 64 KiB, empty ones
 * included (never the last, which tells the server's close from an empty
 * reply), and wants one reply message per message, in order.
 *
 * Everything about connection K (its kind, sizes, bytes, cut point, pauses)
 * comes from a generator seeded with SEED and K alone, so one failing
 * connection can be run again by itself with -k K and the same seed.
 *
 * options:
 *   -H N     after the run, N more connections get their whole reply (seqpacket:
 *            a message, an empty one, another) and then stay open and silent
 *            until EOF on stdin, for measuring an idle server with clients
 *            connected; anything that arrives on them meanwhile is a failure
 *   -k K     run connection K alone (with the seed of the failing run)
 *   -n CONC  connections at once (1 to 512)
 *   -p       probe: one normal client with a small request, no empty message
 *   -r SEED  the seed (default: $SOAK_SEED, else from the clock); printed first
 *   -s       seqpacket, not stream
 *   -t SECS  how long new clients are started (default 20)
 *   -w SECS  a client none of whose bytes move for SECS fails as stuck (default 15)
 *   -W       warm-up: the first CONC clients push enough to touch every
 *            buffer the server has (parked replies, the largest message), so
 *            that its memory is at its plateau before anyone measures it
 *   -x LIST  leave out these comma-separated clients or features: normal,
 *            slow, stall, abort, reset, hangup; empty (no empty seqpacket
 *            message), large (nothing over 1 MiB). For isolating a known bug;
 *            the default leaves nothing out
 *
 * stdout: the seed, a table per client kind, a last summary line.
 * stderr: one line per failure (the first 20), with the command to replay it.
 * exit: 0 every reply verified; 1 a client failed; 2 usage; 3 the overall time
 * limit ran out; 111 a system call failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "tool.h"

#define MAXCONC     512
#define STREAM_MAX  (4LL << 20)     /* largest stream request */
#define LARGE       (1LL << 20)     /* above this is "large"; slow readers stop here */
#define MSGMAX      65536           /* largest seqpacket message: the README's 64 KiB */
#define MAXMSGS     48              /* messages of one seqpacket client */
#define CHUNK       65536           /* one send or recv at most */
#define SHOWN_FAILS 20

enum { OK = 0, BAD = 1, USAGE = 2, TIMEOUT = 3, SYS = 111 };
enum { NORMAL, SLOW, STALL, ABORT, RESET, HANGUP, NKIND };
enum { BINARY, TEXT, LOWER, NCONTENT };

static const char *const kindname[NKIND] = { "normal", "slow", "stall", "abort", "reset", "hangup" };
/* in percent: mostly clients that want their whole reply, since only those
   check the server end to end; the rest are the faults */
static const unsigned weight[NKIND] = { 35, 15, 15, 15, 12, 8 };
static const char *const contentname[NCONTENT] = { "binary", "text", "lower" };

struct conn {
	int fd;                 /* -1: this slot is free */
	int connecting;         /* the backlog was full: connect again at t_read */
	unsigned long id;
	int kind, content;
	uint64_t rng;           /* this client's own choices */
	uint64_t cs;            /* this client's content seed */
	long long size;         /* stream: bytes; seqpacket: messages */
	long long cut;          /* abort, reset: stop sending here; else size */
	long long sent, got;    /* bytes (stream) or messages (seqpacket) */
	long long verified;     /* reply bytes checked */
	long long t_read;       /* no reading before this (stall, slow pauses) */
	long long t_close;      /* abort, reset: close by then, once at the cut */
	long long t_dial;       /* connecting: try again then */
	long long last;         /* the last time a byte moved */
	int shut;               /* SHUT_WR done */
	int atcut;              /* abort, reset: everything up to the cut sent */
	int reset;              /* seqpacket: the server reset the connection */
	unsigned len[MAXMSGS];  /* seqpacket: each message's size */
};

struct stats {
	unsigned long done, ok, failed;
	long long sent, verified, msgs, replies, empty, emptyok, unread;
};

static struct sockaddr_un addr;
static socklen_t addrlen;
static const char *address;
static int socktype = SOCK_STREAM;
static int probe, warm, conc;
static unsigned exclude;            /* bit per kind; the two below beyond them */
#define X_EMPTY (1u << NKIND)
#define X_LARGE (1u << (NKIND + 1))
static uint64_t seed;
static long long stuck_ms = 15000;
static struct conn conns[MAXCONC];
static struct stats st[NKIND];
static unsigned long failures;
static unsigned char buf[CHUNK + 1], want[CHUNK + 1];

static const char *tname(void) { return socktype == SOCK_STREAM ? "stream" : "seqpacket"; }

static void __attribute__((noreturn)) die(int code, const char *what)
{
	tool_die("soak", tname(), code == SYS, code, what);
}

/* The last resort, when even the stuck-client watchdog did not end the run. */
static void ontimeout(int sig)
{
	(void)sig;
	tool_bail("soak: overall time limit reached\n", TIMEOUT);
}

#define now_ms tool_now_ms

/* splitmix64: a tiny generator whose every output is a full 64-bit mix of its
   state, so neighbouring seeds (connection K and K+1) give unrelated streams. */
#define GOLDEN 0x9e3779b97f4a7c15ULL
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
static uint64_t next(uint64_t *s) { return mix(*s += GOLDEN); }
/* lo..hi inclusive; the modulo bias is far below what a soak could notice */
static long long range(uint64_t *s, long long lo, long long hi)
{
	return lo + (long long)(next(s) % (uint64_t)(hi - lo + 1));
}

/* The bytes a client sends: byte i of a stream is a function of (cs, i) only,
   so sender and checker each compute any stretch of it without storing 4 MiB.
   text has the neighbours of the letter ranges ('`' '{' '@' '[') that a
   word-at-a-time transform could get wrong; binary has the high-bit copies of
   the letters (0xe1..0xfa), which must stay as they are. */
static const char text[65] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz`{@[ \nAZaz09";
static void fill(unsigned char *p, uint64_t cs, int content, long long off, size_t n)
{
	uint64_t w = 0;
	for (size_t k = 0; k < n; k++) {
		uint64_t i = (uint64_t)off + k;
		unsigned b;
		if (k == 0 || (i & 7) == 0)
			w = mix(cs + (i >> 3) * GOLDEN);
		b = (unsigned)(w >> ((i & 7) * 8)) & 0xff;
		p[k] = content == BINARY ? (unsigned char)b
		     : content == TEXT ? (unsigned char)text[b & 63]
		     : (unsigned char)('a' + (b * 26 >> 8));
	}
}
static void upper(unsigned char *p, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (p[k] >= 'a' && p[k] <= 'z')
			p[k] = (unsigned char)(p[k] - 32);
}
/* message j of a seqpacket client has a seed of its own */
static uint64_t msgseed(const struct conn *c, long long j) { return mix(c->cs ^ ((uint64_t)j + 1) * GOLDEN); }

static void setaddr(const char *s)
{
	if (tool_addr(s, &addr, &addrlen) < 0)
		die(USAGE, "bad address");
}

static unsigned long long number(const char *s)
{
	char *end;
	unsigned long long n;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		die(USAGE, "bad number");
	return n;
}

static void excludes(char *list)
{
	for (char *w = strtok(list, ","); w; w = strtok(NULL, ",")) {
		int k;
		for (k = 0; k < NKIND && strcmp(w, kindname[k]); k++)
			;
		if (k < NKIND)
			exclude |= 1u << k;
		else if (!strcmp(w, "empty"))
			exclude |= X_EMPTY;
		else if (!strcmp(w, "large"))
			exclude |= X_LARGE;
		else
			die(USAGE, "-x: unknown client kind (normal slow stall abort reset hangup empty large)");
	}
	if ((exclude & ((1u << NKIND) - 1)) == (1u << NKIND) - 1)
		die(USAGE, "-x leaves no client kind");
}

/* A stream request size: some empty, mostly small, some large, a few up to 4 MiB. */
static long long stream_size(uint64_t *r)
{
	long long p = range(r, 0, 99);
	if (p < 6)
		return 0;
	if (p < 45)
		return range(r, 1, 1024);
	if (p < 80)
		return range(r, 1025, 65536);
	if (p < 95 || (exclude & X_LARGE))
		return range(r, 65537, LARGE);
	return p == 99 ? STREAM_MAX : range(r, LARGE + 1, STREAM_MAX);
}

/* A seqpacket message size: one in six empty, then small ones, a few of 64 KiB. */
static unsigned msg_size(uint64_t *r)
{
	long long p = range(r, 0, 99);
	if (p < 16 && !(exclude & X_EMPTY))
		return 0;
	if (p < 60)
		return (unsigned)range(r, 1, 256);
	if (p < 90)
		return (unsigned)range(r, 257, 8192);
	return p == 99 ? MSGMAX : (unsigned)range(r, 8193, MSGMAX);
}

/* Connection id's whole script, from the seed and id alone. */
static void plan(struct conn *c, unsigned long id, long long now)
{
	uint64_t *r = &c->rng;
	long long p;
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->id = id;
	c->rng = mix(seed ^ mix(id + 1));
	c->cs = next(r);
	do {
		p = range(r, 0, 99);
		for (c->kind = 0; c->kind < NKIND - 1 && p >= (long long)weight[c->kind]; c->kind++)
			p -= weight[c->kind];
	} while (exclude & (1u << c->kind));
	c->content = (int)range(r, 0, NCONTENT - 1);
	if (socktype == SOCK_STREAM) {
		c->size = stream_size(r);
		if (c->kind == SLOW && c->size > LARGE)
			c->size = range(r, 1, LARGE);   /* bounded time: a slow 4 MiB would take a minute */
		if (c->kind == RESET && c->size == 0)
			c->size = range(r, 1, 65536);   /* something to leave unread */
	} else {
		c->size = range(r, 0, 9) < 7 ? range(r, 1, 8) : range(r, 9, MAXMSGS);
		for (long long j = 0; j < c->size; j++)
			c->len[j] = msg_size(r);
		/* the last is never empty: an empty reply is then never the last thing
		   before the server's close, which reads as 0 too */
		if (c->len[c->size - 1] == 0)
			c->len[c->size - 1] = (unsigned)range(r, 1, 256);
	}
	if (probe) {
		c->kind = NORMAL;
		c->content = TEXT;
		c->size = socktype == SOCK_STREAM ? 1000 : 3;
		for (int j = 0; j < 3; j++)
			c->len[j] = 100;
	} else if (warm && id < (unsigned long)conc) {
		/* stream: a client that takes no reply until 1 MiB is in flight fills
		   its own buffers, then a parked-reply slot, then (slots gone) makes the
		   server peek; seqpacket: messages of the largest size touch as much of
		   the scratch area as any message of the run will */
		c->kind = socktype == SOCK_STREAM ? STALL : NORMAL;
		c->content = LOWER;
		c->size = socktype == SOCK_STREAM ? LARGE : 4;
		for (int j = 0; j < 4; j++)
			c->len[j] = MSGMAX;
	}
	c->cut = c->size;
	if (c->kind == ABORT)
		c->cut = range(r, 0, c->size);
	else if (c->kind == RESET)
		c->cut = range(r, 1, c->size);
	else if (c->kind == HANGUP)
		c->size = c->cut = 0;
	c->last = now;
	c->t_read = c->kind == STALL ? now + (warm && id < (unsigned long)conc ? 1500 : range(r, 200, 2500)) : now;
}

static void describe(char *out, size_t n, const struct conn *c)
{
	int k = snprintf(out, n, "connection %lu (%s %s, %lld %s", c->id, tname(), kindname[c->kind],
	                 c->size, socktype == SOCK_STREAM ? "bytes" : "messages");
	if (c->cut != c->size && k > 0 && (size_t)k < n)
		k += snprintf(out + k, n - (size_t)k, ", cut at %lld", c->cut);
	if (k > 0 && (size_t)k < n)
		snprintf(out + k, n - (size_t)k, ", %s; sent %lld, %lld back)",
		         contentname[c->content], c->sent, c->got);
}

static unsigned active;

static void finish(struct conn *c, int ok)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->connecting = 0;
	st[c->kind].done++;
	if (ok)
		st[c->kind].ok++;
	active--;
}

static void fail(struct conn *c, const char *fmt, ...)
{
	char what[256], who[256];
	va_list ap;
	failures++;
	st[c->kind].failed++;
	if (failures <= SHOWN_FAILS) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof what, fmt, ap);
		va_end(ap);
		describe(who, sizeof who, c);
		fprintf(stderr, "soak: FAIL %s: %s\n", who, what);
		fprintf(stderr, "soak:   alone: soak -r %" PRIu64 "%s%s -k %lu %s\n", seed,
		        socktype == SOCK_STREAM ? "" : " -s", warm ? " -W" : "", c->id, address);
	}
	finish(c, 0);
}

static void dial(struct conn *c, long long now)
{
	int fd = c->fd >= 0 ? c->fd : socket(AF_UNIX, socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die(SYS, "socket");
	c->fd = fd;
	/* non-blocking connect on a UNIX socket: done at once, or EAGAIN while the
	   server's backlog is full */
	if (connect(fd, (struct sockaddr *)&addr, addrlen) < 0) {
		if (errno == EAGAIN || errno == EINTR) {
			c->connecting = 1;
			c->t_dial = now + 5;
			return;
		}
		if (errno == ECONNREFUSED || errno == ENOENT)
			die(BAD, "the server is gone (connection refused)");
		die(SYS, "connect");
	}
	if (c->connecting) {
		/* the pauses count from the connection, not from the first try */
		c->t_read += now - c->last;
		c->last = now;
		c->connecting = 0;
	}
	if (c->kind == HANGUP)
		finish(c, 1);
}

static void start(unsigned long id, long long now)
{
	for (int i = 0; i < conc; i++)
		if (conns[i].fd < 0 && !conns[i].connecting) {
			plan(&conns[i], id, now);
			active++;
			dial(&conns[i], now);
			return;
		}
}

/* Check n reply bytes of c at offset c->got (stream) against what was sent. */
static int check_stream(struct conn *c, const unsigned char *p, size_t n)
{
	fill(want, c->cs, c->content, c->got, n);
	upper(want, n);
	if (memcmp(p, want, n)) {
		size_t k = 0;
		while (p[k] == want[k])
			k++;
		fail(c, "reply byte %lld is 0x%02x, want 0x%02x", c->got + (long long)k, p[k], want[k]);
		return -1;
	}
	return 0;
}

static int reading(const struct conn *c, long long now)
{
	if (c->kind == RESET && c->atcut)
		return 0;   /* killed: whatever comes stays unread */
	return now >= c->t_read;
}

/* At the cut, an abort reads on for up to 100 ms and closes; a reset waits
   until reply bytes sit unread (or 500 ms), and closes with SO_LINGER 0. */
static void reached_cut(struct conn *c, long long now)
{
	c->atcut = 1;
	c->t_close = now + (c->kind == ABORT ? range(&c->rng, 0, 100) : 500);
}

static void kill_conn(struct conn *c, int unread)
{
	struct linger l = { 1, 0 };
	setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	if (unread)
		st[c->kind].unread++;
	finish(c, 1);
}

/* What comes with time, not with an event: the half-close once everything is
   sent (at once for an empty request), the cut, the close after it.
   0: the client has ended. */
static int housekeeping(struct conn *c, long long now)
{
	if (c->kind == ABORT || c->kind == RESET) {
		if (!c->atcut && c->sent == c->cut)
			reached_cut(c, now);
		if (c->atcut && now >= c->t_close) {
			if (c->kind == ABORT)
				finish(c, 1);
			else
				kill_conn(c, 0);
			return 0;
		}
	} else if (c->sent == c->size && !c->shut) {
		if (shutdown(c->fd, SHUT_WR) < 0) {
			fail(c, "shutdown: %s", strerror(errno));
			return 0;
		}
		c->shut = 1;
	}
	return 1;
}

static int send_errno_fatal(struct conn *c, const char *what)
{
	if (errno == EAGAIN || errno == EINTR || errno == ENOBUFS)
		return 0;
	fail(c, "%s: %s (the server dropped a client that was still sending)", what, strerror(errno));
	return 1;
}

static void stream_step(struct conn *c, short rev, long long now)
{
	struct stats *s = &st[c->kind];
	if ((rev & POLLOUT) && c->sent < c->cut) {
		size_t n = (size_t)range(&c->rng, 0, 3) ? CHUNK : (size_t)range(&c->rng, 1, 100);
		ssize_t w;
		if ((long long)n > c->cut - c->sent)
			n = (size_t)(c->cut - c->sent);
		fill(buf, c->cs, c->content, c->sent, n);
		w = send(c->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && send_errno_fatal(c, "send"))
			return;
		if (w > 0) {
			c->sent += w;
			s->sent += w;
			c->last = now;
		}
	}
	if (c->kind == RESET && c->atcut && (rev & POLLIN)) {
		kill_conn(c, 1);
		return;
	}
	if ((rev & (POLLIN | POLLHUP | POLLERR)) && reading(c, now)) {
		size_t n = c->kind == SLOW ? (size_t)range(&c->rng, 1, 16384) : CHUNK;
		ssize_t r = recv(c->fd, buf, n, MSG_DONTWAIT);
		if (r < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fail(c, "recv: %s", strerror(errno));
			return;
		}
		if (r == 0) {
			if (c->shut && c->got == c->size)
				finish(c, 1);
			else
				fail(c, "the server closed %s", c->got < c->sent ? "before the whole reply"
				     : "before the client did");
			return;
		}
		if (c->got + r > c->sent) {
			fail(c, "%lld reply bytes more than were sent", c->got + r - c->sent);
			return;
		}
		if (check_stream(c, buf, (size_t)r) < 0)
			return;
		c->got += r;
		c->verified += r;
		s->verified += r;
		c->last = now;
		if (c->kind == SLOW)
			c->t_read = now + range(&c->rng, 0, 20);
	}
}

static void seq_step(struct conn *c, short rev, long long now)
{
	struct stats *s = &st[c->kind];
	if ((rev & POLLOUT) && c->sent < c->cut) {
		unsigned n = c->len[c->sent];
		ssize_t w;
		fill(buf, msgseed(c, c->sent), c->content, 0, n);
		w = send(c->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0 && send_errno_fatal(c, "send"))
			return;
		if (w >= 0) {
			if ((size_t)w != n) {
				fail(c, "message %lld: sent %zd of %u bytes", c->sent, w, n);
				return;
			}
			c->sent++;
			s->msgs++;
			s->sent += n;
			s->empty += n == 0;
			c->last = now;
		}
	}
	if (c->kind == RESET && c->atcut && (rev & POLLIN)) {
		kill_conn(c, 1);
		return;
	}
	if ((rev & (POLLIN | POLLHUP | POLLERR)) && reading(c, now)) {
		/* MSG_TRUNC: the message's real length, even past the buffer */
		ssize_t r = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);
		if (r < 0) {
			/* a server that closes with messages unread resets the connection,
			   and the kernel says so before the replies still queued: read
			   them, to tell how far it got */
			if (errno == ECONNRESET && !c->reset)
				c->reset = 1;
			else if (errno != EAGAIN && errno != EINTR)
				fail(c, "recv after %lld replies: %s", c->got, strerror(errno));
			return;
		}
		if (r == 0 && c->got < c->sent && c->len[c->got] == 0) {
			c->got++;          /* the empty reply to an empty message */
			s->replies++;
			s->emptyok++;
			c->last = now;
		} else if (r == 0) {
			/* the server's close (it hung up, or the last reply is in), else
			   an empty message that answers nothing */
			if (c->reset)
				fail(c, "the server closed with messages unread (ECONNRESET), after %lld replies to %lld messages",
				     c->got, c->sent);
			else if (c->shut && c->got == c->size)
				finish(c, 1);
			else if (rev & (POLLHUP | POLLRDHUP))
				fail(c, "the server closed after %lld replies to %lld messages", c->got, c->sent);
			else if (c->got < c->sent)
				fail(c, "an empty message where reply %lld should have %u bytes", c->got, c->len[c->got]);
			else
				fail(c, "an empty message that answers nothing (after %lld replies)", c->got);
			return;
		} else if (c->got >= c->sent) {
			fail(c, "a reply of %zd bytes to no message (after %lld replies)", r, c->got);
			return;
		} else if ((size_t)r != c->len[c->got]) {
			fail(c, "reply %lld has %zd bytes, want %u%s", c->got, r, c->len[c->got],
			     (size_t)r > c->len[c->got] ? " (replies merged or cut?)" : "");
			return;
		} else {
			fill(want, msgseed(c, c->got), c->content, 0, (size_t)r);
			upper(want, (size_t)r);
			if (memcmp(buf, want, (size_t)r)) {
				size_t k = 0;
				while (buf[k] == want[k])
					k++;
				fail(c, "reply %lld: byte %zu is 0x%02x, want 0x%02x", c->got, k, buf[k], want[k]);
				return;
			}
			c->got++;
			c->verified += r;
			s->verified += r;
			s->replies++;
			c->last = now;
		}
		if (c->kind == SLOW)
			c->t_read = now + range(&c->rng, 0, 30);
	}
}

/* Wait up to stuck_ms for fd to be readable; the poll flags, 0 on timeout. */
static short readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLRDHUP };
	int n;
	while ((n = poll(&p, 1, (int)stuck_ms)) < 0 && errno == EINTR)
		;
	return n > 0 ? p.revents : 0;
}

/* Shown whatever the run showed before: the first four of their own. */
static void hold_fail(int i, const char *fmt, ...)
{
	static int shown;
	va_list ap;
	failures++;
	if (++shown > 4)
		return;
	fprintf(stderr, "soak: FAIL quiet connection %d (%s): ", i, tname());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* -H N: N connections that each get their whole reply, then stay open and
   silent until EOF on stdin: while they wait, a server with clients connected
   and nothing to do must use no CPU and send nothing. A seqpacket one sends
   an empty message among its three, the case a server may fail to consume. */
static int hold(int n)
{
	static int fd[MAXCONC];
	unsigned long ok = 0, before = failures;
	char msg[3][64];
	int nmsg;
	for (int i = 0; i < n; i++) {
		short rev;
		ssize_t r;
		fd[i] = socket(AF_UNIX, socktype | SOCK_CLOEXEC, 0);
		if (fd[i] < 0)
			die(SYS, "socket");
		if (connect(fd[i], (struct sockaddr *)&addr, addrlen) < 0)
			die(SYS, "connect");
		nmsg = 0;
		snprintf(msg[nmsg++], sizeof msg[0], "quiet connection %d of %d: held open\n", i, n);
		if (socktype == SOCK_SEQPACKET) {
			if (!(exclude & X_EMPTY))
				msg[nmsg++][0] = 0;
			snprintf(msg[nmsg++], sizeof msg[0], "and now silent");
		}
		for (int j = 0; j < nmsg; j++) {
			size_t len = strlen(msg[j]), have = 0;
			if (send(fd[i], msg[j], len, MSG_NOSIGNAL) != (ssize_t)len)
				die(SYS, "send");
			memcpy(want, msg[j], len);
			upper(want, len);
			/* stream: the reply may come in pieces; seqpacket: one message */
			do {
				if (!(rev = readable(fd[i]))) {
					hold_fail(i, "no reply to request %d in %lld s", j, stuck_ms / 1000);
					goto next;
				}
				r = recv(fd[i], buf + have, sizeof buf - have, MSG_DONTWAIT);
				if (r < 0 && errno == EAGAIN)
					continue;
				if (r < 0 || (r == 0 && (rev & (POLLHUP | POLLRDHUP)))) {
					hold_fail(i, "request %d: %s", j, r < 0 ? strerror(errno) : "the server closed");
					goto next;
				}
				if (r == 0 && len) {
					hold_fail(i, "an empty message where reply %d should have %zu bytes", j, len);
					goto next;
				}
				have += (size_t)r;
			} while (socktype == SOCK_STREAM && have < len);
			if (have != len || memcmp(buf, want, len)) {
				hold_fail(i, "reply %d is \"%.*s\", want \"%s\"", j, (int)have, buf, (char *)want);
				goto next;
			}
		}
		ok++;
	next:;
	}
	printf("soak %s: holding %d quiet connections\n", tname(), n);
	fflush(stdout);
	/* the driver measures, then closes our stdin; never wait past the watchdog */
	alarm((unsigned)(stuck_ms / 1000 + 60));
	for (;;) {
		char b[64];
		ssize_t r = read(0, b, sizeof b);
		if (r == 0 || (r < 0 && errno != EINTR))
			break;
	}
	for (int i = 0; i < n; i++) {
		struct pollfd p = { .fd = fd[i], .events = POLLIN | POLLRDHUP };
		if (poll(&p, 1, 0) > 0) {
			ssize_t r = recv(fd[i], buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);
			if (r > 0)
				hold_fail(i, "%zd bytes came unasked while it was quiet", r);
			else if (r == 0 && !(p.revents & (POLLHUP | POLLRDHUP)))
				hold_fail(i, "an empty message came unasked while it was quiet");
			else
				hold_fail(i, "the server closed it or failed while it was quiet (%s)",
				          r < 0 ? strerror(errno) : "EOF");
		}
		close(fd[i]);
	}
	printf("soak %s: %d quiet connections, %lu answered, %lu failed\n", tname(), n, ok, failures - before);
	return failures > before;
}

static void report(long long ms, unsigned long started, unsigned long retries)
{
	struct stats t = { 0 };
	printf("soak %s: %lld.%01lld s, up to %d at once, %lu clients, %lu connect retries (backlog full)\n",
	       tname(), ms / 1000, ms % 1000 / 100, conc, started, retries);
	printf("  %-8s %7s %7s %6s %13s %13s", "client", "done", "ok", "failed", "bytes sent", "verified");
	if (socktype == SOCK_SEQPACKET)
		printf(" %8s %8s %7s %7s", "messages", "replies", "empty", "emptyok");
	printf(" %7s\n", "unread");
	for (int k = 0; k < NKIND; k++) {
		struct stats *s = &st[k];
		printf("  %-8s %7lu %7lu %6lu %13lld %13lld", kindname[k], s->done, s->ok, s->failed,
		       s->sent, s->verified);
		if (socktype == SOCK_SEQPACKET)
			printf(" %8lld %8lld %7lld %7lld", s->msgs, s->replies, s->empty, s->emptyok);
		printf(" %7lld\n", s->unread);
		t.done += s->done; t.ok += s->ok; t.failed += s->failed;
		t.sent += s->sent; t.verified += s->verified;
		t.msgs += s->msgs; t.replies += s->replies; t.empty += s->empty; t.emptyok += s->emptyok;
	}
	if (socktype == SOCK_SEQPACKET)
		printf("soak %s: %lu clients, %lu ok, %lu failed, %lld bytes verified, %lld replies (%lld empty)\n",
		       tname(), t.done, t.ok, t.failed, t.verified, t.replies, t.emptyok);
	else
		printf("soak %s: %lu clients, %lu ok, %lu failed, %lld bytes verified\n",
		       tname(), t.done, t.ok, t.failed, t.verified);
}

int main(int argc, char **argv)
{
	static struct pollfd pf[MAXCONC];
	static int at[MAXCONC];
	unsigned long long secs = 20, only = 0;
	unsigned long next_id = 0, retries = 0;
	int single = 0, opt, have_seed = 0, held = 0;
	long long t0, end;
	const char *env = getenv("SOAK_SEED");
	while ((opt = getopt(argc, argv, "+H:k:n:pr:st:w:Wx:")) != -1)
		switch (opt) {
		case 'H': held = (int)number(optarg); break;
		case 'k': only = number(optarg); single = 1; break;
		case 'n': conc = (int)number(optarg); break;
		case 'p': probe = 1; single = 1; break;
		case 'r': seed = number(optarg); have_seed = 1; break;
		case 's': socktype = SOCK_SEQPACKET; break;
		case 't': secs = number(optarg); break;
		case 'w': stuck_ms = (long long)number(optarg) * 1000; break;
		case 'W': warm = 1; break;
		case 'x': excludes(optarg); break;
		default: goto usage;
		}
	if (argc - optind != 1)
		goto usage;
	if (secs > 86400 || stuck_ms < 1000 || stuck_ms > 3600000)
		die(USAGE, "-t or -w out of range");
	if (!conc)
		conc = socktype == SOCK_STREAM ? 64 : 16;
	if (conc < 1 || conc > MAXCONC || held < 0 || held > MAXCONC)
		die(USAGE, "-n or -H out of range (1 to 512)");
	address = argv[optind];
	setaddr(address);
	if (!have_seed && env && *env) {
		seed = number(env);
		have_seed = 1;
	}
	if (!have_seed)
		seed = mix((uint64_t)now_ms() ^ (uint64_t)getpid() << 32) % 1000000000;
	/* the warm-up plays other clients than the run it precedes */
	printf("soak %s: seed %" PRIu64 "%s\n", tname(), seed, warm ? " (warm-up)" : "");
	fflush(stdout);
	if (warm)
		seed = mix(seed ^ 0x7761726dULL);
	for (int i = 0; i < MAXCONC; i++)
		conns[i].fd = -1;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, ontimeout);
	/* bounded whatever happens: the run, the last clients' longest life (a
	   stall, then a stuck one noticed), and slack */
	alarm((unsigned)(secs + 2 * (unsigned long long)stuck_ms / 1000 + 60));
	t0 = now_ms();
	end = t0 + (long long)secs * 1000;
	if (single) {
		active = 1;
		plan(&conns[0], (unsigned long)only, t0);
		if (!probe) {
			char who[256];
			describe(who, sizeof who, &conns[0]);
			printf("soak: %s\n", who);
			if (socktype == SOCK_SEQPACKET) {
				printf("soak: message sizes:");
				for (long long j = 0; j < conns[0].size; j++)
					printf(" %u", conns[0].len[j]);
				printf("\n");
			}
			fflush(stdout);   /* before any failure on stderr */
		}
		dial(&conns[0], t0);
	}
	for (;;) {
		long long now = now_ms(), wake = now + 100;
		nfds_t n = 0;
		if (!single)
			while (active < (unsigned)conc && now < end)
				start(next_id++, now);
		if (!active)
			break;
		for (int i = 0; i < conc; i++) {
			struct conn *c = &conns[i];
			long long base;
			short ev = 0;
			if (c->connecting) {
				if (now - c->last > stuck_ms)
					fail(c, "no connection for %lld s: the backlog stays full", stuck_ms / 1000);
				else if (c->t_dial < wake)
					wake = c->t_dial;
				continue;
			}
			if (c->fd < 0 || !housekeeping(c, now))
				continue;
			base = c->last > c->t_read ? c->last : c->t_read;
			if (now - base > stuck_ms) {
				fail(c, "stuck: nothing moved for %lld s", stuck_ms / 1000);
				continue;
			}
			if (c->sent < c->cut)
				ev |= POLLOUT;
			if (reading(c, now) || (c->kind == RESET && c->atcut))
				ev |= POLLIN | POLLRDHUP;
			else if (c->t_read < wake)
				wake = c->t_read;
			if (c->atcut && c->t_close < wake)
				wake = c->t_close;
			if (base + stuck_ms + 1 < wake)
				wake = base + stuck_ms + 1;
			pf[n] = (struct pollfd){ .fd = c->fd, .events = ev };
			at[n++] = i;
		}
		if (poll(pf, n, wake > now ? (int)(wake - now) : 0) < 0 && errno != EINTR)
			die(SYS, "poll");
		now = now_ms();
		for (int i = 0; i < conc; i++)
			if (conns[i].connecting && now >= conns[i].t_dial) {
				retries++;
				dial(&conns[i], now);
			}
		for (nfds_t j = 0; j < n; j++) {
			struct conn *c = &conns[at[j]];
			short rev = pf[j].revents;
			if (c->fd < 0)
				continue;
			/* a hangup while the client is not reading would come back at
			   every poll: read now, and learn what it is */
			if ((rev & (POLLHUP | POLLERR)) && !reading(c, now) && !(c->kind == RESET && c->atcut))
				c->t_read = now;
			if (socktype == SOCK_STREAM)
				stream_step(c, rev, now);
			else
				seq_step(c, rev, now);
		}
	}
	report(now_ms() - t0, single ? 1 : next_id, retries);
	fflush(stdout);
	if (held)
		hold(held);
	return failures ? BAD : OK;
usage:
	fprintf(stderr, "usage: soak [-psW] [-H N] [-k K] [-n CONC] [-r SEED] [-t SECS] [-w SECS] [-x LIST] ADDRESS\n");
	return USAGE;
}
