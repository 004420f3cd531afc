/* SPDX-License-Identifier: ISC */
/* uds_serve_loop.c: uds-serve's event loop: accepting, the connection table,
   children, signals and idle connections. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include "uds_serve.h"

struct conn conns[UB_MAXCONN];
static unsigned short freeidx[UB_MAXCONN];
static unsigned nfree;
unsigned hiwater, nconn;
unsigned char slotused[UB_PENDSLOTS];

int epctl(int op, int fd, unsigned ev, unsigned id)
{
	struct epoll_event e = { .events = ev, .data.u32 = id };
	int r;
	do r = epoll_ctl(S.ep, op, fd, &e); while (r < 0 && errno == EINTR);
	return r;
}

/* The server's own descriptors: without them there is no serving. */
static void epctl_own(int op, int fd, unsigned ev, unsigned id)
{
	for (unsigned n = 0; epctl(op, fd, ev, id) < 0;)
		if (!ub_again(&n))
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

/* SIGTERM, and SIGCONT lest it be stopped: a child (PROG or an exec
   session), or an exec session's command. */
void stop(pid_t pid)
{
	kill(pid, SIGTERM);
	kill(pid, SIGCONT);
}

static void killchildren(void)
{
	for (unsigned i = 0; i < hiwater; i++)
		if (conns[i].state == CHILD)
			stop(conns[i].pid);
}

void info3(const char *what, unsigned long a, unsigned long b, unsigned long c)
{
	char x[24], y[24], z[24];
	if (ub_verbosity < 2)
		return;
	ub_fmtu(x, a);
	ub_fmtu(y, b);
	ub_fmtu(z, c);
	ub_info(what, " pid ", x, " uid ", y, " gid ", z, (char *)0);
}

unsigned conn_new(void)
{
	unsigned i = nfree ? freeidx[--nfree] : hiwater++;
	nconn++;
	return i;
}

/* A slot is free again: the print clients waiting for one may go on. All
   of them: the first may not keep the slot (its line ends, or it does), and
   a waiter woken by nobody would wait for ever. */
void slot_release(struct conn *c)
{
	slotused[c->slot] = 0;
	c->slot = NOSLOT;
	for (unsigned j = 0; j < hiwater; j++)
		if (conns[j].state == BUILTIN && conns[j].blocked == 2) {
			conns[j].blocked = 0;
			if (epctl(EPOLL_CTL_MOD, conns[j].fd, EPOLLIN | EPOLLRDHUP, j) < 0)
				conn_free(j);
		}
}

void conn_free(unsigned i)
{
	struct conn *c = &conns[i];
	if (c->state == BUILTIN)
		close(c->fd);
	c->state = FREE;
	if (c->slot != NOSLOT) {
		if (S.service == PRINT)   /* a line begun, read: it still goes out */
			print_msg(POOL + (size_t)c->slot * UB_PENDSIZE, c->len);
		slot_release(c);
	}
	freeidx[nfree++] = (unsigned short)i;
	nconn--;
	resume();
}

gid_t groups[UB_PEERGROUPS];
int ngroups;

/* Once, at start: can the clients' supplementary groups be read? The
   listening socket is asked, whose peer credentials are our own. A gid:
   rule that can match only the primary gid is said here, never per client. */
void groups_init(void)
{
	socklen_t l = sizeof groups;
	const char *why = "a datagram carries no other";
	if (S.type != SOCK_DGRAM) {
		if (!S.gidrule && !S.prog)
			return;
		why = "no SO_PEERGROUPS in this kernel";
		S.groups = ub_getsockopt(S.lfd, SOL_SOCKET, SO_PEERGROUPS, groups, &l) >= 0 || errno != ENOPROTOOPT;
	}
	if (!S.groups && S.gidrule && ub_verbosity)
		ub_putfd(2, (const char *[]){ ub_prog, ": warning: -A gid: matches the primary gid only: ", why, 0 });
}

/* The client's supplementary groups into groups[]: how many, or -1 where
   they cannot be read: more than UB_PEERGROUPS (ERANGE, the length the
   kernel needs given back, none of them), or an emulator that passes the
   option on as an int (ERANGE from two groups on, the length unchanged).
   A gid: rule then matches the primary gid only, never more, and -v says so. */
static int peergroups(int fd, const struct ucred *cr)
{
	socklen_t l = sizeof groups;
	char what[64], *p = what;
	if (!ub_getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &l) && l <= sizeof groups)
		return (int)(l / sizeof *groups);
	if (errno == ERANGE && l > sizeof groups) {
		p = ub_fmtu(what, l / sizeof *groups);
		*p++ = ' ';
	}
	memcpy(p, "supplementary groups not checked for", 37);
	info3(what, (unsigned long)cr->pid, cr->uid, cr->gid);
	return -1;
}

static unsigned peruid(uid_t uid)
{
	unsigned n = 0;
	for (unsigned i = 0; i < hiwater; i++)
		n += conns[i].state != FREE && conns[i].uid == uid;
	return n;
}

/* Out of descriptors or memory (accept), or a datagram that cannot be read
   (recvmsg; it stays queued): the listener rests 100 ms, never spins, and
   the warning comes once a second at most, with how many failed since. */
