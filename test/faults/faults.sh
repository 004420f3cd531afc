#!/bin/sh
# SPDX-License-Identifier: ISC
# test/faults/faults.sh: systematic syscall fault injection under strace (make faults).
#
# usage: test/faults/faults.sh                      every workload, every side
#        test/faults/faults.sh --one WL SIDE NAME ERRNO N
#                                                   one run, told in full, its files kept
# Environment: UDSBOX (default build/host/udsbox), FAULTS_JOBS (runs at once,
# default 2), FAULTS_BOUND (seconds a client or a start-up may take, default 10),
# FAULTS_ONLY (workloads to run, blank-separated; default all), FAULTS_MATCH
# (an extended regex: only the plan's lines "WL SIDE NAME ERRNO N" it matches),
# FAULTS_SAVE (a directory to keep the failing runs' files in), FAULTS_CC
# (compiler for the PROG helper, default musl-gcc).
#
# What it does. Each workload is an exchange with a known, byte-exact result:
#   seed       uds-serve S              printf 'hello\n' | uds-connect S        HELLO
#   relay      uds-serve -I echo S      uds-connect S <4 MB random >out         the same 4 MB
#   prog       uds-serve S upcase       printf 'hello\n' | uds-connect S        HELLO
#   bgterm     uds-serve -B -P PIDFILE S, one client as in seed, then SIGTERM
#   dgram      uds-serve -T dgram S     printf 'x\n' | uds-connect -T dgram S   X
#   seqpacket  uds-serve -T seqpacket S printf 'hello\nworld\n' | uds-connect -T seqpacket S
#   print      uds-serve -T dgram -I print S   printf 'hello\nworld\n' | uds-connect -u -T dgram S
#   sprint     uds-serve -I print S     printf 'hello\nworld\n' | uds-connect -u S
#   exec       uds-serve -x S upcase    printf 'hello\n' | uds-connect -x S     HELLO
#              (for these two, the output is what the server printed)
# Servers other than bgterm also get -1, so that the client starts only once
# the server listens, and every server is stopped by SIGTERM at the end (exit 0
# expected). The side under test, server or client, runs under strace -f (so a
# server's children, PROG included, are injected too); the other side runs as
# it is. First each workload runs once per side under a full trace (the
# baseline, which must be OK); the system calls that side made give the plan:
#   - EINTR at the 1st, 2nd and 3rd call of each name (strace's when=N alone
#     is the Nth call only, counted per process), up to the calls it makes;
#   - EAGAIN at the first three calls of a name that may mean "would block":
#     an I/O call (read, write, send/recv*, splice, accept4, connect) on a
#     descriptor that is non-blocking by its creation or by fcntl, or with
#     MSG_DONTWAIT or SPLICE_F_NONBLOCK; in every process that makes that
#     call (plan.awk follows the descriptors through the baseline's trace);
#   - ENOMEM, EMFILE and ENFILE at the 1st to 3rd call of socket, accept4,
#     pipe2 and open/openat.
# Never injected: calls that cannot fail on Linux when given valid arguments,
# so that an error there models nothing (getpid, umask, rt_sigaction,
# rt_sigprocmask, set_tid_address, arch_prctl, exit_group, rt_sigreturn...),
# and close: an injected error skips the call and leaves the descriptor open,
# where Linux always releases it, even when close returns EINTR.
# strace's retval= injection is never used: it skips the call, so a "short
# write" made so loses the data for real and is no short write.
#
# How a run is judged. Every run ends within its bounds (the client and a
# start-up FAULTS_BOUND seconds each, a stop 3 s), and is one of:
#   OK          the client wrote the byte-exact expected output and exited 0,
#               the server exited 0 at SIGTERM, nothing but `uds-serve:
#               warning:` lines on stderr, no file left (socket, pidfile);
#   CLEAN-FAIL  a process of the injected side exited 1, 100 or 111 and the
#               whole of that side's stderr is one line, `uds-serve: fatal:
#               ...` or `uds-connect: fatal: ...`; nothing left behind; and
#               any output the client did produce is a prefix of the expected.
# When the server is injected and dies cleanly (or one of its PROG children
# does, before the exec), the client may fail too, or stop short: that is the
# server's clean failure, not the client's, so the run is judged by the server,
# and the client's output only has to be a prefix. A cut output is never right
# when the server lived on: a server that survived must have served.
# Anything else fails, as the first that applies of:
#   HANG        a bound ran out (start-up, client, or stop after SIGTERM);
#   CRASH       a process was killed by a signal other than the SIGTERM we send;
#   LOST        wrong data: output that is not a prefix of the expected, or
#               a cut output with exit 0 from an injected client, or from a
#               server that lived on;
#   LEFTOVER    the socket file or the pidfile is still there at the end;
#   BADMSG      a failure without the documented shape: another exit code,
#               not exactly one fatal line, other text on stderr, a server
#               that exited 0 unasked;
#   DROPPED     the injected server lived on, but the client's session failed
#               (it exited non-zero): a transient fault cost a client.
# The column n/i counts runs where the injection never fired (the call came
# fewer times than in the baseline): they are judged all the same.
# The last line is `faults: N passed, N failed` (passed: OK or CLEAN-FAIL);
# the exit status is non-zero if anything failed. Without strace (or ptrace)
# it says why and passes with 0 runs.
set -u
me=$0
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
UDSBOX=${UDSBOX:-$top/build/host/udsbox}
BOUND=${FAULTS_BOUND:-10}
JOBS=${FAULTS_JOBS:-2}
WORKLOADS="seed relay prog bgterm dgram seqpacket print sprint exec"
# see above: no error is injected into these
NEVER=" getpid gettid getppid getuid geteuid getgid getegid umask rt_sigaction rt_sigprocmask
 set_tid_address arch_prctl exit exit_group rt_sigreturn restart_syscall close "
