/* SPDX-License-Identifier: ISC */
/* uds_serve.h: what the files of uds-serve share: the state, the connection
   table, and the functions each concern offers the others. One process, one
   applet: the state is global, in fixed tables. */
#ifndef UDS_SERVE_H
#define UDS_SERVE_H

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "../core/core.h"

enum { FREE, BUILTIN, CHILD };
enum { UPPER, ECHO, DISCARD, PRINT };
#define ID_LISTEN UB_MAXCONN
#define ID_SIGNAL (UB_MAXCONN + 1)
#define NOSLOT 0xff

struct conn {
	unsigned long long last;   /* last activity (ms), for -t */
	pid_t pid;                 /* the child, or the built-in client's pid */
	uid_t uid;
	int fd;
	unsigned short off, len;   /* pending reply within its slot */
	unsigned char state, slot, blocked;
	unsigned char rests;       /* ENOMEM or ENOBUFS in a row: it rests between */
};

extern struct conn conns[UB_MAXCONN];
extern unsigned hiwater, nconn;

struct serve {
	struct ub_addr addr;
	struct ub_entry sock, pidf;   /* the socket file and the pidfile we made */
	struct ub_file self;          /* our own socket file (dgram: never answer it) */
	struct sockaddr_un me;        /* our own address (dgram: never answer it) */
	socklen_t melen;
	int type, lfd, ep, sigfd, service, accepting, nrules;
	int out;                  /* -I print: stdout, our own non-blocking one if it can be */
	int exec;                 /* -x: the exec service */
	int needcred;             /* does anything use the client's credentials? */
	unsigned long starved;    /* accept or recvmsg failures since the last warning */
	unsigned long long warned;   /* when the next warning may be given */
	int upgrade;              /* SIGUSR2 came: re-exec between events */
	uid_t startuid;           /* the real uid at the first start: it and root may upgrade */
	unsigned maxconn, maxuid;
	unsigned long idle;
	unsigned long long paused, nextidle;
	unsigned long long rested;   /* when the resting connections wake, or 0 */
	pid_t mainpid;
	char **prog;
	const char *progpath;     /* PROG found in PATH once, at start */
	const char *pidfile;
	const char *exe;          /* our binary: argv[0] with a slash, else found in PATH at start, or "" */
	int gidrule;              /* is one of the rules a gid: rule? */
	int groups;               /* read each client's supplementary groups (SO_PEERGROUPS) */
	struct ub_rule rules[UB_MAXRULES];
};
extern struct serve S;

/* Pending replies for slow readers live in a few fixed slots of the shared
   scratch area; a client waits for a free slot rather than grow anything. */
#define SCRATCH ub_scratch
#define POOL (ub_scratch + UB_IOBUF)
extern unsigned char slotused[UB_PENDSLOTS];

/* uds_serve.c: start-up and the end */
void cleanup(void);
extern char e_lpath[16 + UB_PATHMAX], e_fdname[16 + UB_PATHMAX];

/* uds_serve_loop.c: the event loop, accepting, the connection table */
void loop_init(void);
void serve_loop(const sigset_t *sigs) __attribute__((noreturn));
int epctl(int op, int fd, unsigned ev, unsigned id);
unsigned conn_new(void);
void conn_free(unsigned i);
void info3(const char *what, unsigned long a, unsigned long b, unsigned long c);
void signals(void);
void reap_all(void);
void slot_release(struct conn *c);
void stop(pid_t pid);

/* uds_serve_builtin.c: the built-in services */
void serve_conn(unsigned i);
void serve_dgram(void);
int freeslot(void);
void watch(unsigned i, unsigned ev);
ssize_t consume(int fd, size_t n);

/* uds_serve_loop.c: the listener rests after a failure for want of resources */
void starve(const char *what);
void cut(unsigned i);
int rest(unsigned i);

/* uds_serve_print.c: -I print */
void print_out(const unsigned char *buf, size_t n);
void print_msg(const unsigned char *buf, size_t n);
void serve_print(unsigned i, unsigned ev);

/* uds_serve_upgrade.c: SIGUSR2, the same binary again in this process */
#define UPGRADE_VAR "UDS_SERVE_STATE"
void upgrade(void);
int upgraded(void);
void adopt(void);
const char *state_check(const unsigned char *st, size_t n);   /* 0: in range */

/* uds_serve_loop.c: the supplementary groups of the client just accepted
   (ngroups -1: not read), for -A and IPCREMOTEGROUPS */
extern gid_t groups[UB_PEERGROUPS];
extern int ngroups;
void groups_init(void);

/* uds_serve_prog.c: a program per connection */
void spawn(int fd, const struct ucred *cr, const struct sockaddr_un *sa, socklen_t salen, unsigned n);
void prog_exec(char **av);   /* returns only if the exec failed */
void activate(int bg) __attribute__((noreturn));   /* -S: PROG on the socket as fd 3 */

/* uds_serve_exec.c: the exec service, one session process per client */
void exec_session(int fd) __attribute__((noreturn));

#endif
