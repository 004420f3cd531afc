#!/bin/bash
# SPDX-License-Identifier: ISC
# bench/run.sh: udsbox side by side with its peers; prints a table of ratios
# and writes it, with the machine and the method, to a Markdown file.
#
# usage: bench/run.sh [SECTION...]       (called by `make bench` / `make bench-arm`)
#   sections: prog builtin bulk client startup rss arm   (default: all of them)
# environment:
#   BENCH_SECS   seconds per load-generator run (default 3)
#   BENCH_REPS   interleaved repetitions; the median is reported (default 3)
#   BENCH_BYTES  bytes through the client in the throughput test (default 1 GiB)
#   BENCH_BULK   bytes of text through the upper service in the bulk test (default 64 MiB)
#   BENCH_RUNS   hyperfine runs per start-up command and repetition (default 200)
#   BENCH_OUT    the Markdown file (default bench/RESULTS.md)
#
# Nothing here fails on a ratio: a target missed is reported, not an error.
# Every server is started by this script, tracked by its pid and stopped by it.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
H=$ROOT/build/host
A=$ROOT/build/arm
BB=$ROOT/build/bench
LG=$BB/loadgen
D=${BENCH_SECS:-3}
REPS=${BENCH_REPS:-3}
BYTES=${BENCH_BYTES:-1073741824}
BULK=${BENCH_BULK:-67108864}
RUNS=${BENCH_RUNS:-200}
OUT=${BENCH_OUT:-$ROOT/bench/RESULTS.md}
SECTIONS=${*:-prog builtin bulk client startup rss arm}
QEMU=${QEMU_ARM:-qemu-arm}

for f in "$H/udsbox" "$LG" "$BB/ref_server" "$BB/memwriter" "$BB/probe"; do
	[ -x "$f" ] || { echo "bench: $f missing: run make bench" >&2; exit 111; }
done
case " $SECTIONS " in *" arm "*)
	for f in "$A/udsbox" "$BB/ref_server.arm" "$BB/memwriter.arm" "$BB/probe.arm"; do
		[ -x "$f" ] || { echo "bench: $f missing: run make bench" >&2; exit 111; }
	done ;;
esac

W=$(mktemp -d /tmp/udsbench.XXXXXX) || exit 111
RES=$W/res
: >"$RES"
PIDS=()
HOLD=
HFN=0

log() { printf '%s\n' "$*" >&2; }

stopall() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	PIDS=()
}

cleanup() {
	[ -n "$HOLD" ] && kill "$HOLD" 2>/dev/null
	stopall
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start CMD...: a server in the background; its pid in LAST
start() {
	"$@" </dev/null >/dev/null 2>>"$W/servers.err" &
	LAST=$!
	PIDS+=("$LAST")
}

# up SOCKET...: wait until each accepts (5 s)
up() {
	local s
	for s in "$@"; do
		"$H/uds-connect" -q -z -w 5 "$s" || { log "bench: no server on $s"; cat "$W/servers.err" >&2; }
	done
}

rec() { printf '%s %s\n' "$1" "${2:-ERR}" >>"$RES"; }

# the values of KEY, in run order, and their median
vals() { awk -v k="$1" '$1 == k { printf "%s%s", s, $2; s = " / " }' "$RES"; }
med() {
	awk -v k="$1" '$1 == k && $2 ~ /^[0-9.]+$/ { print $2 }' "$RES" | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) print "ERR"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# lg MODE ARGS...: one load-generator run; its rate, or ERR
lg() {
	local v
	v=$("$LG" "$@" 2>>"$W/loadgen.err") || v=ERR
	[ -n "$v" ] || v=ERR
	printf '%s' "$v"
}

# rotate N WORD...: the words, starting at the (N mod count)th, so that no
# contender always runs first or last in a repetition
rotate() {
	local n=$1
	shift
	local a=("$@") i c=$#
	for ((i = 0; i < c; i++)); do printf '%s ' "${a[(i + n) % c]}"; done
}

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo ERR; }

# treepss PID: the proportional set size (Pss, shared pages split between their
# users) of PID and all its descendants, KiB: what a forking server costs the system
treepss() {
	local p t=0 v
	for p in $(ps -e -o pid=,ppid= | awk -v root="$1" '
		{ pp[$1] = $2 }
		END { for (p in pp) { q = p; while (q != "" && q != root && q > 1) q = pp[q]; if (q == root) print p } }'); do
		v=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null) && t=$((t + ${v:-0}))
	done
	echo "$t"
}

# cpuns PID: nanoseconds PID's main thread has run (all our servers run one thread)
cpuns() { awk '{ print $1 }' "/proc/$1/schedstat" 2>/dev/null || echo 0; }

