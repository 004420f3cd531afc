#!/bin/sh
# SPDX-License-Identifier: ISC
# test/hardening/suites.sh asan|vg: run the shunit2 suites (test/run.sh) on the
# sanitizer build (build/asan) or under valgrind (build/vg), then fail if any
# report was written, printing each. The suites' own pass/fail line is kept.
set -u
kind=${1:?usage: suites.sh asan|vg}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
reports=$top/build/$kind/reports
rm -rf "$reports"
mkdir -p "$reports"
# servers under test may drop to another user (-u, setpriv) and still must be
# able to write their report
chmod 1777 "$reports"

case $kind in
asan)
	# Every report goes to a file (also from processes whose stderr a test
	# captures or closes) and exits 86, a code no applet uses; LeakSanitizer
	# is off: the program allocates nothing, and it needs ptrace to run.
	common="log_path=$reports/log:exitcode=86:halt_on_error=1:print_summary=1"
	ASAN_OPTIONS="$common:detect_leaks=0:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=0"
	UBSAN_OPTIONS="$common:print_stacktrace=1"
	export ASAN_OPTIONS UBSAN_OPTIONS
	RUNNER='' sh test/run.sh asan
	rc=$?
	;;
vg)
	rm -rf build/vg/links
	# valgrind 3.19 leaves its own log open for the PROG uds-connect execs (see
	# vgrun); the one test that lists PROG's descriptors is told to allow it
	HARNESS_FDS="$top/build/vg/reports/" RUNNER=$top/test/hardening/vgrun sh test/run.sh vg
	rc=$?
	;;
*)
	echo "suites.sh: unknown kind $kind" >&2
	exit 2
	;;
esac

# Valgrind writes a log for every process, empty when all went well; its own
# notes ("Warning: ...", "--PID-- ...") are not errors of the program.
found=0 noted=0
for f in "$reports"/*; do
	[ -s "$f" ] || continue
	if [ "$kind" = vg ] && ! grep -Ev '^==[0-9]+== *$|^==[0-9]+== Warning: |^--[0-9]+-- ' "$f" | grep -q .; then
		noted=$((noted + 1))
		echo "--- $f (valgrind notes, not errors):"
		sed 's/^/    /' "$f" | head -n 20
		continue
	fi
	found=$((found + 1))
	echo "=== $kind report: $f"
	cat "$f"
done
if [ $found -gt 0 ]; then
	echo "$kind: FAILED: $found report(s) in $reports"
	exit 1
fi
[ $noted -gt 0 ] && echo "$kind: $noted log(s) with valgrind notes only"
echo "$kind: no reports"
exit $rc
