/* SPDX-License-Identifier: ISC */
/* env.c: the child's environment, in a fixed array over the parent's strings. */
#include <string.h>
#include "core.h"

extern char **environ;

#define EXTRA 16
static char *envp[UB_ENVMAX + EXTRA + 1];
static int nbase, n;

/* Does s start with p? Returns what follows it, or 0. */
const char *ub_prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return s;
}

/* getenv(3) over ub_prefix: libc's brings in strchrnul and strncmp. */
const char *ub_getenv(const char *name)
{
	for (char **e = environ; e && *e; e++) {
		const char *v = ub_prefix(*e, name);
		if (v && *v == '=')
			return v + 1;
	}
	return 0;
}

static int dropped(const char *kv, const char *const *drop)
{
	for (; drop && *drop; drop++) {
		const char *v = ub_prefix(kv, *drop);
		if (v && *v == '=')
			return 1;
	}
	return 0;
}

/* Keep the inherited variables but those named in drop (a NULL-ended list). */
void ub_env_init(const char *const *drop)
{
	nbase = 0;
	for (char **e = environ; e && *e; e++) {
		if (dropped(*e, drop))
			continue;
		if (nbase == UB_ENVMAX)
			ub_die(UB_EXIT_USAGE, "environment too large", (char *)0);
		envp[nbase++] = *e;
	}
	n = nbase;
	envp[n] = 0;
}

/* kv must stay valid until the exec; at most EXTRA of them. */
void ub_env_set(const char *kv)
{
	if (n < UB_ENVMAX + EXTRA) {
		envp[n++] = (char *)kv;
		envp[n] = 0;
	}
}

void ub_env_reset(void)
{
	n = nbase;
	envp[n] = 0;
}

/* The exec service's rule: a client's variable replaces ours only where
   ours is set and empty; nothing else of the client's passes. env holds
   len bytes of NUL-ended "NAME=value" strings, and outlives the exec. */
void ub_env_merge(const char *env, size_t len)
{
	if (!env)
		return;
	for (int i = 0; i < nbase; i++) {
		const char *eq = ub_strchr(envp[i], '=');
		if (!eq || eq[1])
			continue;
		for (size_t o = 0; o < len; o += strlen(env + o) + 1)
			if (ub_prefix(env + o, envp[i])) {   /* envp[i] is "NAME=": the whole name */
				envp[i] = (char *)env + o;
				break;
			}
	}
}

/* "KEY=" value into buf (of size n), cut to fit; returns buf. */
char *ub_kv(char *buf, size_t n, const char *key, const char *val)
{
	size_t i = 0;
	while (*key && i < n - 1)
		buf[i++] = *key++;
	while (*val && i < n - 1)
		buf[i++] = *val++;
	buf[i] = 0;
	return buf;
}

char **ub_env_get(void)
{
	return envp;
}
