#!/bin/sh
# SPDX-License-Identifier: ISC
# test/run.sh: run every suite against one target's binary and record the totals.
# Usage: test/run.sh TARGET   (RUNNER in the environment selects the emulator)
set -u
target=${1:?usage: test/run.sh TARGET}
top=$(cd "$(dirname "$0")/.." && pwd)
UDSBOX=$top/build/$target/udsbox
export UDSBOX RUNNER="${RUNNER:-}"
SHUNIT2=${SHUNIT2:-/usr/share/shunit2/shunit2}
export SHUNIT2
[ -x "$UDSBOX" ] || { echo "test/run.sh: no binary at build/$target/udsbox" >&2; exit 1; }
[ -r "$SHUNIT2" ] || { echo "test/run.sh: shunit2 not found (run toolchain/setup)" >&2; exit 1; }

# every suite starts with default signal dispositions (see test/tools/sigdfl.c)
sh "$top/test/tools/build.sh" "$top/build/tools" || exit 1
SIGDFL=$top/build/tools/sigdfl

out=$top/build/$target/test-results
mkdir -p "$out"
pass=0 fail=0 skip=0
for suite in ${SUITES:-$top/test/*.test}; do
	name=$(basename "$suite" .test)
	COUNTS=$out/$name.counts
	export COUNTS
	rm -f "$COUNTS"
	echo "== $target: $name${RUNNER:+ (under $RUNNER)}"
	"$SIGDFL" sh "$suite"
	rc=$?
	if [ -s "$COUNTS" ]; then
		read -r p f s <"$COUNTS"
	else
		p=0 f=1 s=0   # the suite died before it could count: one failure
	fi
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	pass=$((pass + p - s)) fail=$((fail + f)) skip=$((skip + s))
done
echo "$pass $fail $skip" >"$out/total"
echo "$target: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
