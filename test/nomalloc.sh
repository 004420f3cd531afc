#!/bin/sh
# SPDX-License-Identifier: ISC
# test/nomalloc.sh TARGET...: no object and no static link pulls in an
# allocator or stdio. One result line per target; exits non-zero on a find.
bad='malloc|calloc|realloc|free|aligned_alloc|posix_memalign|memalign|__libc_malloc|__malloc_donate'
bad="$bad|printf|fprintf|vfprintf|sprintf|snprintf|vsnprintf|fopen|fdopen|fclose|fwrite|fread|fputs|puts|fputc|putchar|fflush|perror|getline|__stdio_write|__fwritex|stdout|stderr|stdin|__stdout_used|__stderr_used"
fail=0
for t in "$@"; do
	full=build/$t/udsbox.full
	if [ ! -f "$full" ]; then
		echo "nomalloc: $t: FAIL (no build/$t/udsbox.full)"
		fail=$((fail + 1))
		continue
	fi
	linked=$(nm "$full" 2>/dev/null | awk '{print $NF}' | grep -xE "$bad")
	used=$(for o in build/$t/obj/*.o; do nm -u "$o" 2>/dev/null; done | awk '{print $NF}' | grep -xE "$bad" | sort -u)
	if [ -n "$linked$used" ]; then
		echo "nomalloc: $t: FAIL: $(echo $linked $used)"
		fail=$((fail + 1))
	else
		echo "nomalloc: $t: ok (no allocator, no stdio in $(ls build/$t/obj/*.o | wc -l) objects and the static link)"
	fi
done
exit $((fail > 0))
