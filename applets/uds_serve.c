/* SPDX-License-Identifier: ISC */
/* uds_serve.c: listen on a UNIX socket and serve every client.
 * The usage and help text is help[], above the option parsing in uds_serve_main.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "uds_serve.h"

int renameat(int, const char *, int, const char *);   /* from <stdio.h>, which we keep out */

/* Signals reach the loop through a signalfd, blocked until they are read:
   none is lost, and no handler writes anywhere. TERM, INT and QUIT have this
   handler only for the start-up, which may be blocked (a full readiness
   pipe) before any loop runs, and for a vforked child between its unblock
   and its exec: both end as the default would, start-up leaving no file of
   ours behind. */
static void onsig(int sig)
{
	cleanup();   /* nothing in a child: the files are not its own */
	ub_sigdie(sig);
}

void cleanup(void)
{
	if (getpid() != S.mainpid)
		return;   /* a child that failed to exec: the files are not its own */
	ub_entry_remove(&S.sock);
	ub_entry_remove(&S.pidf);
}

/* Every descriptor we inherited beyond 0-2 stays out of the children. */
static void cloexec_all(void)
{
	ub_closefds(0, 0, 1);
}

static sigset_t sigs;   /* what the loop reads from its signalfd */

/* sigaddset for the signals below 32 we use: bit sig-1 of the first word,
   as the kernel reads a sigset on every arch */
static void addsig(sigset_t *s, int sig)
{
	*(unsigned long *)s |= 1UL << (sig - 1);
}

/* Children start with default dispositions: reset what we inherited once,
   here (never ignore: an ignored signal would pass on to PROG). HUP, CHLD,
   PIPE and USR2 (whose default would end us) wait, blocked, for the loop;
   TERM, INT and QUIT end a start-up at once, and are blocked too when the
   loop begins. The new image of an upgrade has its dispositions from the
   exec, all defaults, and its signals blocked: it keeps them so (a TERM
   that came meanwhile waits for the loop, as it did in the old image), and
   leaves CHLD alone, whose reset to the default would discard one pending.
   The handlers come before any unblocking. */