void starve(const char *what)
{
	char n[24];
	unsigned long long now = ub_now();
	S.starved++;
	if (now >= S.warned) {
		*ub_fmtu(n, S.starved) = 0;
		ub_warnsys(what, " (", n, " since the last warning)", (char *)0);
		S.starved = 0;
		S.warned = now + 1000;
	}
	S.paused = now + 100;
	listening(0);
}

/* A client cut for an error: -v says which. */
void cut(unsigned i)
{
	char p[24];
	ub_fmtu(p, (unsigned long)conns[i].pid);
	ub_info("cut pid ", p, ": ", ub_errstr(errno), (char *)0);
	conn_free(i);
}

/* ENOMEM or ENOBUFS: the kernel is short of memory for a while, the client
   did nothing wrong. Its connection rests, unwatched, 100 ms and is tried
   again (the listener rests alike), so it neither spins nor loses what
   stays queued. 1 if it rests; 0 for another error, after UB_RESTS rests in
   a row, or if it cannot rest: the caller cuts it, errno saying why. */
#define UB_RESTS 10
int rest(unsigned i)
{
	struct conn *c = &conns[i];
	if ((errno != ENOMEM && errno != ENOBUFS) || ++c->rests > UB_RESTS
	    || epctl(EPOLL_CTL_MOD, c->fd, 0, i) < 0)
		return 0;
	if (!S.rested)
		S.rested = ub_now() + 100;
	return 1;
}

/* The rest is over: each resting connection waits for what it waited for. */
static void wake(void)
{
	S.rested = 0;
	for (unsigned i = 0; i < hiwater; i++)
		if (conns[i].state == BUILTIN && conns[i].rests)
			watch(i, conns[i].slot != NOSLOT && S.service != PRINT ? EPOLLOUT : EPOLLIN | EPOLLRDHUP);
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
		/* a built-in client's descriptor passes to the new image of an
		   upgrade; no PROG runs beside it */
		fd = ub_accept(S.lfd, &sa, &salen, S.prog ? SOCK_CLOEXEC : SOCK_NONBLOCK);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN)
				starve("unable to accept");
			return;
		}
		n = 0;
		ngroups = -1;
		memset(&cr, 0, sizeof cr);
		if (S.needcred) {
			if (ub_getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &cl) < 0) {
				close(fd);
				continue;
			}
			if (S.groups)
				ngroups = peergroups(fd, &cr);
			if (!ub_allowed(S.rules, S.nrules, cr.uid, cr.gid, groups, ngroups < 0 ? 0 : (unsigned)ngroups)
			    || (n = peruid(cr.uid) + 1) > S.maxuid) {
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

void reap_all(void)
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

void signals(void)
{
	struct signalfd_siginfo si[8];
	ssize_t r = read(S.sigfd, si, sizeof si);
	for (ssize_t k = 0; k < r / (ssize_t)sizeof *si; k++)
		switch (si[k].ssi_signo) {
		case SIGCHLD:
			reap_all();
			break;
		case SIGHUP:
			killchildren();
			break;
		case SIGUSR2:
			/* only root and who started us: after -u, every process of
			   that user may signal us. And only a kill or tkill, whose
			   uid the kernel fills in: rt_sigqueueinfo (SI_QUEUE) lets
			   the sender write any uid it likes */
			if ((si[k].ssi_code != SI_USER && si[k].ssi_code != SI_TKILL)
			    || (si[k].ssi_uid && si[k].ssi_uid != S.startuid)) {
				char u[24];
				ub_fmtu(u, si[k].ssi_uid);
				ub_info("ignore SIGUSR2 from uid ", u, (char *)0);
			} else
				S.upgrade = 1;   /* between events: see upgrade() */
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
	if (!(S.idle && nconn) && S.accepting && !S.rested)
		return -1;   /* no clock read: under emulation it is a system call */
	now = ub_now();
	if (S.idle && nconn)
		t = S.nextidle;
	if (S.rested && S.rested < t)
		t = S.rested;
	if (!S.accepting && S.paused > now && S.paused < t)
		t = S.paused;
	if (t == ~0ULL)
		return -1;
	return t <= now ? 0 : (int)(t - now);
}

void loop_init(void)
{
	groups_init();
	for (unsigned n = 0; (S.ep = epoll_create1(EPOLL_CLOEXEC)) < 0;)
		if (!ub_again(&n))
			ub_diesys(UB_EXIT_SYS, "unable to create epoll", (char *)0);
	epctl_own(EPOLL_CTL_ADD, S.lfd, EPOLLIN, ID_LISTEN);
	epctl_own(EPOLL_CTL_ADD, S.sigfd, EPOLLIN, ID_SIGNAL);
	S.accepting = 1;
}

void serve_loop(const sigset_t *sigs)
{
	/* from now on the loop reads them all */
	if (ub_sigmask(SIG_BLOCK, sigs) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to block signals", (char *)0);
	for (;;) {
		struct epoll_event ev[64];
		int n = ub_epoll_wait(S.ep, ev, 64, timeout());
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
			else if (conns[id].state == BUILTIN) {
				if (S.service == PRINT && S.type == SOCK_STREAM)
					serve_print(id, ev[k].events);
				else
					serve_conn(id);
			}
		}
		if (S.idle)
			idle_check();
		if (S.rested && ub_now() >= S.rested)
			wake();
		resume();
		if (S.upgrade)
			upgrade();
	}
}