# treecpu PID: CPU time (µs) of PID and of all its children that have been
# waited for (utime+stime+cutime+cstime): a forking server and its PROGs
treecpu() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15 + $16 + $17) * 1000000 / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# meas KEY PID LOADGEN-ARGS...: one load run; records its rate as KEY, the
# server process's own CPU time per operation (µs) as cpu.KEY, and that of
# the server with its children (reaped after the run) as tcpu.KEY
meas() {
	local key=$1 pid=$2 c0 c1 t0 t1 v i
	shift 2
	c0=$(cpuns "$pid")
	t0=$(treecpu "$pid")
	v=$(lg "$@")
	c1=$(cpuns "$pid")
	for ((i = 0; i < 60; i++)); do
		ps --ppid "$pid" -o pid= >/dev/null || break
		sleep 0.05
	done
	t1=$(treecpu "$pid")
	rec "$key" "$v"
	rec "cpu.$key" "$(awk -v a="$c0" -v b="$c1" -v v="$v" -v d="$D" 'BEGIN {
		if (v ~ /^[0-9.]+$/ && v > 0) printf "%.2f", (b - a) / (v * d) / 1000; else print "ERR" }')"
	rec "tcpu.$key" "$(awk -v a="$t0" -v b="$t1" -v v="$v" -v d="$D" 'BEGIN {
		if (v ~ /^[0-9.]+$/ && v > 0) printf "%.2f", (b - a) / (v * d); else print "ERR" }')"
}

# hold N SOCKET [-e]: a load generator holding N served connections; its pid in HOLD
hold() {
	local n=$1 s=$2 i
	shift 2
	rm -f "$W/hold.out"
	"$LG" hold -k "$n" "$@" "$s" <"$W/hold.in" >"$W/hold.out" 2>>"$W/loadgen.err" &
	HOLD=$!
	for ((i = 0; i < 600; i++)); do
		grep -q ready "$W/hold.out" 2>/dev/null && return 0
		kill -0 "$HOLD" 2>/dev/null || break
		sleep 0.05
	done
	log "bench: hold $n on $s failed"
	return 1
}
release() {
	[ -n "$HOLD" ] && kill "$HOLD" 2>/dev/null && wait "$HOLD" 2>/dev/null
	HOLD=
}