LC_ALL=C
export LC_ALL

skip() {
	echo "faults: skipped: $1"
	echo "faults: 0 passed, 0 failed"
	exit 0
}

# alive PID: PID exists and is not a zombie
alive() {
	_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "${_st%% *}" != Z ]
}

# gone_within TENTHS PID...: wait until none of the PIDs is alive; 1 if time ran out
gone_within() {
	_n=$1
	shift
	for _p in "$@"; do
		while alive "$_p"; do
			_n=$((_n - 1))
			[ "$_n" -le 0 ] && return 1
			sleep 0.1
		done
	done
	return 0
}

# ours DIR: the processes whose command line names DIR, the run's own directory:
# whatever a run started (strace, servers, clients), and nothing else
ours() {
	grep -l -F -- "$1" /proc/[0-9]*/cmdline 2>/dev/null | sed 's|^/proc/\([0-9]*\)/cmdline$|\1|' |
		grep -v -x "$$"
}

# workload WL: set SARGS (uds-serve's arguments), CARGS (uds-connect's), IN (the
# client's stdin), INPIPE (1: stdin through a pipe), EXP (expected output) and
# SHOWIN (how a person would give that stdin, for the reproduction commands)
workload() {
	INPIPE=1
	case $1 in
	seed) SARGS="-1 $S" CARGS=$S IN=$BASE/hello EXP=$BASE/HELLO SHOWIN="printf 'hello\\n' |" ;;
	relay) SARGS="-1 -I echo $S" CARGS=$S IN=$BASE/in4m EXP=$BASE/in4m INPIPE=0
		SHOWIN="head -c 4194304 /dev/urandom >in4m;" ;;
	prog) SARGS="-1 $S $HELPER" CARGS=$S IN=$BASE/hello EXP=$BASE/HELLO SHOWIN="printf 'hello\\n' |" ;;
	exec) SARGS="-1 -x $S $HELPER" CARGS="-x $S" IN=$BASE/hello EXP=$BASE/HELLO SHOWIN="printf 'hello\\n' |" ;;
	bgterm) SARGS="-B -P $D/pid $S" CARGS=$S IN=$BASE/hello EXP=$BASE/HELLO SHOWIN="printf 'hello\\n' |" ;;
	dgram) SARGS="-1 -T dgram $S" CARGS="-T dgram $S" IN=$BASE/x EXP=$BASE/X SHOWIN="printf 'x\\n' |" ;;
	seqpacket) SARGS="-1 -T seqpacket $S" CARGS="-T seqpacket $S" IN=$BASE/hw EXP=$BASE/HW
		SHOWIN="printf 'hello\\nworld\\n' |" ;;
	# -I print: what counts is what the server printed (its stdout after -1's
	# newline), taken as the output; the client sends one way (-u)
	print) SARGS="-1 -T dgram -I print $S" CARGS="-u -T dgram $S" IN=$BASE/hw EXP=$BASE/hw
		SHOWIN="printf 'hello\\nworld\\n' |" ;;
	sprint) SARGS="-1 -I print $S" CARGS="-u $S" IN=$BASE/hw EXP=$BASE/hw
		SHOWIN="printf 'hello\\nworld\\n' |" ;;
	*) echo "faults: unknown workload $1" >&2; exit 2 ;;
	esac
}

