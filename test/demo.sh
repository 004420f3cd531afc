#!/bin/sh
# test/demo.sh: the seed's exchange with the ARMv7 build, under qemu-arm.
set -u
bin=build/arm/udsbox
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udsbox-demo.XXXXXX")
sock=$tmp/demo.sock
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
echo "\$ uds-serve -1 $sock &        # ARMv7 binary under qemu-arm"
qemu-arm -0 uds-serve "$bin" -1 "$sock" >"$tmp/ready" &
pid=$!
i=0
while [ ! -s "$tmp/ready" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
[ -s "$tmp/ready" ] || { echo "demo: the server did not start" >&2; exit 1; }
echo "\$ printf 'hello\\\\n' | uds-connect $sock"
printf 'hello\n' | qemu-arm -0 uds-connect "$bin" "$sock"
rc=$?
echo "\$ kill -TERM \$pid     # the socket file goes with it"
kill -TERM "$pid"
wait "$pid"
[ -e "$sock" ] && echo "demo: socket file left behind" >&2 && rc=1
exit $rc
