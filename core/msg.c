/* SPDX-License-Identifier: ISC */
/* msg.c: one-line diagnostics, each written with a single write(2). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "core.h"

const char *ub_prog = "udsbox";
int ub_verbosity = 1;
void (*ub_atexit)(void);

/* Short lowercase reasons for the errors a socket tool meets; others by
   number. Packed as one string, each reason led by its code, to stay small. */
static const unsigned char codes[] = {
	EPERM,
	ENOENT,
	EINTR,
	EIO,
	ENOEXEC,
	EBADF,
	EAGAIN,
	ENOMEM,
	EACCES,
	EEXIST,
	ENOTDIR,
	EISDIR,
	EINVAL,
	ENFILE,
	EMFILE,
	ENOSPC,
	EROFS,
	EPIPE,
	ENAMETOOLONG,
	ELOOP,
	ENOTSOCK,
	EPROTOTYPE,
	EADDRINUSE,
	ECONNRESET,
	ENOBUFS,
	ETIMEDOUT,
	ECONNREFUSED,
};
static const char reasons[] =
	"not permitted\0"
	"no such file or directory\0"
	"interrupted\0"
	"i/o error\0"
	"exec format error\0"
	"bad file descriptor\0"
	"busy, try again\0"
	"out of memory\0"
	"permission denied\0"
	"file exists\0"
	"not a directory\0"
	"is a directory\0"
	"invalid argument\0"
	"too many open files\0"
	"too many open files\0"
	"no space left\0"
	"read-only file system\0"
	"broken pipe\0"
	"name too long\0"
	"too many symlinks\0"
	"not a socket\0"
	"wrong socket type\0"
	"address in use\0"
	"connection reset\0"
	"no buffer space\0"
	"timed out\0"
	"connection refused\0";

const char *ub_errstr(int e)
{
	static char num[24] = "error ";
	const char *s = reasons;
	for (size_t i = 0; i < sizeof codes; i++, s += strlen(s) + 1)
		if (codes[i] == e)
			return s;
	ub_fmtu(num + 6, (unsigned long)(unsigned)e);
	return num;
}

/* After ub_lognb, stderr is written without ever waiting: a line that finds
   it full (a reader that stalls) is dropped and counted, so that a log never
   holds up a server. */
int ub_logfd = -1;
static unsigned long dropped;

/* A pipe or a terminal is opened again for ourselves, non-blocking: setting
   O_NONBLOCK on fd 2 itself would change it for every process that shares
   it. A socket takes MSG_DONTWAIT; a file never blocks for long. Without
   /proc, a line is written only when poll says it fits. */
int ub_nbopen(int fd)
{
	struct ub_file f;
	char path[] = "/proc/self/fd/1";   /* fd is 1 or 2 */
	if (!ub_statat(fd, "", &f) && (f.type == S_IFIFO || f.type == S_IFCHR)) {
		int nb;
		path[14] = (char)('0' + fd);
		nb = ub_open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (nb >= 0)
			return nb;
	}
	return fd;
}

void ub_lognb(void)
{
	ub_logfd = ub_nbopen(2);
}

static int lognb(const char *buf, size_t n)
{
	return ub_trywrite(ub_logfd, buf, n) < 0 ? -1 : 0;
}

/* parts ends with NULL; the line is cut, never overflowed, at UB_MSGMAX. */
static size_t line(char *buf, const char *const *parts)
{
	size_t n = 0;
	for (; *parts; parts++)
		for (const char *s = *parts; *s && n < UB_MSGMAX - 1; s++)
			buf[n++] = *s;
	buf[n++] = '\n';
	return n;
}

void ub_putfd(int fd, const char *const *parts)
{
	char buf[UB_MSGMAX], num[24];
	size_t n = line(buf, parts);
	if (fd != 2 || ub_logfd < 0) {
		ub_writeall(fd, buf, n);
		return;
	}
	if (dropped) {
		char d[UB_MSGMAX];
		size_t dn;
		ub_fmtu(num, dropped);
		dn = line(d, (const char *[]){ ub_prog, ": warning: ", num,
		                               " log lines dropped: stderr was full", 0 });
		if (lognb(d, dn) < 0) {
			dropped++;
			return;
		}
		dropped = 0;
	}
	if (lognb(buf, n) < 0)
		dropped++;
}

/* Collect the variadic strings into parts[] after a prefix. */
static void vmsg(const char *kind, const char *first, va_list ap, const char *tail)
{
	const char *parts[16];
	int n = 0;
	parts[n++] = ub_prog;
	parts[n++] = kind;
	for (const char *s = first; s && n < 13; s = va_arg(ap, const char *))
		parts[n++] = s;
	if (tail) {
		parts[n++] = ": ";
		parts[n++] = tail;
	}
	parts[n] = 0;
	ub_putfd(2, parts);
}

void ub_die(int code, ...)
{
	va_list ap;
	va_start(ap, code);
	vmsg(": fatal: ", va_arg(ap, const char *), ap, 0);
	va_end(ap);
	if (ub_atexit)
		ub_atexit();
	_exit(code);
}

void ub_diesys(int code, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, code);
	if (code != UB_EXIT_NOSERVER || ub_verbosity)
		vmsg(": fatal: ", va_arg(ap, const char *), ap, ub_errstr(e));
	va_end(ap);
	if (ub_atexit)
		ub_atexit();
	_exit(code);
}

void ub_warnsys(const char *s, ...)
{
	int e = errno;
	va_list ap;
	if (!ub_verbosity)
		return;
	va_start(ap, s);
	vmsg(": warning: ", s, ap, ub_errstr(e));
	va_end(ap);
	errno = e;
}

void ub_info(const char *s, ...)
{
	va_list ap;
	if (ub_verbosity < 2)
		return;
	va_start(ap, s);
	vmsg(": info: ", s, ap, 0);
	va_end(ap);
}

/* What both applets' --help say alike is here once: -T, the addresses and
   the exit codes. */
#ifndef UB_HELP_SHORT
void ub_usage(const char *help, const char *mid, const char *tail)
{
	ub_out(help);
	ub_out("-T stream|seqpacket|dgram  socket type (stream)\n"
	       "addresses: PATH (107 bytes at most) or @NAME (abstract)\n");
	ub_out(mid);
	ub_out("exit: 0 ok, 100 usage, 111 system error");   /* tail goes on */
	ub_out(tail);
	_exit(0);
}
#else
void (ub_usage)(const char *help)
{
	ub_out(help);
	_exit(0);
}
#endif

void ub_out(const char *s)
{
	ub_writeall(1, s, strlen(s));
}
