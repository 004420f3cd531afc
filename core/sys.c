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
