/* SPDX-License-Identifier: ISC */
/* udsload.c: a host-side load and fault client for udsbox's test suites.
 *
 * usage: udsload [-egs] [-p P] [-d SECS] [-t SECS] MODE ADDRESS ARG
 *
 *   hold ADDRESS N       open N connections and keep them all open; then send a
 *                        distinct line on each and check every reply while all
 *                        N are still open (so all N were served at once)
 *   seq ADDRESS N        N connections one after another: connect, send a line,
 *                        half-close, read the reply up to EOF, check it, close
 *   stall ADDRESS K      K connections that send lowercase bytes and never read,
 *                        until the server stops taking them (nothing moves for
 *                        2 s); fails if one of them gets 64 MiB through
 *                        (the server buffers without bound); then holds them
 *                        until EOF on stdin
 *   kill-mid ADDRESS BYTES  send half of BYTES while reading the replies, then
 *                        _exit at once: data in flight both ways, replies unread
 *   churn ADDRESS N      N connections, -p at a time, each sending a request of
 *                        its own size and bytes (every 199th is 400 KB, and
 *                        reads nothing until the server stops taking it, so that
 *                        its reply parks in the server), half-closing, and
 *                        checking its reply byte for byte up to EOF; a refused
 *                        connect is counted and tried again (at the 1000th,
 *                        udsload gives up); a reset is wrong
 *   park ADDRESS BYTES   send BYTES without reading until the server stops
 *                        taking them, print "parked N", wait for EOF on stdin,
 *                        then send the rest, half-close, and check the whole
 *                        reply byte for byte
 *   dgram ADDRESS N      N datagrams of varied sizes (0 to 70000 bytes) from an
 *                        autobound socket, as fast as the kernel takes them,
 *                        checking every reply that comes back; then datagrams
 *                        from an unbound socket and from sockets that close
 *                        before their reply
 *
 * ADDRESS is a path, or @NAME for the abstract namespace.
 * options:
 *   -e       the server echoes (default: it is the upper service, or a PROG
 *            that acts like it)
 *   -p P     churn: connections in flight at once (default 8, at most 512)
 *   -d SECS  churn: spread the connections over SECS at least (a run that
 *            lasts, on any CPU, while a test does something to the server)
 *   -g       hold: once all N are connected, print "connected N" and wait for
 *            EOF on stdin before sending
 *   -s       hold, seq, stall, kill-mid: seqpacket connections, not stream
 *   -t SECS  overall time limit of the run (default 30)
 *
 * One summary line on stdout; diagnostics on stderr.
 * exit: 0 every check passed; 1 a reply was wrong or missing, or the server
 * was not throttling; 2 usage; 3 the time limit ran out; 111 a system call failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "tool.h"

#define MAXCONN    4096            /* hold and stall: connections at most */
#define LINEMAX    64              /* one request line of hold and seq */
#define CHUNK      65536           /* one write of stall and kill-mid */
#define STALL_CAP  (64LL << 20)    /* bytes one stalled connection may send */
#define QUIET_MS   2000            /* stall: nothing moved this long = blocked */
#define DGRAM_MAX  70000           /* largest datagram sent (above the server's 64 KiB) */

enum { OK = 0, BAD = 1, USAGE = 2, TIMEOUT = 3, SYS = 111 };

static struct sockaddr_un addr;
static socklen_t addrlen;
static int echo;                   /* -e: replies are the request unchanged */
static int socktype = SOCK_STREAM; /* -s: SOCK_SEQPACKET */
static const char *mode = "";

static void __attribute__((noreturn)) die(int code, const char *what)
{
	tool_die("udsload", mode, code == SYS, code, what);
}

/* The time limit: one write and out, whatever the process was doing. */
static void ontimeout(int sig)
{
	(void)sig;
	tool_bail("udsload: time limit reached\n", TIMEOUT);
}

#define now_ms tool_now_ms

static unsigned long number(const char *s)
{
	char *end;
	unsigned long n;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		die(USAGE, "bad number");
	return n;
}

static void setaddr(const char *s)
{
	if (tool_addr(s, &addr, &addrlen) < 0)
		die(USAGE, "bad address");
}

