/* SPDX-License-Identifier: ISC */
/* mem.c: memcpy and memset for the static builds. libc's are tuned for
   bandwidth (musl's ARM memcpy is 770 bytes of assembly); ours copy a word
   at a time when both ends allow it, and take a few instructions. The most
   we ever copy at once is a 16 KiB parked reply. Built only where we link
   musl ourselves (UB_OWN_MEM): the sanitizer and fuzzer builds keep libc's.
   The whole build has -fno-tree-loop-distribute-patterns, so that the
   compiler does not turn these loops back into calls to themselves. */
#include <stddef.h>
#include <stdint.h>
#include "core.h"

#ifdef UB_OWN_MEM
typedef unsigned long __attribute__((may_alias)) word;

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;
	if (!(((uintptr_t)dp | (uintptr_t)sp) & (sizeof(word) - 1)))
		for (; n >= sizeof(word); n -= sizeof(word), dp += sizeof(word), sp += sizeof(word))
			*(word *)dp = *(const word *)sp;
	for (; n; n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}
#endif
