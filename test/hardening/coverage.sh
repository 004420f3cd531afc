#!/bin/sh
# SPDX-License-Identifier: ISC
# test/hardening/coverage.sh TARGET...: make coverage's run. The counters of
# build/cov start from zero; the host suites run on build/cov/udsbox (as
# test/run.sh cov), then each fuzz TARGET's corpus is replayed through
# build/cov/fz/TARGET; then gcov gives each file of core/ and applets/ its
# line and branch coverage (build/cov/report.txt) and the lines never run of
# the files issue 22 names (build/cov/uncovered.txt). The suites' own
# failures are reported but do not fail it: this measures, it does not test.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
cov=build/cov
# COV_REPLAY_ONLY=1: keep the counters of an earlier run, and replay the
# corpora again on top of them (after a campaign grew them)
[ -n "${COV_REPLAY_ONLY:-}" ] || find "$cov" -name '*.gcda' -exec rm -f {} +
# servers that drop to another user (-u, setpriv) write their counters too
chmod 777 "$cov/obj" "$cov/fz"
umask 0

start=$(date +%s)
if [ -z "${COV_REPLAY_ONLY:-}" ]; then
	UB_COVERAGE=1 RUNNER= SUITES=${SUITES:-} sh test/run.sh cov >"$cov/suites.log" 2>&1
	echo "coverage: suites: $(tail -n 1 "$cov/suites.log") in $(($(date +%s) - start)) s (log: $cov/suites.log)"
fi
for t in "$@"; do
	ls "test/fuzz/corpus/$t"/* >/dev/null 2>&1 || continue
	"$cov/fz/$t" "test/fuzz/corpus/$t"/* >"$cov/fz/$t.log" 2>&1 ||
		echo "coverage: the replay of $t failed (log: $cov/fz/$t.log)"
done
echo "coverage: fuzz corpora replayed: $*"

# gcov's annotated sources: a count, '-' (no code) or '#####'/'=====' (never
# run) before each line; 'branch N taken P%' or 'never executed' after it
g=$cov/gcov
rm -rf "$g"
mkdir -p "$g"
for f in core/*.c applets/*.c; do
	# from the top, where the objects' relative source names lead
	gcov -b -o "$cov/obj" "$f" >/dev/null 2>&1
	[ -f "$(basename "$f").gcov" ] && mv "$(basename "$f").gcov" "$g/"
done
# pct A B: A of B, in per cent with one decimal
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b) printf "%.1f", 100 * a / b; else printf "-" }'; }
# what the fuzz replays ran of files built into them apart from the
# binary's objects (msg.c and pw.c as make fuzz builds them, the upgrade's
# state_check inside fuzz_state): counted too, line by line, into the
# binary's annotation (a line never run there but run by a replay is run)
mkdir -p "$g/fz"
for pair in fz/msg.o:core/msg.c fz/pw.o:core/pw.c fz/fz_fuzz_state.o:test/fuzz/fuzz_state.c; do
	gcov -b -o "$cov/${pair%%:*}" "${pair#*:}" >/dev/null 2>&1
	for a in msg.c.gcov pw.c.gcov uds_serve_upgrade.c.gcov; do
		[ -f "$a" ] || continue
		[ -f "$g/$a" ] && awk -F: 'NR == FNR { if ($1 ~ /^ *[0-9]/) run[$2 + 0] = $1; next }
			$1 ~ /^ *(#####|=====)$/ && ($2 + 0) in run { $1 = run[$2 + 0] } { print }' OFS=: "$a" "$g/$a" >"$g/fz/$a" &&
			mv "$g/fz/$a" "$g/$a"
		rm -f "$a"
	done
	rm -f ./*.gcov
done
report=$cov/report.txt
unc=$cov/uncovered.txt
: >"$unc"
{
	printf '%-30s %7s %6s %9s %6s\n' file lines of branches of
	for dir in core applets; do
		tl=0 tn=0 tb=0 tbn=0
		for f in $dir/*.c; do
			a=$g/$(basename "$f").gcov
			[ -f "$a" ] || { printf '%-30s  (no code in this build)\n' "$f"; continue; }
			set -- $(awk -F: '
				/^ *branch / { bn++; if ($0 ~ /taken [1-9]/) bt++; next }
				/^ *[0-9]+\*?:/ { ln++; lr++; next }
				/^ *(#####|=====):/ { ln++; next }
				END { print lr + 0, ln + 0, bt + 0, bn + 0 }' "$a")
			tl=$((tl + $1)) tn=$((tn + $2)) tb=$((tb + $3)) tbn=$((tbn + $4))
			printf '%-30s %6s%% %6s %8s%% %6s\n' "$f" "$(pct "$1" "$2")" "$2" "$(pct "$3" "$4")" "$4"
		done
		printf '%-30s %6s%% %6s %8s%% %6s\n' "$dir/ (all)" "$(pct "$tl" "$tn")" "$tn" "$(pct "$tb" "$tbn")" "$tbn"
	done
} >"$report.tmp" 2>&1
mv "$report.tmp" "$report"
for f in core/path.c core/sock.c core/sudo.c core/env.c core/cmsg.c applets/uds_serve_upgrade.c; do
	a=$g/$(basename "$f").gcov
	[ -f "$a" ] || continue
	echo "== $f" >>"$unc"
	awk '/^ *(#####|=====):/ { n = $0; sub(/^ *[#=]+: */, "", n); t = n; sub(/^[0-9]+:/, "", t); sub(/:.*/, "", n); printf "%5d: %s\n", n, t }' "$a" >>"$unc"
done
cat "$report"
echo "coverage: the lines never run of the files issue 22 names: $unc ($(grep -vc '^==' "$unc") lines)"
echo "coverage: $(($(date +%s) - start)) s in all"
