/* SPDX-License-Identifier: ISC */
/* fuzz_sudo.c: the exec service's request (core/sudo.c): ub_sudo_parse on
   any body, against a reference parser written here from the protocol's
   description; ub_env_merge on what it accepts, against the rule of the
   spec; and ub_sudo_send into ub_sudo_recv over a socketpair, the request
   coming back as it went. Input: one mode byte, then
     mode even: the body, as ub_sudo_parse is given it (after the 6-byte
                header); every byte the fuzzer's;
     mode odd:  two bytes, then the strings: the banner and the four counts
                are made here, right for those strings, then perturbed as
                the mode's bits 1-4 say by the signed second byte (argc,
                envc, arglen, envlen); the first byte is where the
                arguments end and the variables begin (a 1/256 of the way).
                With no perturbation the request also goes through
                ub_sudo_send and ub_sudo_recv. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "fuzz.h"

extern char **environ;

static const char banner[] = "s6-sudo a v1.0\n";

/* The server's environment for ub_env_merge: set-and-empty ones a client
   may fill, others it may not, and names that are prefixes of each other. */
static char *server_env[] = {
	"PATH=/bin", "A=", "AB=", "ABC=x", "EMPTY=", "E=", "LANG=C", "NOEQUAL",
	"X==", "TZ=", (char *)0
};

struct ref {
	int ok;
	unsigned argc, envc;
	size_t arglen, envlen;
};

static unsigned long long get32(const uint8_t *p)
{
	unsigned long long v = 0;
	for (int i = 0; i < 4; i++)
		v = v * 256 + p[i];
	return v;
}

/* A block of exactly n strings, each ended by its NUL, nothing after the last. */
static int block(const uint8_t *p, unsigned long long len, unsigned long long n)
{
	unsigned long long at = 0;
	if (n > len)
		return 0;   /* each string takes a byte at least */
	for (unsigned long long k = 0; k < n; k++) {
		const uint8_t *z = memchr(p + at, 0, (size_t)(len - at));
		if (!z)
			return 0;
		at = (unsigned long long)(z - p) + 1;
	}
	return at == len;
}

/* The protocol as documented: banner, argc, envc, arglen, envlen (u32 BE),
   then the arguments and the variables, filling the body exactly. */
static struct ref reference(const uint8_t *b, size_t n)
{
	struct ref r = { 0 };
	unsigned long long al, el;
	if (n < 31 || memcmp(b, banner, 15))
		return r;
	r.argc = (unsigned)get32(b + 15);
	r.envc = (unsigned)get32(b + 19);
	al = get32(b + 23);
	el = get32(b + 27);
	if (31 + al + el != n)
		return r;
	if (!block(b + 31, al, r.argc) || !block(b + 31 + al, el, r.envc))
		return r;
	r.arglen = (size_t)al;
	r.envlen = (size_t)el;
	r.ok = 1;
	return r;
}

/* The spec's rule: a server variable that is set and empty takes the first
   client variable of its name; every other stays as it is. */
static const char *merged(const char *s, const char *env, size_t len)
{
	const char *eq = strchr(s, '=');
	size_t name;
	if (!eq || eq[1])
		return s;
	name = (size_t)(eq - s);
	for (const char *p = env; p < env + len; p += strlen(p) + 1) {
		const char *peq = strchr(p, '=');
		if (peq && (size_t)(peq - p) == name && !memcmp(p, s, name))
			return p;
	}
	return s;
}

static void check_merge(const char *env, size_t len)
{
	char **saved = environ, **got;
	size_t i;
	environ = server_env;
	ub_env_init((const char *const[]){ "TZ", 0 });   /* dropped: never merged */
	environ = saved;
	ub_env_merge(env, len);
	got = ub_env_get();
	i = 0;
	for (char **s = server_env; *s; s++) {
		if (!strncmp(*s, "TZ=", 3))
			continue;
		const char *want = merged(*s, env, len);
		FZ_CHECK(got[i] == want, "variable %zu: \"%s\", want \"%s\"", i, got[i] ? got[i] : "(end)", want);
		i++;
	}
	FZ_CHECK(!got[i], "%zu variables, one more: \"%s\"", i, got[i]);
}

/* The strings of a block, in place, into v (NULL-ended); their number. */
static size_t split(char *p, size_t len, char **v, size_t max)
{
	size_t k = 0;
	for (size_t at = 0; at < len && k < max; at += strlen(p + at) + 1)
		v[k++] = p + at;
	v[k] = 0;
	return k;
}

/* ub_sudo_send into ub_sudo_recv, then ub_sudo_parse: what came is what went.
   The sender writes each string on its own, and the socket's buffer counts
   every write's overhead: a hundred of them fit without a reader. */
