/* cmsg.c: what comes with a message (ancillary data), taken and let go. */
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "core.h"

/* Copy the sender's credentials out, if there are any (1 then, else 0), and
   close every descriptor that came along: nothing here uses one, and one
   that is kept is leaked. Read with MSG_CMSG_CLOEXEC, so none reaches a
   child even for that instant. */
int ub_cmsg(struct msghdr *m, struct ucred *cr)
{
	int found = 0;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h; h = CMSG_NXTHDR(m, h)) {
		if (h->cmsg_level != SOL_SOCKET)
			continue;
		if (h->cmsg_type == SCM_CREDENTIALS && h->cmsg_len >= CMSG_LEN(sizeof *cr)) {
			memcpy(cr, CMSG_DATA(h), sizeof *cr);
			found = 1;
		} else if (h->cmsg_type == SCM_RIGHTS) {
			unsigned char *d = CMSG_DATA(h);
			for (size_t i = 0; i + sizeof(int) <= h->cmsg_len - CMSG_LEN(0); i += sizeof(int)) {
				int fd;
				memcpy(&fd, d + i, sizeof fd);
				close(fd);
			}
		}
	}
	return found;
}
