/* SPDX-License-Identifier: ISC */
/* uds_serve_upgrade.c: uds-serve's live upgrade. SIGUSR2 executes the binary
   again, from its path, in this same process. The new image takes the
   listening socket as socket activation does (fd 3, LISTEN_PID, LISTEN_FDS),
   the built-in connections and the directories of its files at their own
   descriptor numbers (accepted without close-on-exec: no PROG runs beside
   them), and the rest from a memfd named by UPGRADE_VAR: a header (a tag of
   the version and the layout, who may upgrade, the socket file and the
   pidfile as they were noted), the connection table, children included, and
   the slots (replies parked for slow readers, print's lines begun). All of
   it is checked before it is used: what comes back across an exec is input. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "uds_serve.h"

#define POOLSIZE ((size_t)UB_PENDSLOTS * UB_PENDSIZE)
#define FDMAX (1 << 20)     /* the kernel's default nr_open */
#define PIDMAX (1 << 22)    /* the kernel's PID_MAX_LIMIT */

/* 64 bytes on every target, fields of fixed width: the socket file's and the
   pidfile's directory, made (flag bit 0, 1) and identity (for dgram, the
   socket's is also our own file, S.self); bit 2: the old image was dumpable. */
struct hdr {
	unsigned tag, layout, uid, flags;
	int dir[2];
	unsigned long long dev[2], ino[2];
	unsigned spare[2];
};
/* "UDS" and a version, bumped when a field changes meaning; the layout
   changes with any capacity, size or offset the table is read by */
#define UP_TAG 0x55445302u
#define UP_LAYOUT ((unsigned)(sizeof(struct conn) | offsetof(struct conn, pid) << 6 \
	| offsetof(struct conn, fd) << 11 | offsetof(struct conn, off) << 16 \
	| offsetof(struct conn, state) << 21 | (size_t)NOSLOT << 24) \
	^ (unsigned)UB_MAXCONN * 2654435761u ^ (unsigned)POOLSIZE)
#define STATESIZE (sizeof(struct hdr) + sizeof conns)
_Static_assert(sizeof(struct hdr) == 64, "the header is the same on every target");
_Static_assert(STATESIZE <= UB_IOBUF, "the state is read back into SCRATCH");
_Static_assert(UB_PENDSLOTS <= 32, "slots in use are bits of one word");

/* Called between events, never from inside one (print_out reads signals
   while a line is half written). If the exec fails, all is as it was: fd 3
   and the directories are put back, the mask was never changed, spawn
   resets the environment. */
void upgrade(void)
{
	char n[24], *lpid = (char *)SCRATCH, *var = lpid + 32;
	struct hdr h = { UP_TAG, UP_LAYOUT, S.startuid,
		(unsigned)S.sock.made | (unsigned)S.pidf.made << 1 | (prctl(PR_GET_DUMPABLE) == 1) << 2,
		{ S.sock.made ? S.sock.dir : AT_FDCWD, S.pidf.made ? S.pidf.dir : AT_FDCWD }, { S.sock.dev, S.pidf.dev }, { S.sock.ino, S.pidf.ino }, { 0, 0 } };
	int m, t, k;
	S.upgrade = 0;
	if ((m = (int)syscall(SYS_memfd_create, "uds-serve", 0)) < 0
	    || ub_writeall(m, &h, sizeof h) < 0 || ub_writeall(m, conns, sizeof conns) < 0
	    || ub_writeall(m, POOL, POOLSIZE) < 0 || syscall(SYS_lseek, m, 0L, SEEK_SET) < 0)
		goto out;
	ub_fmtu(n, (unsigned long)S.mainpid);
	ub_kv(lpid, 32, "LISTEN_PID=", n);
	ub_fmtu(n, (unsigned long)m);
	ub_kv(var, 32, UPGRADE_VAR "=", n);
	ub_env_reset();
	ub_env_set(lpid);
	ub_env_set("LISTEN_FDS=1");
	ub_env_set(var);
	ub_info("re-exec ", S.exe, (char *)0);
	/* what is at 3 (never a client: see uds_serve.c) waits aside; by dup,
	   not F_DUPFD: qemu-user carries what it knows of a signalfd (how to
	   translate its signal numbers) through dup and dup3 only */
	if ((t = dup(3)) < 0)
		goto out;
	ub_fcntl(t, F_SETFD, FD_CLOEXEC);
	/* what the new image is told it has, it has, or there is no exec: a
	   listening socket that did not reach 3 would leave it serving nothing,
	   a directory closed at the exec its files behind */
	k = dup2(S.lfd, 3) < 0 || ub_fcntl(3, F_SETFD, 0) < 0;
	for (int j = 0; j < 2; j++)
		if (h.dir[j] != AT_FDCWD && ub_fcntl(h.dir[j], F_SETFD, 0) < 0)
			k = 1;
	if (!k)
		execve(S.exe, ub_argv, ub_env_get());
	k = errno;
	ub_fcntl(h.dir[0], F_SETFD, FD_CLOEXEC);
	ub_fcntl(h.dir[1], F_SETFD, FD_CLOEXEC);
	syscall(SYS_dup3, t, 3, O_CLOEXEC);
	close(t);
	errno = k;
out:
	ub_warnsys("unable to re-exec ", *S.exe ? S.exe : ub_argv[0], (char *)0);
	close(m);
}

