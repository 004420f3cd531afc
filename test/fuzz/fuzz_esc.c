/* SPDX-License-Identifier: ISC */
/* fuzz_esc.c: ub_esc as -I print (0 for messages, UB_ESC_LINES for a
   stream's lines) and uds-connect -D (UB_ESC_TAP) call it: piece by piece
   into a buffer of a given capacity, until the input is taken. Checked
   against a direct model of each byte's escape, and as properties: every
   call takes at least one byte and never writes past its capacity; the
   output is one line (no newline but a stream's own), holds no byte below
   0x20 but tab (none at all with the tap), no 0x7f (with the tap nothing
   from 0x80 either); unescaping it gives the input back. Input: one byte of
   mode (its low 2 bits), one of capacity (4 + the byte, as small as an
   escape; 0xff: 4095, as the callers), then the bytes. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

/* the model: one byte's escape, written at o; its length */
static size_t model(char *o, unsigned c, int mode)
{
	int tap = mode & UB_ESC_TAP;
	if (c == '\\' || (c == '\n' && !(mode & UB_ESC_LINES)) || (c == '\t' && tap)) {
		o[0] = '\\';
		o[1] = c == '\\' ? '\\' : c == '\n' ? 'n' : 't';
		return 2;
	}
	if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || (c >= 0x80 && tap)) {
		o[0] = '\\';
		o[1] = 'x';
		o[2] = "0123456789abcdef"[c >> 4];
		o[3] = "0123456789abcdef"[c & 15];
		return 4;
	}
	o[0] = (char)c;
	return 1;
}

static int unhex(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int mode;
	size_t cap, o = 0, w = 0, back = 0;
	char *out, *want;
	unsigned char *undo;
	if (size < 2)
		return 0;
	mode = data[0] & 3;
	cap = data[1] == 0xff ? 4095 : 4 + (size_t)data[1];
	data += 2;
	size -= 2;
	out = malloc(4 * size + 1);
	want = malloc(4 * size + 1);
	undo = malloc(size + 1);

	for (size_t i = 0; i < size; i++)
		w += model(want + w, data[i], mode);
	for (size_t left = size; left;) {
		char *piece = malloc(cap);   /* ASan sees a write past cap */
		size_t k = left, got = ub_esc(piece, cap, data + (size - left), &k, mode);
		FZ_CHECK(k >= 1 && k <= left, "cap %zu: took %zu of %zu", cap, k, left);
		FZ_CHECK(got <= cap, "cap %zu: wrote %zu", cap, got);
		/* as far as it fits: the next escape would not have */
		if (k < left) {
			char tmp[4];
			FZ_CHECK(got + model(tmp, data[size - left + k], mode) > cap,
			         "cap %zu: stopped at %zu with room for the next byte", cap, got);
		}
		memcpy(out + o, piece, got);
		free(piece);
		o += got;
		left -= k;
	}
	FZ_CHECK(o == w && !memcmp(out, want, o), "mode %d: %zu bytes, the model %zu", mode, o, w);

	for (size_t i = 0; i < o; i++) {
		unsigned c = (unsigned char)out[i];
		FZ_CHECK(c != '\n' || (mode & UB_ESC_LINES), "mode %d: a newline at %zu", mode, i);
		FZ_CHECK(c >= 0x20 || c == '\n' || (c == '\t' && !(mode & UB_ESC_TAP)),
		         "mode %d: control byte %#x at %zu", mode, c, i);
		FZ_CHECK(c != 0x7f && (c < 0x80 || !(mode & UB_ESC_TAP)), "mode %d: byte %#x at %zu", mode, c, i);
	}
	/* the escaping is reversible */
	for (size_t i = 0; i < o; i++) {
		unsigned c = (unsigned char)out[i];
		if (c == '\\') {
			FZ_CHECK(i + 1 < o, "a lone backslash at the end");
			c = (unsigned char)out[++i];
			if (c == 'x') {
				FZ_CHECK(i + 2 < o && unhex(out[i + 1]) >= 0 && unhex(out[i + 2]) >= 0, "a bad \\x at %zu", i);
				c = (unsigned)(unhex(out[i + 1]) << 4 | unhex(out[i + 2]));
				i += 2;
			} else {
				FZ_CHECK(c == '\\' || c == 'n' || c == 't', "an unknown escape \\%c", c);
				c = c == 'n' ? '\n' : c == 't' ? '\t' : '\\';
			}
		}
		FZ_CHECK(back < size, "unescaped, longer than the input");
		undo[back++] = (unsigned char)c;
	}
	FZ_CHECK(back == size && !memcmp(undo, data, size), "unescaped: %zu bytes of %zu, not the input", back, size);
	free(out);
	free(want);
	free(undo);
	return 0;
}
