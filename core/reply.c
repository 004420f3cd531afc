/* SPDX-License-Identifier: ISC */
/* reply.c: answer a datagram's sender, and nothing else in its place. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "core.h"

/* A sender's path is only a name, looked up again when we send: by then it
   may be a symlink to a socket only root may reach, or to ourselves. So the
   path is opened one component at a time, following no symlink; what it
   leads to must be a socket file owned by the sender's uid (UB_ANYID: by
   anyone, for a path that came from our own environment) and not our own
   (self), and the reply goes to that very file through its descriptor
   (/proc/self/fd/N), leaving nothing to swap in between. An abstract name
   has no file and no symlink: it is used as it is. -1 with errno (EPERM
   for a refused path). */
int ub_reply(int s, const void *buf, size_t n, const struct sockaddr_un *to,
             socklen_t tolen, uid_t uid, const struct ub_file *self)
{
	char path[UB_PATHMAX + 2], *p = path, *slash;
	size_t len = tolen - offsetof(struct sockaddr_un, sun_path);
	struct sockaddr_un via = { .sun_family = AF_UNIX };
	struct ub_file f;
	int dir = AT_FDCWD, fd, r = -1;
	if (!to->sun_path[0])
		return (int)sendto(s, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL,
		                   (const struct sockaddr *)to, tolen);
	if (len > sizeof to->sun_path)
		len = sizeof to->sun_path;
	memcpy(path, to->sun_path, len);   /* 108 bytes may come with no NUL */
	path[len] = 0;
	for (;;) {
		slash = ub_strchr(p, '/');
		if (slash)
			*slash = 0;
		fd = ub_openat(dir, *p ? p : p == path ? "/" : ".",
		            O_PATH | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : 0));
		if (dir >= 0)
			close(dir);
		if (fd < 0 || !slash)
			break;
		dir = fd;
		p = slash + 1;
	}
	if (fd < 0)
		return -1;
	errno = EPERM;
	if (!ub_statat(fd, "", &f) && f.type == S_IFSOCK && (f.uid == uid || uid == UB_ANYID)
	    && (f.dev != self->dev || f.ino != self->ino)) {
		memcpy(via.sun_path, "/proc/self/fd/", 14);
		ub_fmtu(via.sun_path + 14, (unsigned long)fd);
		r = (int)sendto(s, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL,
		                (const struct sockaddr *)&via, sizeof via);
	}
	close(fd);
	return r;
}
