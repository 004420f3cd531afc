/* uds_serve.c: listen on a UNIX socket and serve every client.
 *
 * usage: uds-serve [-qv] [-B] [-P PIDFILE] [-1] [-n FD] [-c MAX] [-C MAX] [-b BACKLOG]
 *                  [-m MODE] [-o USER[:GROUP]] [-u USER] [-g GROUP] [-A RULE]...
 *                  [-T stream|seqpacket|dgram] [-t SECS] [-I upper|echo|discard]
 *                  ADDRESS [PROG [ARG...]]
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../core/core.h"

int renameat(int, const char *, int, const char *);   /* from <stdio.h>, which we keep out */

static const char usage[] =
	"usage: uds-serve [-qv] [-B] [-P PIDFILE] [-1] [-n FD] [-c MAX] [-C MAX] [-b BACKLOG]\n"
	"                 [-m MODE] [-o USER[:GROUP]] [-u USER] [-g GROUP] [-A RULE]...\n"
	"                 [-T stream|seqpacket|dgram] [-t SECS] [-I upper|echo|discard]\n"
	"                 ADDRESS [PROG [ARG...]]\n";

enum { FREE, BUILTIN, CHILD };
enum { UPPER, ECHO, DISCARD };
#define ID_LISTEN UB_MAXCONN
#define ID_SIGNAL (UB_MAXCONN + 1)
#define NOSLOT 0xff

struct conn {
	unsigned long long last;   /* last activity (ms), for -t */
	pid_t pid;                 /* the child, or the built-in client's pid */
	uid_t uid;
	int fd;
	unsigned short off, len;   /* pending reply within its slot */
	unsigned char state, slot, blocked;
};

static struct conn conns[UB_MAXCONN];
static unsigned short freeidx[UB_MAXCONN];
static unsigned nfree, hiwater, nconn;

static struct {
	struct ub_addr addr;
	struct ub_entry sock, pidf;   /* the socket file and the pidfile we made */
	struct ub_file self;          /* our own socket file (dgram: never answer it) */
	struct sockaddr_un me;        /* our own address (dgram: never answer it) */
	socklen_t melen;
	int type, lfd, ep, sigfd, service, accepting, nrules;
	int needcred;             /* does anything use the client's credentials? */
	int starved;              /* accept failed for want of resources; warned */
	unsigned maxconn, maxuid;
	unsigned long idle;
	unsigned long long paused, nextidle;
	pid_t mainpid;
	char **prog;
	const char *progpath;     /* PROG found in PATH once, at start */
	const char *pidfile;
	struct { char isgid; unsigned id; } rules[UB_MAXRULES];
} S;

/* Pending replies for slow readers live in a few fixed slots of the shared
   scratch area; a client waits for a free slot rather than grow anything. */
#define SCRATCH ub_scratch
#define POOL (ub_scratch + UB_IOBUF)
static unsigned char slotused[UB_PENDSLOTS];

static void cleanup(void);

/* Signals reach the loop through a signalfd, blocked until they are read:
   none is lost, and no handler writes anywhere. TERM, INT and QUIT have this
   handler only for the start-up, which may be blocked (a full readiness
   pipe) before any loop runs, and for a vforked child between its unblock
   and its exec: both end as the default would, start-up leaving no file of
   ours behind. */
static void onsig(int sig)
{
	cleanup();   /* nothing in a child: the files are not its own */
	kill(getpid(), sig);   /* default again, not blocked (ub_sigcatch): the end;
	                          not raise(): a vfork child shares the thread data */
}

static int epctl(int op, int fd, unsigned ev, unsigned id)
{
	struct epoll_event e = { .events = ev, .data.u32 = id };
	int r;
	do r = epoll_ctl(S.ep, op, fd, &e); while (r < 0 && errno == EINTR);
	return r;
}

