#!/bin/sh
# SPDX-License-Identifier: ISC
# test/soak/soak.sh: the chaos soak (make soak SOAK_SECONDS=N). Random clients
# (test/tools/soak.c: normal, slow, stalled, aborted, reset and hung-up ones,
# 0 to 4 MiB) against a stream `uds-serve -I upper`, and random message
# sequences (empty messages included) against a seqpacket one, both at once
# for SOAK_SECONDS; every reply is checked byte for byte. Then, per server:
# its descriptors are exactly what they were before the first client, its
# VmRSS is what it was after the warm-up, it uses no CPU once the load stops,
# it still serves, and it stops cleanly on SIGTERM.
#
# Environment:
#   UDSBOX        the udsbox binary under test (default build/host/udsbox)
#   RUNNER        empty, or an emulator taking -0 ARGV0 (qemu-arm), as for the suites;
#                 the clients always run natively
#   SOAK_SECONDS  how long new clients are started (default 20)
#   SOAK_SEED     the seed of a run to replay (default: a new one, printed)
#   SOAK_EXCLUDE  client kinds or features to leave out (soak -x LIST, e.g.
#                 "empty"): only for working around a known bug; never by default
#   SOAK_RSS_KB   VmRSS growth allowed after the warm-up, in KiB (see below)
#   SOAK_TOOLS    where test/tools/build.sh puts the soak client (default build/tools)
#
# Prints figures, one line per check, and last "soak: N passed, N failed";
# exits 1 if any check failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
UDSBOX=${UDSBOX:-$top/build/host/udsbox}
export UDSBOX
[ -x "$UDSBOX" ] || { echo "soak: no binary at $UDSBOX (make first)" >&2; exit 1; }
. "$top/test/lib.sh"

SECS=${SOAK_SECONDS:-20}
case $SECS in '' | *[!0-9]*) echo "soak: SOAK_SECONDS must be a whole number of seconds" >&2; exit 1 ;; esac
TOOLS=${SOAK_TOOLS:-$top/build/tools}
sh "$top/test/tools/build.sh" "$TOOLS" || exit 1
SOAK=$TOOLS/soak
SEED=${SOAK_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
case $SEED in '' | *[!0-9]*) echo "soak: SOAK_SEED must be a number" >&2; exit 1 ;; esac
XOPT=${SOAK_EXCLUDE:+-x $SOAK_EXCLUDE}
HZ=$(getconf CLK_TCK)
# The warm-up plays clients that push every buffer of the server to its first
# use (see soak -W); three seconds covers its 1.5 s stalls and their replies.
WARM=3
# The idle check: this long with no client at all.
IDLE=2
# VmRSS after the warm-up must not grow by more than this. The server allocates
# nothing: all it has is static (the 640 KiB scratch area and the connection
# table, touched during the warm-up) and its stack. So what may still appear is
# a deeper stack on a rare path (an error message formatted on it, say) and a
# static page the warm-up missed: 4 pages. Under an emulator the figure is
# the emulator's, whose translated-code cache grows with every guest code path
# run for the first time (error paths late in a run): 1 MiB there.
if [ -n "$RUNNER" ]; then RSS_KB=${SOAK_RSS_KB:-1024}; else RSS_KB=${SOAK_RSS_KB:-16}; fi

