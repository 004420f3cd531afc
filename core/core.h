/* SPDX-License-Identifier: ISC */
/* core.h: the public header of udsbox's allocation-free, stdio-free core. */
#ifndef UB_CORE_H
#define UB_CORE_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

/* Capacities: compile-time constants, never grown at run time. */
#define UB_PATHMAX     107     /* bytes of a path or @name (sun_path less the NUL) */
/* The ones a packager may set (CPPFLAGS=-DUB_MAXCONN=2000), each checked
   against what the code can hold. */
#ifndef UB_MAXCONN
#define UB_MAXCONN     1000    /* hard limit of -c */
#endif
#ifndef UB_DEFCONN
#define UB_DEFCONN     40      /* default of -c */
#endif
#ifndef UB_DEFBACKLOG
#define UB_DEFBACKLOG  64
#endif
#ifndef UB_MAXRULES
#define UB_MAXRULES    16      /* -A rules */
#endif
#ifndef UB_ENVMAX
#define UB_ENVMAX      256     /* inherited environment entries kept for PROG */
#endif
#ifndef UB_PEERGROUPS
#define UB_PEERGROUPS  256     /* a client's supplementary groups read for -A gid: */
#endif
#if UB_MAXCONN < 1 || UB_MAXCONN > 2000
#error "UB_MAXCONN must be 1..2000: an upgrade hands the table over in one 64 KiB buffer"
#endif
#if UB_DEFCONN < 1 || UB_DEFCONN > UB_MAXCONN
#error "UB_DEFCONN must be 1..UB_MAXCONN"
#endif
#if UB_DEFBACKLOG < 1 || UB_DEFBACKLOG > 65535
#error "UB_DEFBACKLOG must be 1..65535"
#endif
#if UB_MAXRULES < 1 || UB_MAXRULES > 1000
#error "UB_MAXRULES must be 1..1000"
#endif
#if UB_ENVMAX < 16 || UB_ENVMAX > 65536
#error "UB_ENVMAX must be 16..65536"
#endif
#if UB_PEERGROUPS < 1 || UB_PEERGROUPS > 65536
#error "UB_PEERGROUPS must be 1..65536 (the kernel's NGROUPS_MAX)"
#endif
#define UB_MAXGROUPS   1       /* supplementary groups after -u: just the one */
#define UB_MSGMAX      512     /* one log or error line */
#define UB_IOBUF       65536   /* one relay or scratch buffer */
#define UB_PENDSLOTS   32      /* built-in replies parked for slow readers */
#define UB_PENDSIZE    16384   /* largest built-in read, so a reply fits a slot */
#define UB_LINEMAX     1024    /* one /etc/passwd or /etc/group line */
#define UB_PROGMAX     512     /* a program's path found in PATH */

/* "No id given": (uid_t)-1 is the one value no user or group can have (the
   kernel reads it as "unchanged"), and the parsers refuse it. */
#define UB_NOID ((unsigned)-1)
#define UB_ANYID ((unsigned)-2)   /* ub_reply: a socket of any owner */

/* Exit codes (s6 convention). */
#define UB_EXIT_NOSERVER 1
#define UB_EXIT_USAGE    100
#define UB_EXIT_SYS      111
#define UB_EXIT_NOAPPLET 127

/* The one scratch area every applet shares: only one applet runs a process.
   Aligned for any type: uds-serve reads its connection table back into it. */
extern unsigned char ub_scratch[2 * UB_IOBUF + UB_PENDSLOTS * UB_PENDSIZE] __attribute__((aligned(16)));

/* msg.c: one-line messages, one write(2) each. */
extern const char *ub_prog;
extern int ub_verbosity;         /* 0 with -q, 1 normal, 2 with -v */
extern void (*ub_atexit)(void);  /* run by ub_die and ub_diesys before _exit */
void ub_putfd(int fd, const char *const *parts);
void ub_die(int code, ...) __attribute__((noreturn, sentinel));
void ub_diesys(int code, ...) __attribute__((noreturn, sentinel));
void ub_warnsys(const char *s, ...) __attribute__((sentinel));
void ub_info(const char *s, ...) __attribute__((sentinel));
/* --help: help (the synopsis, then a line per option: UB_HELP, not in a
   build with -DUB_HELP_SHORT, `make HELP=short`), the option and the address
   forms both applets share, mid (the applet's signals and environment), the
   exit codes both share, tail (the applet's own, its example, its man page);
   stdout, exit 0. The short build prints help alone, and passes nothing else. */
#ifdef UB_HELP_SHORT
#define UB_HELP(text) ""
#define ub_usage(help, mid, tail) ((void)(mid), (void)(tail), ub_usage(help))
void (ub_usage)(const char *help) __attribute__((noreturn));
#else
#define UB_HELP(text) text
void ub_usage(const char *help, const char *mid, const char *tail) __attribute__((noreturn));
#endif
void ub_out(const char *s);      /* to stdout, for --help and --list */
void ub_lognb(void);             /* from now on, stderr never blocks us */
extern int ub_logfd;             /* where, after ub_lognb */
int ub_nbopen(int fd);           /* a non-blocking one of our own for a pipe or tty */
const char *ub_errstr(int e);