/* The state as bytes (st aligned for struct conn): 0 if every field is in
   range, else what is wrong. No system call: a fuzz target may call it. What
   it passes may still name a descriptor that is not open or a pid that is
   not our child: adopt() looks at those. */
const char *state_check(const unsigned char *st, size_t n)
{
	const struct hdr *h = (const struct hdr *)st;
	const struct conn *c = (const struct conn *)(st + sizeof *h);
	unsigned used = 0;
	if (n != STATESIZE)
		return "its size";
	if (h->tag != UP_TAG || h->layout != UP_LAYOUT)
		return "another version or layout";
	if (h->flags > 7 || h->spare[0] || h->spare[1])
		return "its header";
	for (int k = 0; k < 2; k++)
		if (h->flags >> k & 1 && h->dir[k] != AT_FDCWD && (h->dir[k] < 4 || h->dir[k] >= FDMAX))
			return "a directory";
	for (unsigned k = 0; k < UB_MAXCONN; k++) {
		const struct conn *e = c + k;
		if (e->state == FREE)
			continue;
		if (e->state > CHILD || e->pid < 0 || e->pid >= PIDMAX || e->blocked > 2)
			return "an entry";
		if (e->state == CHILD) {
			if (!e->pid || e->slot != NOSLOT)
				return "a child";
			continue;
		}
		if (e->fd < 4 || e->fd >= FDMAX || e->fd == h->dir[0] || e->fd == h->dir[1]
		    || e->off + e->len > UB_PENDSIZE)
			return "a connection";
		if (e->slot != NOSLOT) {
			if (e->slot >= UB_PENDSLOTS || used >> e->slot & 1)
				return "a slot";
			used |= 1U << e->slot;
		}
		for (unsigned j = 0; j < k; j++)
			if (c[j].state == BUILTIN && c[j].fd == e->fd)
				return "a descriptor twice";
	}
	return 0;
}

static int table;   /* the old table is in SCRATCH */

/* Are we the new image of an upgrade? Then the socket file and the pidfile
   are ours as they were noted, in the directories the old image held open:
   removed at exit, never made again. The table waits in SCRATCH for adopt().
   A bad state is refused whole: the listening socket is served on, every
   other descriptor the old image left us is closed (its clients see the end
   of their connection rather than wait for ever), its files are left at
   exit, and only root may upgrade us. */
