#!/bin/sh
# SPDX-License-Identifier: ISC
# test/pkg/dist.sh: make dist is reproducible (two runs, the same sha256, and
# the .sha256 beside it says so), and the tarball, unpacked where there is no
# .git, builds, says its VERSION, and passes make test. Ends with
# "dist: N passed, N failed".
set -u
unset WERROR
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "dist: ok: $*"; }
bad() { fail=$((fail + 1)); echo "dist: FAIL: $*"; }
v=$(cat VERSION)
t=build/udsbox-$v.tar.gz
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udsbox-dist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"   # the suites run clients as other users, who must reach the binary
make --no-print-directory dist >/dev/null 2>&1 && a=$(sha256sum "$t" | cut -d' ' -f1)
sleep 1.1   # another second: no mtime of this run may leak into the tarball
touch Makefile
make --no-print-directory dist >/dev/null 2>&1 && b=$(sha256sum "$t" | cut -d' ' -f1)
if [ -n "${a:-}" ] && [ "$a" = "${b:-}" ]; then ok "make dist twice: the same sha256 $a"; else bad "make dist twice: ${a:-none} then ${b:-none}"; fi
(cd build && sha256sum -c "udsbox-$v.tar.gz.sha256" >/dev/null 2>&1) && ok "udsbox-$v.tar.gz.sha256 checks" || bad "the .sha256 does not match"
l=$(tar tzvf "$t" | awk '{print $2}' | sort -u)
[ "$l" = 0/0 ] && ok "every member owned by 0/0" || bad "owners in the tarball: $l"
tar xzf "$t" -C "$tmp" || { bad "unpacking"; echo "dist: $pass passed, $fail failed"; exit 1; }
u=$tmp/udsbox-$v
[ ! -e "$u/.git" ] && [ -f "$u/LICENSE" ] && [ -f "$u/NEWS" ] || bad "the tarball lacks LICENSE or NEWS, or holds a .git"
# the build must not find our .git above it
if (cd "$u" && GIT_CEILING_DIRECTORIES=$tmp make --no-print-directory >"$tmp/build.log" 2>&1) \
	&& [ "$("$u/build/host/udsbox" --version)" = "udsbox $v (ISC licence)" ]; then
	ok "the tarball builds with no .git and says: $("$u/build/host/udsbox" --version)"
else
	bad "building the tarball: $(tail -n 1 "$tmp/build.log")"
fi
if (cd "$u" && GIT_CEILING_DIRECTORIES=$tmp make --no-print-directory test >"$tmp/test.log" 2>&1); then
	ok "make test in the tarball: $(grep -E '^host: [0-9]+ passed' "$tmp/test.log")"
else
	bad "make test in the tarball: $(grep -E '^host: [0-9]+ passed' "$tmp/test.log" || tail -n 1 "$tmp/test.log")"
	grep -E 'FAIL|ASSERT' "$tmp/test.log" | head -n 10
fi
echo "dist: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
