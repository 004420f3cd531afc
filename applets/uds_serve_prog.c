/* SPDX-License-Identifier: ISC */
/* uds_serve_prog.c: uds-serve's program per connection (UCSPI-IPC), the
   exec service's session processes, started the same way, and -S's PROG. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include "uds_serve.h"

/* The fixed slots of the child's UCSPI environment. */
static char e_uid[40], e_gid[40], e_pid[40], e_num[40], e_rpath[16 + UB_PATHMAX];
static char e_groups[sizeof "IPCREMOTEGROUPS=" + 11UL * UB_PEERGROUPS];   /* 10 digits and a comma each */
char e_lpath[16 + UB_PATHMAX];

static void envnum(char *buf, const char *key, unsigned long v)
{
	char n[24];
	ub_fmtu(n, v);
	ub_env_set(ub_kv(buf, 40, key, n));
}

/* PROG (with av as its arguments) from a child: the mask the server keeps
   for its signalfd is undone first, so that PROG starts with an empty mask
   and default dispositions. Returns only if the exec failed, with errno. */
void prog_exec(char **av)
{
	sigset_t none;
	sigemptyset(&none);
	ub_sigmask(SIG_SETMASK, &none);
	if (S.progpath)
		execve(S.progpath, av, ub_env_get());
	/* not found at start (it may be there now), or not runnable */
	ub_execvp(av, ub_env_get());
}

/* -S: PROG in this process, on the socket as fd 3, as sd_listen_fds takes
   it: blocking, with no SO_PASSCRED of ours, every other descriptor closed
   by the exec (all are close-on-exec since the start). -B's parent hears
   one byte before the exec, and a second if it failed. */
void activate(int bg)
{
	int zero = 0;
	envnum(e_pid, "LISTEN_PID=", (unsigned long)getpid());
	ub_env_set("LISTEN_FDS=1");
	ub_env_set(e_fdname);
	ub_nonblock(S.lfd, 0);
	ub_logfd = -1;   /* stderr itself from here: our own copy may be at 3 */
	ub_setsockopt(S.lfd, SOL_SOCKET, SO_PASSCRED, &zero, sizeof zero);
	if (dup2(S.lfd, 3) < 0 || ub_fcntl(3, F_SETFD, 0) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to use fd 3", (char *)0);
	ub_writeall(bg, "", 1);   /* without -B, bg is -1: EBADF, nothing */
	prog_exec(S.prog);
	if (bg >= 0)   /* and errno stays the exec's */
		ub_writeall(bg, "", 1);
	ub_diesys(UB_EXIT_SYS, "unable to exec ", S.prog[0], (char *)0);
}

static void __attribute__((noreturn)) child(int fd)
{
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to set up the connection", (char *)0);
	prog_exec(S.prog);
	ub_diesys(UB_EXIT_SYS, "unable to exec ", S.prog[0], (char *)0);
}

void spawn(int fd, const struct ucred *cr, const struct sockaddr_un *sa, socklen_t salen, unsigned n)
{
	pid_t pid;
	unsigned i;
	char path[UB_PATHMAX + 2];
	ub_env_reset();
	ub_env_set("PROTO=IPC");
	envnum(e_uid, "IPCREMOTEEUID=", cr->uid);
	envnum(e_gid, "IPCREMOTEEGID=", cr->gid);
	if (ngroups >= 0) {   /* else unset: not read, which is not none */
		char *g = ub_kv(e_groups, sizeof e_groups, "IPCREMOTEGROUPS=", "") + 16;
		for (int k = 0; k < ngroups; k++) {
			if (k)
				*g++ = ',';
			g = ub_fmtu(g, groups[k]);
		}
		ub_env_set(e_groups);
	}
	envnum(e_pid, "IPCREMOTEPID=", (unsigned long)cr->pid);
	envnum(e_num, "IPCCONNNUM=", n);
	ub_addr_fmt(path, sa, salen);
	ub_env_set(ub_kv(e_rpath, sizeof e_rpath, "IPCREMOTEPATH=", path));
	ub_env_set(e_lpath);
	if (S.exec)   /* a session runs code of ours: a real fork */
		pid = ub_fork();
	else
		do pid = vfork(); while (pid < 0 && errno == EINTR);
	if (!pid) {
		if (S.exec)
			exec_session(fd);
		child(fd);
	}
	close(fd);
	if (pid < 0) {
		ub_warnsys("unable to fork", (char *)0);
		return;
	}
	i = conn_new();
	conns[i] = (struct conn){ .pid = pid, .uid = cr->uid, .fd = -1, .state = CHILD, .slot = NOSLOT };
}
