/* SPDX-License-Identifier: ISC */
/* rcrun.c: the init-script runner of the busybox-free image (test/image/),
   for a CPU Debian ships no busybox for. It runs a file of steps, one a line,
   and stops at the first that fails, with "rcS: FAIL: line N: ..." and exit 1.
   Words are split on blanks; no quoting, no variables. Steps:
     echo WORD...                print the words
     run CMD ARG...              run CMD (a path): it must exit 0
     fails CMD ARG...            it must exit non-zero
     reply TEXT WANT CMD ARG...  CMD with TEXT and a newline on stdin must
                                 print WANT and a newline, and exit 0
     socket PATH                 PATH is a socket
     mode PATH OCTAL             PATH's permission bits are OCTAL
     alive PIDFILE               PIDFILE names a live process
     signal SIG PIDFILE          send SIG (TERM, INT, QUIT, HUP) to it
     gone PATH TENTHS            PATH is gone within TENTHS of a second
   A word 2>>FILE after CMD sends its stderr to the end of FILE. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#define MAXW 32

static unsigned line;

static void say(const char *a, const char *b, const char *c)
{
	const char *v[3] = { a, b, c };
	for (int i = 0; i < 3; i++)
		if (v[i] && write(1, v[i], strlen(v[i])) < 0)
			return;
}

static void fail(const char *what, const char *arg)
{
	char n[12];
	int i = sizeof n;
	n[--i] = 0;
	unsigned l = line;
	do n[--i] = (char)('0' + l % 10); while (l /= 10);
	say("rcS: FAIL: line ", n + i, ": ");
	say(what, arg ? " " : "", arg);
	say("\n", 0, 0);
	exit(1);
}

/* run w[0] with the rest as arguments; stdin from in (or inherited), stdout
   into out (or inherited); its wait status */
static int spawn(char **w, int in, int out)
{
	char *argv[MAXW + 1];
	const char *errfile = 0;
	int n = 0, st;
	for (; *w; w++)
		if (!strncmp(*w, "2>>", 3))
			errfile = *w + 3;
		else
			argv[n++] = *w;
	argv[n] = 0;
	if (!n)
		fail("no command", 0);
	pid_t pid = fork();
	if (pid < 0)
		fail("unable to fork", 0);
	if (!pid) {
		if (in >= 0)
			dup2(in, 0);
		if (out >= 0)
			dup2(out, 1);
		if (errfile) {
			int e = open(errfile, O_WRONLY | O_CREAT | O_APPEND, 0644);
			if (e < 0)
				_exit(126);
			dup2(e, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			fail("unable to wait", argv[0]);
	return st;
}

static pid_t pidfile(const char *path)
{
	char b[24];
	int fd = open(path, O_RDONLY), n;
	if (fd < 0)
		fail("no pidfile", path);
	n = (int)read(fd, b, sizeof b - 1);
	close(fd);
	if (n <= 0)
		fail("empty pidfile", path);
	b[n] = 0;
	long p = strtol(b, 0, 10);
	if (p <= 0)
		fail("no pid in", path);
	return (pid_t)p;
}

static void tenth(void)
{
	struct timespec t = { 0, 100000000 };
	nanosleep(&t, 0);
}

static void step(char **w, int n)
{
	struct stat sb;
	const char *c = w[0];
	if (!strcmp(c, "echo")) {
		for (int i = 1; i < n; i++)
			say(w[i], i + 1 < n ? " " : "", 0);
		say("\n", 0, 0);
	} else if (!strcmp(c, "run") && n > 1) {
		int st = spawn(w + 1, -1, -1);
		if (st)
			fail("exit status not 0:", w[1]);
	} else if (!strcmp(c, "fails") && n > 1) {
		if (!spawn(w + 1, -1, -1))
			fail("exit status 0:", w[1]);
	} else if (!strcmp(c, "reply") && n > 3) {
		int ip[2], op[2], st;
		char got[256];
		size_t len = 0, t = strlen(w[1]);
		ssize_t r;
		/* close-on-exec: the command gets them only as its stdin and stdout */
		if (pipe2(ip, O_CLOEXEC) || pipe2(op, O_CLOEXEC))
			fail("unable to make a pipe", 0);
		/* text and reply are short: each fits in its pipe, so the command
		   can run to its end before the reply is read */
		if (write(ip[1], w[1], t) != (ssize_t)t || write(ip[1], "\n", 1) != 1)
			fail("unable to write the text", 0);
		close(ip[1]);
		st = spawn(w + 3, ip[0], op[1]);
		close(ip[0]);
		close(op[1]);
		while (len < sizeof got - 1 && ((r = read(op[0], got + len, sizeof got - 1 - len)) > 0 || (r < 0 && errno == EINTR)))
			if (r > 0)
				len += (size_t)r;
		got[len] = 0;
		close(op[0]);
		if (st)
			fail("exit status not 0:", w[3]);
		if (len != strlen(w[2]) + 1 || memcmp(got, w[2], len - 1) || got[len - 1] != '\n')
			fail("the reply was", got);
	} else if (!strcmp(c, "socket") && n == 2) {
		if (lstat(w[1], &sb) || !S_ISSOCK(sb.st_mode))
			fail("not a socket:", w[1]);
	} else if (!strcmp(c, "mode") && n == 3) {
		if (lstat(w[1], &sb))
			fail("no such file:", w[1]);
		if ((unsigned long)(sb.st_mode & 07777) != strtoul(w[2], 0, 8))
			fail("another mode:", w[1]);
	} else if (!strcmp(c, "alive") && n == 2) {
		if (kill(pidfile(w[1]), 0))
			fail("no live process in", w[1]);
	} else if (!strcmp(c, "signal") && n == 3) {
		int sig = !strcmp(w[1], "TERM") ? SIGTERM : !strcmp(w[1], "INT") ? SIGINT
		        : !strcmp(w[1], "QUIT") ? SIGQUIT : !strcmp(w[1], "HUP") ? SIGHUP : 0;
		if (!sig)
			fail("unknown signal", w[1]);
		if (kill(pidfile(w[2]), sig))
			fail("unable to signal", w[2]);
	} else if (!strcmp(c, "gone") && n == 3) {
		long t = strtol(w[2], 0, 10);
		while (!lstat(w[1], &sb) && t-- > 0)
			tenth();
		if (!lstat(w[1], &sb))
			fail("still there:", w[1]);
	} else
		fail("bad step", c);
}

int main(int argc, char **argv)
{
	static char buf[16384];
	size_t len = 0;
	ssize_t r;
	int fd;
	if (argc != 2) {
		say("usage: rcrun STEPS\n", 0, 0);
		return 100;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		fail("unable to open", argv[1]);
	while (len < sizeof buf - 1 && (r = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = 0;
	for (char *p = buf, *e; *p; p = e) {
		char *w[MAXW + 1];
		int n = 0;
		line++;
		e = strchr(p, '\n');
		e = e ? (*e = 0, e + 1) : p + strlen(p);
		while (*p) {
			while (*p == ' ' || *p == '\t')
				*p++ = 0;
			if (!*p || *p == '#')
				break;
			if (n == MAXW)
				fail("too many words", 0);
			w[n++] = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
		}
		w[n] = 0;
		if (n)
			step(w, n);
	}
	return 0;
}
