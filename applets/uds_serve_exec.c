/* SPDX-License-Identifier: ISC */
/* uds_serve_exec.c: uds-serve -x, the exec service (s6-sudod's part). Each
   admitted client gets a session process of its own, forked like a PROG
   child and counted like one for -c and -C: it reads the request, runs the
   command on the client's descriptors, and sends back its wait status. A
   process per session keeps the received descriptors out of the server (and
   so out of every other child), and keeps the loop as it is. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include "uds_serve.h"

static char *av[UB_EXECARGS + 1];

static void __attribute__((noreturn)) drop(const char *why)
{
	ub_info("exec request dropped: ", why, (char *)0);   /* then the child's exit 100 */
	_exit(UB_EXIT_USAGE);
}

/* The command, in a child of the session: the client's descriptors as 0-2
   (all above 2 by now, so no dup2 overwrites another), as a PROG child.
   An exec failure goes back through the pipe as its errno. */
static void __attribute__((noreturn)) command(const int fds[3], int p)
{
	unsigned char e;
	for (int i = 0; i < 3; i++)
		while (dup2(fds[i], i) < 0)
			if (errno != EINTR)
				goto fail;
	prog_exec(av);
fail:
	e = (unsigned char)(errno ? errno : EINVAL);
	ub_writeall(p, &e, 1);
	_exit(UB_EXIT_SYS);   /* the session says why: our stderr is the client's */
}

/* The command's wait status once it has ended, else -1 (no status is -1). */
static int reap(pid_t pid)
{
	int st;
	pid_t r;
	do r = waitpid(pid, &st, WNOHANG); while (r < 0 && errno == EINTR);
	return r == pid ? st : -1;
}

/* A failure of ours, not the client's: said without -v, and told to the
   client as the errno byte, as a command that cannot start is. */
static void __attribute__((noreturn)) fail(int fd, const char *what)
{
	unsigned char e = (unsigned char)errno;
	ub_writeall(fd, &e, 1);
	ub_diesys(UB_EXIT_SYS, what, (char *)0);
}

/* The signals that came: 1 if one says stop (the server's HUP or QUIT sends
   TERM, its death PR_SET_PDEATHSIG's TERM; INT, QUIT, HUP from anyone), not
   CHLD, PIPE or a USR2 meant for the server (killall -USR2 uds-serve). */
static int stopsig(void)
{
	struct signalfd_siginfo si;
	int stop = 0;
	while (read(S.sigfd, &si, sizeof si) == sizeof si)
		stop |= si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT
		     || si.ssi_signo == SIGQUIT || si.ssi_signo == SIGHUP;
	return stop;
}

void __attribute__((noreturn)) exec_session(int fd)
{
	struct ub_sudoreq r;
	struct pollfd pf[2] = { { .fd = S.sigfd, .events = POLLIN }, { .fd = fd } };
	int fds[3], fl[3], p[2], gone, ms = S.idle ? (int)S.idle : -1;   /* at most INT_MAX */
	unsigned k = 0;
	unsigned char st[4], e = 0;
	ssize_t n;
	pid_t pid;
	/* the server's death is a TERM; if it died before this, it is no
	   longer our parent */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != S.mainpid)
		drop("the server stopped");
	/* nothing of the server's but our connection, signals and log */
	ub_closefds((const int[]){ fd, S.sigfd, ub_logfd }, 3, 0);
	if (ub_writeall(fd, ub_sudo_banner_s, 15) < 0)
		drop("the client left");
	n = ub_sudo_recv(fd, SCRATCH, UB_EXECMAX, fds, ms, S.sigfd, stopsig);
	if (n < 0) {
		if (errno == ECANCELED)
			drop("the server stopped");
		if (errno == EPROTO)
			drop("malformed");
		if (errno == ETIMEDOUT || errno == EPIPE || errno == ECONNRESET)
			drop("the client left, or sent nothing in time");
		ub_diesys(UB_EXIT_SYS, "unable to read an exec request", (char *)0);
	}
	if (ub_sudo_parse(SCRATCH + 6, (size_t)n, &r) < 0)
		goto bad;
	for (char **a = S.prog; *a && k < UB_EXECARGS; a++)
		av[k++] = *a;
	for (const char *a = r.args; r.argc; r.argc--, a += strlen(a) + 1) {
		if (k == UB_EXECARGS)
			goto bad;
		av[k++] = (char *)a;
	}
	av[k] = 0;
	ub_env_merge(r.env, r.envlen);
	for (int i = 0; i < 3; i++)
		if ((fl[i] = ub_fcntl(fds[i], F_GETFL, 0)) < 0)
			fail(fd, "unable to read a descriptor's flags");
	if (!ub_sudo_fdsok(fl[0], fl[1], fl[2])) {
		e = EBADF;
		ub_writeall(fd, &e, 1);
		ub_info("exec request refused: a descriptor is not what fd 0, 1 or 2 must be", (char *)0);
		_exit(UB_EXIT_USAGE);
	}
	/* decided: from here on the command runs, and a server's TERM or death
	   leaves it to finish, as it does a PROG */
	prctl(PR_SET_PDEATHSIG, 0);
	if (stopsig() || getppid() != S.mainpid)
		drop("the server stopped");
	for (int i = 0; i < 3; i++)
		if (fds[i] < 3 && (fds[i] = ub_fcntl(fds[i], F_DUPFD_CLOEXEC, 3)) < 0)
			fail(fd, "unable to move a descriptor");   /* the old one closes with us */
	if (ub_pipe(p, O_CLOEXEC) < 0)
		fail(fd, "unable to create a pipe");
	pid = ub_fork();
	if (!pid)
		command(fds, p[1]);
	if (pid < 0)
		fail(fd, "unable to fork");
	close(p[1]);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	if (ub_read(p[0], &e, 1) != 1)
		e = 0;   /* the pipe closed on its exec: the command runs */
	gone = ub_writeall(fd, &e, 1) < 0;
	if (e) {   /* not started: the child is on its way out */
		reap(pid);
		errno = e;
		ub_diesys(UB_EXIT_SYS, "unable to exec ", av[0], (char *)0);
	}
	if (gone)
		stop(pid);
	for (;;) {
		int status;
		pf[1].fd = gone ? -1 : fd;
		if (poll(pf, 2, -1) < 0)
			continue;
		if (pf[1].revents) {   /* POLLHUP or POLLERR: the client is gone */
			gone = 1;
			stop(pid);
		}
		if (!(pf[0].revents & POLLIN))
			continue;
		if (stopsig())
			stop(pid);
		if ((status = reap(pid)) != -1) {
			ub_put32(st, (unsigned)status);
			if (!gone)
				ub_writeall(fd, st, 4);
			_exit(0);
		}
	}
bad:
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	drop("malformed");
}
