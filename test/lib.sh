# SPDX-License-Identifier: ISC
# test/lib.sh: helpers shared by the udsbox shunit2 suites (sourced, never run).
#
# Environment, set by test/run.sh:
#   UDSBOX   path of the udsbox binary under test (its applet symlinks sit beside it)
#   RUNNER   empty for a native run, or an emulator such as qemu-arm that takes -0 ARGV0
#   COUNTS   file where the suite's totals are written at the end
# A suite never knows which CPU it runs on: it calls the applets only through
# uds_serve, uds_connect and udsbox below.

: "${UDSBOX:?UDSBOX must name the udsbox binary under test}"
RUNNER=${RUNNER:-}
BINDIR=$(cd "$(dirname "$UDSBOX")" && pwd)
SKIPPED=0
SERVER_PIDS=

# A few helpers put a command before the applet's own (timeout, setpriv, ...):
# they go in _PRE, as words. See `with` below.
# In a background subshell, _EXEC=exec makes the applet replace the subshell, so
# that $! is the applet's own pid (dash forks once more for a function otherwise).
_PRE=
_EXEC=
BG_PIDS=
TOPDIR=$(pwd)
# Messages of the tools the suites compare against (tr, ls, stat) must not vary.
LC_ALL=C
export LC_ALL

# applet NAME ARG...: run udsbox with argv[0] = NAME. Natively the symlink of that
# name is used; a name with no symlink (foo, -uds-connect, /some/dir/uds-serve)
# gets exactly that argv[0] from perl's exec, as qemu's -0 gives it.
applet() {
	_name=$1
	shift
	if [ -n "$RUNNER" ]; then
		$_EXEC $_PRE $RUNNER -0 "$_name" "$UDSBOX" "$@"
	elif [ "${_name#*/}" = "$_name" ] && [ -x "$BINDIR/$_name" ]; then
		$_EXEC $_PRE "$BINDIR/$_name" "$@"
	elif [ -n "$_PERL" ]; then
		$_EXEC $_PRE perl -e '$p = shift; exec { $p } @ARGV or exit 127' "$UDSBOX" "$_name" "$@"
	else
		$_EXEC $_PRE argv0 "$UDSBOX" "$_name" "$@"
	fi
}
# where there is no perl (the real-kernel VMs), test/vm/tools/argv0.c does it
_PERL=
command -v perl >/dev/null 2>&1 && _PERL=perl
uds_serve() { applet uds-serve "$@"; }
uds_connect() { applet uds-connect "$@"; }
udsbox() { applet udsbox "$@"; }

# skip_test REASON: mark the current test skipped, with a message that says why.
# A test is skipped once: a second reason is neither printed nor counted.
skip_test() {
	isSkipping && return 0
	echo "  skipped: $1"
	SKIPPED=$((SKIPPED + 1))
	startSkipping
}

# needs TOOL...: skip the current test unless every TOOL can be run here,
# saying which is missing; 1 if it skipped. python3 is $PY. The real-kernel
# VMs (test/vm) have busybox and udsbox, not python3, perl or strace:
#   needs python3 || return 0
needs() {
	for _nt in "$@"; do
		case $_nt in
		python3) _nc=$PY ;;
		*) _nc=$_nt ;;
		esac
		command -v "$_nc" >/dev/null 2>&1 && continue
		skip_test "needs $_nt, not installed here"
		return 1
	done
	return 0
}

# start_server ARG...: run uds-serve -1 ARG... in the background and wait (10 s at
# most) until it reports readiness. Sets SERVER_PID; returns non-zero if it died.
start_server() {
	_NSRV=$((${_NSRV:-0} + 1))
	_rdy=$TMP/ready.$_NSRV
	: >"$_rdy"
	(
		_EXEC='exec'
		uds_serve -1 "$@" >"$_rdy" 2>>"$TMP/server.err"
	) &
	SERVER_PID=$!
	SERVER_PIDS="$SERVER_PIDS $SERVER_PID"
	_i=0
	while [ ! -s "$_rdy" ]; do
		kill -0 "$SERVER_PID" 2>/dev/null || return 1
		_i=$((_i + 1))
		[ $_i -gt 500 ] && return 1
		sleep 0.02
	done
	return 0
}

# stop_server [PID]: SIGTERM one server we started (default: the last) and reap it.
stop_server() {
	_p=${1:-$SERVER_PID}
	kill -TERM "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
}

# wait_gone PID [TENTHS]: wait until PID has exited (default 10 s); 0 if it did.
wait_gone() {
	_n=${2:-100}
	while kill -0 "$1" 2>/dev/null; do
		_n=$((_n - 1))
		[ $_n -le 0 ] && return 1
		sleep 0.1
	done
	return 0
}