static void roundtrip(char *strs, size_t al, size_t el)
{
	static char *argv[101], *envp[101];
	static unsigned char buf[6 + 31 + 70000];
	struct ub_sudoreq r;
	int sv[2], fds[3];
	size_t na = split(strs, al, argv, 100), ne = split(strs + al, el, envp, 100);
	ssize_t n;
	if (6 + 31 + al + el > sizeof buf || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	FZ_CHECK(!ub_sudo_send(sv[0], argv, envp), "ub_sudo_send: errno %d", errno);
	n = ub_sudo_recv(sv[1], buf, sizeof buf, fds, 1000, -1, 0);
	FZ_CHECK(n == (ssize_t)(31 + al + el), "ub_sudo_recv: %zd bytes (errno %d), want %zu", n, errno, 31 + al + el);
	for (int i = 0; i < 3; i++) {
		FZ_CHECK(fds[i] > 2, "descriptor %d came as %d", i, fds[i]);
		close(fds[i]);
	}
	close(sv[0]);
	close(sv[1]);
	FZ_CHECK(get32(buf) == (unsigned long long)n && buf[4] == 0 && buf[5] == 3, "header");
	FZ_CHECK(!ub_sudo_parse(buf + 6, (size_t)n, &r), "its own request refused");
	FZ_CHECK(r.argc == na && r.envc == ne && r.envlen == el, "counts %u %u %zu", r.argc, r.envc, r.envlen);
	const char *a = r.args;
	for (size_t k = 0; k < na; a += strlen(a) + 1, k++)
		FZ_CHECK(!strcmp(a, argv[k]), "argument %zu", k);
	a = r.env;
	for (size_t k = 0; k < ne; a += strlen(a) + 1, k++)
		FZ_CHECK(!strcmp(a, envp[k]), "variable %zu", k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_sudoreq r;
	struct ref want;
	unsigned char *b;
	size_t n;
	int got, mode;
	if (!size)
		return 0;
	mode = data[0];
	data++;
	size--;
	if (!(mode & 1)) {
		n = size;
		b = malloc(n ? n : 1);   /* exactly the body: ASan sees a read past it */
		memcpy(b, data, n);
	} else {
		if (size < 2)
			return 0;
		size_t len = size - 2, al = len * data[0] / 256, el;
		const uint8_t *s = data + 2;
		int d = (signed char)data[1];
		unsigned argc = 0, envc = 0;
		int exact = !(mode & 0x1e);   /* the counts as they are */
		/* the strings end with a NUL each; the last gets one if it lacks it */
		n = 31 + len + (len && s[len - 1]);
		el = n - 31 - al;
		b = malloc(n);
		memcpy(b + 31, s, len);
		b[n - 1] = 0;
		if (al && b[31 + al - 1])
			exact = 0;   /* the arguments' last string runs into the variables */
		for (size_t i = 0; i < al; i++)
			argc += !b[31 + i];
		for (size_t i = al; i < al + el; i++)
			envc += !b[31 + i];
		memcpy(b, banner, 15);
		ub_put32(b + 15, argc + (mode & 2 ? (unsigned)d : 0));
		ub_put32(b + 19, envc + (mode & 4 ? (unsigned)d : 0));
		ub_put32(b + 23, (unsigned)al + (mode & 8 ? (unsigned)d : 0));
		ub_put32(b + 27, (unsigned)el + (mode & 16 ? (unsigned)d : 0));
		if (exact && argc + envc <= 100) {
			char *strs = malloc(n - 31);
			memcpy(strs, b + 31, n - 31);
			roundtrip(strs, al, el);
			free(strs);
		}
	}
	for (size_t i = 15; i + 4 <= n && i < 31; i += 4)
		FZ_CHECK(ub_be32(b + i) == (unsigned)get32(b + i), "ub_be32 at %zu", i);

	want = reference(b, n);
	memset(&r, 0xa5, sizeof r);
	got = ub_sudo_parse(b, n, &r);
	FZ_CHECK((got == 0) == want.ok, "ub_sudo_parse says %d, the reference %s", got, want.ok ? "accepts" : "refuses");
	if (want.ok) {
		FZ_CHECK(r.argc == want.argc && r.envc == want.envc, "argc %u envc %u, want %u %u",
		         r.argc, r.envc, want.argc, want.envc);
		FZ_CHECK(r.args == (const char *)b + 31, "args at %td", r.args - (const char *)b);
		FZ_CHECK(r.env == (const char *)b + 31 + want.arglen, "env at %td, want %zu",
		         r.env - (const char *)b, 31 + want.arglen);
		FZ_CHECK(r.envlen == want.envlen, "envlen %zu, want %zu", r.envlen, want.envlen);
		check_merge(r.env, r.envlen);
	}
	free(b);
	return 0;
}