# hf NAME=CMD...: one hyperfine run over the commands; records each one's median, seconds
# (the first argument: hyperfine options, split on blanks)
hf() {
	local opts=($1) args=() names=() a i
	shift
	# rotate the commands from one call to the next: none always runs first
	local cmds=("$@")
	HFN=$((HFN + 1))
	for ((i = 0; i < ${#cmds[@]}; i++)); do
		a=${cmds[(i + HFN) % ${#cmds[@]}]}
		names+=("${a%%=*}")
		args+=(-n "${a%%=*}" "${a#*=}")
	done
	rm -f "$W/hf.csv"
	hyperfine --style none -i "${opts[@]}" --export-csv "$W/hf.csv" "${args[@]}" >/dev/null 2>>"$W/hyperfine.err"
	for a in "${names[@]}"; do
		rec "$a" "$(awk -F, -v n="$a" '$1 == n { print $4 }' "$W/hf.csv" 2>/dev/null)"
	done
}

ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
mkfifo "$W/hold.in" && exec 7<>"$W/hold.in"

MIB=$((BYTES / 1048576))
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
T0=$(date +%s)

# ---- 1. a program per connection -------------------------------------------
sec_prog() {
	log "== 1. program per connection (tr a-z A-Z), 8 in flight, ${D}s x $REPS"
	local -A P
	start "$H/uds-serve" -q "$W/p-u.sock" tr a-z A-Z; P[u]=$LAST
	start s6-ipcserver "$W/p-s6.sock" tr a-z A-Z; P[s6]=$LAST
	start unixserver "$W/p-ux.sock" tr a-z A-Z; P[ux]=$LAST
	start socat "UNIX-LISTEN:$W/p-so.sock,fork" "EXEC:tr a-z A-Z"; P[so]=$LAST
	up "$W"/p-{u,s6,ux,so}.sock
	for ((r = 0; r < REPS; r++)); do
		for s in $(rotate $r u s6 ux so); do
			meas prog.$s "${P[$s]}" conn -k 8 -d "$D" "$W/p-$s.sock"
		done
	done
	stopall
}

# ---- 2, 3. built-in service -------------------------------------------------
sec_builtin() {
	log "== 2, 3. built-in upper service: 32 persistent, 32 per-connection, ping-pong; ${D}s x $REPS"
	local -A P
	start "$H/uds-serve" -q -c 1000 "$W/b-u.sock"; P[u]=$LAST
	start "$BB/ref_server" "$W/b-r.sock"; P[r]=$LAST
	start "$BB/ref_server" -p "$W/b-p.sock"; P[p]=$LAST
	# tr buffers its output until EOF: a request/response peer needs it unbuffered
	start socat "UNIX-LISTEN:$W/b-so.sock,fork" "SYSTEM:stdbuf -o0 tr a-z A-Z"; P[so]=$LAST
	start socat "UNIX-LISTEN:$W/b-sc.sock,fork" "SYSTEM:tr a-z A-Z"; P[sc]=$LAST
	up "$W"/b-{u,r,p,so,sc}.sock
	for ((r = 0; r < REPS; r++)); do
		for s in $(rotate $r u r so); do
			meas rr.$s "${P[$s]}" rr -k 32 -s 64 -d "$D" "$W/b-$s.sock"
		done
		for s in $(rotate $r u r p sc); do
			meas cc.$s "${P[$s]}" conn -k 32 -s 64 -d "$D" "$W/b-$s.sock"
		done
		for s in $(rotate $r u r); do
			meas pp.$s "${P[$s]}" rr -k 1 -s 64 -d "$D" "$W/b-$s.sock"
		done
	done
	stopall
}

# bulkdata: $W/bulk.txt (BULK bytes of base64 text, a mix of cases and
# digits) and $W/bulk.up, what an upper service must send back
bulkdata() {
	[ -s "$W/bulk.up" ] && return 0
	head -c $((BULK * 3 / 4)) /dev/urandom | base64 >"$W/bulk.txt"
	LC_ALL=C tr a-z A-Z <"$W/bulk.txt" >"$W/bulk.up"
}

# bulkcheck SOCKET EXPECTED: the service's reply to bulk.txt, compared
bulkcheck() {
	"$H/uds-connect" "$1" <"$W/bulk.txt" | cmp -s - "$2" || { log "bench: wrong bulk reply from $1"; echo "wrong bulk reply from $1" >>"$W/loadgen.err"; }
}

# ---- 2c. bulk through the built-in service ----------------------------------
sec_bulk() {
	log "== 2c. $((BULK / 1048576)) MiB of text through the upper service, x $REPS"
	bulkdata
	start "$H/uds-serve" -q "$W/k-u.sock"
	start "$H/uds-serve" -q -I echo "$W/k-e.sock"
	start "$BB/ref_server" "$W/k-r.sock"
	start "$BB/ref_server" -w "$W/k-w.sock"
	up "$W"/k-{u,e,r,w}.sock
	bulkcheck "$W/k-u.sock" "$W/bulk.up"; bulkcheck "$W/k-r.sock" "$W/bulk.up"
	bulkcheck "$W/k-w.sock" "$W/bulk.up"; bulkcheck "$W/k-e.sock" "$W/bulk.txt"
	for ((r = 0; r < REPS; r++)); do
		hf "--runs 1" \
			"bk.u=$H/uds-connect $W/k-u.sock <$W/bulk.txt >/dev/null" \
			"bk.r=$H/uds-connect $W/k-r.sock <$W/bulk.txt >/dev/null" \
			"bk.w=$H/uds-connect $W/k-w.sock <$W/bulk.txt >/dev/null" \
			"bk.e=$H/uds-connect $W/k-e.sock <$W/bulk.txt >/dev/null"
	done
	stopall
}

# ---- 4. bulk through the client ---------------------------------------------
sec_client() {
	log "== 4. $MIB MiB through the client into uds-serve -I discard, x $REPS"
	start "$H/uds-serve" -q -I discard "$W/d.sock"
	up "$W/d.sock"
	local src="head -c $BYTES /dev/zero"
	for ((r = 0; r < REPS; r++)); do
		hf "--runs 1" \
			"cl.u=$src | $H/uds-connect $W/d.sock" \
			"cl.so=$src | socat - UNIX-CONNECT:$W/d.sock" \
			"cl.nc=$src | nc -NU $W/d.sock" \
			"cl.mw=$BB/memwriter $W/d.sock $BYTES" \
			"cl.pipe=$src | cat >/dev/null"
	done
	truncate -s "$BYTES" "$W/zero.img"
	cat "$W/zero.img" >/dev/null   # its pages in the page cache before any timing
	for ((r = 0; r < REPS; r++)); do
		hf "--runs 1" \
			"cf.u=$H/uds-connect $W/d.sock <$W/zero.img" \
			"cf.so=socat - UNIX-CONNECT:$W/d.sock <$W/zero.img" \
			"cf.nc=nc -NU $W/d.sock <$W/zero.img"
	done
	rm -f "$W/zero.img"
	stopall
}

# ---- 5. client start-up -----------------------------------------------------
sec_startup() {
	log "== 5. client start-up, $RUNS runs x $REPS"
	start "$H/uds-serve" -q "$W/z.sock"
	up "$W/z.sock"
	for ((r = 0; r < REPS; r++)); do
		hf "-N --warmup 20 --runs $RUNS" \
			"st.u=$H/uds-connect -z $W/z.sock" \
			"st.nc=nc -zU $W/z.sock" \
			"st.so=socat -u /dev/null UNIX-CONNECT:$W/z.sock" \
			"st.s6=s6-ipcclient $W/z.sock true" \
			"st.pr=$BB/probe $W/z.sock"
	done
	stopall
}

# growth KEY0 KEY1 N0 N1 OUT: bytes per connection between N0 and N1 held
growth() {
	rec "$5" "$(awk -v a="$(med "$1")" -v b="$(med "$2")" -v n="$3" -v m="$4" 'BEGIN {
		if (a ~ /^[0-9]+$/ && b ~ /^[0-9]+$/) printf "%.0f", (b - a) * 1024 / (m - n); else print "ERR" }')"
}

# ---- 6. server memory -------------------------------------------------------
sec_rss() {
	log "== 6. server RSS at idle, 100, 500, 1000 connections held"
	start "$H/uds-serve" -q -c 1000 "$W/m-u.sock"; local pu=$LAST
	start "$BB/ref_server" "$W/m-r.sock"; local pr=$LAST
	start s6-ipcserver -c 100 -C 100 "$W/m-s6.sock" cat; local ps6=$LAST
	start socat "UNIX-LISTEN:$W/m-so.sock,fork" "EXEC:cat"; local pso=$LAST
	up "$W"/m-{u,r,s6,so}.sock
	sleep 0.5   # let the probes' children go
	rec one_mib 1024
	rec rss.u.0 "$(rss $pu)"; rec rss.r.0 "$(rss $pr)"
	rec rss.s6.0 "$(rss $ps6)"; rec rss.so.0 "$(rss $pso)"
	rec pss.s6.0 "$(treepss $ps6)"; rec pss.so.0 "$(treepss $pso)"
	for n in 100 500 1000; do
		hold $n "$W/m-u.sock" && rec rss.u.$n "$(rss $pu)"; release
		hold $n "$W/m-r.sock" && rec rss.r.$n "$(rss $pr)"; release
	done
	growth rss.u.100 rss.u.1000 100 1000 grow.u
	growth rss.r.100 rss.r.1000 100 1000 grow.r
	hold 100 "$W/m-s6.sock" -e && { rec rss.s6.100 "$(rss $ps6)"; rec pss.s6.100 "$(treepss $ps6)"; }; release
	hold 100 "$W/m-so.sock" -e && { rec rss.so.100 "$(rss $pso)"; rec pss.so.100 "$(treepss $pso)"; }; release
	stopall
}

# ---- 7. ARMv7 under qemu-arm ------------------------------------------------
sec_arm() {
	log "== 7. ARMv7 under $QEMU: udsbox against the reference built for ARMv7"
	local -A P
	start "$QEMU" -0 uds-serve "$A/udsbox" -q -c 1000 "$W/a-u.sock"; P[u]=$LAST
	start "$QEMU" "$BB/ref_server.arm" "$W/a-r.sock"; P[r]=$LAST
	start "$QEMU" "$BB/ref_server.arm" -p "$W/a-q.sock"; P[q]=$LAST
	start "$QEMU" -0 uds-serve "$A/udsbox" -q "$W/a-p.sock" tr a-z A-Z; P[p]=$LAST
	start "$H/uds-serve" -q -I discard "$W/a-d.sock"
	start "$QEMU" -0 uds-serve "$A/udsbox" -q -I echo "$W/a-e.sock"
	start "$QEMU" "$BB/ref_server.arm" -w "$W/a-w.sock"
	up "$W"/a-{u,r,q,p,d,e,w}.sock
	bulkdata
	bulkcheck "$W/a-u.sock" "$W/bulk.up"; bulkcheck "$W/a-r.sock" "$W/bulk.up"
	bulkcheck "$W/a-w.sock" "$W/bulk.up"; bulkcheck "$W/a-e.sock" "$W/bulk.txt"
	for ((r = 0; r < REPS; r++)); do
		for s in $(rotate $r u r); do
			meas arm.rr.$s "${P[$s]}" rr -k 32 -s 64 -d "$D" "$W/a-$s.sock"
			meas arm.pp.$s "${P[$s]}" rr -k 1 -s 64 -d "$D" "$W/a-$s.sock"
			meas arm.cc.$s "${P[$s]}" conn -k 8 -s 32 -d "$D" "$W/a-$s.sock"
		done
		meas arm.cc.q "${P[q]}" conn -k 8 -s 32 -d "$D" "$W/a-q.sock"
		meas arm.prog.u "${P[p]}" conn -k 8 -d "$D" "$W/a-p.sock"
		hf "--runs 1" \
			"arm.bk.u=$H/uds-connect $W/a-u.sock <$W/bulk.txt >/dev/null" \
			"arm.bk.r=$H/uds-connect $W/a-r.sock <$W/bulk.txt >/dev/null" \
			"arm.bk.w=$H/uds-connect $W/a-w.sock <$W/bulk.txt >/dev/null" \
			"arm.bk.e=$H/uds-connect $W/a-e.sock <$W/bulk.txt >/dev/null"
		hf "--runs 1" \
			"arm.cl.u=head -c $BYTES /dev/zero | $QEMU -0 uds-connect $A/udsbox $W/a-d.sock" \
			"arm.cl.mw=$QEMU $BB/memwriter.arm $W/a-d.sock $BYTES"
		hf "-N --warmup 5 --runs $((RUNS / 2))" \
			"arm.st.u=$QEMU -0 uds-connect $A/udsbox -z $W/a-u.sock" \
			"arm.st.pr=$QEMU $BB/probe.arm $W/a-u.sock"
	done
	stopall
	start "$QEMU" -0 uds-serve "$A/udsbox" -q -c 1000 "$W/am-u.sock"; local pu=$LAST
	start "$QEMU" "$BB/ref_server.arm" "$W/am-r.sock"; local pr=$LAST
	up "$W"/am-{u,r}.sock
	rec arm.rss.u.0 "$(rss $pu)"; rec arm.rss.r.0 "$(rss $pr)"
	for n in 100 1000; do
		hold $n "$W/am-u.sock" && rec arm.rss.u.$n "$(rss $pu)"; release
		hold $n "$W/am-r.sock" && rec arm.rss.r.$n "$(rss $pr)"; release
	done
	growth arm.rss.u.100 arm.rss.u.1000 100 1000 arm.grow.u
	growth arm.rss.r.100 arm.rss.r.1000 100 1000 arm.grow.r
	stopall
}

for s in $SECTIONS; do
	case $s in
	prog | builtin | bulk | client | startup | rss | arm) "sec_$s" ;;
	*) log "bench: unknown section $s"; exit 100 ;;
	esac
done
T1=$(date +%s)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- the report -------------------------------------------------------------
# pratio KEY BASEKEY: the median of the ratios of runs made side by side (run i
# of KEY over run i of BASEKEY), or the ratio of the medians when they do not pair
pratio() {
	awk -v k="$1" -v b="$2" '
		function med(v, n,   i, j, t) {
			for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
			return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		}
		$1 == k { na++; if ($2 ~ /^[0-9.]+$/) a[na] = $2; else bad = 1 }
		$1 == b { nb++; if ($2 ~ /^[0-9.]+$/) c[nb] = $2; else bad = 1 }
		END {
			if (!na || !nb) { print "n/a"; exit }
			if (na == nb && !bad) {
				for (i = 1; i <= na; i++) { if (c[i] <= 0) { print "n/a"; exit } r[i] = a[i] / c[i] }
				printf "%.2f", med(r, na); exit
			}
			n = 0; for (i = 1; i <= na; i++) if (i in a) x[++n] = a[i]; ma = n ? med(x, n) : -1
			n = 0; for (i = 1; i <= nb; i++) if (i in c) y[++n] = c[i]; mb = n ? med(y, n) : -1
			if (ma < 0 || mb <= 0) print "n/a"; else printf "%.2f", ma / mb
		}' "$RES"
}

# row KEY LABEL UNIT BASEKEY [TARGET-OP TARGET]: one line of the table.
# A ratio is KEY's median over BASEKEY's; the target, if any, applies to it.
ROWS=$W/rows
: >"$ROWS"
row() {
	local k=$1 label=$2 unit=$3 base=${4:-} op=${5:-} tv=${6:-}
	local m b ratio="" verdict=""
	m=$(med "$k")
	grep -q "^$k " "$RES" || return 0
	if [ "$base" = "=" ]; then
		ratio=""
	elif [ -n "$base" ]; then
		ratio=$(pratio "$k" "$base")
	fi
	if [ -n "$op" ]; then
		verdict=$(awk -v r="${ratio:-$m}" -v op="$op" -v t="$tv" 'BEGIN {
			if (r == "n/a") { print "n/a"; exit }
			ok = (op == ">=") ? (r + 0 >= t + 0) : (r + 0 <= t + 0)
			printf "%s (%s %s)", ok ? "**met**" : "**missed**", op, t }')
	fi
	printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(fmt "$m" "$unit")" "$unit" \
		"$(fvals "$k" "$unit")" "$ratio" "$verdict" >>"$ROWS"
}
fmt() {
	awk -v v="$1" -v u="$2" 'BEGIN {
		if (v !~ /^[0-9.e+-]+$/) { print v; exit }
		if (u == "ms") printf "%.2f", v; else if (u == "µs") printf "%.1f", v; else if (u == "s") printf "%.3f", v; else printf "%.0f", v }'
}
# fvals KEY UNIT: all the runs of KEY, formatted, in order
fvals() {
	local v out=""
	for v in $(awk -v k="$1" '$1 == k { print $2 }' "$RES"); do out="$out${out:+, }$(fmt "$v" "$2")"; done
	printf '%s' "$out"
}
head_() { printf '\n**%s**\n\n| contender | median | unit | runs | ratio | target |\n|---|---|---|---|---|---|\n' "$1" >>"$ROWS"; }
# hyperfine gives seconds; start-up is shown in ms: rescale the raw values
msrows() { awk '$1 ~ /(^st\.|^arm\.st\.)/ && $2 ~ /^[0-9.]+$/ { $2 = sprintf("%.3f", $2 * 1000) } { print }' "$RES" >"$RES.ms" && mv "$RES.ms" "$RES"; }
msrows

case " $SECTIONS " in *" prog "*)
	head_ "1. Program per connection: \`tr a-z A-Z\`, 8 connections in flight, each one line (32 B), half-close, reply to EOF; ratio vs s6-ipcserver"
	row prog.u "uds-serve PATH tr a-z A-Z" conn/s prog.s6 ">=" 1.2
	row prog.s6 "s6-ipcserver PATH tr a-z A-Z" conn/s prog.s6
	row prog.ux "unixserver PATH tr a-z A-Z" conn/s prog.s6
	row prog.so "socat UNIX-LISTEN:PATH,fork EXEC:'tr a-z A-Z'" conn/s prog.s6
	row cpu.prog.u "server process's own CPU per connection: uds-serve" µs cpu.prog.s6
	row cpu.prog.s6 "server process's own CPU per connection: s6-ipcserverd" µs cpu.prog.s6
	row cpu.prog.ux "server process's own CPU per connection: unixserver" µs cpu.prog.s6
	row cpu.prog.so "server process's own CPU per connection: socat listener (the relay is in its children)" µs cpu.prog.s6
	row tcpu.prog.u "server + children (tr) CPU per connection: uds-serve" µs tcpu.prog.s6
	row tcpu.prog.s6 "server + children (tr) CPU per connection: s6-ipcserverd" µs tcpu.prog.s6
	row tcpu.prog.ux "server + children (tr) CPU per connection: unixserver" µs tcpu.prog.s6
	row tcpu.prog.so "server + children (socat relay, tr) CPU per connection: socat" µs tcpu.prog.s6 ;;
esac
case " $SECTIONS " in *" builtin "*)
	head_ "2a. Built-in upper service, 32 persistent connections, 64 B request/response; ratio vs the reference"
	row rr.u "uds-serve PATH (upper)" req/s rr.r ">=" 0.9
	row rr.r "ref_server (epoll limit)" req/s rr.r
	row rr.so "socat UNIX-LISTEN:PATH,fork SYSTEM:'stdbuf -o0 tr a-z A-Z'" req/s rr.r
	row rr.u "uds-serve vs socat (same runs)" req/s rr.so ">=" 20
	row cpu.rr.u "server CPU per request: uds-serve" µs cpu.rr.r
	row cpu.rr.r "server CPU per request: ref_server" µs cpu.rr.r
	row tcpu.rr.so "server CPU per request: socat with its children (sh, stdbuf, tr)" µs cpu.rr.r
	row tcpu.rr.so "  the same, vs uds-serve: server CPU efficiency" µs cpu.rr.u
	head_ "2b. Built-in upper service, 32 connections in flight, one 64 B line per connection (socat forks per connection); ratio vs the reference"
	row cc.u "uds-serve PATH (upper)" conn/s cc.r
	row cc.r "ref_server (epoll limit)" conn/s cc.r
	row cc.p "ref_server -p (+ getsockopt SO_PEERCRED per accept, as uds-serve)" conn/s cc.r
	row cc.sc "socat UNIX-LISTEN:PATH,fork SYSTEM:'tr a-z A-Z'" conn/s cc.r
	row cc.u "uds-serve vs socat (same runs)" conn/s cc.sc ">=" 20
	row cpu.cc.u "server CPU per connection: uds-serve" µs cpu.cc.r
	row cpu.cc.r "server CPU per connection: ref_server" µs cpu.cc.r
	row cpu.cc.p "server CPU per connection: ref_server -p" µs cpu.cc.r
	row tcpu.cc.sc "server CPU per connection: socat with its children" µs cpu.cc.r
	head_ "3. Ping-pong, 64 B, one connection; ratio vs the reference"
	row pp.u "uds-serve PATH (upper)" rt/s pp.r ">=" 0.95
	row pp.r "ref_server (epoll limit)" rt/s pp.r
	row cpu.pp.u "server CPU per round trip: uds-serve" µs cpu.pp.r
	row cpu.pp.r "server CPU per round trip: ref_server" µs cpu.pp.r ;;
