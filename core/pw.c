/* SPDX-License-Identifier: ISC */
/* pw.c: user and group look-ups in /etc/passwd and /etc/group, no allocation. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "core.h"

#ifndef UB_PASSWD
#define UB_PASSWD "/etc/passwd"
#endif
#ifndef UB_GROUP
#define UB_GROUP "/etc/group"
#endif

/* Field i (0-based) of a ':'-separated line, as [*f, *f + return). -1 if absent. */
static long field(const char *line, size_t len, int i, const char **f)
{
	size_t s = 0, e;
	for (; i; i--) {
		while (s < len && line[s] != ':')
			s++;
		if (s++ >= len)
			return -1;
	}
	for (e = s; e < len && line[e] != ':'; e++)
		;
	*f = line + s;
	return (long)(e - s);
}

static int fieldnum(const char *line, size_t len, int i, unsigned *v)
{
	const char *f;
	char buf[12];
	unsigned long u;
	long l = field(line, len, i, &f);
	if (l <= 0 || l >= (long)sizeof buf || ub_memchr(f, 0, (size_t)l))
		return -1;
	memcpy(buf, f, (size_t)l);
	buf[l] = 0;
	if (ub_ulong(buf, &u) || u > 0xfffffffeUL)
		return -1;
	*v = (unsigned)u;
	return 0;
}

/* One passwd or group line: does its name (or, if byid, its id) match key?
   On a match, *id gets field 2 and, if gid is given, *gid gets field 3. */
int ub_dbline(const char *line, size_t len, const char *key, int byid, unsigned *id, unsigned *gid)
{
	const char *f;
	long l = field(line, len, 0, &f);
	unsigned v, g = 0;
	if (l <= 0 || fieldnum(line, len, 2, &v) < 0)
		return 0;
	if (gid && fieldnum(line, len, 3, &g) < 0)
		return 0;
	if (byid) {
		unsigned long k;
		if (ub_ulong(key, &k) || v != k)
			return 0;
	} else if ((size_t)l != strlen(key) || memcmp(f, key, (size_t)l))
		return 0;
	*id = v;
	if (gid)
		*gid = g;
	return 1;
}

/* Scan a database file line by line in a fixed buffer; overlong lines are skipped. */
static int scan(const char *path, const char *key, int byid, unsigned *id, unsigned *gid)
{
	char buf[UB_LINEMAX];
	size_t have = 0;
	int skip = 0, found = 0, fd = ub_open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t r = ub_read(fd, buf + have, sizeof buf - have);
		char *nl, *p = buf;
		if (r <= 0) {
			if (have && !skip)
				found = ub_dbline(buf, have, key, byid, id, gid);
			break;
		}
		have += (size_t)r;
		while ((nl = ub_memchr(p, '\n', have - (size_t)(p - buf)))) {
			if (!skip && ub_dbline(p, (size_t)(nl - p), key, byid, id, gid)) {
				found = 1;
				goto out;
			}
			skip = 0;
			p = nl + 1;
		}
		have -= (size_t)(p - buf);
		ub_shift((unsigned char *)buf, (size_t)(p - buf), have);
		if (have == sizeof buf) {  /* a line longer than the buffer */
			skip = 1;
			have = 0;
		}
	}
out:
	close(fd);
	return found;
}

/* A name, or a number: a number that has no entry stands for itself, with
   no gid (UB_NOID). Ids are the kernel's 32 bits, never a signed long: on a
   32-bit target 3000000000 would read as negative, that is as "not given". */
int ub_user(const char *name, uid_t *uid, gid_t *gid)
{
	unsigned long u;
	if (scan(UB_PASSWD, name, 0, uid, gid))
		return 0;
	if (ub_ulong(name, &u) || u > 0xfffffffeUL)
		return -1;
	if (!scan(UB_PASSWD, name, 1, uid, gid)) {
		*uid = (uid_t)u;
		*gid = UB_NOID;
	}
	return 0;
}

int ub_group(const char *name, gid_t *gid)
{
	unsigned long u;
	if (scan(UB_GROUP, name, 0, gid, 0))
		return 0;
	if (ub_ulong(name, &u) || u > 0xfffffffeUL)
		return -1;
	*gid = (gid_t)u;
	return 0;
}
