/* SPDX-License-Identifier: ISC */
/* loadgen.c: load generator for udsbox's side-by-side benchmarks.
 *
 * usage: loadgen conn [-k K] [-d SECS] [-s BYTES] [-e] PATH
 *        loadgen rr   [-k K] [-d SECS] [-s BYTES] [-e] PATH
 *        loadgen hold [-k K] [-e] [-n] PATH
 *
 * conn: keep K connections in flight; each connects, sends one line of BYTES
 *       (default 32), half-closes, reads the reply to EOF and checks it.
 *       Prints completed connections per second over SECS (default 3).
 * rr:   K persistent connections; each sends a line of BYTES (default 64),
 *       waits for the whole reply, checks it, sends the next. One warm-up
 *       round trip on every connection before the clock starts. Prints
 *       requests per second. K=1 is a plain blocking ping-pong.
 * hold: open K connections, do one round trip on each (unless -n), print
 *       "ready K" on stdout, then hold them until stdin ends or SIGTERM.
 *
 * The reply must be the request with a-z upper-cased (-e: unchanged); any
 * difference, short reply or error exits 1. Only the number goes to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#define MAXK 4096
#define MAXLINE 4096

static struct sockaddr_un sa;
static socklen_t salen;
static int echo, size, k = 0;
static double secs = 3;

struct slot {
	int fd;
	unsigned seq;
	int sent, got;
	char req[MAXLINE], want[MAXLINE], rep[MAXLINE];
};
static struct slot *slots;

static void die(const char *what)
{
	fprintf(stderr, "loadgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *what, struct slot *s)
{
	fprintf(stderr, "loadgen: %s (got %d of %d bytes: \"%.*s\")\n", what, s->got, size,
	        s->got < 80 ? s->got : 80, s->rep);
	exit(1);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* A fresh line: lower-case words, a counter, a newline; and the reply it wants. */
static void mkline(struct slot *s)
{
	static const char words[] = "the quick brown fox jumps over the lazy dog ";
	char num[24];
	int n = snprintf(num, sizeof num, "%u:%ld ", s->seq++, (long)(s - slots));
	for (int i = 0; i < size - 1; i++)
		s->req[i] = i < n ? num[i] : words[(i - n) % (sizeof words - 1)];
	s->req[size - 1] = '\n';
	for (int i = 0; i < size; i++) {
		char c = s->req[i];
		s->want[i] = (!echo && c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
	}
	s->sent = s->got = 0;
}

static int dial(void)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	/* blocking connect: a full backlog makes us wait, as any client would */
	while (connect(fd, (struct sockaddr *)&sa, salen) < 0)
		if (errno != EINTR)
			die("connect");
	return fd;
}

static void writeall(struct slot *s)
{
	while (s->sent < size) {
		ssize_t w = write(s->fd, s->req + s->sent, (size_t)(size - s->sent));
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		s->sent += (int)w;
	}
}

static void check(struct slot *s)
{
	if (s->got != size || memcmp(s->rep, s->want, (size_t)size))
		fail("wrong reply", s);
}

/* Read what is there; returns 1 at EOF. */
static int slurp(struct slot *s)
{
	for (;;) {
		ssize_t r = read(s->fd, s->rep + s->got, (size_t)(MAXLINE - s->got));
		if (r > 0) {
			s->got += (int)r;
			if (s->got >= MAXLINE)
				fail("reply too long", s);
			continue;
		}
		if (!r)
			return 1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		if (errno == ECONNRESET)
			fail("connection reset", s);
		die("read");
	}
}

/* Blocking round trip (warm-up, hold, and the K=1 ping-pong). */
static void roundtrip(struct slot *s)
{
	mkline(s);
	writeall(s);
	while (s->got < size) {
		ssize_t r = read(s->fd, s->rep + s->got, (size_t)(size - s->got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			fail(r ? "read error" : "early EOF", s);
		s->got += (int)r;
	}
	check(s);
}

static void nonblock(int fd, int on)
{
	int ioc = on;
	ioctl(fd, FIONBIO, &ioc);
}

/* A new connection in slot s: its line sent, its write side shut, watched. */
static void launch(int ep, struct slot *s, unsigned i)
{
	struct epoll_event e = { .events = EPOLLIN, .data.u32 = i };
	s->fd = dial();
	mkline(s);
	writeall(s);
	shutdown(s->fd, SHUT_WR);
	nonblock(s->fd, 1);
	if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &e) < 0)
		die("epoll_ctl");
}

