/* SPDX-License-Identifier: ISC */
/* fuzz_state.c: state_check, the checks the new image of a SIGUSR2 upgrade
   makes on the state the old one handed over (uds_serve_upgrade.c, built in
   here; what of it makes system calls is never called).
   Two inputs in one. Mode byte even: the bytes, as they are (padded or cut
   to the state's size by the next byte's low bit; its bit 1 clear: with
   the right tag and layout), are the state: it is
   refused, or every field of the table it gives is in range by a model
   written from the header's and the table's comments. Mode byte odd: the
   bytes describe a table the old image could have had (each entry's kind,
   descriptor, pid, slot, pending reply), written as upgrade() writes it:
   state_check takes it, and a field put out of range is refused. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../applets/uds_serve_upgrade.c"

/* what the rest of that file refers to, never used here */
struct serve S;
struct conn conns[UB_MAXCONN];
unsigned char slotused[UB_PENDSLOTS];
char **ub_argv;
int epctl(int op, int fd, unsigned ev, unsigned id) { (void)op; (void)fd; (void)ev; (void)id; abort(); }
unsigned conn_new(void) { abort(); }
void conn_free(unsigned i) { (void)i; abort(); }

/* the model: what the new image may act on */
static int in_range(const unsigned char *st)
{
	const struct hdr *h = (const struct hdr *)st;
	const struct conn *c = (const struct conn *)(st + sizeof *h);
	unsigned char slots[UB_PENDSLOTS] = { 0 };
	if (h->tag != UP_TAG || h->layout != UP_LAYOUT || h->flags > 7 || h->spare[0] || h->spare[1])
		return 0;
	for (int k = 0; k < 2; k++)
		if ((h->flags >> k & 1) && h->dir[k] != AT_FDCWD && !(h->dir[k] >= 4 && h->dir[k] < FDMAX))
			return 0;
	for (unsigned k = 0; k < UB_MAXCONN; k++) {
		const struct conn *e = c + k;
		if (e->state == FREE)
			continue;
		if (e->state != BUILTIN && e->state != CHILD)
			return 0;
		if (e->pid < 0 || e->pid >= PIDMAX || e->blocked > 2)
			return 0;
		if (e->state == CHILD) {
			if (e->pid == 0 || e->slot != NOSLOT)
				return 0;
			continue;
		}
		if (e->fd < 4 || e->fd >= FDMAX || e->fd == h->dir[0] || e->fd == h->dir[1])
			return 0;
		if ((unsigned)e->off + e->len > UB_PENDSIZE)
			return 0;
		if (e->slot != NOSLOT && (e->slot >= UB_PENDSLOTS || slots[e->slot]++))
			return 0;
		for (unsigned j = k + 1; j < UB_MAXCONN; j++)
			if (c[j].state == BUILTIN && c[j].fd == e->fd)
				return 0;
	}
	return 1;
}

static unsigned char *st;

/* a table the old image could have had, from the input; 0 if none was made */
static int make(const uint8_t *d, size_t n)
{
	struct hdr *h = (struct hdr *)st;
	struct conn *c = (struct conn *)(st + sizeof *h);
	unsigned usedslots = 0, k = 0;
	int fd = 4 + (n ? d[0] % 8 : 0);
	memset(st, 0, STATESIZE);
	h->tag = UP_TAG;
	h->layout = UP_LAYOUT;
	h->flags = n > 1 ? d[1] & 7 : 0;
	h->uid = 0;
	h->dir[0] = h->flags & 1 ? fd++ : AT_FDCWD;
	h->dir[1] = h->flags & 2 ? fd++ : AT_FDCWD;
	for (size_t i = 2; i + 4 <= n && k < UB_MAXCONN; i += 4, k++) {
		struct conn *e = c + (d[i] % UB_MAXCONN);
		if (e->state != FREE)
			continue;
		e->last = d[i + 1];
		e->state = d[i + 1] & 1 ? CHILD : BUILTIN;
		e->pid = 1 + d[i + 2] * 1000;
		e->blocked = d[i + 3] % 3;
		e->slot = NOSLOT;
		if (e->state == BUILTIN) {
			unsigned s = d[i + 3] % UB_PENDSLOTS;
			e->fd = fd++;
			e->off = (unsigned short)(d[i + 2] * 7 % (UB_PENDSIZE + 1));
			e->len = (unsigned short)((UB_PENDSIZE - e->off) * (d[i + 3] >> 4) / 15);
			if (d[i + 1] & 2 && !(usedslots >> s & 1)) {
				e->slot = (unsigned char)s;
				usedslots |= 1U << s;
			}
		}
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	if (size < 2)
		return 0;
	if (!st)
		st = aligned_alloc(16, (STATESIZE + 15) / 16 * 16);
	if (!(data[0] & 1)) {
		size_t n = size - 2, len = data[1] & 1 ? STATESIZE : n;
		unsigned char *buf;
		/* as it comes: of any length (the size check), or of the size, the
		   rest zero (the fields) */
		memset(st, 0, STATESIZE);
		memcpy(st, data + 2, n < STATESIZE ? n : STATESIZE);
		if (len != STATESIZE) {
			buf = malloc(len ? len : 1);   /* ASan: no read past what was given */
			memcpy(buf, data + 2, len);
			FZ_CHECK(state_check(buf, len) != 0, "a state of %zu bytes, not %zu, taken", len, (size_t)STATESIZE);
			free(buf);
			return 0;
		}
		if (!(data[1] & 2)) {   /* the tag right, so that the rest is looked at */
			((struct hdr *)st)->tag = UP_TAG;
			((struct hdr *)st)->layout = UP_LAYOUT;
		}
		why = state_check(st, STATESIZE);
		FZ_CHECK((why == 0) == in_range(st), "state_check says %s, the model %d", why ? why : "in range", in_range(st));
		return 0;
	}
	make(data + 1, size - 1);
	why = state_check(st, STATESIZE);
	FZ_CHECK(!why, "a table the old image could have had refused: %s", why);
	FZ_CHECK(in_range(st), "the model refuses a made table");
	/* one field out of range: refused */
	{
		struct hdr *h = (struct hdr *)st;
		struct conn *c = (struct conn *)(st + sizeof *h);
		unsigned k = data[size - 1] % UB_MAXCONN;
		switch (data[size - 2] % 6) {
		case 0: h->spare[1] = 1; break;
		case 1: h->flags |= 8; break;
		case 2: c[k].state = CHILD + 1 + data[size - 1] % 200; break;
		case 3: c[k].state = BUILTIN; c[k].fd = 3; break;
		case 4: c[k].state = CHILD; c[k].pid = 0; break;
		default: c[k].state = BUILTIN; c[k].fd = 4; c[k].off = UB_PENDSIZE; c[k].len = 1; break;
		}
		FZ_CHECK(state_check(st, STATESIZE) != 0, "a field out of range (%d) taken", data[size - 2] % 6);
	}
	return 0;
}