/* Enough descriptors for n connections: raise the soft limit up to the hard one. */
static void need_fds(unsigned long n)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) < 0)
		die(SYS, "getrlimit");
	if (r.rlim_cur != RLIM_INFINITY && r.rlim_cur < n + 16) {
		r.rlim_cur = r.rlim_max == RLIM_INFINITY || r.rlim_max > n + 16 ? n + 16 : r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
		if (r.rlim_cur < n + 16)
			die(USAGE, "not enough descriptors allowed (ulimit -Hn)");
	}
}

/* A blocking stream connection to the server (the kernel queues it in the backlog). */
static int dial(void)
{
	int fd = socket(AF_UNIX, socktype | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die(SYS, "socket");
	while (connect(fd, (struct sockaddr *)&addr, addrlen) < 0)
		if (errno != EINTR)
			die(SYS, "connect");
	return fd;
}

static void sendall(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die(SYS, "send");
		}
		p += w;
		n -= (size_t)w;
	}
}

/* What the server should answer to n bytes of p: p itself, or its uppercase. */
static void expect(char *out, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = !echo && p[i] >= 'a' && p[i] <= 'z' ? (char)(p[i] - 32) : p[i];
}

/* How much of n bytes of p to show in a message: up to the first newline. */
static int shown(const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	return (int)(nl ? (size_t)(nl - p) : n);
}

/* Wait for EOF on stdin: the test's signal to go on. */
static void wait_stdin_eof(void)
{
	char b[256];
	ssize_t r;
	while ((r = read(0, b, sizeof b)) != 0)
		if (r < 0 && errno != EINTR)
			break;
}

static int conn[MAXCONN];
static char got[MAXCONN][LINEMAX];
static unsigned short gotlen[MAXCONN];

