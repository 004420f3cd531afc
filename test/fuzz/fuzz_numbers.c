/* SPDX-License-Identifier: ISC */
/* fuzz_numbers.c: ub_ulong, ub_octal, ub_duration, ub_getnum, ub_getms and
   ub_fmtu against plain reference parsers; ub_fmtu round trip; ub_errstr.
   Input: the bytes up to the first NUL are the text to parse; the first 8
   bytes, if there are 8, are also a number for ub_fmtu. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

/* Strict unsigned parse: nonempty, digits of base only, no overflow. */
static int ref_digits(const char *s, unsigned base, unsigned long *v)
{
	unsigned __int128 n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s >= (char)('0' + base))
			return -1;
		n = n * base + (unsigned)(*s - '0');
		if (n > ULONG_MAX)
			return -1;
	}
	*v = (unsigned long)n;
	return 0;
}

/* SECS[.FRAC], at least one digit; ms rounded up, at most INT_MAX. */
static int ref_duration(const char *s, unsigned long *ms)
{
	unsigned long long sec = 0, frac = 0;
	int any = 0, nf = 0, up = 0;
	for (; *s >= '0' && *s <= '9'; s++, any = 1)
		if ((sec = sec * 10 + (unsigned)(*s - '0')) > 2147483)
			return -1;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, any = 1, nf++) {
			if (nf < 3)
				frac = frac * 10 + (unsigned)(*s - '0');
			else
				up |= *s != '0';
		}
	}
	for (; nf < 3; nf++)
		frac *= 10;
	if (*s || !any)
		return -1;
	if (sec * 1000 + frac + (unsigned)up > INT_MAX)
		return -1;
	*ms = (unsigned long)(sec * 1000 + frac + (unsigned)up);
	return 0;
}

struct num { char opt; const char *s; unsigned long lo, hi, v; };
static void getnum(void *p) { struct num *n = p; n->v = ub_getnum(n->opt, n->s, n->lo, n->hi); }
static void getms(void *p) { struct num *n = p; n->v = ub_getms(n->opt, n->s); }

static void fmtu(unsigned long long v)
{
	char *buf = malloc(21), want[32];   /* 20 digits and the NUL: exactly */
	unsigned long back;
	char *end = ub_fmtu(buf, v);
	snprintf(want, sizeof want, "%llu", v);
	FZ_CHECK(!strcmp(buf, want), "ub_fmtu(%llu) = \"%s\"", v, buf);
	FZ_CHECK(end == buf + strlen(want), "ub_fmtu(%llu) returned buf+%td", v, end - buf);
	FZ_CHECK(!ub_ulong(buf, &back) && back == v, "ub_ulong(ub_fmtu(%llu)) = %lu", v, back);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_str(data, size);
	unsigned long v = 0, r = 0;
	int got, want;
	struct num n;

	got = ub_ulong(s, &v);
	want = ref_digits(s, 10, &r);
	FZ_CHECK(got == want && (got || v == r), "ub_ulong(\"%s\") = %d, %lu; want %d, %lu", s, got, v, want, r);
	if (!got)
		fmtu(v);

	got = ub_octal(s, &v);
	want = ref_digits(s, 8, &r);
	FZ_CHECK(got == want && (got || v == r), "ub_octal(\"%s\") = %d, %lu; want %d, %lu", s, got, v, want, r);

	got = ub_duration(s, &v);
	want = ref_duration(s, &r);
	FZ_CHECK(got == want && (got || v == r), "ub_duration(\"%s\") = %d, %lu; want %d, %lu", s, got, v, want, r);
#ifndef FUZZ_ALLOW_LONG_DURATION
	/* The applets hand the result to poll(2) and epoll_wait(2) as an int:
	   num.c promises that it fits. */
	FZ_CHECK(got || v <= INT_MAX, "ub_duration(\"%s\") = %lu ms does not fit an int timeout", s, v);
#endif

	/* the applets' ranges: -n 0..1023, -c/-C 1..UB_MAXCONN, -b 1..65535 */
	n = (struct num){ 'c', s, 1, UB_MAXCONN, 0 };
	got = fz_call(getnum, &n);
	want = ref_digits(s, 10, &r) || r < 1 || r > UB_MAXCONN ? UB_EXIT_USAGE : 0;
	FZ_CHECK(got == want && (got || n.v == r), "ub_getnum(c, \"%s\") = exit %d, %lu", s, got, n.v);
	if (got) {
		char m[UB_MSGMAX + 1];
		snprintf(m, sizeof m, "bad number for -c: %s", s);
		FZ_CHECK(!strcmp(fz_msg, m), "ub_getnum message: \"%s\"", fz_msg);
	}
	n = (struct num){ 'n', s, 0, 1023, 0 };
	got = fz_call(getnum, &n);
	want = ref_digits(s, 10, &r) || r > 1023 ? UB_EXIT_USAGE : 0;
	FZ_CHECK(got == want && (got || n.v == r), "ub_getnum(n, \"%s\") = exit %d, %lu", s, got, n.v);

	n = (struct num){ 't', s, 0, 0, 0 };
	got = fz_call(getms, &n);
	want = ref_duration(s, &r) ? UB_EXIT_USAGE : 0;
	FZ_CHECK(got == want && (got || n.v == r), "ub_getms(t, \"%s\") = exit %d, %lu", s, got, n.v);
	if (got)
		FZ_CHECK(!strncmp(fz_msg, "bad duration for -t: ", 21), "ub_getms message: \"%s\"", fz_msg);

	if (size >= 8) {
		unsigned long long u;
		int e;
		memcpy(&u, data, sizeof u);
		fmtu(u);
		fmtu(u >> (u & 63));   /* short numbers as often as long ones */
		/* errno values: nonnegative ints */
		e = (int)(u & INT_MAX);
		const char *m = ub_errstr(e);
		FZ_CHECK(m && *m && strlen(m) < 32, "ub_errstr(%d) = \"%s\"", e, m);
		if (!strncmp(m, "error ", 6)) {
			char want_e[32];
			snprintf(want_e, sizeof want_e, "error %d", e);
			FZ_CHECK(!strcmp(m, want_e), "ub_errstr(%d) = \"%s\"", e, m);
		}
	}
	free(s);
	return 0;
}
