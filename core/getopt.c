/* SPDX-License-Identifier: ISC */
/* getopt.c: a small reentrant getopt that stops at the first operand and at "--". */
#include <string.h>
#include "core.h"

/* Returns the option character, '?' for an unknown option or a missing
   argument (g->opt holds the culprit), or -1 at the end; g->ind is then the
   first operand. spec is as for getopt(3): "qvc:" */
int ub_getopt(struct ub_getopt *g, int argc, char *const *argv, const char *spec)
{
	const char *a, *p;
	if (!g->ind)
		g->ind = 1;
	if (g->ind >= argc)
		return -1;
	a = argv[g->ind];
	if (!g->pos) {
		if (a[0] != '-' || !a[1])
			return -1;
		if (a[1] == '-') {
			if (!a[2]) {
				g->ind++;
				return -1;
			}
			g->ind++;
			g->opt = '-';
			g->arg = a;   /* the whole long option, for ub_optfail */
			return a[2] == 'h' && !strcmp(a, "--help") ? UB_OPT_HELP
			     : !strcmp(a, "--version") ? UB_OPT_VERSION : '?';
		}
		g->pos = 1;
	}
	g->opt = a[g->pos++];
	g->arg = 0;
	g->miss = 0;
	for (p = spec; *p && *p != g->opt; p++)
		if (p[1] == ':')
			p++;
	if (!*p || g->opt == ':') {
		if (!a[g->pos]) { g->ind++; g->pos = 0; }
		return '?';
	}
	if (p[1] == ':') {
		if (a[g->pos])
			g->arg = a + g->pos;
		else if (g->ind + 1 < argc)
			g->arg = argv[++g->ind];
		else {
			g->ind++;
			g->pos = 0;
			g->miss = 1;
			return '?';
		}
		g->ind++;
		g->pos = 0;
		return p[0];
	}
	if (!a[g->pos]) { g->ind++; g->pos = 0; }
	return p[0];
}

/* The usage error for what ub_getopt returned '?' for. */
void ub_optfail(const struct ub_getopt *g, char *const *argv)
{
	char o[3] = { '-', g->opt, 0 };
	(void)argv;
	if (g->opt == '-' && g->arg)
		ub_die(UB_EXIT_USAGE, "unknown option ", g->arg, (char *)0);
	ub_die(UB_EXIT_USAGE, g->miss ? "missing argument for " : "unknown option ", o, (char *)0);
}