static int hold(unsigned long n, int gate)
{
	static struct pollfd pf[MAXCONN];
	char line[LINEMAX], want[LINEMAX];
	unsigned long answered = 0, wrong = 0, left = n;
	if (n < 1 || n > MAXCONN)
		die(USAGE, "N out of range");
	need_fds(n);
	for (unsigned long i = 0; i < n; i++)
		conn[i] = dial();
	if (gate) {
		printf("connected %lu\n", n);
		fflush(stdout);
		wait_stdin_eof();
	}
	/* every request goes out before any reply is read: all are in flight at once */
	for (unsigned long i = 0; i < n; i++) {
		int len = snprintf(line, sizeof line, "hold %lu of %lu\n", i, n);
		sendall(conn[i], line, (size_t)len);
		pf[i] = (struct pollfd){ .fd = conn[i], .events = POLLIN };
	}
	while (left) {
		if (poll(pf, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die(SYS, "poll");
		}
		for (unsigned long i = 0; i < n; i++) {
			int len;
			ssize_t r;
			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			len = snprintf(line, sizeof line, "hold %lu of %lu\n", i, n);
			r = recv(conn[i], got[i] + gotlen[i], sizeof got[i] - gotlen[i], MSG_DONTWAIT);
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (r > 0) {
				gotlen[i] = (unsigned short)(gotlen[i] + r);
				if (gotlen[i] < len && memchr(got[i], '\n', gotlen[i]) == NULL)
					continue;   /* more to come */
			}
			/* a whole line, EOF or an error: judge this connection now */
			expect(want, line, (size_t)len);
			if (gotlen[i] == len && !memcmp(got[i], want, (size_t)len)) {
				answered++;
			} else {
				if (++wrong <= 3)
					fprintf(stderr, "udsload hold: connection %lu: got %d bytes \"%.*s\"\n",
					        i, gotlen[i], shown(got[i], gotlen[i]), got[i]);
			}
			pf[i].fd = -1;
			left--;
		}
	}
	for (unsigned long i = 0; i < n; i++)
		close(conn[i]);
	printf("hold: %lu connected, %lu answered, %lu wrong\n", n, answered, wrong);
	return answered == n && !wrong ? OK : BAD;
}

static int seq(unsigned long n)
{
	char line[LINEMAX], want[LINEMAX], buf[LINEMAX];
	for (unsigned long i = 0; i < n; i++) {
		int fd = dial(), len = snprintf(line, sizeof line, "seq %lu of %lu\n", i, n);
		size_t have = 0;
		ssize_t r;
		sendall(fd, line, (size_t)len);
		if (shutdown(fd, SHUT_WR) < 0)
			die(SYS, "shutdown");
		/* the reply is everything up to the server's close */
		while (have < sizeof buf && (r = recv(fd, buf + have, sizeof buf - have, 0)) != 0) {
			if (r < 0) {
				if (errno == EINTR)
					continue;
				die(SYS, "recv");
			}
			have += (size_t)r;
		}
		close(fd);
		expect(want, line, (size_t)len);
		if (have != (size_t)len || memcmp(buf, want, (size_t)len)) {
			fprintf(stderr, "udsload seq: connection %lu of %lu: got %zu bytes \"%.*s\"\n",
			        i + 1, n, have, shown(buf, have), buf);
			printf("seq: %lu of %lu answered\n", i, n);
			return BAD;
		}
	}
	printf("seq: %lu of %lu answered\n", n, n);
	return OK;
}

/* Byte j of request i, and what the server answers to it. */
static char req(unsigned long i, size_t j)
{
	return "abcdefghijklmnopqrstuvwxyz0123456789\n"[(i * 7 + j) % 37];
}

static char rep(unsigned long i, size_t j)
{
	char c = req(i, j);
	return !echo && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

static size_t req_len(unsigned long i)
{
	return i % 199 == 198 ? 400000 : 1 + (i * 131) % 3000;
}

/* One connection of churn or park: sends req(id, ...) and checks the reply
   as it comes. slow: read nothing until a send has found the server full
   for 20 ms. */
struct flow {
	int fd, slow;
	unsigned long id;
	size_t len, sent, rcvd;
	long long full;   /* when a send was first refused (slow), or 0 */
};

static int dial_nb(unsigned long *refused)
{
	int fd = socket(AF_UNIX, socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die(SYS, "socket");
	for (;;) {
		if (!connect(fd, (struct sockaddr *)&addr, addrlen))
			return fd;
		if (errno == EAGAIN || errno == EINTR) {   /* backlog full: wait, never refused */
			poll(NULL, 0, 1);
			continue;
		}
		if (errno != ECONNREFUSED && errno != ENOENT)
			die(SYS, "connect");
		if (++*refused <= 3)
			fprintf(stderr, "udsload: connect refused: %s\n", strerror(errno));
		if (*refused >= 1000)   /* no server any more: no use waiting for the time limit */
			die(BAD, "refused 1000 times");
		poll(NULL, 0, 5);
	}
}

static void flow_start(struct flow *f, unsigned long id, size_t len, unsigned long *refused)
{
	*f = (struct flow){ .fd = dial_nb(refused), .id = id, .len = len, .slow = len > 100000 };
}

/* One step; returns 1 when done (*bad set if the reply was wrong). */
static int flow_step(struct flow *f, short revents, int *bad)
{
	static char buf[CHUNK];
	/* tried whatever poll says: a UNIX socket reports POLLOUT only below a
	   quarter of its buffer */
	if (f->sent < f->len) {
		size_t n = f->len - f->sent < sizeof buf ? f->len - f->sent : sizeof buf;
		ssize_t w;
		for (size_t j = 0; j < n; j++)
			buf[j] = req(f->id, f->sent + j);
		w = send(f->fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w > 0) {
			f->sent += (size_t)w;
			if (f->sent == f->len && shutdown(f->fd, SHUT_WR) < 0)
				goto broken;
		} else if (errno == EAGAIN) {
			if (f->slow && !f->full)
				f->full = now_ms();
		} else if (errno != EINTR)
			goto broken;
	}
	if (f->slow && (!f->full || now_ms() - f->full < 20) && f->sent < f->len)
		return 0;
	f->slow = 0;
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t r = recv(f->fd, buf, sizeof buf, MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (r < 0)
			goto broken;
		for (ssize_t j = 0; j < r; j++)
			if (f->rcvd + (size_t)j >= f->len || buf[j] != rep(f->id, f->rcvd + (size_t)j)) {
				fprintf(stderr, "udsload: connection %lu: wrong byte at %zu of %zu\n",
				        f->id, f->rcvd + (size_t)j, f->len);
				*bad = 1;
				close(f->fd);
				return 1;
			}
		f->rcvd += (size_t)r;
		if (!r) {
			if (f->rcvd != f->len) {
				fprintf(stderr, "udsload: connection %lu: %zu of %zu bytes, then EOF\n",
				        f->id, f->rcvd, f->len);
				*bad = 1;
			}
			close(f->fd);
			return 1;
		}
	}
	return 0;
broken:
	fprintf(stderr, "udsload: connection %lu: %s after %zu sent, %zu received\n",
	        f->id, strerror(errno), f->sent, f->rcvd);
	*bad = 1;
	close(f->fd);
	return 1;
}

static short flow_events(const struct flow *f)
{
	return (short)((f->sent < f->len ? POLLOUT : 0) | (f->slow ? 0 : POLLIN));
}

static unsigned long spread;   /* -d, in ms */

static int churn(unsigned long n, unsigned long par)
{
	long long t0 = now_ms();
	static struct flow fl[512];
	static struct pollfd pf[512];
	unsigned long next = 0, done = 0, refused = 0, wrong = 0, big = 0;
	unsigned long long bytes = 0;
	if (par < 1 || par > 512)
		die(USAGE, "P out of range");
	need_fds(par);
	for (unsigned long k = 0; k < par; k++)
		fl[k].fd = -1;
	while (done < n) {
		for (unsigned long k = 0; k < par; k++) {
			if (fl[k].fd < 0 && next < n && now_ms() - t0 >= (long long)(spread * next / n)) {
				big += req_len(next) > 100000;
				bytes += req_len(next);
				flow_start(&fl[k], next, req_len(next), &refused);
				next++;
			}
			pf[k] = (struct pollfd){ .fd = fl[k].fd, .events = fl[k].fd < 0 ? 0 : flow_events(&fl[k]) };
		}
		if (poll(pf, par, 10) < 0 && errno != EINTR)
			die(SYS, "poll");
		for (unsigned long k = 0; k < par; k++) {
			int bad = 0;
			if (fl[k].fd < 0 || !flow_step(&fl[k], pf[k].revents, &bad))
				continue;
			fl[k].fd = -1;
			done++;
			wrong += bad;
		}
	}
	printf("churn: %lu connections (%lu of 400 KB, %llu bytes), %lu refused, %lu wrong\n",
	       n, big, bytes, refused, wrong);
	return refused || wrong ? BAD : OK;
}

static int park(unsigned long bytes)
{
	struct flow f;
	struct pollfd pf;
	unsigned long refused = 0;
	int bad = 0;
	long long last;
	flow_start(&f, 1, bytes, &refused);
	f.slow = 0;
	/* push, never reading, until nothing moves for 500 ms */
	for (last = now_ms(); now_ms() - last < 500 && f.sent < f.len;) {
		size_t was = f.sent;
		pf = (struct pollfd){ .fd = f.fd, .events = POLLOUT };
		poll(&pf, 1, 50);
		flow_step(&f, POLLOUT, &bad);
		if (f.sent != was)
			last = now_ms();
		if (bad)
			return BAD;
	}
	printf("parked %zu\n", f.sent);
	fflush(stdout);
	wait_stdin_eof();
	for (;;) {
		pf = (struct pollfd){ .fd = f.fd, .events = flow_events(&f) };
		if (poll(&pf, 1, -1) < 0 && errno != EINTR)
			die(SYS, "poll");
		if (flow_step(&f, pf.revents, &bad))
			break;
	}
	printf("park: %zu of %zu bytes answered%s\n", f.rcvd, f.len, bad ? ", wrong" : "");
	return bad || refused ? BAD : OK;
}

static char chunk[CHUNK];

static int stall(unsigned long k)
{
	static struct pollfd pf[MAXCONN];
	static long long sent[MAXCONN];
	long long total = 0, more = 0, last = now_ms();
	if (k < 1 || k > MAXCONN)
		die(USAGE, "K out of range");
	need_fds(k);
	memset(chunk, 'z', sizeof chunk);
	for (unsigned long i = 0; i < k; i++) {
		conn[i] = socket(AF_UNIX, socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (conn[i] < 0)
			die(SYS, "socket");
		/* a non-blocking connect to a UNIX socket is done or EAGAIN (backlog full) */
		while (connect(conn[i], (struct sockaddr *)&addr, addrlen) < 0) {
			if (errno != EAGAIN && errno != EINTR)
				die(SYS, "connect");
			poll(NULL, 0, 10);
		}
		pf[i] = (struct pollfd){ .fd = conn[i], .events = POLLOUT };
	}
	/* push until nothing moves for QUIET_MS: every connection is throttled.
	   Each send is tried whatever poll says, since a UNIX socket reports
	   POLLOUT only below a quarter of its buffer but takes data up to all of it. */
	while (now_ms() - last < QUIET_MS) {
		for (unsigned long i = 0; i < k; i++) {
			ssize_t w;
			while ((w = send(conn[i], chunk, sizeof chunk, MSG_DONTWAIT | MSG_NOSIGNAL)) > 0) {
				sent[i] += w;
				total += w;
				last = now_ms();
				if (sent[i] >= STALL_CAP) {
					fprintf(stderr, "udsload stall: connection %lu sent %lld bytes unread: "
					        "the server is not throttling it\n", i, sent[i]);
					printf("stall: %lu connections, not throttled\n", k);
					return BAD;
				}
			}
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				die(SYS, "send");
		}
		if (poll(pf, k, 100) < 0 && errno != EINTR)
			die(SYS, "poll");
	}
	printf("stall: %lu connections blocked after %lld bytes\n", k, total);
	fflush(stdout);
	wait_stdin_eof();
	/* still throttled after all that time? one more try on each */
	for (unsigned long i = 0; i < k; i++) {
		ssize_t w = send(conn[i], chunk, sizeof chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w > 0)
			more += w;
		close(conn[i]);
	}
	printf("stall: %lld more bytes taken at the end\n", more);
	return OK;
}

static int kill_mid(unsigned long bytes)
{
	int fd = dial();
	long long half = (long long)bytes / 2, sent = 0, rcvd = 0;
	struct pollfd pf = { .fd = fd, .events = POLLIN | POLLOUT };
	static char in[CHUNK];
	memset(chunk, 'k', sizeof chunk);
	while (sent < half) {
		if (poll(&pf, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die(SYS, "poll");
		}
		if (pf.revents & POLLIN) {
			ssize_t r = recv(fd, in, sizeof in, MSG_DONTWAIT);
			if (r == 0)
				die(BAD, "the server closed mid-transfer");
			if (r > 0)
				rcvd += r;
		}
		if (pf.revents & POLLOUT) {
			size_t n = half - sent < CHUNK ? (size_t)(half - sent) : CHUNK;
			ssize_t w = send(fd, chunk, n, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				die(SYS, "send");
			if (w > 0)
				sent += w;
		}
		if (pf.revents & (POLLERR | POLLHUP))
			die(BAD, "the connection broke mid-transfer");
	}
	printf("kill-mid: sent %lld of %lu bytes, read %lld, leaving without a close\n",
	       sent, bytes, rcvd);
	fflush(stdout);
	/* no shutdown, no close, no reading the rest: the kernel tears it down */
	_exit(OK);
}

/* Datagram i: its size, and its bytes (its number first, then lowercase
   letters). Sizes spread over 0..DGRAM_MAX; a non-empty one holds its whole
   number, so that every non-empty reply names the datagram it answers. */
static size_t dg_make(char *p, unsigned long i)
{
	size_t n = (size_t)((i * 7919UL) % (DGRAM_MAX + 1));
	char head[24];
	int h = snprintf(head, sizeof head, "dg%lu.", i);
	if (n && n < sizeof head)
		n = sizeof head;
	for (size_t j = 0; j < n; j++)
		p[j] = j < (size_t)h ? head[j] : (char)('a' + j % 26);
	return n;
}

static int dgram(unsigned long n)
{
	static char out[DGRAM_MAX + 1], in[DGRAM_MAX + 2], want[DGRAM_MAX + 1];
	struct sockaddr_un self = { .sun_family = AF_UNIX };
	unsigned long sent = 0, replies = 0, wrong = 0, gone = 0, unbound = 0;
	long long quiet;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct pollfd pf = { .fd = fd };
	if (fd < 0)
		die(SYS, "socket");
	/* autobind: the kernel picks an abstract name, the server replies to it */
	if (bind(fd, (struct sockaddr *)&self, sizeof(sa_family_t)) < 0)
		die(SYS, "bind");
	quiet = now_ms();
	/* send all n, reading replies whenever the kernel makes us wait; after the
	   last, collect replies until none came for 500 ms */
	while (sent < n || now_ms() - quiet < 500) {
		pf.events = POLLIN | (sent < n ? POLLOUT : 0);
		if (poll(&pf, 1, 100) < 0 && errno != EINTR)
			die(SYS, "poll");
		if (pf.revents & POLLIN) {
			ssize_t r = recv(fd, in, sizeof in - 1, MSG_DONTWAIT);
			unsigned long i;
			if (r >= 0) {
				in[r] = 0;   /* for sscanf */
				replies++;
				quiet = now_ms();
				/* a reply names its datagram; it may be cut, never altered */
				if (r > 0 && sscanf(in, "DG%lu.", &i) != 1 && sscanf(in, "dg%lu.", &i) != 1)
					i = n;
				if (r > 0 && i < n) {
					size_t len = dg_make(out, i);
					expect(want, out, len);
					if ((size_t)r > len || memcmp(in, want, (size_t)r))
						i = n;
				}
				if (r > 0 && i >= n && ++wrong <= 3)
					fprintf(stderr, "udsload dgram: a reply of %zd bytes matches nothing sent\n", r);
			}
		}
		if (sent < n && (pf.revents & POLLOUT)) {
			size_t len = dg_make(out, sent);
			if (sendto(fd, out, len, MSG_DONTWAIT, (struct sockaddr *)&addr, addrlen) >= 0)
				sent++;
			else if (errno != EAGAIN && errno != EINTR && errno != ENOBUFS)
				die(SYS, "sendto");
			if (sent == n)
				quiet = now_ms();
		}
	}
	/* senders the server cannot or need not answer */
	for (unsigned long i = 0; i < 100; i++) {
		int u = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		size_t len = dg_make(out, i);
		if (u < 0)
			die(SYS, "socket");
		if (i % 2 && bind(u, (struct sockaddr *)&self, sizeof(sa_family_t)) < 0)
			die(SYS, "bind");
		/* blocking: these wait for room in the server's queue */
		if (sendto(u, out, len, 0, (struct sockaddr *)&addr, addrlen) < 0)
			die(SYS, "sendto");
		if (i % 2)
			gone++;     /* bound, and closed before its reply arrives */
		else
			unbound++;  /* the server drops it */
		close(u);
	}
	close(fd);
	printf("dgram: sent %lu (+%lu unbound, +%lu gone), %lu replies, %lu wrong\n",
	       sent, unbound, gone, replies, wrong);
	return replies && !wrong ? OK : BAD;
}

int main(int argc, char **argv)
{
	unsigned long limit = 30, arg, par = 8;
	int gate = 0, opt;
	while ((opt = getopt(argc, argv, "+d:egsp:t:")) != -1)
		switch (opt) {
		case 'e': echo = 1; break;
		case 'p': par = number(optarg); break;
		case 'd': spread = number(optarg) * 1000; break;
		case 'g': gate = 1; break;
		case 's': socktype = SOCK_SEQPACKET; break;
		case 't': limit = number(optarg); break;
		default: goto usage;
		}
	if (argc - optind != 3)
		goto usage;
	mode = argv[optind];
	setaddr(argv[optind + 1]);
	arg = number(argv[optind + 2]);
	signal(SIGALRM, ontimeout);
	signal(SIGPIPE, SIG_IGN);
	alarm((unsigned)limit);
	if (!strcmp(mode, "hold"))
		return hold(arg, gate);
	if (!strcmp(mode, "seq"))
		return seq(arg);
	if (!strcmp(mode, "stall"))
		return stall(arg);
	if (!strcmp(mode, "kill-mid"))
		return kill_mid(arg);
	if (!strcmp(mode, "dgram"))
		return dgram(arg);
	if (!strcmp(mode, "churn"))
		return churn(arg, par);
	if (!strcmp(mode, "park"))
		return park(arg);
usage:
	fprintf(stderr, "usage: udsload [-egs] [-p P] [-d SECS] [-t SECS] hold|seq|stall|kill-mid|dgram|churn|park ADDRESS ARG\n");
	return USAGE;
}