# with PREFIX FUNCTION ARG...: call one of the applet helpers above with PREFIX (a
# command and its words, split on blanks, e.g. "setpriv --reuid=65534") put before
# the real command line. Nests: with "timeout 9" with "env X=1" uds_connect S.
with() {
	local _saved
	_saved=$_PRE
	_PRE="$_PRE $1"
	shift
	"$@"
	set -- $? "$_saved"
	_PRE=$2
	return "$1"
}

# bounded FUNCTION ARG...: as with, under a time limit of $BOUND seconds (default
# 30); a command that hangs ends with status 124 and the test fails instead of hanging.
bounded() { with "timeout -k 2 ${BOUND:-30}" "$@"; }

# applet_exe NAME: make $TMP/bin/NAME run the applet NAME of the binary under
# test, as lib.sh's applet does: natively, a symlink to the applet's link;
# under an emulator, a script that execs RUNNER -0 NAME UDSBOX (the emulator
# by its full path: openrc-run resets PATH). Either way the process a
# supervisor started is the applet's, with the same pid.
applet_exe() {
	mkdir -p "$TMP/bin"
	if [ -z "$RUNNER" ]; then
		ln -s "$BINDIR/$1" "$TMP/bin/$1"
		return
	fi
	set -- "$1" $RUNNER
	_emu=$(command -v "$2") || { fail "no $2 in PATH"; return 1; }
	_name=$1
	shift 2
	printf '#!/bin/sh\nexec %s %s -0 %s %s "$@"\n' "'$_emu'" "$*" "$_name" "'$UDSBOX'" >"$TMP/bin/$_name"
	chmod 755 "$TMP/bin/$_name"
}

# capture FUNCTION ARG...: run it bounded with stdout in $TMP/out and stderr in
# $TMP/err; sets RC, OUT and ERR (trailing newlines dropped, as by $(...)).
# Give it stdin with a redirection: capture uds_connect "$S" <"$TMP/in".
capture() {
	bounded "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# assert_fatal PROG KEY [RC]: the last capture failed with exit RC (default 100)
# and one line on stderr: "PROG: fatal: ...KEY...".
assert_fatal() {
	assertEquals "exit status (stderr: $ERR)" "${3:-100}" "$RC"
	assertEquals "stderr is one line: $ERR" 1 "$(printf '%s\n' "$ERR" | wc -l)"
	case $ERR in
	"$1: fatal: "*"$2"*) ;;
	*) fail "stderr should be '$1: fatal: ...$2...', is: $ERR" ;;
	esac
}

# wait_until TENTHS CMD...: run CMD every 0.1 s until it succeeds; 1 if TENTHS ran out.
wait_until() {
	_wu=$1
	shift
	until "$@"; do
		_wu=$((_wu - 1))
		[ "$_wu" -le 0 ] && return 1
		sleep 0.1
	done
	return 0
}

# gate NAME: block until open_gate NAME (or 30 s, or the test's end). A client's
# stdin that stays open and silent: gate a | uds_connect "$S" &
gate() {
	_g=300
	while [ ! -e "$TMP/gate.$1" ] && [ -d "$TMP" ] && [ $_g -gt 0 ]; do
		sleep 0.1
		_g=$((_g - 1))
	done
}
open_gate() { : >"$TMP/gate.$1"; }

# opened NAME: block until open_gate NAME (or 2 minutes, or gate.all, which a
# suite's tearDown makes): a tool's stdin that stays open and silent until
# then. Open the gate before you wait for such a pipeline: dash's wait PID
# waits for the whole pipeline.
opened() {
	_o=1200
	while [ ! -e "$TMP/gate.$1" ] && [ ! -e "$TMP/gate.all" ] && [ -d "$TMP" ] && [ $_o -gt 0 ]; do
		sleep 0.1
		_o=$((_o - 1))
	done
}

# has_line FILE PATTERN: FILE has a line matching the extended regex PATTERN.
has_line() { grep -Eq -- "$2" "$1" 2>/dev/null; }

# nonempty FILE: FILE exists and is not empty.
nonempty() { [ -s "$1" ]; }

# children_of PID [STATE]: how many processes have PID as parent (in STATE, if given).
children_of() {
	cat /proc/[0-9]*/stat 2>/dev/null | sed 's/^.*) //' |
		awk -v p="$1" -v s="${2:-}" '$2 == p && (s == "" || $1 == s) { n++ } END { print n + 0 }'
}

# child_pids PID: the pids of PID's children (pgrep -P, which busybox may lack).
child_pids() {
	cat /proc/[0-9]*/stat 2>/dev/null | sed 's/^\([0-9]*\) .*) /\1 /' |
		awk -v p="$1" '$3 == p { print $1 }'
}

