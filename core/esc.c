/* SPDX-License-Identifier: ISC */
/* esc.c: client bytes made safe for one line of text, and reversible. */
#include "core.h"

/* Escape in[0..*n) into out (cap bytes), as far as it fits without cutting an
   escape: bytes below 0x20 but tab, 0x7f and the backslash become \xHH, a
   newline \n (passed as it is with UB_ESC_LINES: the caller's line ends), a
   backslash \\; with UB_ESC_TAP (uds-connect -D) a tab is \t and the bytes
   from 0x80 are \xHH too, so only printable ASCII is left as it is. *n
   becomes what was taken; the bytes written are returned. A cap of 4 or more
   always takes at least one byte. */
const char ub_hex[16] = "0123456789abcdef";

size_t ub_esc(char *out, size_t cap, const unsigned char *in, size_t *n, int mode)
{
	size_t i = 0, o = 0;
	int tap = mode & UB_ESC_TAP;
	for (; i < *n; i++) {
		unsigned c = in[i];
		size_t k = c == '\\' || (c == '\n' && !(mode & UB_ESC_LINES)) || (c == '\t' && tap) ? 2
		         : (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || (c > 0x7f && tap) ? 4 : 1;
		if (o + k > cap)
			break;
		if (k > 1)
			out[o++] = '\\';
		if (k == 4) {
			out[o++] = 'x';
			out[o++] = ub_hex[c >> 4];
			c = (unsigned char)ub_hex[c & 15];
		} else if (k == 2 && c != '\\')
			c = c == '\n' ? 'n' : 't';
		out[o++] = (char)c;
	}
	*n = i;
	return o;
}
