/* sys.c: raw system calls where libc's wrappers bring in more than we use
   (musl's set*id synchronise threads we never start; its socket-option and
   recvmsg wrappers convert 32-bit time stamps we never ask for). */
#include <signal.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "core.h"

#ifdef SYS_setuid32
#define NR_setuid SYS_setuid32
#define NR_setgid SYS_setgid32
#define NR_setgroups SYS_setgroups32
#else
#define NR_setuid SYS_setuid
#define NR_setgid SYS_setgid
#define NR_setgroups SYS_setgroups
#endif

/* Supplementary groups first, then the gid, then the uid; -1 on any failure. */
int ub_setids(long uid, long gid)
{
	if (gid >= 0) {
		gid_t g = (gid_t)gid;
		if (syscall(NR_setgroups, 1, &g) < 0 || syscall(NR_setgid, g) < 0)
			return -1;
	}
	if (uid >= 0 && syscall(NR_setuid, (uid_t)uid) < 0)
		return -1;
	return 0;
}

/* fork(2) without libc's at-fork locking, which a single-threaded program
   does not need: clone with only the exit signal is a fork on every arch. */
pid_t ub_fork(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

int ub_getsockopt(int fd, int level, int name, void *v, socklen_t *len)
{
	return (int)syscall(SYS_getsockopt, fd, level, name, v, len);
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
	unsigned long long zero[8] = { 0 };
	syscall(SYS_rt_sigaction, sig, zero, 0, 8 * ((_NSIG + 62) / 64));
}