static void mode_conn(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	unsigned long done = 0;
	double t0, end;
	struct epoll_event ev[MAXK];
	if (ep < 0)
		die("epoll_create1");
	t0 = now();
	end = t0 + secs;
	for (int i = 0; i < k; i++) {
		struct slot *s = &slots[i];
		launch(ep, s, (unsigned)i);
	}
	int left = k;
	for (;;) {
		double t = now();
		int n;
		if (t >= end + 5 || !left)
			break;
		n = epoll_wait(ep, ev, k, (int)((t < end ? end - t : end + 5 - t) * 1000) + 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (int j = 0; j < n; j++) {
			struct slot *s = &slots[ev[j].data.u32];
			if (!slurp(s))
				continue;
			check(s);
			close(s->fd);   /* leaves the epoll set with it */
			if (now() >= end) {
				left--;   /* after the deadline: finish, do not count, start no more */
				continue;
			}
			done++;
			launch(ep, s, ev[j].data.u32);
		}
	}
	fprintf(stderr, "loadgen conn: %lu connections in %.2f s, %d in flight\n", done, secs, k);
	printf("%.0f\n", done / secs);
}

static void mode_rr(void)
{
	unsigned long done = 0;
	double t0, end, t = 0;
	for (int i = 0; i < k; i++)
		slots[i].fd = dial();
	for (int i = 0; i < k; i++)
		roundtrip(&slots[i]);   /* warm-up: every connection served once */
	t0 = now();
	end = t0 + secs;
	if (k == 1) {
		/* ping-pong: no event loop in the way */
		for (;;) {
			for (int r = 0; r < 256; r++)
				roundtrip(&slots[0]);
			done += 256;
			if ((t = now()) >= end)
				break;
		}
	} else {
		int ep = epoll_create1(EPOLL_CLOEXEC);
		struct epoll_event ev[MAXK];
		if (ep < 0)
			die("epoll_create1");
		for (int i = 0; i < k; i++) {
			struct slot *s = &slots[i];
			struct epoll_event e = { .events = EPOLLIN, .data.u32 = (unsigned)i };
			nonblock(s->fd, 1);
			if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &e) < 0)
				die("epoll_ctl");
			mkline(s);
			writeall(s);   /* 64 B into an empty socket buffer never blocks */
		}
		int left = k;
		double stop = 0;
		for (;;) {
			int n;
			double tw = now();
			if (!stop && tw >= end)
				stop = t = tw;   /* the clock stops; the requests out are finished */
			if (!left || (stop && tw >= end + 5))
				break;
			n = epoll_wait(ep, ev, k, (int)((stop ? end + 5 - tw : end - tw) * 1000) + 1);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				die("epoll_wait");
			}
			for (int j = 0; j < n; j++) {
				struct slot *s = &slots[ev[j].data.u32];
				if (slurp(s))
					fail("server closed", s);
				if (s->got < size)
					continue;
				check(s);
				if (stop) {
					left--;
					continue;
				}
				done++;
				mkline(s);
				writeall(s);
			}
		}
	}
	fprintf(stderr, "loadgen rr: %lu requests of %d B in %.2f s (%.2f s measured), %d connections\n",
	        done, size, secs, t - t0, k);
	printf("%.0f\n", done / (t - t0));
}

static void mode_hold(int noround)
{
	char c;
	for (int i = 0; i < k; i++) {
		slots[i].fd = dial();
		if (!noround)
			roundtrip(&slots[i]);
	}
	printf("ready %d\n", k);
	fflush(stdout);
	while (read(0, &c, 1) > 0 || errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	const char *mode;
	int opt, noround = 0;
	struct rlimit rl;
	if (argc < 2)
		goto usage;
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "k:d:s:en")) != -1)
		switch (opt) {
		case 'k': k = atoi(optarg); break;
		case 'd': secs = atof(optarg); break;
		case 's': size = atoi(optarg); break;
		case 'e': echo = 1; break;
		case 'n': noround = 1; break;
		default: goto usage;
		}
	if (optind != argc - 1)
		goto usage;
	if (!size)
		size = strcmp(mode, "conn") ? 64 : 32;
	if (!k)
		k = strcmp(mode, "conn") ? 32 : 8;
	if (k < 1 || k > MAXK || size < 2 || size >= MAXLINE || secs <= 0)
		goto usage;
	sa.sun_family = AF_UNIX;
	if (strlen(argv[optind]) >= sizeof sa.sun_path)
		goto usage;
	strcpy(sa.sun_path, argv[optind]);
	salen = (socklen_t)sizeof sa;
	if (sa.sun_path[0] == '@') {   /* abstract */
		sa.sun_path[0] = 0;
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(argv[optind]));
	}
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	slots = calloc((size_t)k, sizeof *slots);
	if (!slots)
		die("calloc");
	if (!strcmp(mode, "conn"))
		mode_conn();
	else if (!strcmp(mode, "rr"))
		mode_rr();
	else if (!strcmp(mode, "hold"))
		mode_hold(noround);
	else
		goto usage;
	return 0;
usage:
	fprintf(stderr, "usage: loadgen conn|rr|hold [-k K] [-d SECS] [-s BYTES] [-e] [-n] PATH\n");
	return 100;
}
