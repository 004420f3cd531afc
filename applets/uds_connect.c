/* SPDX-License-Identifier: ISC */
/* uds_connect.c: connect to a UNIX socket and relay stdio, probe, wait, or run a program.
 * The usage and help text is help[], above the option parsing in uds_connect_main.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include "../core/core.h"

/* dgram: after stdin's EOF, how long to wait for missing replies, as socat does */
#define DGRAM_LINGER 500

static struct {
	struct ub_addr addr, local;
	struct ub_entry lent;     /* the -b file, removed at exit if still ours */
	int fd, type, haslocal;
	int raw;                  /* -r: lines go with their newline, messages as they came */
	int oneway;               /* -u: never read the socket */
	int tap, tapcut;          /* -D (1), -DD (2); a record was cut short */
	unsigned long idle, tapdrop;
	unsigned long long last, sent, recvd, start;
} C;

/* -D: what may go to stderr now, with no wait (ub_trywrite on ub_logfd);
   -1 once it is full, and then if any of it went, the record is cut. */
static int tapput(const char *b, size_t n)
{
	for (size_t all = n; n;) {
		ssize_t w = ub_trywrite(ub_logfd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			C.tapcut |= n < all;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* -D: one chunk or message that passed, dir '>' (to the server) or '<'. A
   record that cannot begin is dropped, one that stderr cuts short is ended
   by a newline before the next: both are counted, never waited for, and
   reported at the end. */
static void tap(char dir, const unsigned char *buf, size_t n)
{
	char out[4096], *o = out;
	size_t off = 0;
	o += C.tapcut;   /* the newline that ends a record cut short */
	out[0] = '\n';
	*o++ = dir;
	*o++ = ' ';
	o = ub_fmtu(o, n);
	*o++ = ' ';
	*o++ = '+';
	o = ub_fmtu(o, ub_now() - C.start);
	*o++ = '\n';
	if (tapput(out, (size_t)(o - out)) < 0) {
		C.tapdrop++;
		return;
	}
	C.tapcut = 1;
	do {
		o = out;
		if (C.tap > 1) {   /* -DD: offset, 16 bytes in hex, the same as text */
			size_t k = n - off < 16 ? n - off : 16;
			for (int sh = 28; sh >= 0; sh -= 4)
				*o++ = ub_hex[(off >> sh) & 15];
			*o++ = ' ';
			for (size_t i = 0; i < 16; i++) {
				*o++ = ' ';
				*o++ = i < k ? ub_hex[buf[off + i] >> 4] : ' ';
				*o++ = i < k ? ub_hex[buf[off + i] & 15] : ' ';
			}
			*o++ = ' ';
			*o++ = ' ';
			for (size_t i = 0; i < k; i++)
				*o++ = buf[off + i] >= 0x20 && buf[off + i] < 0x7f ? (char)buf[off + i] : '.';
			off += k;
			*o++ = '\n';
		} else {
			size_t k = n - off;
			o += ub_esc(o, sizeof out - 1, buf + off, &k, UB_ESC_TAP);
			off += k;
			if (off == n)
				*o++ = '\n';
		}
		if (tapput(out, (size_t)(o - out)) < 0) {
			C.tapdrop++;
			return;
		}
	} while (off < n);
	C.tapcut = 0;
}

/* A server may look at our bound name only when it gets to accept us, so the
   file stays until we end, by any way but exec: then it goes, if ours. */
static void unbind(void)
{
	ub_entry_remove(&C.lent);
}

static void onsig(int sig)
{
	unbind();
	ub_sigdie(sig);
}

static void __attribute__((noreturn)) finish(int code, const char *how)
{
	unbind();
	if (C.tapdrop) {   /* worth a second of waiting, once, at the end */
		char d[24];
		struct pollfd p = { .fd = ub_logfd, .events = POLLOUT };
		poll(&p, 1, 1000);
		tapput("\n", (size_t)C.tapcut);
		ub_fmtu(d, C.tapdrop);
		ub_putfd(2, (const char *[]){ ub_prog, ": warning: ", d,
		                              " tap records dropped or cut: stderr was full", 0 });
	}
	if (ub_verbosity > 1) {
		char s[24], r[24];
		ub_fmtu(s, (unsigned long)C.sent);
		ub_fmtu(r, (unsigned long)C.recvd);
		if (how)
			ub_info(how, (char *)0);
		else
			ub_info("closed: sent ", s, " bytes, received ", r, " bytes", (char *)0);
	}
	_exit(code);
}

static void stdout_gone(void)
{
	/* the reader of stdout left: end as cat would, by SIGPIPE */
	unbind();
	ub_sigdefault(SIGPIPE);
	kill(getpid(), SIGPIPE);
	_exit(UB_EXIT_SYS);
}

static void outall(const void *buf, size_t n)
{
	if (ub_writeall(1, buf, n) < 0) {
		if (errno == EPIPE)
			stdout_gone();
		ub_diesys(UB_EXIT_SYS, "unable to write to stdout", (char *)0);
	}
}

/* One direction of the stream relay: by splice(2) when either end is a pipe
   (tried first: EINVAL says neither is), else through a buffer. Readiness flags come from poll; an end that may
   block (our stdio) is polled again before each use. */
struct pump {
	int in, out, insock, outsock, splice, inrdy, outrdy, eof, done;
	unsigned char *buf;
	size_t len, off;
};

/* Returns 1 if it moved data, 0 if it has to wait, -1 on error (errno set). */
static int step(struct pump *p)
{
	ssize_t r;
	if (p->done)
		return 0;
	if (p->splice) {
		if (!p->inrdy || !p->outrdy)
			return 0;
		do r = splice(p->in, 0, p->out, 0, UB_IOBUF, SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
		while (r < 0 && errno == EINTR);
		if (r > 0) {
			if (p->insock) C.recvd += (unsigned long long)r; else C.sent += (unsigned long long)r;
			return 1;
		}
		if (!r) {
			p->done = 1;
			return 1;
		}
		if (errno == EAGAIN) {
			p->inrdy = p->outrdy = 0;
			return 0;
		}
		if (errno == EINVAL || errno == ENOSYS) {   /* no splice here: use the buffer */
			p->splice = 0;
			return step(p);
		}
		return -1;
	}
	if (!p->len && !p->eof && p->inrdy) {
		r = p->insock ? recv(p->in, p->buf, UB_IOBUF, MSG_DONTWAIT) : read(p->in, p->buf, UB_IOBUF);
		if (!p->insock)
			p->inrdy = 0;
		if (r > 0) {
			p->len = (size_t)r;
			p->off = 0;
			if (p->insock) C.recvd += (unsigned long long)r;
			if (C.tap)
				tap(p->insock ? '<' : '>', p->buf, (size_t)r);
		} else if (!r)
			p->eof = 1;
		else if (errno == EAGAIN || errno == EINTR)
			p->inrdy = 0;
		else
			return -1;
	}
	if (p->len && p->outrdy) {
		r = p->outsock ? ub_send(p->out, p->buf + p->off, p->len) : write(p->out, p->buf + p->off, p->len);
		if (!p->outsock)
			p->outrdy = 0;
		if (r > 0) {
			p->off += (size_t)r;
			p->len -= (size_t)r;
			if (p->outsock) C.sent += (unsigned long long)r;
			return 1;
		}
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		p->outrdy = 0;
	}
	if (!p->len && p->eof) {
		p->done = 1;
		return 1;
	}
	return 0;
}

static void want(struct pollfd *pf, const struct pump *p)
{
	if (p->done)
		return;
	if (!p->inrdy && (p->splice || (!p->len && !p->eof)))
		pf[p->insock ? 1 : 0].events |= POLLIN;
	if (!p->outrdy && (p->splice ? p->inrdy : p->len > 0))
		pf[p->outsock ? 1 : 2].events |= POLLOUT;
}

/* Wait for pf; linger >= 0 is a wait of its own (dgram replies after EOF),
   else -t bounds the wait and its expiry ends the session. */
static void poll_idle(struct pollfd *pf, int n, int linger)
{
	int r, ms = linger;
	if (linger < 0 && C.idle) {
		unsigned long long now = ub_now();
		ms = now >= C.last + C.idle ? 0 : (int)(C.last + C.idle - now);
	}
	do r = poll(pf, (nfds_t)n, ms); while (r < 0 && errno == EINTR);
	if (r < 0)
		ub_diesys(UB_EXIT_SYS, "unable to poll", (char *)0);
	if (!r && linger < 0 && C.idle) {
		if (ub_verbosity)
			ub_putfd(2, (const char *[]){ ub_prog, ": fatal: idle timeout", 0 });
		finish(UB_EXIT_NOSERVER, "idle timeout");
	}
}

static void __attribute__((noreturn)) relay_stream(void)
{
	struct pump a = { .in = 0, .out = C.fd, .outsock = 1, .splice = !C.tap, .buf = ub_scratch };
	struct pump b = { .in = C.fd, .out = 1, .insock = 1, .splice = !C.tap, .buf = ub_scratch + UB_IOBUF,
		.done = C.oneway };
	for (;;) {
		struct pollfd pf[3] = { { .fd = 0 }, { .fd = C.fd }, { .fd = 1 } };
		int moved;
		do {
			int ra = step(&a), rb;
			if (ra < 0) {
				if (errno != EPIPE && errno != ECONNRESET)
					ub_diesys(UB_EXIT_SYS, a.splice || !a.len ? "unable to relay stdin to " : "unable to write to ",
					          C.addr.text, (char *)0);
				a.done = 1;   /* the server reads no more: keep taking its replies */
				a.eof = 2;
			}
			rb = step(&b);
			if (rb < 0) {
				if (errno == EPIPE)
					stdout_gone();
				if (errno != ECONNRESET)
					ub_diesys(UB_EXIT_SYS, "unable to relay ", C.addr.text, " to stdout", (char *)0);
				b.done = 1;
			}
			moved = ra > 0 || rb > 0;
			if (moved)
				C.last = ub_now();
			if (a.done == 1 && a.eof != 2) {
				ub_halfclose(C.fd);
				a.eof = 2;
			}
			if (C.oneway ? a.eof == 2 : b.done)
				finish(0, 0);
		} while (moved);
		want(pf, &a);
		want(pf, &b);
		/* an end we wait for nothing from leaves the set: a pipe at EOF
		   would report POLLHUP for ever */
		for (int k = 0; k < 3; k++)
			if (!pf[k].events)
				pf[k].fd = -1;
		poll_idle(pf, 3, -1);
		if (pf[0].revents)
			a.inrdy = 1;
		if (pf[1].revents & (POLLIN | POLLHUP | POLLERR))
			b.inrdy = 1;
		if (pf[1].revents & (POLLOUT | POLLHUP | POLLERR))
			a.outrdy = 1;
		if (pf[2].revents)
			b.outrdy = 1;
	}
}

static void __attribute__((noreturn)) toolong(void)
{
	ub_die(UB_EXIT_USAGE, "message too long", (char *)0);
}

/* seqpacket and dgram: a line of stdin is a message, sent without its
   newline (with it, under -r); a message received is a line, written with a
   newline unless it ends with one (as it came, under -r). An empty line is
   an empty message, and back. */
static void __attribute__((noreturn)) relay_msgs(void)
{
	unsigned char *lb = ub_scratch, *rb = ub_scratch + UB_IOBUF;
	size_t have = 0, rmax = sizeof ub_scratch - UB_IOBUF - 1;   /* room for a newline */
	int ineof = 0, shut = 0;
	unsigned long long nsent = 0, nrecvd = 0, lingerstart = 0;
	if (C.type == SOCK_SEQPACKET && !C.oneway) {
		/* credentials on every message tell an empty one from the end; set
		   after connect, which would otherwise autobind us */
		int one = 1;
		ub_setsockopt(C.fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	}
	for (;;) {
		struct pollfd pf[2] = { { .fd = 0 }, { .fd = C.fd, .events = C.oneway ? 0 : POLLIN } };
		unsigned char *nl = ub_memchr(lb, '\n', have);
		/* the line to send, newline included; a last one without is sent as it is */
		size_t mlen = nl ? (size_t)(nl - lb) + 1 : ineof ? have : 0;
		int ms = -1;
		if (!nl && have == UB_IOBUF)
			toolong();   /* nothing of it was sent */
		if (mlen)
			pf[1].events |= POLLOUT;
		else if (!ineof)
			pf[0].events = POLLIN;
		else if (!shut) {
			if (C.oneway)
				finish(0, 0);   /* all sent, nothing to wait for */
			shut = 1;
			if (C.type == SOCK_SEQPACKET)
				ub_halfclose(C.fd);
			lingerstart = ub_now();
		}
		if (!pf[1].events)
			pf[1].fd = -1;
		if (!pf[0].events)
			pf[0].fd = -1;   /* a pipe at EOF would report POLLHUP for ever */
		if (shut && C.type == SOCK_DGRAM) {
			unsigned long long lim = C.idle ? C.idle : DGRAM_LINGER, now = ub_now();
			if (nrecvd >= nsent || now - lingerstart >= lim)
				finish(0, 0);
			ms = (int)(lingerstart + lim - now);
		}
		poll_idle(pf, 2, ms);
		if (!C.oneway && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			int eof;
			ssize_t n = ub_msgread(C.fd, rb, rmax, MSG_DONTWAIT, &eof);
			if (n < 0 && errno == ECONNRESET && C.type == SOCK_SEQPACKET)
				/* the server closed with our messages unread: the kernel
				   says so before the replies it had sent; read on */
				continue;
			if (n > 0 || (!n && (C.type == SOCK_DGRAM || !eof))) {   /* an empty message is a message */
				C.recvd += (unsigned long long)n;
				if (C.tap)
					tap('<', rb, (size_t)n);
				if (!C.raw && (!n || rb[n - 1] != '\n'))
					rb[n++] = '\n';
				outall(rb, (size_t)n);
				nrecvd++;
				C.last = lingerstart = ub_now();
			} else if (!n || (errno != EAGAIN && errno != EINTR)) {
				if (n && errno != ECONNRESET && errno != ECONNREFUSED)
					ub_diesys(UB_EXIT_SYS, "unable to receive from ", C.addr.text, (char *)0);
				finish(0, 0);
			}
		}
		if (mlen && (pf[1].revents & POLLOUT)) {
			size_t m = mlen - (nl && !C.raw);
			ssize_t n = ub_send(C.fd, lb, m);
			if (n < 0 && errno == EMSGSIZE)
				toolong();
			if (n < 0 && errno != EAGAIN)
				ub_diesys(UB_EXIT_SYS, "unable to send to ", C.addr.text, (char *)0);
			if (n >= 0) {
				if (C.tap)
					tap('>', lb, m);
				ub_shift(lb, mlen, have - mlen);
				have -= mlen;
				C.sent += mlen;
				nsent++;
				C.last = ub_now();
			}
		}
		if (pf[0].revents) {
			ssize_t n = ub_read(0, lb + have, UB_IOBUF - have);
			if (n < 0)
				ub_diesys(UB_EXIT_SYS, "unable to read stdin", (char *)0);
			if (!n)
				ineof = 1;
			have += (size_t)n;
		}
	}
}

static void __attribute__((noreturn)) runprog(char **prog)
{
	static char lpath[16 + UB_PATHMAX], rpath[16 + UB_PATHMAX];
	static const char *const drop[] = { "PROTO", "IPCLOCALPATH", "IPCREMOTEPATH", 0 };
	int fd = ub_fcntl(C.fd, F_DUPFD_CLOEXEC, 8);
	ub_nonblock(C.fd, 0);   /* PROG gets the blocking socket it expects */
	if (fd < 0 || dup2(fd, 6) < 0 || dup2(fd, 7) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to set up fds 6 and 7", (char *)0);
	ub_env_init(drop);
	ub_env_set("PROTO=IPC");
	ub_env_set(ub_kv(lpath, sizeof lpath, "IPCLOCALPATH=", C.haslocal ? C.local.text : ""));
	ub_env_set(ub_kv(rpath, sizeof rpath, "IPCREMOTEPATH=", C.addr.text));
	ub_execvp(prog, ub_env_get());
	ub_diesys(UB_EXIT_SYS, "unable to exec ", prog[0], (char *)0);
}

/* Exactly n bytes of the server's, or die: EOF before any is a refusal. */
static void readfull(unsigned char *buf, size_t n, const char *what)
{
	for (size_t have = 0; have < n;) {
		ssize_t r = ub_read(C.fd, buf + have, n - have);
		if (r < 0)
			ub_diesys(UB_EXIT_SYS, "unable to read from ", C.addr.text, (char *)0);
		if (!r)
			ub_die(UB_EXIT_SYS, what, (char *)0);
		have += (size_t)r;
	}
}

/* -x: our fds 0-2, the ARGs and our environment (none with -e) go to the
   server, which runs its command on them: we trust ADDRESS with them; we end as it ends, by its code or its signal. */
extern char **environ;
static void __attribute__((noreturn)) runexec(char **args, char **env)
{
	unsigned char b[15];
	unsigned st;
	int sig;
	ub_nonblock(C.fd, 0);
	readfull(b, 15, "refused by the server");
	unbind();   /* accepted: a -b file has done its work, and we end by _exit */
	if (memcmp(b, ub_sudo_banner_s, 15))
		ub_die(UB_EXIT_SYS, "not an exec service: ", C.addr.text, (char *)0);
	if (ub_sudo_send(C.fd, args, env) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to send to ", C.addr.text, (char *)0);
	readfull(b, 1, "the server dropped the request");
	if (b[0]) {
		errno = b[0];
		ub_diesys(UB_EXIT_SYS, "unable to run the command on ", C.addr.text, (char *)0);
	}
	readfull(b, 4, "the server closed before the command ended");
	st = ub_be32(b);
	if (!WIFSIGNALED(st))
		_exit(WEXITSTATUS(st));
	sig = WTERMSIG(st);
	if (sig == SIGSTOP)
		_exit(128 + sig);
	ub_sigdefault(sig);   /* SIGKILL too: a caller's WIFSIGNALED must see it */
	ub_sigdie(sig);
}

/* The connect is non-blocking, so that a server whose backlog is full
   (EAGAIN) cannot hold us past -w or -t: we retry instead, as a blocking
   connect would have waited, and without -w or -t for as long. */
static void doconnect(unsigned long wait)
{
	unsigned long long start = ub_now(), deadline = start + wait;
	unsigned delay = 10;
	C.fd = ub_socket(C.type | SOCK_NONBLOCK);
	if (C.fd < 0)
		ub_diesys(UB_EXIT_SYS, "unable to create socket", (char *)0);
	if (C.haslocal) {
		if (ub_bind_local(C.fd, &C.local, &C.lent) < 0)
			ub_diesys(UB_EXIT_SYS, "unable to bind ", C.local.text, (char *)0);
	} else if (C.type == SOCK_DGRAM) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };   /* autobind: an abstract name */
		if (bind(C.fd, (struct sockaddr *)&sa, sizeof(sa_family_t)) < 0)
			ub_diesys(UB_EXIT_SYS, "unable to bind", (char *)0);
	}
	while (ub_connect(C.fd, &C.addr) < 0) {
		int e = errno, busy = e == EAGAIN;
		unsigned long long now = ub_now(), end = deadline;
		if (e != ENOENT && e != ECONNREFUSED && !busy)
			ub_diesys(UB_EXIT_SYS, "unable to connect to ", C.addr.text, (char *)0);
		if (busy && !wait)
			end = C.idle ? start + C.idle : ~0ULL;
		if (now >= end) {
			errno = e;
			ub_diesys(UB_EXIT_NOSERVER, "unable to connect to ", C.addr.text, (char *)0);
		}
		poll(0, 0, (int)(end - now < delay ? end - now : delay));
		delay = delay < 100 ? delay * 2 : 200;
	}
	ub_info("connected to ", C.addr.text, (char *)0);
}

/* --help; one line for each letter of the getopt string below, with its
   argument named as in the synopsis (test/help.test holds them to it, and to
   the man page); -T, the addresses and the exit codes: ub_usage */
static const char help[] =
	"usage: uds-connect [-qrvuzD] [-w SECS] [-t SECS] [-b LOCAL-ADDRESS]\n"
	"\t\t   [-T stream|seqpacket|dgram] ADDRESS [PROG [ARG...]]\n"
	"       uds-connect -x [-eqv] [-w SECS] ADDRESS [ARG...]\n"
	UB_HELP(
	"-q  quiet when no server\n"
	"-r  raw: lines sent with newline, messages printed as is\n"
	"-v  report connection, bytes moved\n"
	"-u  one way: send stdin, never read\n"
	"-z  probe: connect, close\n"
	"-D  tap: what passes, both ways, to stderr; -DD hex dump\n"
	"-w SECS  wait for a server\n"
	"-t SECS  idle timeout\n"
	"-b LOCAL-ADDRESS  bind there first\n"
	"-x  run uds-serve -x's PROG on our fds 0-2, with ARGs and our\n"
	"    environment: trust ADDRESS with them\n"
	"-e  with -x: send no environment\n");
static const char mid[] = UB_HELP("env: PROG gets PROTO IPCLOCALPATH IPCREMOTEPATH\n");
static const char tail[] = UB_HELP(
	", 1 no server or idle\n"
	"with PROG or -x: PROG's exit status\n"
	"example: uds-connect -z -w 5 /run/s.sock && echo up\n"
	"see man uds-connect\n");

int uds_connect_main(int argc, char **argv)
{
	struct ub_getopt g = { 0 };
	unsigned long wait = 0;
	int opt, probe = 0, exec = 0, noenv = 0;
	C.type = SOCK_STREAM;
	while ((opt = ub_getopt(&g, argc, argv, "eqrvuxzDw:t:b:T:")) != -1)
		switch (opt) {
		case 'r': C.raw = 1; break;
		case 'u': C.oneway = 1; break;
		case 'q': ub_verbosity = 0; break;
		case 'v': ub_verbosity = 2; break;
		case 'z': probe = 1; break;
		case 'D': C.tap++; break;
		case 'x': exec = 1; break;
		case 'e': noenv = 1; break;
		case 'w': wait = ub_getms('w', g.arg); break;
		case 't': C.idle = ub_getms('t', g.arg); break;
		case 'b': ub_addr_get(&C.local, g.arg); C.haslocal = 1; break;
		case 'T': C.type = ub_socktype(g.arg); break;
		case UB_OPT_HELP: ub_usage(help, mid, tail);
		case UB_OPT_VERSION: ub_version();
		default: ub_optfail(&g, argv);
		}
	ub_addr_arg(&C.addr, g.ind, argc, argv);
	if (noenv && !exec)
		ub_die(UB_EXIT_USAGE, "-e needs -x", (char *)0);
	if (C.tap && (exec || probe || g.ind + 1 < argc))
		ub_die(UB_EXIT_USAGE, "-D taps the relay: not with -x, -z or PROG", (char *)0);
	if (C.tap)
		ub_lognb();   /* the tap never waits for stderr */
	C.start = ub_now();
	ub_atexit = unbind;
	if (C.haslocal) {
		ub_sigcatch(SIGTERM, onsig);
		ub_sigcatch(SIGINT, onsig);
		ub_sigcatch(SIGHUP, onsig);
		ub_sigcatch(SIGQUIT, onsig);
	}
	doconnect(wait);
	if (probe) {
		close(C.fd);
		finish(0, 0);
	}
	if (exec)
		runexec(argv + g.ind + 1, noenv ? 0 : environ);
	if (g.ind + 1 < argc) {
		unbind();   /* PROG has the connection; nobody would remove the file after it */
		runprog(argv + g.ind + 1);
	}
	ub_sigignore(SIGPIPE, 1);
	C.last = ub_now();
	if (C.type == SOCK_STREAM)
		relay_stream();
	relay_msgs();
}
