/* SPDX-License-Identifier: ISC */
/* num.c: strict number parsing (no sign, no blanks, no overflow) and formatting. */
#include "core.h"

static int digits(const char *s, unsigned base, unsigned long *v)
{
	unsigned long n = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned)(unsigned char)*s - '0';
		if (d >= base)
			return -1;
		if (__builtin_mul_overflow(n, base, &n) || __builtin_add_overflow(n, d, &n))
			return -1;
	}
	*v = n;
	return 0;
}

int ub_ulong(const char *s, unsigned long *v) { return digits(s, 10, v); }
int ub_octal(const char *s, unsigned long *v) { return digits(s, 8, v); }

/* SECS or SECS.FRAC, in milliseconds, at most 2147483.647 s (INT_MAX ms:
   poll and epoll_wait take an int). Sub-millisecond fractions round up. */
int ub_duration(const char *s, unsigned long *ms)
{
	static const unsigned char scale[3] = { 100, 10, 1 };
	unsigned long sec = 0, frac = 0;
	int any = 0, round = 0, nf = 0;
	for (; *s >= '0' && *s <= '9'; s++, any = 1) {
		sec = sec * 10 + (unsigned long)(*s - '0');
		if (sec > 2147483)
			return -1;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, any = 1) {
			if (nf < 3)
				frac += (unsigned long)(*s - '0') * scale[nf++];
			else if (*s != '0')
				round = 1;
		}
	}
	if (*s || !any)
		return -1;
	*ms = sec * 1000 + frac + round;
	if (*ms > 2147483647UL)   /* poll(2) and epoll_wait(2) take an int */
		return -1;
	return 0;
}

/* By subtraction: small targets have no divide instruction, and the
   library's division routine costs more than this whole function. */
char *ub_fmtu(char *buf, unsigned long long v)
{
	static const unsigned long long p10[20] = { 10000000000000000000ULL,
		1000000000000000000ULL, 100000000000000000ULL, 10000000000000000ULL,
		1000000000000000ULL, 100000000000000ULL, 10000000000000ULL,
		1000000000000ULL, 100000000000ULL, 10000000000ULL, 1000000000ULL,
		100000000ULL, 10000000ULL, 1000000ULL, 100000ULL, 10000ULL, 1000ULL,
		100ULL, 10ULL, 1ULL };
	int started = 0;
	for (int i = 0; i < 20; i++) {
		char d = '0';
		while (v >= p10[i]) {
			v -= p10[i];
			d++;
		}
		if (d != '0' || started || i == 19) {
			*buf++ = d;
			started = 1;
		}
	}
	*buf = 0;
	return buf;
}

unsigned long ub_getnum(char opt, const char *s, unsigned long lo, unsigned long hi)
{
	unsigned long v;
	char o[3] = { '-', opt, 0 };
	if (ub_ulong(s, &v) || v < lo || v > hi)
		ub_die(UB_EXIT_USAGE, "bad number for ", o, ": ", s, (char *)0);
	return v;
}

unsigned long ub_getms(char opt, const char *s)
{
	unsigned long v;
	char o[3] = { '-', opt, 0 };
	if (ub_duration(s, &v))
		ub_die(UB_EXIT_USAGE, "bad duration for ", o, ": ", s, (char *)0);
	return v;
}
