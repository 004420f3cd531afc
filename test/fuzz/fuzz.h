/* SPDX-License-Identifier: ISC */
/* fuzz.h: what the udsbox fuzz targets share. ub_die and ub_diesys come back
   to the harness (longjmp) instead of exiting, so that inputs the core
   rejects are checked as cheaply as those it takes. */
#ifndef UB_FUZZ_H
#define UB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "../../core/core.h"

/* Run fn(arg). 0 if it returned, else the exit code of the ub_die or
   ub_diesys that ended it; fz_msg then holds that message's text (the parts
   after "prog: fatal: ", cut at UB_MSGMAX). A die outside fz_call aborts. */
int fz_call(void (*fn)(void *), void *arg);
extern char fz_msg[UB_MSGMAX + 1];

/* Where pw.c reads /etc/passwd and /etc/group (built with UB_PASSWD and
   UB_GROUP naming these): the real files unless a target points them
   elsewhere. */
extern const char *ub_fuzz_passwd, *ub_fuzz_group;

/* data[0, n) up to its first NUL, as a string in a block of exactly its
   length + 1 bytes, so that ASan sees any read past the terminator. free() it. */
char *fz_str(const uint8_t *data, size_t n);

/* A failed check: print what and where, then abort (libFuzzer saves the input). */
#define FZ_CHECK(cond, ...) do { if (!(cond)) fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); } while (0)
void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

#endif