# prefix FILE EXP: FILE is empty or a prefix of EXP
prefix() {
	_sz=$(wc -c <"$1")
	[ "$_sz" -eq 0 ] && return 0
	[ "$_sz" -le "$(wc -c <"$2")" ] && cmp -s -n "$_sz" "$1" "$2"
}

# stderr_shape FILE PROG: "none" (empty or warnings only), "fatal" (exactly one
# line, PROG: fatal: ...), or "bad"
stderr_shape() {
	_lines=$(wc -l <"$1")
	_fatal=$(grep -c "^$2: fatal: " "$1")
	_warn=$(grep -c "^$2: warning: " "$1")
	if [ "$_lines" -eq "$_warn" ] && [ -z "$(tail -c 1 "$1")" ]; then echo none
	elif [ "$_lines" -eq 1 ] && [ "$_fatal" -eq 1 ]; then echo fatal
	else echo bad
	fi
}

# run ID WL SIDE NAME ERRNO N: one run (NAME - is the baseline: a full trace, no
# injection). Writes $RES/ID.res: ID WL SIDE NAME ERRNO N CLASS FIRED WHY
run() {
	id=$1 wl=$2 side=$3 name=$4 err=$5 when=$6
	D=$(mktemp -d /tmp/fi.XXXXXX) || exit 1
	S=$D/s
	workload "$wl"
	if [ "$name" = - ]; then
		inj="strace -f -q -o $D/trace"
	else
		tr=$name
		[ "$name" = execve ] || tr=$name,execve   # the execve lines name the processes
		inj="strace -f -q --seccomp-bpf -o $D/trace -e trace=$tr -e inject=$name:error=$err:when=$when"
	fi
	spre='' cpre=''
	if [ "$side" = server ]; then spre=$inj; else cpre=$inj; fi
	hang='' why='' gone_early='' fgrc='' crc=- src=- srvpid=''
	: >"$D/out"
	: >"$D/cli.err"
	: >"$D/trace"

	# ---- start the server and wait until it listens (the prefixes and the
	# argument lists are words, split on purpose)
	(exec $spre "$SERVE" $SARGS </dev/null >"$D/ready" 2>"$D/srv.err") &
	sp=$!
	n=$((BOUND * 50))
	ready=0
	while [ $n -gt 0 ]; do
		if [ "$wl" = bgterm ]; then
			# -B: ready when the foreground process exits 0
			if [ -z "$spre" ]; then
				alive "$sp" || { wait "$sp"; fgrc=$?; break; }
			else
				# strace pads the pid to 5 columns: compare fields, never text
				root=$(sed -n '1s/ .*//p' "$D/trace")
				fgrc=$(awk -v r="$root" '$1 == r && $2 == "+++" { print $3 == "exited" ? $5 : "killed"; exit }' "$D/trace")
				[ -n "$fgrc" ] && break
				alive "$sp" || { fgrc=gone; break; }
			fi
		else
			[ -s "$D/ready" ] && { ready=1; break; }
			alive "$sp" || break
		fi
		n=$((n - 1))
		sleep 0.02
	done
	[ $n -le 0 ] && hang=1 why="server start-up took over ${BOUND}s"
	if [ "$wl" = bgterm ]; then
		[ "$fgrc" = 0 ] && ready=1
		[ -s "$D/pid" ] && srvpid=$(cat "$D/pid")
		# no pidfile: the background process is the first one the root is not
		[ -z "$srvpid" ] && [ -n "$spre" ] &&
			srvpid=$(awk -v r="$root" '$1 != r { print $1; exit }' "$D/trace")
	elif [ -z "$spre" ]; then
		srvpid=$sp
	else
		srvpid=$(sed -n '1s/ .*//p' "$D/trace")
	fi

	# ---- the client, if there is a server to talk to
	if [ $ready = 1 ] && [ -z "$hang" ]; then
		if [ $INPIPE = 1 ]; then
			# through cat: a pipe, as `echo hello | uds-connect S` gives (splice path)
			cat "$IN" | timeout -k 1 "$BOUND" $cpre "$CONNECT" $CARGS >"$D/out" 2>"$D/cli.err"
		else
			timeout -k 1 "$BOUND" $cpre "$CONNECT" $CARGS <"$IN" >"$D/out" 2>"$D/cli.err"
		fi
		crc=$?
		case $crc in 124 | 137) hang=1 why="client took over ${BOUND}s" ;; esac
	fi

	# ---- a one-way client cannot know when the server took its data (a
	# server that rests 100 ms after a failed accept takes it later): give
	# the print server 3 s to print it before it is stopped
	case $wl in *print)
		n=150
		while [ $n -gt 0 ] && [ "$(tail -n +2 "$D/ready" | wc -c)" -lt "$(wc -c <"$EXP")" ]; do
			alive "$sp" || break
			n=$((n - 1))
			sleep 0.02
		done
	esac

	# ---- stop the server: SIGTERM, as an init script would
	if [ -n "$srvpid" ] && alive "$srvpid"; then
		kill -TERM "$srvpid" 2>/dev/null
	elif [ $ready = 1 ]; then
		gone_early=1
	fi
	if [ "$wl" = bgterm ] && [ -z "$spre" ]; then
		[ -n "$srvpid" ] && ! gone_within 30 "$srvpid" && { hang=1 why="${why:-server ignored SIGTERM}"; }
	elif ! gone_within 30 "$sp"; then
		hang=1 why="${why:-server ignored SIGTERM}"
	fi
	for p in $(ours "$D"); do kill -KILL "$p" 2>/dev/null; done
	# (the shell would say "Killed" for a server the bounds ended)
	[ "$wl" = bgterm ] && [ -z "$spre" ] || { wait "$sp"; src=$?; } 2>/dev/null
	[ -n "$srvpid" ] && gone_within 20 "$srvpid"
	case $wl in *print) tail -n +2 "$D/ready" >"$D/out" ;; esac
	leftover=
	[ -e "$S" ] && leftover="socket file"
	[ -e "$D/pid" ] && leftover="${leftover:+$leftover and }pidfile"

	# ---- judge
	fired=0
	[ "$name" != - ] && grep -q '(INJECTED)' "$D/trace" && fired=1
	class=
	judge
	why=$(printf '%s' "$why" | tr '\n' ' ')
	echo "$id $wl $side $name $err $when $class $fired ${why:--}" >"$RES/$id.res"
	# keep what tells a failure's story
	case $class in
	OK | CLEAN-FAIL) [ -n "${FAULTS_KEEP:-}" ] || rm -rf "$D" ;;
	*)
		mkdir -p "$RES/$id.d"
		for f in srv.err cli.err trace; do cp "$D/$f" "$RES/$id.d/" 2>/dev/null; done
		echo "server exit $src, -B foreground exit ${fgrc:--}, client exit $crc" >"$RES/$id.d/rc"
		[ -n "${FAULTS_KEEP:-}" ] || rm -rf "$D"
		;;
	esac
	[ -n "${FAULTS_KEEP:-}" ] && echo "faults: files of this run kept in $D"
	return 0
}

