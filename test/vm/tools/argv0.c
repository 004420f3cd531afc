/* SPDX-License-Identifier: ISC */
/* argv0.c: run PROGRAM with exactly NAME as argv[0], for test/lib.sh's
 * applet() where there is no perl (the real-kernel VMs; on the build machine
 * perl's exec { PROGRAM } NAME, ARG... does the same).
 *
 * usage: argv0 PROGRAM NAME [ARG...]
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: argv0 PROGRAM NAME [ARG...]\n", stderr);
		return 100;
	}
	execv(argv[1], argv + 2);
	fprintf(stderr, "argv0: unable to exec %s: %s\n", argv[1], strerror(errno));
	return 127;
}
