/* uds_serve_upgrade.c: uds-serve's live upgrade. SIGUSR2 executes the binary
   again, from its path, in this same process. The new image takes the
   listening socket as socket activation does (fd 3, LISTEN_PID, LISTEN_FDS),
   the built-in connections at their own descriptor numbers (accepted without
   close-on-exec: no PROG runs beside them), and the rest from a memfd named
   by UPGRADE_VAR: a header (a tag of the layout, the socket file and the
   pidfile as they were noted), the connection table, children included,
   and the slots (replies parked for slow readers, print's lines begun). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include "uds_serve.h"

#define POOLSIZE ((size_t)UB_PENDSLOTS * UB_PENDSIZE)
_Static_assert(sizeof conns <= UB_IOBUF, "the table is read back into SCRATCH");

/* Called between events, never from inside one (print_out reads signals
   while a line is half written). If the exec fails, all is as it was: fd 3
   is put back, the mask was never changed, spawn resets the environment.
   The memfd holds the socket file and the pidfile as noted (S.sock and
   S.pidf, side by side), the table, the slots; its size tells a build
   of another layout. */
void upgrade(void)
{
	char n[24], *lpid = (char *)SCRATCH, *var = lpid + 32;
	int m, t;
	S.upgrade = 0;
	if ((m = (int)syscall(SYS_memfd_create, "uds-serve", 0)) < 0
	    || ub_writeall(m, &S.sock, 2 * sizeof S.sock) < 0 || ub_writeall(m, conns, sizeof conns) < 0
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
	dup2(S.lfd, 3);
	ub_fcntl(3, F_SETFD, 0);
	execve(S.exe, ub_argv, ub_env_get());
	syscall(SYS_dup3, t, 3, O_CLOEXEC);   /* these keep errno: they do not fail */
	close(t);
out:
	ub_warnsys("unable to re-exec ", *S.exe ? S.exe : ub_argv[0], (char *)0);
	close(m);
}

static int table;   /* the old table is in SCRATCH */

static void own(struct ub_entry *e, const struct ub_entry *was, const char *path)
{
	if (was->made && !ub_entry_at(e, path)) {
		e->dev = was->dev;
		e->ino = was->ino;
		e->made = 1;
	}
}

/* Are we the new image of an upgrade? Then the socket file and the pidfile
   are ours as they were noted: removed at exit, never made again. The table
   waits in SCRATCH for adopt(); one of another layout is not taken. */
int upgraded(void)
{
	const char *v = ub_getenv(UPGRADE_VAR);
	unsigned long fd;
	struct ub_entry was[2];
	char c;
	if (!v || ub_ulong(v, &fd))
		return 0;
	/* all of it and no more, or it is not of our layout */
	table = read((int)fd, was, sizeof was) == sizeof was
		&& read((int)fd, SCRATCH, sizeof conns) == sizeof conns
		&& read((int)fd, POOL, POOLSIZE) == POOLSIZE && !read((int)fd, &c, 1);
	if (table) {
		own(&S.sock, was, S.addr.text);
		own(&S.pidf, was + 1, S.pidfile);
	} else
		ub_warnsys("unable to take over the old table", (char *)0);
	close((int)fd);
	return 1;
}

/* Once the loop is set up: the connections and children as they were (the
   clock of their idle times is the system's, the same). A child that ended
   meanwhile is reaped by the loop: its SIGCHLD waits, blocked, across the
   exec, as every signal of the loop's set does. */
void adopt(void)
{
	const struct conn *was = (const struct conn *)SCRATCH;
	for (unsigned k = 0; table && k < UB_MAXCONN; k++) {
		unsigned i;
		struct conn *c;
		if (was[k].state == FREE)
			continue;
		i = conn_new();
		c = &conns[i];
		*c = was[k];
		if (c->state != BUILTIN)
			continue;
		if (c->slot != NOSLOT)
			slotused[c->slot] = 1;
		if (epctl(EPOLL_CTL_ADD, c->fd, c->slot != NOSLOT && S.service != PRINT
		          ? EPOLLOUT : EPOLLIN | EPOLLRDHUP, i) < 0)
			conn_free(i);
	}
}
