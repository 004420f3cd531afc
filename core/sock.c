/* sock.c: creating, binding, listening and connecting UNIX sockets. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "core.h"

int ub_socket(int type)
{
	return socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
}

/* Is a bound socket file served? Probe without blocking: a full backlog
   (EAGAIN) or another socket type (EPROTOTYPE) still means alive. */
static int alive(const struct ub_addr *a, int type)
{
	int fd = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), r, e;
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

static int lockdir(const char *path)
{
	char dir[UB_PATHMAX + 2];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	if (!slash)
		dir[n++] = '.';
	else if (!n)
		dir[n++] = '/';
	else
		memcpy(dir, path, n);
	dir[n] = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
	return fd;
}

/* Bind and listen under the socket-file rules. The umask makes the file no
   more open than mode from its first instant; a lock on the directory keeps
   two udsbox servers from both judging the same file stale. */
int ub_listen(const struct ub_addr *a, int type, unsigned mode, int backlog,
              long uid, long gid)
{
	int fd = ub_socket(type), dfd = -1, tries = 0;
	mode_t old;
	struct ub_file st;
	if (fd < 0)
		ub_diesys(UB_EXIT_SYS, "unable to create socket", (char *)0);
	if (!a->abstract)
		dfd = lockdir(a->text);
	old = umask((mode_t)(~mode & 0777));
	while (bind(fd, (const struct sockaddr *)&a->sa, a->len) < 0) {
		int r;
		if (errno != EADDRINUSE || a->abstract || ++tries > 3)
			goto fail;
		if (ub_lstat(a->text, &st) < 0) {
			if (errno == ENOENT)
				continue;
			goto fail;
		}
		if (st.type != S_IFSOCK) {
			errno = ENOTSOCK;
			goto fail;
		}
		r = alive(a, type);
		if (r) {
			if (r > 0)
				errno = EADDRINUSE;
			goto fail;
		}
		if (unlink(a->text) < 0 && errno != ENOENT)
			goto fail;
	}
	umask(old);
	if ((uid >= 0 || gid >= 0) && !a->abstract
	    && chown(a->text, (uid_t)uid, (gid_t)gid) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to chown ", a->text, (char *)0);
	if (type != SOCK_DGRAM && listen(fd, backlog) < 0)
		ub_diesys(UB_EXIT_SYS, "unable to listen on ", a->text, (char *)0);
	if (dfd >= 0)
		close(dfd);
	return fd;
fail:
	ub_diesys(UB_EXIT_SYS, "unable to bind ", a->text, (char *)0);
}

int ub_connect(int fd, const struct ub_addr *a)
{
	int r = connect(fd, (const struct sockaddr *)&a->sa, a->len);
	if (r < 0 && errno == EINTR) {
		/* the connection goes on in the background: wait for its result */
		int e = 0;
		socklen_t l = sizeof e;
		ub_waitfd(fd, POLLOUT, -1);
		if (ub_getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
			return -1;
		if (e) {
			errno = e;
			return -1;
		}
		return 0;
	}
	return r;
}

int ub_bind_local(int fd, const struct ub_addr *a)
{
	return bind(fd, (const struct sockaddr *)&a->sa, a->len);
}
