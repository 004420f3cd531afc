/* SPDX-License-Identifier: ISC */
/* cov_exit.c: for make coverage only. The applets end by _exit(2), or by a
   signal they send themselves (ub_sigdie), never through exit(3), so gcov's
   counters would never be written: linked with --wrap=_exit and --wrap=kill,
   these write them first. */
#include <sys/types.h>
#include <unistd.h>

void __gcov_dump(void);
void __real__exit(int code) __attribute__((noreturn));
int __real_kill(pid_t pid, int sig);

void __wrap__exit(int code)
{
	__gcov_dump();
	__real__exit(code);
}

int __wrap_kill(pid_t pid, int sig)
{
	if (pid == getpid() || pid == 0)
		__gcov_dump();
	return __real_kill(pid, sig);
}
