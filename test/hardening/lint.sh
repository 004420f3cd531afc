#!/bin/sh
# SPDX-License-Identifier: ISC
# test/hardening/lint.sh FILE...: cppcheck, then clang-tidy (checks in
# .clang-tidy at the top), over the given C files, as the glibc builds see
# them (-std=gnu11 -D_GNU_SOURCE). Prints every finding; exits non-zero on any.
set -u
[ $# -gt 0 ] || { echo "usage: lint.sh FILE..." >&2; exit 2; }
bad=0

echo "  CPPCHECK $*"
# missingIncludeSystem: cppcheck reads no system headers (its posix and gnu
# library files describe them instead).
cppcheck --enable=warning,portability,performance --error-exitcode=1 --inline-suppr -q \
	--std=c11 -D_GNU_SOURCE -I core --library=posix --library=gnu \
	--suppress=missingIncludeSystem --template='{file}:{line}: {severity}: {message} [{id}]' \
	"$@" || bad=$((bad + 1))

for f in "$@"; do
	echo "  TIDY  $f"
	out=$(clang-tidy --quiet --warnings-as-errors='*' "$f" -- -std=gnu11 -D_GNU_SOURCE -Wall -Wextra 2>&1)
	st=$?
	# what is left after the "N warnings generated" lines is a finding
	printf '%s\n' "$out" | grep -v '^[0-9]* warnings\{0,1\}\( and [0-9]* errors\{0,1\}\)\{0,1\} generated\.$' | grep . || :
	[ $st -eq 0 ] || bad=$((bad + 1))
done
if [ $bad -gt 0 ]; then
	echo "lint: FAILED ($bad tool run(s) with findings)"
	exit 1
fi
echo "lint: clean"
