/* SPDX-License-Identifier: ISC */
/* setpriv.c: the part of util-linux's setpriv that the suites use, for the
 * real-kernel VMs, whose busybox setpriv has no --reuid (test/vm/vm.sh builds
 * it for the target and puts it first in the suites' PATH).
 *
 * usage: setpriv [--reuid=UID] [--regid=GID] [--clear-groups | --groups=GID,...]
 *                [--] COMMAND [ARG...]
 *
 * Numeric ids only. As util-linux's, --regid needs a groups option, and
 * the exit status is 1 for a bad option, 126 or 127 when COMMAND cannot run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXGROUPS 1024

static void __attribute__((noreturn)) die(const char *what, const char *arg)
{
	fprintf(stderr, "setpriv: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

/* the id at *p, up to END (',' or '\0'); moves p past it */
static unsigned long id_at(const char **p, const char *opt)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(*p, &end, 10);
	if (end == *p || errno || v > 0xffffffffUL || (*end && *end != ','))
		die("not a numeric id", opt);
	*p = *end ? end + 1 : end;
	return v;
}

int main(int argc, char **argv)
{
	static gid_t groups[MAXGROUPS];
	long uid = -1, gid = -1;
	int ngroups = -1;   /* -1: groups left alone */
	int i;
	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		const char *a = argv[i], *p;
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strncmp(a, "--reuid=", 8)) {
			p = a + 8;
			uid = (long)id_at(&p, a);
		} else if (!strncmp(a, "--regid=", 8)) {
			p = a + 8;
			gid = (long)id_at(&p, a);
		} else if (!strcmp(a, "--clear-groups")) {
			ngroups = 0;
		} else if (!strncmp(a, "--groups=", 9)) {
			p = a + 9;
			ngroups = 0;
			while (*p) {
				if (ngroups == MAXGROUPS)
					die("too many groups", NULL);
				groups[ngroups++] = (gid_t)id_at(&p, a);
			}
		} else {
			die("unsupported option", a);
		}
	}
	if (i >= argc)
		die("no command", NULL);
	if (gid != -1 && ngroups == -1)
		die("--regid requires --clear-groups or --groups", NULL);
	if (ngroups >= 0 && setgroups((size_t)ngroups, groups))
		die("setgroups failed", strerror(errno));
	if (gid != -1 && setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid))
		die("setresgid failed", strerror(errno));
	if (uid != -1 && setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid))
		die("setresuid failed", strerror(errno));
	execvp(argv[i], argv + i);
	fprintf(stderr, "setpriv: failed to execute %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
