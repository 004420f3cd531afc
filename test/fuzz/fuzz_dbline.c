/* SPDX-License-Identifier: ISC */
/* fuzz_dbline.c: -A rules and the /etc/passwd and /etc/group look-ups.
   ub_dbline on every line, by name and by id, against a reference; then
   ub_user and ub_group (the fixed-buffer scan, overlong lines, the last line
   without a newline, numeric fallbacks) on the whole text as the database,
   as uds-serve's rule() calls them for "uid:X" and "gid:X".
   Input: the first line is the key or rule; the rest is the database. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "fuzz.h"

/* what a look-up that finds nothing must leave as it was */
#define SENTINEL 0xfffffff9u

static int dbfd = -1;
static char dbpath[64];

/* Field i of a ':'-separated line, or -1. */
static long ref_field(const char *l, size_t n, int i, const char **f)
{
	const char *end = l + n, *p = l;
	while (i--) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		if (!c)
			return -1;
		p = c + 1;
	}
	const char *c = memchr(p, ':', (size_t)(end - p));
	*f = p;
	return (long)((c ? c : end) - p);
}

/* An id field: 1 to 11 bytes, all digits (a NUL is no digit), at most
   0xfffffffe. */
static int ref_num(const char *l, size_t n, int i, unsigned *v)
{
	const char *f;
	long k = ref_field(l, n, i, &f);
	unsigned long long u = 0;
	size_t d;
	if (k <= 0 || k > 11)
		return -1;
	d = (size_t)k;
	for (size_t j = 0; j < d; j++) {
		if (f[j] < '0' || f[j] > '9')
			return -1;
		u = u * 10 + (unsigned)(f[j] - '0');
	}
	if (u > 0xfffffffeULL)
		return -1;
	*v = (unsigned)u;
	return 0;
}

_Static_assert(sizeof(unsigned long) == sizeof(unsigned long long), "64-bit host");

static int ref_key(const char *key, unsigned long long *k)
{
	unsigned long long u = 0;
	if (!*key)
		return -1;
	for (; *key; key++) {
		if (*key < '0' || *key > '9')
			return -1;
		if (__builtin_mul_overflow(u, 10, &u) || __builtin_add_overflow(u, (unsigned)(*key - '0'), &u))
			return -1;
	}
	*k = u;   /* unsigned long long is unsigned long on the fuzzing host */
	return 0;
}

static int ref_dbline(const char *l, size_t n, const char *key, int byid, unsigned *id, unsigned *gid)
{
	const char *name;
	long nl = ref_field(l, n, 0, &name);
	unsigned v, g = 0;
	unsigned long long k;
	if (nl <= 0 || ref_num(l, n, 2, &v))
		return 0;
	if (gid && ref_num(l, n, 3, &g))
		return 0;
	if (byid ? ref_key(key, &k) || (unsigned long long)v != k
	         : (size_t)nl != strlen(key) || memcmp(name, key, (size_t)nl))
		return 0;
	*id = v;
	if (gid)
		*gid = g;
	return 1;
}

/* The first line of db (lines of UB_LINEMAX bytes or more skipped) that matches. */
static int ref_scan(const char *db, size_t n, const char *key, int byid, unsigned *id, unsigned *gid)
{
	const char *p = db, *end = db + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((nl ? nl : end) - p);
		if (l < UB_LINEMAX && ref_dbline(p, l, key, byid, id, gid))
			return 1;
		p += l + 1;
	}
	return 0;
}

static int ref_user(const char *db, size_t n, const char *name, unsigned *uid, unsigned *gid)
{
	unsigned long long u;
	if (ref_scan(db, n, name, 0, uid, gid))
		return 0;
	if (ref_key(name, &u) || u > 0xfffffffeULL)
		return -1;
	if (!ref_scan(db, n, name, 1, uid, gid)) {
		*uid = (unsigned)u;
		*gid = UB_NOID;
	}
	return 0;
}

static int ref_group(const char *db, size_t n, const char *name, unsigned *gid)
{
	unsigned long long u;
	if (ref_scan(db, n, name, 0, gid, 0))
		return 0;
	if (ref_key(name, &u) || u > 0xfffffffeULL)
		return -1;
	*gid = (unsigned)u;
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	dbfd = memfd_create("udsbox-fuzz-db", MFD_CLOEXEC);
	if (dbfd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(dbpath, sizeof dbpath, "/proc/self/fd/%d", dbfd);
	ub_fuzz_passwd = ub_fuzz_group = dbpath;
	return 0;
}

static void lookups(const char *db, size_t n, const char *name, int user, int group)
{
	unsigned id = SENTINEL, gid = SENTINEL, rid = SENTINEL, rgid = SENTINEL;
	int got, want;
	if (user) {
		got = ub_user(name, &id, &gid);
		want = ref_user(db, n, name, &rid, &rgid);
		FZ_CHECK(got == want && (got || (id == rid && gid == rgid)),
		         "ub_user(\"%s\") = %d, uid %u gid %u; want %d, %u %u", name, got, id, gid, want, rid, rgid);
	}
	if (group) {
		id = rid = SENTINEL;
		got = ub_group(name, &id);
		want = ref_group(db, n, name, &rid);
		FZ_CHECK(got == want && (got || id == rid),
		         "ub_group(\"%s\") = %d, gid %u; want %d, %u", name, got, id, want, rid);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t kl = nl ? (size_t)(nl - data) : size;
	char *key = fz_str(data, kl);
	const char *db = nl ? (const char *)nl + 1 : "";
	size_t n = nl ? size - kl - 1 : 0;

	/* every line on its own, in a block of exactly its length (no NUL after it) */
	for (const char *p = db, *end = db + n; p < end;) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((e ? e : end) - p);
		char *line = malloc(l ? l : 1);
		memcpy(line, p, l);
		for (int byid = 0; byid < 2; byid++)
			for (int withgid = 0; withgid < 2; withgid++) {
				unsigned id = SENTINEL, gid = SENTINEL, rid = SENTINEL, rgid = SENTINEL;
				int got = ub_dbline(line, l, key, byid, &id, withgid ? &gid : 0);
				int want = ref_dbline(line, l, key, byid, &rid, withgid ? &rgid : 0);
				FZ_CHECK(got == want && (!got || (id == rid && gid == rgid)),
				         "ub_dbline(\"%.*s\", \"%s\", byid %d, gid %d) = %d %u %u; want %d %u %u",
				         (int)l, line, key, byid, withgid, got, id, gid, want, rid, rgid);
			}
		free(line);
		p += l + 1;
	}

	if (ftruncate(dbfd, 0) < 0 || pwrite(dbfd, db, n, 0) != (ssize_t)n) {
		perror("fuzz: memfd");
		abort();
	}
	/* -A uid:X / gid:X as rule() splits them; any other key goes to both */
	if (!strncmp(key, "uid:", 4))
		lookups(db, n, key + 4, 1, 0);
	else if (!strncmp(key, "gid:", 4))
		lookups(db, n, key + 4, 0, 1);
	else
		lookups(db, n, key, 1, 1);
	free(key);
	return 0;
}
