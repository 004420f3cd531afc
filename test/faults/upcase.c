/* SPDX-License-Identifier: ISC */
/* upcase.c: the PROG of the fault-injection harness's PROG workload: copy
 * stdin to stdout with a-z mapped to A-Z, as `tr a-z A-Z` does.
 *
 * Why not tr: strace -f injects into every process of the server side, PROG
 * included, and a dynamically linked tr meets the fault in ld.so or libc
 * (an EINTR from the loader's read is fatal to it). That would blame
 * uds-serve for another program's error path. This one is static (no loader)
 * and rides out anything an injection can give it: EINTR is retried, EAGAIN
 * waits in poll, short writes are finished. So a run's outcome is uds-serve's.
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

static int waitfd(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };
	return poll(&p, 1, -1);   /* an EINTR here just means one more try */
}

/* After a failed read or write: wait if it would block; 1 to try again. */
static int again(int fd, short ev)
{
	int e = errno;
	if (e == EAGAIN)
		waitfd(fd, ev);
	return e == EAGAIN || e == EINTR;
}

int main(void)
{
	static char buf[16384];
	for (;;) {
		ssize_t r = read(0, buf, sizeof buf), off = 0;
		if (r < 0) {
			if (!again(0, POLLIN))
				return 111;
			continue;
		}
		if (!r)
			return 0;
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] = (char)(buf[i] - 32);
		while (off < r) {
			ssize_t w = write(1, buf + off, (size_t)(r - off));
			if (w < 0) {
				if (!again(1, POLLOUT))
					return 111;
				continue;
			}
			off += w;
		}
	}
}