# judge: set class (see the top of this file) and why, the reason in one line
judge() {
	[ -n "$hang" ] && { class=HANG; return; }
	if [ "$crc" != - ] && [ "$crc" -ge 128 ]; then
		why="client killed by signal $((crc - 128))"
		class=CRASH
		return
	fi
	# statuses from the trace: "PID exited N" or "PID killed SIG"
	awk '$2 == "+++" { print $1, $3, $5 }' "$D/trace" >"$D/status"
	killed=$(awk '$2 == "killed" && $3 != "SIGTERM" { print $1 " by " $3; exit }' "$D/status")
	[ -n "$killed" ] && { why="process $killed"; class=CRASH; return; }
	if [ "$side" = server ] && [ -n "$spre" ]; then
		# udsbox processes of the side: all but the PROG children after their exec
		root=$(sed -n '1s/ .*//p' "$D/trace")
		awk -v r="$root" '$2 ~ /^execve\(/ && $1 != r && / = 0$/ { print $1 }' "$D/trace" >"$D/execd"
		died=$(awk 'FILENAME == ARGV[1] { x[$1]; next } !($1 in x) && ($2 != "exited" || $3 != 0) { print $1 ":" $2 ":" $3 }' \
			"$D/execd" "$D/status")
		shape=$(stderr_shape "$D/srv.err" uds-serve)
		if [ -z "$died" ]; then
			if [ -n "$gone_early" ]; then why="server exited 0 before SIGTERM"; class=BADMSG
			elif [ "$crc" = 0 ] && ! cmp -s "$D/out" "$EXP"; then why="client exit 0, output differs"; class=LOST
			elif [ -n "$leftover" ]; then why="$leftover left"; class=LEFTOVER
			elif [ "$shape" != none ]; then why="server lived on, stderr: $(head -n 1 "$D/srv.err")"; class=BADMSG
			elif [ "$crc" != 0 ]; then why="client exit $crc: $(head -n 1 "$D/cli.err")"; class=DROPPED
			else class=OK
			fi
			return
		fi
		if ! prefix "$D/out" "$EXP"; then why="client output is not a prefix of the expected"; class=LOST; return; fi
		[ -n "$leftover" ] && { why="$leftover left"; class=LEFTOVER; return; }
		for d in $died; do
			case $d in
			*:exited:1 | *:exited:100 | *:exited:111) ;;
			*) why="server process $d"; class=BADMSG; return ;;
			esac
		done
		[ "$shape" = fatal ] || { why="stderr not one fatal line: $(head -n 2 "$D/srv.err" | tr '\n' '|')"; class=BADMSG; return; }
		why="$(cat "$D/srv.err")"
		class=CLEAN-FAIL
		return
	fi
	# the client is the side under test (or the baseline of the server's side,
	# which ends here too: every process exited 0, so judge the exchange)
	if [ "$crc" = - ]; then
		why="server did not start: $(head -n 1 "$D/srv.err")"
		class=BADMSG
		return
	fi
	if [ "$wl" != bgterm ] && [ "$src" != 0 ] && [ "$src" != - ]; then
		why="plain server exit $src: $(head -n 1 "$D/srv.err")"
		[ "$src" -ge 128 ] && { class=CRASH; return; }
		class=BADMSG
		return
	fi
	if [ "$crc" = 0 ]; then
		cmp -s "$D/out" "$EXP" || { why="client exit 0, output differs"; class=LOST; return; }
	elif ! prefix "$D/out" "$EXP"; then
		why="client output is not a prefix of the expected"
		class=LOST
		return
	fi
	[ -n "$leftover" ] && { why="$leftover left"; class=LEFTOVER; return; }
	[ "$(stderr_shape "$D/srv.err" uds-serve)" = none ] ||
		{ why="server stderr: $(head -n 1 "$D/srv.err")"; class=BADMSG; return; }
	case $crc in
	0) [ -s "$D/cli.err" ] && { why="client stderr: $(head -n 1 "$D/cli.err")"; class=BADMSG; return; }
		class=OK ;;
	1 | 100 | 111)
		if [ "$(stderr_shape "$D/cli.err" uds-connect)" = fatal ]; then
			why=$(cat "$D/cli.err")
			class=CLEAN-FAIL
		else
			why="client exit $crc, stderr: $(head -n 2 "$D/cli.err" | tr '\n' '|')"
			class=BADMSG
		fi ;;
	*) why="client exit $crc: $(head -n 1 "$D/cli.err")"; class=BADMSG ;;
	esac
}

