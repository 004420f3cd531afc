#!/bin/sh
# SPDX-License-Identifier: ISC
# test/hardening/fuzz.sh SECONDS TARGET...: run each libFuzzer target build/fuzz/TARGET
# for SECONDS over its seeds (test/fuzz/corpus/TARGET), one after another (one core).
# Prints the executions per target, also in build/fuzz/summary.txt; a crash input
# goes to test/fuzz/crashes/TARGET-crash-*. Exits non-zero if any target failed.
set -u
secs=${1:?usage: fuzz.sh SECONDS TARGET...}
shift
out=build/fuzz
mkdir -p "$out/corpus" test/fuzz/crashes
summary=$out/summary.txt
printf '# target runs seconds status (FUZZ_SECONDS=%s)\n' "$secs" >"$summary"
bad=0 total=$#
# the loop's list is read once: "$@" is free inside it for each run's options
for t in "$@"; do
	[ -x "$out/$t" ] || { echo "fuzz: no target $out/$t" >&2; bad=$((bad + 1)); continue; }
	work=$out/corpus/$t     # grows with what the fuzzer finds; the seeds stay as committed
	mkdir -p "$work"
	set --
	[ -f "test/fuzz/$t.dict" ] && set -- -dict="test/fuzz/$t.dict"
	log=$out/$t.log
	echo "  FUZZ  $t (${secs}s)"
	# a hung input ends after -timeout; the whole run cannot outlive the outer timeout
	timeout -k 5 $((secs + 60)) "$out/$t" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 "$@" \
		-artifact_prefix="test/fuzz/crashes/$t-" "$work" "test/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -n 1)
	took=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	[ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	[ -n "$runs" ] || runs=0
	if [ $rc -eq 0 ]; then
		status=ok
	else
		bad=$((bad + 1))
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		status="FAILED (exit $rc)${art:+: $art}"
	fi
	if [ $rc -eq 0 ]; then
		printf '%-10s %10s runs in %ss (%s/s): %s\n' "$t" "$runs" "$secs" "${took:-?}" "$status"
	else
		printf '%-10s %10s runs, then %s\n' "$t" "$runs" "$status"
	fi
	printf '%s %s %s %s\n' "$t" "$runs" "$secs" "$status" >>"$summary"
	if [ $rc -ne 0 ]; then
		# what went wrong, without the fuzzer's own chatter
		awk '/check failed/ { n = 2 }
		     /runtime error|ERROR: (Address|Leak|Undefined)Sanitizer|ERROR: libFuzzer: (timeout|out-of-memory)/ { n = 10 }
		     n > 0 && !/libFuzzer: deadly signal|__sanitizer_print_stack_trace|fuzzer::/ { print; n-- }
		     /Test unit written/' "$log" | head -n 30 | sed 's/^/    /'
		echo "    (whole log: $log)"
	fi
done
echo "fuzz: $((total - bad)) passed, $bad failed (summary in $summary)"
[ $bad -eq 0 ]
