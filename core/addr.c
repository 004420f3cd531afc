/* SPDX-License-Identifier: ISC */
/* addr.c: socket addresses: PATH or @abstract, with the sun_path length rules. */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include "core.h"

/* 0, or the reason the address is bad. */
const char *ub_addr_try(struct ub_addr *a, const char *s)
{
	size_t n = strlen(s), ab = s[0] == '@';
	memset(a, 0, sizeof *a);
	a->text = s;
	a->sa.sun_family = AF_UNIX;
	if (n == ab)
		return "empty address";
	if (n - ab > UB_PATHMAX)
		return "address too long";
	/* abstract: the length covers the name exactly, no trailing NULs */
	memcpy(a->sa.sun_path + ab, s + ab, n - ab);
	a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + !ab);
	a->abstract = (int)ab;
	return 0;
}

void ub_addr_get(struct ub_addr *a, const char *s)
{
	const char *bad = ub_addr_try(a, s);
	if (bad)
		ub_die(UB_EXIT_USAGE, bad, (char *)0);
}

/* The ADDRESS operand of an applet, after its options. */
void ub_addr_arg(struct ub_addr *a, int ind, int argc, char *const *argv)
{
	if (ind >= argc)
		ub_die(UB_EXIT_USAGE, "missing address", (char *)0);
	ub_addr_get(a, argv[ind]);
}

int ub_socktype(const char *s)
{
	if (!strcmp(s, "stream")) return SOCK_STREAM;
	if (!strcmp(s, "seqpacket")) return SOCK_SEQPACKET;
	if (!strcmp(s, "dgram")) return SOCK_DGRAM;
	ub_die(UB_EXIT_USAGE, "bad socket type: ", s, (char *)0);
}

/* A peer's address as text: "" if unbound, "@name" if abstract, else the path.
   buf holds UB_PATHMAX + 2 bytes. */
void ub_addr_fmt(char *buf, const struct sockaddr_un *sa, socklen_t len)
{
	size_t off = offsetof(struct sockaddr_un, sun_path), n = 0;
	if (len > sizeof *sa)
		len = sizeof *sa;
	if (len <= off) {
		buf[0] = 0;
		return;
	}
	len -= (socklen_t)off;
	if (!sa->sun_path[0]) {
		buf[n++] = '@';
		for (size_t i = 1; i < len; i++)
			buf[n++] = sa->sun_path[i] ? sa->sun_path[i] : '@';
	} else
		for (size_t i = 0; i < len && sa->sun_path[i]; i++)
			buf[n++] = sa->sun_path[i];
	buf[n] = 0;
}