esac
case " $SECTIONS " in *" bulk "*)
	head_ "2c. Bulk: $((BULK / 1048576)) MiB of base64 text (mixed case) through the service, \`uds-connect P <file >/dev/null\`, reply checked once; wall time, ratio vs the reference"
	row bk.u "uds-serve (upper, a word at a time)" s bk.r
	row bk.r "ref_server (upper, a byte at a time, -O2)" s bk.r
	row bk.w "ref_server -w (upper, a word at a time: SWAR)" s bk.r
	row bk.e "uds-serve -I echo (no transform: the ceiling)" s bk.r ;;
esac
case " $SECTIONS " in *" client "*)
	head_ "4. $MIB MiB into \`uds-serve -I discard\` (hyperfine, wall time); ratio vs socat"
	row cl.u "head -c $MIB""M /dev/zero \\| uds-connect P" s cl.so "<=" 0.6
	row cl.so "head ... \\| socat - UNIX-CONNECT:P" s cl.so
	row cl.nc "head ... \\| nc -NU P" s cl.so
	row cl.mw "memwriter P (64 KiB write(2)s from memory: the socket's limit)" s cl.so
	row cl.pipe "head ... \\| cat >/dev/null (the producer's limit: head writes 8 KiB at a time)" s cl.so
	row cf.u "uds-connect P <file ($MIB MiB sparse file: no producer process)" s cf.so "<=" 0.6
	row cf.so "socat - UNIX-CONNECT:P <file" s cf.so
	row cf.nc "nc -NU P <file" s cf.so ;;
