/* SPDX-License-Identifier: ISC */
/* sock.c: creating, binding, listening and connecting UNIX sockets. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "core.h"

/* Is a bound socket file served? Probe without blocking: a full backlog
   (EAGAIN) or another socket type (EPROTOTYPE) still means alive. */
static int alive(const struct ub_addr *a, int type)
{
	int fd = ub_socket(type | SOCK_NONBLOCK), r, e;
	if (fd < 0)
		return -1;
	r = connect(fd, (const struct sockaddr *)&a->sa, a->len);
	e = errno;
	close(fd);
	if (!r || e == EAGAIN || e == EPROTOTYPE || e == EINPROGRESS)
		return 1;
	if (e == ECONNREFUSED || e == ENOENT)
		return 0;
	errno = e;
	return -1;
}

/* The lock that keeps two udsbox servers from both judging one file stale.
   Anyone who can open the directory can hold it, so it is only tried for a
   moment, never waited on: -1 if it was not had. */
static int lockdir(const struct ub_entry *e)
{
	int fd = ub_openat(e->dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (int i = 0; fd >= 0 && i < 25; i++) {
		if (!flock(fd, LOCK_EX | LOCK_NB))
			return fd;
		poll(0, 0, 20);
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

/* A file of ours, known by its directory, opened once, and its name there:
   what is later checked or removed is in that directory even if the path
   comes to lead elsewhere. */
int ub_entry_at(struct ub_entry *e, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	e->made = 0;
	e->name = slash ? slash + 1 : path;
	e->dir = AT_FDCWD;
	if (!slash)
		return 0;
	if (n >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, n);
	dir[n + !n] = 0;
	if (!n)
		dir[0] = '/';
	e->dir = ub_open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return e->dir < 0 ? -1 : 0;
}

/* Remember what is at the entry now as ours, if it is of the type we made. */
void ub_entry_note(struct ub_entry *e, unsigned type)
{
	struct ub_file f;
	if (!ub_statat(e->dir, e->name, &f) && f.type == type) {
		e->dev = f.dev;
		e->ino = f.ino;
		e->made = 1;
	}
}

/* Remove the entry if it is still the file we made; another's is left alone. */
void ub_entry_remove(struct ub_entry *e)
{
	struct ub_file f;
	if (e->made && !ub_statat(e->dir, e->name, &f) && f.dev == e->dev && f.ino == e->ino)
		while (unlinkat(e->dir, e->name, 0) < 0 && errno == EINTR)
			;
	e->made = 0;
}

/* Bind and listen under the socket-file rules. The umask makes the file no
   more open than mode, and the fs ids make it its owner's, from its first
   instant: there is no chown by path for anyone to redirect. Everything is
   done in the directory opened once, the bind and the probe too (by the name
   alone, from inside it), so that a parent swapped meanwhile changes nothing:
   the socket is bound there, judged there, and removed from there only. */
int ub_listen(const struct ub_addr *a, int type, unsigned mode, int backlog,
              uid_t uid, gid_t gid, struct ub_entry *e)
{
	int fd = ub_socket(type), lk = -1, tries = 0, ids = 0, cwd = -1, one = 1;
	mode_t old;
	struct ub_file st;
	struct ub_addr here = *a;
	unsigned long was[UB_MASKW];
	if (fd < 0)
		ub_diesys(UB_EXIT_SYS, "unable to create socket", (char *)0);
	/* credentials on every message from the first one (dgram: whom to
	   answer, -A; seqpacket, inherited by each connection: an empty message
	   from the end), or an early one would come with none */
	if (type != SOCK_STREAM)
		ub_setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	e->made = 0;
	if (!a->abstract) {
		if (ub_entry_at(e, a->text) < 0)
			goto fail;
		if (e->dir != AT_FDCWD && !ub_addr_try(&here, e->name)
		    && (cwd = ub_open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0 && ub_fchdir(e->dir) < 0)
			goto fail;
		if (cwd < 0)
			here = *a;
		ids = uid != UB_NOID || gid != UB_NOID;
		if (ids && ub_fsids(uid, gid) < 0)
			goto fail;
		lk = lockdir(e);
	}
	old = umask((mode_t)(~mode & 0777));
	ub_hold(was, 1);   /* until the file is noted: a TERM then removes it */
	while (bind(fd, (const struct sockaddr *)&here.sa, here.len) < 0) {
		int r;
		if (errno != EADDRINUSE || a->abstract || ++tries > 3)
			goto fail;
		if (ub_statat(e->dir, e->name, &st) < 0) {
			if (errno == ENOENT)
				continue;
			goto fail;
		}
		if (st.type != S_IFSOCK) {
			errno = ENOTSOCK;
			goto fail;
		}
		r = alive(&here, type);
		if (!r && lk < 0) {
			/* unlocked, a server between its bind and its listen looks
			   stale for an instant: look again */
			poll(0, 0, 50);
			r = alive(&here, type);
		}
		if (r) {
			if (r > 0)
				errno = EADDRINUSE;
			goto fail;
		}
		if (unlinkat(e->dir, e->name, 0) < 0 && errno != ENOENT)
			goto fail;
	}
	umask(old);
	if (!a->abstract)
		ub_entry_note(e, S_IFSOCK);   /* first: a failure from here on removes it */
	ub_hold(was, 0);
	if (cwd >= 0) {
		if (ub_fchdir(cwd) < 0)
			goto fail;
		close(cwd);
	}
	if (ids)
		ub_fsids(geteuid(), getegid());
	if (type != SOCK_DGRAM && listen(fd, backlog) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to listen on ", a->text, (char *)0);
	if (lk >= 0)
		close(lk);
	return fd;
fail:
	ub_diesys(UB_EXIT_SYS, "unable to bind ", a->text, (char *)0);
}

/* An AF_UNIX connect that was interrupted did not happen (no connection
   goes on in the background, as it would for TCP): it is simply tried again. */
int ub_connect(int fd, const struct ub_addr *a)
{
	int r;
	do r = connect(fd, (const struct sockaddr *)&a->sa, a->len); while (r < 0 && errno == EINTR);
	return r;
}

/* A client's own address; a path is noted, to be removed at exit if still
   ours. The bind is by the full path, since that is the address the server
   sees and answers (by name from inside the directory, as ub_listen binds,
   it would see only the name). Where the kernel hands us the very file the
   bind made (SIOCUNIXFILE: root, Linux 6.1 has it), that file is what is
   noted, by dev/ino: wherever a swapped parent put it, and whatever is at
   the name in the first directory afterwards, only that file is removed.
   Elsewhere the file is noted only if the path leads to the directory
   opened before, still: one swapped in meanwhile got the file. */
#ifndef SIOCUNIXFILE
#define SIOCUNIXFILE 0x89e0
#endif
int ub_bind_local(int fd, const struct ub_addr *a, struct ub_entry *e)
{
	struct ub_entry now;
	struct ub_file was, is;
	unsigned long mask[UB_MASKW];
	int r = -1, mine;
	e->made = 0;
	if (!a->abstract && ub_entry_at(e, a->text) < 0)
		return -1;
	ub_hold(mask, 1);   /* until the file is noted: a TERM then removes it */
	if (bind(fd, (const struct sockaddr *)&a->sa, a->len) < 0)
		goto out;
	r = 0;
	if (a->abstract)
		goto out;
	/* the raw call: musl's ioctl() brings a time64 table of 1 KiB */
	if ((mine = (int)syscall(SYS_ioctl, fd, SIOCUNIXFILE, 0)) >= 0) {
		if (!ub_statat(mine, "", &is) && is.type == S_IFSOCK) {
			e->dev = is.dev;
			e->ino = is.ino;
			e->made = 1;
		}
		close(mine);
	} else if (!ub_entry_at(&now, a->text)) {
		if (!ub_statat(e->dir, "", &was) && !ub_statat(now.dir, "", &is)
		    && was.dev == is.dev && was.ino == is.ino)
			ub_entry_note(e, S_IFSOCK);
		if (now.dir != AT_FDCWD)
			close(now.dir);
	}
out:
	ub_hold(mask, 0);
	return r;
}
