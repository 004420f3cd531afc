/* SPDX-License-Identifier: ISC */
/* fuzz_addrfmt.c: ub_addr_fmt on a peer address as accept(2) or recvfrom(2)
   may hand it over: any bytes, any length the kernel reports (even past the
   structure), into the UB_PATHMAX + 2 bytes the applets give it; then
   ub_kv into uds-serve's IPCREMOTEPATH= buffer. Input: one byte of length
   (0xf0 and up: 4 more bytes, native order, are the length), then the bytes
   of the struct sockaddr_un. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_un *sa = malloc(sizeof *sa);
	char *out = malloc(UB_PATHMAX + 2), *env = malloc(16 + UB_PATHMAX);
	char want[UB_PATHMAX + 2];
	size_t off = offsetof(struct sockaddr_un, sun_path), eff, n = 0;
	uint32_t len32 = 0;
	socklen_t len;

	/* the lengths near sizeof *sa matter most: one byte, compared as it is */
	if (size && data[0] < 0xf0) {
		len32 = data[0];
		data++;
		size--;
	} else if (size >= 5) {
		memcpy(&len32, data + 1, 4);
		data += 5;
		size -= 5;
	}
	len = (socklen_t)len32;
	memset(sa, 0, sizeof *sa);
	memcpy(sa, data, size < sizeof *sa ? size : sizeof *sa);
	memset(out, 0xa5, UB_PATHMAX + 2);

	/* the reference: "" if unbound, '@' and the name with NULs as '@'
	   if abstract, else the path up to its first NUL */
	eff = len < sizeof *sa ? len : sizeof *sa;
	if (eff > off) {
		size_t pl = eff - off;
		if (!sa->sun_path[0]) {
			want[n++] = '@';
			for (size_t i = 1; i < pl; i++)
				want[n++] = sa->sun_path[i] ? sa->sun_path[i] : '@';
		} else
			for (size_t i = 0; i < pl && sa->sun_path[i]; i++)
				want[n++] = sa->sun_path[i];
	}
	want[n] = 0;

	ub_addr_fmt(out, sa, len);
	FZ_CHECK(memchr(out, 0, UB_PATHMAX + 2), "len %u: no NUL in the buffer", (unsigned)len);
	FZ_CHECK(!strcmp(out, want), "len %u: \"%s\", want \"%s\"", (unsigned)len, out, want);

	/* as uds-serve's spawn(): cut to fit, never overflowed */
	ub_kv(env, 16 + UB_PATHMAX, "IPCREMOTEPATH=", out);
	FZ_CHECK(!strncmp(env, "IPCREMOTEPATH=", 14) && !strncmp(env + 14, out, strlen(env + 14)),
	         "ub_kv: \"%s\"", env);
	FZ_CHECK(strlen(env) == (14 + n < 15 + UB_PATHMAX ? 14 + n : 15 + UB_PATHMAX),
	         "ub_kv cut \"%s\" (%zu) to %zu bytes", out, n, strlen(env));
	free(env);
	free(out);
	free(sa);
	return 0;
}