/* The server's own descriptors: without them there is no serving. */
static void epctl_own(int op, int fd, unsigned ev, unsigned id)
{
	if (epctl(op, fd, ev, id) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to control epoll", (char *)0);
}

static void listening(int on)
{
	if (on == S.accepting)
		return;
	S.accepting = on;
	epctl_own(EPOLL_CTL_MOD, S.lfd, on ? EPOLLIN : 0, ID_LISTEN);
}

static void resume(void)
{
	if (!S.accepting && nconn < S.maxconn && ub_now() >= S.paused)
		listening(1);
}

static void cleanup(void)
{
	if (getpid() != S.mainpid)
		return;   /* a child that failed to exec: the files are not its own */
	ub_entry_remove(&S.sock);
	ub_entry_remove(&S.pidf);
}

static void killchildren(void)
{
	for (unsigned i = 0; i < hiwater; i++)
		if (conns[i].state == CHILD) {
			kill(conns[i].pid, SIGTERM);
			kill(conns[i].pid, SIGCONT);
		}
}

static void info3(const char *what, unsigned long a, unsigned long b, unsigned long c)
{
	char x[24], y[24], z[24];
	if (ub_verbosity < 2)
		return;
	ub_fmtu(x, a);
	ub_fmtu(y, b);
	ub_fmtu(z, c);
	ub_info(what, " pid ", x, " uid ", y, " gid ", z, (char *)0);
}

static unsigned conn_new(void)
{
	unsigned i = nfree ? freeidx[--nfree] : hiwater++;
	nconn++;
	return i;
}

static void conn_free(unsigned i)
{
	struct conn *c = &conns[i];
	if (c->state == BUILTIN)
		close(c->fd);
	if (c->slot != NOSLOT)
		slotused[c->slot] = 0;
	c->state = FREE;
	freeidx[nfree++] = (unsigned short)i;
	nconn--;
	resume();
}

static int allowed(const struct ucred *cr)
{
	if (!S.nrules)
		return 1;
	for (int i = 0; i < S.nrules; i++)
		if ((S.rules[i].isgid ? cr->gid : cr->uid) == S.rules[i].id)
			return 1;
	return 0;
}

static unsigned peruid(uid_t uid)
{
	unsigned n = 0;
	for (unsigned i = 0; i < hiwater; i++)
		n += conns[i].state != FREE && conns[i].uid == uid;
	return n;
}

/* The fixed slots of the child's UCSPI environment. */
static char e_uid[40], e_gid[40], e_pid[40], e_num[40], e_rpath[16 + UB_PATHMAX],
	e_lpath[16 + UB_PATHMAX];

static void envnum(char *buf, const char *key, unsigned long v)
{
	char n[24];
	ub_fmtu(n, v);
	ub_env_set(ub_kv(buf, 40, key, n));
}

/* The child unblocks what the server keeps for its signalfd, so PROG
   starts with an empty mask and default dispositions. */
static void __attribute__((noreturn)) child(int fd)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to set up the connection", (char *)0);
	if (S.progpath)
		execve(S.progpath, S.prog, ub_env_get());
	/* not found at start (it may be there now), or not runnable */
	ub_execvp(S.prog, ub_env_get());
	ub_diesys(UB_EXIT_SYS, "unable to exec ", S.prog[0], (char *)0);
}

static void spawn(int fd, const struct ucred *cr, const struct sockaddr_un *sa, socklen_t salen, unsigned n)
{
	pid_t pid;
	unsigned i;
	char path[UB_PATHMAX + 2];
	ub_env_reset();
	ub_env_set("PROTO=IPC");
	envnum(e_uid, "IPCREMOTEEUID=", cr->uid);
	envnum(e_gid, "IPCREMOTEEGID=", cr->gid);
	envnum(e_pid, "IPCREMOTEPID=", (unsigned long)cr->pid);
	envnum(e_num, "IPCCONNNUM=", n);
	ub_addr_fmt(path, sa, salen);
	ub_env_set(ub_kv(e_rpath, sizeof e_rpath, "IPCREMOTEPATH=", path));
	ub_env_set(e_lpath);
	do pid = vfork(); while (pid < 0 && errno == EINTR);
	if (!pid)
		child(fd);
	close(fd);
	if (pid < 0) {
		ub_warnsys("unable to fork", (char *)0);
		return;
	}
	i = conn_new();
	conns[i] = (struct conn){ .pid = pid, .uid = cr->uid, .fd = -1, .state = CHILD, .slot = NOSLOT };
}