# repro WL SIDE NAME ERRNO N: the commands a person types to see the run again
# (in the top directory; upcase is test/faults/upcase.c built static)
repro() {
	D=/tmp/fi S=/tmp/fi/s HELPER=./upcase
	workload "$1"
	inj="strace -f -q -o /tmp/fi/trace -e trace=$3 -e inject=$3:error=$4:when=$5"
	srv="build/host/uds-serve $SARGS"
	cli="build/host/uds-connect $CARGS"
	[ $INPIPE = 1 ] || cli="$cli <in4m"
	if [ "$2" = server ]; then srv="$inj $srv"; else cli="$inj $cli"; fi
	stop="kill -TERM <pid of uds-serve>"
	[ "$1" = bgterm ] && stop='kill -TERM $(cat /tmp/fi/pid)'
	printf '    %s\n' "mkdir /tmp/fi; $srv &" "$SHOWIN $cli; $stop" "or: sh test/faults/faults.sh --one $*"
}

# ---- setup shared by every mode: the inputs, the helper, the applets
setup() {
	command -v strace >/dev/null 2>&1 || skip "strace is not installed"
	strace -f -q -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace not permitted)"
	[ -x "$UDSBOX" ] || { echo "faults: no binary at $UDSBOX (run make)" >&2; exit 1; }
	SERVE=$(dirname "$UDSBOX")/uds-serve
	CONNECT=$(dirname "$UDSBOX")/uds-connect
	BASE=$(mktemp -d /tmp/fi.base.XXXXXX) || exit 1
	# a static helper: no loader or libc of another program meets the faults
	HELPER=$BASE/upcase
	if ! ${FAULTS_CC:-musl-gcc} -static -Os -Wall -Wextra -o "$HELPER" "$here/upcase.c"; then
		echo "faults: cannot build the PROG helper upcase" >&2
		exit 1
	fi
	printf 'hello\n' >"$BASE/hello"
	printf 'HELLO\n' >"$BASE/HELLO"
	printf 'x\n' >"$BASE/x"
	printf 'X\n' >"$BASE/X"
	printf 'hello\nworld\n' >"$BASE/hw"
	printf 'HELLO\nWORLD\n' >"$BASE/HW"
	head -c 4194304 /dev/urandom >"$BASE/in4m"
	RES=$BASE/results
	mkdir -p "$RES"
	export UDSBOX SERVE CONNECT BASE HELPER RES BOUND
}

