/* SPDX-License-Identifier: ISC */
/* fuzz_rules.c: ub_allowed, uds-serve's -A matcher, against a model written
   from the spec alone: no rule admits anyone; a uid: rule admits its uid; a
   gid: rule admits its gid as the primary gid or as any supplementary group.
   The rules and groups sit in blocks of exactly their size (ASan sees a read
   past either), no groups is a null pointer, and neither is written to.
   Input: a byte for the number of rules (modulo UB_MAXRULES + 1), a byte for
   the number of groups, then ids for uid and gid, then per rule a kind byte
   (0: uid:, anything else gid:) and an id, then an id per group, as long as
   the input lasts. An id is one byte: 0xff, then 4 bytes as the id itself
   (any 32 bits); else the byte modulo 8, so that ids meet often. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

struct in { const uint8_t *p; size_t n; };

static unsigned byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static unsigned id(struct in *in)
{
	unsigned b = byte(in), v = 0;
	if (b != 0xff)
		return b % 8;
	for (int i = 0; i < 4; i++)
		v = v << 8 | byte(in);
	return v;
}

static int model(const struct ub_rule *r, int nr, unsigned uid, unsigned gid, const unsigned *g, unsigned ng)
{
	int any = 0;
	if (nr == 0)
		return 1;
	for (int i = 0; i < nr; i++) {
		if (r[i].isgid == 0) {
			any |= r[i].id == uid;
			continue;
		}
		any |= r[i].id == gid;
		for (unsigned k = 0; k < ng; k++)
			any |= r[i].id == g[k];
	}
	return any;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	int nr = (int)(byte(&in) % (UB_MAXRULES + 1)), got, want;
	unsigned ng = byte(&in), uid = id(&in), gid = id(&in);
	struct ub_rule *r = malloc(nr ? (size_t)nr * sizeof *r : 1), *rc;
	gid_t *g = ng ? malloc(ng * sizeof *g) : 0, *gc;

	for (int i = 0; i < nr; i++) {
		r[i].isgid = (char)byte(&in);
		r[i].id = id(&in);
	}
	for (unsigned k = 0; k < ng; k++)
		g[k] = id(&in);
	rc = malloc(nr ? (size_t)nr * sizeof *r : 1);
	gc = malloc(ng ? ng * sizeof *g : 1);
	memcpy(rc, r, (size_t)nr * sizeof *r);
	if (ng)
		memcpy(gc, g, ng * sizeof *g);

	got = ub_allowed(r, nr, uid, gid, g, ng);
	want = model(r, nr, uid, gid, g, ng);
	FZ_CHECK(got == want, "ub_allowed(%d rules, uid %u, gid %u, %u groups) = %d, want %d",
	         nr, uid, gid, ng, got, want);
	FZ_CHECK(!memcmp(rc, r, (size_t)nr * sizeof *r), "the rules were written to");
	FZ_CHECK(!ng || !memcmp(gc, g, ng * sizeof *g), "the groups were written to");
	/* the primary gid is no supplementary group of its own: the same answer
	   with it added to the list, as a kernel may give it */
	if (ng) {
		gid_t *g2 = malloc((ng + 1) * sizeof *g2);
		memcpy(g2, g, ng * sizeof *g);
		g2[ng] = gid;
		FZ_CHECK(ub_allowed(r, nr, uid, gid, g2, ng + 1) == want, "the primary gid among the groups changed the answer");
		free(g2);
	}
	free(r);
	free(rc);
	free(g);
	free(gc);
	return 0;
}
