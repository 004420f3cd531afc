/* SPDX-License-Identifier: ISC */
/* cmsg.c: what comes with a message (ancillary data), taken and let go. */
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "core.h"

/* Copy the sender's credentials out, if there are any and cr is given (1
   then, else 0). Of the descriptors that came along, keep the first in fds
   while *n is below max (n given), and close every other: one that nobody
   holds is leaked. Read with MSG_CMSG_CLOEXEC, so none reaches a child even
   for that instant. */
int ub_cmsg(struct msghdr *m, struct ucred *cr, int *fds, unsigned *n, unsigned max)
{
	int found = 0;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h; h = CMSG_NXTHDR(m, h)) {
		if (h->cmsg_level != SOL_SOCKET)
			continue;
		if (h->cmsg_type == SCM_CREDENTIALS && cr && h->cmsg_len >= CMSG_LEN(sizeof *cr)) {
			memcpy(cr, CMSG_DATA(h), sizeof *cr);
			found = 1;
		} else if (h->cmsg_type == SCM_RIGHTS) {
			unsigned char *d = CMSG_DATA(h);
			for (size_t i = 0; i + sizeof(int) <= h->cmsg_len - CMSG_LEN(0); i += sizeof(int)) {
				int fd;
				memcpy(&fd, d + i, sizeof fd);
				if (n && *n < max)
					fds[(*n)++] = fd;
				else
					close(fd);
			}
		}
	}
	return found;
}

/* One message into buf, what came with it let go (ub_cmsg). On seqpacket a
   read of 0 is an empty message or the end, and only the credentials tell
   them apart: with SO_PASSCRED on the socket every message carries them, and
   the end has none. *eof is set for the end. */
ssize_t ub_msgread(int fd, void *buf, size_t n, int flags, int *eof)
{
	union ub_cmsgbuf cm;
	struct iovec iov = { buf, n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &cm,
		.msg_controllen = sizeof cm };
	struct ucred cr;
	ssize_t r = ub_recvmsg(fd, &m, flags | MSG_CMSG_CLOEXEC);
	int creds = r >= 0 && ub_cmsg(&m, &cr, 0, 0, 0);
	*eof = !r && !creds;
	return r;
}