static void do_accept(void)
{
	for (int k = 0; k < 16; k++) {
		struct sockaddr_un sa;
		socklen_t salen = sizeof sa, cl = sizeof(struct ucred);
		struct ucred cr;
		unsigned n, i;
		int fd;
		if (nconn >= S.maxconn) {
			listening(0);
			return;
		}
		fd = ub_accept(S.lfd, &sa, &salen, SOCK_CLOEXEC | (S.prog ? 0 : SOCK_NONBLOCK));
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN) {
				/* out of descriptors or memory: rest, never spin, warn once */
				if (!S.starved)
					ub_warnsys("unable to accept", (char *)0);
				S.starved = 1;
				S.paused = ub_now() + 100;
				listening(0);
			}
			return;
		}
		S.starved = 0;
		n = 0;
		memset(&cr, 0, sizeof cr);
		if (S.needcred) {
			if (ub_getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
				close(fd);
				continue;
			}
			if (!allowed(&cr) || (n = peruid(cr.uid) + 1) > S.maxuid) {
				info3("refuse", (unsigned long)cr.pid, cr.uid, cr.gid);
				close(fd);
				continue;
			}
		}
		info3("accept", (unsigned long)cr.pid, cr.uid, cr.gid);
		if (S.prog) {
			spawn(fd, &cr, &sa, salen, n);
			continue;
		}
		i = conn_new();
		if (S.idle && ub_now() + S.idle < S.nextidle)
			S.nextidle = ub_now() + S.idle;
		conns[i] = (struct conn){ .last = S.idle ? ub_now() : 0, .pid = cr.pid, .uid = cr.uid,
			.fd = fd, .state = BUILTIN, .slot = NOSLOT };
		if (epctl(EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLRDHUP, i) < 0) {
			/* out of epoll watches (ENOSPC) or memory: refuse this one */
			ub_warnsys("unable to watch a client", (char *)0);
			conn_free(i);
		}
	}
}

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

static int freeslot(void)
{
	for (int s = 0; s < UB_PENDSLOTS; s++)
		if (!slotused[s])
			return s;
	return -1;
}

/* One event on a built-in connection. The reply to what was read is sent at
   once; what the client does not take is parked in a slot, and the client is
   not read again until it is gone. With no slot free (or for seqpacket, whose
   messages must go whole), the data is only peeked at, and consumed as far
   as the reply went out: a client that does not read then waits in the
   kernel's buffers, and holds nothing the others need. */
/* Wait for the client to be writable (ev EPOLLOUT) or readable again; a
   connection whose watch cannot be changed is closed, never left spinning. */
static void watch(unsigned i, unsigned ev)
{
	if (epctl(EPOLL_CTL_MOD, conns[i].fd, ev, i) < 0)
		conn_free(i);
}

/* A seqpacket read: 0 is an empty message or the end, which only the
   credentials tell apart (SO_PASSCRED, inherited from the listening socket,
   puts them on every message; the end has none). */
static ssize_t seqread(int fd, size_t n, int flags, int *eof)
{
	union ub_cmsgbuf cm;
	struct iovec iov = { SCRATCH, n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cm,
		.msg_controllen = sizeof cm };
	struct ucred cr;
	ssize_t r = ub_recvmsg(fd, &m, flags | MSG_CMSG_CLOEXEC);
	*eof = r == 0 && !ub_cmsg(&m, &cr);
	return r;
}

/* Take what was peeked and answered. The data is queued, so a failure is
   spurious: tried again a few times, then the connection is closed, since a
   message answered and still queued would be answered twice. */