int upgraded(void)
{
	const char *v = ub_getenv(UPGRADE_VAR), *why;
	const struct hdr *h = (const struct hdr *)SCRATCH;
	unsigned long fd;
	char c;
	if (!v || ub_ulong(v, &fd))
		return 0;
	/* all of it and no more */
	errno = EINVAL;
	why = ub_read((int)fd, SCRATCH, STATESIZE) != (ssize_t)STATESIZE
		|| ub_read((int)fd, POOL, POOLSIZE) != (ssize_t)POOLSIZE || ub_read((int)fd, &c, 1)
		? "its size" : state_check(SCRATCH, STATESIZE);
	close((int)fd);
	if (why) {
		ub_warnsys("unable to take over the old state: bad ", why, (char *)0);
		ub_closefds((const int[]){ 3 }, 1, 0);   /* all but the listening socket */
		S.startuid = 0;
		return 1;
	}
	table = 1;
	S.startuid = h->uid;
	if (h->flags & 4)   /* the old image was: we are as it was, no more */
		prctl(PR_SET_DUMPABLE, 1);
	for (int k = 0; k < 2; k++) {
		struct ub_entry *e = k ? &S.pidf : &S.sock;
		const char *p = k ? S.pidfile : S.addr.text, *slash;
		struct ub_file f;
		e->dev = h->dev[k];
		e->ino = h->ino[k];
		if (!(h->flags >> k & 1) || !p)
			continue;
		if (h->dir[k] != AT_FDCWD && (ub_statat(h->dir[k], "", &f) || f.type != S_IFDIR)) {
			ub_warnsys("unable to take over the directory of ", p, (char *)0);
			continue;
		}
		slash = strrchr(p, '/');
		e->name = slash ? slash + 1 : p;
		e->dir = h->dir[k];
		ub_fcntl(e->dir, F_SETFD, FD_CLOEXEC);
		e->made = 1;
	}
	return 1;
}

/* Once the loop is set up: the connections and children as they were (the
   clock of their idle times is the system's, the same). A descriptor that is
   not a socket of ours, a pid that is not our child, is dropped and logged;
   one child that ended meanwhile is reaped by the caller. */
static void dropped(const char *what, unsigned long n)
{
	char x[24];
	ub_fmtu(x, n);
	ub_warnsys("drop ", what, x, " of the old state", (char *)0);
}

void adopt(void)
{
	const struct conn *was = (const struct conn *)(SCRATCH + sizeof(struct hdr));
	for (unsigned k = 0; table && k < UB_MAXCONN; k++) {
		unsigned i;
		struct conn *c;
		siginfo_t si;
		if (was[k].state == FREE)
			continue;
		errno = EPROTOTYPE;
		if (was[k].state == CHILD ? waitid(P_PID, (id_t)was[k].pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0
		    : ub_sockopt(was[k].fd, SO_TYPE) != S.type) {
			int e = errno;
			dropped(was[k].state == CHILD ? "pid " : "fd ", (unsigned long)(was[k].state == CHILD ? was[k].pid : was[k].fd));
			/* a socket we cannot keep is closed, so that its client sees
			   the end rather than wait for ever; what is no socket at all
			   (ENOTSOCK: maybe our own, opened since) or none (EBADF) stays */
			if (was[k].state == BUILTIN && e != ENOTSOCK && e != EBADF)
				close(was[k].fd);
			continue;
		}
		i = conn_new();
		c = &conns[i];
		*c = was[k];
		c->rests = 0;   /* awake: watched below */
		if (c->state != BUILTIN)
			continue;
		if (c->slot != NOSLOT)
			slotused[c->slot] = 1;
		/* out of kernel memory: rest and try again (ub_again), as a
		   connection does, rather than lose it */
		for (unsigned n = 0; epctl(EPOLL_CTL_ADD, c->fd, c->slot != NOSLOT && S.service != PRINT
		                      ? EPOLLOUT : EPOLLIN | EPOLLRDHUP, i) < 0;)
			if (!ub_again(&n)) {
				dropped("fd ", (unsigned long)c->fd);
				conn_free(i);
				break;
			}
	}
}