/* num.c: strict parsers and a formatter. */
int ub_ulong(const char *s, unsigned long *v);              /* decimal, no sign */
int ub_octal(const char *s, unsigned long *v);
int ub_duration(const char *s, unsigned long *ms);          /* SECS[.FRAC] */
char *ub_fmtu(char *buf, unsigned long long v);                  /* returns the NUL */
unsigned long ub_getnum(char opt, const char *s, unsigned long lo, unsigned long hi);
unsigned long ub_getms(char opt, const char *s);

/* getopt.c: reentrant, stops at the first operand and at "--". */
struct ub_getopt { int ind; int pos; char opt; char miss; const char *arg; };
#define UB_OPT_HELP    1
#define UB_OPT_VERSION 2
int ub_getopt(struct ub_getopt *g, int argc, char *const *argv, const char *spec);
void ub_optfail(const struct ub_getopt *g, char *const *argv) __attribute__((noreturn));
void ub_version(void) __attribute__((noreturn));

/* addr.c */
struct ub_addr {
	struct sockaddr_un sa;
	socklen_t len;
	const char *text;        /* as given */
	int abstract;
};
const char *ub_addr_try(struct ub_addr *a, const char *s);   /* 0 or why it is bad */
void ub_addr_get(struct ub_addr *a, const char *s);   /* dies 100 on bad input */
void ub_addr_arg(struct ub_addr *a, int ind, int argc, char *const *argv);
int ub_socktype(const char *s);                       /* -T argument, dies 100 */
void ub_addr_fmt(char *buf, const struct sockaddr_un *sa, socklen_t len);

/* stat.c */
struct ub_file { unsigned type, uid; unsigned long long dev, ino; };
int ub_statat(int dir, const char *name, struct ub_file *f);   /* "" is dir itself */

/* sock.c (ub_socket in sys.c) */
struct ub_entry {           /* a file we made: its directory, held open, and its name */
	int dir, made;
	const char *name;
	unsigned long long dev, ino;
};
int ub_entry_at(struct ub_entry *e, const char *path);
void ub_entry_note(struct ub_entry *e, unsigned type);   /* S_IFSOCK, S_IFREG */
void ub_entry_remove(struct ub_entry *e);   /* only if it is still ours */
int ub_socket(int type);
int ub_listen(const struct ub_addr *a, int type, unsigned mode, int backlog,
              uid_t uid, gid_t gid, struct ub_entry *e);
int ub_connect(int fd, const struct ub_addr *a);
int ub_bind_local(int fd, const struct ub_addr *a, struct ub_entry *e);

/* reply.c, cmsg.c: datagrams */
int ub_reply(int s, const void *buf, size_t n, const struct sockaddr_un *to,
             socklen_t tolen, uid_t uid, const struct ub_file *self);
int ub_cmsg(struct msghdr *m, struct ucred *cr, int *fds, unsigned *n, unsigned max);
ssize_t ub_msgread(int fd, void *buf, size_t n, int flags, int *eof);
/* Room for the credentials and for as many descriptors as one message can
   carry (the kernel's SCM_MAX_FD, 253), so that every one is seen, and closed:
   what does not fit would be left to the kernel, and an emulator may leak it. */
union ub_cmsgbuf {
	struct cmsghdr h;
	char b[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(253 * sizeof(int))];
};

/* esc.c: one line of text from any bytes, reversibly */
extern const char ub_hex[16];   /* the digits, lower case */
#define UB_ESC_LINES 1   /* a newline passes: the caller's lines */
#define UB_ESC_TAP   2   /* tab and bytes from 0x80 escaped too */
size_t ub_esc(char *out, size_t cap, const unsigned char *in, size_t *n, int mode);

/* io.c: the one place for EINTR, EAGAIN and short writes. */
ssize_t ub_read(int fd, void *buf, size_t n);
int ub_writeall(int fd, const void *buf, size_t n);
ssize_t ub_send(int fd, const void *buf, size_t n);  /* non-blocking, no SIGPIPE */
int ub_waitfd(int fd, short ev, int ms);
int ub_nonblock(int fd, int on);
void ub_halfclose(int fd);
ssize_t ub_trywrite(int fd, const void *buf, size_t n);   /* never blocks */
void ub_shift(unsigned char *buf, size_t off, size_t n);
void *ub_memchr(const void *p, int c, size_t n);   /* a byte loop: libc's is 150 bytes */
char *ub_strchr(const char *s, int c);
void ub_stdfds(void);

