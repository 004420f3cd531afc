#!/bin/sh
# SPDX-License-Identifier: ISC
# test/install.sh: `make install` into a temporary DESTDIR puts the binary, its
# relative applet links and the man pages in place, and the links run.
set -u
d=$(mktemp -d "${TMPDIR:-/tmp}/udsbox-install.XXXXXX")
trap 'rm -rf "$d"' EXIT
fail() { echo "install: FAIL: $*"; exit 1; }
make --no-print-directory install DESTDIR="$d" PREFIX=/usr >/dev/null || fail "make install exited $?"
[ -x "$d/usr/bin/udsbox" ] || fail "no usr/bin/udsbox"
for a in uds-serve uds-connect; do
	[ "$(readlink "$d/usr/bin/$a")" = udsbox ] || fail "usr/bin/$a is not a link to udsbox"
	"$d/usr/bin/$a" --help | grep -q "usage: $a" || fail "$a --help through the installed link"
done
for m in udsbox uds-serve uds-connect; do
	[ -s "$d/usr/share/man/man1/$m.1" ] || fail "no man page $m.1"
done
echo "install: ok (binary, 2 links, 3 man pages under DESTDIR/usr)"
