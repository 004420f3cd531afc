/* SPDX-License-Identifier: ISC */
/* die.c: the harness side of every fuzz target: ub_die and ub_diesys that
   return to fz_call, and the checks' failure report. core/msg.c is built
   with its own ub_die/ub_diesys renamed away (see toolchain/rules-hardening.mk). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

const char *ub_fuzz_passwd = "/etc/passwd", *ub_fuzz_group = "/etc/group";
char fz_msg[UB_MSGMAX + 1];

static jmp_buf jb;
static int armed;

int fz_call(void (*fn)(void *), void *arg)
{
	int code;
	if (armed)
		abort();   /* fz_call does not nest */
	fz_msg[0] = 0;
	code = setjmp(jb);
	if (!code) {
		armed = 1;
		fn(arg);
	}
	armed = 0;
	return code;
}

/* As msg.c's vmsg: the variadic parts up to the NULL, then ": reason". */
static void collect(const char *first, va_list ap, const char *tail)
{
	size_t n = 0;
	for (const char *s = first; s; s = va_arg(ap, const char *))
		for (; *s && n < UB_MSGMAX; s++)
			fz_msg[n++] = *s;
	for (const char *s = tail ? ": " : ""; *s && n < UB_MSGMAX; s++)
		fz_msg[n++] = *s;
	for (const char *s = tail ? tail : ""; *s && n < UB_MSGMAX; s++)
		fz_msg[n++] = *s;
	fz_msg[n] = 0;
}

static void __attribute__((noreturn)) back(int code)
{
	if (!armed) {
		fprintf(stderr, "fuzz: ub_die(%d) outside fz_call: %s\n", code, fz_msg);
		abort();
	}
	if (!code) {
		fprintf(stderr, "fuzz: ub_die with exit code 0: %s\n", fz_msg);
		abort();
	}
	longjmp(jb, code);
}

void ub_die(int code, ...)
{
	va_list ap;
	va_start(ap, code);
	collect(va_arg(ap, const char *), ap, 0);
	va_end(ap);
	back(code);
}

void ub_diesys(int code, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, code);
	collect(va_arg(ap, const char *), ap, ub_errstr(e));
	va_end(ap);
	back(code);
}

char *fz_str(const uint8_t *data, size_t n)
{
	char *s;
	n = strnlen((const char *)data, n);
	s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, data, n);
	s[n] = 0;
	return s;
}

void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "\n%s:%d: check failed: %s\n  ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