/* sys.c: raw system calls */
int ub_setids(uid_t uid, gid_t gid);
int ub_fsids(uid_t uid, gid_t gid);
pid_t ub_fork(void);
void ub_sigdefault(int sig);
void ub_sigignore(int sig, int on);
void ub_sigcatch(int sig, void (*h)(int));   /* h ends the process: see sys.c */
void ub_sigdie(int sig) __attribute__((noreturn));   /* how h ends it */
#define UB_MASKW (16 / sizeof(long))   /* a kernel sigset, MIPS's 128 bits */
void ub_hold(unsigned long *was, int on);   /* TERM INT QUIT HUP, around make+note */
int ub_getsockopt(int fd, int level, int name, void *v, socklen_t *len);
#define UB_AGAIN 10   /* rests of 0.1 s over ENOMEM, ENOBUFS, ENFILE */
int ub_again(unsigned *n);
int ub_sockopt(int fd, int name);   /* an int SOL_SOCKET option, or -1 */
#ifndef SO_PEERGROUPS   /* Linux 4.13; the C library's headers may predate it */
#if defined __hppa__
#define SO_PEERGROUPS 0x4034
#elif defined __sparc__
#define SO_PEERGROUPS 0x003d
#else
#define SO_PEERGROUPS 59   /* asm-generic's, which mips keeps too */
#endif
#endif
int ub_fcntl(int fd, int cmd, long arg);
int ub_openat(int dir, const char *path, int flags);   /* O_CREAT: mode 0644 */
#define ub_open(path, flags) ub_openat(-100 /* AT_FDCWD */, path, flags)
int ub_accept(int fd, struct sockaddr_un *sa, socklen_t *len, int flags);
int ub_pipe(int p[2], int flags);
#include <signal.h>
int ub_signalfd(const sigset_t *set);                  /* non-blocking, close-on-exec */
int ub_sigmask(int how, const sigset_t *set);
struct epoll_event;
int ub_epoll_wait(int ep, struct epoll_event *ev, int n, int ms);
ssize_t ub_readlink(const char *path, char *buf, size_t n);
int ub_fchdir(int fd);
unsigned long long ub_nofile(void);
void ub_closefds(const int *keep, unsigned n, int cloexec);   /* all above 2 but keep[] */
int ub_setsockopt(int fd, int level, int name, const void *v, socklen_t len);
ssize_t ub_recvmsg(int fd, struct msghdr *m, int flags);

/* time.c */
unsigned long long ub_now(void);    /* monotonic ms */

/* env.c: the child environment, built in a fixed array. */
void ub_env_init(const char *const *drop);
void ub_env_set(const char *kv);
char **ub_env_get(void);
void ub_env_reset(void);
void ub_env_merge(const char *env, size_t len);   /* the client's, where ours is set and empty */
char *ub_kv(char *buf, size_t n, const char *key, const char *val);
const char *ub_prefix(const char *s, const char *p);   /* what follows p in s, or 0 */
const char *ub_getenv(const char *name);

/* rules.c: -A; the prototype is the fuzz target's (test/fuzz/fuzz_rules.c) */
struct ub_rule { char isgid; unsigned id; };
int ub_allowed(const struct ub_rule *r, int nr, uid_t uid, gid_t gid, const gid_t *groups, unsigned ngroups);

/* pw.c: /etc/passwd and /etc/group without getpwnam. */
int ub_user(const char *name, uid_t *uid, gid_t *gid);
int ub_group(const char *name, gid_t *gid);
int ub_dbline(const char *line, size_t len, const char *key, int byid, unsigned *id, unsigned *gid);

/* path.c */
const char *ub_which(const char *name, char *buf);      /* buf: UB_PROGMAX bytes */
int ub_execvp(char *const *argv, char *const *envp);

/* sudo.c: the exec service's wire protocol (s6-sudo 1.0), big-endian */
#define UB_EXECMAX     262144  /* largest exec request: arguments and environment */
#define UB_EXECARGS    8192    /* arguments of the command, its own and the client's */
#define UB_EXECWAIT    10000   /* ms a client has for its request without -t */
struct ub_sudoreq { unsigned argc, envc; const char *args, *env; size_t envlen; };
extern const char ub_sudo_banner_s[];   /* "s6-sudo b v1.0\n", 15 bytes */
unsigned ub_be32(const unsigned char *p);
void ub_put32(unsigned char *p, unsigned v);
int ub_sudo_parse(const unsigned char *p, size_t n, struct ub_sudoreq *r);
ssize_t ub_sudo_recv(int fd, unsigned char *buf, size_t cap, int fds[3], int ms,
                     int wfd, int (*stop)(void));
int ub_sudo_fdsok(int fl0, int fl1, int fl2);   /* F_GETFL of the three */
int ub_sudo_send(int fd, char *const *argv, char *const *envp);

/* applets (main.c keeps the command line as given, for uds-serve's re-exec) */
extern char **ub_argv;
int uds_serve_main(int argc, char **argv);
int uds_connect_main(int argc, char **argv);

#endif