esac
case " $SECTIONS " in *" startup "*)
	head_ "5. Client start-up: connect and close (hyperfine -N, median of $RUNS runs); ratio vs nc"
	row st.u "uds-connect -z P" ms st.nc "<=" 0.5
	row st.nc "nc -zU P" ms st.nc
	row st.so "socat -u /dev/null UNIX-CONNECT:P" ms st.nc
	row st.s6 "s6-ipcclient P true" ms st.nc
	row st.pr "probe P (static musl socket+connect+close: the limit)" ms st.nc ;;
esac
case " $SECTIONS " in *" rss "*)
	head_ "6. Server VmRSS with N connections held (each served one round trip first); ratio vs the reference"
	for n in 0 100 500 1000; do
		row rss.u.$n "uds-serve -c 1000, N=$n" KiB rss.r.$n
		row rss.r.$n "ref_server, N=$n" KiB rss.r.$n
	done
	row rss.u.1000 "uds-serve at N=1000, vs 1 MiB" KiB one_mib "<=" 1
	row grow.u "uds-serve growth per connection, N=100 to 1000 (flat: <= 64 B)" B/conn = "<=" 64
	row grow.r "ref_server growth per connection, N=100 to 1000" B/conn
	for n in 0 100; do
		row rss.s6.$n "s6-ipcserverd -c 100 -C 100 (PROG cat), N=$n: VmRSS of the server" KiB rss.r.$n
		row pss.s6.$n "s6-ipcserverd (PROG cat), N=$n: Pss of the server and its children" KiB rss.r.$n
		row rss.so.$n "socat fork EXEC:cat, N=$n: VmRSS of the listener" KiB rss.r.$n
		row pss.so.$n "socat fork EXEC:cat, N=$n: Pss of the listener and its children" KiB rss.r.$n
	done ;;