# socket paths must fit in 107 bytes: a short directory, as the suites use
TMP=$(mktemp -d "${TMPDIR:-/tmp}/soak.XXXXXX") || exit 1
if [ ${#TMP} -gt 40 ]; then
	rmdir "$TMP"
	TMP=$(mktemp -d /tmp/soak.XXXXXX) || exit 1
fi
cleanup() {
	[ -d "$TMP" ] && : >"$TMP/release"
	for _p in ${PIDS:-}; do kill -KILL "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	rm -rf "$TMP"
}
PIDS=
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

PASSED=0 FAILED=0
# check WHAT COMMAND...: one check, counted and printed.
check() {
	_what=$1
	shift
	if "$@"; then
		PASSED=$((PASSED + 1))
		echo "  ok    $_what"
	else
		FAILED=$((FAILED + 1))
		echo "  FAIL  $_what"
	fi
}

# The figures of PID from /proc; -1 once it is gone, so that the arithmetic
# below goes on and the checks fail.
fds_of() { [ -d "/proc/$1/fd" ] && ls "/proc/$1/fd" 2>/dev/null | wc -l || echo -1; }
rss_of() { cat "/proc/$1/status" 2>/dev/null | awk '$1 == "VmRSS:" { v = $2 } END { print v == "" ? -1 : v }'; }
ticks_of() { _t=$(cpu_ticks "$1"); echo "${_t:--1}"; }
fds_are() { [ "$(fds_of "$1")" -eq "$2" ]; }
is_zero() { [ "$1" -eq 0 ]; }
both_zero() { [ "$1" = 0 ] && [ "$2" = 0 ]; }
# idle_ok PID TICKS: PID is there and used at most one tick (the accounting's
# granularity, as assert_idle allows in test/lib.sh)
idle_ok() { alive "$1" && [ "$2" -ge 0 ] && [ "$2" -le 1 ]; }
rss_ok() { [ "$1" -ge 0 ] && [ "$2" -ge 0 ] && [ $(($2 - $1)) -le "$RSS_KB" ]; }
fds_ok() { [ "$1" -ge 0 ] && [ "$1" -eq "$2" ]; }
# stopped RC PATH: exit 0, and the socket file gone
stopped() { [ "$1" -eq 0 ] && [ ! -e "$2" ]; }
# settled PID: wait (5 s at most) until PID's descriptors stop changing for
# 0.3 s: it has closed every connection its clients closed.
settled() {
	_n=50 _prev=-1
	while [ $_n -gt 0 ]; do
		_now=$(fds_of "$1")
		[ "$_now" -eq "$_prev" ] && return 0
		_prev=$_now
		sleep 0.3
		_n=$((_n - 3))
	done
}

echo "soak: seed $SEED, $SECS s, $UDSBOX${RUNNER:+ under $RUNNER}${SOAK_EXCLUDE:+, leaving out: $SOAK_EXCLUDE}"

# The two servers: -c 200, above the clients' 64 and 16 at once, so that
# every client is served as it comes and none waits in the backlog.
KINDS="stream seqpacket"
for k in $KINDS; do
	case $k in
	stream) opt="-T stream" sopt= ;;
	seqpacket) opt="-T seqpacket" sopt=-s ;;
	esac
	eval "SOPT_$k=\$sopt"
	if start_server -c 200 $opt -I upper "$TMP/$k"; then
		PIDS="$PIDS $SERVER_PID"
		eval "PID_$k=$SERVER_PID"
		check "$k: uds-serve $opt -I upper started (pid $SERVER_PID)" true
	else
		PIDS="$PIDS $SERVER_PID"
		eval "PID_$k="
		check "$k: uds-serve $opt -I upper started: $(cat "$TMP/server.err" 2>/dev/null)" false
	fi
done
alive_kinds() {
	for _k in $KINDS; do eval "[ -n \"\$PID_$_k\" ]" && echo "$_k"; done
}
KINDS=$(alive_kinds)

# released: block until the driver opens the gate (touches $TMP/release),
# or $TMP is gone, or long after any soak could have ended. A soak's stdin
# that stays open and silent until then, as lib.sh's gate.
released() {
	_r=$(((SECS + 300) * 10))
	while [ ! -e "$TMP/release" ] && [ -d "$TMP" ] && [ $_r -gt 0 ]; do
		sleep 0.1
		_r=$((_r - 1))
	done
}

# run_soak TAG SOAK-OPTION...: one soak per server, at once, in the
# background, their stdin open until released; their output in
# $TMP/TAG.KIND.out and .err, their exit status in .rc. Sets SOAK_PIDS.
run_soak() {
	_tag=$1
	shift
	SOAK_PIDS=
	for _k in $KINDS; do
		eval "_s=\$SOPT_$_k"
		(
			released | "$SOAK" -r "$SEED" $_s $XOPT "$@" "$TMP/$_k" >"$TMP/$_tag.$_k.out" 2>"$TMP/$_tag.$_k.err"
			echo $? >"$TMP/$_tag.$_k.rc"
		) &
		SOAK_PIDS="$SOAK_PIDS $!"
	done
}
# holding TAG: every soak of TAG holds its quiet connections, or has ended.
holding() {
	for _k in $KINDS; do
		[ -e "$TMP/$1.$_k.rc" ] || has_line "$TMP/$1.$_k.out" '^soak [a-z]*: holding ' || return 1
	done
}
# release: open the gate, and wait for the soaks.
release() {
	: >"$TMP/release"
	for _p in $SOAK_PIDS; do wait "$_p"; done
	rm -f "$TMP/release"
}

for k in $KINDS; do
	eval "p=\$PID_$k"
	eval "FD0_$k=$(fds_of "$p") RSS00_$k=$(rss_of "$p")"