case ${1:-} in
--run)
	shift
	run "$@"
	exit 0
	;;
--one)
	shift
	[ $# -eq 5 ] || { echo "usage: faults.sh --one WL SIDE NAME ERRNO N" >&2; exit 100; }
	setup
	trap 'rm -rf "$BASE"' EXIT
	FAULTS_KEEP=1
	run one "$@"
	read -r _ _ _ _ _ _ class fired why <"$RES/one.res"
	echo "faults: $* -> $class (injection fired: $fired) $why"
	for f in srv.err cli.err; do
		[ -s "$D/$f" ] && { echo "--- $f"; cat "$D/$f"; }
	done
	[ -s "$RES/one.d/rc" ] && { echo "--- exit statuses"; cat "$RES/one.d/rc"; }
	echo "--- trace around the injection"
	grep -n -B 3 -A 3 INJECTED "$D/trace" 2>/dev/null | head -n 20
	exit 0
	;;
'') ;;
*) echo "usage: faults.sh [--one WL SIDE NAME ERRNO N]" >&2; exit 100 ;;
esac

setup
trap 'rm -rf "$BASE"' EXIT
start=$(date +%s)

# ---- the baselines, and from their traces the plan
: >"$BASE/plan"
i=0
for wl in ${FAULTS_ONLY:-$WORKLOADS}; do
	for side in server client; do
		i=$((i + 1))
		# run sets D, and keeps it: the baseline's trace is the plan's source
		FAULTS_KEEP=1
		run "b$i" "$wl" "$side" - - - >/dev/null
		FAULTS_KEEP=
		awk -f "$here/plan.awk" "$D/trace" | sort >"$BASE/calls.$wl.$side"
		rm -rf "$D"
		while read -r nm most wb; do
			case $NEVER in *" $nm "*) continue ;; esac
			k=1
			while [ $k -le "$most" ] && [ $k -le 3 ]; do
				echo "$wl $side $nm EINTR $k"
				k=$((k + 1))
			done
			[ "$wb" = - ] || for k in $(echo "$wb" | tr , ' '); do echo "$wl $side $nm EAGAIN $k"; done
			case $nm in socket | accept | accept4 | pipe | pipe2 | open | openat)
				for e in ENOMEM EMFILE ENFILE; do
					k=1
					while [ $k -le "$most" ] && [ $k -le 3 ]; do
						echo "$wl $side $nm $e $k"
						k=$((k + 1))
					done
				done ;;
			esac
		done <"$BASE/calls.$wl.$side" >>"$BASE/plan"
	done
