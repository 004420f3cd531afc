#!/bin/sh
# SPDX-License-Identifier: ISC
# test/tools/build.sh OUTDIR: compile each host-side test tool (test/tools/*.c)
# into OUTDIR, when it is missing or older than its source.
# The tools run on the build machine, never on the target: plain cc and libc,
# whatever CPU the suites test. HOSTCC overrides cc.
set -u
out=${1:?usage: test/tools/build.sh OUTDIR}
src=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out" || exit 1
for c in "$src"/*.c; do
	name=$(basename "$c" .c)
	[ -x "$out/$name" ] && [ ! "$c" -nt "$out/$name" ] && continue
	# build beside it and rename, so that suites running at once never run half a binary
	if ! ${HOSTCC:-cc} -O2 -Wall -Wextra -o "$out/$name.$$" "$c"; then
		rm -f "$out/$name.$$"
		echo "test/tools/build.sh: cannot build $name" >&2
		exit 1
	fi
	mv -f "$out/$name.$$" "$out/$name" || exit 1
done
