/* SPDX-License-Identifier: ISC */
/* replay.c: for make coverage only. Runs a fuzz target's
   LLVMFuzzerTestOneInput once on each file named, as libFuzzer replays a
   corpus, in a gcc --coverage build where libFuzzer is not at hand. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 20];
	if (LLVMFuzzerInitialize)   /* as libFuzzer does, for the targets that have one */
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t n;
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		/* a copy of exactly its size: as libFuzzer hands it over */
		uint8_t *d = malloc(n ? n : 1);
		for (size_t k = 0; k < n; k++)
			d[k] = buf[k];
		LLVMFuzzerTestOneInput(d, n);
		free(d);
	}
	return 0;
}