done
if [ -n "${FAULTS_MATCH:-}" ]; then
	grep -E -- "$FAULTS_MATCH" "$BASE/plan" >"$BASE/plan.m"
	mv "$BASE/plan.m" "$BASE/plan"
fi
nplan=$(wc -l <"$BASE/plan")
echo "faults: baselines done; $nplan injection runs, $JOBS at a time"

# ---- the injections
awk '{ printf "%04d %s\n", NR, $0 }' "$BASE/plan" | xargs -P "$JOBS" -L 1 sh "$me" --run

# ---- the table
cat "$RES"/*.res >"$BASE/all"
echo
printf '%-10s %-7s %5s %5s %10s %5s %5s %5s %8s %6s %7s %4s\n' workload side runs OK CLEAN-FAIL \
	HANG CRASH LOST LEFTOVER BADMSG DROPPED n/i
rows=
for wl in ${FAULTS_ONLY:-$WORKLOADS}; do rows="$rows,$wl server,$wl client"; done
awk -v rows="${rows#,}" '
	BEGIN { n = split(rows, order, ",") }
	{ k = $2 " " $3; runs[k]++; c[k, $7]++
	  if ($4 != "-" && !$8) ni[k]++ }
	END {
		split("OK CLEAN-FAIL HANG CRASH LOST LEFTOVER BADMSG DROPPED", cl, " ")
		for (i = 1; i <= n; i++) {
			k = order[i]; split(k, w, " ")
			printf "%-10s %-7s %5d %5d %10d %5d %5d %5d %8d %6d %7d %4d\n", w[1], w[2], runs[k],
				c[k, cl[1]], c[k, cl[2]], c[k, cl[3]], c[k, cl[4]], c[k, cl[5]], c[k, cl[6]],
				c[k, cl[7]], c[k, cl[8]], ni[k]
			for (j = 1; j <= 8; j++) t[j] += c[k, cl[j]]
			tr += runs[k]; tni += ni[k]
		}
		printf "%-10s %-7s %5d %5d %10d %5d %5d %5d %8d %6d %7d %4d\n", "total", "", tr,
			t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], tni
	}' "$BASE/all"

# ---- the failing runs, each with what reproduces it
sort "$BASE/all" | while read -r id wl side nm err k class fired why; do
	case $class in OK | CLEAN-FAIL) continue ;; esac
	echo
	if [ "$nm" = - ]; then
		echo "$class: baseline of $wl, $side side (no injection): $why"
	else
		echo "$class: $wl, $err into the $side's $nm (call $k; fired: $fired): $why"
		repro "$wl" "$side" "$nm" "$err" "$k"
	fi
	# what was seen: exit statuses, stderr, the injected call
	f=$RES/$id.d
	[ -s "$f/rc" ] && echo "    seen: $(cat "$f/rc")"
	[ -s "$f/srv.err" ] && head -n 2 "$f/srv.err" | sed 's/^/    server stderr: /'
	[ -s "$f/cli.err" ] && head -n 2 "$f/cli.err" | sed 's/^/    client stderr: /'
	[ -s "$f/trace" ] && grep -m 2 'INJECTED' "$f/trace" | cut -c 1-160 | sed 's/^/    strace: /'
done
# FAULTS_SAVE=DIR keeps every failing run's files (stderr, trace, statuses) there,
# with the plan and each baseline's call counts (calls.WL.SIDE)
[ -n "${FAULTS_SAVE:-}" ] && mkdir -p "$FAULTS_SAVE" && cp -r "$RES"/. "$BASE"/plan "$BASE"/calls.* "$FAULTS_SAVE"/

pass=$(awk '$7 == "OK" || $7 == "CLEAN-FAIL"' "$BASE/all" | wc -l)
fail=$(awk '$7 != "OK" && $7 != "CLEAN-FAIL"' "$BASE/all" | wc -l)
echo
echo "faults: $(($(date +%s) - start)) s"
echo "faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