esac
case " $SECTIONS " in *" arm "*)
	head_ "7. ARMv7 (Thumb-2, static musl) under $QEMU; the reference and the limits built for ARMv7 too (arm-linux-musleabihf-gcc -static -O2); load generator and client native unless said; ratio vs the ARMv7 reference or limit"
	row arm.rr.u "uds-serve, 32 persistent, 64 B req/resp" req/s arm.rr.r ">=" 0.9
	row arm.rr.r "ref_server.arm, same" req/s arm.rr.r
	row arm.pp.u "uds-serve, ping-pong 64 B" rt/s arm.pp.r ">=" 0.95
	row arm.pp.r "ref_server.arm, same" rt/s arm.pp.r
	row arm.cc.u "uds-serve, 8 in flight, one line per connection" conn/s arm.cc.r
	row arm.cc.r "ref_server.arm, same" conn/s arm.cc.r
	row arm.cc.q "ref_server.arm -p (+ SO_PEERCRED per accept, as uds-serve)" conn/s arm.cc.r
	row cpu.arm.rr.u "server CPU per request (qemu-arm): uds-serve" µs cpu.arm.rr.r
	row cpu.arm.rr.r "server CPU per request (qemu-arm): ref_server.arm" µs cpu.arm.rr.r
	row cpu.arm.pp.u "server CPU per round trip (qemu-arm): uds-serve" µs cpu.arm.pp.r
	row cpu.arm.pp.r "server CPU per round trip (qemu-arm): ref_server.arm" µs cpu.arm.pp.r
	row cpu.arm.cc.u "server CPU per connection (qemu-arm): uds-serve" µs cpu.arm.cc.r
	row cpu.arm.cc.r "server CPU per connection (qemu-arm): ref_server.arm" µs cpu.arm.cc.r
	row cpu.arm.cc.q "server CPU per connection (qemu-arm): ref_server.arm -p" µs cpu.arm.cc.r
	row arm.bk.u "bulk $((BULK / 1048576)) MiB text: uds-serve (upper, a word at a time)" s arm.bk.r
	row arm.bk.r "bulk: ref_server.arm (upper, a byte at a time)" s arm.bk.r
	row arm.bk.w "bulk: ref_server.arm -w (upper, SWAR, 4 bytes a step)" s arm.bk.r
	row arm.bk.e "bulk: uds-serve -I echo (no transform: the ceiling)" s arm.bk.r
	row arm.prog.u "uds-serve PATH tr a-z A-Z (tr native), 8 in flight (no ARMv7 peer)" conn/s
	row cpu.arm.prog.u "  server's own CPU per connection (qemu-arm's vfork is a full fork of qemu)" µs
	row arm.cl.u "head -c $MIB""M /dev/zero \\| uds-connect P (ARMv7, into a native discard server)" s arm.cl.mw
	row arm.cl.mw "memwriter.arm P" s arm.cl.mw
	row arm.st.u "uds-connect -z P (ARMv7)" ms arm.st.pr
	row arm.st.pr "probe.arm P" ms arm.st.pr
	for n in 0 100 1000; do
		row arm.rss.u.$n "uds-serve VmRSS (the whole qemu-arm process), N=$n" KiB arm.rss.r.$n
		row arm.rss.r.$n "ref_server.arm VmRSS (the whole qemu-arm process), N=$n" KiB arm.rss.r.$n
	done
	row arm.grow.u "uds-serve growth per connection, N=100 to 1000" B/conn = "<=" 64
	row arm.grow.r "ref_server.arm growth per connection, N=100 to 1000" B/conn ;;
