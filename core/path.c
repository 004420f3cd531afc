/* SPDX-License-Identifier: ISC */
/* path.c: finding a program in PATH and running it, in a fixed buffer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core.h"

/* The next PATH entry joined with name, into buf (UB_PROGMAX bytes); *p
   moves on. 0 when PATH is done; entries too long are passed over. */
static int next(const char **p, const char *name, char *buf)
{
	size_t nl = strlen(name);
	while (**p) {
		const char *e = *p, *d = *p;
		while (*e && *e != ':')
			e++;
		size_t dl = (size_t)(e - d);
		*p = *e ? e + 1 : e;
		if (dl + nl + 2 <= UB_PROGMAX) {
			memcpy(buf, d, dl);
			buf[dl] = '/';
			memcpy(buf + dl + !!dl, name, nl + 1);   /* an empty entry: here */
			return 1;
		}
	}
	return 0;
}

static const char *pathvar(void)
{
	const char *p = ub_getenv("PATH");
	return p ? p : "/usr/local/bin:/bin:/usr/bin";
}

/* Where name is found now, as an executable file, into buf; "" if nowhere
   (an exec of it fails: never the current directory), name itself if it
   has a slash. */
const char *ub_which(const char *name, char *buf)
{
	const char *p = pathvar();
	if (ub_strchr(name, '/'))
		return name;
	while (next(&p, name, buf))
		if (!access(buf, X_OK))
			return buf;
	return "";
}

/* execvpe(3) in a buffer on the stack: returns only on failure, with
   EACCES if some candidate was not executable, else the last error. */
int ub_execvp(char *const *argv, char *const *envp)
{
	char buf[UB_PROGMAX];
	const char *p = pathvar();
	int denied = 0;
	if (ub_strchr(argv[0], '/'))
		return execve(argv[0], argv, envp);
	while (next(&p, argv[0], buf)) {
		execve(buf, argv, envp);
		if (errno == EACCES)
			denied = 1;
		else if (errno != ENOENT && errno != ENOTDIR)
			return -1;
	}
	errno = denied ? EACCES : ENOENT;
	return -1;
}
