/* SPDX-License-Identifier: ISC */
/* sys.c: raw system calls where libc's wrappers bring in more than we use
   (musl's set*id synchronise threads we never start; its socket-option and
   recvmsg wrappers convert 32-bit time stamps we never ask for). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "core.h"

/* the kernel's sigset: 64 signals, or 128 on MIPS */
#define SIGSETSIZE (8UL * ((_NSIG + 62) / 64))

#ifdef SYS_setuid32
#define NR_setuid SYS_setuid32
#define NR_setgid SYS_setgid32
#define NR_setgroups SYS_setgroups32
#define NR_setfsuid SYS_setfsuid32
#define NR_setfsgid SYS_setfsgid32
#else
#define NR_setuid SYS_setuid
#define NR_setgid SYS_setgid
#define NR_setgroups SYS_setgroups
#define NR_setfsuid SYS_setfsuid
#define NR_setfsgid SYS_setfsgid
#endif

/* Supplementary groups first, then the gid, then the uid; -1 on any failure.
   UB_NOID, the one value no id can take, means "leave it". */
int ub_setids(uid_t uid, gid_t gid)
{
	if (gid != UB_NOID
	    && (syscall(NR_setgroups, 1, &gid) < 0 || syscall(NR_setgid, gid) < 0))
		return -1;
	if (uid != UB_NOID && syscall(NR_setuid, uid) < 0)
		return -1;
	return 0;
}

/* The ids that new files get (bind makes its socket file as fsuid:fsgid), so
   that a file is its owner's from its first instant. The kernel answers a
   refused change with the old id, so each is read back. Leaving fsuid 0 drops
   the file capabilities from the effective set; they are taken back from the
   permitted set, so that root still creates in directories only root may
   write. -1 with EPERM when an id did not take. */
/* setfsuid and setfsgid never fail: they return the old id, which on a
   32-bit target libc reads as an error when it is within 4095 of 2^32; the
   id is then minus errno. */
static unsigned fsid(long nr, unsigned id)
{
	long r;
	syscall(nr, id);
	r = syscall(nr, UB_NOID);   /* no change: just the id now */
	return r == -1 ? (unsigned)-errno : (unsigned)r;
}

int ub_fsids(uid_t uid, gid_t gid)
{
	struct { unsigned version; int pid; } h = { 0x20080522, 0 };  /* v3 */
	struct { unsigned eff, perm, inh; } d[2];
	if ((gid != UB_NOID && fsid(NR_setfsgid, gid) != gid)
	    || (uid != UB_NOID && fsid(NR_setfsuid, uid) != uid))
		goto refused;
	if (!syscall(SYS_capget, &h, d)) {
		d[0].eff = d[0].perm;
		d[1].eff = d[1].perm;
		syscall(SYS_capset, &h, d);
	}
	return 0;
refused:
	errno = EPERM;
	return -1;
}

/* fork(2) without libc's at-fork locking, which a single-threaded program
   does not need: clone with only the exit signal is a fork on every arch. */
pid_t ub_fork(void)
{
	pid_t p;
	do p = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0); while (p < 0 && errno == EINTR);
	return p;
}

int ub_getsockopt(int fd, int level, int name, void *v, socklen_t *len)
{
	int r;
	do r = (int)syscall(SYS_getsockopt, fd, level, name, v, len); while (r < 0 && errno == EINTR);
	return r;
}

/* A shortage the kernel gets over (of memory, of its file table): 1 after a
   tenth of a second's rest, at most UB_AGAIN times in a row (*n counts
   them); 0 for any other error. Start-up rests rather than dies of it: an
   upgrade's new image is the service, and nobody restarts it. */
int ub_again(unsigned *n)
{
	if ((errno != ENOMEM && errno != ENOBUFS && errno != ENFILE) || ++*n > UB_AGAIN)
		return 0;
	poll(0, 0, 100);
	return 1;
}

/* A SOL_SOCKET option that is an int (the kernel's never -1), or -1. */
int ub_sockopt(int fd, int name)
{
	int v;
	socklen_t l = sizeof v;
	for (unsigned n = 0; ub_getsockopt(fd, SOL_SOCKET, name, &v, &l) < 0;)
		if (!ub_again(&n))
			return -1;
	return v;
}

/* openat, socket, accept4, pipe2 and signalfd as the kernel has them: libc's
   wrappers carry fallbacks for kernels older than ours and cancellation
   points for threads we never start, at a hundred bytes or more each. */
int ub_openat(int dir, const char *path, int flags)
{
	int r;
	do r = (int)syscall(SYS_openat, dir, path, flags | O_LARGEFILE, 0644); while (r < 0 && errno == EINTR);
	return r;
}

int ub_socket(int type)
{
	return (int)syscall(SYS_socket, AF_UNIX, type | SOCK_CLOEXEC, 0);
}

int ub_accept(int fd, struct sockaddr_un *sa, socklen_t *len, int flags)
{
	return (int)syscall(SYS_accept4, fd, sa, len, flags);
}

int ub_pipe(int p[2], int flags)
{
	return (int)syscall(SYS_pipe2, p, flags);
}

int ub_signalfd(const sigset_t *set)
{
	return (int)syscall(SYS_signalfd4, -1, set, SIGSETSIZE, O_NONBLOCK | O_CLOEXEC);
}