esac

{
	echo "# udsbox benchmarks"
	echo
	echo "Written by \`make bench\` (bench/run.sh); do not edit by hand."
	echo
	echo "- date: $(date -u)"
	echo "- machine: $(uname -srm), $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
	echo "- load average before / after: $LOAD0 / $LOAD1 (a shared machine: expect noise)"
	echo "- run: $((T1 - T0)) s; sections: $SECTIONS; ${D} s per load run, $REPS interleaved repetitions (median; all runs listed, in order), $MIB MiB bulk, $RUNS start-up runs"
	echo "- peers: $(socat -V 2>/dev/null | awk '/socat version/ { print "socat", $3 }'), $(dpkg-query -W -f '${Package} ${Version}' s6 2>/dev/null), $(dpkg-query -W -f '${Package} ${Version}' ucspi-unix 2>/dev/null), $(dpkg-query -W -f '${Package} ${Version}' netcat-openbsd 2>/dev/null), $(hyperfine --version 2>/dev/null), $($QEMU --version 2>/dev/null | head -1)"
	echo "- udsbox: $(git -C "$ROOT" describe --always --dirty 2>/dev/null); host $(stat -c %s "$H/udsbox") bytes, ARMv7 $(stat -c %s "$A/udsbox" 2>/dev/null) bytes"
	cat "$ROWS"
	[ -f "$ROOT/bench/METHOD.md" ] && { echo; cat "$ROOT/bench/METHOD.md"; }
	for f in loadgen.err servers.err hyperfine.err; do
		if grep -qiE 'loadgen: |fatal|error|fail' "$W/$f" 2>/dev/null; then
			echo
			echo "Errors seen ($f):"
			echo '```'
			grep -iE 'loadgen: |fatal|error|fail' "$W/$f" | sort | uniq -c | head -20
			echo '```'
		fi
	done
} >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
cat "$ROWS"
echo
echo "bench: $((T1 - T0)) s; written to ${OUT#$ROOT/}"
