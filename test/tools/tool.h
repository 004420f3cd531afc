/* SPDX-License-Identifier: ISC */
/* tool.h: what the host-side test tools share (the C files beside it include it;
   udsbox never does). Each function is static inline, so a tool that does
   not use one carries no copy of it. */
#ifndef UB_TOOL_H
#define UB_TOOL_H
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

/* "WHO CTX: WHAT", with the reason when sys is set, then exit code. */
static inline void __attribute__((noreturn))
tool_die(const char *who, const char *ctx, int sys, int code, const char *what)
{
	if (sys)
		fprintf(stderr, "%s %s: %s: %s\n", who, ctx, what, strerror(errno));
	else
		fprintf(stderr, "%s %s: %s\n", who, ctx, what);
	exit(code);
}

/* For a time-limit signal handler: one write and out, whatever the tool
   was doing. */
static inline void __attribute__((noreturn)) tool_bail(const char *msg, int code)
{
	if (write(2, msg, strlen(msg)) < 0) { /* nothing more to do */ }
	_exit(code);
}

static inline long long tool_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A path or an @abstract name into *a, its length into *len, as uds-serve
   binds it (abstract: exactly the name, no trailing NUL); -1 if bad. */
static inline int tool_addr(const char *s, struct sockaddr_un *a, socklen_t *len)
{
	size_t n = strlen(s);
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (n == 0 || n >= sizeof a->sun_path)
		return -1;
	memcpy(a->sun_path, s, n);
	if (s[0] == '@')
		a->sun_path[0] = 0;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (s[0] != '@'));
	return 0;
}

/* All of buf to fd, through EINTR and short writes; -1 on error. */
static inline int tool_put(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}
#endif
