#!/bin/sh
# SPDX-License-Identifier: ISC
# test/hardening/campaign.sh RUNS TARGET...: the long fuzzing campaign, run by
# hand (make fuzz-campaign), never by make check. Each target of build/fuzz
# runs RUNS executions (-runs) over a working corpus grown from the committed
# seeds, one after another on one core; then the working corpus and the seeds
# are minimized together (-merge=1) into test/fuzz/corpus/TARGET, which make
# check replays. Prints a table: target, executions, seconds, corpus files and
# bytes after the merge, coverage (cov) and features (ft) at the end, result.
set -u
runs=${1:?usage: campaign.sh RUNS TARGET...}
shift
out=build/fuzz/campaign
mkdir -p "$out" test/fuzz/crashes
table=$out/table.md
# two campaigns at once (one a core) share the table
[ -s "$table" ] || printf '| target | executions | seconds | corpus files | corpus bytes | cov | ft | result |\n|---|---|---|---|---|---|---|---|\n' >"$table"
bad=0
for t in "$@"; do
	[ -x "build/fuzz/$t" ] || { echo "campaign: no target build/fuzz/$t" >&2; bad=$((bad + 1)); continue; }
	work=$out/$t
	mkdir -p "$work"
	dict=
	[ -f "test/fuzz/$t.dict" ] && dict=-dict=test/fuzz/$t.dict
	start=$(date +%s)
	"build/fuzz/$t" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $dict \
		-artifact_prefix="test/fuzz/crashes/$t-" "$work" "test/fuzz/corpus/$t" >"$out/$t.log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	done_runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$out/$t.log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	if [ $rc -eq 0 ]; then
		# minimize: what covers the same, from the work and the seeds
		merged=$out/$t.merged
		rm -rf "$merged"
		mkdir -p "$merged"
		"build/fuzz/$t" -merge=1 $dict "$merged" "$work" "test/fuzz/corpus/$t" >"$out/$t.merge.log" 2>&1 || rc=$?
	fi
	if [ $rc -eq 0 ]; then
		rm -rf "test/fuzz/corpus/$t"
		mkdir -p "test/fuzz/corpus/$t"
		cp "$merged"/* "test/fuzz/corpus/$t/" 2>/dev/null
		result=ok
	else
		bad=$((bad + 1))
		result="FAILED (exit $rc): see $out/$t.log"
	fi
	files=$(ls "test/fuzz/corpus/$t" | wc -l)
	bytes=$(cat "test/fuzz/corpus/$t"/* 2>/dev/null | wc -c)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$t" "${done_runs:-?}" "$secs" "$files" "$bytes" \
		"${cov:-?}" "${ft:-?}" "$result" | tee -a "$table"
done
echo "campaign: $(($# - bad)) passed, $bad failed (table in $table)"
[ $bad -eq 0 ]