static void setup_signals(int up)
{
	sigset_t wait;
	for (int s = 1; s < _NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP && !up)
			ub_sigdefault(s);
	ub_sigcatch(SIGTERM, onsig);
	ub_sigcatch(SIGINT, onsig);
	ub_sigcatch(SIGQUIT, onsig);
	sigemptyset(&wait);
	addsig(&wait, SIGHUP);
	addsig(&wait, SIGCHLD);
	addsig(&wait, SIGPIPE);
	addsig(&wait, SIGUSR2);
	sigs = wait;
	addsig(&sigs, SIGTERM);
	addsig(&sigs, SIGINT);
	addsig(&sigs, SIGQUIT);
	if (ub_sigmask(SIG_SETMASK, up ? &sigs : &wait) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to block signals", (char *)0);
	for (unsigned n = 0; (S.sigfd = ub_signalfd(&sigs)) < 0;)
		if (!ub_again(&n))
			ub_diesys(UB_EXIT_SYS, "unable to create a signalfd", (char *)0);
}

static void rule(const char *r)
{
	unsigned id, g;
	int isgid = !!ub_prefix(r, "gid:");
	if (S.nrules == UB_MAXRULES)
		ub_die(UB_EXIT_USAGE, "too many rules", (char *)0);
	if ((!isgid && !ub_prefix(r, "uid:")) || !r[4])
		ub_die(UB_EXIT_USAGE, "bad rule: ", r, (char *)0);
	if (isgid ? ub_group(r + 4, &id) : ub_user(r + 4, &id, &g))
		ub_die(UB_EXIT_USAGE, isgid ? "unknown group: " : "unknown user: ", r + 4, (char *)0);
	S.gidrule |= isgid;
	S.rules[S.nrules].isgid = (char)isgid;
	S.rules[S.nrules++].id = id;
}

static gid_t getgroup(const char *s)
{
	gid_t g;
	if (ub_group(s, &g))
		ub_die(UB_EXIT_USAGE, "unknown group: ", s, (char *)0);
	return g;
}

static void owner(const char *s, uid_t *uid, gid_t *gid)
{
	char name[64];
	const char *colon = ub_strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	gid_t g;
	if (n >= sizeof name)
		ub_die(UB_EXIT_USAGE, "unknown user: ", s, (char *)0);
	memcpy(name, s, n);
	name[n] = 0;
	if (n && ub_user(name, uid, &g))
		ub_die(UB_EXIT_USAGE, "unknown user: ", name, (char *)0);
	if (colon && colon[1])
		*gid = getgroup(colon + 1);
}

/* Socket activation: fd 3 must be an AF_UNIX socket of our type. */
static int activated(void)
{
	const char *lp = ub_getenv("LISTEN_PID"), *lf = ub_getenv("LISTEN_FDS");
	unsigned long pid, n;
	if (!lp || !lf || ub_ulong(lp, &pid) || pid != (unsigned long)getpid()
	    || ub_ulong(lf, &n) || n < 1)
		return 0;
	errno = ENOTSOCK;
	if (ub_sockopt(3, SO_DOMAIN) != AF_UNIX || (errno = EPROTOTYPE, ub_sockopt(3, SO_TYPE) != S.type))
		ub_diesys(UB_EXIT_SYS, "unable to use fd 3", (char *)0);
	if (S.type != SOCK_DGRAM && ub_sockopt(3, SO_ACCEPTCONN) < 1)
		ub_die(UB_EXIT_SYS, "unable to use fd 3: not listening", (char *)0);
	return 1;
}

/* As root, in a directory others may write: the pid goes into a file of our
   own, made new (O_EXCL: no symlink followed, no FIFO opened), then renamed
   over the name, whatever was there. */
static void writepid(void)
{
	char buf[24], tmp[NAME_MAX + 26];
	unsigned long was[UB_MASKW];
	struct ub_entry *e = &S.pidf;
	int fd = -1;
	char *p = ub_fmtu(buf, (unsigned long)getpid());
	size_t n;
	*p++ = '\n';
	if (ub_entry_at(e, S.pidfile) < 0)
		goto fail;
	n = strlen(e->name);
	errno = ENAMETOOLONG;
	if (n > NAME_MAX)
		goto fail;
	memcpy(tmp, e->name, n);
	tmp[n] = '.';
	tmp[n + 17] = 0;
	ub_hold(was, 1);   /* the temporary file and the rename, then noted */
	/* a name no other user can guess and take first (with our pid it was a
	   directory made in advance): getrandom, or the clock where it fails */
	for (int tries = 0; fd < 0 && tries < 4; tries++) {
		unsigned long long r;
		if (syscall(SYS_getrandom, &r, sizeof r, 1 /* GRND_NONBLOCK */) != (long)sizeof r)
			r = ub_now() * 0x9e3779b97f4a7c15ULL ^ (unsigned long long)getpid() << 40 ^ (unsigned)tries;
		for (int i = 0; i < 16; i++, r >>= 4)
			tmp[n + 1 + i] = ub_hex[r & 15];
		fd = ub_openat(e->dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd >= 0 && !ub_writeall(fd, buf, (size_t)(p - buf)) && !close(fd)
	    && !renameat(e->dir, tmp, e->dir, e->name)) {
		ub_entry_note(e, S_IFREG);
		ub_hold(was, 0);
		return;
	}
	if (fd >= 0) {
		int er = errno;
		unlinkat(e->dir, tmp, 0);
		errno = er;
	}
fail:
	ub_diesys(UB_EXIT_SYS, "unable to write ", S.pidfile, (char *)0);
}

/* -B: the parent returns only when the child says it listens, or with the
   child's own exit code. Returns the fd to notify on, in the child. */
static int background(void)
{
	int p[2];
	pid_t pid;
	char c;
	if (ub_pipe(p, O_CLOEXEC) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to create a pipe", (char *)0);
	pid = ub_fork();
	if (pid < 0)
		ub_diesys(UB_EXIT_SYS, "unable to fork", (char *)0);
	if (!pid) {
		close(p[0]);
		setsid();
		return p[1];
	}
	close(p[1]);
	if (ub_read(p[0], &c, 1) == 1 && !ub_read(p[0], &c, 1))
		_exit(0);   /* one byte, then the end: -S's exec, or a close */
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	_exit(WIFEXITED(st) && WEXITSTATUS(st) ? WEXITSTATUS(st) : UB_EXIT_SYS);
}

struct serve S;
#define SERVING "1ncCAtIx"   /* the options that -S refuses */

/* systemd's Type=notify: once listening, READY=1 and MAINPID (the serving
   process) in one datagram to NOTIFY_SOCKET, a path or an @abstract name. A
   failure is only a warning: the service runs all the same. */
static void notify_systemd(void)
{
	const char *ns = ub_getenv("NOTIFY_SOCKET");
	char msg[48] = "READY=1\nMAINPID=";
	struct ub_addr a;
	int fd;
	if (!ns)
		return;
	*ub_fmtu(msg + 16, (unsigned long)getpid()) = '\n';
	errno = ENAMETOOLONG;   /* or empty: no address at all */
	fd = ub_addr_try(&a, ns) ? -1 : ub_socket(SOCK_DGRAM);
	/* as a dgram reply is sent: through no symlink, and as root only to a
	   socket of root's (a user's link or file cannot redirect root's
	   datagram); a user's server may write to any socket it can reach */
	if (fd < 0 || ub_reply(fd, msg, strlen(msg), &a.sa, a.len,
	                       geteuid() ? UB_ANYID : 0, &S.self) < 0)
		ub_warnsys("unable to notify ", ns, (char *)0);
	if (fd >= 0)
		close(fd);
}

/* -S: LISTEN_FDNAMES is the address's last component (an @name without
   its @), refused where sd_listen_fds_with_names would not take it: empty,
   or with a ':' (its separator) or a byte outside printable ASCII. */
char e_fdname[16 + UB_PATHMAX];
static void fdname(void)
{
	const char *t = S.addr.text, *s = strrchr(t, '/'), *p;
	s = s ? s + 1 : t + S.addr.abstract;
	for (p = s; *p >= ' ' && *p <= '~' && *p != ':'; p++)
		;
	if (*p || p == s)
		ub_die(UB_EXIT_USAGE, "-S: no LISTEN_FDNAMES name in ", t, (char *)0);
	ub_kv(e_fdname, sizeof e_fdname, "LISTEN_FDNAMES=", s);
}

/* --help; one line for each letter of the getopt string below, with its
   argument named as in the synopsis (test/help.test holds them to it, and to
   the man page); -T, the addresses and the exit codes: ub_usage */
static const char help[] =
	"usage: uds-serve [-qv] [-B] [-P PIDFILE] [-1] [-n FD] [-c MAX] [-C MAX]\n"
	"\t\t [-b BACKLOG] [-m MODE] [-o USER[:GROUP]] [-u USER] [-g GROUP]\n"
	"\t\t [-A RULE]... [-T stream|seqpacket|dgram] [-t SECS]\n"
	"\t\t [-I upper|echo|discard|print] [-x | -S] ADDRESS [PROG [ARG...]]\n"
	UB_HELP(
	"-q  fatal errors only\n"
	"-v  log each event\n"
	"-B  background; return once serving\n"
	"-P PIDFILE  write the pid there\n"
	"-1  newline to stdout when ready\n"
	"-n FD  newline to FD when ready, close it\n"
	"-c MAX  connections at once (40)\n"
	"-C MAX  connections per uid (-c)\n"
	"-b BACKLOG  listen backlog (64)\n"
	"-m MODE  socket file mode (0600)\n"
	"-o USER[:GROUP]  socket file owner\n"
	"-u USER  drop to USER and its group\n"
	"-g GROUP  drop to GROUP\n"
	"-A RULE  admit only uid:ID or gid:ID (repeatable)\n"
	"    gid: any group of the client's; dgram: its primary gid only\n"
	"-t SECS  idle timeout of built-in services; -x: request deadline (10)\n"
	"-I upper|echo|discard|print  service without PROG (upper); print: to stdout\n"
	"-x  exec service: PROG ARG... on the client's fds 0-2, with its ARGs\n"
	"-S  exec PROG on the socket as fd 3\n");
static const char mid[] = UB_HELP(
	"signals: TERM/INT exit; QUIT also TERMs PROGs; HUP TERMs PROGs; USR2 re-execs\n"
	"env: LISTEN_PID LISTEN_FDS: socket on fd 3 (-S sets them and LISTEN_FDNAMES);\n"
	"  NOTIFY_SOCKET: READY=1 sent there; UDS_SERVE_STATE: USR2's; PROG gets PROTO\n"
	"  IPCREMOTEEUID IPCREMOTEEGID IPCREMOTEGROUPS IPCREMOTEPID IPCREMOTEPATH\n"
	"  IPCLOCALPATH IPCCONNNUM\n");
static const char tail[] = UB_HELP("\nexample: uds-serve @demo & echo hi | uds-connect @demo\n"
	"see man uds-serve\n");

int uds_serve_main(int argc, char **argv)
{
	struct ub_getopt g = { 0 };
	uid_t ouid = UB_NOID, uid = UB_NOID;
	gid_t ogid = UB_NOID, gid = UB_NOID, ugid = UB_NOID;
	const char *user = 0;
	unsigned long mode = 0600, backlog = UB_DEFBACKLOG, notify = 0, maxuid = 0, idle = ~0UL;
	int opt, ready1 = 0, bg = -1, daemonize = 0, act, up, sact = 0, bad = 0;
	/* what neither PROG nor a new image of ours (upgrade.c) inherits */
	static const char *const drop[] = { "PROTO", "IPCREMOTEEUID", "IPCREMOTEEGID",
		"IPCREMOTEGROUPS", "IPCREMOTEPID", "IPCREMOTEPATH", "IPCLOCALPATH", "IPCCONNNUM",
		"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "LISTEN_PIDFDID", "NOTIFY_SOCKET", UPGRADE_VAR, 0 };
	static char exe[UB_PROGMAX];

	/* An upgrade's new image: the exec made us dumpable again (real and
	   effective ids equal, no change of credentials), non-dumpable first
	   thing; upgraded() gives back what the old image had. */
	if (ub_getenv(UPGRADE_VAR))
		prctl(PR_SET_DUMPABLE, 0);
	S.startuid = getuid();   /* who may upgrade us, with root */
	S.type = SOCK_STREAM;
	S.maxconn = UB_DEFCONN;
	while ((opt = ub_getopt(&g, argc, argv, "qvBP:1n:c:C:b:m:o:u:g:A:T:t:I:xS")) != -1) {
		if (ub_strchr(SERVING, opt))
			bad = opt;   /* serving options: nothing to do with -S */
		switch (opt) {
		case 'q': ub_verbosity = 0; break;
		case 'v': ub_verbosity = 2; break;
		case 'B': daemonize = 1; break;
		case 'P': S.pidfile = g.arg; break;
		case '1': ready1 = 1; break;
		case 'n': notify = ub_getnum('n', g.arg, 3, 1023) + 1; break;   /* never 0-2 */
		case 'c': S.maxconn = (unsigned)ub_getnum('c', g.arg, 1, UB_MAXCONN); break;
		case 'C': maxuid = ub_getnum('C', g.arg, 1, UB_MAXCONN); break;
		case 'b': backlog = ub_getnum('b', g.arg, 1, 65535); break;
		case 'm':
			if (ub_octal(g.arg, &mode) || mode > 0777)
				ub_die(UB_EXIT_USAGE, "bad mode for -m: ", g.arg, (char *)0);
			break;
		case 'o': owner(g.arg, &ouid, &ogid); break;
		case 'u':
			user = g.arg;
			if (ub_user(g.arg, &uid, &ugid))
				ub_die(UB_EXIT_USAGE, "unknown user: ", g.arg, (char *)0);
			break;
		case 'g': gid = getgroup(g.arg); break;
		case 'A': rule(g.arg); break;
		case 'T': S.type = ub_socktype(g.arg); break;
		case 't': idle = ub_getms('t', g.arg); break;
		case 'I':
			if (!strcmp(g.arg, "upper")) S.service = UPPER;
			else if (!strcmp(g.arg, "echo")) S.service = ECHO;
			else if (!strcmp(g.arg, "discard")) S.service = DISCARD;
			else if (!strcmp(g.arg, "print")) S.service = PRINT;
			else ub_die(UB_EXIT_USAGE, "unknown service: ", g.arg, (char *)0);
			break;
		case 'x': S.exec = 1; break;
		case 'S': sact = 1; break;
		case UB_OPT_HELP: ub_usage(help, mid, tail);
		case UB_OPT_VERSION: ub_version();
		default: ub_optfail(&g, argv);
		}
	}
	ub_addr_arg(&S.addr, g.ind, argc, argv);
	if (g.ind + 1 < argc)
		S.prog = argv + g.ind + 1;
	if (S.exec && (!S.prog || S.type != SOCK_STREAM))
		ub_die(UB_EXIT_USAGE, "-x needs a PROG and a stream socket", (char *)0);
	if (sact) {
		if (bad || !S.prog)
			ub_die(UB_EXIT_USAGE, "-S needs a PROG, and none of -", SERVING, (char *)0);
		fdname();
	} else if (S.prog && S.type == SOCK_DGRAM)
		ub_die(UB_EXIT_USAGE, "a PROG needs a connected type, not dgram", (char *)0);
	if (uid != UB_NOID && gid == UB_NOID && (gid = ugid) == UB_NOID)
		ub_die(UB_EXIT_USAGE, "user ", user, " has no group: give -g", (char *)0);
	S.maxuid = maxuid ? (unsigned)maxuid : S.maxconn;
	/* -x: a request comes at once, or the slot goes back (-t 0: no limit) */
	S.idle = idle != ~0UL ? idle : S.exec ? UB_EXECWAIT : 0;
	S.needcred = S.nrules || S.maxuid < S.maxconn || ub_verbosity > 1 || S.prog;
	/* the binary to execute again on SIGUSR2 (uds_serve_upgrade.c) */
	S.exe = ub_which(ub_argv[0], exe);

	act = activated();
	up = act && upgraded();
	if (up) {
		/* the old image did all that: readiness, the background, the
		   pidfile, the drop of privileges; and what it passed on is all
		   known, none of it close-on-exec but the clients */
		daemonize = ready1 = 0;
		notify = 0;
		uid = gid = UB_NOID;
		S.pidfile = 0;
	} else
		cloexec_all();
	if (notify && ub_fcntl((int)notify - 1, F_GETFD, 0) < 0)
		ub_diesys(UB_EXIT_USAGE, "unable to use notification fd", (char *)0);
	if (daemonize)
		bg = background();
	S.mainpid = getpid();
	ub_lognb();
	setup_signals(up);
	ub_atexit = cleanup;
	if (act) {
		S.lfd = 3;
		ub_fcntl(3, F_SETFD, FD_CLOEXEC);
	} else
		S.lfd = ub_listen(&S.addr, S.type, (unsigned)mode, (int)backlog, ouid, ogid, &S.sock);
	if (ub_nonblock(S.lfd, 1) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to set up ", S.addr.text, (char *)0);
	if (S.pidfile)
		writepid();
	if (act && S.type != SOCK_STREAM) {
		/* ub_listen does it for its own socket, before it binds */
		int one = 1;
		ub_setsockopt(S.lfd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	}
	if (S.type == SOCK_DGRAM) {
		S.melen = sizeof S.me;
		getsockname(S.lfd, (struct sockaddr *)&S.me, &S.melen);
		/* our file, as bound in its directory, or as the old image knew it
		   (upgrade.c hands it over in S.sock's place) */
		S.self.dev = S.sock.dev;
		S.self.ino = S.sock.ino;
		if (act && !up && S.me.sun_path[0] && S.melen < sizeof S.me)
			ub_statat(AT_FDCWD, S.me.sun_path, &S.self);
		S.sock.dev = S.self.dev;
		S.sock.ino = S.self.ino;
	}
	if (S.service == PRINT)   /* before -u: /proc/self/fd/1 may be root's */
		S.out = ub_nbopen(1);
	if (ub_setids(uid, gid) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to drop privileges", (char *)0);
	/* non-dumpable from the drop on, whatever fs.suid_dumpable says: no
	   process of that user may read our memory, environment or descriptors
	   (an upgrade's new image does it first thing) */
	if (uid != UB_NOID || gid != UB_NOID)
		prctl(PR_SET_DUMPABLE, 0);

	loop_init();
	if (up) {
		adopt();
		reap_all();   /* a child that ended during the exec */
	}
	ub_env_init(drop);   /* PROG's, and a new image's */
	if (S.prog) {
		ub_kv(e_lpath, sizeof e_lpath, "IPCLOCALPATH=", S.addr.text);
		static char found[UB_PROGMAX];   /* PROG looked up once, not per connection */
		S.progpath = ub_which(S.prog[0], found);
	}

	notify_systemd();
	if (ready1 && ub_writeall(1, "\n", 1) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to notify readiness", (char *)0);
	if (notify) {
		/* closed by a copy of the listening socket over it: fd 3 (-n 3)
		   is never free for a client, whom upgrade() could not hand over */
		ub_writeall((int)notify - 1, "\n", 1);
		syscall(SYS_dup3, S.lfd, (int)notify - 1, O_CLOEXEC);
	}
	if (bg >= 0) {
		int nul = ub_open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			if (S.service != PRINT || S.prog)   /* print's output stays */
				dup2(nul, 1);
			if (nul > 2)
				close(nul);
		}
	}
	if (sact)
		activate(bg);
	if (bg >= 0) {
		ub_writeall(bg, "", 1);
		close(bg);
	}

	serve_loop(&sigs);
}
