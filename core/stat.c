/* SPDX-License-Identifier: ISC */
/* stat.c: a file's type and identity, by statx(2). libc's lstat costs more
   than a third of our budget on 32-bit targets (time64 conversion). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "core.h"

/* The stable kernel ABI of struct statx, down to the fields we read. */
struct kstatx {
	unsigned int mask, blksize;
	unsigned long long attributes;
	unsigned int nlink, uid, gid;
	unsigned short mode, spare0;
	unsigned long long ino, size, blocks, attributes_mask;
	unsigned long long times[8];
	unsigned int rdev_major, rdev_minor, dev_major, dev_minor;
	unsigned long long spare2[14];
};

/* fstatat-like, never following a symlink; an empty name is dir itself.
   0 and *f filled, or -1 with errno. Kernels before 4.11 have no statx:
   there the type comes from open(2), which fails with ENXIO on a socket, and
   the identity and owner are unknown (0). */
int ub_statat(int dir, const char *name, struct ub_file *f)
{
	struct kstatx sx;
	int fd;
	memset(f, 0, sizeof *f);
	int r;
	do r = (int)syscall(SYS_statx, dir, name, AT_SYMLINK_NOFOLLOW | (*name ? 0 : AT_EMPTY_PATH),
	                    0x109 /* TYPE|UID|INO */, &sx);
	while (r < 0 && errno == EINTR);
	if (!r) {
		f->type = sx.mode & 0170000;
		f->uid = sx.uid;
		f->ino = sx.ino;
		f->dev = (unsigned long long)sx.dev_major << 32 | sx.dev_minor;
		return 0;
	}
	if (errno != ENOSYS || !*name)
		return -1;
	fd = ub_openat(dir, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		f->type = 0100000;
		return 0;
	}
	if (errno == ENXIO)
		f->type = 0140000;
	else if (errno == ELOOP)
		f->type = 0120000;
	else
		return -1;
	return 0;
}
