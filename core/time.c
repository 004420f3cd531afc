/* SPDX-License-Identifier: ISC */
/* time.c: a monotonic clock in milliseconds. */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "core.h"

/* The system call, not libc's vDSO look-up, which costs more bytes than all
   of this file; the clock is read only when a timeout needs it. 32-bit
   targets take the 64-bit time call, whose timespec is two 64-bit words. */
unsigned long long ub_now(void)
{
	long long ts[2];
	/* it fails only as an emulator or strace makes it: EINTR, then again */
#ifdef SYS_clock_gettime64
	while (syscall(SYS_clock_gettime64, CLOCK_MONOTONIC, ts) < 0 && errno == EINTR)
#else
	while (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, ts) < 0 && errno == EINTR)
#endif
		;
	/* nsec / 10^6 as a multiply and shift (exact to within 1 ms): no division */
	return (unsigned long long)ts[0] * 1000
	     + (((unsigned long long)ts[1] * 1125899907ULL) >> 50);
}
