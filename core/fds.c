/* SPDX-License-Identifier: ISC */
/* fds.c: every descriptor above 2 but a few closed (or made close-on-exec),
   for a process that must hold nothing it was not meant to. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "core.h"

static int kept(unsigned fd, const int *keep, unsigned n)
{
	while (n--)
		if ((unsigned)keep[n] == fd)
			return 1;
	return 0;
}

static void one(unsigned fd, const int *keep, unsigned n, int cloexec)
{
	if (fd > 2 && !kept(fd, keep, n)) {
		if (cloexec)
			ub_fcntl((int)fd, F_SETFD, FD_CLOEXEC);
		else
			close((int)fd);
	}
}

/* close_range (Linux 5.11; CLOSE_RANGE_CLOEXEC is 4) over the gaps between
   the kept ones; without it (ENOSYS: an old kernel, an emulator), every one
   that /proc lists; without /proc, every one below the limit. */
void ub_closefds(const int *keep, unsigned n, int cloexec)
{
	unsigned long long lim;
	long got;
	int d;
#ifdef SYS_close_range
	for (unsigned lo = 3;;) {
		unsigned hi = ~0U;
		for (unsigned i = 0; i < n; i++)
			if ((unsigned)keep[i] >= lo && (unsigned)keep[i] < hi)
				hi = (unsigned)keep[i];
		if (hi > lo && syscall(SYS_close_range, lo, hi - 1, cloexec ? 4U : 0U) < 0)
			break;
		if (hi == ~0U)
			return;
		lo = hi + 1;
	}
#endif
	d = ub_open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d >= 0) {
		while ((got = syscall(SYS_getdents64, d, ub_scratch, UB_IOBUF)) > 0)
			for (long off = 0; off < got;) {
				/* linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
				unsigned short len;
				unsigned long fd;
				memcpy(&len, ub_scratch + off + 16, sizeof len);
				if (!ub_ulong((char *)ub_scratch + off + 19, &fd) && fd != (unsigned)d)
					one((unsigned)fd, keep, n, cloexec);
				off += len;
			}
		close(d);
		return;
	}
	lim = ub_nofile();
	for (unsigned fd = 3; fd < (lim < 1 << 20 ? lim : 1 << 20); fd++)
		one(fd, keep, n, cloexec);
}
