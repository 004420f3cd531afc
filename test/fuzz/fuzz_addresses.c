/* SPDX-License-Identifier: ISC */
/* fuzz_addresses.c: ub_addr_get (PATH and @NAME, the sun_path length rules,
   usage errors instead of truncation) and ub_socktype, checked against the
   spec; every address it takes must come back unchanged from ub_addr_fmt.
   Input: the text of the address, up to the first NUL. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

struct get { struct ub_addr *a; const char *s; int type; };
static void get(void *p) { struct get *g = p; ub_addr_get(g->a, g->s); }
static void socktype(void *p) { struct get *g = p; g->type = ub_socktype(g->s); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fz_str(data, size), *back = malloc(UB_PATHMAX + 2);
	struct ub_addr *a = malloc(sizeof *a);
	size_t n = strlen(s), off = offsetof(struct sockaddr_un, sun_path);
	int abs = s[0] == '@', code;
	const char *why = !n || (abs && n == 1) ? "empty address"
	                : n - (size_t)abs > UB_PATHMAX ? "address too long" : 0;
	struct get g = { a, s, -1 };

	memset(a, 0x5a, sizeof *a);
	code = fz_call(get, &g);
	if (why) {
		FZ_CHECK(code == UB_EXIT_USAGE && !strcmp(fz_msg, why),
		         "ub_addr_get(\"%s\") (%zu bytes): exit %d \"%s\", want 100 \"%s\"", s, n, code, fz_msg, why);
	} else {
		FZ_CHECK(!code, "ub_addr_get(\"%s\") (%zu bytes) died %d: %s", s, n, code, fz_msg);
		FZ_CHECK(a->sa.sun_family == AF_UNIX, "family %d", a->sa.sun_family);
		FZ_CHECK(a->text == s, "text is not the argument");
		FZ_CHECK(a->abstract == abs, "\"%s\": abstract = %d", s, a->abstract);
		/* abstract: NUL then exactly the name; path: the path and its NUL */
		FZ_CHECK(a->len == off + n + !abs, "\"%s\": len %u, want %zu", s, (unsigned)a->len, off + n + !abs);
		FZ_CHECK(a->len <= sizeof a->sa, "\"%s\": len %u past sockaddr_un", s, (unsigned)a->len);
		if (abs)
			FZ_CHECK(!a->sa.sun_path[0] && !memcmp(a->sa.sun_path + 1, s + 1, n - 1), "\"%s\": name", s);
		else
			FZ_CHECK(!memcmp(a->sa.sun_path, s, n), "\"%s\": path", s);
		for (size_t i = n; i < sizeof a->sa.sun_path; i++)
			FZ_CHECK(!a->sa.sun_path[i], "\"%s\": sun_path[%zu] not cleared", s, i);
		ub_addr_fmt(back, &a->sa, a->len);
		FZ_CHECK(!strcmp(back, s), "ub_addr_fmt(ub_addr_get(\"%s\")) = \"%s\"", s, back);
	}

	code = fz_call(socktype, &g);
	if (!strcmp(s, "stream") || !strcmp(s, "seqpacket") || !strcmp(s, "dgram"))
		FZ_CHECK(!code && g.type == (s[0] == 'd' ? SOCK_DGRAM : s[1] == 'e' ? SOCK_SEQPACKET : SOCK_STREAM),
		         "ub_socktype(\"%s\") = exit %d, %d", s, code, g.type);
	else
		FZ_CHECK(code == UB_EXIT_USAGE && !strncmp(fz_msg, "bad socket type: ", 17),
		         "ub_socktype(\"%s\") = exit %d \"%s\"", s, code, fz_msg);
	free(a);
	free(back);
	free(s);
	return 0;
}