int ub_sigmask(int how, const sigset_t *set)
{
	return (int)syscall(SYS_rt_sigprocmask, how, set, 0, SIGSETSIZE);
}

int ub_epoll_wait(int ep, struct epoll_event *ev, int n, int ms)
{
	return (int)syscall(SYS_epoll_pwait, ep, ev, n, ms, 0, SIGSETSIZE);
}

/* fchdir(2) with no libc fallback through /proc for an O_PATH descriptor,
   which every kernel we run on takes as it is */
int ub_fchdir(int fd)
{
	int r;
	do r = (int)syscall(SYS_fchdir, fd); while (r < 0 && errno == EINTR);
	return r;
}

ssize_t ub_readlink(const char *path, char *buf, size_t n)
{
	return syscall(SYS_readlinkat, AT_FDCWD, path, buf, n);
}

/* fcntl(2) as the kernel has it: libc's adds cases we never use. */
int ub_fcntl(int fd, int cmd, long arg)
{
#ifdef SYS_fcntl64
	return (int)syscall(SYS_fcntl64, fd, cmd, arg);
#else
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
#endif
}

/* The soft limit of descriptors (prlimit64 is the one call every arch has). */
unsigned long long ub_nofile(void)
{
	unsigned long long rl[2];
	if (syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, rl) < 0)
		return 1024;
	return rl[0];
}

int ub_setsockopt(int fd, int level, int name, const void *v, socklen_t len)
{
	return (int)syscall(SYS_setsockopt, fd, level, name, v, len);
}

ssize_t ub_recvmsg(int fd, struct msghdr *m, int flags)
{
	return syscall(SYS_recvmsg, fd, m, flags);
}

/* Reset one signal to its default disposition, real-time signals included:
   libc refuses the few it keeps for itself, but an ignored one inherited
   from a glibc parent (posix_spawn leaves 32 and 33 so) would pass on to
   PROG. An all-zero kernel sigaction is SIG_DFL, no flags, empty mask on
   every architecture; the mask size is the kernel's sigset_t. */
void ub_sigdefault(int sig)
{
	ub_sigignore(sig, 0);
}

/* The kernel's struct sigaction, as words: the handler and the flags (MIPS
   puts the flags first), a restorer where the arch has one, then the mask. */
#if defined __mips__
enum { K_FLAGS, K_HANDLER, K_MASK };
#elif defined __riscv
enum { K_HANDLER, K_FLAGS, K_MASK };
#else
enum { K_HANDLER, K_FLAGS, K_RESTORER, K_MASK };
#define HAS_RESTORER 1
#endif

/* The same, to ignore (on) or to default (off). */
void ub_sigignore(int sig, int on)
{
	unsigned long k[16] = { 0 };
	k[K_HANDLER] = (unsigned long)on;   /* SIG_IGN is 1 */
	syscall(SYS_rt_sigaction, sig, k, 0, SIGSETSIZE);
}

/* Catch sig with h, which must end the process through ub_sigdie: the
   disposition is back to the default as h is entered (SA_RESETHAND), and
   every signal waits while h runs, sig too, so that a second one (kill to a
   process and to its group, as timeout(1) does) cannot end us at its
   default before h has cleaned up. h never returns, so the restorer, which
   some kernels insist on having, is never called: h stands in for it.
   libc's sigaction costs more than half a kilobyte, for locks and restorers
   we never need. */
void ub_sigcatch(int sig, void (*h)(int))
{
	unsigned long k[16] = { 0 };
	/* one inherited as ignored (nohup, a background job) stays ignored */
	if (!syscall(SYS_rt_sigaction, sig, 0, k, SIGSETSIZE) && k[K_HANDLER] == 1)
		return;
	memset(k, 0, sizeof k);
	k[K_HANDLER] = (unsigned long)h;
	k[K_FLAGS] = SA_RESETHAND;
#ifdef HAS_RESTORER
	k[K_FLAGS] |= 0x04000000;   /* SA_RESTORER */
	k[K_RESTORER] = (unsigned long)h;
#endif
	memset(k + K_MASK, 0xff, SIGSETSIZE);
	syscall(SYS_rt_sigaction, sig, k, 0, SIGSETSIZE);
}

/* The end of a handler of ub_sigcatch's: sig again, at its default now, then
   let through (bit sig-1 of the first word, on every arch), which ends us.
   kill, not raise: a vfork child shares the thread data. */
void ub_sigdie(int sig)
{
	unsigned long m[16 / sizeof(long)] = { 1UL << (sig - 1) };   /* room for MIPS's 128 */
	kill(getpid(), sig);
	syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, m, 0, SIGSETSIZE);
	_exit(128 + sig);   /* the init of a pid namespace ignores its own kill */
}

/* TERM, INT and QUIT held while a file is made and noted as ours (on, the
   mask before saved in was), then the mask as it was: a handler never runs
   between the two, to leave a file it cannot know is ours. */
void ub_hold(unsigned long *was, int on)
{
	unsigned long m[UB_MASKW] = { 1UL << (SIGTERM - 1) | 1UL << (SIGINT - 1) | 1UL << (SIGQUIT - 1)
		| 1UL << (SIGHUP - 1) };
	syscall(SYS_rt_sigprocmask, on ? SIG_BLOCK : SIG_SETMASK, on ? m : was, on ? was : 0, SIGSETSIZE);
}