done

run_soak warm -W -t "$WARM"
release
for k in $KINDS; do
	eval "p=\$PID_$k"
	settled "$p"
	eval "RSS0_$k=$(rss_of "$p") T0_$k=$(ticks_of "$p")"
done

# The run, then HELD quiet connections per server while the idle check runs:
# "no CPU once the load stops" with clients still connected, as a daemon
# mostly is. Bounded: soak's watchdog and alarm end it (SECS + 90 s at most).
HELD=8
run_soak run -t "$SECS" -H "$HELD"
wait_until $(((SECS + 120) * 10)) holding run
for k in $KINDS; do
	eval "p=\$PID_$k"
	eval "T1_$k=$(ticks_of "$p") FDH_$k=$(fds_of "$p")"
done
# every server at once, so the idle check costs IDLE seconds in all
for k in $KINDS; do eval "I0_$k=\$(ticks_of \$PID_$k)"; done
sleep "$IDLE"
for k in $KINDS; do eval "I1_$k=\$(ticks_of \$PID_$k)"; done
release
for k in $KINDS; do
	eval "p=\$PID_$k fd0=\$FD0_$k"
	# bounded: a server that keeps a connection open would keep its count up
	wait_until 50 fds_are "$p" "$fd0"
	eval "FD1_$k=$(fds_of "$p") RSS1_$k=$(rss_of "$p")"
done

for k in $KINDS; do
	eval "p=\$PID_$k sopt=\$SOPT_$k fd0=\$FD0_$k fd1=\$FD1_$k rss00=\$RSS00_$k rss0=\$RSS0_$k rss1=\$RSS1_$k"
	eval "t0=\$T0_$k t1=\$T1_$k i0=\$I0_$k i1=\$I1_$k fdh=\$FDH_$k"
	echo "== $k"
	for tag in warm run; do
		sed -n '/^soak /p; /^  /p' "$TMP/$tag.$k.out"
		# the first ten failures of each run (two lines each) are enough to
		# go on, and those of the quiet connections
		awk 'NR <= 20 || /quiet connection/ { print "  " $0 }' "$TMP/$tag.$k.err"
	done
	idle=$((i1 - i0))
	echo "  server: descriptors $fd0 -> $fd1 ($fdh with $HELD quiet clients); VmRSS $rss0 -> $rss1 kB" \
		"(${rss00} kB before the first client); CPU $((t1 - t0)) ticks during the run," \
		"$idle in ${IDLE} s after it (at $HZ Hz)"
	wrc=$(cat "$TMP/warm.$k.rc" 2>/dev/null || echo none)
	rrc=$(cat "$TMP/run.$k.rc" 2>/dev/null || echo none)
	check "$k: every reply verified (soak exit status: warm-up $wrc, run $rrc)" both_zero "$wrc" "$rrc"
	check "$k: descriptors flat: $fd0 before the first client, $fd1 after the last" fds_ok "$fd0" "$fd1"
	check "$k: VmRSS flat: $rss0 kB after the warm-up, $rss1 kB after the run (at most +$RSS_KB)" \
		rss_ok "$rss0" "$rss1"
	check "$k: no CPU once the load stopped, $HELD quiet clients connected: $idle ticks in $IDLE s (at most 1)" \
		idle_ok "$p" "$idle"
	"$SOAK" -p $sopt "$TMP/$k" >"$TMP/probe.$k.out" 2>&1 </dev/null
	rc=$?
	check "$k: still serves after the soak$(sed -n 's/^soak: FAIL /: /p' "$TMP/probe.$k.out")" is_zero "$rc"
	kill -TERM "$p" 2>/dev/null
	wait "$p"
	rc=$?
	check "$k: stops on SIGTERM with exit 0 (is $rc) and removes its socket" stopped "$rc" "$TMP/$k"
done
if [ -s "$TMP/server.err" ]; then
	echo "== server stderr"
	sed 's/^/  /' "$TMP/server.err"
fi
if [ "$FAILED" -gt 0 ]; then
	echo "replay: SOAK_SEED=$SEED SOAK_SECONDS=$SECS${SOAK_EXCLUDE:+ SOAK_EXCLUDE=$SOAK_EXCLUDE}" \
		"UDSBOX=$UDSBOX RUNNER=$RUNNER sh test/soak/soak.sh"
	echo "one client alone: start the server as above, then $SOAK -r SEED [-s] [-W] -k K ADDRESS"
fi
echo "soak: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
