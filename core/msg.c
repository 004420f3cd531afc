/* msg.c: one-line diagnostics, each written with a single write(2). */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include "core.h"

const char *ub_prog = "udsbox";
int ub_verbosity = 1;

/* Short lowercase reasons for the errors a socket tool meets; others by number. */
static const struct { unsigned char e; char s[26]; } errs[] = {
	{ EPERM, "operation not permitted" }, { ENOENT, "no such file or directory" },
	{ ESRCH, "no such process" }, { EINTR, "interrupted" }, { EIO, "i/o error" },
	{ E2BIG, "argument list too long" }, { ENOEXEC, "exec format error" },
	{ EBADF, "bad file descriptor" }, { EAGAIN, "resource unavailable" },
	{ ENOMEM, "out of memory" }, { EACCES, "permission denied" },
	{ EEXIST, "file exists" }, { ENOTDIR, "not a directory" },
	{ EISDIR, "is a directory" }, { EINVAL, "invalid argument" },
	{ ENFILE, "too many open files" }, { EMFILE, "too many open files" },
	{ ENOSPC, "no space left" }, { EROFS, "read-only file system" },
	{ EPIPE, "broken pipe" }, { ENAMETOOLONG, "name too long" },
	{ ELOOP, "too many symlinks" }, { ENOTSOCK, "not a socket" },
	{ EPROTOTYPE, "wrong socket type" }, { EAFNOSUPPORT, "not supported" },
	{ EADDRINUSE, "address in use" }, { ECONNRESET, "connection reset" },
	{ ENOBUFS, "no buffer space" }, { EISCONN, "already connected" },
	{ ENOTCONN, "not connected" }, { ETIMEDOUT, "timed out" },
	{ ECONNREFUSED, "connection refused" }, { ECHILD, "no child process" },
	{ ENOSYS, "not implemented" }, { ETXTBSY, "text file busy" },
};

const char *ub_errstr(int e)
{
	static char num[24] = "error ";
	for (size_t i = 0; i < sizeof errs / sizeof *errs; i++)
		if (errs[i].e == e)
			return errs[i].s;
	ub_fmtu(num + 6, (unsigned long)e);
	return num;
}

/* parts ends with NULL; the line is cut, never overflowed, at UB_MSGMAX. */
void ub_putfd(int fd, const char *const *parts)
{
	char buf[UB_MSGMAX];
	size_t n = 0;
	for (; *parts; parts++)
		for (const char *s = *parts; *s && n < sizeof buf - 1; s++)
			buf[n++] = *s;
	buf[n++] = '\n';
	ub_writeall(fd, buf, n);
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

void ub_usage(const char *usage)
{
	ub_out(usage);
	_exit(0);
}

void ub_out(const char *s)
{
	ub_writeall(1, s, strlen(s));
}