static ssize_t consume(int fd, size_t n)
{
	ssize_t r;
	int tries = 0;
	do r = recv(fd, SCRATCH, n, MSG_DONTWAIT);
	while (r < 0 && (errno == EINTR || errno == EAGAIN) && ++tries < 4);
	return r;
}

static void serve_conn(unsigned i)
{
	struct conn *c = &conns[i];
	ssize_t r, w;
	int slot = -1, peek = 0, eof = 0;
	if (c->slot != NOSLOT) {
		w = ub_send(c->fd, POOL + (size_t)c->slot * UB_PENDSIZE + c->off, c->len);
		if (w < 0) {
			if (errno != EAGAIN)
				conn_free(i);
			return;
		}
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
	if (S.service != DISCARD) {
		if (S.type != SOCK_SEQPACKET)
			slot = freeslot();
		peek = slot < 0;
	}
	/* seqpacket never parks, so its messages may fill the whole scratch area */
	if (S.type == SOCK_SEQPACKET)
		r = seqread(c->fd, sizeof ub_scratch, MSG_DONTWAIT | (peek ? MSG_PEEK : 0), &eof);
	else {
		r = recv(c->fd, SCRATCH, S.service == DISCARD || peek ? UB_IOBUF : UB_PENDSIZE,
		         MSG_DONTWAIT | (peek ? MSG_PEEK : 0));
		eof = !r;
	}
	if (r < 0) {
		if (errno != EAGAIN && errno != EINTR)
			conn_free(i);
		return;
	}
	if (eof) {
		conn_free(i);   /* EOF, and nothing is pending */
		return;
	}
	c->last = S.idle ? ub_now() : 0;
	if (S.service == DISCARD)
		return;
	transform(SCRATCH, (size_t)r);
	w = ub_send(c->fd, SCRATCH, (size_t)r);
	if (w < 0 && errno != EAGAIN) {
		conn_free(i);
		return;
	}
	if (peek) {
		/* consume what went out; a seqpacket message goes whole or not at
		   all, an empty one too (left queued, it would be read forever) */
		if (w >= 0 && (w > 0 || !r) && consume(c->fd, (size_t)w) < 0)
			conn_free(i);
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
	watch(i, EPOLLOUT);
}

static void serve_dgram(void)
{
	for (int k = 0; k < 64; k++) {
		struct sockaddr_un sa;
		union ub_cmsgbuf cm;
		struct iovec iov = { SCRATCH, sizeof ub_scratch };
		struct msghdr m = { .msg_name = &sa, .msg_namelen = sizeof sa, .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = &cm, .msg_controllen = sizeof cm };
		struct ucred cr = { 0, UB_NOID, UB_NOID };
		ssize_t r = ub_recvmsg(S.lfd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		ub_cmsg(&m, &cr);   /* passed descriptors are closed here */
		if (m.msg_flags & MSG_TRUNC) {
			ub_info("drop datagram larger than the buffer", (char *)0);
			continue;
		}
		if (m.msg_namelen <= sizeof(sa_family_t)) {
			ub_info("drop datagram from unbound sender", (char *)0);
			continue;
		}
		if (m.msg_namelen == S.melen && !memcmp(&sa, &S.me, S.melen))
			continue;   /* our own reply, come back: never answer it */
		if (!allowed(&cr)) {
			info3("refuse", (unsigned long)cr.pid, cr.uid, cr.gid);
			continue;
		}
		if (S.service == DISCARD)
			continue;
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

static void reap(void)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		char p[24], n[24];
		for (unsigned i = 0; i < hiwater; i++)
			if (conns[i].state == CHILD && conns[i].pid == pid) {
				conn_free(i);
				break;
			}
		if (ub_verbosity < 2)
			continue;
		ub_fmtu(p, (unsigned long)pid);
		ub_fmtu(n, (unsigned long)(WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st)));
		ub_info("child ", p, WIFEXITED(st) ? " exit " : " signal ", n, (char *)0);
	}
}

static void signals(void)
{
	struct signalfd_siginfo si[8];
	ssize_t r = read(S.sigfd, si, sizeof si);
	for (ssize_t k = 0; k < r / (ssize_t)sizeof *si; k++)
		switch (si[k].ssi_signo) {
		case SIGCHLD:
			reap();
			break;
		case SIGHUP:
			killchildren();
			break;
		case SIGQUIT:
			killchildren();
			/* fall through */
		case SIGTERM:
		case SIGINT:
			cleanup();
			_exit(0);
		}
}

static void idle_check(void)
{
	unsigned long long now = ub_now(), next = ~0ULL;
	if (now < S.nextidle)
		return;
	for (unsigned i = 0; i < hiwater; i++) {
		struct conn *c = &conns[i];
		if (c->state != BUILTIN)
			continue;
		if (now - c->last >= S.idle) {
			char p[24];
			ub_fmtu(p, (unsigned long)c->pid);
			ub_info("idle close pid ", p, (char *)0);
			conn_free(i);
		} else if (c->last + S.idle < next)
			next = c->last + S.idle;
	}
	S.nextidle = next;
}

static int timeout(void)
{
	unsigned long long now, t = ~0ULL;
	if (!(S.idle && nconn) && S.accepting)
		return -1;   /* no clock read: under emulation it is a system call */
	now = ub_now();
	if (S.idle && nconn)
		t = S.nextidle;
	if (!S.accepting && S.paused > now && S.paused < t)
		t = S.paused;
	if (t == ~0ULL)
		return -1;
	return t <= now ? 0 : (int)(t - now);
}

/* Every descriptor we inherited beyond 0-2 stays out of the children. Before
   close_range (Linux 5.11), every one that /proc lists; without /proc, every
   one below the limit. */
static void cloexec_all(void)
{
	unsigned long long lim;
	long n;
	int d;
#ifdef SYS_close_range
	if (!syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */))
		return;
#endif
	d = ub_open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d >= 0) {
		while ((n = syscall(SYS_getdents64, d, SCRATCH, UB_IOBUF)) > 0)
			for (long off = 0; off < n;) {
				/* linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
				unsigned short len;
				unsigned long fd;
				memcpy(&len, SCRATCH + off + 16, sizeof len);
				if (!ub_ulong((char *)SCRATCH + off + 19, &fd) && fd > 2)
					ub_fcntl((int)fd, F_SETFD, FD_CLOEXEC);
				off += len;
			}
		close(d);
		return;
	}
	lim = ub_nofile();
	for (int fd = 3; fd < (int)(lim < 1 << 20 ? lim : 1 << 20); fd++)
		ub_fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static sigset_t sigs;   /* what the loop reads from its signalfd */

/* sigaddset for the signals below 32 we use: bit sig-1 of the first word,
   as the kernel reads a sigset on every arch */
static void addsig(sigset_t *s, int sig)
{
	*(unsigned long *)s |= 1UL << (sig - 1);
}

/* Children start with default dispositions: reset what we inherited once,
   here (never ignore: an ignored signal would pass on to PROG). HUP, CHLD
   and PIPE wait, blocked, for the loop; TERM, INT and QUIT end a start-up
   at once, and are blocked too when the loop begins. */
static void setup_signals(void)
{
	sigset_t wait;
	for (int s = 1; s < _NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			ub_sigdefault(s);
	sigemptyset(&wait);
	addsig(&wait, SIGHUP);
	addsig(&wait, SIGCHLD);
	addsig(&wait, SIGPIPE);
	if (sigprocmask(SIG_SETMASK, &wait, 0) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to block signals", (char *)0);
	sigs = wait;
	addsig(&sigs, SIGTERM);
	addsig(&sigs, SIGINT);
	addsig(&sigs, SIGQUIT);
	S.sigfd = ub_signalfd(&sigs);
	if (S.sigfd < 0)
		ub_diesys(UB_EXIT_SYS, "unable to create a signalfd", (char *)0);
	ub_sigcatch(SIGTERM, onsig);
	ub_sigcatch(SIGINT, onsig);
	ub_sigcatch(SIGQUIT, onsig);
}

static void rule(const char *r)
{
	unsigned id, g;
	int isgid = !strncmp(r, "gid:", 4);
	if (S.nrules == UB_MAXRULES)
		ub_die(UB_EXIT_USAGE, "too many rules", (char *)0);
	if ((!isgid && strncmp(r, "uid:", 4)) || !r[4])
		ub_die(UB_EXIT_USAGE, "bad rule: ", r, (char *)0);
	if (isgid ? ub_group(r + 4, &id) : ub_user(r + 4, &id, &g))
		ub_die(UB_EXIT_USAGE, isgid ? "unknown group: " : "unknown user: ", r + 4, (char *)0);
	S.rules[S.nrules].isgid = (char)isgid;
	S.rules[S.nrules++].id = id;
}

static gid_t getgroup(const char *s)
{
	gid_t g;
	if (ub_group(s, &g))
		ub_die(UB_EXIT_USAGE, "unknown group: ", s, (char *)0);
	return g;
}

static void owner(const char *s, uid_t *uid, gid_t *gid)
{
	char name[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	gid_t g;
	if (n >= sizeof name)
		ub_die(UB_EXIT_USAGE, "unknown user: ", s, (char *)0);
	memcpy(name, s, n);
	name[n] = 0;
	if (n && ub_user(name, uid, &g))
		ub_die(UB_EXIT_USAGE, "unknown user: ", name, (char *)0);
	if (colon && colon[1])
		*gid = getgroup(colon + 1);
}

/* Socket activation: fd 3 must be an AF_UNIX socket of our type. */
static int activated(void)
{
	const char *lp = getenv("LISTEN_PID"), *lf = getenv("LISTEN_FDS");
	unsigned long pid, n;
	int v;
	socklen_t l = sizeof v;
	if (!lp || !lf || ub_ulong(lp, &pid) || pid != (unsigned long)getpid()
	    || ub_ulong(lf, &n) || n < 1)
		return 0;
	errno = ENOTSOCK;
	if (ub_getsockopt(3, SOL_SOCKET, SO_DOMAIN, &v, &l) < 0 || v != AF_UNIX)
		ub_diesys(UB_EXIT_SYS, "unable to use fd 3", (char *)0);
	l = sizeof v;
	if (ub_getsockopt(3, SOL_SOCKET, SO_TYPE, &v, &l) < 0 || v != S.type) {
		errno = EPROTOTYPE;
		ub_diesys(UB_EXIT_SYS, "unable to use fd 3", (char *)0);
	}
	l = sizeof v;
	if (S.type != SOCK_DGRAM && (ub_getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &v, &l) < 0 || !v))
		ub_die(UB_EXIT_SYS, "unable to use fd 3: not listening", (char *)0);
	return 1;
}

/* As root, in a directory others may write: the pid goes into a file of our
   own, made new (O_EXCL: no symlink followed, no FIFO opened), then renamed
   over the name, whatever was there. */
static void writepid(void)
{
	char buf[24], tmp[NAME_MAX + 26];
	struct ub_entry *e = &S.pidf;
	int fd = -1;
	char *p = ub_fmtu(buf, (unsigned long)getpid());
	size_t n;
	*p++ = '\n';
	if (ub_entry_at(e, S.pidfile) < 0)
		goto fail;
	n = strlen(e->name);
	errno = ENAMETOOLONG;
	if (n > NAME_MAX)
		goto fail;
	memcpy(tmp, e->name, n);
	tmp[n] = '.';
	memcpy(tmp + n + 1, buf, (size_t)(p - buf - 1));
	tmp[n + (size_t)(p - buf)] = 0;
	unlinkat(e->dir, tmp, 0);   /* a leftover of a killed start with our pid */
	fd = ub_openat(e->dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && !ub_writeall(fd, buf, (size_t)(p - buf)) && !close(fd)
	    && !renameat(e->dir, tmp, e->dir, e->name)) {
		ub_entry_note(e);
		return;
	}
	if (fd >= 0) {
		int er = errno;
		unlinkat(e->dir, tmp, 0);
		errno = er;
	}
fail:
	ub_diesys(UB_EXIT_SYS, "unable to write ", S.pidfile, (char *)0);
}

/* -B: the parent returns only when the child says it listens, or with the
   child's own exit code. Returns the fd to notify on, in the child. */
static int background(void)
{
	int p[2];
	pid_t pid;
	char c;
	if (ub_pipe(p, O_CLOEXEC) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to create a pipe", (char *)0);
	pid = ub_fork();
	if (pid < 0)
		ub_diesys(UB_EXIT_SYS, "unable to fork", (char *)0);
	if (!pid) {
		close(p[0]);
		setsid();
		return p[1];
	}
	close(p[1]);
	if (ub_read(p[0], &c, 1) == 1)
		_exit(0);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(st) && WEXITSTATUS(st) ? WEXITSTATUS(st) : UB_EXIT_SYS);
}

int uds_serve_main(int argc, char **argv)
{
	struct ub_getopt g = { 0 };
	uid_t ouid = UB_NOID, uid = UB_NOID;
	gid_t ogid = UB_NOID, gid = UB_NOID, ugid = UB_NOID;
	const char *user = 0;
	unsigned long mode = 0600, backlog = UB_DEFBACKLOG, notify = 0, maxuid = 0;
	int opt, ready1 = 0, bg = -1, daemonize = 0, act;
	static const char *const drop[] = { "PROTO", "IPCREMOTEEUID", "IPCREMOTEEGID",
		"IPCREMOTEPID", "IPCREMOTEPATH", "IPCLOCALPATH", "IPCCONNNUM",
		"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", 0 };

	S.type = SOCK_STREAM;
	S.maxconn = UB_DEFCONN;
	while ((opt = ub_getopt(&g, argc, argv, "qvBP:1n:c:C:b:m:o:u:g:A:T:t:I:")) != -1)
		switch (opt) {
		case 'q': ub_verbosity = 0; break;
		case 'v': ub_verbosity = 2; break;
		case 'B': daemonize = 1; break;
		case 'P': S.pidfile = g.arg; break;
		case '1': ready1 = 1; break;
		case 'n': notify = ub_getnum('n', g.arg, 3, 1023) + 1; break;   /* never 0-2 */
		case 'c': S.maxconn = (unsigned)ub_getnum('c', g.arg, 1, UB_MAXCONN); break;
		case 'C': maxuid = ub_getnum('C', g.arg, 1, UB_MAXCONN); break;
		case 'b': backlog = ub_getnum('b', g.arg, 1, 65535); break;
		case 'm':
			if (ub_octal(g.arg, &mode) || mode > 0777)
				ub_die(UB_EXIT_USAGE, "bad mode for -m: ", g.arg, (char *)0);
			break;
		case 'o': owner(g.arg, &ouid, &ogid); break;
		case 'u':
			user = g.arg;
			if (ub_user(g.arg, &uid, &ugid))
				ub_die(UB_EXIT_USAGE, "unknown user: ", g.arg, (char *)0);
			break;
		case 'g': gid = getgroup(g.arg); break;
		case 'A': rule(g.arg); break;
		case 'T': S.type = ub_socktype(g.arg); break;
		case 't': S.idle = ub_getms('t', g.arg); break;
		case 'I':
			if (!strcmp(g.arg, "upper")) S.service = UPPER;
			else if (!strcmp(g.arg, "echo")) S.service = ECHO;
			else if (!strcmp(g.arg, "discard")) S.service = DISCARD;
			else ub_die(UB_EXIT_USAGE, "unknown service: ", g.arg, (char *)0);
			break;
		case UB_OPT_HELP: ub_usage(usage);
		case UB_OPT_VERSION: ub_version();
		default: ub_optfail(&g, argv);
		}
	ub_addr_arg(&S.addr, g.ind, argc, argv);
	if (g.ind + 1 < argc)
		S.prog = argv + g.ind + 1;
	if (S.prog && S.type == SOCK_DGRAM)
		ub_die(UB_EXIT_USAGE, "a PROG needs a connected type, not dgram", (char *)0);
	if (uid != UB_NOID && gid == UB_NOID && (gid = ugid) == UB_NOID)
		ub_die(UB_EXIT_USAGE, "user ", user, " has no group: give -g", (char *)0);
	if (notify && ub_fcntl((int)notify - 1, F_GETFD, 0) < 0)
		ub_diesys(UB_EXIT_USAGE, "unable to use notification fd", (char *)0);
	S.maxuid = maxuid ? (unsigned)maxuid : S.maxconn;
	S.needcred = S.nrules || S.maxuid < S.maxconn || ub_verbosity > 1 || S.prog;

	cloexec_all();
	act = activated();
	if (daemonize)
		bg = background();
	S.mainpid = getpid();
	ub_lognb();
	setup_signals();
	ub_atexit = cleanup;
	if (act) {
		S.lfd = 3;
		ub_fcntl(3, F_SETFD, FD_CLOEXEC);
	} else
		S.lfd = ub_listen(&S.addr, S.type, (unsigned)mode, (int)backlog, ouid, ogid, &S.sock);
	if (ub_nonblock(S.lfd, 1) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to set up ", S.addr.text, (char *)0);
	if (S.pidfile)
		writepid();
	if (S.type != SOCK_STREAM) {
		/* credentials on every message: for dgram, whom to answer; for
		   seqpacket (inherited by each connection), an empty message
		   from the end */
		int one = 1;
		ub_setsockopt(S.lfd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	}
	if (S.type == SOCK_DGRAM) {
		S.melen = sizeof S.me;
		getsockname(S.lfd, (struct sockaddr *)&S.me, &S.melen);
		if (S.me.sun_path[0] && S.melen < sizeof S.me)
			ub_statat(AT_FDCWD, S.me.sun_path, &S.self);
	}
	if (ub_setids(uid, gid) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to drop privileges", (char *)0);

	S.ep = epoll_create1(EPOLL_CLOEXEC);
	if (S.ep < 0)
		ub_diesys(UB_EXIT_SYS, "unable to create epoll", (char *)0);
	epctl_own(EPOLL_CTL_ADD, S.lfd, EPOLLIN, ID_LISTEN);
	epctl_own(EPOLL_CTL_ADD, S.sigfd, EPOLLIN, ID_SIGNAL);
	S.accepting = 1;
	memset(slotused, 0, sizeof slotused);
	if (S.prog) {
		ub_kv(e_lpath, sizeof e_lpath, "IPCLOCALPATH=", S.addr.text);
		ub_env_init(drop);
		static char found[UB_PROGMAX];   /* PROG looked up once, not per connection */
		S.progpath = ub_which(S.prog[0], found);
	}

	if (ready1 && ub_writeall(1, "\n", 1) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to notify readiness", (char *)0);
	if (notify) {
		ub_writeall((int)notify - 1, "\n", 1);
		close((int)notify - 1);
	}
	if (bg >= 0) {
		int nul = ub_open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			if (nul > 2)
				close(nul);
		}
		ub_writeall(bg, "", 1);
		close(bg);
	}

	/* from now on the loop reads them all */
	if (sigprocmask(SIG_BLOCK, &sigs, 0) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to block signals", (char *)0);
	for (;;) {
		struct epoll_event ev[64];
		int n = epoll_wait(S.ep, ev, 64, timeout());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ub_diesys(UB_EXIT_SYS, "unable to wait for events", (char *)0);
		}
		for (int k = 0; k < n; k++) {
			unsigned id = ev[k].data.u32;
			if (id == ID_SIGNAL)
				signals();
			else if (id == ID_LISTEN)
				S.type == SOCK_DGRAM ? serve_dgram() : do_accept();
			else if (conns[id].state == BUILTIN)
				serve_conn(id);
		}
		if (S.idle)
			idle_check();
		resume();
	}
}