# bounded_pid PID: the pid of the command that `bounded` started as PID (a
# subshell that exec'd it): GNU timeout runs the command as its child, while
# busybox's (the VMs') execs it in place and forks a watcher, which must not be
# taken for it. Empty while the command has not started (a shell is not it).
bounded_pid() {
	for _bp in "$1" $(child_pids "$1"); do
		_bc=$(tr '\0' ' ' <"/proc/$_bp/cmdline" 2>/dev/null) || continue
		case ${_bc%% *} in '' | timeout | */timeout | sh | */sh | bash | */bash) continue ;; esac
		echo "$_bp"
		return 0
	done
}

# sockets_of PID: how many sockets PID has open.
sockets_of() { ls -l "/proc/$1/fd" 2>/dev/null | grep -c 'socket:'; }

# alive PID: PID exists and is not a zombie.
alive() {
	_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${_st%% *}" != Z ]
}

# pad_path N: print a path in $TMP exactly N bytes long (nothing is created).
pad_path() {
	_pp="$TMP/"
	[ ${#_pp} -lt "$1" ] || return 1
	while [ ${#_pp} -lt "$1" ]; do _pp="${_pp}a"; done
	printf '%s\n' "$_pp"
}

# pad_name PREFIX N: print PREFIX padded with x to exactly N bytes.
pad_name() {
	_pn=$1
	while [ ${#_pn} -lt "$2" ]; do _pn="${_pn}x"; done
	printf '%s\n' "$_pn"
}

# spawn FUNCTION ARG... [REDIRECTIONS]: run an applet helper in the background with
# the caller's stdin (not /dev/null) and set SPAWNED to the applet's own pid.
# Note: with bounded, SPAWNED is timeout's pid.
spawn() {
	{
		(
			_EXEC='exec'
			"$@"
		) <&3 3<&- &
	} 3<&0
	SPAWNED=$!
}

# held NAME TEXT FUNCTION ARG...: run an applet helper in the background, bounded,
# its stdin getting the printf format TEXT and then staying open (and silent) until
# open_gate NAME; stdout in $TMP/NAME.out, stderr in $TMP/NAME.err. Sets SPAWNED
# (timeout's pid: wait for it, or kill -TERM it to end the applet).
held() {
	_hn=$1
	_ht=$2
	shift 2
	{
		printf "$_ht"
		gate "$_hn"
	} | (
		_EXEC='exec'
		bounded "$@"
	) >"$TMP/$_hn.out" 2>"$TMP/$_hn.err" &
	SPAWNED=$!
}

# dead PID: PID has exited (a zombie counts as dead); alive PID: it has not.
dead() { ! alive "$1"; }

# background PID: remember a helper process of this test, killed at its end.
background() { BG_PIDS="$BG_PIDS $1"; }

setUp() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/udsbox.XXXXXX")
	# socket paths must fit in 107 bytes: a long TMPDIR would fail every test
	if [ ${#TMP} -gt 40 ]; then
		rmdir "$TMP"
		TMP=$(mktemp -d /tmp/udsbox.XXXXXX)
	fi
	SERVER_PIDS=
	SERVER_PID=
	BG_PIDS=
	_PRE=
	[ -n "${TEST_TIMES:-}" ] && _t0=$(date +%s%N)
	command -v suite_setUp >/dev/null 2>&1 && suite_setUp
	return 0
}

tearDown() {
	command -v suite_tearDown >/dev/null 2>&1 && suite_tearDown
	# under make coverage, what is left ends by SIGTERM first: the counters
	# are written at a process's exit, and SIGKILL loses them
	if [ -n "${UB_COVERAGE:-}" ]; then
		for _p in $SERVER_PIDS $BG_PIDS; do kill -TERM "$_p" 2>/dev/null; done
		for _p in $SERVER_PIDS $BG_PIDS; do wait_gone "$_p" 20; done
	fi
	for _p in $SERVER_PIDS $BG_PIDS; do kill -KILL "$_p" 2>/dev/null; wait "$_p" 2>/dev/null; done
	cd "$TOPDIR" || :
	# TEST_TIMES=1 in the environment: print how long each test took
	[ -n "${TEST_TIMES:-}" ] && echo "  ($((($(date +%s%N) - _t0) / 1000000)) ms)"
	isSkipping && endSkipping
	rm -rf "$TMP"
	return 0
}

oneTimeTearDown() {
	[ -n "${COUNTS:-}" ] && echo "${__shunit_testsPassed:-0} ${__shunit_testsFailed:-0} $SKIPPED" >"$COUNTS"
	return 0
}

# SETPRIV: util-linux's setpriv, by name; the real-kernel VMs give theirs
# (test/vm/tools/setpriv.c) by path, since busybox runs its own applet of
# that name (no --reuid) before any program in PATH
SETPRIV=${SETPRIV:-setpriv}

# PY: python3 of the system, which the unprivileged user of the tests can run
# too; PEER: the hostile and unusual socket peers of test/tools/peer.py
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
PEER="$PY $TOPDIR/test/tools/peer.py"

# print_sink ARG...: uds-serve -I print ARG... with its stdout in
# $TMP/print.out (and -n 3 for readiness, so that stdout holds nothing but
# what is printed); printed PATTERN: a line of it matches (5 s at most)
print_sink() {
	: >"$TMP/print.rdy"
	(
		_EXEC=exec
		uds_serve -n 3 -I print "$@" >"$TMP/print.out" 2>>"$TMP/server.err" 3>"$TMP/print.rdy"
	) &
	SERVER_PID=$!
	SERVER_PIDS="$SERVER_PIDS $SERVER_PID"
	wait_until 100 nonempty "$TMP/print.rdy" && return 0
	fail "uds-serve -I print $* did not start: $(cat "$TMP/server.err")"
	return 1
}
printed() { wait_until 50 has_line "$TMP/print.out" "$1"; }

# cpu_ticks PID: the CPU time PID has used so far (user + system), in clock ticks.
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'; }

# assert_idle PID WHAT [SECS]: PID, which should be waiting (in poll, epoll_wait,
# read...), uses no CPU over SECS seconds (default 1). One tick is allowed for
# the accounting's granularity; a process that spins uses every tick there is.
assert_idle() {
	case $1 in
	'' | *[!0-9]*)
		fail "$2: no process to watch (pid '$1')"
		return 1
		;;
	esac
	_ai1=$(cpu_ticks "$1")
	sleep "${3:-1}"
	_ai2=$(cpu_ticks "$1")
	if [ -z "$_ai1" ] || [ -z "$_ai2" ]; then
		fail "$2: process $1 is gone"
		return 1
	fi
	assertTrue "$2: $((_ai2 - _ai1)) ticks of CPU in ${3:-1} s while it should wait (at $(getconf CLK_TCK 2>/dev/null || echo "USER_HZ") Hz)" \
		"[ $((_ai2 - _ai1)) -le 1 ]"
}

# becomes_idle PID WHAT [TRIES]: as assert_idle, for a process that should
# come to wait once its work is done, however slow the CPU (an emulated one
# may take seconds): passes at the first idle second among TRIES (default
# 20); one that spins never has one.
becomes_idle() {
	_bi=${3:-20}
	while [ "$_bi" -gt 0 ]; do
		_bi1=$(cpu_ticks "$1")
		sleep 1
		_bi2=$(cpu_ticks "$1")
		if [ -z "$_bi1" ] || [ -z "$_bi2" ]; then
			fail "$2: process $1 is gone"
			return 1
		fi
		[ $((_bi2 - _bi1)) -le 1 ] && return 0
		_bi=$((_bi - 1))
	done
	fail "$2: it used CPU in each of ${3:-20} seconds (the last: $((_bi2 - _bi1)) ticks) while it should wait"
	return 1
}

# --help and the sources (help.test, short/smoke.test): SRCDIR is the tree of
# the suites, test/.. unless the suite says otherwise
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}

# getopt_letters FILE: the option letters of the one ub_getopt string of
# SRCDIR/FILE, a line each (none if there is not exactly one)
getopt_letters() {
	_gl=$(sed -n 's/.*ub_getopt([^"]*"\([^"]*\)").*/\1/p' "$SRCDIR/$1")
	case $_gl in
	'' | *'
'*)
		echo "$1: want exactly one ub_getopt string, found: '$_gl'" >&2   # and no letters
		return 1
		;;
	esac
	printf '%s\n' "$_gl" | tr -d ':' | fold -w 1
}

# help_letters: the letters of the option lines ("-q  text", "-c MAX  text") in $OUT
help_letters() { printf '%s\n' "$OUT" | sed -n 's/^-\([A-Za-z0-9]\)\( [^ ]\{1,\}\)\{0,1\}  [^ ].*/\1/p'; }

# source_synopsis FILE: the usage lines of SRCDIR/FILE's help[] (the C string
# literals before its UB_HELP), as --help prints them
source_synopsis() {
	sed -n '/^static const char help\[\] =/,/UB_HELP(/p' "$SRCDIR/$1" |
		sed -n 's/^[ 	]*"\(.*\)\\n"$/\1/p' | while IFS= read -r _l; do printf '%b\n' "$_l"; done
}

# synopsis_letters: the letters of the usage lines in $OUT, up to the first
# option line: "[-qv]", "[-P PIDFILE]", "uds-connect -x"
synopsis_letters() {
	printf '%s\n' "$OUT" | sed '/^-/,$d' | grep -oE '(^|[[ 	])-[A-Za-z0-9]+' |
		sed 's/^.*-//' | fold -w 1
}
