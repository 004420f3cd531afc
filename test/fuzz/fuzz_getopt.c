/* SPDX-License-Identifier: ISC */
/* fuzz_getopt.c: ub_getopt with a fuzzed argv and the two applets' option
   specs, as the applets' loops use it: every option's value goes to the
   parser that applet gives it (ub_getnum, ub_getms, ub_socktype,
   ub_addr_get ...), '?' to ub_optfail, the first operand to ub_addr_get.
   Checked: the result is an option of the spec, its argument lies in argv,
   the loop ends, the operand is really the first one; and, while no "--x"
   long option is met, the same answers as glibc's getopt with "+:".
   Input: the arguments, one a line (argv[0] is the applet's name). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

#define MAXARGS 32

/* serve_spec and connect_spec: the applets' own option strings, as they
   are now, taken from their ub_getopt calls by the build (specs.h) */
#include "specs.h"

struct run {
	int argc;
	char **argv;
	const char *spec;
	int serve, steps, compared, result;
	int qind, qpos;                 /* where the '?' came from */
	struct ub_getopt g;
	struct ub_addr a;
};

/* Does arg point into one of the argv strings? */
static int in_argv(const struct run *r, const char *arg)
{
	for (int i = 1; i < r->argc; i++)
		if (arg >= r->argv[i] && arg <= r->argv[i] + strlen(r->argv[i]))
			return 1;
	return 0;
}

static void value(struct run *r, int opt, const char *arg)
{
	unsigned long v;
	if (r->serve)
		switch (opt) {
		case 'n': ub_getnum('n', arg, 0, 1023); break;
		case 'c': ub_getnum('c', arg, 1, UB_MAXCONN); break;
		case 'C': ub_getnum('C', arg, 1, UB_MAXCONN); break;
		case 'b': ub_getnum('b', arg, 1, 65535); break;
		case 'm':
			if (ub_octal(arg, &v) || v > 0777)
				ub_die(UB_EXIT_USAGE, "bad mode for -m: ", arg, (char *)0);
			break;
		case 'A':
			if ((strncmp(arg, "uid:", 4) && strncmp(arg, "gid:", 4)) || !arg[4])
				ub_die(UB_EXIT_USAGE, "bad rule: ", arg, (char *)0);
			break;
		case 'T': ub_socktype(arg); break;
		case 't': ub_getms('t', arg); break;
		case 'I':
			if (strcmp(arg, "upper") && strcmp(arg, "echo") && strcmp(arg, "discard"))
				ub_die(UB_EXIT_USAGE, "unknown service: ", arg, (char *)0);
			break;
		}
	else
		switch (opt) {
		case 'w': ub_getms('w', arg); break;
		case 't': ub_getms('t', arg); break;
		case 'b': ub_addr_get(&r->a, arg); break;
		case 'T': ub_socktype(arg); break;
		}
}

/* glibc's getopt on the same argv, one step; 0 when the comparison stops. */
static int compare(struct run *r, int opt, int ind0, int pos0)
{
	char plus[64] = "+:";
	int c;
	const char *cur = ind0 < r->argc ? r->argv[ind0] : 0;
	/* long options and "-W" are glibc's own business */
	if (!pos0 && cur && cur[0] == '-' && cur[1] == '-' && cur[2])
		return 0;
	strcat(plus, r->spec);
	c = getopt(r->argc, r->argv, plus);
	if (opt == '?' && r->g.miss) {
		FZ_CHECK(c == ':' && optopt == r->g.opt, "missing argument: glibc says %d, optopt %c", c, optopt);
		return 0;
	}
	if (opt == '?') {
		FZ_CHECK(c == '?' && optopt == r->g.opt, "unknown option -%c: glibc says %d, optopt %d", r->g.opt, c, optopt);
		return 0;
	}
	FZ_CHECK(c == opt, "ub_getopt says %d, glibc %d (argv[%d] \"%s\")", opt, c, ind0, cur ? cur : "");
	if (opt == -1 || opt == UB_OPT_HELP || opt == UB_OPT_VERSION)
		FZ_CHECK(optind == r->g.ind, "at the end ub_getopt's ind %d, glibc's optind %d", r->g.ind, optind);
	else if (opt != ':' && strchr(r->spec, opt) && strchr(r->spec, opt)[1] == ':')
		FZ_CHECK(optarg == r->g.arg, "-%c: argument \"%s\", glibc \"%s\"", opt, r->g.arg, optarg);
	return opt != -1;
}

