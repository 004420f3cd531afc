/* SPDX-License-Identifier: ISC */
/* main.c: the udsbox multiplexer: dispatch on the basename of argv[0].
 *
 * usage: udsbox APPLET [ARG...]
 *        udsbox --list | --install DIR | --help | --version
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include "../core/core.h"

int rename(const char *, const char *);   /* from <stdio.h>, which we keep out */

/* UB_VERSION comes from the build: `git describe` in a clone, else the
   VERSION file (toolchain/build.mk); the lint, fuzz and sanitizer builds
   compile without it */
#ifndef UB_VERSION
#define UB_VERSION "unknown"
#endif

/* Sorted by name; adding an applet is one line. */
static const struct applet {
	const char *name;
	int (*main)(int, char **);
} applets[] = {
	{ "uds-connect", uds_connect_main },
	{ "uds-serve", uds_serve_main },
};
#define NAPPLETS (sizeof applets / sizeof *applets)

static const char usage[] =
	"usage: udsbox APPLET [ARG...]\n"
	"       udsbox --list | --install DIR | --help | --version\n"
	"applets: uds-serve uds-connect (UNIX domain socket server and client)\n";

void ub_version(void)
{
	ub_out("udsbox " UB_VERSION " (ISC licence)\n");
	_exit(0);
}

static const char *base(const char *s)
{
	const char *p = strrchr(s, '/');
	s = p ? p + 1 : s;
	return *s == '-' ? s + 1 : s;
}

/* DIR/NAME and DIR/NAME.new for applet i; 0, or -1 if too long. */
static int names(const char *dir, size_t i, char *dst, char *tmp)
{
	size_t dl = strlen(dir), nl = strlen(applets[i].name);
	if (dl + nl + 8 > PATH_MAX)
		return -1;
	memcpy(dst, dir, dl + 1);
	dst[dl] = '/';
	memcpy(dst + dl + 1, applets[i].name, nl + 1);
	memcpy(tmp, dst, dl + nl + 1);
	memcpy(tmp + dl + nl + 1, ".new", 5);
	return 0;
}

/* A symlink, or nothing: the only things --install may replace. */
static int ours(const char *path)
{
	char c;
	return ub_readlink(path, &c, 1) >= 0 || errno == ENOENT;
}

/* Remove the links made aside for applets from..to-1. */
static void undo(const char *dir, size_t from, size_t to)
{
	char dst[PATH_MAX], tmp[PATH_MAX];
	for (; from < to; from++)
		if (!names(dir, from, dst, tmp))
			unlink(tmp);
}

/* DIR/NAME -> the absolute path of this binary, replacing a symlink but never
   any other kind of file. Everything is checked before anything changes; the
   new links are made aside (DIR/NAME.new, itself only ever a symlink of a
   run that was cut short), and renamed over only once all are made. */
static void install(const char *dir)
{
	char self[PATH_MAX], dst[PATH_MAX], tmp[PATH_MAX];
	ssize_t n = ub_readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		ub_diesys(UB_EXIT_SYS, "unable to read /proc/self/exe", (char *)0);
	self[n] = 0;
	for (int phase = 0; phase < 3; phase++)
		for (size_t i = 0; i < NAPPLETS; i++) {
			if (names(dir, i, dst, tmp))
				ub_die(UB_EXIT_USAGE, "directory name too long", (char *)0);
			if (phase == 0) {
				const char *bad = !ours(dst) ? dst : !ours(tmp) ? tmp : 0;
				if (bad) {
					errno = EEXIST;
					ub_diesys(UB_EXIT_SYS, "unable to replace ", bad, ": not a symlink", (char *)0);
				}
			} else if (phase == 1) {
				unlink(tmp);   /* a symlink, or nothing: checked above */
				if (symlink(self, tmp) < 0) {
					undo(dir, 0, i);
					ub_diesys(UB_EXIT_SYS, "unable to symlink ", tmp, (char *)0);
				}
			} else if (rename(tmp, dst) < 0) {
				undo(dir, i, NAPPLETS);
				ub_diesys(UB_EXIT_SYS, "unable to rename ", tmp, " to ", dst, (char *)0);
			}
		}
}

static int box(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : 0;
	if (!a || !strcmp(a, "--help")) {
		if (!a) {
			ub_putfd(2, (const char *[]){ usage, 0 });
			return UB_EXIT_USAGE;
		}
		ub_out(usage);
		_exit(0);
	}
	if (!strcmp(a, "--version"))
		ub_version();
	if (!strcmp(a, "--list")) {
		for (size_t i = 0; i < NAPPLETS; i++)
			ub_putfd(1, (const char *[]){ applets[i].name, 0 });
		return 0;
	}
	if (!strcmp(a, "--install")) {
		if (argc != 3)
			ub_die(UB_EXIT_USAGE, "usage: udsbox --install DIR", (char *)0);
		install(argv[2]);
		return 0;
	}
	if (a[0] == '-' && a[1] == '-')
		ub_die(UB_EXIT_USAGE, "unknown option ", a, (char *)0);
	return -1;
}

char **ub_argv;

int main(int argc, char **argv)
{
	const char *name = argc ? base(argv[0]) : "udsbox";
	ub_argv = argv;
	ub_stdfds();
	if (!strcmp(name, "udsbox")) {
		int r = box(argc, argv);
		if (r >= 0)
			return r;
		argv++;
		argc--;
		name = base(argv[0]);
	}
	for (size_t i = 0; i < NAPPLETS; i++)
		if (!strcmp(name, applets[i].name)) {
			ub_prog = applets[i].name;
			return applets[i].main(argc, argv);
		}
	ub_putfd(2, (const char *[]){ "udsbox: ", name, ": applet not found", 0 });
	return UB_EXIT_NOAPPLET;
}
