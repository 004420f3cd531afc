#!/bin/sh
# SPDX-License-Identifier: ISC
# test/demo.sh [TARGET]: the seed's exchange with one target's build (default
# arm), under that target's emulator (toolchain/TARGET.mk's RUNNER).
set -u
target=${1:-arm}
[ -f "toolchain/$target.mk" ] || { echo "demo: unknown target: $target" >&2; exit 100; }
runner=$(sed -n 's/^RUNNER := *//p' "toolchain/$target.mk")
bin=build/$target/udsbox
[ -x "$bin" ] || { echo "demo: no binary at $bin" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udsbox-demo.XXXXXX")
sock=$tmp/demo.sock
# applet NAME ARG...: becomes udsbox as NAME (its link), under the emulator if
# there is one; called in a subshell, so that $! is the applet's own pid
applet() {
	n=$1
	shift
	if [ -n "$runner" ]; then exec "$runner" -0 "$n" "$bin" "$@"; else exec "build/$target/$n" "$@"; fi
}
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
echo "\$ uds-serve -1 $sock &        # $target binary${runner:+ under $runner}"
(applet uds-serve -1 "$sock") >"$tmp/ready" &
pid=$!
i=0
while [ ! -s "$tmp/ready" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
[ -s "$tmp/ready" ] || { echo "demo: the server did not start" >&2; exit 1; }
echo "\$ printf 'hello\\\\n' | uds-connect $sock"
printf 'hello\n' | (applet uds-connect "$sock")
rc=$?
echo "\$ kill -TERM \$pid     # the socket file goes with it"
kill -TERM "$pid"
wait "$pid"
[ -e "$sock" ] && echo "demo: socket file left behind" >&2 && rc=1
exit $rc