static void parse(void *p)
{
	struct run *r = p;
	int opt, compare_on = 1;
	size_t total = 0;
	for (int i = 0; i < r->argc; i++)
		total += strlen(r->argv[i]) + 1;
	opterr = 0;
	optind = 0;   /* glibc: start afresh */
	for (;;) {
		int ind0 = r->g.ind ? r->g.ind : 1, pos0 = r->g.pos;
		opt = ub_getopt(&r->g, r->argc, r->argv, r->spec);
		r->steps++;
		FZ_CHECK((size_t)r->steps <= total + 1, "ub_getopt does not end: %d steps", r->steps);
		FZ_CHECK(r->g.ind >= 1 && r->g.ind <= r->argc, "ind %d out of 1..%d", r->g.ind, r->argc);
		FZ_CHECK(r->g.ind > ind0 || (r->g.ind == ind0 && r->g.pos > pos0) || opt == -1,
		         "no progress: ind %d pos %d -> %d %d", ind0, pos0, r->g.ind, r->g.pos);
		if (compare_on) {
			compare_on = compare(r, opt, ind0, pos0);
			r->compared++;
		}
		if (opt == -1)
			break;
		if (opt == UB_OPT_HELP || opt == UB_OPT_VERSION) {
			r->result = opt;   /* the applet prints and exits 0 */
			return;
		}
		if (opt == '?') {
			r->qind = ind0;
			r->qpos = pos0 ? pos0 : 1;
			ub_optfail(&r->g, r->argv);
			FZ_CHECK(0, "ub_optfail returned");
		}
		FZ_CHECK(opt != ':' && strchr(r->spec, opt), "option %d is not in \"%s\"", opt, r->spec);
		if (strchr(r->spec, opt)[1] == ':') {
			FZ_CHECK(r->g.arg && in_argv(r, r->g.arg), "-%c: argument not in argv", opt);
			value(r, opt, r->g.arg);
		}
	}
	/* the first operand: after "--", or not an option */
	if (r->g.ind < r->argc) {
		const char *a = r->argv[r->g.ind];
		FZ_CHECK(a[0] != '-' || !a[1] || !strcmp(r->argv[r->g.ind - 1], "--"),
		         "\"%s\" taken as the operand", a);
		ub_addr_get(&r->a, a);
	} else
		ub_die(UB_EXIT_USAGE, "missing address", (char *)0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[2][MAXARGS + 2];
	int argc = 1;
	const uint8_t *p = data, *end = data + size;
	while (p < end && argc <= MAXARGS) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((nl ? nl : end) - p);
		argv[0][argc] = fz_str(p, l);
		argv[1][argc++] = fz_str(p, l);
		p += l + 1;
	}
	argv[0][argc] = argv[1][argc] = 0;
	argv[0][0] = fz_str((const uint8_t *)"uds-serve", 9);
	argv[1][0] = fz_str((const uint8_t *)"uds-connect", 11);
	for (int k = 0; k < 2; k++) {
		struct run r = { .argc = argc, .argv = argv[k], .spec = k ? connect_spec : serve_spec, .serve = !k };
		int code = fz_call(parse, &r);
		if (code)
			FZ_CHECK(code == UB_EXIT_USAGE, "%s: exit %d: %s", argv[k][0], code, fz_msg);
		if (r.qind) {
			/* it names the culprit: the whole "--long", else "-x" */
			const char *a = r.argv[r.qind];
			char want[UB_MSGMAX + 1];
			if (r.qpos == 1 && a[0] == '-' && a[1] == '-')
				snprintf(want, sizeof want, "unknown option %s", a);
			else
				snprintf(want, sizeof want, "%s -%c", r.g.miss ? "missing argument for" : "unknown option", a[r.qpos]);
#ifdef FUZZ_ALLOW_OPTFAIL_DASH
			if (r.qpos > 1 && a[r.qpos] == '-')
				continue;   /* known: "-q-" is told as a long option */
#endif
			FZ_CHECK(!strcmp(fz_msg, want), "%s: argv[%d] \"%s\" char %d: \"%s\", want \"%s\"",
			         argv[k][0], r.qind, a, r.qpos, fz_msg, want);
		}
	}
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < argc; i++)
			free(argv[k][i]);
	return 0;
}
