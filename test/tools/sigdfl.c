/* SPDX-License-Identifier: ISC */
/* sigdfl.c: run a command with every signal at its default disposition and
 * an empty signal mask, as init would start it.
 *
 * usage: sigdfl COMMAND [ARG...]
 *
 * test/run.sh starts each suite through it. A parent such as GNU make (glibc
 * posix_spawn) can leave real-time signals 32 and 33 ignored; uds-serve resets
 * them for its children, but under qemu-user the emulator keeps the host's
 * disposition of the signals it reserves for itself, which the emulated
 * server cannot reach. Starting clean makes the suites' view of PROG's signal
 * state the same on every target. libc refuses 32 and 33, hence the raw call.
 * The real-kernel VMs run it on the target: the kernel's signal set is
 * _NSIG / 8 bytes there (16 on MIPS, with signals up to 127), not always 8.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	unsigned long long zero[8];
	sigset_t none;
	memset(zero, 0, sizeof zero);
	if (argc < 2) {
		fputs("usage: sigdfl COMMAND [ARG...]\n", stderr);
		return 100;
	}
	for (int s = 1; s < _NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			syscall(SYS_rt_sigaction, s, zero, (void *)0, _NSIG / 8);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, 0);
	execvp(argv[1], argv + 1);
	perror("sigdfl: exec");
	return 127;
}
