#!/bin/sh
# SPDX-License-Identifier: ISC
# test/pkg/debian.sh: contrib/debian, for real: the .deb is built from the
# release tarball (make dist) by dpkg-buildpackage, lintian has nothing to
# say but the explained overrides, dpkg -i installs it, the applets work from
# /usr/bin, the autopkgtest smoke test passes against it, and a purge leaves
# nothing. Needs root (dpkg -i); ends with "debian: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "debian: ok: $*"; }
bad() { fail=$((fail + 1)); echo "debian: FAIL: $*"; }
end() { echo "debian: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
for t in dpkg-buildpackage lintian dh; do
	command -v $t >/dev/null || { bad "$t not found (make setup installs it)"; end; }
done
[ "$(id -u)" = 0 ] || { bad "dpkg -i needs root"; end; }
if dpkg-query -W -f '${db:Status-Abbrev}' udsbox 2>/dev/null | grep -q '^ii'; then
	bad "a udsbox package is installed already: not touching it"
	end
fi
v=$(cat VERSION)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udsbox-deb.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
toolchain/dist >/dev/null || { bad "make dist"; end; }
cp "build/udsbox-$v.tar.gz" "$tmp/udsbox_$v.orig.tar.gz"
tar xzf "$tmp/udsbox_$v.orig.tar.gz" -C "$tmp"
cp -r contrib/debian "$tmp/udsbox-$v/debian"
if (cd "$tmp/udsbox-$v" && dpkg-buildpackage -us -uc >"$tmp/build.log" 2>&1); then
	ok "dpkg-buildpackage -us -uc from udsbox-$v.tar.gz"
else
	bad "dpkg-buildpackage: $(tail -n 3 "$tmp/build.log" | tr '\n' ' ')"
	end
fi
deb=$(ls "$tmp"/udsbox_"$v"-*_*.deb | head -n 1)
changes=$(ls "$tmp"/udsbox_"$v"-*_*.changes | head -n 1)
l=$(lintian --info --suppress-tags-from-file /dev/null "$changes" 2>&1 | grep -E '^[EW]: ')
if [ -z "$l" ]; then ok "lintian: no error, no warning"; else bad "lintian: $(echo "$l" | head -n 5)"; fi
grep -q '^Built-Using: musl (= ' "$tmp/udsbox-$v/debian/udsbox/DEBIAN/control" \
	&& ok "Built-Using: $(sed -n 's/^Built-Using: //p' "$tmp/udsbox-$v/debian/udsbox/DEBIAN/control")" \
	|| bad "no Built-Using for musl"
before=$tmp/before
find /usr /etc /var/lib/dpkg/info -xdev 2>/dev/null | LC_ALL=C sort >"$before"
if dpkg -i "$deb" >"$tmp/install.log" 2>&1; then ok "dpkg -i $(basename "$deb")"; else bad "dpkg -i: $(tail -n 1 "$tmp/install.log")"; fi
a=@udsbox-deb.$$
/usr/bin/uds-serve "$a" 2>/dev/null &
p=$!
o=$(echo hi | /usr/bin/uds-connect -w 10 "$a" 2>&1)
kill "$p" 2>/dev/null; wait "$p" 2>/dev/null
[ "$o" = HI ] && ok "uds-serve and uds-connect from /usr/bin" || bad "the installed applets: '$o'"
[ -s /usr/share/man/man1/uds-serve.1.gz ] && ok "man pages installed" || bad "no /usr/share/man/man1/uds-serve.1.gz"
if sh "$tmp/udsbox-$v/debian/tests/smoke" >"$tmp/smoke.log" 2>&1; then ok "autopkgtest smoke (debian/tests/smoke) against the installed package"; else bad "smoke: $(tail -n 1 "$tmp/smoke.log")"; fi
if apt-get purge -y -q udsbox >"$tmp/purge.log" 2>&1; then ok "apt-get purge udsbox"; else bad "purge: $(tail -n 1 "$tmp/purge.log")"; fi
find /usr /etc /var/lib/dpkg/info -xdev 2>/dev/null | LC_ALL=C sort >"$tmp/after"
left=$(comm -13 "$before" "$tmp/after" | grep -i udsbox)
[ -z "$left" ] && ok "the purge leaves nothing behind" || bad "left after purge: $left"
end
